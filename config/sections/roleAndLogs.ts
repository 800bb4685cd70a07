/** Section "role and logs": the connector's execution role and the log group its workers write to. */
import { KMS_KEY_ARN, LOG_GROUP, ROLE_NAME } from "../patterns";
import type { Reader } from "../reader";
import { LOG_RETENTION_DAYS, PROJECT, SETTINGS } from "../settings";
import type { ExecutionRoleSettings, StackSettings } from "../types";

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
        for (const k of ["executionRoleName", "executionRoleNamePrefix"]) {
            if (r.has(k))
                r.problem(
                    k,
                    r.text(k),
                    `only applies when ${PROJECT}:executionRole is "lookup"; remove it, or set executionRole to "lookup".`,
                );
        }
        return { mode: "create" };
    }
    if (roleName !== undefined) {
        if (r.has("executionRoleNamePrefix"))
            r.problem("executionRoleNamePrefix", rolePrefix, "set either executionRoleName or executionRoleNamePrefix, not both.");
        return { mode: "lookup", name: roleName };
    }
    return { mode: "lookup", namePrefix: rolePrefix };
}

export function readLogGroup(r: Reader): StackSettings["logGroup"] {
    const mode = r.oneOf("logGroup", ["lookup", "create"] as const);
    const name =
        r.string("logGroupName", {
            pattern: LOG_GROUP,
            allowed: "a CloudWatch log group name (1-512 characters of letters, digits and ._-/#)",
        }) ?? SETTINGS.logGroupName.default;
    const retentionText = r.text("logRetentionDays");
    let retentionDays: number = SETTINGS.logRetentionDays.default;
    if (retentionText !== undefined) {
        if (!LOG_RETENTION_DAYS.includes(Number(retentionText))) {
            r.problem(
                "logRetentionDays",
                retentionText,
                `expected one of CloudWatch's retention periods in days: ${LOG_RETENTION_DAYS.join(", ")}.`,
            );
        } else retentionDays = Number(retentionText);
    }
    const kmsKeyArn = r.string("logKmsKeyArn", { pattern: KMS_KEY_ARN, allowed: "a KMS key ARN" });
    if (mode === "lookup") {
        for (const k of ["logRetentionDays", "logKmsKeyArn"]) {
            if (r.has(k))
                r.problem(
                    k,
                    r.text(k),
                    `only applies when ${PROJECT}:logGroup is "create" (a looked-up group keeps its own settings); remove it or set logGroup to "create".`,
                );
        }
    }
    return { mode, name, retentionDays, ...(kmsKeyArn ? { kmsKeyArn } : {}) };
}
