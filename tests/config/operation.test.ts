import * as assert from "assert";
import { StackConfigError } from "../../config";
import { devRaw, settingsFrom } from "../helpers";

const PINNED = { "msk-s3-sink:pluginSha256": "a".repeat(64) };

function problems(overrides: Record<string, string>): { key: string; value: unknown; message: string }[] {
    try {
        settingsFrom(devRaw({ ...PINNED, ...overrides }));
    } catch (e) {
        if (e instanceof StackConfigError) return e.problems.map((p) => ({ key: p.key, value: p.value, message: p.message }));
        throw e;
    }
    return [];
}

describe("config: connectorState, autoRestart and alarmTopicArn", () => {
    it("defaults to a running connector and no auto-restart", () => {
        const s = settingsFrom(devRaw(PINNED));
        assert.strictEqual(s.connectorState, "running");
        assert.deepStrictEqual(s.autoRestart, { enabled: false, maxRestarts: 10 });
        assert.strictEqual(s.alarmTopicArn, undefined);
    });

    it("reads a paused connector with auto-restart and an alarm topic in the stack's region and account", () => {
        const s = settingsFrom(
            devRaw({
                ...PINNED,
                "msk-s3-sink:connectorState": "paused",
                "msk-s3-sink:autoRestart": '{"enabled": true, "maxRestarts": 3}',
                "msk-s3-sink:alarmTopicArn": `arn:aws:sns:us-east-2:${devRaw()["msk-s3-sink:accountId"]}:oncall`,
            }),
        );
        assert.strictEqual(s.connectorState, "paused");
        assert.deepStrictEqual(s.autoRestart, { enabled: true, maxRestarts: 3 });
        assert.match(s.alarmTopicArn ?? "", /:oncall$/);
    });

    it("fails when connectorState is not running or paused, suggesting paused for stopped", () => {
        assert.deepStrictEqual(problems({ "msk-s3-sink:connectorState": "stopped" }), [
            { key: "msk-s3-sink:connectorState", value: "stopped", message: 'expected one of "running", "paused". Did you mean "paused"?' },
        ]);
    });

    it("fails on every bad autoRestart field in one run, naming the field and what is allowed", () => {
        const found = problems({ "msk-s3-sink:autoRestart": '{"enabled": "yes", "maxRestarts": 0, "backoff": 5}' });
        assert.deepStrictEqual(
            found.map((p) => p.key),
            ["msk-s3-sink:autoRestart.backoff", "msk-s3-sink:autoRestart.enabled", "msk-s3-sink:autoRestart.maxRestarts"],
        );
        assert.match(found[2].message, /from 1 to 100/);
        assert.match(
            problems({ "msk-s3-sink:autoRestart": "true" })[0].message,
            /expected an object such as \{"enabled": true, "maxRestarts": 10\}/,
        );
    });

    it("fails when alarmTopicArn is not an SNS ARN, is in another region or account, or comes without autoRestart", () => {
        const account = devRaw()["msk-s3-sink:accountId"];
        assert.match(problems({ "msk-s3-sink:alarmTopicArn": "oncall" })[0].message, /expected an SNS topic ARN/);
        assert.match(
            problems({
                "msk-s3-sink:alarmTopicArn": `arn:aws:sns:eu-west-1:${account}:t`,
                "msk-s3-sink:autoRestart": '{"enabled": true}',
            })[0].message,
            /is in eu-west-1; a CloudWatch alarm notifies topics in its own region \(us-east-2\) only/,
        );
        assert.match(
            problems({
                "msk-s3-sink:alarmTopicArn": "arn:aws:sns:us-east-2:999999999999:t",
                "msk-s3-sink:autoRestart": '{"enabled": true}',
            })[0].message,
            /belongs to account 999999999999/,
        );
        assert.match(
            problems({ "msk-s3-sink:alarmTopicArn": `arn:aws:sns:us-east-2:${account}:t` })[0].message,
            /only applies with msk-s3-sink:autoRestart enabled/,
        );
    });
});
