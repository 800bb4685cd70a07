import * as assert from "assert";
import { sinkNamed, StackConfigError } from "../../config";
import { devRaw, settingsFrom } from "../helpers";

function problems(sinks: unknown, more: Record<string, string> = {}): string[] {
    try {
        settingsFrom(devRaw({ "msk-s3-sink:sinks": JSON.stringify(sinks), ...more }));
    } catch (e) {
        assert.ok(e instanceof StackConfigError, String(e));
        return e.problems.map((p) => `${p.key}: ${p.message}`);
    }
    return assert.fail("expected the sinks to be refused");
}

describe("sinks", () => {
    it("reads the single-sink keys as one sink, default, with the stack's settings", () => {
        const s = settingsFrom(devRaw());
        assert.deepStrictEqual(
            s.sinks.map((x) => [x.name, x.legacyNames, x.keyPrefix, x.settings.connectorName]),
            [["default", true, "msk-s3-sink:", "confluentinc-kafka-connect-s3"]],
        );
    });

    it("reads each sink's own fields over the stack's; a sink without connectorName gets the stack's followed by its name", () => {
        const s = settingsFrom(
            devRaw({
                "msk-s3-sink:sinks": JSON.stringify({
                    orders: { topics: ["salesdb.salesdb.ORDERS"], flushSize: 50, targetBucket: "other-bucket", verify: false },
                    items: { topics: "salesdb.salesdb.ITEMS", connectorName: "items" },
                }),
                "msk-s3-sink:createTargetBucket": "true",
            }),
        );
        const [orders, items] = s.sinks;
        assert.strictEqual(orders.settings.connectorName, "confluentinc-kafka-connect-s3-orders");
        assert.strictEqual(orders.settings.flushSizeRecords, 50);
        assert.deepStrictEqual(orders.settings.targetBucket, { name: "other-bucket", create: false }, "a sink's own bucket is looked up");
        assert.strictEqual(orders.settings.verification.enabled, false);
        assert.strictEqual(orders.settings.verification.prefix, "topics/salesdb.salesdb.ORDERS/partition=0/");
        assert.strictEqual(items.settings.connectorName, "items");
        assert.strictEqual(items.settings.flushSizeRecords, 200, "inherited");
        assert.deepStrictEqual(items.settings.targetBucket, { name: "msk-lab-111122223333-target-bucket", create: true });
    });

    it("fails when sinks would write one topic to one place twice or share a connector name, naming every problem under its sink", () => {
        const found = problems({
            Orders: {},
            a: { topics: ["t1"], flushsize: 3, tasksMax: 0, mskClusterName: "x" },
            b: { topics: ["t1", "t2"], connectorName: "confluentinc-kafka-connect-s3-a" },
        });
        assert.deepStrictEqual(
            found.map((p) => p.split(":").slice(0, 2).join(":")),
            [
                "msk-s3-sink:sinks.Orders",
                "msk-s3-sink:sinks.a.flushsize",
                "msk-s3-sink:sinks.a.mskClusterName",
                "msk-s3-sink:sinks.a.tasksMax",
                "msk-s3-sink:sinks.b.connectorName",
                "msk-s3-sink:sinks.b.topics",
            ],
        );
        assert.match(found[1], /Did you mean "flushSize"\?/);
        assert.match(found[2], /msk-s3-sink:mskClusterName is the stack's, shared by every sink/);
        assert.match(found[4], /is also sink "a"'s connector name/);
        assert.match(found[5], /sink "a" already writes topic "t1" to s3:\/\/msk-lab-111122223333-target-bucket\/topics\/.*duplicate data/);
    });

    it("fails when two sinks would create one log group, and on a sink that is not a map", () => {
        const found = problems({ a: { topics: ["t1"] }, b: { topics: ["t2"] }, c: "x" }, { "msk-s3-sink:logGroup": "create" });
        assert.deepStrictEqual(
            found.map((p) => p.split(": ")[0]),
            ["msk-s3-sink:sinks.c", "msk-s3-sink:sinks.b.logGroupName"],
        );
    });

    it("does not call a topic listed twice in one sink duplicate data", () => {
        assert.deepStrictEqual(
            problems({ a: { topics: ["t1", "t1"] } }).filter((p) => /duplicate data/.test(p)),
            [],
        );
    });

    it("fails when one sink creates the log group another looks up (one of them must fail at pulumi up)", () => {
        const found = problems({ a: { topics: ["t1"], logGroup: "create" }, b: { topics: ["t2"] } });
        assert.deepStrictEqual(
            found.map((p) => p.split(": ")[0]),
            ["msk-s3-sink:sinks.b.logGroup"],
        );
        assert.match(found[0], /looks up log group \/msk-lab-target-s3sink-connector, which sink "a" creates in the same run/);
    });

    it("finds the sink a command names, the only one without a name, and fails naming the sinks there are", () => {
        const s = settingsFrom(devRaw({ "msk-s3-sink:sinks": JSON.stringify({ orders: {}, items: { topics: ["t"] } }) }));
        assert.strictEqual(sinkNamed(s.sinks, "items", "dev").settings.topics[0], "t");
        assert.throws(() => sinkNamed(s.sinks, undefined, "dev"), /stack "dev" has 2 sinks \(orders, items\): name one with --sink NAME/);
        assert.throws(() => sinkNamed(s.sinks, "order", "dev"), /no sink "order"; its sinks: orders, items\. Did you mean --sink orders\?/);
        assert.strictEqual(sinkNamed(settingsFrom(devRaw()).sinks, undefined, "dev").name, "default");
    });
});
