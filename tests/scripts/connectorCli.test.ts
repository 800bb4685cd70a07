import * as assert from "assert";
import * as child_process from "child_process";
import * as path from "path";
import { LocalKafkaConnectApi, startKafkaConnectApi, useLocalCredentials } from "../../offline";
import { CONNECTOR_FLAGS, connectorCli, parseConnectorArgs } from "../../scripts/connector";
import { ROOT } from "../helpers";

describe("npm run connector", function () {
    let api: LocalKafkaConnectApi;

    before(async () => {
        useLocalCredentials();
        api = await startKafkaConnectApi({ operationMs: 60 });
    });
    after(async () => api?.stop());

    const cli = (...argv: string[]) =>
        connectorCli([
            ...argv,
            "--endpoint",
            api.endpoint,
            "--cloudwatch-endpoint",
            "http://127.0.0.1:9",
            "--poll",
            "0.02",
            "--timeout",
            "5",
        ]);

    it("pauses and resumes by ARN (its region from the ARN), waiting by default, exit 0", async () => {
        const arn = api.addConnector({ connectorName: "cli-sink", connectorConfiguration: {} });
        const paused = await cli("pause", "--connector", arn);
        assert.strictEqual(paused.code, 0, paused.stderr);
        assert.match(paused.stdout, /^pause of cli-sink done: PAUSE_COMPLETE; the connector is PAUSED/);
        const resumed = await cli("resume", "--connector", arn, "--json");
        const json = JSON.parse(resumed.stdout);
        assert.deepStrictEqual([json.ok, json.operationState, json.connectorState], [true, "RESUME_COMPLETE", "RUNNING"]);
    });

    it("refuses before AWS with exit 1, the reason and what to do on stderr", async () => {
        const arn = api.addConnector({ connectorName: "cli-refuse", connectorConfiguration: {} });
        const r = await cli("restart", "--only-failed-tasks", "--connector", arn);
        assert.strictEqual(r.code, 1);
        assert.strictEqual(r.stdout, "");
        assert.match(r.stderr, /^restart \(refused\): not sent to AWS: restarting only the failed tasks needs Kafka Connect 3\.7 or later/);
        const j = JSON.parse((await cli("restart", "--only-failed-tasks", "--connector", arn, "--json")).stdout);
        assert.deepStrictEqual([j.ok, j.kind, j.details.state], [false, "refused", "RUNNING"]);
    });

    it("starts without waiting with --no-wait", async () => {
        const arn = api.addConnector({ connectorName: "cli-nowait", connectorConfiguration: {} });
        const r = await cli("restart", "--connector", arn, "--no-wait");
        assert.strictEqual(r.code, 0);
        assert.match(r.stdout, /^restart of cli-nowait started \(not waited for\)/);
    });

    it("prints status with the verdict first and says what it could not read; exit 1 for a failed connector", async () => {
        const arn = api.addConnector({
            connectorName: "cli-status",
            connectorConfiguration: {},
            logGroup: "/msk/cli",
            states: [{ connectorState: "FAILED", stateDescription: { code: "NetworkError", message: "no route to S3" } }],
        });
        const r = await cli("status", "--connector", arn);
        assert.strictEqual(r.code, 1);
        const lines = r.stdout.split("\n");
        assert.strictEqual(lines[0], "failed: connector cli-status is FAILED (NetworkError: no route to S3)");
        assert.match(r.stdout, /tasks: {6}not read; CloudWatch could not be read/);
        assert.match(r.stdout, /newest object: not looked for: give --stack/);
        assert.doesNotMatch(r.stdout, /not found/);
        assert.match(r.stdout, /logs: {7}\/msk\/cli \(https:/);
    });

    it("says which call could not succeed when MSK Connect is unreachable, without a resource of *", async () => {
        const r = await connectorCli([
            "status",
            "--connector",
            "sink-a",
            "--region",
            "us-east-1",
            "--endpoint",
            "http://127.0.0.1:9",
            "--timeout",
            "0.5",
        ]);
        assert.strictEqual(r.code, 1);
        assert.match(r.stderr, /^status \(unreachable\): ListConnectors did not succeed within the check's 0\.5 s deadline: cannot reach/);
        assert.doesNotMatch(r.stderr, /on \*/);
    });

    it("exits 1 naming a connector that does not exist", async () => {
        const r = await cli("status", "--connector", "nope", "--region", "us-east-1");
        assert.strictEqual(r.code, 1);
        assert.match(r.stderr, /status \(connector-not-found\): no connector named "nope"/);
    });

    it("refuses bad arguments with exit 2 and the usage", async () => {
        for (const argv of [
            ["stop", "--connector", "x"],
            ["pause"],
            ["pause", "--connector", "x", "--stack", "dev"],
            ["pause", "--only-failed-tasks", "--connector", "x"],
            ["status", "--connector", "x", "--timeout", "0"],
        ]) {
            const r = await connectorCli(argv);
            assert.strictEqual(r.code, 2, argv.join(" "));
            assert.match(r.stderr, /usage: npm run connector/);
        }
        assert.throws(() => parseConnectorArgs(["status", "--connector", "name-only"], {}), /give --region R/);
    });

    it("reads the connector, region and sink prefix from the stack with --stack", () => {
        const a = parseConnectorArgs(["status", "--stack", "dev"], {});
        assert.strictEqual(a.connector, "confluentinc-kafka-connect-s3");
        assert.match(a.sink?.bucket ?? "", /^msk-lab-\d{12}-target-bucket$/);
        assert.strictEqual(a.sink?.prefix, "topics/salesdb.salesdb.CUSTOMER/partition=0/");
    });

    it("prints the usage and every flag, a line each, with --help, exit 0", async () => {
        const help = await connectorCli(["--help"]);
        assert.strictEqual(help.code, 0);
        assert.match(help.stdout, /^usage: npm run connector -- /);
        for (const flag of CONNECTOR_FLAGS) assert.match(help.stdout, new RegExp(`^ {2}(-h, )? *--${flag}\\b.* {2}\\S`, "m"), flag);
    });

    it("answers a misspelt flag or command with the one it most likely meant, and a negative time-out as such (exit 2)", async () => {
        const cases: [string[], RegExp][] = [
            [["status", "--conector", "sink-a"], /^connector: unknown flag --conector; did you mean --connector\?\n/],
            [["stauts", "--connector", "sink-a"], /^connector: unknown command "stauts"; did you mean status\?\n/],
            [
                ["status", "--connector", "sink-a", "--region", "us-east-1", "--timeout", "-3"],
                /--timeout must be a number of seconds above 0; got "-3"/,
            ],
        ];
        for (const [argv, message] of cases) {
            const r = await connectorCli(argv);
            assert.strictEqual(r.code, 2, argv.join(" "));
            assert.match(r.stderr, message);
        }
    });

    it("pause and resume are idempotent: already there, exit 0, nothing to do; --json has one shape with ok", async () => {
        const arn = api.addConnector({ connectorName: "cli-already", connectorConfiguration: {}, states: [{ connectorState: "PAUSED" }] });
        const r = await cli("pause", "--connector", arn);
        assert.strictEqual(r.code, 0, r.stderr);
        assert.strictEqual(r.stdout, "cli-already is already paused (PAUSED): nothing to do, nothing was sent\n");
        const j = JSON.parse((await cli("pause", "--connector", arn, "--json")).stdout);
        assert.deepStrictEqual([j.ok, j.alreadyDone, j.operationArn], [true, true, undefined]);
        const s = JSON.parse((await cli("status", "--connector", arn, "--json")).stdout);
        assert.deepStrictEqual([s.ok, s.verdict], [true, "paused"]);
        const bad = JSON.parse((await connectorCli(["status", "--json"])).stdout);
        assert.deepStrictEqual([bad.ok, bad.kind], [false, "bad-input"]);
    });

    it("names the user's target in every command it suggests, and no pulumi refresh for --connector", async () => {
        const arn = api.addConnector({ connectorName: "cli-target", connectorConfiguration: {}, states: [{ connectorState: "PAUSED" }] });
        const refused = await cli("restart", "--connector", "cli-target", "--region", "us-east-1");
        assert.strictEqual(refused.code, 1);
        assert.match(
            refused.stderr,
            new RegExp(
                `\`npm run connector -- resume --connector cli-target --region us-east-1 --endpoint ${api.endpoint.replace(/[.]/g, "\\.")}\``,
            ),
        );
        const started = await cli("resume", "--connector", arn, "--no-wait");
        assert.match(
            started.stdout,
            /follow it with `npm run connector -- status --connector arn:aws:kafkaconnect:\S+ --endpoint http:\/\/127\.0\.0\.1:\d+`/,
        );
        api.deleteConnector(arn);
        const gone = await cli("status", "--connector", arn);
        assert.strictEqual(gone.code, 1);
        assert.match(gone.stderr, /^status \(connector-not-found\): no connector arn:/);
        assert.doesNotMatch(gone.stderr, /pulumi refresh/);
        const args = parseConnectorArgs(["status", "--stack", "dev"], {});
        assert.strictEqual(args.commandTarget, "--stack dev");
    });

    it("runs as npm run connector's script: a bad command exits 2 with JSON on stdout", () => {
        const tsx = path.join(ROOT, "node_modules", ".bin", "tsx");
        const bad = child_process.spawnSync(tsx, [path.join(ROOT, "scripts", "connector.ts"), "explode", "--json", "--connector", "x"], {
            encoding: "utf8",
            timeout: 20000,
        });
        assert.strictEqual(bad.status, 2);
        assert.strictEqual(JSON.parse(bad.stdout).kind, "bad-input");
    });

    it("runs as npm run connector's script without the AWS SDK's NodeVersionSupportWarning (on a pipe: nothing; verify's one-time note on a terminal)", async () => {
        const arn = api.addConnector({ connectorName: "cli-node-note", connectorConfiguration: {} });
        const tsx = path.join(ROOT, "node_modules", ".bin", "tsx");
        const r = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
            child_process.execFile(
                tsx,
                [
                    path.join(ROOT, "scripts", "connector.ts"),
                    "status",
                    "--connector",
                    arn,
                    "--endpoint",
                    api.endpoint,
                    "--cloudwatch-endpoint",
                    "http://127.0.0.1:9",
                    "--timeout",
                    "5",
                ],
                { encoding: "utf8", timeout: 30000, env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "" } },
                (error, stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
            );
        });
        assert.strictEqual(r.code, 1, r.stderr); // unchecked: no task counts read
        assert.match(r.stdout, /^unchecked: connector cli-node-note is RUNNING/);
        assert.doesNotMatch(r.stderr, /NodeVersionSupportWarning|Node\.js version/);
    });
});
