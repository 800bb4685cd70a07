import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { autoRestartHandler, autoRestartNames, restartFunctionPolicy } from "../../components";
import { useLocalCredentials } from "../../offline";
import { checkProgram } from "../../policy/rules";
import { devRaw, downloadWrites, fakeArtifact, optionsRecorder, renderProgram, settingsFrom } from "../helpers";
import { logged } from "../setup";

const STATE = "pulumi-nodejs:dynamic/operate:ConnectorState";
const GUARD = "pulumi-nodejs:dynamic/operate:ConnectorChangeGuard";
const VERIFICATION = "pulumi-nodejs:dynamic/verification:SinkVerification";

describe("the connector's state and auto-restart, rendered under the mock runtime", function () {
    this.timeout(60000);
    const artifact = fakeArtifact();
    const account = devRaw()["msk-s3-sink:accountId"];
    const topic = `arn:aws:sns:us-east-2:${account}:oncall`;

    async function render(overrides: Record<string, string>) {
        const rec = optionsRecorder();
        const r = await renderProgram(
            settingsFrom(devRaw({ ...artifact.overrides, ...overrides })),
            { onRun: downloadWrites(artifact.content) },
            false,
            {
                transformations: [rec.transformation],
            },
        );
        return { ...r, seen: rec.seen, info: [...logged.info] };
    }

    describe("with autoRestart on and an alarm topic", () => {
        let r: Awaited<ReturnType<typeof render>>;
        before(async () => {
            r = await render({ "msk-s3-sink:autoRestart": '{"enabled": true, "maxRestarts": 4}', "msk-s3-sink:alarmTopicArn": topic });
        });

        it("alarms on ErroredTaskCount under AWS/KafkaConnect for this connector, above 0, notifying the topic", () => {
            const alarm = r.harness.find("aws:cloudwatch/metricAlarm:MetricAlarm", "s3-sink-auto-restart-alarm");
            assert.strictEqual(alarm.inputs.namespace, "AWS/KafkaConnect");
            assert.strictEqual(alarm.inputs.metricName, "ErroredTaskCount");
            assert.deepStrictEqual(alarm.inputs.dimensions, { ConnectorName: "confluentinc-kafka-connect-s3" });
            assert.strictEqual(alarm.inputs.threshold, 0);
            assert.strictEqual(alarm.inputs.comparisonOperator, "GreaterThanThreshold");
            assert.strictEqual(alarm.inputs.treatMissingData, "missing");
            assert.deepStrictEqual(alarm.inputs.alarmActions, [topic]);
        });

        it("scopes the function's role to this connector's ARN, its operations, its alarm, its parameter and its logs", () => {
            const connectorArn = String(r.outputs.connectorArn);
            const policy = JSON.parse(String(r.harness.find("aws:iam/rolePolicy:RolePolicy", "s3-sink-auto-restart-policy").inputs.policy));
            const byAction = Object.fromEntries(
                policy.Statement.flatMap((s: { Action: string | string[]; Resource: string }) =>
                    [s.Action].flat().map((a) => [a, s.Resource]),
                ),
            );
            assert.deepStrictEqual(Object.keys(byAction).sort(), [
                "cloudwatch:DescribeAlarms",
                "kafkaconnect:DescribeConnector",
                "kafkaconnect:DescribeConnectorOperation",
                "kafkaconnect:ListConnectorOperations",
                "kafkaconnect:RestartConnector",
                "logs:CreateLogStream",
                "logs:PutLogEvents",
                "ssm:GetParameter",
                "ssm:PutParameter",
            ]);
            assert.strictEqual(byAction["kafkaconnect:RestartConnector"], connectorArn);
            assert.strictEqual(
                byAction["kafkaconnect:DescribeConnectorOperation"],
                `${connectorArn.replace(":connector/", ":connector-operation/")}/*`,
            );
            assert.strictEqual(
                byAction["cloudwatch:DescribeAlarms"],
                `arn:aws:cloudwatch:us-east-2:${account}:alarm:confluentinc-kafka-connect-s3-errored-tasks`,
            );
            assert.strictEqual(
                byAction["ssm:PutParameter"],
                `arn:aws:ssm:us-east-2:${account}:parameter/msk-s3-sink/dev/confluentinc-kafka-connect-s3/auto-restart`,
            );
            assert.strictEqual(
                byAction["logs:PutLogEvents"],
                `arn:aws:logs:us-east-2:${account}:log-group:/aws/lambda/confluentinc-kafka-connect-s3-auto-restart:*`,
            );
            const trust = JSON.parse(String(r.harness.find("aws:iam/role:Role", "s3-sink-auto-restart-role").inputs.assumeRolePolicy));
            assert.deepStrictEqual(trust.Statement[0].Principal, { Service: "lambda.amazonaws.com" });
            assert.deepStrictEqual(
                r.harness.all("aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) => a.name.startsWith("s3-sink-auto-restart")),
                [],
                "no managed policies: CallbackFunction's defaults are off because the role is given",
            );
        });

        it("deploys the function from the tested code, configured through its environment, run every minute", () => {
            const fn = r.harness.find("aws:lambda/function:Function", "s3-sink-auto-restart-function");
            const env = (fn.inputs.environment as { variables: Record<string, string> }).variables;
            assert.deepStrictEqual(Object.keys(env).sort(), ["ALARM_NAME", "CONNECTOR_ARN", "MAX_RESTARTS", "STATE_PARAMETER"]);
            assert.strictEqual(env.MAX_RESTARTS, "4");
            assert.strictEqual(env.CONNECTOR_ARN, r.outputs.connectorArn);
            assert.strictEqual(fn.inputs.handler, "__index.handler");
            assert.strictEqual(fn.inputs.runtime, "nodejs22.x");
            const rule = r.harness.find("aws:cloudwatch/eventRule:EventRule", "s3-sink-auto-restart-schedule");
            assert.strictEqual(rule.inputs.scheduleExpression, "rate(1 minute)");
            const invoke = r.harness.find("aws:lambda/permission:Permission", "s3-sink-auto-restart-invoke");
            assert.strictEqual(invoke.inputs.principal, "events.amazonaws.com");
            const param = r.harness.find("aws:ssm/parameter:Parameter", "s3-sink-auto-restart-state");
            assert.strictEqual(param.inputs.name, "/msk-s3-sink/dev/confluentinc-kafka-connect-s3/auto-restart");
            assert.deepStrictEqual(r.seen.get("aws:ssm/parameter:Parameter s3-sink-auto-restart-state")?.ignoreChanges, ["value"]);
        });

        it("verifies after the connector and its state", () => {
            const deps = r.seen.get(`${VERIFICATION} sink-verification`)?.dependsOn as pulumi.Resource[];
            assert.strictEqual(deps.length, 2, "the connector and its state");
            assert.strictEqual(r.harness.find(STATE, "s3-sink-state").inputs.desiredState, "running");
        });

        it("passes every policy rule", () => {
            assert.deepStrictEqual(checkProgram(r.harness.resources), []);
        });
    });

    describe("with connectorState paused and auto-restart off (its default)", () => {
        let r: Awaited<ReturnType<typeof render>>;
        before(async () => {
            r = await render({ "msk-s3-sink:connectorState": "paused" });
        });

        it("deploys nothing of auto-restart", () => {
            const types = [
                "aws:cloudwatch/metricAlarm:MetricAlarm",
                "aws:lambda/function:Function",
                "aws:ssm/parameter:Parameter",
                "aws:cloudwatch/eventRule:EventRule",
            ];
            assert.deepStrictEqual(
                types.flatMap((t) => r.harness.all(t)),
                [],
            );
            assert.deepStrictEqual(
                r.harness.resources.filter((x) => x.name.includes("auto-restart")),
                [],
            );
        });

        it("asks for paused with a state resource after the connector and a change guard before it", () => {
            const state = r.harness.find(STATE, "s3-sink-state");
            assert.strictEqual(state.inputs.desiredState, "paused");
            assert.strictEqual(state.inputs.connectorArn, r.outputs.connectorArn);
            const guard = r.harness.find(GUARD, "s3-sink-change-guard");
            assert.strictEqual(guard.inputs.connectorName, "confluentinc-kafka-connect-s3");
            assert.strictEqual(guard.inputs.desiredState, "paused");
            assert.match(String(guard.inputs.changeDigest), /^[0-9a-f]{16}$/);
            assert.ok((r.seen.get("msk-s3-sink:connector:S3SinkConnector s3-sink")?.dependsOn as pulumi.Resource[]).length > 0);
        });

        it("does not run the verification, and says so", () => {
            assert.deepStrictEqual(
                r.harness.resources.filter((x) => x.name === "sink-verification"),
                [],
            );
            assert.strictEqual(r.outputs.verification, undefined);
            assert.ok(
                r.info.some((m) => /connectorState is paused: the verification is not run/.test(m)),
                r.info.join("\n"),
            );
        });
    });

    it("serializes the function's body from the tested code, with no credentials in it", async () => {
        process.env.AWS_SECRET_ACCESS_KEY = "serialization-canary-secret";
        const fn = await pulumi.runtime.serializeFunction(autoRestartHandler, { exportName: "handler", allowSecrets: true });
        useLocalCredentials();
        for (const called of [
            "RestartConnectorCommand",
            "DescribeAlarmsCommand",
            "PutParameterCommand",
            "decideRestart",
            "backoffMinutes",
        ]) {
            assert.ok(fn.text.includes(called), `the function's code holds ${called}`);
        }
        assert.strictEqual(fn.text.includes("serialization-canary-secret"), false);
        assert.match(fn.text, /require\("@aws-sdk\/client-ssm"\)/);
    });

    it("names what auto-restart creates within AWS's limits", () => {
        const n = autoRestartNames("c".repeat(128), "prod");
        assert.strictEqual(n.functionName.length, 64);
        assert.match(n.functionName, /-auto-restart$/);
        // EventBridge rule names stop at 64 too; Lambda names take no dots (a connector name may have them).
        assert.strictEqual(n.ruleName.length, 64);
        assert.match(n.ruleName, /-auto-restart-every-minute$/);
        const dotted = autoRestartNames("sales.orders.v2", "prod");
        assert.deepStrictEqual(
            [dotted.functionName, dotted.ruleName],
            ["sales-orders-v2-auto-restart", "sales-orders-v2-auto-restart-every-minute"],
        );
        const short = autoRestartNames("confluentinc-kafka-connect-s3", "dev");
        assert.strictEqual(short.ruleName, `${short.functionName}-every-minute`, "a name that fits is what it always was");
        const doc = restartFunctionPolicy({
            partition: "aws-cn",
            region: "cn-north-1",
            accountId: "111122223333",
            connectorArn: "arn:aws-cn:kafkaconnect:cn-north-1:111122223333:connector/c/u",
            alarmName: "a",
            parameterName: "/p",
            functionName: "f",
        });
        assert.deepStrictEqual(
            doc.Statement.map((s) => s.Resource),
            [
                "arn:aws-cn:kafkaconnect:cn-north-1:111122223333:connector/c/u",
                "arn:aws-cn:kafkaconnect:cn-north-1:111122223333:connector-operation/c/u/*",
                "arn:aws-cn:cloudwatch:cn-north-1:111122223333:alarm:a",
                "arn:aws-cn:ssm:cn-north-1:111122223333:parameter/p",
                "arn:aws-cn:logs:cn-north-1:111122223333:log-group:/aws/lambda/f:*",
            ],
        );
    });
});
