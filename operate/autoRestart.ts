/**
 * The auto-restart decision, a pure function of the clock, the alarm, what the function remembered and the
 * connector: Strimzi's back-off (the n-th restart waits n²+n minutes after the one before, capped at 60: at
 * once, then 2, 6, 12, 20 …), up to `maxRestarts`, then nothing more (the alarm stays on for a person). The
 * count resets once the alarm has been OK for a healthy period. Never a restart while another operation runs
 * or the connector is not RUNNING (a paused connector is left paused).
 */
import { ConnectorSeen, isInProgress, supportsOnlyFailedTasks } from "./refusals";

/** What the function keeps between invocations (in its SSM parameter). */
export interface RestartMemory {
    /** Restarts requested since the count was last reset. */
    readonly restarts: number;
    /** Epoch ms of the newest restart requested. */
    readonly lastRestartAt?: number;
    /** Epoch ms since when the alarm has been OK without a break (while restarts > 0). */
    readonly healthySince?: number;
}

export const AUTO_RESTART_DEFAULTS = {
    /** The cap of the back-off, in minutes (Strimzi's). */
    capMinutes: 60,
    /** How long the alarm must stay OK before the count resets. */
    healthyResetMinutes: 10,
};

/** Minutes to wait after the previous restart before restart number `done + 1`: done²+done, capped at 60. */
export function backoffMinutes(done: number): number {
    return Math.min(done * done + done, AUTO_RESTART_DEFAULTS.capMinutes);
}

export type AlarmState = "ALARM" | "OK" | "INSUFFICIENT_DATA";

export type RestartDecision =
    | { readonly action: "restart"; readonly onlyFailedTasks: boolean; readonly memory: RestartMemory; readonly reason: string }
    | { readonly action: "none"; readonly memory: RestartMemory; readonly reason: string };

export interface DecisionInput {
    readonly now: number;
    readonly alarm: AlarmState;
    readonly memory: RestartMemory;
    readonly maxRestarts: number;
    /** The connector, read only when the alarm is on. */
    readonly connector?: ConnectorSeen;
}

/** While the alarm is not on: count the healthy time, and reset the count after the healthy period. */
function whileQuiet(i: DecisionInput): RestartDecision {
    const m = i.memory;
    if (i.alarm === "INSUFFICIENT_DATA") {
        return {
            action: "none",
            memory: { ...m, healthySince: undefined },
            reason: "the alarm has insufficient data (no task metrics: paused, or not yet running); the count is kept",
        };
    }
    if (m.restarts === 0) return { action: "none", memory: m, reason: "the alarm is OK" };
    const since = m.healthySince ?? i.now;
    if (i.now - since >= AUTO_RESTART_DEFAULTS.healthyResetMinutes * 60_000) {
        return {
            action: "none",
            memory: { restarts: 0 },
            reason: `the alarm has been OK for ${AUTO_RESTART_DEFAULTS.healthyResetMinutes} minutes: the restart count is reset`,
        };
    }
    return {
        action: "none",
        memory: { ...m, healthySince: since },
        reason: `the alarm is OK; the count (${m.restarts}) resets after ${AUTO_RESTART_DEFAULTS.healthyResetMinutes} healthy minutes`,
    };
}

export function decideRestart(i: DecisionInput): RestartDecision {
    if (i.alarm !== "ALARM") return whileQuiet(i);
    const m: RestartMemory = {
        restarts: i.memory.restarts,
        ...(i.memory.lastRestartAt !== undefined ? { lastRestartAt: i.memory.lastRestartAt } : {}),
    };
    if (m.restarts >= i.maxRestarts) {
        return {
            action: "none",
            memory: m,
            reason: `${m.restarts} restart(s) requested, the most allowed (maxRestarts ${i.maxRestarts}): the alarm is left for a person`,
        };
    }
    const c = i.connector;
    if (!c) return { action: "none", memory: m, reason: "the connector was not read" };
    const busy = c.operations.find((op) => isInProgress(op.state));
    if (busy)
        return { action: "none", memory: m, reason: `another operation is in progress (${busy.type} ${busy.state}); not restarting now` };
    if (c.state !== "RUNNING")
        return { action: "none", memory: m, reason: `the connector is ${c.state}, not RUNNING: a restart needs RUNNING` };
    const dueAt = (m.lastRestartAt ?? Number.NEGATIVE_INFINITY) + backoffMinutes(m.restarts) * 60_000;
    if (m.restarts > 0 && i.now < dueAt) {
        return {
            action: "none",
            memory: m,
            reason: `back-off: restart ${m.restarts + 1} is due at ${new Date(dueAt).toISOString()} (${backoffMinutes(m.restarts)} minutes after restart ${m.restarts})`,
        };
    }
    const onlyFailedTasks = supportsOnlyFailedTasks(c.kafkaConnectVersion);
    return {
        action: "restart",
        onlyFailedTasks,
        memory: { restarts: m.restarts + 1, lastRestartAt: i.now },
        reason: `restart ${m.restarts + 1} of at most ${i.maxRestarts} (${onlyFailedTasks ? "only the failed tasks" : `the whole connector: Kafka Connect ${c.kafkaConnectVersion ?? "(unknown)"} cannot restart only failed tasks`})`,
    };
}

/** The memory as stored; anything unreadable starts from zero. */
export function readMemory(text: string | undefined): RestartMemory {
    try {
        const v = JSON.parse(text ?? "{}") as Partial<RestartMemory>;
        const num = (x: unknown) => (typeof x === "number" && Number.isFinite(x) ? x : undefined);
        const restarts = num(v.restarts);
        return {
            restarts: restarts !== undefined && restarts >= 0 ? Math.floor(restarts) : 0,
            ...(num(v.lastRestartAt) !== undefined ? { lastRestartAt: num(v.lastRestartAt) } : {}),
            ...(num(v.healthySince) !== undefined ? { healthySince: num(v.healthySince) } : {}),
        };
    } catch {
        return { restarts: 0 };
    }
}
