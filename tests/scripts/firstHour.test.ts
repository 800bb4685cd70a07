/**
 * What a new user runs in their first hour, run as they run it (the CLIs as processes, output as they see
 * it): a gzip sink found without a flag, skipped keys named with the reason, and the rest of what tripped a
 * first user up.
 */
import * as assert from "assert";
import * as child_process from "child_process";
import * as path from "path";
import { CreateBucketCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { sinkObjectBody } from "../../offline";
import { sinkObjectKey } from "../../sink";
import { makeClient } from "../../verification";
import { LocalS3, ROOT, startMoto } from "../helpers";

const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");
const TOPIC = "orders";
const PREFIX = `topics/${TOPIC}/partition=0/`;

interface Ran {
    readonly status: number | null;
    readonly stdout: string;
    readonly stderr: string;
}

/** `npm run verify -- <args>` as package.json runs it (tsx scripts/verify.ts), stdout and stderr on pipes. */
function verify(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Ran> {
    return new Promise((resolve) => {
        child_process.execFile(
            TSX,
            [path.join(ROOT, "scripts", "verify.ts"), ...args],
            { cwd: ROOT, encoding: "utf8", timeout: 60000, env: { ...process.env, ...env } },
            (err, stdout, stderr) => resolve({ status: err ? ((err as { code?: number }).code ?? null) : 0, stdout, stderr }),
        );
    });
}

describe("a new user's first hour: npm run verify", function () {
    this.timeout(60000);
    let server: LocalS3;
    const where = (bucket: string) => ["--bucket", bucket, "--prefix", PREFIX, "--endpoint", server.endpoint, "--region", "us-east-1"];

    before(async () => {
        server = await startMoto();
        const client = makeClient("us-east-1", server.endpoint);
        const put = (Bucket: string, Key: string, Body: Buffer | string) => client.send(new PutObjectCommand({ Bucket, Key, Body }));
        for (const bucket of ["gzip-sink", "plain-sink", "odd-sink"]) await client.send(new CreateBucketCommand({ Bucket: bucket }));
        await put("gzip-sink", sinkObjectKey(TOPIC, 0, 0, true), sinkObjectBody(1, 200, true));
        await put("plain-sink", sinkObjectKey(TOPIC, 0, 0), sinkObjectBody(1, 200));
        await put("odd-sink", `${PREFIX}${TOPIC}-0-0000000000.json`, sinkObjectBody(1, 200));
    });
    after(async () => {
        await server?.stop();
    });

    it("finds a gzip sink's .json.gz objects without --gzip, as their names say", async () => {
        const r = await verify([...where("gzip-sink")]);
        assert.strictEqual(r.status, 0, r.stderr);
        assert.match(r.stdout, /^verified: s3:\/\/gzip-sink\/topics\/orders\/partition=0\/orders\+0\+0000000000\.json\.gz /);
        assert.strictEqual(r.stderr, "");
    });

    it("still insists on .json.gz with --gzip, and says at once on a pipe which key it skips and why, then names it in the time-out", async () => {
        const r = await verify([...where("plain-sink"), "--gzip", "--timeout", "2", "--poll", "1"]);
        assert.strictEqual(r.status, 1, r.stderr);
        const lines = r.stderr.trim().split("\n");
        assert.strictEqual(lines.length, 2, r.stderr);
        assert.match(
            lines[0],
            /^verify: note: under s3:\/\/plain-sink\/topics\/orders\/partition=0\/, no <topic>\+<partition>\+<offset>\.json\.gz object yet; 1 other key\(s\) there are not sink objects, e\.g\. topics\/orders\/partition=0\/orders\+0\+0000000000\.json \(a \.json object, but the sink is configured to write \.json\.gz/,
        );
        assert.match(
            lines[1],
            /^not verified \(timeout\): .*e\.g\. topics\/orders\/partition=0\/orders\+0\+0000000000\.json \(a \.json object/,
        );
    });

    it("names a key of another shape and suggests the file delimiter it seems to use", async () => {
        const r = await verify([...where("odd-sink"), "--timeout", "1", "--poll", "1"]);
        assert.strictEqual(r.status, 1, r.stderr);
        assert.match(
            r.stderr,
            /verify: note: .*e\.g\. topics\/orders\/partition=0\/orders-0-0000000000\.json \(not named <topic>\+<partition>\+<offset>\.json\[\.gz\]; is the connector's file\.delim "-"\? \(--file-delim with a bucket and prefix\)\)/,
        );
    });
});
