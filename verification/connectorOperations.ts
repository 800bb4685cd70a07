/**
 * The outcome of the connector's newest update: ListConnectorOperations (every page), sorted by creationTime
 * (the list order is not documented), then DescribeConnectorOperation on the newest update until it leaves
 * PENDING / UPDATE_IN_PROGRESS / ROLLBACK_IN_PROGRESS. UPDATE_COMPLETE passes; anything else fails with AWS's
 * errorInfo and the steps that failed.
 */
import type { ConnectorOperationSummary, DescribeConnectorOperationResponse } from "@aws-sdk/client-kafkaconnect";
import { keysThatDiffer } from "./configDiff";
import { CheckedOperation, ConnectorHealthError, ConnectorRef, whereToLook } from "./connectorHealthTypes";
import { allKafkaConnectPages, callKafkaConnect, KafkaConnectContext, pollKafkaConnect, formatSeconds } from "./kafkaConnectClient";

const WAITING_OPERATION_STATES = ["PENDING", "UPDATE_IN_PROGRESS", "ROLLBACK_IN_PROGRESS"];

/** Updates (configuration, worker settings) are what a stack changes; restarts, pauses and the like are not. */
export function isUpdateOperation(op: Pick<ConnectorOperationSummary, "connectorOperationType">): boolean {
    return op.connectorOperationType === undefined || op.connectorOperationType.startsWith("UPDATE_");
}

function timeOf(d: Date | undefined): number {
    return d instanceof Date && !Number.isNaN(d.getTime()) ? d.getTime() : Number.NEGATIVE_INFINITY;
}

/** Newest first by creationTime; operations without one last. */
export function newestOperationsFirst<T extends { creationTime?: Date }>(ops: readonly T[]): T[] {
    return [...ops].sort((a, b) => timeOf(b.creationTime) - timeOf(a.creationTime));
}

export async function listConnectorOperations(api: KafkaConnectContext, connectorArn: string): Promise<ConnectorOperationSummary[]> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { ListConnectorOperationsCommand } = require("@aws-sdk/client-kafkaconnect") as typeof import("@aws-sdk/client-kafkaconnect");
    return allKafkaConnectPages(api, { action: "ListConnectorOperations", resource: connectorArn }, async (nextToken, abortSignal) => {
        const page = await api.client.send(new ListConnectorOperationsCommand({ connectorArn, nextToken }), { abortSignal });
        return { items: page.connectorOperations, nextToken: page.nextToken };
    });
}

export function checkedOperation(d: DescribeConnectorOperationResponse): CheckedOperation {
    return {
        arn: d.connectorOperationArn ?? "(no ARN)",
        type: d.connectorOperationType ?? "(no type)",
        state: d.connectorOperationState ?? "(no state)",
        creationTime: d.creationTime?.toISOString() ?? "(unknown)",
        ...(d.endTime ? { endTime: d.endTime.toISOString() } : {}),
    };
}

function failedSteps(d: DescribeConnectorOperationResponse): string[] {
    const steps = d.operationSteps ?? [];
    const failed = steps.filter((s) => s.stepState === "FAILED" || s.stepState === "CANCELLED");
    return failed.map((s) => `${s.stepType ?? "(unnamed step)"} ${s.stepState}`);
}

function operationLead(ref: ConnectorRef, d: DescribeConnectorOperationResponse): string {
    const op = checkedOperation(d);
    return `the newest update of connector ${ref.name} (${op.type}, started ${op.creationTime}, operation ${op.arn})`;
}

/** The error for an update that did not complete. */
export function updateFailure(ref: ConnectorRef, d: DescribeConnectorOperationResponse): ConnectorHealthError {
    const op = checkedOperation(d);
    const rolledBack = op.state === "ROLLBACK_COMPLETE";
    const info = d.errorInfo;
    const reason =
        info?.code || info?.message ? `AWS says ${info.code ?? "(no code)"}: ${info.message ?? "(no message)"}` : "AWS gave no errorInfo";
    const steps = failedSteps(d);
    const tried = keysThatDiffer(d.originConnectorConfiguration ?? {}, d.targetConnectorConfiguration ?? {});
    const outcome = rolledBack
        ? "MSK Connect rolled the connector back: it runs its previous configuration, not the one this stack asked for"
        : op.state === "ROLLBACK_FAILED"
          ? "its rollback failed too: the connector's configuration is uncertain"
          : op.state === "UPDATE_FAILED"
            ? "the connector did not take the new configuration"
            : "this check counts only UPDATE_COMPLETE as success";
    return new ConnectorHealthError(
        rolledBack ? "update-rolled-back" : "update-failed",
        `${operationLead(ref, d)} ended ${op.state}: ${reason}. ` +
            `${steps.length ? `Failed steps: ${steps.join(", ")}. ` : "No step is marked FAILED. "}` +
            `${tried.length ? `The update changed: ${tried.join(", ")}. ` : ""}` +
            `${outcome}. ${whereToLook(ref)} ` +
            "Fix the cause, then run `pulumi up` again (with `--refresh` if it shows no change for the connector).",
        {
            connectorArn: ref.arn,
            connectorName: ref.name,
            operation: op,
            ...(info ? { errorInfo: { code: info.code, message: info.message } } : {}),
            failedSteps: steps,
            consoleUrl: ref.consoleUrl,
            ...(ref.logGroupName ? { logGroupName: ref.logGroupName } : {}),
        },
    );
}

function updateTimeout(
    api: KafkaConnectContext,
    ref: ConnectorRef,
    d: DescribeConnectorOperationResponse,
    lastError?: string,
): ConnectorHealthError {
    const op = checkedOperation(d);
    return new ConnectorHealthError(
        "update-timeout",
        `${operationLead(ref, d)} was still ${op.state} after the check's ${api.timeoutSeconds} s deadline` +
            `${lastError ? ` (the last look failed: ${lastError})` : ""}. ${whereToLook(ref)} Run the check again once it has finished.`,
        {
            connectorArn: ref.arn,
            connectorName: ref.name,
            operation: op,
            consoleUrl: ref.consoleUrl,
            ...(lastError ? { lastError } : {}),
        },
    );
}

/**
 * Wait for the newest update to finish and judge it. Returns it (UPDATE_COMPLETE), or null when the
 * connector has no update operation, with notes on what was not judged.
 */
export async function checkNewestUpdate(
    api: KafkaConnectContext,
    ref: ConnectorRef,
): Promise<{ operation: CheckedOperation | null; notes: string[] }> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { DescribeConnectorOperationCommand } = require("@aws-sdk/client-kafkaconnect") as typeof import("@aws-sdk/client-kafkaconnect");
    const all = newestOperationsFirst(await listConnectorOperations(api, ref.arn));
    const newest = all.find(isUpdateOperation);
    if (!newest) {
        return {
            operation: null,
            notes: ["the connector has no update operation (it was not updated since it was created): no update to judge"],
        };
    }
    const newer = all.slice(0, all.indexOf(newest));
    const notes = newer.length
        ? [
              `newer operations that are not updates were not judged: ${newer.map((o) => `${o.connectorOperationType} ${o.connectorOperationState}`).join(", ")}`,
          ]
        : [];
    const connectorOperationArn = newest.connectorOperationArn ?? "";
    const done = await pollKafkaConnect(api, {
        observe: (onDeadline) =>
            callKafkaConnect(
                api,
                { action: "DescribeConnectorOperation", resource: connectorOperationArn },
                (abortSignal) => api.client.send(new DescribeConnectorOperationCommand({ connectorOperationArn }), { abortSignal }),
                onDeadline,
            ),
        settled: (d) => {
            if (d.connectorOperationState === "UPDATE_COMPLETE") return true;
            if (WAITING_OPERATION_STATES.includes(d.connectorOperationState ?? "")) return false;
            throw updateFailure(ref, d);
        },
        timedOut: (d, lastError) => updateTimeout(api, ref, d, lastError),
        waiting: (d, look, next) =>
            `the newest update of connector ${ref.name} is ${d.connectorOperationState} (look ${look}); next look in ${formatSeconds(next)}`,
    });
    return { operation: checkedOperation(done), notes };
}
