import * as assert from "assert";
import { LocalKafkaConnectApi, startKafkaConnectApi, useLocalCredentials } from "../../offline";
import { isOperateError, LifecycleRequest, OperateError, runLifecycle, withKafkaConnect } from "../../operate";
import { isConnectorHealthError } from "../../verification";

describe("pause, resume and restart against the MSK Connect stand-in, through the real SDK", function () {
    let api: LocalKafkaConnectApi;

    before(async () => {
        useLocalCredentials();
        api = await startKafkaConnectApi({ operationMs: 120 });
    });
    afterEach(() => api.clearFaults());
    after(async () => api?.stop());

    const add = (name: string, o: { kafkaConnectVersion?: string; states?: { connectorState: string }[] } = {}) =>
        api.addConnector({ connectorName: name, connectorConfiguration: {}, logGroup: "/msk/logs", ...o });
    const run = (connector: string, r: LifecycleRequest, timeoutSeconds = 5) =>
        withKafkaConnect(
            { connector, region: "us-east-1", endpoint: api.endpoint, timeoutSeconds, pollIntervalSeconds: 0.02 },
            (ctx, arn) => runLifecycle(ctx, arn, r),
        );
    const failure = async (p: Promise<unknown>): Promise<OperateError> => {
        try {
            await p;
        } catch (e) {
            if (isOperateError(e)) return e;
            throw e;
        }
        throw new Error("expected an OperateError");
    };
    const lifecycleCalls = (arn: string) =>
        api.calls.filter(
            (c) =>
                ["PauseConnector", "ResumeConnector", "RestartConnector"].includes(c.operation) && c.path.includes(encodeURIComponent(arn)),
        );

    it("pauses by name and waits: PAUSE_COMPLETE, the connector PAUSED; then resumes it to RUNNING", async () => {
        const arn = add("op-pause");
        const paused = await run("op-pause", { action: "pause" });
        assert.strictEqual(paused.connectorArn, arn);
        assert.strictEqual(paused.operationState, "PAUSE_COMPLETE");
        assert.strictEqual(paused.connectorState, "PAUSED");
        assert.strictEqual(paused.waited, true);
        const resumed = await run(arn, { action: "resume" });
        assert.strictEqual(resumed.operationState, "RESUME_COMPLETE");
        assert.strictEqual(resumed.connectorState, "RUNNING");
    });

    it("returns at once with --no-wait, the operation started", async () => {
        const arn = add("op-nowait");
        const started = await run(arn, { action: "restart", wait: false });
        assert.strictEqual(started.operationState, "started");
        assert.strictEqual(started.waited, false);
        assert.match(started.operationArn ?? "", /connector-operation/);
    });

    it("refuses, before calling AWS, a resume of an UPDATING connector, naming the reason and the fix", async () => {
        const arn = add("op-refuse", { states: [{ connectorState: "UPDATING" }] });
        const e = await failure(run(arn, { action: "resume" }));
        assert.strictEqual(e.kind, "refused");
        assert.match(
            e.message,
            /^not sent to AWS: connector op-refuse is UPDATING; resume needs it PAUSED\. What to do: wait until it is PAUSED \(`npm run connector -- status` shows its state\), then run this again\.$/,
        );
        assert.deepStrictEqual(lifecycleCalls(arn), [], "no ResumeConnector call was made");
    });

    it("refuses a restart of a PAUSED connector (resume it instead) and of a FAILED one (replace it)", async () => {
        const paused = add("op-paused", { states: [{ connectorState: "PAUSED" }] });
        assert.match((await failure(run(paused, { action: "restart" }))).message, /resume it instead/);
        const failed = add("op-failed", { states: [{ connectorState: "FAILED" }] });
        assert.match((await failure(run(failed, { action: "pause" }))).message, /FAILED connector can be neither .* replace it/);
        assert.deepStrictEqual([...lifecycleCalls(paused), ...lifecycleCalls(failed)], []);
    });

    it("refuses --only-failed-tasks on Kafka Connect 2.7.1, and restarts only the failed tasks on 3.7.x", async () => {
        const old = add("op-old");
        const e = await failure(run(old, { action: "restart", onlyFailedTasks: true }));
        assert.match(e.message, /needs Kafka Connect 3\.7 or later; connector op-old runs 2\.7\.1.*restart without --only-failed-tasks/);
        assert.deepStrictEqual(lifecycleCalls(old), []);
        const recent = add("op-recent", { kafkaConnectVersion: "3.7.x" });
        const done = await run(recent, { action: "restart", onlyFailedTasks: true });
        assert.strictEqual(done.operationState, "RESTART_COMPLETE");
        assert.deepStrictEqual(lifecycleCalls(recent)[0].query, { onlyFailedTasks: "true" });
    });

    it("refuses while another operation is in progress, naming it", async () => {
        const arn = api.addConnector({
            connectorName: "op-busy",
            connectorConfiguration: {},
            operations: [{ states: ["UPDATE_IN_PROGRESS"], creationTime: "2026-01-01T00:00:00Z" }],
        });
        const e = await failure(run(arn, { action: "pause" }));
        assert.match(
            e.message,
            /has an operation in progress \(UPDATE_CONNECTOR_CONFIGURATION UPDATE_IN_PROGRESS, started 2026-01-01T00:00:00\.000Z/,
        );
        assert.match(e.message, /wait for it to finish/);
        assert.deepStrictEqual(lifecycleCalls(arn), []);
    });

    it("fails with AWS's errorInfo and the failed steps when the operation ends FAILED", async () => {
        const arn = add("op-fail");
        api.scriptNextOperation(arn, {
            fail: {
                errorInfo: { code: "WorkerError", message: "tasks did not stop in time" },
                operationSteps: [
                    { stepType: "INITIALIZE_UPDATE", stepState: "COMPLETED" },
                    { stepType: "UPDATE_WORKER_SETTING", stepState: "FAILED" },
                ],
            },
        });
        const e = await failure(run(arn, { action: "pause" }));
        assert.strictEqual(e.kind, "operation-failed");
        assert.match(
            e.message,
            /ended PAUSE_FAILED: AWS says WorkerError: tasks did not stop in time\. Failed steps: UPDATE_WORKER_SETTING FAILED\./,
        );
        assert.match(e.message, /log group \/msk\/logs/);
        assert.deepStrictEqual(e.details.errorInfo, { code: "WorkerError", message: "tasks did not stop in time" });
        assert.deepStrictEqual(e.details.failedSteps, ["UPDATE_WORKER_SETTING FAILED"]);
    });

    it("holds its deadline: an operation still in progress at the deadline is an operation-timeout, returned on time", async () => {
        const arn = add("op-slow");
        api.scriptNextOperation(arn, { durationMs: 60_000 });
        const t0 = Date.now();
        const e = await failure(run(arn, { action: "pause" }, 0.4));
        const took = Date.now() - t0;
        assert.strictEqual(e.kind, "operation-timeout");
        assert.match(e.message, /still PAUSE_IN_PROGRESS after the 0\.4 s deadline/);
        assert.ok(took < 1500, `returned ${took} ms after starting, deadline 400 ms`);
    });

    it("retries a throttled start (429) and completes", async () => {
        const arn = add("op-throttled");
        api.injectFault({ fault: 429, times: 2, operation: "RestartConnector" });
        const done = await run(arn, { action: "restart" });
        assert.strictEqual(done.operationState, "RESTART_COMPLETE");
        assert.deepStrictEqual(
            lifecycleCalls(arn).map((c) => c.answered),
            [429, 429, 200],
        );
    });

    it("does not send a start again after an answer that leaves it open whether it started (500)", async () => {
        const arn = add("op-uncertain");
        api.injectFault({ fault: 500, times: 1, operation: "PauseConnector" });
        const e = await failure(run(arn, { action: "pause" }));
        assert.strictEqual(e.kind, "uncertain");
        assert.match(e.message, /may or may not have started, so it was not sent again/);
        assert.strictEqual(lifecycleCalls(arn).length, 1);
    });

    /** Resolves once the stand-in has answered `operation` (a call after `from` in api.calls). */
    const answered = async (operation: string, from: number): Promise<void> => {
        while (!api.calls.slice(from).some((c) => c.operation === operation && c.answered === 200)) {
            await new Promise((resolve) => setTimeout(resolve, 2));
        }
    };

    it("says the connector was deleted mid-way when it disappears while the operation runs", async () => {
        const arn = add("op-deleted");
        api.scriptNextOperation(arn, { durationMs: 60_000 });
        const from = api.calls.length;
        const running = failure(run(arn, { action: "pause" }));
        // Deleted once the operation is being followed (its first DescribeConnectorOperation answered), never before the pre-check.
        await answered("DescribeConnectorOperation", from);
        api.deleteConnector(arn);
        const e = await running;
        assert.strictEqual(e.kind, "connector-deleted");
        assert.match(e.message, /was deleted while the pause was in progress/);
    });

    it("says so cleanly when the connector is gone at the pre-check (its ARN no longer answers)", async () => {
        const arn = add("op-gone");
        api.deleteConnector(arn);
        const e = await run(arn, { action: "pause" }).then(
            () => assert.fail("expected a failure"),
            (err: unknown) => err,
        );
        assert.ok(isConnectorHealthError(e), String(e));
        assert.strictEqual(e.kind, "connector-not-found");
        assert.match(
            e.message,
            /^no connector arn:aws:kafkaconnect:.* in the MSK Connect endpoint .*Check the connector's ARN and the region/,
        );
        assert.deepStrictEqual(lifecycleCalls(arn), [], "nothing was started");
    });

    it("is idempotent: a pause of a PAUSED connector and a resume of a RUNNING one send nothing and succeed", async () => {
        const paused = add("op-already-paused", { states: [{ connectorState: "PAUSED" }] });
        const p = await run(paused, { action: "pause" });
        assert.deepStrictEqual([p.alreadyDone, p.operationArn, p.operationState, p.connectorState], [true, undefined, "none", "PAUSED"]);
        const running = add("op-already-running");
        const r = await run(running, { action: "resume" });
        assert.deepStrictEqual([r.alreadyDone, r.connectorState], [true, "RUNNING"]);
        assert.deepStrictEqual([...lifecycleCalls(paused), ...lifecycleCalls(running)], []);
    });

    it("names a connector that does not exist (a health error kind the CLI reports)", async () => {
        await assert.rejects(
            run("no-such-connector", { action: "pause" }),
            (e: unknown) => isConnectorHealthError(e) && e.kind === "connector-not-found",
        );
    });
});
