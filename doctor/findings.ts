/** What the doctor reports: findings with a stable rule name, and how they are shown. */
import { show } from "../common";

export type Severity = "error" | "warning";

/** One thing the doctor found. `rule` is stable and is what `doctorSilence` names. */
export interface Finding {
    readonly severity: Severity;
    readonly rule: string;
    readonly key: string;
    readonly value: string | undefined;
    readonly message: string;
}

/** What the doctor needs to know about the stack besides the configuration itself. */
export interface DoctorContext {
    readonly region: string;
    readonly bucketName: string;
    /** Seconds the post-deploy verification waits for the first object; undefined when it is off. */
    readonly verifyTimeoutSeconds?: number;
    /** Records per second the source topic is expected to carry (for the flush-size estimate). */
    readonly expectedRecordsPerSecond: number;
    /** Warning rules switched off by the stack (`doctorSilence`). Errors cannot be silenced. */
    readonly silence?: readonly string[];
}

/** Warning rules that `doctorSilence` may name. */
export const WARNING_RULES = [
    "unknown-key",
    "tombstones-fail-task",
    "rotate-schedule-breaks-exactly-once",
    "wallclock-breaks-exactly-once",
    "flush-size-outlasts-verification",
    "credentials-provider-class",
    "worker-config-provider",
] as const;

export function finding(severity: Severity, rule: string, key: string, value: string | undefined, message: string): Finding {
    return { severity, rule, key, value, message };
}

/** One line per finding, for logs and the plan. */
export function formatFinding(f: Finding): string {
    const value = f.value === undefined ? "" : ` = ${show(f.value)}`;
    return `${f.severity} [${f.rule}] ${f.key}${value}: ${f.message}`;
}
