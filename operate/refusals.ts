/**
 * What MSK Connect would refuse, decided before calling it (AWS docs, "Pause and resume a connector", "Restart a connector"): pause needs RUNNING, resume
 * PAUSED, restart RUNNING; `onlyFailedTasks` needs Kafka Connect 3.7 or later; no other operation may be in
 * progress. Pure functions over what DescribeConnector and ListConnectorOperations said.
 */
export type LifecycleAction = "pause" | "resume" | "restart";

/** The API action of each lifecycle action. */
export const ACTION_API: Readonly<Record<LifecycleAction, "PauseConnector" | "ResumeConnector" | "RestartConnector">> = {
    pause: "PauseConnector",
    resume: "ResumeConnector",
    restart: "RestartConnector",
};

/** The state each action needs, and the operation type it starts. */
export const NEEDS: Readonly<Record<LifecycleAction, { state: string; kind: "PAUSE" | "RESUME" | "RESTART" }>> = {
    pause: { state: "RUNNING", kind: "PAUSE" },
    resume: { state: "PAUSED", kind: "RESUME" },
    restart: { state: "RUNNING", kind: "RESTART" },
};

/** An operation as ListConnectorOperations summarises it. */
export interface OperationSeen {
    readonly arn: string;
    readonly type: string;
    readonly state: string;
    /** ISO 8601, when known. */
    readonly creationTime?: string;
}

/** The connector as the refusal rules see it. */
export interface ConnectorSeen {
    readonly name: string;
    readonly state: string;
    readonly kafkaConnectVersion?: string;
    readonly operations: readonly OperationSeen[];
}

export interface Refusal {
    readonly reason: string;
    readonly fix: string;
}

/** True for an operation still running: PENDING or any `*_IN_PROGRESS`. */
export function isInProgress(state: string | undefined): boolean {
    return state === "PENDING" || (state ?? "").endsWith("_IN_PROGRESS");
}

/** Kafka Connect 3.7 or later ("3.7.x", "3.8.0", "4.0"); unknown versions are not. */
export function supportsOnlyFailedTasks(version: string | undefined): boolean {
    const m = /^(\d+)\.(\d+)/.exec(version ?? "");
    if (!m) return false;
    const [major, minor] = [Number(m[1]), Number(m[2])];
    return major > 3 || (major === 3 && minor >= 7);
}

/** A command a message suggests, on the connector the user named (`commandTarget`: `--stack dev`, `--connector x --region r`). */
export function connectorCommand(sub: string, commandTarget?: string): string {
    return `\`npm run connector -- ${sub}${commandTarget ? ` ${commandTarget}` : ""}\``;
}

/**
 * Whether the connector is already where the action would take it (a pause of a PAUSED connector, a resume of a
 * RUNNING one) with no operation in progress: pause and resume are idempotent, nothing is sent. A restart is not.
 */
export function alreadyDone(action: LifecycleAction, c: ConnectorSeen): boolean {
    if (c.operations.some((op) => isInProgress(op.state))) return false;
    return (action === "pause" && c.state === "PAUSED") || (action === "resume" && c.state === "RUNNING");
}

/** What to do when the connector is not in the state an action needs. */
function wrongStateFix(action: LifecycleAction, state: string, target?: string): string {
    if (action === "pause" && state === "PAUSED") return "it is paused already: nothing to do";
    if (action === "resume" && state === "RUNNING") return "it is running already: nothing to do";
    if (action === "restart" && state === "PAUSED")
        return `resume it instead (${connectorCommand("resume", target)}): a resume starts its tasks again`;
    if (state === "FAILED") {
        return 'a FAILED connector can be neither paused, resumed nor restarted: find the cause in its logs, then replace it (`pulumi up --replace` on the connector; see "When the connector goes FAILED")';
    }
    if (state === "DELETING") return "it is being deleted";
    return `wait until it is ${NEEDS[action].state} (${connectorCommand("status", target)} shows its state), then run this again`;
}

/** Why AWS would refuse this action now, and what to do; undefined when it would accept it. */
export function refusalOf(
    action: LifecycleAction,
    c: ConnectorSeen,
    o: { onlyFailedTasks?: boolean; commandTarget?: string } = {},
): Refusal | undefined {
    const busy = c.operations.find((op) => isInProgress(op.state));
    if (busy) {
        return {
            reason: `connector ${c.name} has an operation in progress (${busy.type} ${busy.state}${busy.creationTime ? `, started ${busy.creationTime}` : ""}, ${busy.arn}), and MSK Connect runs one at a time`,
            fix: `wait for it to finish (${connectorCommand("status", o.commandTarget)} shows it), then run this again`,
        };
    }
    if (c.state !== NEEDS[action].state) {
        return {
            reason: `connector ${c.name} is ${c.state}; ${action} needs it ${NEEDS[action].state}`,
            fix: wrongStateFix(action, c.state, o.commandTarget),
        };
    }
    if (action === "restart" && o.onlyFailedTasks && !supportsOnlyFailedTasks(c.kafkaConnectVersion)) {
        return {
            reason: `restarting only the failed tasks needs Kafka Connect 3.7 or later; connector ${c.name} runs ${c.kafkaConnectVersion ?? "an unknown version"}`,
            fix: "restart without --only-failed-tasks (the connector and all its tasks restart, from their committed offsets)",
        };
    }
    return undefined;
}
