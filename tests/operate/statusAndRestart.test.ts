import * as assert from "assert";
import { CloudWatchClient, PutMetricAlarmCommand, PutMetricDataCommand, SetAlarmStateCommand } from "@aws-sdk/client-cloudwatch";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { GetParameterCommand, PutParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { LocalKafkaConnectApi, LocalS3, startKafkaConnectApi, startMoto } from "../../offline";
import { connectorStatus, RestartFunctionConfig, runAutoRestart, withKafkaConnect } from "../../operate";
import { describeStatus } from "../../scripts/connector";

const REGION = "us-east-1";
const MINUTE = 60_000;

describe("status and the auto-restart function against the MSK Connect stand-in and moto (CloudWatch, S3, SSM)", function () {
    this.timeout(30000);
    let api: LocalKafkaConnectApi;
    let moto: LocalS3;
    let cw: CloudWatchClient;
    let ssm: SSMClient;

    before(async () => {
        moto = await startMoto();
        api = await startKafkaConnectApi({ operationMs: 50 });
        cw = new CloudWatchClient({ region: REGION, endpoint: moto.endpoint });
        ssm = new SSMClient({ region: REGION, endpoint: moto.endpoint });
    });
    after(async () => {
        cw?.destroy();
        ssm?.destroy();
        await api?.stop();
        await moto?.stop();
    });

    const putCounts = (name: string, running: number, errored: number) =>
        cw.send(
            new PutMetricDataCommand({
                Namespace: "AWS/KafkaConnect",
                MetricData: [
                    {
                        MetricName: "RunningTaskCount",
                        Dimensions: [{ Name: "ConnectorName", Value: name }],
                        Value: running,
                        Timestamp: new Date(),
                    },
                    {
                        MetricName: "ErroredTaskCount",
                        Dimensions: [{ Name: "ConnectorName", Value: name }],
                        Value: errored,
                        Timestamp: new Date(),
                    },
                ],
            }),
        );
    const status = (arn: string, sink?: { bucket: string; prefix: string }) =>
        withKafkaConnect(
            { connector: arn, region: REGION, endpoint: api.endpoint, timeoutSeconds: 10, pollIntervalSeconds: 0.02 },
            (ctx, a) =>
                connectorStatus(ctx, a, {
                    cloudWatchEndpoint: moto.endpoint,
                    s3Endpoint: moto.endpoint,
                    ...(sink ? { sink: { ...sink, keyFormat: { directoryDelim: "/", fileDelim: "+", extension: ".json" } } } : {}),
                }),
        );

    it("calls a RUNNING connector with errored tasks degraded, with capacity, version, operations, task counts, the newest object and links", async () => {
        const arn = api.addConnector({
            connectorName: "status-degraded",
            connectorConfiguration: {},
            logGroup: "/msk/status",
            kafkaConnectVersion: "3.7.x",
            capacity: {
                autoScaling: {
                    mcuCount: 1,
                    minWorkerCount: 1,
                    maxWorkerCount: 2,
                    scaleInPolicy: { cpuUtilizationPercentage: 20 },
                    scaleOutPolicy: { cpuUtilizationPercentage: 80 },
                },
            },
            operations: [
                {
                    states: ["UPDATE_FAILED"],
                    creationTime: "2026-01-02T00:00:00Z",
                    errorInfo: { code: "ValidationFailed", message: "bad key" },
                    operationSteps: [{ stepType: "VALIDATE_UPDATE", stepState: "FAILED" }],
                },
                { states: ["UPDATE_COMPLETE"], creationTime: "2026-01-01T00:00:00Z" },
            ],
        });
        await putCounts("status-degraded", 1, 1);
        const s3 = new S3Client({ region: REGION, endpoint: moto.endpoint, forcePathStyle: true });
        await s3.send(new CreateBucketCommand({ Bucket: "status-bucket" }));
        for (const offset of ["0000000000", "0000000200"]) {
            await s3.send(
                new PutObjectCommand({
                    Bucket: "status-bucket",
                    Key: `topics/t/partition=0/t+0+${offset}.json`,
                    Body: Buffer.from("{}\n"),
                }),
            );
        }
        await s3.send(new PutObjectCommand({ Bucket: "status-bucket", Key: "topics/t/partition=0/_SUCCESS", Body: Buffer.alloc(0) }));
        s3.destroy();

        const s = await status(arn, { bucket: "status-bucket", prefix: "topics/t/partition=0/" });
        assert.strictEqual(s.verdict, "degraded");
        assert.match(
            s.verdictLine,
            /^degraded: connector status-degraded is RUNNING but 1 task\(s\) have failed; tasks: 1 running, 1 errored/,
        );
        assert.strictEqual(s.capacity, "autoscaling, 1-2 workers of 1 MCU (scale in below 20 % CPU, out above 80 %)");
        assert.strictEqual(s.kafkaConnectVersion, "3.7.x");
        assert.deepStrictEqual(
            s.operations.map((o) => [o.type, o.state, o.creationTime, o.failedSteps, o.errorInfo?.code]),
            [
                [
                    "UPDATE_CONNECTOR_CONFIGURATION",
                    "UPDATE_FAILED",
                    "2026-01-02T00:00:00.000Z",
                    ["VALIDATE_UPDATE FAILED"],
                    "ValidationFailed",
                ],
                ["UPDATE_CONNECTOR_CONFIGURATION", "UPDATE_COMPLETE", "2026-01-01T00:00:00.000Z", [], undefined],
            ],
        );
        assert.deepStrictEqual([s.tasks.running, s.tasks.errored], [1, 1]);
        assert.strictEqual(s.newestObject.checked, true);
        assert.strictEqual(s.newestObject.sinkObjects, 2, "_SUCCESS is not a sink object");
        assert.match(s.newestObject.key ?? "", /t\+0\+\d{10}\.json$/);
        assert.ok((s.newestObject.ageSeconds ?? -1) >= 0 && (s.newestObject.ageSeconds ?? 99) < 60);
        assert.match(s.consoleUrl, /^https:\/\/us-east-1\.console\.aws\.amazon\.com\/msk\/home/);
        assert.strictEqual(s.logGroupName, "/msk/status");
        assert.match(s.logGroupUrl ?? "", /log-groups\/log-group\/\$252Fmsk\$252Fstatus$/);
    });

    it("names the key it skipped when no sink object is under the prefix (a .json.gz where .json is written), as verify does", async () => {
        const arn = api.addConnector({ connectorName: "status-gz-only", connectorConfiguration: {} });
        await putCounts("status-gz-only", 1, 0);
        const s3 = new S3Client({ region: REGION, endpoint: moto.endpoint, forcePathStyle: true });
        await s3.send(new CreateBucketCommand({ Bucket: "status-gz-bucket" }));
        const key = "topics/t/partition=0/t+0+0000000000.json.gz";
        await s3.send(new PutObjectCommand({ Bucket: "status-gz-bucket", Key: key, Body: Buffer.from("x") }));
        s3.destroy();
        const s = await status(arn, { bucket: "status-gz-bucket", prefix: "topics/t/partition=0/" });
        assert.strictEqual(s.verdict, "healthy");
        assert.deepStrictEqual([s.newestObject.checked, s.newestObject.sinkObjects, s.newestObject.skippedKeys], [true, 0, 1]);
        assert.strictEqual(s.newestObject.skippedExample?.key, key);
        const line = describeStatus(s)
            .split("\n")
            .find((l) => l.startsWith("  newest object:"));
        assert.match(
            line ?? "",
            /^ {2}newest object: no sink object under s3:\/\/status-gz-bucket\/topics\/t\/partition=0\/; 1 key\(s\) there were skipped as not sink objects, e\.g\. topics\/t\/partition=0\/t\+0\+0000000000\.json\.gz \(.+\)$/,
        );
        assert.doesNotMatch(line ?? "", /not found|not looked for/);
    });

    it("says what it could not read: no metrics yet, the sink not looked for", async () => {
        const arn = api.addConnector({ connectorName: "status-quiet", connectorConfiguration: {} });
        const s = await status(arn);
        assert.strictEqual(s.verdict, "unchecked", "no task count read: never healthy");
        assert.match(s.verdictLine, /^unchecked: .*tasks not checked/);
        assert.deepStrictEqual([s.tasks.running, s.tasks.errored], [null, null]);
        assert.match(
            s.tasks.note ?? "",
            /no ErroredTaskCount or RunningTaskCount data point in AWS\/KafkaConnect for ConnectorName=status-quiet/,
        );
        assert.deepStrictEqual(s.newestObject.checked, false);
        assert.match(s.newestObject.note ?? "", /give --stack/);
        assert.strictEqual(s.logGroupName, null);
    });

    it("says so when CloudWatch cannot be reached, instead of reading it as zero", async () => {
        const arn = api.addConnector({ connectorName: "status-offline", connectorConfiguration: {} });
        const s = await withKafkaConnect({ connector: arn, region: REGION, endpoint: api.endpoint, timeoutSeconds: 5 }, (ctx, a) =>
            connectorStatus(ctx, a, { cloudWatchEndpoint: "http://127.0.0.1:9" }),
        );
        assert.deepStrictEqual([s.tasks.running, s.tasks.errored], [null, null]);
        assert.match(s.tasks.note ?? "", /CloudWatch could not be read/);
    });

    describe("the auto-restart function", () => {
        async function setUp(name: string, kafkaConnectVersion = "3.7.x"): Promise<RestartFunctionConfig> {
            const connectorArn = api.addConnector({ connectorName: name, connectorConfiguration: {}, kafkaConnectVersion });
            await cw.send(
                new PutMetricAlarmCommand({
                    AlarmName: `${name}-errored-tasks`,
                    Namespace: "AWS/KafkaConnect",
                    MetricName: "ErroredTaskCount",
                    Dimensions: [{ Name: "ConnectorName", Value: name }],
                    Statistic: "Maximum",
                    Period: 60,
                    EvaluationPeriods: 1,
                    Threshold: 0,
                    ComparisonOperator: "GreaterThanThreshold",
                }),
            );
            await ssm.send(new PutParameterCommand({ Name: `/msk-s3-sink/${name}/auto-restart`, Value: "{}", Type: "String" }));
            return {
                connectorArn,
                alarmName: `${name}-errored-tasks`,
                parameterName: `/msk-s3-sink/${name}/auto-restart`,
                maxRestarts: 2,
                region: REGION,
                pollIntervalSeconds: 0.05,
                endpoints: { kafkaconnect: api.endpoint, cloudwatch: moto.endpoint, ssm: moto.endpoint },
            };
        }
        const alarm = (cfg: RestartFunctionConfig, state: "ALARM" | "OK") =>
            cw.send(new SetAlarmStateCommand({ AlarmName: cfg.alarmName, StateValue: state, StateReason: "test" }));
        const stored = async (cfg: RestartFunctionConfig) =>
            JSON.parse((await ssm.send(new GetParameterCommand({ Name: cfg.parameterName }))).Parameter?.Value ?? "");
        const restarts = (cfg: RestartFunctionConfig) =>
            api.calls.filter((c) => c.operation === "RestartConnector" && c.path.includes(encodeURIComponent(cfg.connectorArn)));
        const settle = () => new Promise((r) => setTimeout(r, 80));

        it("restarts only the failed tasks at once, keeps the count in its parameter, backs off, and stops at maxRestarts", async () => {
            const cfg = await setUp("auto-recent");
            const t0 = Date.parse("2026-03-01T03:00:00Z");
            await alarm(cfg, "ALARM");
            const first = await runAutoRestart(cfg, t0);
            assert.strictEqual(first.action, "restart");
            assert.match(first.operationArn ?? "", /connector-operation/);
            assert.deepStrictEqual(
                restarts(cfg).map((c) => c.query),
                [{ onlyFailedTasks: "true" }],
            );
            assert.deepStrictEqual(await stored(cfg), { restarts: 1, lastRestartAt: t0 });
            await settle();
            const early = await runAutoRestart(cfg, t0 + 1 * MINUTE);
            assert.strictEqual(early.action, "none");
            assert.match(early.reason, /back-off: restart 2 is due at 2026-03-01T03:02:00\.000Z/);
            assert.strictEqual((await runAutoRestart(cfg, t0 + 2 * MINUTE)).action, "restart");
            await settle();
            const done = await runAutoRestart(cfg, t0 + 200 * MINUTE);
            assert.strictEqual(done.action, "none");
            assert.match(done.reason, /left for a person/);
            assert.strictEqual(restarts(cfg).length, 2);
        });

        it("restarts the whole connector on Kafka Connect 2.7.1, and never while another operation runs", async () => {
            const cfg = await setUp("auto-old", "2.7.1");
            api.scriptNextOperation(cfg.connectorArn, { durationMs: 60_000 });
            await alarm(cfg, "ALARM");
            const t0 = Date.parse("2026-03-01T03:00:00Z");
            assert.strictEqual((await runAutoRestart(cfg, t0)).action, "restart");
            assert.deepStrictEqual(
                restarts(cfg).map((c) => c.query),
                [{ onlyFailedTasks: "false" }],
            );
            const busy = await runAutoRestart(cfg, t0 + 30 * MINUTE);
            assert.strictEqual(busy.action, "none");
            assert.match(busy.reason, /the connector is RESTARTING, not RUNNING|another operation is in progress/);
            assert.strictEqual(restarts(cfg).length, 1);
        });

        it("retries a throttled restart, and fails the invocation, keeping its count, when the connector was deleted", async () => {
            const cfg = await setUp("auto-throttled");
            await alarm(cfg, "ALARM");
            api.injectFault({ fault: 429, times: 1, operation: "RestartConnector" });
            const t0 = Date.parse("2026-03-01T03:00:00Z");
            assert.strictEqual((await runAutoRestart(cfg, t0)).action, "restart");
            assert.deepStrictEqual(
                restarts(cfg).map((c) => c.answered),
                [429, 200],
            );
            await settle();
            api.deleteConnector(cfg.connectorArn);
            await assert.rejects(runAutoRestart(cfg, t0 + 5 * MINUTE), /no connector .*auto-throttled/);
            assert.deepStrictEqual(await stored(cfg), { restarts: 1, lastRestartAt: t0 });
        });

        it("does nothing while the alarm is OK, and resets the count after the healthy period", async () => {
            const cfg = await setUp("auto-reset");
            await ssm.send(
                new PutParameterCommand({
                    Name: cfg.parameterName,
                    Value: JSON.stringify({ restarts: 2, lastRestartAt: 0 }),
                    Type: "String",
                    Overwrite: true,
                }),
            );
            await alarm(cfg, "OK");
            const t0 = Date.parse("2026-03-01T03:00:00Z");
            assert.strictEqual((await runAutoRestart(cfg, t0)).restarts, 2);
            const reset = await runAutoRestart(cfg, t0 + 10 * MINUTE);
            assert.strictEqual(reset.restarts, 0);
            assert.deepStrictEqual(await stored(cfg), { restarts: 0 });
            assert.strictEqual(restarts(cfg).length, 0);
        });
    });
});
