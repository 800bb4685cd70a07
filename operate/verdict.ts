/**
 * The one-line verdict `status` opens with: healthy, degraded, failed, paused, changing or unchecked, from the
 * connector's state, its task counts and its newest operation. RUNNING with errored tasks is degraded, not
 * healthy; a verdict never claims what was not checked: RUNNING with no errored-task count read is
 * `unchecked`, never healthy. A state an operation passes through (CREATING, UPDATING, RESUMING, RESTARTING)
 * is `changing`: on its way, look again; PAUSING is `paused`, as the README's states table says.
 */
import type { TaskCounts } from "./metrics";

export type Verdict = "healthy" | "degraded" | "failed" | "paused" | "changing" | "unchecked";

/** The exit code `status` gives each verdict (docs/commands.md): 0 healthy, paused or changing; 1 otherwise. */
export const VERDICT_EXIT: Readonly<Record<Verdict, 0 | 1>> = {
    healthy: 0,
    paused: 0,
    changing: 0,
    degraded: 1,
    failed: 1,
    unchecked: 1,
};

export interface VerdictInput {
    readonly name: string;
    readonly state: string;
    readonly stateDescription?: { code?: string; message?: string };
    readonly tasks: TaskCounts;
    /** The newest operation, if any. */
    readonly newestOperation?: { type: string; state: string };
}

const CHANGING = ["CREATING", "UPDATING", "RESTARTING", "RESUMING"];

function taskText(t: TaskCounts): string {
    if (t.running === null && t.errored === null) return "tasks not checked (no task counts could be read)";
    const parts = [
        t.running === null ? "running tasks unknown" : `${t.running} running`,
        t.errored === null ? "errored tasks unknown" : `${t.errored} errored`,
    ];
    return `tasks: ${parts.join(", ")}${t.at ? ` (CloudWatch, ${t.at})` : ""}`;
}

function described(i: VerdictInput): string {
    const d = i.stateDescription;
    return d?.code || d?.message ? ` (${d.code ?? ""}${d.code && d.message ? ": " : ""}${d.message ?? ""})` : "";
}

export function judge(i: VerdictInput): { verdict: Verdict; line: string } {
    const lead = `connector ${i.name} is ${i.state}${described(i)}`;
    if (i.state === "FAILED" || i.state === "DELETING") return { verdict: "failed", line: `failed: ${lead}` };
    if (i.state === "PAUSED" || i.state === "PAUSING") {
        return { verdict: "paused", line: `paused: ${lead}; it reads nothing until resumed, then continues from its committed offsets` };
    }
    if (CHANGING.includes(i.state)) {
        return {
            verdict: "changing",
            line: `changing: ${lead}, on its way and not yet RUNNING; wait, then look again with status; ${taskText(i.tasks)}`,
        };
    }
    if (i.state !== "RUNNING") return { verdict: "degraded", line: `degraded: ${lead}, a state this command does not know` };
    if ((i.tasks.errored ?? 0) > 0)
        return { verdict: "degraded", line: `degraded: ${lead} but ${i.tasks.errored} task(s) have failed; ${taskText(i.tasks)}` };
    const op = i.newestOperation;
    if (op && /_FAILED$|^ROLLBACK_/.test(op.state)) {
        return {
            verdict: "degraded",
            line: `degraded: ${lead} but its newest operation ${op.type} ended ${op.state}; ${taskText(i.tasks)}`,
        };
    }
    if (i.tasks.errored === null) {
        return {
            verdict: "unchecked",
            line: `unchecked: ${lead}, but whether any task has failed is unknown; ${taskText(i.tasks)}`,
        };
    }
    return { verdict: "healthy", line: `healthy: ${lead}; ${taskText(i.tasks)}` };
}
