import * as assert from "assert";
import { compareNumbers, countIn, evaluate, JsonValue, parseJson, parseQuery, stringifyJson, tallySelectRows } from "../../sql";

/** Run a query over JSON Lines text with the fallback's evaluator; rows as JSON text. */
function run(sql: string, lines: string, keep = 3): { records: number; rows: string[]; nonRecords: number } {
    const e = evaluate(parseQuery(sql), keep, (row: JsonValue) => stringifyJson(row));
    for (const line of lines.split("\n").filter((l) => l.trim() !== "")) {
        if (e.full) break;
        e.add(parseJson(line));
    }
    const r = e.result();
    return { records: r.records, rows: [...r.rows], nonRecords: r.nonRecords };
}

const DATA = ['{"id":1,"op":"c","v":null}', '{"id":2,"op":"u"}', '{"id":3,"op":"d","v":5}'].join("\n");

describe("the SQL subset's evaluator", () => {
    it("returns nothing for LIMIT 0, also for COUNT", () => {
        assert.deepStrictEqual(run("SELECT * FROM s3object s LIMIT 0", DATA), { records: 0, rows: [], nonRecords: 0 });
        assert.deepStrictEqual(run("SELECT COUNT(*) FROM s3object s LIMIT 0", DATA), { records: 0, rows: [], nonRecords: 0 });
        assert.strictEqual(evaluate(parseQuery("SELECT * FROM s3object s LIMIT 0"), 3, (r) => r).full, true);
    });

    it("uses three-valued logic: a comparison with null or a missing field is unknown, and NOT unknown is unknown", () => {
        // v is null in record 1 and missing in record 2: neither v = 5 nor NOT (v = 5) holds for them.
        assert.deepStrictEqual(run("SELECT s.id FROM s3object s WHERE NOT (s.v = 5)", DATA).rows, []);
        assert.deepStrictEqual(run("SELECT s.id FROM s3object s WHERE s.v = 5", DATA).rows, ['{"id":3}']);
        assert.deepStrictEqual(run("SELECT s.id FROM s3object s WHERE s.v = 5 OR s.op = 'u'", DATA).rows, ['{"id":2}', '{"id":3}']);
        assert.deepStrictEqual(run("SELECT s.id FROM s3object s WHERE NOT (s.v = 5 AND s.op = 'c')", DATA).rows, ['{"id":2}', '{"id":3}']);
        assert.deepStrictEqual(run("SELECT s.id FROM s3object s WHERE s.v IS NULL", DATA).rows, ['{"id":1}', '{"id":2}']);
        assert.deepStrictEqual(run("SELECT s.id FROM s3object s WHERE s.v IS MISSING", DATA).rows, ['{"id":2}']);
        assert.deepStrictEqual(run("SELECT s.id FROM s3object s WHERE s.v IS NOT MISSING AND s.v IS NULL", DATA).rows, ['{"id":1}']);
    });

    it("compares integers beyond 2^53 exactly and keeps their digits", () => {
        const lines = ['{"id":9007199254740993}', '{"id":9007199254740992}', '{"id":12345678901234567890123}'].join("\n");
        assert.deepStrictEqual(run("SELECT s.id FROM s3object s WHERE s.id = 9007199254740993", lines).rows, ['{"id":9007199254740993}']);
        assert.deepStrictEqual(run("SELECT s.id FROM s3object s WHERE s.id > 9007199254740992", lines).rows, [
            '{"id":9007199254740993}',
            '{"id":12345678901234567890123}',
        ]);
        assert.strictEqual(run("SELECT * FROM s3object s WHERE s.id < 9007199254740993", lines).records, 1);
        assert.strictEqual(run("SELECT * FROM s3object s WHERE s.id > 1.5", lines).records, 3);
        assert.strictEqual(compareNumbers(9007199254740993n, 9007199254740992), 1);
        assert.strictEqual(compareNumbers(2.5, 2n), 1);
        assert.strictEqual(compareNumbers(-2.5, -2n), -1);
    });

    it('does not count null tombstones or scalar lines as records, and gives an array line as {"_1": [...]}', () => {
        const lines = ['{"id":1}', "null", "5", '"text"', "[1,2]", '{"id":2}'].join("\n");
        assert.deepStrictEqual(run("SELECT * FROM s3object s", lines), {
            records: 3,
            rows: ['{"id":1}', '{"_1":[1,2]}', '{"id":2}'],
            nonRecords: 3,
        });
        assert.deepStrictEqual(run("SELECT COUNT(*) FROM s3object s", lines), { records: 3, rows: ['{"_1":3}'], nonRecords: 3 });
    });

    it("names the COUNT with its alias, and COUNT(path) skips null and missing values", () => {
        assert.deepStrictEqual(run("SELECT COUNT(*) AS n FROM s3object s", DATA).rows, ['{"n":3}']);
        assert.deepStrictEqual(run("SELECT COUNT(s.v) FROM s3object s", DATA).rows, ['{"_1":1}']);
    });

    it("keeps only the first rows asked for while counting every match", () => {
        const many = Array.from({ length: 1000 }, (_, i) => `{"id":${i}}`).join("\n");
        const r = run("SELECT * FROM s3object s", many, 3);
        assert.strictEqual(r.records, 1000);
        assert.deepStrictEqual(r.rows, ['{"id":0}', '{"id":1}', '{"id":2}']);
    });

    it("matches unquoted names case-insensitively and quoted names exactly", () => {
        const line = '{"Name":"a","name":"b","Other":"c"}';
        assert.deepStrictEqual(run('SELECT s."Name", s.other FROM s3object s', line).rows, ['{"Name":"a","other":"c"}']);
    });

    it("reads the count in an S3 Select answer by its alias, or as the answer's only field", () => {
        assert.strictEqual(countIn(parseQuery("SELECT COUNT(*) AS n FROM s3object s"), { n: 7 }), 7);
        assert.strictEqual(countIn(parseQuery("SELECT COUNT(*) AS n FROM s3object s"), { _1: 7 }), 7, "moto ignores the alias");
        assert.strictEqual(countIn(parseQuery("SELECT COUNT(*) FROM s3object s"), { _1: 0 }), 0);
        assert.strictEqual(countIn(undefined, { a: 1, b: 2 }), undefined);
    });

    it("tallies S3 Select rows: LIMIT applied, null rows not counted, the COUNT read from its row", () => {
        const rows = tallySelectRows(parseQuery("SELECT * FROM s3object s LIMIT 2"), 3, (r) => r);
        for (const r of [{ a: 1 }, null, { a: 2 }, { a: 3 }]) if (!rows.full) rows.add(r);
        assert.deepStrictEqual(rows.result(), { records: 2, rows: [{ a: 1 }, { a: 2 }], nonRecords: 1 });
        const count = tallySelectRows(parseQuery("SELECT COUNT(*) AS n FROM s3object s"), 3, (r) => r);
        count.add({ n: 42 });
        assert.deepStrictEqual(count.result(), { records: 42, rows: [{ n: 42 }], nonRecords: 0 });
        assert.throws(
            () => tallySelectRows(parseQuery("SELECT COUNT(*) FROM s3object s"), 3, (r) => r).add({ a: "x", b: 1 }),
            /holds no count/,
        );
    });
});

describe("exact JSON", () => {
    it("parses integers beyond 2^53 as bigint, leaves digits inside strings alone, and writes them back unchanged", () => {
        const text = '{"a":12345678901234567890,"b":"12345678901234567890","c":[-98765432109876543210,1.5e+300,7]}';
        const v = parseJson(text);
        assert.deepStrictEqual(v, { a: 12345678901234567890n, b: "12345678901234567890", c: [-98765432109876543210n, 1.5e300, 7] });
        assert.strictEqual(stringifyJson(v), text);
    });
    it("still refuses text that is not JSON", () => {
        assert.throws(() => parseJson('{"a":012345678901234567890}'), SyntaxError);
        assert.throws(() => parseJson('{"a":1234567890123456789'), SyntaxError);
    });
});
