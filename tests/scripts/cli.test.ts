import * as assert from "assert";
import * as child_process from "child_process";
import * as fs from "fs";
import * as path from "path";
import { CreateBucketCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import * as yaml from "js-yaml";
import { makeClient } from "../../verification";
import { sinkObjectBody } from "../../offline";
import { sinkObjectKey } from "../../sink";
import { LocalS3, ROOT, startMoto } from "../helpers";

const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");

function run(script: string, args: string[], env: NodeJS.ProcessEnv = {}): { status: number | null; stdout: string; stderr: string } {
    const res = child_process.spawnSync(TSX, [path.join(ROOT, "scripts", script), ...args], {
        cwd: ROOT,
        encoding: "utf8",
        env: { ...process.env, ...env },
        timeout: 60000,
    });
    return { status: res.status, stdout: res.stdout, stderr: res.stderr };
}

/** A throwaway stack file beside Pulumi.dev.yaml, removed after the test. */
function withStack(name: string, config: Record<string, unknown>, fn: () => void): void {
    const file = path.join(ROOT, `Pulumi.${name}.yaml`);
    fs.writeFileSync(file, yaml.dump({ config }));
    try {
        fn();
    } finally {
        fs.rmSync(file, { force: true });
    }
}

function devConfig(): Record<string, unknown> {
    return (yaml.load(fs.readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8")) as { config: Record<string, unknown> }).config;
}

/** `npm run plan` as npm runs it (package.json's script), without npm's own start-up. */
function plan(args: string[]): { status: number | null; stdout: string; stderr: string } {
    const res = child_process.spawnSync(
        process.execPath,
        [path.join(ROOT, "scripts", "tsRun.cjs"), path.join(ROOT, "scripts", "plan.ts"), ...args],
        {
            cwd: ROOT,
            encoding: "utf8",
            timeout: 60000,
        },
    );
    return { status: res.status, stdout: res.stdout, stderr: res.stderr };
}

describe("npm run plan", function () {
    this.timeout(60000);

    it("runs exactly what package.json's plan script says", () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> };
        assert.strictEqual(pkg.scripts.plan, "node scripts/tsRun.cjs scripts/plan.ts");
    });

    it("starts with a summary, marks looked-up values as examples, says what pulumi preview checks, and exits 0 with the dev stack's two warnings", () => {
        const r = plan([]);
        assert.strictEqual(r.status, 0, r.stderr);
        const lines = r.stdout.split("\n");
        assert.match(lines[0], /^Plan for stack "dev" \(region us-east-2, account 111122223333\)/);
        assert.strictEqual(
            lines[1],
            "Summary: creates 5 resources, looks up 19 (answered offline with example data), 2 warnings, 0 policy findings.",
        );
        assert.match(
            r.stdout,
            /Connector zip: download https:\/\/d2p6pa21dvn84\.cloudfront\.net\/.*confluentinc-kafka-connect-s3-10\.5\.15\.zip to .*\.artifacts\/0{64}\/confluentinc-kafka-connect-s3-10\.5\.15\.zip \(by `pulumi preview` and `pulumi up`; this offline plan downloads nothing\)/,
        );
        assert.match(r.stdout, /Looks up \(19\), answered offline with EXAMPLE data, not your account's/);
        assert.match(
            r.stdout,
            /\? aws:msk\/getCluster:getCluster {2}\{"clusterName":"MSKCluster-mskconnectlab"\}\n {6}example: \{"arn":"arn:aws:kafka:/,
        );
        assert.match(
            r.stdout,
            /`pulumi preview` checks for real, in the account:\n(  - .*\n)*  - no connector named confluentinc-kafka-connect-s3 exists that this stack does not manage\n/,
        );
        assert.match(r.stdout, /- the cluster's client subnets route to S3/);
        assert.match(
            r.stdout,
            /"serviceExecutionRoleArn": "arn:aws:iam::111122223333:role\/mskconnectlab-S3ConnectorIAMRole-1ABCD2EFGH3IJ", {3}← example \(answered offline\)/,
        );
        assert.match(r.stdout, /"subnet-0a1b2c3d4e5f60001", {3}← example/);
        assert.match(r.stdout, /"s3\.region": "us-east-2",\n/, "a value from the stack's own settings is not an example");
        assert.match(r.stdout, /"source": "\(known after up\)"/);
        assert.match(
            r.stdout,
            /Warnings \(2\):\n {2}! warning \[placeholder-digest\] msk-s3-sink:pluginSha256: is the example placeholder.*\n {2}! warning \[tombstones-fail-task\] /,
        );
        assert.match(r.stdout, /Policy findings \(0\): every rule passes/);
        assert.match(
            r.stdout,
            /executionRoleArn: arn:aws:iam::111122223333:role\/mskconnectlab-S3ConnectorIAMRole-1ABCD2EFGH3IJ {3}← example/,
        );
        assert.match(
            r.stdout,
            /sinkPrefix: s3:\/\/msk-lab-111122223333-target-bucket\/topics\/salesdb\.salesdb\.CUSTOMER\/partition=0\/\n/,
        );
    });

    it("prints JSON alone on stdout with --json, warnings as {rule, severity, key, message}, as the README's jq pipe reads it", function () {
        const r = child_process.spawnSync("sh", ["-c", "npm run -s plan -- --json"], { cwd: ROOT, encoding: "utf8", timeout: 60000 });
        assert.strictEqual(r.status, 0, r.stderr);
        const p = JSON.parse(r.stdout);
        assert.deepStrictEqual(
            p.warnings.map((w: Record<string, string>) => [w.rule, w.severity, w.key]),
            [
                ["placeholder-digest", "warning", "msk-s3-sink:pluginSha256"],
                ["tombstones-fail-task", "warning", 'msk-s3-sink:extraConnectorConfig["behavior.on.null.values"]'],
            ],
        );
        assert.match(p.warnings[0].message, /^is the example placeholder \(all zeros\)/);
        assert.deepStrictEqual(p.summary, { creates: 5, adopts: 0, looksUp: 19, warnings: 2, policyFindings: 0 });
        assert.strictEqual(p.lookupsAreExamples, true);
        assert.strictEqual(p.passed, true);
        assert.ok(p.exampleValues.includes("arn:aws:iam::111122223333:role/mskconnectlab-S3ConnectorIAMRole-1ABCD2EFGH3IJ"));
        const connector = p.resources.find((x: { type: string }) => x.type === "aws:mskconnect/connector:Connector");
        assert.strictEqual(connector.inputs.connectorConfiguration["s3.bucket.name"], "msk-lab-111122223333-target-bucket");
        assert.ok(connector.exampleInputs.includes("serviceExecutionRoleArn"));
        assert.deepStrictEqual(p.policy, []);
        const jq = child_process.spawnSync("sh", ["-c", "command -v jq"], { encoding: "utf8" });
        if (jq.status !== 0) return; // the pipe needs jq; the JSON above is what it reads
        const piped = child_process.spawnSync(
            "sh",
            ["-c", "npm run -s plan -- --json | jq -r '.warnings[] | select(.severity == \"warning\") | .rule'"],
            {
                cwd: ROOT,
                encoding: "utf8",
                timeout: 60000,
            },
        );
        assert.strictEqual(piped.stdout, "placeholder-digest\ntombstones-fail-task\n", piped.stderr);
    });

    it("exits 1 with --strict when there are warnings (the placeholder digest among them), and says why", () => {
        const r = plan(["--strict"]);
        assert.strictEqual(r.status, 1);
        assert.match(r.stdout, /Warnings \(2\)/);
        assert.strictEqual(r.stderr, "plan: --strict: 2 warning(s), so exit 1.\n");
        const j = plan(["--strict", "--json"]);
        assert.strictEqual(j.status, 1);
        assert.deepStrictEqual([JSON.parse(j.stdout).strict, JSON.parse(j.stdout).passed], [true, false]);
    });

    it("fails with every config problem and no resources when a stack is bad", () => {
        withStack(
            "badtest",
            {
                ...devConfig(),
                "msk-s3-sink:flushSize": 0,
                "msk-s3-sink:extraConnectorConfig": { "s3.part.size": "1024", "aws.secret.access.key": "x", "flush.sise": "1" },
            },
            () => {
                const r = plan(["--stack", "badtest"]);
                assert.strictEqual(r.status, 1);
                assert.strictEqual(r.stdout, "");
                assert.match(r.stderr, /Stack "badtest" has 4 configuration problems; nothing was created:/);
                assert.match(r.stderr, /- msk-s3-sink:flushSize = "0": expected a whole number from 1/);
                assert.match(r.stderr, /s3\.part\.size/);
                assert.match(r.stderr, /aws\.secret\.access\.key/);
                assert.match(r.stderr, /flush\.sise.*Did you mean `flush\.size`/);
                const j = plan(["--stack", "badtest", "--json"]);
                assert.strictEqual(j.status, 1);
                assert.deepStrictEqual(JSON.parse(j.stdout).problems.length, 4);
            },
        );
    });

    it("fails on a local zip with the wrong digest as a clean configuration error (exit 1), and passes a secure value it cannot decrypt", () => {
        const zip = path.join(ROOT, ".artifacts", "cli-test-wrong.zip");
        fs.mkdirSync(path.dirname(zip), { recursive: true });
        fs.writeFileSync(zip, "not the vetted zip");
        try {
            withStack("localzip", { ...devConfig(), "msk-s3-sink:pluginLocalPath": ".artifacts/cli-test-wrong.zip" }, () => {
                const r = plan(["--stack", "localzip"]);
                assert.strictEqual(r.status, 1);
                assert.match(
                    r.stderr,
                    /^Stack "localzip" has 1 configuration problem; nothing was created:\n {2}- msk-s3-sink:pluginLocalPath = "\.artifacts\/cli-test-wrong\.zip": .*has SHA-256 [0-9a-f]{64}, but msk-s3-sink:pluginSha256 is the example placeholder/,
                );
                assert.ok(!r.stderr.includes("error serializing property"));
            });
        } finally {
            fs.rmSync(zip, { force: true });
        }
        withStack("securetest", { ...devConfig(), "msk-s3-sink:pluginUrl": { secure: "AAABAEdHbWlycm9yLXVybA==" } }, () => {
            const r = plan(["--stack", "securetest"]);
            assert.strictEqual(r.status, 0, r.stderr);
            assert.match(r.stdout, /Connector zip: download \[secret\] to /);
            assert.match(
                r.stdout,
                /the secret settings this plan cannot decrypt \(shown as \[secret\], not checked here\): msk-s3-sink:pluginUrl/,
            );
        });
    });

    it("fails on a key without a namespace, as the Pulumi CLI does", () => {
        withStack("nsless", { ...devConfig(), flushSize: 10 }, () => {
            const r = plan(["--stack", "nsless"]);
            assert.strictEqual(r.status, 1);
            assert.match(r.stderr, /config key "flushSize" has no namespace.*"msk-s3-sink:flushSize"/);
        });
    });

    it("names the stacks it knows when the stack has no file, and rejects unknown arguments with exit 2", () => {
        const r = plan(["--stack", "prod"]);
        assert.strictEqual(r.status, 1);
        assert.match(r.stderr, /no settings file Pulumi\.prod\.yaml for stack "prod"; stacks here: dev/);
        assert.strictEqual(plan(["--verbose"]).status, 2);
    });
});

describe("npm run verify", function () {
    this.timeout(60000);
    let server: LocalS3;
    before(async () => {
        server = await startMoto();
        const client = makeClient("us-east-1", server.endpoint);
        await client.send(new CreateBucketCommand({ Bucket: "cli-bucket" }));
        await client.send(
            new PutObjectCommand({
                Bucket: "cli-bucket",
                Key: sinkObjectKey("salesdb.salesdb.CUSTOMER", 0, 0),
                Body: sinkObjectBody(1, 200),
            }),
        );
    });
    after(async () => server?.stop());

    it("exits 0 and prints the result when the data landed", () => {
        const r = run("verify.ts", [
            "--bucket",
            "cli-bucket",
            "--prefix",
            "topics/salesdb.salesdb.CUSTOMER/partition=0/",
            "--endpoint",
            server.endpoint,
            "--json",
        ]);
        assert.strictEqual(r.status, 0, r.stderr);
        const out = JSON.parse(r.stdout);
        assert.strictEqual(out.verified, true);
        assert.strictEqual(out.recordsReturned, 5);
        assert.strictEqual(out.method, "select");
    });

    it("exits 1 with the reason when nothing is under the prefix", () => {
        const r = run("verify.ts", [
            "--bucket",
            "cli-bucket",
            "--prefix",
            "topics/none/partition=0/",
            "--endpoint",
            server.endpoint,
            "--timeout",
            "1",
            "--poll",
            "1",
        ]);
        assert.strictEqual(r.status, 1);
        assert.match(r.stderr, /not verified \(timeout\): no object under s3:\/\/cli-bucket\/topics\/none\/partition=0\/ after 1 s/);
    });

    it("takes bucket, prefix and region from a stack", () => {
        withStack(
            "verifytest",
            {
                ...devConfig(),
                "msk-s3-sink:targetBucket": "cli-bucket",
                "aws:region": "us-east-1",
                "msk-s3-sink:verifyEndpoint": server.endpoint,
            },
            () => {
                const r = run("verify.ts", ["--stack", "verifytest", "--json"]);
                assert.strictEqual(r.status, 0, r.stderr);
                assert.strictEqual(
                    JSON.parse(r.stdout).objectKey,
                    "topics/salesdb.salesdb.CUSTOMER/partition=0/salesdb.salesdb.CUSTOMER+0+0000000000.json",
                );
            },
        );
    });

    it("exits 2 on bad arguments", () => {
        assert.strictEqual(run("verify.ts", ["--bucket", "b"]).status, 2);
        assert.strictEqual(run("verify.ts", ["--bucket", "b", "--prefix", "p", "--method", "athena"]).status, 2);
        assert.strictEqual(run("verify.ts", ["--bucket", "b", "--prefix", "p", "--timeout", "soon"]).status, 2);
        const r = run("verify.ts", ["--stack", "nosuchstack"]);
        assert.strictEqual(r.status, 2);
        assert.match(r.stderr, /no settings file Pulumi\.nosuchstack\.yaml/);
    });
});

describe("project files", () => {
    it("Pulumi.yaml names the project and the Node.js TypeScript runtime, with only keys the CLI's schema knows", () => {
        const doc = yaml.load(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as Record<string, unknown>;
        // A copy of the Pulumi CLI's project schema, kept here so the tests need nothing outside the repository.
        const schema = JSON.parse(fs.readFileSync(path.join(ROOT, "tests", "fixtures", "pulumi-project.schema.json"), "utf8"));
        for (const key of schema.required) assert.ok(key in doc, `Pulumi.yaml lacks ${key}`);
        for (const key of Object.keys(doc)) assert.ok(key in schema.properties, `Pulumi.yaml has ${key}, which the schema does not define`);
        assert.strictEqual(doc.name, "msk-s3-sink");
        assert.deepStrictEqual(doc.runtime, { name: "nodejs", options: { typescript: true, packagemanager: "npm" } });
    });

    it("Pulumi.dev.yaml holds only namespaced keys and the lab's values", () => {
        const config = devConfig();
        for (const key of Object.keys(config)) assert.match(key, /^(aws|msk-s3-sink):[A-Za-z0-9]+$|^pulumi:disable-default-providers$/);
        assert.deepStrictEqual(config["pulumi:disable-default-providers"], ["aws"], "no AWS resource may use a default provider");
        assert.strictEqual(config["msk-s3-sink:accountId"], "111122223333");
    });
});
