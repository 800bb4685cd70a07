import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { existingArn, planChanges, RecordedResource, renderPlan } from "../offline";
import { checkProgram } from "../policy/rules";
import { manySinks } from "../scripts/benchSinks";
import { devRaw, downloadWrites, fakeArtifact, renderProgram, settingsFrom } from "./helpers";
import { logged } from "./setup";

/**
 * What these renders log stays with them: a suite's before() hook that runs next in the same process reads `logged`
 * before any beforeEach clears it.
 */
function forgetLogs(): void {
    logged.warn.length = 0;
    logged.info.length = 0;
}

/** The dev stack's URNs as the program registered them before it knew of several sinks (the fixture was taken from that program). */
const DEV_URNS: string[] = JSON.parse(fs.readFileSync(path.join(__dirname, "fixtures", "dev-urns.json"), "utf8"));

const urns = (rs: readonly RecordedResource[]) => rs.map((r) => r.options?.urn);
/** Names of the resources of a type, sorted: resources register as their inputs resolve, not in the order the program makes them. */
const named = (rs: readonly RecordedResource[], type: string) =>
    rs
        .filter((r) => r.type === type)
        .map((r) => r.name)
        .sort();
const CONNECTOR = "aws:mskconnect/connector:Connector";

/** Three sinks: the stack's own topic under the name kept from a single sink, and two more by name, one with a role of its own. */
const THREE = JSON.stringify({
    default: {},
    orders: {
        topics: ["salesdb.salesdb.ORDERS"],
        flushSize: 100,
        extraConnectorConfig: { "behavior.on.null.values": "ignore" },
        targetBucket: "orders-archive",
    },
    items: {
        topics: ["salesdb.salesdb.ITEMS"],
        connectorName: "items-to-s3",
        executionRole: "create",
        capacity: { mode: "provisioned", mcuCount: 2, workerCount: 2 },
        verify: false,
    },
});

describe("several sinks in one stack", () => {
    after(forgetLogs);
    const artifact = fakeArtifact();
    let dev: Awaited<ReturnType<typeof renderProgram>>;
    let three: Awaited<ReturnType<typeof renderProgram>>;
    before(async () => {
        dev = await renderProgram(settingsFrom(devRaw()), {}, true);
        three = await renderProgram(settingsFrom(devRaw({ ...artifact.overrides, "msk-s3-sink:sinks": THREE })), {
            onRun: downloadWrites(artifact.content),
        });
    });

    it("keeps every URN of today's dev stack (nothing renamed or replaced on upgrade)", () => {
        assert.deepStrictEqual(urns(dev.harness.resources).sort(), [...DEV_URNS].sort());
    });

    it("changes nothing when the single-sink keys move under sinks.default", async () => {
        const moved = await renderProgram(settingsFrom(devRaw({ "msk-s3-sink:sinks": '{"default": {}}' })), {}, true);
        const changed = planChanges(dev.harness.resources, moved.harness.resources).filter((c) => c.action !== "same");
        assert.deepStrictEqual(changed, []);
    });

    it("makes one custom plugin and one connector per sink, named by the sink; the default sink keeps its names", () => {
        const rs = three.harness.resources;
        assert.deepStrictEqual(named(rs, "aws:mskconnect/customPlugin:CustomPlugin"), ["connector-plugin-custom-plugin"]);
        assert.deepStrictEqual(named(rs, CONNECTOR), ["s3-sink-connector", "s3-sink-items-connector", "s3-sink-orders-connector"]);
        const names = rs.filter((r) => r.type === CONNECTOR).map((r) => String(r.inputs.name));
        assert.deepStrictEqual(names.sort(), ["confluentinc-kafka-connect-s3", "confluentinc-kafka-connect-s3-orders", "items-to-s3"]);
        const plugins = rs.filter((r) => r.type === CONNECTOR).map((r) => JSON.stringify(r.inputs.plugins));
        assert.strictEqual(new Set(plugins).size, 1, "every connector runs the one plugin");
        assert.deepStrictEqual(named(rs, "aws:iam/role:Role"), ["s3-sink-items-execution-role"]);
        // verify: false leaves the items sink without a verification.
        assert.deepStrictEqual(
            rs
                .filter((r) => r.type.endsWith("SinkVerification") || r.name.endsWith("verification"))
                .map((r) => r.name)
                .sort(),
            ["s3-sink-orders-verification", "sink-verification"],
        );
        assert.deepStrictEqual(checkProgram(rs.map((r) => ({ type: r.type, name: r.name, inputs: r.inputs }))), []);
    });

    it("gives each sink its own connector configuration and capacity", () => {
        const byName = new Map(three.harness.resources.filter((r) => r.type === CONNECTOR).map((r) => [r.name, r.inputs]));
        const config = (n: string) => byName.get(n)!.connectorConfiguration as Record<string, string>;
        assert.strictEqual(config("s3-sink-orders-connector").topics, "salesdb.salesdb.ORDERS");
        assert.strictEqual(config("s3-sink-orders-connector")["flush.size"], "100");
        assert.strictEqual(config("s3-sink-connector")["flush.size"], "200");
        assert.strictEqual(config("s3-sink-orders-connector")["s3.bucket.name"], "orders-archive");
        assert.strictEqual(config("s3-sink-connector")["s3.bucket.name"], "msk-lab-111122223333-target-bucket");
        assert.deepStrictEqual(byName.get("s3-sink-items-connector")!.capacity, { provisionedCapacity: { mcuCount: 2, workerCount: 2 } });
    });

    it("scopes a created role to its own sink's topics and consumer group", () => {
        const policy = three.harness.resources.find(
            (r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.name.startsWith("s3-sink-items"),
        );
        const text = String(policy?.inputs.policy);
        assert.match(text, /salesdb\.salesdb\.ITEMS/);
        assert.doesNotMatch(text, /ORDERS|CUSTOMER/);
        assert.match(text, /group\/[^"]*\/connect-items-to-s3"/, "its own consumer group");
    });

    it("looks up what the sinks share once, and each sink's own names", () => {
        const count = (token: string) => three.harness.invokes.filter((i) => i.token === token).length;
        assert.strictEqual(count("aws:msk/getCluster:getCluster"), 1);
        assert.strictEqual(count("aws:mskconnect/getWorkerConfiguration:getWorkerConfiguration"), 1);
        assert.strictEqual(count("aws:mskconnect/getCustomPlugin:getCustomPlugin"), 1);
        assert.strictEqual(count("aws:mskconnect/getConnector:getConnector"), 3);
        const buckets = three.harness.invokes.filter((i) => i.token === "aws:s3/getBucket:getBucket").map((i) => i.args.bucket);
        assert.deepStrictEqual(buckets.sort(), [
            "msk-lab-111122223333-plugins-bucket",
            "msk-lab-111122223333-target-bucket",
            "orders-archive",
        ]);
        assert.strictEqual(
            count("aws:iam/getRoles:getRoles"),
            1,
            "default and orders share the lab's role, looked up once; items creates its own",
        );
    });

    it("previews 20 sinks with one sink's lookups plus each further sink's connector name (a role and log group they share looked up once)", async () => {
        const twenty = await renderProgram(settingsFrom(devRaw({ "msk-s3-sink:sinks": manySinks(20) })), {}, true);
        const counts = (r: typeof dev) => {
            const n = new Map<string, number>();
            for (const i of r.harness.invokes) n.set(i.token, (n.get(i.token) ?? 0) + 1);
            return n;
        };
        const one = counts(dev);
        const perSink = ["aws:mskconnect/getConnector:getConnector"];
        const expected = new Map([...one].map(([token, n]) => [token, perSink.includes(token) ? n * 20 : n]));
        assert.deepStrictEqual(counts(twenty), expected);
        assert.strictEqual(twenty.harness.resources.filter((r) => r.type === CONNECTOR).length, 20);
    });

    it("exports each sink's outputs under its name, and no single-sink outputs", () => {
        const sinks = three.outputs.sinks as Record<string, Record<string, unknown>>;
        assert.deepStrictEqual(Object.keys(sinks), ["default", "orders", "items"]);
        assert.strictEqual(sinks.items.connectorName, "items-to-s3");
        assert.strictEqual(sinks.orders.targetBucket, "orders-archive");
        assert.strictEqual(sinks.orders.sinkPrefix, "s3://orders-archive/topics/salesdb.salesdb.ORDERS/partition=0/");
        assert.strictEqual(sinks.items.verification, undefined);
        assert.strictEqual(three.outputs.connectorArn, undefined);
        assert.ok(three.outputs.customPluginArn !== undefined);
    });

    it("fails once, naming every sink it stops, when a lookup the sinks share fails, and names a sink's own failure with it", async () => {
        const failLookups = {
            "aws:cloudwatch/getLogGroup:getLogGroup": "reading CloudWatch Logs Log Group (/msk-lab-target-s3sink-connector): empty result",
        };
        await assert.rejects(
            renderProgram(settingsFrom(devRaw({ "msk-s3-sink:sinks": THREE })), { failLookups, roles: [] }, true),
            (e: Error) => {
                const lines = e.message.split("\n").filter((l) => l.startsWith("  - "));
                assert.strictEqual(lines.length, 2, e.message);
                assert.match(
                    lines[0],
                    /^ {2}- sinks "default", "orders": no IAM role's name starts with "mskconnectlab-S3ConnectorIAMRole-"/,
                );
                assert.match(
                    lines[1],
                    /^ {2}- sinks "default", "orders", "items": log group "\/msk-lab-target-s3sink-connector" could not be looked up/,
                );
                return true;
            },
        );
    });

    it("adds a sink without renaming or changing any other", async () => {
        const two = JSON.parse(THREE) as Record<string, unknown>;
        delete two.items;
        const before = await renderProgram(settingsFrom(devRaw({ ...artifact.overrides, "msk-s3-sink:sinks": JSON.stringify(two) })), {
            onRun: downloadWrites(artifact.content),
        });
        const changes = planChanges(before.harness.resources, three.harness.resources).filter((c) => c.action !== "same");
        assert.ok(changes.length > 0 && changes.every((c) => c.action === "create" && c.key.includes("items")), JSON.stringify(changes));
    });
});

describe("a custom plugin another stack manages (pluginArn)", () => {
    after(forgetLogs);
    const arn = existingArn("us-east-2", "111122223333", "custom-plugin", "shared-s3-sink");
    it("runs the connector on it, uploads nothing and creates no plugin", async () => {
        const r = await renderProgram(settingsFrom(devRaw({ "msk-s3-sink:pluginArn": arn })), { existingCustomPlugin: { tags: {} } }, true);
        const types = r.harness.resources.map((x) => x.type);
        assert.ok(!types.some((t) => /CustomPlugin|BucketObject|PluginArtifact|ConnectorPlugin/.test(t)), types.join(", "));
        // No plugins bucket either: not looked up, not created.
        assert.ok(!r.harness.invokes.some((i) => i.token === "aws:s3/getBucket:getBucket" && String(i.args.bucket).includes("plugins")));
        const created = await renderProgram(
            settingsFrom(devRaw({ "msk-s3-sink:pluginArn": arn, "msk-s3-sink:createPluginsBucket": "true" })),
            { existingCustomPlugin: { tags: {} } },
            true,
        );
        assert.ok(!created.harness.all("aws:s3/bucket:Bucket").some((b) => String(b.inputs.bucket).includes("plugins")));
        const connector = r.harness.resources.find((x) => x.type === CONNECTOR)!;
        assert.deepStrictEqual(connector.inputs.plugins, [{ customPlugin: { arn, revision: 1 } }]);
        assert.strictEqual(r.outputs.customPluginArn, arn);
    });

    it("fails when the plugin is not ACTIVE, or was made from another zip than the pin, saying what to do", async () => {
        const raw = devRaw({ "msk-s3-sink:pluginArn": arn });
        await assert.rejects(
            renderProgram(settingsFrom(raw), { existingCustomPlugin: { found: { state: "CREATING" } } }, true),
            /is CREATING, not ACTIVE, so no connector can be created on it\. Fix: wait/,
        );
        const other = { description: "Confluent S3 sink connector 10.5.15 (sha256 abcdefabcdef…), managed by Pulumi (msk-s3-sink)" };
        await assert.rejects(
            renderProgram(settingsFrom(raw), { existingCustomPlugin: { fields: other } }, true),
            /was made from a zip whose SHA-256 starts abcdefabcdef, but msk-s3-sink:pluginSha256 pins 000000000000…/,
        );
    });

    it("plans offline with an example of that plugin, and says what pulumi preview checks of it", async () => {
        const raw = devRaw({ "msk-s3-sink:pluginArn": arn });
        const plan = await renderPlan(settingsFrom(raw), raw, []);
        assert.ok(!plan.resources.some((r) => r.type === "aws:mskconnect/customPlugin:CustomPlugin"));
        assert.ok(plan.previewChecks.some((c) => c.includes("(msk-s3-sink:pluginArn) exists under that ARN, ACTIVE")));
        assert.ok(!plan.previewChecks.some((c) => c.includes("the connector zip downloads")), "nothing is downloaded");
        assert.match(plan.artifact.source, /^none: the connectors run the custom plugin msk-s3-sink:pluginArn names/);
    });

    it("fails when no plugin of that ARN exists, saying what to do", async () => {
        await assert.rejects(
            renderProgram(settingsFrom(devRaw({ "msk-s3-sink:pluginArn": arn })), {}, true),
            /does not exist in this account and region\. Fix: create it/,
        );
    });
});

describe("a sink's name fits every name AWS gives its resources", () => {
    after(forgetLogs);
    const artifact = fakeArtifact();

    it("renders a sink of the longest name (30) with its own role and auto-restart, and refuses 31 characters", async () => {
        const sinks = (name: string) =>
            JSON.stringify({
                [name]: { topics: ["salesdb.salesdb.ORDERS"], executionRole: "create", autoRestart: { enabled: true, maxRestarts: 3 } },
            });
        const longest = "a".repeat(30);
        const r = await renderProgram(settingsFrom(devRaw({ ...artifact.overrides, "msk-s3-sink:sinks": sinks(longest) })), {
            onRun: downloadWrites(artifact.content),
        });
        assert.ok(r.harness.all("aws:iam/role:Role").length >= 2, "its execution role and the auto-restart role, both named by Pulumi");
        assert.throws(
            () => settingsFrom(devRaw({ ...artifact.overrides, "msk-s3-sink:sinks": sinks("a".repeat(31)) })),
            /expected a sink name of 1-30 lowercase letters/,
        );
    });
});
