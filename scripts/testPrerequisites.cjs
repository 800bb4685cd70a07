// Run by npm before `npm test`: the suites start moto's S3 server on loopback (python3 -m moto.server).
// When it cannot start, say in one line how to install it, instead of a failed suite per server.
"use strict";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { spawnSync } = require("child_process");

const probe = spawnSync("python3", ["-c", "import moto, moto.server; print(moto.__version__)"], { encoding: "utf8" });
const version = (probe.stdout || "").trim();
if (probe.error || probe.status !== 0 || !/^5\./.test(version)) {
    const found = probe.error ? "python3 was not found" : probe.status !== 0 ? "python3 has no moto server" : `python3 has moto ${version}`;
    process.stderr.write(
        `npm test needs python3 with moto 5.x and its server (${found}): pip install 'moto[server]>=5,<6', then run npm test again.\n`,
    );
    process.exit(1);
}
