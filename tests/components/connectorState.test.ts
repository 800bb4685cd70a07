import * as assert from "assert";
import * as path from "path";
import { createRequire } from "module";
import * as pulumi from "@pulumi/pulumi";
import {
    changeGuardProvider,
    ChangeGuardInputs,
    connectorStateProvider,
    ConnectorStateInputs,
    ConnectorStateOutputs,
} from "../../components";
import { LocalKafkaConnectApi, startKafkaConnectApi, useLocalCredentials } from "../../offline";
import { ROOT } from "../helpers";

/** A provider as the dynamic provider host revives it from its serialized text (what goes into the state). */
async function revived<T>(provider: T): Promise<{ text: string; provider: T }> {
    const fn = await pulumi.runtime.serializeFunction(() => provider);
    const mod: { exports: Record<string, () => T> } = { exports: {} };
    const hostRequire = createRequire(path.join(ROOT, "node_modules", "@pulumi", "pulumi", "cmd", "dynamic-provider", "index.js"));
    new Function("module", "exports", "require", fn.text)(mod, mod.exports, hostRequire);
    return { text: fn.text, provider: mod.exports[fn.exportName]() };
}

describe("the connector state and change-guard providers against the MSK Connect stand-in", function () {
    let api: LocalKafkaConnectApi;

    before(async () => {
        useLocalCredentials();
        api = await startKafkaConnectApi({ operationMs: 60 });
    });
    after(async () => api?.stop());

    const inputs = (connectorArn: string, desiredState: "running" | "paused"): ConnectorStateInputs => ({
        connectorArn,
        region: "us-east-1",
        desiredState,
        timeoutSeconds: 5,
        pollIntervalSeconds: 0.02,
        endpoint: api.endpoint,
    });
    const lifecycle = (arn: string) =>
        api.calls.filter(
            (c) => /Connector$/.test(c.operation) && c.operation.match(/Pause|Resume|Restart/) && c.path.includes(encodeURIComponent(arn)),
        );

    it("leaves a RUNNING connector alone on create with running; pauses and waits on an update to paused, and resumes back", async () => {
        const arn = api.addConnector({ connectorName: "state-sink", connectorConfiguration: {} });
        const created = (await connectorStateProvider.create!(inputs(arn, "running"))) as { id: string; outs: ConnectorStateOutputs };
        assert.strictEqual(created.outs.state, "running");
        assert.deepStrictEqual(lifecycle(arn), []);
        const diff = await connectorStateProvider.diff!(created.id, created.outs, inputs(arn, "paused"));
        assert.strictEqual(diff.changes, true, "preview shows the change");
        assert.deepStrictEqual(diff.replaces, []);
        const paused = await connectorStateProvider.update!(created.id, created.outs, inputs(arn, "paused"));
        assert.strictEqual(paused.outs?.state, "paused");
        assert.match(String(paused.outs?.operationArn), /connector-operation/);
        const resumed = await connectorStateProvider.update!(created.id, paused.outs as ConnectorStateOutputs, inputs(arn, "running"));
        assert.strictEqual(resumed.outs?.state, "running");
        assert.deepStrictEqual(
            lifecycle(arn).map((c) => c.operation),
            ["PauseConnector", "ResumeConnector"],
        );
    });

    it("reads the live state on refresh, so a connector paused by hand shows as a change back to running", async () => {
        const arn = api.addConnector({ connectorName: "state-drift", connectorConfiguration: {}, states: [{ connectorState: "PAUSED" }] });
        const outs = { ...inputs(arn, "running"), state: "running" };
        const read = await connectorStateProvider.read!(`${arn}#state`, outs);
        assert.strictEqual((read.props as { state: string }).state, "paused");
        const diff = await connectorStateProvider.diff!(`${arn}#state`, read.props as never, inputs(arn, "running"));
        assert.strictEqual(diff.changes, true);
    });

    it("fails the deploy with AWS's errorInfo and the failed step when the pause fails", async () => {
        const arn = api.addConnector({ connectorName: "state-fail", connectorConfiguration: {} });
        api.scriptNextOperation(arn, {
            fail: {
                errorInfo: { code: "InternalFailure", message: "workers unreachable" },
                operationSteps: [{ stepType: "FINALIZE_UPDATE", stepState: "FAILED" }],
            },
        });
        await assert.rejects(connectorStateProvider.create!(inputs(arn, "paused")), (e: Error) => {
            assert.match(
                e.message,
                /ended PAUSE_FAILED: AWS says InternalFailure: workers unreachable\. Failed steps: FINALIZE_UPDATE FAILED\./,
            );
            return true;
        });
    });

    it("waits for an operation in progress before applying, and refuses a FAILED connector with the fix", async () => {
        const arn = api.addConnector({ connectorName: "state-failed", connectorConfiguration: {}, states: [{ connectorState: "FAILED" }] });
        await assert.rejects(
            connectorStateProvider.update!(`${arn}#state`, { ...inputs(arn, "running"), state: "running" }, inputs(arn, "paused")),
            /is FAILED: connectorState "paused" cannot be applied/,
        );
        const busy = api.addConnector({
            connectorName: "state-busy",
            connectorConfiguration: {},
            operations: [{ states: ["UPDATE_IN_PROGRESS", "UPDATE_IN_PROGRESS", "UPDATE_COMPLETE"], creationTime: "2026-01-01T00:00:00Z" }],
        });
        const done = await connectorStateProvider.create!(inputs(busy, "paused"));
        assert.strictEqual(done.outs?.state, "paused");
    });

    it("runs from its serialized text, holding no client or credentials, as the dynamic provider host would", async () => {
        process.env.AWS_SECRET_ACCESS_KEY = "serialization-canary-secret";
        const { text, provider } = await revived(connectorStateProvider);
        assert.strictEqual(text.includes("serialization-canary-secret"), false);
        assert.match(text, /require\("@aws-sdk\/client-kafkaconnect"\)/);
        const arn = api.addConnector({ connectorName: "state-serialized", connectorConfiguration: {} });
        const created = await provider.create!(inputs(arn, "paused"));
        assert.strictEqual(created.outs?.state, "paused");
        useLocalCredentials();
    });

    describe("the change guard", () => {
        const guard = (o: Partial<ChangeGuardInputs> = {}): ChangeGuardInputs => ({
            connectorName: "guarded-sink",
            region: "us-east-1",
            desiredState: "running",
            changeDigest: "aaaa",
            endpoint: api.endpoint,
            ...o,
        });

        it("refuses in preview (check) a configuration or capacity change to a connector the last up left paused, with the fix", async () => {
            const c = await changeGuardProvider.check!(
                guard({ desiredState: "paused" }),
                guard({ desiredState: "paused", changeDigest: "bbbb" }),
            );
            assert.strictEqual(c.failures?.length, 1);
            assert.match(
                c.failures![0].reason,
                /was left paused by the last `pulumi up`.*skipHealthValidation.*Resume it first: set msk-s3-sink:connectorState to running/,
            );
            const resumingToo = await changeGuardProvider.check!(guard({ desiredState: "paused" }), guard({ changeDigest: "bbbb" }));
            assert.strictEqual(resumingToo.failures?.length, 1, "the update would still reach it before the resume");
        });

        it("lets a change through to a running connector, and a pause or resume without a change", async () => {
            assert.deepStrictEqual((await changeGuardProvider.check!(guard(), guard({ changeDigest: "bbbb" }))).failures, []);
            assert.deepStrictEqual((await changeGuardProvider.check!(guard({ desiredState: "paused" }), guard())).failures, []);
            assert.deepStrictEqual(
                (await changeGuardProvider.check!({} as ChangeGuardInputs, guard({ desiredState: "paused" }))).failures,
                [],
            );
        });

        it("refuses on update, before the connector is touched, a change to a connector paused by hand", async () => {
            api.addConnector({ connectorName: "guarded-sink", connectorConfiguration: {}, states: [{ connectorState: "PAUSED" }] });
            await assert.rejects(
                changeGuardProvider.update!("g", guard(), guard({ changeDigest: "bbbb" })),
                /connector guarded-sink is PAUSED now, and this update changes its configuration or capacity/,
            );
            const renamed = await changeGuardProvider.update!(
                "g",
                guard(),
                guard({ connectorName: "not-created-yet", changeDigest: "bbbb" }),
            );
            assert.strictEqual(renamed.outs?.connectorName, "not-created-yet", "no connector of the name yet: nothing paused to protect");
            const same = await changeGuardProvider.update!("g", guard(), guard({ desiredState: "paused" }));
            assert.strictEqual(same.outs?.desiredState, "paused");
        });
    });
});
