import * as assert from "assert";
import { chooseObject, cutUtf8, describeDifferences, diffConfiguration, optionProblems, readPage, sampleEntry } from "../../verification";
import { sinkKeyFormat } from "../../sink";
import { wellFormed } from "./helpers";

const PREFIX = "topics/t/partition=0/";

describe("object choice", () => {
    it("reads a listing page as sink objects and counts the other keys", () => {
        const page = readPage(
            [
                { Key: `${PREFIX}_SUCCESS`, Size: 0 },
                { Key: `${PREFIX}t+0+0000000200.json`, Size: 10 },
                { Key: `${PREFIX}.manifest`, Size: 3 },
                { Key: `${PREFIX}`, Size: 0 },
            ],
            sinkKeyFormat({}),
        );
        assert.deepStrictEqual(page, {
            objects: [{ key: `${PREFIX}t+0+0000000200.json`, topic: "t", partition: 0, startOffset: 200n, size: 10 }],
            skipped: 3,
            skippedExample: { key: `${PREFIX}_SUCCESS`, reason: "not named <topic>+<partition>+<offset>.json" },
        });
    });

    it("chooses the lowest start offset as a number, whatever the key order", () => {
        const { objects } = readPage(
            [`t+0+10000000000.json`, `t+0+9000000000.json`, `t+0+9007199254740993.json`].map((n) => ({ Key: PREFIX + n, Size: 1 })),
            sinkKeyFormat({}),
        );
        assert.strictEqual(chooseObject(objects)?.startOffset, 9000000000n);
        assert.strictEqual(chooseObject([]), undefined);
    });
});

describe("samples", () => {
    it("cuts at 2 KiB of UTF-8 on a code point boundary, never inside a surrogate pair", () => {
        for (let pad = 0; pad < 4; pad++) {
            const text = "x".repeat(2044 + pad) + "😀".repeat(10);
            const cut = cutUtf8(text, 2048);
            assert.ok(Buffer.byteLength(cut) <= 2048, `${Buffer.byteLength(cut)} bytes`);
            assert.ok(wellFormed(cut), `pad ${pad}: the cut leaves half a surrogate pair`);
            assert.ok(cut.endsWith("..."));
        }
        assert.strictEqual(cutUtf8("short", 2048), "short");
    });

    it("keeps a small record as JSON, and gives a big one or one with an integer beyond 2^53 as text", () => {
        assert.deepStrictEqual(sampleEntry({ a: 1 }), { a: 1 });
        assert.strictEqual(sampleEntry({ id: 12345678901234567890n }), '{"id":12345678901234567890}');
        const big = sampleEntry({ name: "é".repeat(2000) });
        assert.strictEqual(typeof big, "string");
        assert.ok(Buffer.byteLength(big as string) <= 2048);
    });
});

describe("check options", () => {
    const base = { bucket: "b", prefix: "topics/t/partition=1/", region: "us-east-1" };
    it("accepts the defaults", () => {
        assert.deepStrictEqual(optionProblems(base), []);
    });
    it("fails when a prefix lacks its trailing delimiter, naming what else it would match", () => {
        const [p] = optionProblems({ ...base, prefix: "topics/t/partition=1" });
        assert.strictEqual(p.option, "prefix");
        assert.match(p.message, /must end with "\/".*also matches "topics\/t\/partition=10\/".*Use "topics\/t\/partition=1\/"/);
        assert.deepStrictEqual(optionProblems({ ...base, prefix: "out|t|", keyFormat: sinkKeyFormat({ "directory.delim": "|" }) }), []);
    });
    it("fails on an empty query, a fractional or negative record count and a zero time-out, each named", () => {
        const problems = optionProblems({ ...base, query: " ", minRecords: 1.5, timeoutSeconds: 0, pollIntervalSeconds: -1 });
        assert.deepStrictEqual(
            problems.map((p) => p.option),
            ["query", "minRecords", "timeoutSeconds", "pollIntervalSeconds"],
        );
    });
    it("fails on a query outside the subset unless the method is select", () => {
        const [p] = optionProblems({ ...base, query: "SELECT * FROM s3object s WHERE s.op IN ('c')" });
        assert.match(p.message, /cannot be evaluated without S3 Select: IN is not supported/);
        assert.deepStrictEqual(optionProblems({ ...base, query: "SELECT * FROM s3object s WHERE s.op IN ('c')", method: "select" }), []);
    });
});

describe("configuration differences", () => {
    it("never shows the value of a credential the sink takes, a secret-named key or a JAAS config, and shows the rest", () => {
        const asked = {
            "s3.sse.customer.key": "c2VjcmV0LWtleS1hc2tlZA==",
            "consumer.override.sasl.jaas.config": 'org.apache.kafka.common.security.plain.PlainLoginModule required password="p1";',
            "s3.proxy.password": "proxy-asked",
            "flush.size": "100",
        };
        const live = {
            "s3.sse.customer.key": "c2VjcmV0LWtleS1saXZl",
            "consumer.override.sasl.jaas.config": 'org.apache.kafka.common.security.plain.PlainLoginModule required password="p2";',
            "flush.size": "200",
        };
        const lines = describeDifferences(diffConfiguration(asked, live), asked, live);
        assert.deepStrictEqual(lines, [
            "changed consumer.override.sasl.jaas.config: the values differ (both redacted)",
            'changed flush.size: asked "100", live "200"',
            "changed s3.sse.customer.key: the values differ (both redacted)",
            "missing s3.proxy.password: asked (value redacted), absent from the live configuration",
        ]);
    });
});
