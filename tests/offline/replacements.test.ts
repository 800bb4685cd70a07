import * as assert from "assert";
import { MockFixtures, planChanges, stepsOf } from "../../offline";
import { devRaw, downloadWrites, fakeArtifact, renderProgram, settingsFrom } from "../helpers";

/**
 * The dev stack rendered before and after one change, and what `pulumi up` would then do to each resource, from
 * the provider's replacement table (common/replacements.ts: terraform-provider-aws ForceNew fields) and the
 * engine's step order (pulumi pkg/resource/deploy/step_generator.go).
 */
describe("what a change does on the next pulumi up (two renders, the replacement table)", function () {
    this.timeout(30000);
    const artifact = fakeArtifact();
    const CONNECTOR = "aws:mskconnect/connector:Connector s3-sink-connector";
    const PLUGIN = "aws:mskconnect/customPlugin:CustomPlugin connector-plugin-custom-plugin";

    async function render(overrides: Record<string, string | undefined>, fixtures: Partial<MockFixtures> = {}) {
        const r = await renderProgram(settingsFrom(devRaw({ ...artifact.overrides, ...overrides })), {
            onRun: downloadWrites(artifact.content),
            ...fixtures,
        });
        return r.harness.resources;
    }

    async function change(
        before: [Record<string, string>, Partial<MockFixtures>?],
        after: [Record<string, string>, Partial<MockFixtures>?],
    ) {
        const old = await render(...before);
        const now = await render(...after);
        const changes = planChanges(old, now);
        const of = (key: string) => changes.find((c) => c.key === key)!;
        return { changes, of, steps: stepsOf(changes, now), moved: changes.filter((c) => c.action !== "same").map((c) => c.key) };
    }

    it("changes nothing when the cluster lists its brokers in another order (the list is normalised)", async () => {
        const brokers = (order: number[]) =>
            order.map((n) => `b-${n}.mskcluster-mskconnectlab.x1y2z3.c2.kafka.us-east-2.amazonaws.com:9098`).join(",");
        const r = await change(
            [{}, { bootstrapBrokersSaslIam: brokers([1, 2, 3]) }],
            [{}, { bootstrapBrokersSaslIam: brokers([3, 1, 2]) }],
        );
        assert.deepStrictEqual(r.moved, []);
    });

    it("changes nothing when a worker configuration revision is added and the stack pins its revision (dev pins 1)", async () => {
        const r = await change([{}, { workerConfigurationRevision: 1 }], [{}, { workerConfigurationRevision: 2 }]);
        assert.deepStrictEqual(r.moved, []);
    });

    it("replaces the connector, deleting it first, when a revision is added and the stack follows the latest", async () => {
        const latest = { "msk-s3-sink:workerConfigurationRevision": "latest" };
        const r = await change([latest, { workerConfigurationRevision: 1 }], [latest, { workerConfigurationRevision: 2 }]);
        assert.deepStrictEqual(r.of(CONNECTOR), {
            key: CONNECTOR,
            action: "replace",
            fields: ["workerConfiguration"],
            order: "delete-before-replace",
        });
    });

    it("updates the connector in place when flush.size changes (its configuration is updatable)", async () => {
        const r = await change([{}], [{ "msk-s3-sink:flushSize": "500" }]);
        assert.deepStrictEqual(r.of(CONNECTOR), { key: CONNECTOR, action: "update", fields: ["connectorConfiguration"] });
        assert.strictEqual(r.of(PLUGIN).action, "same");
    });

    it("creates the new plugin before anything is deleted when the plugin version is upgraded", async () => {
        const r = await change([{}], [{ "msk-s3-sink:pluginVersion": "10.6.0" }]);
        assert.deepStrictEqual(r.of(PLUGIN), {
            key: PLUGIN,
            action: "replace",
            fields: ["description", "location", "name"],
            order: "create-before-delete",
        });
        assert.strictEqual(r.of(CONNECTOR).action, "replace");
        const firstDelete = r.steps.findIndex((s) => s.startsWith("delete "));
        assert.ok(r.steps.indexOf(`create ${PLUGIN}`) < firstDelete, r.steps.join("\n"));
        assert.ok(
            r.steps.indexOf(`delete ${PLUGIN}`) > r.steps.indexOf(`create ${CONNECTOR}`),
            "the old plugin goes after the connector moved off it",
        );
    });

    it("updates every tagged resource in place when aws:defaultTags gains a tag (tagsAll), replacing nothing", async () => {
        const r = await change([{}], [{ "aws:defaultTags": JSON.stringify({ tags: { team: "data" } }) }]);
        assert.deepStrictEqual(r.moved, [
            "pulumi:providers:aws aws-us-east-2",
            "aws:s3/bucketObjectv2:BucketObjectv2 plugin-artifact-object",
            PLUGIN,
            CONNECTOR,
        ]);
        for (const c of r.changes.filter((x) => x.action !== "same" && !x.key.startsWith("pulumi:providers:"))) {
            assert.deepStrictEqual([c.action, c.fields], ["update", ["tagsAll"]], c.key);
        }
    });

    it("replaces the connector when its log group changes (log delivery cannot change in place)", async () => {
        const r = await change([{}], [{ "msk-s3-sink:logGroupName": "/other-log-group" }]);
        assert.deepStrictEqual(r.of(CONNECTOR), {
            key: CONNECTOR,
            action: "replace",
            fields: ["logDelivery"],
            order: "delete-before-replace",
        });
    });

    it("knows every resource type a stack with everything on registers (created role, buckets, log group, auto-restart)", async () => {
        const all = await render({
            "msk-s3-sink:executionRole": "create",
            "msk-s3-sink:executionRoleNamePrefix": undefined,
            "msk-s3-sink:logGroup": "create",
            "msk-s3-sink:createPluginsBucket": "true",
            "msk-s3-sink:createTargetBucket": "true",
            "msk-s3-sink:autoRestart": JSON.stringify({ enabled: true, maxRestarts: 3 }),
        });
        const changed = all.map((r) => ({ ...r, inputs: { ...r.inputs, __probe: 1 } }));
        assert.doesNotThrow(() => planChanges(all, changed));
        assert.ok(
            all.some((r) => r.type === "aws:lambda/function:Function"),
            "auto-restart's function is among them",
        );
    });

    it("fails loudly for a resource type the table does not know", () => {
        const r = { type: "aws:sqs/queue:Queue", name: "q", inputs: { a: 1 } };
        assert.throws(() => planChanges([r], [{ ...r, inputs: { a: 2 } }]), /no replacement rule for aws:sqs\/queue:Queue/);
    });
});
