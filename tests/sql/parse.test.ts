import * as assert from "assert";
import { parseQuery, SqlError } from "../../sql";

function refuses(sql: string, construct: string): void {
    assert.throws(
        () => parseQuery(sql),
        (e: unknown) => {
            assert.ok(e instanceof SqlError, `expected an SqlError for ${sql}, got ${e}`);
            assert.strictEqual(e.construct, construct, e.message);
            assert.ok(e.message.startsWith(construct), e.message);
            return true;
        },
    );
}

describe("the SQL subset's parser", () => {
    it("reads SELECT *, its alias and LIMIT, and says it is not a COUNT", () => {
        const q = parseQuery("SELECT * FROM S3Object s LIMIT 5");
        assert.strictEqual(q.projection, "*");
        assert.strictEqual(q.isCount, false);
        assert.strictEqual(q.limit, 5);
        assert.strictEqual(parseQuery("select * from s3object").limit, undefined);
    });

    it("reads COUNT(*) with and without an alias (COUNT(*) AS n is accepted), and COUNT(path)", () => {
        assert.deepStrictEqual(parseQuery("SELECT COUNT(*) FROM s3object s"), { projection: "count", isCount: true, countName: "_1" });
        assert.deepStrictEqual(parseQuery("SELECT COUNT(*) AS n FROM s3object s LIMIT 1"), {
            projection: "count",
            isCount: true,
            countName: "n",
            limit: 1,
        });
        assert.deepStrictEqual(parseQuery("SELECT count(s.after) total FROM s3object s").countPath, [{ name: "after", quoted: false }]);
        assert.strictEqual(parseQuery("SELECT count(s.after) total FROM s3object s").countName, "total");
    });

    it("strips the declared alias from paths and names fields as S3 Select does", () => {
        const q = parseQuery('SELECT s.after.CUST_ID, s."Op" AS kind, s.items[0] FROM s3object AS s');
        assert.deepStrictEqual(q.projection, [
            {
                steps: [
                    { name: "after", quoted: false },
                    { name: "CUST_ID", quoted: false },
                ],
                name: "CUST_ID",
            },
            { steps: [{ name: "Op", quoted: true }], name: "kind" },
            { steps: [{ name: "items", quoted: false }, { index: 0 }], name: "_3" },
        ]);
    });

    it("keeps integer literals beyond 2^53 exact", () => {
        const q = parseQuery("SELECT * FROM s3object s WHERE s.id = 9007199254740993");
        assert.deepStrictEqual(q.where, {
            kind: "compare",
            op: "=",
            left: { kind: "path", steps: [{ name: "id", quoted: false }] },
            right: { kind: "literal", value: 9007199254740993n },
        });
    });

    it("reads WHERE with comparisons, IS [NOT] NULL, IS MISSING, AND, OR, NOT and parentheses", () => {
        const q = parseQuery(
            "SELECT * FROM s3object s WHERE NOT (s.a <> 'x''y' OR s.b IS NOT NULL) AND s.c IS MISSING AND s.d >= -1.5 AND s.e = TRUE;",
        );
        assert.strictEqual(q.where?.kind, "and");
        assert.match(JSON.stringify(q.where), /"value":"x'y"/);
        assert.match(JSON.stringify(q.where), /"op":"!="/);
        assert.match(JSON.stringify(q.where), /"value":-1\.5/);
    });

    it("accepts a reserved word as a field name after a dot", () => {
        assert.deepStrictEqual(parseQuery("SELECT s.limit FROM s3object s").projection, [
            { steps: [{ name: "limit", quoted: false }], name: "limit" },
        ]);
    });

    it("refuses what the evaluator cannot answer, naming the construct", () => {
        refuses("SELECT s.op, COUNT(*) FROM s3object s GROUP BY s.op", "COUNT together with other fields");
        refuses("SELECT * FROM s3object s GROUP BY s.op", "GROUP BY");
        refuses("SELECT * FROM s3object s WHERE s.a = 1 ORDER BY s.a", "ORDER BY");
        refuses("SELECT UPPER(s.name) FROM s3object s", "UPPER(…)");
        refuses("SELECT * FROM s3object s WHERE LOWER(s.name) = 'x'", "LOWER(…)");
        refuses("SELECT * FROM s3object s WHERE CAST(s.a AS INT) = 1", "CAST(…)");
        refuses("SELECT * FROM s3object s WHERE s.op IN ('c', 'u')", "IN");
        refuses("SELECT * FROM s3object s WHERE s.op NOT IN ('c')", "NOT IN");
        refuses("SELECT * FROM s3object s WHERE s.name LIKE 'Cust%'", "LIKE");
        refuses("SELECT * FROM s3object s WHERE s.a BETWEEN 1 AND 2", "BETWEEN");
        refuses("SELECT * FROM s3object s WHERE s.a + 1 > 2", "arithmetic (+)");
        refuses("SELECT s.a || s.b FROM s3object s", "string concatenation (||)");
        refuses("SELECT DISTINCT s.op FROM s3object s", "SELECT DISTINCT");
        refuses("SELECT SUM(s.a) FROM s3object s", "SUM(…)");
        refuses("SELECT * FROM s3object s WHERE s.a IS TRUE", "IS TRUE");
        refuses("SELECT s.* FROM s3object s", "path wildcards (.*)");
        refuses("SELECT * FROM s3object s LIMIT 5 OFFSET 2", "OFFSET");
        refuses("SELECT * FROM s3object s WHERE s.a = (SELECT 1)", "a subquery");
        refuses("SELECT CASE WHEN s.a = 1 THEN 1 END FROM s3object s", "CASE");
        refuses("SELECT 'x' FROM s3object s", "a literal in the SELECT list");
        refuses("SELECT * FROM s3object s, s3object t", "JOIN");
    });

    it("refuses malformed queries with what it expected", () => {
        assert.throws(() => parseQuery("SELECT * FROM table1"), /expected FROM s3object but found FROM table1/);
        assert.throws(() => parseQuery("SELECT * FROM s3object s LIMIT -1"), /LIMIT takes a whole number/);
        assert.throws(
            () => parseQuery("SELECT * FROM s3object s WHERE"),
            /expected a field path or a literal but found the end of the query/,
        );
        assert.throws(() => parseQuery("SELECT * FROM s3object s WHERE s.a = 'open"), /cannot read the query at "'open"/);
        assert.throws(() => parseQuery(""), /expected SELECT but found the end of the query/);
    });
});
