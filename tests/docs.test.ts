import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { SETTINGS } from "../config";
import { WARNING_RULES } from "../components/connectorConfig";
import { RULES } from "../policy/rules";
import { ROOT } from "./helpers";

/** Keys of the configuration table: first-column code spans of table rows. */
function documentedKeys(file: string): string[] {
    const text = fs.readFileSync(path.join(ROOT, file), "utf8");
    return text.split("\n")
        .map((l) => /^\| `((?:aws|msk-s3-sink):[A-Za-z0-9]+)` \|/.exec(l)?.[1])
        .filter((k): k is string => k !== undefined)
        .sort();
}

describe("documentation", () => {
    const code = [...SETTINGS.map((s) => `msk-s3-sink:${s}`), "aws:region", "aws:allowedAccountIds"].sort();

    it("README.md documents every setting the program reads, and no other", () => {
        assert.deepStrictEqual(documentedKeys("README.md"), code);
    });
    it("README.ko.md's configuration table matches README.md key for key", () => {
        assert.deepStrictEqual(documentedKeys("README.ko.md"), documentedKeys("README.md"));
    });
    it("both READMEs start with the same two commands, and .ci/run runs the test command", () => {
        const commands = (file: string) => /```sh\n([\s\S]*?)```/.exec(fs.readFileSync(path.join(ROOT, file), "utf8"))![1].split("\n").map((l) => l.split("#")[0].trim()).filter(Boolean);
        assert.deepStrictEqual(commands("README.md"), ["npm ci && npm run plan", "npm test"]);
        assert.deepStrictEqual(commands("README.ko.md"), commands("README.md"));
        assert.match(fs.readFileSync(path.join(ROOT, ".ci", "run"), "utf8"), /^npm ci\b/m);
        assert.match(fs.readFileSync(path.join(ROOT, ".ci", "run"), "utf8"), /^npm test$/m);
    });
    it("README.md lists every policy rule and every doctor warning rule", () => {
        const text = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
        for (const r of RULES) assert.ok(text.includes(`\`${r.name}\``), `README.md does not mention policy rule ${r.name}`);
        for (const r of WARNING_RULES) assert.ok(text.includes(`\`${r}\``), `README.md does not mention doctor rule ${r}`);
    });
});
