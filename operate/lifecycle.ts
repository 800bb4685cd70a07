/**
 * Pause, resume and restart: refused before AWS is called when AWS would refuse (refusals.ts), started with
 * the SDK's command, then followed with DescribeConnectorOperation until `<KIND>_COMPLETE`, or failed with
 * AWS's errorInfo and the failed steps, within the one deadline. A start call that got no answer is not
 * repeated (it may have started): it says so and how to look.
 */
import type { DescribeConnectorOperationResponse } from "@aws-sdk/client-kafkaconnect";
import {
    callKafkaConnect,
    ConnectorRef,
    explainKafkaConnectError,
    formatSeconds,
    kafkaConnectDeadlineError,
    isConnectorHealthError,
    kafkaConnectErrorLine,
    kafkaConnectTransientKind,
    KafkaConnectContext,
    pollKafkaConnect,
    whereToLook,
} from "../verification";
import { describeConnector, seeConnector } from "./context";
import { OperateError } from "./errors";
import { ACTION_API, alreadyDone, connectorCommand, isInProgress, LifecycleAction, NEEDS, refusalOf } from "./refusals";

export interface LifecycleRequest {
    readonly action: LifecycleAction;
    /** Restart only the failed tasks (Kafka Connect 3.7+). @default false */
    readonly onlyFailedTasks?: boolean;
    /** Follow the operation to its end. @default true */
    readonly wait?: boolean;
}

export interface LifecycleResult {
    readonly action: LifecycleAction;
    readonly connectorArn: string;
    readonly connectorName: string;
    /** The operation started; absent when nothing was to do (`alreadyDone`). */
    readonly operationArn?: string;
    /** `<KIND>_COMPLETE` when waited for; the state last seen otherwise; `none` when nothing was to do. */
    readonly operationState: string;
    /** The connector was already where a pause or resume takes it, so nothing was sent. */
    readonly alreadyDone: boolean;
    /** The connector's state at the end (PAUSED, RUNNING), or when started without waiting. */
    readonly connectorState: string;
    readonly onlyFailedTasks: boolean;
    readonly waited: boolean;
    readonly consoleUrl: string;
}

/** The steps an operation marks FAILED or CANCELLED. */
export function failedStepsOf(d: Pick<DescribeConnectorOperationResponse, "operationSteps">): string[] {
    return (d.operationSteps ?? [])
        .filter((s) => s.stepState === "FAILED" || s.stepState === "CANCELLED")
        .map((s) => `${s.stepType ?? "(unnamed step)"} ${s.stepState}`);
}

function errorInfoText(d: Pick<DescribeConnectorOperationResponse, "errorInfo">): string {
    const info = d.errorInfo;
    return info?.code || info?.message
        ? `AWS says ${info.code ?? "(no code)"}: ${info.message ?? "(no message)"}`
        : "AWS gave no errorInfo";
}

/** The error for an operation that ended other than `<KIND>_COMPLETE`. */
export function operationFailure(ref: ConnectorRef, action: LifecycleAction, d: DescribeConnectorOperationResponse): OperateError {
    const steps = failedStepsOf(d);
    const state = d.connectorOperationState ?? "(no state)";
    return new OperateError(
        "operation-failed",
        `the ${action} of connector ${ref.name} (operation ${d.connectorOperationArn}) ended ${state}: ${errorInfoText(d)}. ` +
            `${steps.length ? `Failed steps: ${steps.join(", ")}. ` : "No step is marked FAILED. "}${whereToLook(ref)}`,
        {
            connectorArn: ref.arn,
            connectorName: ref.name,
            operationArn: d.connectorOperationArn,
            operationState: state,
            ...(d.errorInfo ? { errorInfo: { code: d.errorInfo.code, message: d.errorInfo.message } } : {}),
            failedSteps: steps,
            consoleUrl: ref.consoleUrl,
            ...(ref.logGroupName ? { logGroupName: ref.logGroupName } : {}),
        },
    );
}

function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Send the start call. Throttling (429: nothing started) is retried with backoff until the deadline; an
 * answer that leaves it open whether the operation started (time-out, 5xx, reset) is not sent again.
 */
async function start(api: KafkaConnectContext, ref: ConnectorRef, r: LifecycleRequest): Promise<string> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const sdk = require("@aws-sdk/client-kafkaconnect") as typeof import("@aws-sdk/client-kafkaconnect");
    const call = { action: ACTION_API[r.action], resource: ref.arn };
    let lastError: unknown;
    for (let attempt = 1; ; attempt++) {
        const remaining = api.deadline - Date.now();
        if (remaining <= 0) throw kafkaConnectDeadlineError(api, call, lastError);
        const command =
            r.action === "pause"
                ? new sdk.PauseConnectorCommand({ connectorArn: ref.arn })
                : r.action === "resume"
                  ? new sdk.ResumeConnectorCommand({ connectorArn: ref.arn })
                  : new sdk.RestartConnectorCommand({ connectorArn: ref.arn, onlyFailedTasks: r.onlyFailedTasks === true });
        try {
            const answer = (await api.client.send(command as never, {
                abortSignal: AbortSignal.timeout(Math.min(api.requestTimeoutMs, remaining)),
            })) as { connectorOperationArn?: string };
            return answer.connectorOperationArn ?? "(no operation ARN)";
        } catch (err) {
            const kind = kafkaConnectTransientKind(err);
            if (kind === undefined) throw explainKafkaConnectError(err, api, call);
            if (kind !== "throttled") throw uncertain(api, ref, r, err);
            lastError = err;
            // From a second (or the poll interval, if shorter), doubling, at most 20 s and never past the deadline.
            const wait = Math.min(
                Math.min(api.pollMs, 1000) * 2 ** Math.min(attempt - 1, 6),
                20_000,
                Math.max(0, api.deadline - Date.now()),
            );
            api.onProgress?.(`${call.action}: ${kafkaConnectErrorLine(err)}; retrying in ${formatSeconds(wait)}`);
            await sleep(wait);
        }
    }
}

function uncertain(api: KafkaConnectContext, ref: ConnectorRef, r: LifecycleRequest, err: unknown): OperateError {
    return new OperateError(
        "uncertain",
        `${ACTION_API[r.action]} on connector ${ref.name} got no usable answer (${kafkaConnectErrorLine(err)}): the ${r.action} may or may not have started, so it was not sent again. Look with ${connectorCommand("status", api.commandTarget)} before trying again.`,
        { connectorArn: ref.arn, connectorName: ref.name, consoleUrl: ref.consoleUrl },
    );
}

/** A 404 while following the operation: the connector is gone (deleted mid-way). */
function deletedMidWay(
    api: KafkaConnectContext,
    ref: ConnectorRef,
    action: LifecycleAction,
    operationArn: string,
    err: unknown,
): OperateError | undefined {
    const line = isConnectorHealthError(err) ? (err.details.lastError ?? err.message) : kafkaConnectErrorLine(err);
    if (!/NotFound|HTTP 404/.test(line)) return undefined;
    return new OperateError(
        "connector-deleted",
        `connector ${ref.name} (${ref.arn}) or its ${action} operation (${operationArn}) no longer exists: it was deleted while the ${action} was in progress (${line}).${api.managedByStack === false ? "" : " If the stack should have it, run `pulumi refresh`, then `pulumi up`."}`,
        { connectorArn: ref.arn, connectorName: ref.name, operationArn },
    );
}

/** Follow the operation until it ends; `<KIND>_COMPLETE` returns, anything else throws. */
export async function waitForOperation(
    api: KafkaConnectContext,
    ref: ConnectorRef,
    action: LifecycleAction,
    operationArn: string,
): Promise<DescribeConnectorOperationResponse> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { DescribeConnectorOperationCommand } = require("@aws-sdk/client-kafkaconnect") as typeof import("@aws-sdk/client-kafkaconnect");
    const complete = `${NEEDS[action].kind}_COMPLETE`;
    return pollKafkaConnect(api, {
        observe: async (onDeadline) => {
            try {
                return await callKafkaConnect(
                    api,
                    { action: "DescribeConnectorOperation", resource: operationArn },
                    (abortSignal) =>
                        api.client.send(new DescribeConnectorOperationCommand({ connectorOperationArn: operationArn }), { abortSignal }),
                    onDeadline,
                );
            } catch (err) {
                throw deletedMidWay(api, ref, action, operationArn, err) ?? err;
            }
        },
        settled: (d) => {
            if (d.connectorOperationState === complete) return true;
            if (isInProgress(d.connectorOperationState)) return false;
            throw operationFailure(ref, action, d);
        },
        timedOut: (d, lastError) =>
            new OperateError(
                "operation-timeout",
                `the ${action} of connector ${ref.name} (operation ${operationArn}) was still ${d.connectorOperationState} after the ${api.timeoutSeconds} s deadline` +
                    `${lastError ? ` (the last look failed: ${lastError})` : ""}. It goes on without us: follow it with ${connectorCommand("status", api.commandTarget)}. ${whereToLook(ref)}`,
                { connectorArn: ref.arn, connectorName: ref.name, operationArn, operationState: d.connectorOperationState },
            ),
        waiting: (d, look, next) =>
            `the ${action} of ${ref.name} is ${d.connectorOperationState} (look ${look}); next look in ${formatSeconds(next)}`,
    });
}

/** Refuse what AWS would refuse, start the action, and (unless told not to) wait for it to complete. */
export async function runLifecycle(api: KafkaConnectContext, arn: string, r: LifecycleRequest): Promise<LifecycleResult> {
    const { seen, ref } = await seeConnector(api, arn);
    const base = { action: r.action, connectorArn: arn, connectorName: seen.name, onlyFailedTasks: r.onlyFailedTasks === true };
    if (alreadyDone(r.action, seen)) {
        return {
            ...base,
            alreadyDone: true,
            operationState: "none",
            connectorState: seen.state,
            waited: false,
            consoleUrl: ref.consoleUrl,
        };
    }
    const refusal = refusalOf(r.action, seen, { ...r, commandTarget: api.commandTarget });
    if (refusal) {
        throw new OperateError("refused", `not sent to AWS: ${refusal.reason}. What to do: ${refusal.fix}.`, {
            connectorArn: arn,
            connectorName: seen.name,
            state: seen.state,
            fix: refusal.fix,
            consoleUrl: ref.consoleUrl,
        });
    }
    const operationArn = await start(api, ref, r);
    if (r.wait === false) {
        return {
            ...base,
            operationArn,
            alreadyDone: false,
            operationState: "started",
            connectorState: seen.state,
            waited: false,
            consoleUrl: ref.consoleUrl,
        };
    }
    const done = await waitForOperation(api, ref, r.action, operationArn);
    const after = await describeConnector(api, arn);
    return {
        ...base,
        operationArn,
        alreadyDone: false,
        operationState: done.connectorOperationState ?? "(no state)",
        connectorState: after.connectorState ?? "(no state)",
        waited: true,
        consoleUrl: ref.consoleUrl,
    };
}
