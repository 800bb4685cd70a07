/**
 * Section "operation": how the connector is run once it exists: its desired state (running or paused,
 * applied by `pulumi up`), auto-restart of failed tasks (opt-in, with Strimzi's back-off up to
 * `maxRestarts`), and the SNS topic its alarm notifies.
 */
import { nearest } from "../../common";
import type { Reader } from "../reader";
import { CONNECTOR_STATES, PROJECT, SETTINGS } from "../settings";
import type { AutoRestartSettings, StackSettings } from "../types";

type OperationSettings = Pick<StackSettings, "connectorState" | "autoRestart" | "alarmTopicArn">;

const AUTO_RESTART_FIELDS = ["enabled", "maxRestarts"];
const SNS_TOPIC_ARN = /^arn:aws[a-z-]*:sns:([a-z0-9-]+):(\d{12}):[A-Za-z0-9_-]{1,256}$/;

function readAutoRestart(r: Reader): AutoRestartSettings {
    const def = SETTINGS.autoRestart.default;
    const value = r.json("autoRestart");
    if (value === undefined) return def;
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
        r.problem("autoRestart", value, 'expected an object such as {"enabled": true, "maxRestarts": 10}.');
        return def;
    }
    const obj = value as Record<string, unknown>;
    for (const field of Object.keys(obj).filter((f) => !AUTO_RESTART_FIELDS.includes(f))) {
        const close = nearest(field, AUTO_RESTART_FIELDS);
        r.problem(
            `autoRestart.${field}`,
            obj[field],
            `is not an autoRestart field; allowed: enabled, maxRestarts.${close ? ` Did you mean "${close}"?` : ""}`,
        );
    }
    let enabled = def.enabled;
    if (obj.enabled !== undefined && typeof obj.enabled !== "boolean")
        r.problem("autoRestart.enabled", obj.enabled, "expected true or false.");
    else if (obj.enabled !== undefined) enabled = obj.enabled;
    let maxRestarts = def.maxRestarts;
    const m = obj.maxRestarts;
    if (m !== undefined && !(typeof m === "number" && Number.isInteger(m) && m >= 1 && m <= 100)) {
        r.problem(
            "autoRestart.maxRestarts",
            m,
            "expected a whole number of restarts from 1 to 100 (after that the alarm is left for a person).",
        );
    } else if (m !== undefined) maxRestarts = m;
    return { enabled, maxRestarts };
}

function readAlarmTopicArn(r: Reader, region: string, accountId: string, autoRestart: AutoRestartSettings): string | undefined {
    const arn = r.string("alarmTopicArn", {
        pattern: SNS_TOPIC_ARN,
        allowed: "an SNS topic ARN (arn:aws:sns:<region>:<account>:<topic name>)",
    });
    if (arn === undefined || !r.usable("alarmTopicArn")) return arn;
    const [, topicRegion, topicAccount] = SNS_TOPIC_ARN.exec(arn) ?? [];
    if (topicRegion !== region) {
        r.problem(
            "alarmTopicArn",
            arn,
            `is in ${topicRegion}; a CloudWatch alarm notifies topics in its own region (${region}) only. Give a topic in ${region}.`,
        );
    } else if (topicAccount !== accountId && r.usable("accountId")) {
        r.problem(
            "alarmTopicArn",
            arn,
            `belongs to account ${topicAccount}, not this stack's (${accountId}); give a topic in ${accountId}, or leave it out.`,
        );
    }
    if (!autoRestart.enabled && r.usable("autoRestart")) {
        r.problem(
            "alarmTopicArn",
            arn,
            `only applies with ${PROJECT}:autoRestart enabled (the alarm exists only then); set autoRestart to {"enabled": true}, or remove alarmTopicArn.`,
        );
    }
    return arn;
}

export function readOperation(r: Reader, account: { region: string; accountId: string }): OperationSettings {
    // MSK Connect has no stopped state (Strimzi's KafkaConnector has): pausing is the nearest it offers.
    const connectorState = r.oneOf("connectorState", CONNECTOR_STATES, (v) => (/^stop/i.test(v) ? "paused" : nearest(v, CONNECTOR_STATES)));
    const autoRestart = readAutoRestart(r);
    const alarmTopicArn = readAlarmTopicArn(r, account.region, account.accountId, autoRestart);
    return { connectorState, autoRestart, ...(alarmTopicArn !== undefined ? { alarmTopicArn } : {}) };
}
