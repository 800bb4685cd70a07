import * as assert from "assert";
import * as child_process from "child_process";
import * as fs from "fs";
import * as path from "path";
import { CreateBucketCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import * as yaml from "js-yaml";
import { makeClient } from "../../verification";
import { parseStackConfig, readStackFile } from "../../config";
import { LocalKafkaConnectApi, sinkObjectBody, startKafkaConnectApi, startSilentServer } from "../../offline";
import { parseVerifyArgs, progressTo, VERIFY_FLAGS } from "../../scripts/verify";
import { sinkObjectKey } from "../../sink";
import { LocalS3, ROOT, startMoto } from "../helpers";
import { tempDir } from "../setup";

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

/** `run`, without blocking the event loop (for a test whose server lives in this process). */
function runAsync(script: string, args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
        child_process.execFile(
            TSX,
            [path.join(ROOT, "scripts", script), ...args],
            { cwd: ROOT, encoding: "utf8", timeout: 60000 },
            (err, stdout, stderr) => resolve({ status: err ? ((err as { code?: number }).code ?? null) : 0, stdout, stderr }),
        );
    });
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

/** `withStack`, for a test that awaits. */
async function withStackAsync(name: string, config: Record<string, unknown>, fn: () => Promise<void>): Promise<void> {
    const file = path.join(ROOT, `Pulumi.${name}.yaml`);
    fs.writeFileSync(file, yaml.dump({ config }));
    try {
        await fn();
    } finally {
        fs.rmSync(file, { force: true });
    }
}

function devConfig(): Record<string, unknown> {
    return (yaml.load(fs.readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8")) as { config: Record<string, unknown> }).config;
}

/**
 * `npm run plan` as npm runs it (package.json's script), without npm's own start-up. Without --stack it plans dev
 * (PULUMI_STACK), whatever other stack files another run of these tests has beside it for the moment; how the plan
 * chooses a stack by itself is tested in projects of their own (firstHour.test.ts).
 */
function plan(args: string[]): { status: number | null; stdout: string; stderr: string } {
    const res = child_process.spawnSync(
        process.execPath,
        [path.join(ROOT, "scripts", "tsRun.cjs"), path.join(ROOT, "scripts", "plan.ts"), ...args],
        {
            cwd: ROOT,
            encoding: "utf8",
            timeout: 60000,
            env: { ...process.env, PULUMI_STACK: "dev" },
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
        assert.match(lines[0], /^Plan for stack "dev" \([^)]*\), region us-east-2, account 111122223333:/);
        assert.strictEqual(
            lines[1],
            "Summary: creates 7 resources, looks up 20 (answered offline with example data), 2 warnings, 0 policy findings.",
        );
        assert.match(
            r.stdout,
            /Connector zip: download https:\/\/d2p6pa21dvn84\.cloudfront\.net\/.*confluentinc-kafka-connect-s3-10\.5\.15\.zip to .*\.artifacts\/0{64}\/confluentinc-kafka-connect-s3-10\.5\.15\.zip \(by `pulumi preview` and `pulumi up`; this offline plan downloads nothing\)/,
        );
        assert.match(r.stdout, /Looks up \(20\), answered offline with EXAMPLE data, not your account's/);
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
        // PULUMI_STACK: another stack file beside dev (a user's, or another test's) must not change which stack is planned.
        const r = child_process.spawnSync("sh", ["-c", "npm run -s plan -- --json"], {
            cwd: ROOT,
            encoding: "utf8",
            timeout: 60000,
            env: { ...process.env, PULUMI_STACK: "dev" },
        });
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
        assert.deepStrictEqual(p.summary, { creates: 7, adopts: 0, looksUp: 20, warnings: 2, policyFindings: 0 });
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
                env: { ...process.env, PULUMI_STACK: "dev" },
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
                const out = JSON.parse(j.stdout) as { problems: unknown[]; warnings: { rule: string; severity: string; key: string }[] };
                assert.deepStrictEqual(out.problems.length, 4);
                // Warnings stay objects on failure too, so `jq '.warnings[]'` works on every run.
                assert.deepStrictEqual(
                    out.warnings.map((w) => [w.rule, w.severity, w.key]),
                    [
                        ["placeholder-digest", "warning", "msk-s3-sink:pluginSha256"],
                        ["tombstones-fail-task", "warning", 'msk-s3-sink:extraConnectorConfig["behavior.on.null.values"]'],
                    ],
                );
                assert.match(
                    r.stderr,
                    /\n {2}- warning \[tombstones-fail-task\] msk-s3-sink:extraConnectorConfig\["behavior\.on\.null\.values"\]: salesdb/,
                );
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
                    /^Plan for stack "localzip" \(given with --stack\):\nStack "localzip" has 1 configuration problem; nothing was created:\n {2}- msk-s3-sink:pluginLocalPath = "\.artifacts\/cli-test-wrong\.zip": .*has SHA-256 [0-9a-f]{64}, but msk-s3-sink:pluginSha256 is the example placeholder/,
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

    it("passes the policy on a stack whose key and target bucket are secrets it cannot read (judged at pulumi up instead)", () => {
        const secure = (tail: string) => ({ secure: `v1:AAAA:${tail}==` });
        const config = {
            ...devConfig(),
            "msk-s3-sink:executionRoleNamePrefix": undefined,
            "msk-s3-sink:executionRole": "create",
            "msk-s3-sink:kmsKeyArn": secure("KKKK"),
            "msk-s3-sink:targetBucket": secure("BBBB"),
        };
        withStack("securepolicy", config, () => {
            const r = plan(["--stack", "securepolicy", "--json"]);
            const out = JSON.parse(r.stdout) as { policy: unknown[]; secretSettings: string[] };
            assert.deepStrictEqual(out.policy, []);
            assert.deepStrictEqual([...out.secretSettings].sort(), ["msk-s3-sink:kmsKeyArn", "msk-s3-sink:targetBucket"]);
            assert.strictEqual(r.status, 0, r.stderr);
        });
    });

    it("shows a secret input as [secret], never as the runtime's wrapper with the value inside (the profile is always secret)", () => {
        withStack("profileplan", { ...devConfig(), "aws:profile": "acme-prod-admin" }, () => {
            for (const args of [
                ["--stack", "profileplan"],
                ["--stack", "profileplan", "--json"],
            ]) {
                const r = plan(args);
                assert.strictEqual(r.status, 0, r.stderr);
                assert.ok(!r.stdout.includes("acme-prod-admin"), "the profile's name is in the plan");
                assert.ok(!r.stdout.includes("4dabf18193072939515e22adb298388d"), "the runtime's secret marker is in the plan");
            }
            const inputs = (
                JSON.parse(plan(["--stack", "profileplan", "--json"]).stdout) as {
                    resources: { name: string; inputs: Record<string, unknown> }[];
                }
            ).resources.find((x) => x.name === "sink-verification")!.inputs;
            assert.strictEqual(inputs.profile, "[secret]");
        });
    });

    it("warns when a stack leaves the default AWS provider on, and not when it lists aws", () => {
        const on = devConfig();
        delete on["pulumi:disable-default-providers"];
        withStack("defaultprov", on, () => {
            const r = plan(["--stack", "defaultprov", "--json"]);
            assert.strictEqual(r.status, 0, r.stderr);
            const warnings = (JSON.parse(r.stdout) as { warnings: { rule: string; key: string; message: string }[] }).warnings;
            const w = warnings.find((x) => x.rule === "default-providers-enabled");
            assert.ok(w, JSON.stringify(warnings));
            assert.strictEqual(w.key, "pulumi:disable-default-providers");
            assert.match(w.message, /pulumi config set --path 'pulumi:disable-default-providers\[0\]' aws/);
        });
        const dev = JSON.parse(plan(["--json"]).stdout) as { warnings: { rule: string }[] };
        assert.ok(!dev.warnings.some((x) => x.rule === "default-providers-enabled"));
    });

    it("reads a key without a namespace as the project's, as the Pulumi CLI does, and refuses one set both ways", () => {
        const rest = devConfig();
        delete rest["msk-s3-sink:flushSize"];
        withStack("nsless", { ...rest, flushSize: 10 }, () => {
            const r = plan(["--stack", "nsless", "--json"]);
            assert.strictEqual(r.status, 0, r.stderr);
            const connector = (JSON.parse(r.stdout) as { resources: { type: string; inputs: Record<string, unknown> }[] }).resources.find(
                (x) => x.type === "aws:mskconnect/connector:Connector",
            )!;
            assert.strictEqual((connector.inputs.connectorConfiguration as Record<string, string>)["flush.size"], "10");
            const warnings = (JSON.parse(r.stdout) as { warnings: { rule: string; key: string }[] }).warnings;
            assert.ok(warnings.some((w) => w.rule === "key-without-namespace" && w.key === "msk-s3-sink:flushSize"));
        });
        withStack("nsless", { ...devConfig(), flushSize: 10 }, () => {
            const r = plan(["--stack", "nsless"]);
            assert.strictEqual(r.status, 1);
            assert.match(
                r.stderr,
                /msk-s3-sink:flushSize = \["msk-s3-sink:flushSize","flushSize"\]: is set twice, as "msk-s3-sink:flushSize" and as "flushSize".*Keep one of them/,
            );
        });
    });

    it("names the stacks it knows when the stack has no file (exit 2, as verify and connector), and rejects unknown arguments with exit 2", () => {
        // A name no user would give a stack: the test must not depend on which stack files exist.
        const r = plan(["--stack", "no-such-stack-7f3a"]);
        assert.strictEqual(r.status, 2);
        assert.match(
            r.stderr,
            /no settings file Pulumi\.no-such-stack-7f3a\.yaml for stack "no-such-stack-7f3a"; stacks here: (\S+, )*dev\b/,
        );
        assert.strictEqual(plan(["--verbose"]).status, 2);
        // The same stack named by PULUMI_STACK, and by each CLI's --stack: exit 2 in all three.
        const byEnv = child_process.spawnSync(
            process.execPath,
            [path.join(ROOT, "scripts", "tsRun.cjs"), path.join(ROOT, "scripts", "plan.ts")],
            {
                cwd: ROOT,
                encoding: "utf8",
                timeout: 60000,
                env: { ...process.env, PULUMI_STACK: "no-such-stack-7f3a" },
            },
        );
        assert.strictEqual(byEnv.status, 2, byEnv.stderr);
        assert.match(byEnv.stderr, /no settings file Pulumi\.no-such-stack-7f3a\.yaml/);
        for (const argv of [
            ["verify.ts", "--stack", "no-such-stack-7f3a"],
            ["connector.ts", "status", "--stack", "no-such-stack-7f3a"],
        ]) {
            const other = run(argv[0], argv.slice(1));
            assert.strictEqual(other.status, 2, `${argv.join(" ")}: ${other.stderr}`);
            assert.match(other.stderr, /no settings file Pulumi\.no-such-stack-7f3a\.yaml/);
        }
    });
});

describe("npm run verify", function () {
    this.timeout(60000);
    let server: LocalS3;
    let api: LocalKafkaConnectApi;
    let tmpDir: string;
    const cliBucket = () => [
        "--bucket",
        "cli-bucket",
        "--prefix",
        "topics/salesdb.salesdb.CUSTOMER/partition=0/",
        "--endpoint",
        server.endpoint,
        "--region",
        "us-east-1",
    ];
    before(async () => {
        tmpDir = tempDir("verify-cli");
        api = await startKafkaConnectApi({ region: "us-east-1" });
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
    after(async () => {
        await server?.stop();
        await api?.stop();
        fs.rmSync(tmpDir, { recursive: true, force: true });
    });

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
        assert.strictEqual(out.skippedKeys, 0);
    });

    it("exits 1 with the reason when nothing is under the prefix, and prints no progress when stderr is not a terminal", () => {
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
        assert.match(
            r.stderr,
            /^not verified \(timeout\): timed out after 1 s waiting for a sink object \(<topic>\+<partition>\+<offset>\.json\[\.gz\]\) under s3:\/\/cli-bucket\/topics\/none\/partition=0\/: none in 1 listing\(s\)/,
        );
        assert.strictEqual(r.stderr.trim().split("\n").length, 1, r.stderr);
    });

    it("returns at its --timeout from a server that accepts connections and never answers", async () => {
        const silent = await startSilentServer();
        try {
            const r = await runAsync("verify.ts", [
                "--bucket",
                "cli-bucket",
                "--prefix",
                "topics/t/partition=0/",
                "--endpoint",
                silent.endpoint,
                "--timeout",
                "1",
                "--json",
            ]);
            assert.strictEqual(r.status, 1, r.stderr);
            const out = JSON.parse(r.stdout);
            assert.strictEqual(out.kind, "timeout");
            assert.match(
                out.error,
                /^timed out after 1 s .*ListObjectsV2 on s3:\/\/cli-bucket\/topics\/t\/partition=0\/ had not finished\.$/,
            );
        } finally {
            await silent.stop();
        }
    });

    it("says when there are no credentials, as a credentials failure", () => {
        const r = run(
            "verify.ts",
            ["--bucket", "cli-bucket", "--prefix", "topics/t/partition=0/", "--endpoint", server.endpoint, "--json"],
            {
                AWS_ACCESS_KEY_ID: "",
                AWS_SECRET_ACCESS_KEY: "",
                AWS_PROFILE: "",
                AWS_SHARED_CREDENTIALS_FILE: path.join(ROOT, "no-such-credentials-file"),
                AWS_CONFIG_FILE: path.join(ROOT, "no-such-config-file"),
                AWS_EC2_METADATA_DISABLED: "true",
            },
        );
        assert.strictEqual(r.status, 1, r.stderr);
        const out = JSON.parse(r.stdout);
        assert.strictEqual(out.kind, "credentials");
        assert.match(
            out.error,
            /^ListObjectsV2 on s3:\/\/cli-bucket\/topics\/t\/partition=0\/ was not sent: no AWS credentials were found/,
        );
    });

    it("takes bucket, prefix, region, key format, the connector and its configuration from a stack", async () => {
        const config = {
            ...devConfig(),
            "msk-s3-sink:targetBucket": "cli-bucket",
            "aws:region": "us-east-1",
            "msk-s3-sink:verifyEndpoint": server.endpoint,
        };
        await withStackAsync("verifytest", config, async () => {
            const file = readStackFile(ROOT, "verifytest");
            const s = parseStackConfig(file.raw, { stack: "verifytest", baseDir: ROOT });
            api.addConnector({ connectorName: s.connectorName, connectorConfiguration: s.connectorConfiguration });
            const r = await runAsync("verify.ts", ["--stack", "verifytest", "--kafkaconnect-endpoint", api.endpoint, "--json"]);
            assert.strictEqual(r.status, 0, r.stderr);
            const out = JSON.parse(r.stdout);
            assert.strictEqual(out.objectKey, "topics/salesdb.salesdb.CUSTOMER/partition=0/salesdb.salesdb.CUSTOMER+0+0000000000.json");
            assert.strictEqual(out.connector.connectorName, "confluentinc-kafka-connect-s3");
            assert.strictEqual(out.connector.configuration.status, "matched");
            assert.strictEqual(out.freshness.mode, "fresh", "the stack's verifyFreshData (true by default)");
        });
    });

    it("checks a connector by name against an expected configuration file, on fresh data only, and reports every field", async () => {
        const config = {
            "connector.class": "io.confluent.connect.s3.S3SinkConnector",
            topics: "salesdb.salesdb.CUSTOMER",
            "flush.size": "200",
        };
        api.addConnector({ connectorName: "cli-connector", connectorConfiguration: config });
        const file = path.join(tmpDir, "expected.json");
        fs.writeFileSync(file, JSON.stringify(config));
        const r = await runAsync("verify.ts", [
            ...cliBucket(),
            "--connector",
            "cli-connector",
            "--expected-config",
            file,
            "--fresh",
            "--kafkaconnect-endpoint",
            api.endpoint,
            "--json",
        ]);
        assert.strictEqual(r.status, 0, r.stderr);
        const out = JSON.parse(r.stdout);
        assert.strictEqual(out.verified, true);
        assert.strictEqual(out.connector.state, "RUNNING");
        assert.strictEqual(out.connector.operation, null);
        assert.strictEqual(out.freshness.mode, "fresh");
        assert.strictEqual(out.freshness.writtenAfter, "2025-01-01T00:00:00.000Z", "the connector's creation");
        assert.ok(out.freshness.baseline, "the baseline of what was there before");
        assert.strictEqual(out.objectKey, sinkObjectKey("salesdb.salesdb.CUSTOMER", 0, 0));
        assert.strictEqual(typeof out.recordsReturned, "number");
        assert.strictEqual(out.method, "select");
    });

    it("exits 1 with AWS's reason when the connector is FAILED", async () => {
        api.addConnector({
            connectorName: "cli-failed",
            connectorConfiguration: {},
            states: [
                {
                    connectorState: "FAILED",
                    stateDescription: { code: "InvalidInput.InvalidConnectorConfiguration", message: "The topic does not exist." },
                },
            ],
        });
        const r = await runAsync("verify.ts", [...cliBucket(), "--connector", "cli-failed", "--kafkaconnect-endpoint", api.endpoint]);
        assert.strictEqual(r.status, 1);
        assert.match(r.stderr, /not verified \(connector-failed\): .*InvalidInput\.InvalidConnectorConfiguration/s);
        assert.match(r.stderr, /The topic does not exist\./);
    });

    it("exits 2 on a bad expected-config file or one without a connector, naming the flag", () => {
        const notJson = path.join(tmpDir, "not.json");
        fs.writeFileSync(notJson, "flush.size=200");
        const list = path.join(tmpDir, "list.json");
        fs.writeFileSync(list, "[1, 2]");
        for (const [args, message] of [
            [
                ["--connector", "c", "--expected-config", path.join(tmpDir, "missing.json")],
                /--expected-config .*missing\.json: no such file/,
            ],
            [["--connector", "c", "--expected-config", notJson], /--expected-config .*not\.json: not JSON/],
            [
                ["--connector", "c", "--expected-config", list],
                /--expected-config .*list\.json: expected a JSON map of connector keys to string values/,
            ],
            [["--expected-config", list], /--expected-config needs --connector/],
            [["--connector", ""], /--connector must not be empty/],
            [
                ["--connector", "c", "--kafkaconnect-endpoint", "localhost:1"],
                /--kafkaconnect-endpoint must be an http\(s\):\/\/host\[:port\] URL/,
            ],
        ] as [string[], RegExp][]) {
            assert.throws(() => parseVerifyArgs([...cliBucket(), ...args]), message);
        }
    });

    it("refuses a stack whose prefix lacks its trailing /, naming msk-s3-sink:verifyPrefix", () => {
        withStack("badprefix", { ...devConfig(), "msk-s3-sink:verifyPrefix": "topics/salesdb.salesdb.CUSTOMER/partition=1" }, () => {
            assert.throws(
                () => parseVerifyArgs(["--stack", "badprefix"]),
                /msk-s3-sink:verifyPrefix.*expected a prefix ending in "\/".*Fix: set msk-s3-sink:verifyPrefix to "topics\/salesdb\.salesdb\.CUSTOMER\/partition=1\/"/,
            );
        });
    });

    it("refuses a stack whose settings for the check are secure values it cannot decrypt, naming each, and not one whose others are", () => {
        const secure = { secure: "v1:AAAAbm90LXJlYWwtY2lwaGVydGV4dA==" };
        withStack("securecheck", { ...devConfig(), "msk-s3-sink:connectorName": secure, "aws:profile": secure }, () => {
            assert.throws(
                () => parseVerifyArgs(["--stack", "securecheck"]),
                /--stack securecheck: aws:profile, msk-s3-sink:connectorName are secure values in Pulumi\.securecheck\.yaml.*cannot decrypt\. Run it with --bucket B --prefix P instead of --stack, giving for each: aws:profile → AWS_PROFILE=<name> in the environment; msk-s3-sink:connectorName → --connector NAME/,
            );
        });
        withStack("securecheck", { ...devConfig(), "msk-s3-sink:accountId": secure }, () => {
            assert.throws(() => parseVerifyArgs(["--stack", "securecheck"]), /msk-s3-sink:accountId is a secure value/);
        });
        const named = { ...devConfig(), "msk-s3-sink:accountId": secure, "msk-s3-sink:targetBucket": "sink-bucket-example" };
        withStack("securecheck", { ...named, "msk-s3-sink:pluginUrl": secure }, () => {
            assert.strictEqual(parseVerifyArgs(["--stack", "securecheck"]).options.bucket, "sink-bucket-example");
        });
    });

    it("refuses a stack whose sink the check cannot read, even with its verify off, and takes one it can", () => {
        const extra = (config: Record<string, string>) => ({
            ...devConfig(),
            "msk-s3-sink:verify": false,
            "msk-s3-sink:extraConnectorConfig": { "behavior.on.null.values": "ignore", ...config },
        });
        withStack("unreadable", extra({ "format.class": "io.confluent.connect.s3.format.avro.AvroFormat" }), () => {
            assert.throws(
                () => parseVerifyArgs(["--stack", "unreadable"]),
                (e: Error) =>
                    /--stack unreadable: the check cannot read this stack's sink:\n  - msk-s3-sink:verify: the verification reads JSON Lines.*AvroFormat.*wait out its --timeout\. Fix: check this sink's objects another way/.test(
                        e.message,
                    ) && !/set msk-s3-sink:verify to false|verifyTimeoutSeconds/.test(e.message),
            );
        });
        const daily = {
            "partitioner.class": "io.confluent.connect.storage.partitioner.DailyPartitioner",
            locale: "en-US",
            timezone: "UTC",
        };
        withStack("unreadable", extra(daily), () => {
            assert.throws(
                () => parseVerifyArgs(["--stack", "unreadable"]),
                /msk-s3-sink:verifyPrefix: required with partitioner\.class DailyPartitioner.*or run with --bucket B --prefix topics\/salesdb\.salesdb\.CUSTOMER\/ instead of --stack/,
            );
        });
        withStack("unreadable", { ...extra(daily), "msk-s3-sink:verifyPrefix": "topics/salesdb.salesdb.CUSTOMER/" }, () => {
            assert.strictEqual(parseVerifyArgs(["--stack", "unreadable"]).options.prefix, "topics/salesdb.salesdb.CUSTOMER/");
        });
    });

    it("refuses a stack that imports ESC environments, whose settings it cannot read", () => {
        withStack("escverify", { ...devConfig() }, () => {
            const file = path.join(ROOT, "Pulumi.escverify.yaml");
            fs.writeFileSync(file, `environment:\n  - acme/prod-buckets\n${fs.readFileSync(file, "utf8")}`);
            assert.throws(
                () => parseVerifyArgs(["--stack", "escverify"]),
                /--stack escverify: Pulumi\.escverify\.yaml imports the Pulumi ESC environment\(s\) acme\/prod-buckets, which verify cannot read.*--bucket B --prefix P/,
            );
        });
    });

    it("answers --json with JSON on stdout for a bad stack too, and takes -h as another flag's value for an argument error", () => {
        withStack("badjson", { ...devConfig(), "msk-s3-sink:tasksMax": 0 }, () => {
            const r = run("verify.ts", ["--stack", "badjson", "--json"]);
            assert.strictEqual(r.status, 2);
            const out = JSON.parse(r.stdout) as { verified: boolean; kind: string; problems: { key: string }[] };
            assert.deepStrictEqual(
                [out.verified, out.kind, out.problems.map((p) => p.key)],
                [false, "bad-input", ["msk-s3-sink:tasksMax"]],
            );
        });
        const ambiguous = run("verify.ts", ["--bucket", "b", "--prefix", "topics/t/", "--query", "-h"]);
        assert.strictEqual(ambiguous.status, 2);
        assert.strictEqual(ambiguous.stdout, "");
    });

    it("prints its usage on --help (exit 0), and says a stack with problems was not checked (exit 2)", () => {
        const help = run("verify.ts", ["--help"]);
        assert.strictEqual(help.status, 0);
        assert.match(help.stdout, /^usage: npm run verify -- \[--help\] \(--stack NAME/);
        // Every flag on a line of its own, as docs/commands.md lists them.
        for (const flag of VERIFY_FLAGS) assert.match(help.stdout, new RegExp(`^ {2}(-h, )? *--${flag}\\b.* {2}\\S`, "m"), flag);
        // As the user types them: a negative time-out, joined or not, is told to be positive; a misspelt flag gets the one meant.
        for (const timeout of [["--timeout", "-3"], ["--timeout=-3"]]) {
            const neg = run("verify.ts", ["--bucket", "b", "--prefix", "p/", ...timeout]);
            assert.strictEqual(neg.status, 2, neg.stderr);
            assert.match(neg.stderr, /^verify: --timeout must be a positive number of seconds; got -3\n/);
        }
        const typo = run("verify.ts", ["--stack", "dev", "--conector", "sink-a"]);
        assert.strictEqual(typo.status, 2, typo.stderr);
        assert.match(typo.stderr, /^verify: unknown flag --conector; did you mean --connector\?\n/);
        withStack("badverify", { ...devConfig(), "msk-s3-sink:tasksMax": 0 }, () => {
            const r = run("verify.ts", ["--stack", "badverify"]);
            assert.strictEqual(r.status, 2);
            assert.match(
                r.stderr,
                /^verify: Stack "badverify" has 1 configuration problem; nothing was checked:\n {2}- msk-s3-sink:tasksMax/,
            );
        });
    });

    it("exits 2 on bad arguments, naming each flag", () => {
        const r = run("verify.ts", [
            "--bucket",
            "b",
            "--prefix",
            "topics/t/partition=1",
            "--query",
            "",
            "--min-records",
            "1.5",
            "--timeout",
            "0",
        ]);
        assert.strictEqual(r.status, 2);
        assert.match(r.stderr, /^verify: --prefix must end with "\/"/m);
        assert.match(r.stderr, /^--query must not be empty/m);
        assert.match(r.stderr, /^--min-records must be a whole number of records, 0 or more; got 1\.5/m);
        assert.match(r.stderr, /^--timeout must be a number of seconds greater than 0; got 0/m);
        assert.match(r.stderr, /^usage: npm run verify/m);
        const r2 = run("verify.ts", ["--stack", "nosuchstack"]);
        assert.strictEqual(r2.status, 2);
        assert.match(r2.stderr, /no settings file Pulumi\.nosuchstack\.yaml/);
    });

    it("refuses other bad arguments before it runs, naming the flag", () => {
        const bad: [string[], RegExp][] = [
            [["--bucket", "b"], /give --stack NAME, or both --bucket and --prefix/],
            [["--bucket", "b", "--prefix", "p/", "--method", "athena"], /--method must be auto, select or get; got "athena"/],
            [["--bucket", "b", "--prefix", "p/", "--timeout", "soon"], /--timeout must be a number; got "soon"/],
            [["--bucket", "b", "--prefix", "p/", "--poll", "0"], /--poll must be a number of seconds greater than 0/],
            [["--bucket", "b", "--prefix", "p/", "--request-timeout=-1"], /--request-timeout must be a positive number of seconds; got -1/],
            [["--bucket", "b", "--prefix", "p/", "--timeout", "-3"], /--timeout must be a positive number of seconds; got -3$/],
            [
                ["--bucket", "b", "--prefix", "p/", "--min-records", "-1"],
                /--min-records must be a whole number of records, 0 or more; got -1/,
            ],
            [["--bucket", "b", "--prefix", "p/", "--conector", "x"], /: unknown flag --conector; did you mean --connector\?$/],
            [
                ["--bucket", "Plainb", "--prefix", "p/"],
                /--bucket "Plainb": expected an S3 bucket name.*Did you mean "plainb"\? \(S3 bucket names are lower case\.\)/,
            ],
            [["--bucket", "b", "--prefix", "p/", "--region", "us-est"], /--region must be an AWS region such as us-east-2; got "us-est"/],
            [["--bucket", "", "--prefix", "p/"], /--bucket must name the target bucket/],
            [["--bucket", "b", "--prefix", "p/", "--file-delim", ""], /--file-delim must not be empty/],
            [
                ["--bucket", "b", "--prefix", "p/", "--query", "SELECT * FROM s3object s WHERE s.op LIKE 'c%'"],
                /--query cannot be evaluated without S3 Select: LIKE is not supported/,
            ],
            [["--stack", "dev", "--gzip"], /--gzip and --file-delim come from the stack's connector configuration/],
            [["--bucket", "b", "--prefix", "p/", "extra"], /Unexpected argument 'extra'/],
        ];
        for (const [args, message] of bad) assert.throws(() => parseVerifyArgs(args), message, args.join(" "));
        const ok = parseVerifyArgs([
            "--bucket",
            "b",
            "--prefix",
            "p/",
            "--gzip",
            "--file-delim",
            "_",
            "--query",
            "SELECT UPPER(s.op) FROM s3object s",
            "--method",
            "select",
        ]);
        assert.deepStrictEqual(ok.options.keyFormat, { directoryDelim: "/", fileDelim: "_", extension: ".json.gz" });
    });

    it("prints progress only to a terminal", () => {
        const lines: string[] = [];
        const tty = progressTo({ isTTY: true, write: (t: string) => lines.push(t) });
        tty?.("waiting for a sink object: 3 s of 900 s, 1 listing(s)");
        assert.deepStrictEqual(lines, ["… waiting for a sink object: 3 s of 900 s, 1 listing(s)\n"]);
        assert.strictEqual(progressTo({ isTTY: false, write: () => true }), undefined);
        assert.strictEqual(progressTo({ write: () => true }), undefined);
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
