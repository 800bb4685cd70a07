/** Section "role and logs": the connector's execution role and the log group its workers write to. */
import { LOG_GROUP, ROLE_NAME } from "../patterns";
import type { Reader } from "../reader";
import { LOG_RETENTION_DAYS, PROJECT, SETTINGS } from "../settings";
import type { ExecutionRoleSettings, StackSettings } from "../types";
import { readKmsKeyArn } from "./account";

/** Settings that only apply in one mode, reported when the mode (read without a problem) is the other. */
function onlyApplies(r: Reader, modeSetting: string, keys: readonly string[], message: string): void {
    if (!r.usable(modeSetting)) return; // a bad mode is reported once, not again through what depends on it
    for (const k of keys.filter((key) => r.has(key))) r.problem(k, r.text(k), message);
}

export function readExecutionRole(r: Reader): ExecutionRoleSettings {
    const mode = r.oneOf("executionRole", ["lookup", "create"] as const);
    const roleName = r.string("executionRoleName", {
        pattern: ROLE_NAME,
        allowed: "an IAM role name (1-64 characters of letters, digits and +=,.@_-)",
    });
    const rolePrefix =
        r.string("executionRoleNamePrefix", { pattern: /^[\w+=,.@-]{1,63}$/, allowed: "the start of an IAM role name" }) ??
        SETTINGS.executionRoleNamePrefix.default;
    if (mode === "create") {
        onlyApplies(
            r,
            "executionRole",
            ["executionRoleName", "executionRoleNamePrefix"],
            `only applies when ${PROJECT}:executionRole is "lookup"; remove it, or set executionRole to "lookup".`,
        );
        return { mode: "create" };
    }
    if (roleName !== undefined) {
        if (r.has("executionRoleNamePrefix"))
            r.problem("executionRoleNamePrefix", rolePrefix, "set either executionRoleName or executionRoleNamePrefix, not both.");
        return { mode: "lookup", name: roleName };
    }
    return { mode: "lookup", namePrefix: rolePrefix };
}

function readRetention(r: Reader): number {
    const text = r.present("logRetentionDays");
    if (text === undefined) return SETTINGS.logRetentionDays.default;
    if (!LOG_RETENTION_DAYS.includes(Number(text))) {
        r.problem("logRetentionDays", text, `expected one of CloudWatch's retention periods in days: ${LOG_RETENTION_DAYS.join(", ")}.`);
        return SETTINGS.logRetentionDays.default;
    }
    return Number(text);
}

export function readLogGroup(r: Reader, region: string): StackSettings["logGroup"] {
    const mode = r.oneOf("logGroup", ["lookup", "create"] as const);
    const name =
        r.string("logGroupName", {
            pattern: LOG_GROUP,
            allowed: "a CloudWatch log group name (1-512 characters of letters, digits and ._-/#)",
        }) ?? SETTINGS.logGroupName.default;
    const retentionDays = readRetention(r);
    const kmsKeyArn = readKmsKeyArn(r, "logKmsKeyArn", region);
    if (mode === "lookup") {
        onlyApplies(
            r,
            "logGroup",
            ["logRetentionDays", "logKmsKeyArn"],
            `only applies when ${PROJECT}:logGroup is "create" (a looked-up group keeps its own settings); remove it or set logGroup to "create".`,
        );
    }
    return { mode, name, retentionDays, ...(kmsKeyArn ? { kmsKeyArn } : {}) };
}
