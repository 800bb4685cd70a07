import * as assert from "assert";
import {
    alreadyDone,
    backoffMinutes,
    ConnectorSeen,
    decideRestart,
    judge,
    VERDICT_EXIT,
    readMemory,
    refusalOf,
    RestartMemory,
    supportsOnlyFailedTasks,
    TaskCounts,
} from "../../operate";

const MINUTE = 60_000;
const running = (o: Partial<ConnectorSeen> = {}): ConnectorSeen => ({
    name: "sink",
    state: "RUNNING",
    kafkaConnectVersion: "3.7.x",
    operations: [],
    ...o,
});

describe("the auto-restart back-off, with a controlled clock", () => {
    it("waits n²+n minutes after restart n, capped at 60: at once, then 2, 6, 12, 20, 30, 42, 56, 60, 60", () => {
        assert.deepStrictEqual(
            Array.from({ length: 10 }, (_, n) => backoffMinutes(n)),
            [0, 2, 6, 12, 20, 30, 42, 56, 60, 60],
        );
    });

    /** Invoke the decision every minute for `minutes`, the alarm on throughout; the minutes a restart was requested. */
    function restartsOver(
        minutes: number,
        maxRestarts: number,
        start: RestartMemory = { restarts: 0 },
    ): { at: number[]; memory: RestartMemory } {
        let memory = start;
        const at: number[] = [];
        for (let t = 0; t <= minutes; t++) {
            const d = decideRestart({ now: t * MINUTE, alarm: "ALARM", memory, maxRestarts, connector: running() });
            if (d.action === "restart") at.push(t);
            memory = d.memory;
        }
        return { at, memory };
    }

    it("restarts at once, then 2, 6, 12 and 20 minutes after each restart before it", () => {
        const { at } = restartsOver(60, 10);
        assert.deepStrictEqual(at, [0, 2, 8, 20, 40]);
    });

    it("never waits more than 60 minutes between restarts", () => {
        const { at } = restartsOver(400, 11);
        const gaps = at.slice(1).map((t, i) => t - at[i]);
        assert.deepStrictEqual(gaps, [2, 6, 12, 20, 30, 42, 56, 60, 60, 60]);
    });

    it("stops after maxRestarts and leaves the alarm to a person", () => {
        const { at, memory } = restartsOver(200, 3);
        assert.deepStrictEqual(at, [0, 2, 8]);
        assert.strictEqual(memory.restarts, 3);
        const d = decideRestart({ now: 500 * MINUTE, alarm: "ALARM", memory, maxRestarts: 3, connector: running() });
        assert.strictEqual(d.action, "none");
        assert.match(d.reason, /3 restart\(s\) requested, the most allowed \(maxRestarts 3\): the alarm is left for a person/);
    });

    it("resets the count after the alarm has been OK for the healthy period, not before, and not on insufficient data", () => {
        let memory: RestartMemory = { restarts: 2, lastRestartAt: 0 };
        memory = decideRestart({ now: 10 * MINUTE, alarm: "OK", memory, maxRestarts: 5 }).memory;
        assert.strictEqual(memory.healthySince, 10 * MINUTE);
        memory = decideRestart({ now: 19 * MINUTE, alarm: "OK", memory, maxRestarts: 5 }).memory;
        assert.strictEqual(memory.restarts, 2, "9 healthy minutes are not enough");
        const gap = decideRestart({ now: 19.5 * MINUTE, alarm: "INSUFFICIENT_DATA", memory, maxRestarts: 5 });
        assert.strictEqual(gap.memory.restarts, 2);
        assert.strictEqual(gap.memory.healthySince, undefined, "insufficient data breaks the healthy period");
        memory = decideRestart({ now: 20 * MINUTE, alarm: "OK", memory: gap.memory, maxRestarts: 5 }).memory;
        memory = decideRestart({ now: 30 * MINUTE, alarm: "OK", memory, maxRestarts: 5 }).memory;
        assert.deepStrictEqual(memory, { restarts: 0 });
        const again = decideRestart({ now: 31 * MINUTE, alarm: "ALARM", memory, maxRestarts: 5, connector: running() });
        assert.strictEqual(again.action, "restart", "after a reset the first restart is at once again");
    });

    it("never restarts while another operation runs, nor a connector that is not RUNNING", () => {
        const busy = running({ operations: [{ arn: "op", type: "UPDATE_CONNECTOR_CONFIGURATION", state: "UPDATE_IN_PROGRESS" }] });
        const d = decideRestart({ now: 0, alarm: "ALARM", memory: { restarts: 0 }, maxRestarts: 5, connector: busy });
        assert.strictEqual(d.action, "none");
        assert.match(d.reason, /another operation is in progress/);
        for (const state of ["PAUSED", "RESTARTING", "FAILED"]) {
            const p = decideRestart({ now: 0, alarm: "ALARM", memory: { restarts: 0 }, maxRestarts: 5, connector: running({ state }) });
            assert.strictEqual(p.action, "none", state);
        }
    });

    it("restarts only the failed tasks on Kafka Connect 3.7+, the whole connector on 2.7.1", () => {
        const recent = decideRestart({ now: 0, alarm: "ALARM", memory: { restarts: 0 }, maxRestarts: 5, connector: running() });
        assert.deepStrictEqual(recent.action === "restart" && recent.onlyFailedTasks, true);
        const old = decideRestart({
            now: 0,
            alarm: "ALARM",
            memory: { restarts: 0 },
            maxRestarts: 5,
            connector: running({ kafkaConnectVersion: "2.7.1" }),
        });
        assert.deepStrictEqual(old.action === "restart" && old.onlyFailedTasks, false);
        assert.match(old.reason, /the whole connector/);
    });

    it("reads stored memory defensively: garbage starts from zero", () => {
        assert.deepStrictEqual(readMemory('{"restarts":3,"lastRestartAt":5}'), { restarts: 3, lastRestartAt: 5 });
        assert.deepStrictEqual(readMemory("not json"), { restarts: 0 });
        assert.deepStrictEqual(readMemory('{"restarts":-4}'), { restarts: 0 });
        assert.deepStrictEqual(readMemory(undefined), { restarts: 0 });
    });
});

describe("the refusal rules", () => {
    it("knows which Kafka Connect versions restart only failed tasks", () => {
        assert.deepStrictEqual(["2.7.1", "3.6.0", "3.7.x", "3.8.1", "4.0", undefined, "x"].map(supportsOnlyFailedTasks), [
            false,
            false,
            true,
            true,
            true,
            false,
            false,
        ]);
    });

    it("accepts what AWS accepts", () => {
        assert.strictEqual(refusalOf("pause", running()), undefined);
        assert.strictEqual(refusalOf("restart", running(), { onlyFailedTasks: true }), undefined);
        assert.strictEqual(refusalOf("resume", running({ state: "PAUSED" })), undefined);
    });

    it("has nothing to do for a pause of a PAUSED or a resume of a RUNNING connector, unless an operation is in progress", () => {
        assert.strictEqual(alreadyDone("pause", running({ state: "PAUSED" })), true);
        assert.strictEqual(alreadyDone("resume", running()), true);
        assert.strictEqual(alreadyDone("restart", running()), false);
        assert.strictEqual(alreadyDone("pause", running()), false);
        const busy = running({ state: "PAUSED", operations: [{ arn: "a", type: "RESUME_CONNECTOR", state: "PENDING" }] });
        assert.strictEqual(alreadyDone("pause", busy), false);
    });

    it("names the user's connector in the commands it suggests", () => {
        assert.match(
            refusalOf("restart", running({ state: "PAUSED" }), { commandTarget: "--stack prod" })?.fix ?? "",
            /`npm run connector -- resume --stack prod`/,
        );
    });

    it("refuses a pause of a connector that is paused already, saying there is nothing to do", () => {
        assert.deepStrictEqual(refusalOf("pause", running({ state: "PAUSED" })), {
            reason: "connector sink is PAUSED; pause needs it RUNNING",
            fix: "it is paused already: nothing to do",
        });
    });

    it("refuses anything while an operation is PENDING", () => {
        const r = refusalOf("resume", running({ state: "PAUSED", operations: [{ arn: "a", type: "RESUME_CONNECTOR", state: "PENDING" }] }));
        assert.match(r?.reason ?? "", /operation in progress \(RESUME_CONNECTOR PENDING, a\)/);
    });

    it("tells a transitional state to wait", () => {
        assert.match(refusalOf("pause", running({ state: "UPDATING" }))?.fix ?? "", /wait until it is RUNNING/);
    });
});

describe("the status verdict", () => {
    const tasks = (running: number | null, errored: number | null): TaskCounts => ({
        running,
        errored,
        ...(running !== null ? { at: "2026-01-01T00:00:00.000Z" } : {}),
    });

    it("is healthy for RUNNING with no errored task", () => {
        const v = judge({ name: "sink", state: "RUNNING", tasks: tasks(2, 0) });
        assert.strictEqual(v.verdict, "healthy");
        assert.match(v.line, /^healthy: connector sink is RUNNING; tasks: 2 running, 0 errored \(CloudWatch, 2026-01-01T00:00:00\.000Z\)$/);
    });

    it("is degraded for RUNNING with errored tasks", () => {
        const v = judge({ name: "sink", state: "RUNNING", tasks: tasks(1, 1) });
        assert.strictEqual(v.verdict, "degraded");
        assert.match(v.line, /^degraded: connector sink is RUNNING but 1 task\(s\) have failed/);
    });

    it("is unchecked, never healthy, when no errored-task count could be read (exit 1)", () => {
        const v = judge({ name: "sink", state: "RUNNING", tasks: tasks(null, null) });
        assert.strictEqual(v.verdict, "unchecked");
        assert.match(v.line, /^unchecked: connector sink is RUNNING, but whether any task has failed is unknown; tasks not checked/);
        assert.strictEqual(judge({ name: "sink", state: "RUNNING", tasks: tasks(2, null) }).verdict, "unchecked");
        assert.strictEqual(VERDICT_EXIT.unchecked, 1);
    });

    it("is changing for a state an operation passes through (exit 0, like PAUSING), telling to look again", () => {
        for (const state of ["RESTARTING", "RESUMING", "UPDATING", "CREATING"]) {
            const v = judge({ name: "s", state, tasks: tasks(null, null) });
            assert.strictEqual(v.verdict, "changing", state);
            assert.match(v.line, new RegExp(`^changing: connector s is ${state}, on its way and not yet RUNNING; wait, then look again`));
        }
        assert.strictEqual(judge({ name: "s", state: "PAUSING", tasks: tasks(null, null) }).verdict, "paused");
        assert.deepStrictEqual([VERDICT_EXIT.changing, VERDICT_EXIT.paused, VERDICT_EXIT.healthy], [0, 0, 0]);
    });

    it("is degraded when the newest operation failed, paused when paused, failed when FAILED", () => {
        assert.strictEqual(
            judge({
                name: "s",
                state: "RUNNING",
                tasks: tasks(1, 0),
                newestOperation: { type: "RESTART_CONNECTOR", state: "RESTART_FAILED" },
            }).verdict,
            "degraded",
        );
        assert.strictEqual(judge({ name: "s", state: "PAUSED", tasks: tasks(null, null) }).verdict, "paused");
        assert.match(judge({ name: "s", state: "PAUSED", tasks: tasks(null, null) }).line, /committed offsets/);
        const f = judge({ name: "s", state: "FAILED", stateDescription: { code: "C", message: "M" }, tasks: tasks(null, null) });
        assert.deepStrictEqual(f, { verdict: "failed", line: "failed: connector s is FAILED (C: M)" });
    });
});
