/**
 * The parser of the SQL subset: `SELECT * | COUNT(*) [AS n] | COUNT(path) [AS n] | path [AS name], ...
 * FROM s3object [[AS] alias] [WHERE condition] [LIMIT n]`, where a condition is built from comparisons
 * (= != <> < > <= >=), IS [NOT] NULL, IS [NOT] MISSING, AND, OR, NOT and parentheses over field paths
 * (`s.after.CUST_ID`, `s."Name"`, `s.items[0]`) and literals ('text', numbers, TRUE, FALSE, NULL).
 *
 * It accepts exactly what the evaluator (evaluate.ts) can answer and refuses anything else with an SqlError
 * that names the construct (GROUP BY, UPPER(…), IN, LIKE, …), so a query checked at plan time with
 * `parseQuery` is one the GetObject fallback can run.
 */
import { exactInteger, JsonValue } from "./json";

/** One step of a field path: a name (quoted names match case-sensitively) or an array index. */
export type PathStep = { readonly name: string; readonly quoted: boolean } | { readonly index: number };

export type CompareOp = "=" | "!=" | "<" | ">" | "<=" | ">=";

export type Expr =
    | { readonly kind: "literal"; readonly value: JsonValue }
    | { readonly kind: "missing" }
    | { readonly kind: "path"; readonly steps: readonly PathStep[] }
    | { readonly kind: "not"; readonly operand: Expr }
    | { readonly kind: "and" | "or"; readonly left: Expr; readonly right: Expr }
    | { readonly kind: "compare"; readonly op: CompareOp; readonly left: Expr; readonly right: Expr }
    | { readonly kind: "is"; readonly operand: Expr; readonly test: "NULL" | "MISSING"; readonly negated: boolean };

/** One projected field: where it comes from and the name S3 Select gives it in the output record. */
export interface Field {
    readonly steps: readonly PathStep[];
    readonly name: string;
}

export interface ParsedQuery {
    /** `*`, a COUNT, or the projected fields. */
    readonly projection: "*" | "count" | readonly Field[];
    /** True for `SELECT COUNT(…)`: the answer is one record holding the count. */
    readonly isCount: boolean;
    /** For a COUNT: the output field (`_1`, or the name after AS). */
    readonly countName?: string;
    /** For `COUNT(path)`: only records where the path is neither null nor missing are counted. */
    readonly countPath?: readonly PathStep[];
    readonly where?: Expr;
    /** The LIMIT, when there is one. */
    readonly limit?: number;
}

/** A query outside the subset; `construct` names what is not supported, when it is a construct. */
export class SqlError extends Error {
    constructor(
        message: string,
        readonly construct?: string,
    ) {
        super(message);
        this.name = "SqlError";
    }
}

/** What the subset holds, for messages that tell a user what to write instead. */
export const SQL_SUBSET =
    "SELECT *, COUNT(*) or field paths FROM s3object s, with WHERE comparisons (= != <> < > <= >=), IS [NOT] NULL/MISSING, AND, OR, NOT, and LIMIT";

function unsupported(construct: string): SqlError {
    return new SqlError(`${construct} is not supported by this check's SQL subset`, construct);
}

type TokenKind = "string" | "qident" | "number" | "word" | "op";
interface Token {
    readonly kind: TokenKind;
    readonly text: string;
}

const TOKEN =
    /\s*(?:('(?:[^']|'')*')|("(?:[^"]|"")*")|(\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|(<>|!=|<=|>=|\|\||[=<>(),.*;[\]+\-/%]))/y;
const KINDS: TokenKind[] = ["string", "qident", "number", "word", "op"];

function tokenize(sql: string): Token[] {
    const tokens: Token[] = [];
    let pos = 0;
    while (pos < sql.length && !/^\s*$/.test(sql.slice(pos))) {
        TOKEN.lastIndex = pos;
        const m = TOKEN.exec(sql);
        if (!m) throw new SqlError(`cannot read the query at ${JSON.stringify(sql.slice(pos).trim().slice(0, 20))}`);
        const group = [1, 2, 3, 4, 5].find((g) => m[g] !== undefined)!;
        tokens.push({ kind: KINDS[group - 1], text: m[group] });
        pos = TOKEN.lastIndex;
    }
    return tokens;
}

/** Words that end a field list or condition, or name a construct; never taken as a bare alias. (An array, not a Set: the provider's serializer does not keep a Set's contents.) */
const RESERVED =
    "SELECT FROM WHERE LIMIT AND OR NOT IS NULL MISSING TRUE FALSE AS GROUP ORDER BY HAVING IN LIKE BETWEEN CASE DISTINCT JOIN INNER LEFT RIGHT FULL CROSS UNION INTERSECT EXCEPT OFFSET ESCAPE EXISTS".split(
        " ",
    );
const AFTER_SOURCE: Record<string, string> = {
    GROUP: "GROUP BY",
    ORDER: "ORDER BY",
    HAVING: "HAVING",
    JOIN: "JOIN",
    INNER: "JOIN",
    LEFT: "JOIN",
    RIGHT: "JOIN",
    FULL: "JOIN",
    CROSS: "JOIN",
    UNION: "UNION",
    INTERSECT: "INTERSECT",
    EXCEPT: "EXCEPT",
    OFFSET: "OFFSET",
};
const ARITHMETIC: Record<string, string> = {
    "+": "arithmetic (+)",
    "-": "arithmetic (-)",
    "*": "arithmetic (*)",
    "/": "arithmetic (/)",
    "%": "arithmetic (%)",
    "||": "string concatenation (||)",
};

/** A cursor over the tokens with the small helpers every rule needs. */
class Cursor {
    private i = 0;
    constructor(private readonly tokens: Token[]) {}
    peek(ahead = 0): Token | undefined {
        return this.tokens[this.i + ahead];
    }
    next(): Token | undefined {
        return this.tokens[this.i++];
    }
    /** True (and consumed) when the next token is this keyword or symbol. */
    accept(text: string): boolean {
        if (!this.is(text)) return false;
        this.i++;
        return true;
    }
    is(text: string, ahead = 0): boolean {
        const t = this.peek(ahead);
        return t !== undefined && (t.kind === "word" || t.kind === "op") && t.text.toUpperCase() === text;
    }
    expect(text: string, what = text): void {
        if (!this.accept(text)) throw this.unexpected(what);
    }
    upper(ahead = 0): string {
        const t = this.peek(ahead);
        return t && t.kind === "word" ? t.text.toUpperCase() : "";
    }
    unexpected(expected: string): SqlError {
        const t = this.peek();
        return new SqlError(`expected ${expected} but found ${t ? JSON.stringify(t.text) : "the end of the query"}`);
    }
    atEnd(): boolean {
        return this.i >= this.tokens.length;
    }
}

/** Refuse a function call, typed literal or CASE at the cursor, naming it. */
function refuseCall(c: Cursor): void {
    const word = c.upper();
    if (word === "CASE") throw unsupported("CASE");
    if (word === "EXISTS") throw unsupported("EXISTS");
    if (word !== "" && c.is("(", 1)) throw unsupported(`${word}(…)`);
    if (word !== "" && c.peek(1)?.kind === "string") throw unsupported(`${word} '…' literals`);
}

/** A field name; a reserved word is a name only after a dot (`s.limit`). */
function readName(c: Cursor, afterDot = false): { name: string; quoted: boolean } {
    const t = c.next();
    if (t?.kind === "qident") return { name: t.text.slice(1, -1).replace(/""/g, '"'), quoted: true };
    if (t?.kind === "word" && (afterDot || !RESERVED.includes(t.text.toUpperCase()))) return { name: t.text, quoted: false };
    throw new SqlError(`expected a field name but found ${t ? JSON.stringify(t.text) : "the end of the query"}`);
}

function readPath(c: Cursor): PathStep[] {
    const steps: PathStep[] = [readName(c)];
    for (;;) {
        if (c.accept(".")) {
            if (c.is("*")) throw unsupported("path wildcards (.*)");
            steps.push(readName(c, true));
        } else if (c.accept("[")) {
            if (c.is("*")) throw unsupported("path wildcards ([*])");
            const n = c.next();
            if (n?.kind !== "number" || !/^\d+$/.test(n.text)) throw new SqlError("expected a whole-number array index inside [ ]");
            c.expect("]");
            steps.push({ index: Number(n.text) });
        } else return steps;
    }
}

function readLiteral(c: Cursor): JsonValue | undefined {
    const t = c.peek();
    if (t?.kind === "string") {
        c.next();
        return t.text.slice(1, -1).replace(/''/g, "'");
    }
    const negative = c.is("-") && c.peek(1)?.kind === "number";
    if (negative) c.next();
    const n = c.peek();
    if (n?.kind === "number") {
        c.next();
        const text = (negative ? "-" : "") + n.text;
        return /^-?\d+$/.test(text) ? exactInteger(text) : Number(text);
    }
    for (const [word, value] of [
        ["TRUE", true],
        ["FALSE", false],
        ["NULL", null],
    ] as const) {
        if (c.accept(word)) return value;
    }
    return undefined;
}

/** The grammar of conditions, each rule a method; paths are recorded so the alias can be stripped later. */
class ConditionParser {
    constructor(
        private readonly c: Cursor,
        private readonly paths: PathStep[][],
    ) {}

    or(): Expr {
        let left = this.and();
        while (this.c.accept("OR")) left = { kind: "or", left, right: this.and() };
        return left;
    }

    private and(): Expr {
        let left = this.not();
        while (this.c.accept("AND")) left = { kind: "and", left, right: this.not() };
        return left;
    }

    private not(): Expr {
        if (this.c.accept("NOT")) return { kind: "not", operand: this.not() };
        return this.predicate();
    }

    private predicate(): Expr {
        const left = this.operand();
        const c = this.c;
        if (c.accept("IS")) {
            const negated = c.accept("NOT");
            const test = c.upper();
            if (test === "NULL" || test === "MISSING") {
                c.next();
                return { kind: "is", operand: left, test, negated };
            }
            throw test ? unsupported(`IS ${negated ? "NOT " : ""}${test}`) : c.unexpected("NULL or MISSING after IS");
        }
        const op = c.peek()?.text;
        if (c.peek()?.kind === "op" && op && ["=", "!=", "<>", "<", ">", "<=", ">="].includes(op)) {
            c.next();
            const right = this.operand();
            return { kind: "compare", op: op === "<>" ? "!=" : (op as CompareOp), left, right };
        }
        this.refuseOperator();
        return left;
    }

    /** After an operand: IN, LIKE, BETWEEN and arithmetic are named; anything else is left to the caller. */
    private refuseOperator(): void {
        const c = this.c;
        const negated = c.is("NOT") ? "NOT " : "";
        const word = c.upper(negated ? 1 : 0);
        if (["IN", "LIKE", "BETWEEN"].includes(word)) throw unsupported(`${negated}${word}`);
        const t = c.peek();
        if (t?.kind === "op" && ARITHMETIC[t.text]) throw unsupported(ARITHMETIC[t.text]);
    }

    private operand(): Expr {
        const c = this.c;
        if (c.accept("(")) {
            if (c.is("SELECT")) throw unsupported("a subquery");
            const inner = this.or();
            c.expect(")", "a closing )");
            return inner;
        }
        const literal = readLiteral(c);
        if (literal !== undefined) {
            this.refuseOperator();
            return { kind: "literal", value: literal };
        }
        if (c.accept("MISSING")) return { kind: "missing" };
        if (c.is("-")) throw unsupported(ARITHMETIC["-"]);
        refuseCall(c);
        const t = c.peek();
        if (t === undefined || (t.kind !== "word" && t.kind !== "qident")) throw c.unexpected("a field path or a literal");
        const steps = readPath(c);
        this.paths.push(steps);
        this.refuseOperator();
        return { kind: "path", steps };
    }
}

function defaultName(steps: readonly PathStep[], position: number): string {
    const last = steps[steps.length - 1];
    return "name" in last ? last.name : `_${position}`;
}

/** `[AS] name` after a field or COUNT, if there is one. */
function readAlias(c: Cursor): string | undefined {
    if (c.accept("AS")) return readName(c).name;
    const t = c.peek();
    if (t?.kind === "qident" || (t?.kind === "word" && !RESERVED.includes(t.text.toUpperCase()))) return readName(c).name;
    return undefined;
}

type Projection = Pick<ParsedQuery, "projection" | "isCount" | "countName" | "countPath">;

function readCount(c: Cursor, paths: PathStep[][]): Projection {
    c.expect("COUNT");
    c.expect("(");
    let countPath: PathStep[] | undefined;
    if (!c.accept("*")) {
        if (c.is("DISTINCT")) throw unsupported("COUNT(DISTINCT …)");
        if (["string", "number"].includes(c.peek()?.kind ?? "")) throw unsupported("COUNT of a literal (write COUNT(*))");
        refuseCall(c);
        countPath = readPath(c);
        paths.push(countPath);
    }
    c.expect(")", "a closing ) after COUNT(…");
    const countName = readAlias(c) ?? "_1";
    if (c.is(",")) throw unsupported("COUNT together with other fields");
    return { projection: "count", isCount: true, countName, ...(countPath ? { countPath } : {}) };
}

function readField(c: Cursor, position: number, paths: PathStep[][]): Field {
    if (c.is("*")) throw unsupported("* together with other fields");
    if (c.upper() === "COUNT" && c.is("(", 1)) throw unsupported("COUNT together with other fields");
    refuseCall(c);
    if (["string", "number"].includes(c.peek()?.kind ?? "") || c.is("-")) throw unsupported("a literal in the SELECT list");
    const steps = readPath(c);
    paths.push(steps);
    const t = c.peek();
    if (t?.kind === "op" && ARITHMETIC[t.text]) throw unsupported(ARITHMETIC[t.text]);
    return { steps, name: readAlias(c) ?? defaultName(steps, position) };
}

function readProjection(c: Cursor, paths: PathStep[][]): Projection {
    if (c.is("DISTINCT")) throw unsupported("SELECT DISTINCT");
    if (c.accept("*")) {
        if (c.is(",")) throw unsupported("* together with other fields");
        return { projection: "*", isCount: false };
    }
    if (c.upper() === "COUNT" && c.is("(", 1)) return readCount(c, paths);
    const fields: Field[] = [];
    do fields.push(readField(c, fields.length + 1, paths));
    while (c.accept(","));
    return { projection: fields, isCount: false };
}

/** `FROM s3object [[AS] alias]`; returns the name paths may start with. */
function readSource(c: Cursor): string {
    c.expect("FROM");
    const source = c.next();
    if (source?.kind !== "word" || source.text.toLowerCase() !== "s3object") {
        throw new SqlError(`expected FROM s3object but found ${source ? `FROM ${source.text}` : "the end of the query"}`);
    }
    if (c.is("[")) throw unsupported("S3Object[*] paths");
    const alias = readAlias(c) ?? source.text;
    if (c.is(",")) throw unsupported("JOIN");
    return alias;
}

function readLimit(c: Cursor): number | undefined {
    if (!c.accept("LIMIT")) return undefined;
    const n = c.next();
    if (n?.kind !== "number" || !/^\d+$/.test(n.text)) throw new SqlError("LIMIT takes a whole number of records, such as LIMIT 5");
    return Number(n.text);
}

/** Drop a leading alias step from every path (`s.after.CUST_ID` is `after.CUST_ID` of the record). */
function stripAlias(paths: PathStep[][], alias: string): void {
    for (const steps of paths) {
        const first = steps[0];
        if (!("name" in first) || first.quoted || first.name.toLowerCase() !== alias.toLowerCase()) continue;
        if (steps.length === 1) throw unsupported(`the alias ${first.name} as a value (use SELECT * for the whole record)`);
        steps.shift();
    }
}

/** Parse a query of the subset. Throws SqlError naming what the subset does not support. */
export function parseQuery(sql: string): ParsedQuery {
    const c = new Cursor(tokenize(sql));
    const paths: PathStep[][] = [];
    c.expect("SELECT");
    const projection = readProjection(c, paths);
    const alias = readSource(c);
    let where: Expr | undefined;
    if (c.accept("WHERE")) where = new ConditionParser(c, paths).or();
    const clause = AFTER_SOURCE[c.upper()];
    if (clause) throw unsupported(clause);
    const limit = readLimit(c);
    if (AFTER_SOURCE[c.upper()]) throw unsupported(AFTER_SOURCE[c.upper()]);
    c.accept(";");
    if (!c.atEnd()) throw c.unexpected("the end of the query");
    stripAlias(paths, alias);
    return { ...projection, ...(where ? { where } : {}), ...(limit !== undefined ? { limit } : {}) };
}
