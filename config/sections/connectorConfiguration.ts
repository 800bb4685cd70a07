/**
 * The connector configuration the stack asks for (the lab's block with the extra keys merged over it), and
 * the doctor's run over it: errors become configuration problems, warnings travel with the settings.
 */
import { diagnoseConnectorConfiguration, Finding } from "../../doctor";
import { labConnectorConfiguration, mergeConnectorConfiguration } from "../../sink";
import type { Reader } from "../reader";
import { PROJECT } from "../settings";
import type { StackSettings } from "../types";

type Inputs = Pick<
    StackSettings,
    "region" | "targetBucket" | "topics" | "flushSizeRecords" | "tasksMax" | "extraConnectorConfig" | "doctor"
> & {
    readonly verification: { readonly enabled: boolean; readonly timeoutSeconds: number };
};

export function buildConnectorConfiguration(r: Reader, s: Inputs): { connectorConfiguration: Record<string, string>; findings: Finding[] } {
    const lab = labConnectorConfiguration({
        region: s.region,
        bucketName: s.targetBucket.name,
        topics: s.topics,
        flushSizeRecords: s.flushSizeRecords,
        tasksMax: s.tasksMax,
    });
    const connectorConfiguration = mergeConnectorConfiguration(lab, s.extraConnectorConfig);
    const findings = diagnoseConnectorConfiguration(connectorConfiguration, {
        region: s.region,
        bucketName: s.targetBucket.name,
        verifyTimeoutSeconds: s.verification.enabled ? s.verification.timeoutSeconds : undefined,
        expectedRecordsPerSecond: s.doctor.expectedRecordsPerSecond,
        silence: s.doctor.silence,
    });
    for (const f of findings.filter((x) => x.severity === "error")) {
        r.problems.push({ key: `${PROJECT}:extraConnectorConfig["${f.key}"]`, value: f.value, message: `[${f.rule}] ${f.message}` });
    }
    return { connectorConfiguration, findings };
}
