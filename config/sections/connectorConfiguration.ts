/**
 * The connector configuration the stack asks for (the lab's block with the extra keys merged over it), and
 * the doctor's run over it: errors become configuration problems, warnings travel with the settings. An
 * unknown key within two edits of a known one is a typo Kafka Connect would ignore without a word, so it
 * is an error here (still silenced with the doctor's `unknown-key` rule, for a key meant for another class).
 */
import { closestKnownKey, diagnoseConnectorConfiguration, Finding } from "../../doctor";
import { labConnectorConfiguration, mergeConnectorConfiguration } from "../../sink";
import type { ConfigWarning } from "../errors";
import type { Reader } from "../reader";
import { PROJECT } from "../settings";
import type { StackSettings } from "../types";
import { FIRST_CLASS_KEYS } from "./connector";

type Inputs = Pick<
    StackSettings,
    "region" | "targetBucket" | "topics" | "flushSizeRecords" | "tasksMax" | "extraConnectorConfig" | "doctor"
> & {
    readonly verification: { readonly enabled: boolean; readonly timeoutSeconds: number };
};

/** Connector keys a first-class setting sets, and that setting. */
const SET_BY: Readonly<Record<string, string>> = {
    topics: `${PROJECT}:topics`,
    "flush.size": `${PROJECT}:flushSize`,
    "tasks.max": `${PROJECT}:tasksMax`,
    "s3.bucket.name": `${PROJECT}:targetBucket`,
    "s3.region": "aws:region",
};

/** The stack setting to change for a connector key: its first-class setting, or the key in extraConnectorConfig. */
export function settingOfConnectorKey(key: string): string {
    return SET_BY[key] ?? `${PROJECT}:extraConnectorConfig["${key}"]`;
}

/** A doctor finding as a warning on the stack setting to change. */
export function findingWarning(f: Finding): ConfigWarning {
    return { rule: f.rule, severity: "warning", key: settingOfConnectorKey(f.key), message: f.message };
}

/**
 * The stack settings a finding rests on besides the connector key it names: the key's own first-class setting
 * (from SET_BY), and for some rules other settings they read. A finding resting on a setting that has a problem
 * would judge that setting's default, a stand-in the user never set, so it is left out (the problem is enough).
 */
const RULE_READS: Readonly<Record<string, readonly string[]>> = {
    "tombstones-fail-task": [`${PROJECT}:topics`],
    "topics-exclusive": [`${PROJECT}:topics`],
    "flush-size-outlasts-verification": [`${PROJECT}:verifyTimeoutSeconds`, `${PROJECT}:expectedRecordsPerSecond`],
};

/** Whether a finding judges only values the stack really set (none of the settings it rests on has a problem). */
function restsOnUsableSettings(r: Reader, f: Finding): boolean {
    const settings = [...(SET_BY[f.key] ? [SET_BY[f.key]] : []), ...(RULE_READS[f.rule] ?? [])];
    return settings.every((s) => r.usable(s));
}

/** How far a typo may be from the key it means. */
const TYPO_EDITS = 2;

/**
 * Extra keys one or two edits from a known key (even where a prefix family such as `format.` would let them
 * pass): errors, unless the stack silences `unknown-key`.
 */
function typos(extra: Readonly<Record<string, string>>, silence: readonly string[]): Finding[] {
    if (silence.includes("unknown-key")) return [];
    return Object.keys(extra).flatMap((key) => {
        const close = closestKnownKey(key);
        if (close === undefined || close.distance === 0 || close.distance > TYPO_EDITS) return [];
        const firstClass = FIRST_CLASS_KEYS[close.key];
        return [
            {
                severity: "error",
                rule: "unknown-key",
                key,
                value: extra[key],
                message: `\`${key}\` is not a setting of the S3 sink 10.5.x or of Kafka Connect, which would ignore it without a word. Did you mean \`${close.key}\`${firstClass ? ` (${firstClass})` : ""}? (If the key is meant for a class of your own, silence this with doctorSilence: unknown-key.)`,
            } satisfies Finding,
        ];
    });
}

export function buildConnectorConfiguration(r: Reader, s: Inputs): { connectorConfiguration: Record<string, string>; findings: Finding[] } {
    const lab = labConnectorConfiguration({
        region: s.region,
        bucketName: s.targetBucket.name,
        topics: s.topics,
        flushSizeRecords: s.flushSizeRecords,
        tasksMax: s.tasksMax,
    });
    const connectorConfiguration = mergeConnectorConfiguration(lab, s.extraConnectorConfig);
    let findings = diagnoseConnectorConfiguration(connectorConfiguration, {
        region: s.region,
        bucketName: s.targetBucket.name,
        verifyTimeoutSeconds: s.verification.enabled ? s.verification.timeoutSeconds : undefined,
        expectedRecordsPerSecond: s.doctor.expectedRecordsPerSecond,
        silence: s.doctor.silence,
    });
    const typoErrors = typos(s.extraConnectorConfig, s.doctor.silence);
    const typoKeys = new Set(typoErrors.map((f) => f.key));
    findings = [...findings.filter((f) => !(f.rule === "unknown-key" && typoKeys.has(f.key))), ...typoErrors].filter((f) =>
        restsOnUsableSettings(r, f),
    );
    for (const f of findings.filter((x) => x.severity === "error")) {
        r.problems.push({ key: `${PROJECT}:extraConnectorConfig["${f.key}"]`, value: f.value, message: `[${f.rule}] ${f.message}` });
    }
    return { connectorConfiguration, findings };
}
