/**
 * The subset of S3 Select SQL that the verification's fallback evaluates itself, on records it reads with
 * GetObject: `SELECT * | COUNT(*) | path [AS name], ... FROM s3object [alias] [WHERE cond] [LIMIT n]`,
 * with comparisons (= != <> < > <= >=), IS [NOT] NULL, AND, OR, NOT and parentheses.
 *
 * Self-contained (no imports): the verification code is serialized into the Pulumi state.
 */

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

type PathSeg = { name: string; quoted: boolean } | { index: number };
type Expr =
    | { kind: "lit"; value: Json }
    | { kind: "path"; segs: PathSeg[] }
    | { kind: "not"; e: Expr }
    | { kind: "and" | "or"; l: Expr; r: Expr }
    | { kind: "cmp"; op: string; l: Expr; r: Expr }
    | { kind: "isnull"; e: Expr; negate: boolean };

export interface ParsedQuery {
    readonly projection: "*" | "count" | { segs: PathSeg[]; as: string }[];
    readonly where?: Expr;
    readonly limit?: number;
}

export class SqlError extends Error {}

function tokenize(sql: string): string[] {
    const tokens: string[] = [];
    const re = /\s*(?:('(?:[^']|'')*')|("(?:[^"]|"")*")|(\d+(?:\.\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|(<>|!=|<=|>=|[=<>(),.*;\[\]-]))/y;
    let pos = 0;
    while (pos < sql.length) {
        if (/^\s*$/.test(sql.slice(pos))) break;
        re.lastIndex = pos;
        const m = re.exec(sql);
        if (!m) throw new SqlError(`cannot read the query near ${JSON.stringify(sql.slice(pos, pos + 20))}`);
        tokens.push(m[1] ?? m[2] ?? m[3] ?? m[4] ?? m[5]);
        pos = re.lastIndex;
    }
    return tokens;
}

/** Parse a query of the supported subset; throws SqlError naming what is not supported. */
export function parseQuery(sql: string): ParsedQuery {
    const t = tokenize(sql);
    let i = 0;
    function peek(): string | undefined {
        return t[i];
    }
    function kw(word: string): boolean {
        return (t[i] ?? "").toUpperCase() === word;
    }
    function expect(word: string): void {
        if (!kw(word) && t[i] !== word) throw new SqlError(`expected ${word} but found ${t[i] ?? "the end of the query"}`);
        i++;
    }
    let alias = "s";

    function ident(): { name: string; quoted: boolean } {
        const tok = t[i++];
        if (tok === undefined) throw new SqlError("the query ends too early");
        if (tok.startsWith('"')) return { name: tok.slice(1, -1).replace(/""/g, '"'), quoted: true };
        if (!/^[A-Za-z_]/.test(tok)) throw new SqlError(`expected a field name but found ${tok}`);
        return { name: tok, quoted: false };
    }
    function path(): PathSeg[] {
        const segs: PathSeg[] = [ident()];
        for (;;) {
            if (peek() === ".") {
                i++;
                segs.push(ident());
            } else if (peek() === "[") {
                i++;
                const n = t[i++];
                if (!/^\d+$/.test(n ?? "")) throw new SqlError("expected an array index");
                expect("]");
                segs.push({ index: Number(n) });
            } else break;
        }
        const first = segs[0];
        if (segs.length > 1 && "name" in first && !first.quoted && first.name.toLowerCase() === alias.toLowerCase()) segs.shift();
        return segs;
    }
    function operand(): Expr {
        const tok = peek();
        if (tok === undefined) throw new SqlError("the query ends too early");
        if (tok === "(") {
            i++;
            const e = or();
            expect(")");
            return e;
        }
        if (tok.startsWith("'")) {
            i++;
            return { kind: "lit", value: tok.slice(1, -1).replace(/''/g, "'") };
        }
        if (tok === "-" && /^\d/.test(t[i + 1] ?? "")) {
            i += 2;
            return { kind: "lit", value: -Number(t[i - 1]) };
        }
        if (/^\d/.test(tok)) {
            i++;
            return { kind: "lit", value: Number(tok) };
        }
        const upper = tok.toUpperCase();
        if (upper === "TRUE" || upper === "FALSE") {
            i++;
            return { kind: "lit", value: upper === "TRUE" };
        }
        if (upper === "NULL") {
            i++;
            return { kind: "lit", value: null };
        }
        return { kind: "path", segs: path() };
    }
    function cmp(): Expr {
        const l = operand();
        if (kw("IS")) {
            i++;
            const negate = kw("NOT");
            if (negate) i++;
            expect("NULL");
            return { kind: "isnull", e: l, negate };
        }
        const op = peek();
        if (op && ["=", "!=", "<>", "<", ">", "<=", ">="].includes(op)) {
            i++;
            return { kind: "cmp", op: op === "<>" ? "!=" : op, l, r: operand() };
        }
        return l;
    }
    function not(): Expr {
        if (kw("NOT")) {
            i++;
            return { kind: "not", e: not() };
        }
        return cmp();
    }
    function and(): Expr {
        let l = not();
        while (kw("AND")) {
            i++;
            l = { kind: "and", l, r: not() };
        }
        return l;
    }
    function or(): Expr {
        let l = and();
        while (kw("OR")) {
            i++;
            l = { kind: "or", l, r: and() };
        }
        return l;
    }

    expect("SELECT");
    // Find the alias first (FROM s3object <alias>) so projections can strip it.
    const fromAt = t.findIndex((tok, k) => k > 0 && tok.toUpperCase() === "FROM");
    if (fromAt < 0) throw new SqlError("expected FROM s3object");
    const aliasTok = t[fromAt + 2];
    if (aliasTok && !["WHERE", "LIMIT", ";"].includes(aliasTok.toUpperCase())) {
        alias = aliasTok.toUpperCase() === "AS" ? (t[fromAt + 3] ?? "s") : aliasTok;
    }

    let projection: ParsedQuery["projection"];
    if (peek() === "*") {
        i++;
        projection = "*";
    } else if (kw("COUNT") && t[i + 1] === "(" && t[i + 2] === "*" && t[i + 3] === ")") {
        i += 4;
        projection = "count";
    } else {
        const items: { segs: PathSeg[]; as: string }[] = [];
        do {
            if (peek() === ",") i++;
            const segs = path();
            let as: string;
            if (kw("AS")) {
                i++;
                as = ident().name;
            } else {
                const last = segs[segs.length - 1];
                as = "name" in last ? last.name : `_${items.length + 1}`;
            }
            items.push({ segs, as });
        } while (peek() === ",");
        projection = items;
    }
    expect("FROM");
    const source = t[i++] ?? "";
    if (source.toLowerCase() !== "s3object") throw new SqlError(`expected FROM s3object but found FROM ${source}`);
    if (peek() !== undefined && !["WHERE", "LIMIT", ";"].includes(peek()!.toUpperCase())) {
        if (kw("AS")) i++;
        i++; // the alias, read above
    }
    let where: Expr | undefined;
    if (kw("WHERE")) {
        i++;
        where = or();
    }
    let limit: number | undefined;
    if (kw("LIMIT")) {
        i++;
        const n = t[i++];
        if (!/^\d+$/.test(n ?? "")) throw new SqlError("LIMIT takes a whole number");
        limit = Number(n);
    }
    if (peek() === ";") i++;
    if (i < t.length) throw new SqlError(`this check does not support ${t.slice(i).join(" ")}`);
    return { projection, ...(where ? { where } : {}), ...(limit !== undefined ? { limit } : {}) };
}

const MISSING = Symbol("missing");
type Value = Json | typeof MISSING;

function lookup(record: Json, segs: PathSeg[]): Value {
    let cur: Value = record;
    for (const seg of segs) {
        if (cur === MISSING || cur === null || typeof cur !== "object") return MISSING;
        if ("index" in seg) {
            if (!Array.isArray(cur)) return MISSING;
            cur = seg.index < cur.length ? cur[seg.index] : MISSING;
            continue;
        }
        if (Array.isArray(cur)) return MISSING;
        const obj: { [k: string]: Json } = cur;
        if (seg.name in obj) cur = obj[seg.name];
        else if (!seg.quoted) {
            const key = Object.keys(obj).find((k) => k.toLowerCase() === seg.name.toLowerCase());
            cur = key === undefined ? MISSING : obj[key];
        } else cur = MISSING;
    }
    return cur;
}

function evaluate(e: Expr, record: Json): Value {
    switch (e.kind) {
        case "lit":
            return e.value;
        case "path":
            return lookup(record, e.segs);
        case "not":
            return evaluate(e.e, record) !== true;
        case "and":
            return evaluate(e.l, record) === true && evaluate(e.r, record) === true;
        case "or":
            return evaluate(e.l, record) === true || evaluate(e.r, record) === true;
        case "isnull": {
            const v = evaluate(e.e, record);
            const isNull = v === null || v === MISSING;
            return e.negate ? !isNull : isNull;
        }
        case "cmp": {
            const l = evaluate(e.l, record);
            const r = evaluate(e.r, record);
            if (l === MISSING || r === MISSING || l === null || r === null) return false;
            if (typeof l !== typeof r || (typeof l !== "number" && typeof l !== "string" && typeof l !== "boolean")) {
                return e.op === "!=" ? JSON.stringify(l) !== JSON.stringify(r) : false;
            }
            const a = l as number | string | boolean;
            const b = r as number | string | boolean;
            switch (e.op) {
                case "=":
                    return a === b;
                case "!=":
                    return a !== b;
                case "<":
                    return a < b;
                case ">":
                    return a > b;
                case "<=":
                    return a <= b;
                default:
                    return a >= b;
            }
        }
    }
}

/** Whether a record passes the WHERE clause. */
export function matches(q: ParsedQuery, record: Json): boolean {
    return q.where === undefined || evaluate(q.where, record) === true;
}

/** The output record S3 Select would return for a matching input record (not for COUNT). */
export function project(q: ParsedQuery, record: Json): Json {
    if (q.projection === "*" || q.projection === "count") return record;
    const out: { [k: string]: Json } = {};
    for (const item of q.projection) {
        const v = lookup(record, item.segs);
        if (v !== MISSING) out[item.as] = v;
    }
    return out;
}

/** The LIMIT of a query, read without parsing the rest (for S3 Select results, which moto does not limit). */
export function limitOf(sql: string): number | undefined {
    const m = /\blimit\s+(\d+)\s*;?\s*$/i.exec(sql);
    return m ? Number(m[1]) : undefined;
}

/** True for `SELECT COUNT(*) ...`. */
export function isCountQuery(sql: string): boolean {
    return /^\s*select\s+count\s*\(\s*\*\s*\)/i.test(sql);
}
