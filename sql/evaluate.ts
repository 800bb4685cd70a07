/**
 * The evaluator of the SQL subset, with S3 Select's semantics: three-valued logic (a comparison with a
 * null or missing value is unknown, NOT unknown is unknown, WHERE keeps only true), exact comparison of
 * integers of any size, and LIMIT 0 returning nothing. A line whose value is null (a tombstone) or a
 * scalar is not a record; an array line is a record, given as `{"_1": [...]}` by `SELECT *`, as S3 Select
 * does. Tallies keep a count and the first few rows only, so memory does not grow with the object.
 */
import { JsonValue, stringifyJson } from "./json";
import { Expr, ParsedQuery, PathStep, SqlError } from "./parse";

/** The value of a path that is not there (not the same as null). */
const MISSING = Symbol("missing");
type Value = JsonValue | typeof MISSING;
/** true, false, or null for unknown. */
type Truth = boolean | null;

/** Whether a line's value is a record: an object or an array; null and scalars are not. */
export function isRecord(value: JsonValue): boolean {
    return value !== null && typeof value === "object";
}

function lookup(record: JsonValue, steps: readonly PathStep[]): Value {
    let cur: Value = record;
    for (const step of steps) {
        if (cur === MISSING || cur === null || typeof cur !== "object") return MISSING;
        if ("index" in step) {
            cur = Array.isArray(cur) && step.index < cur.length ? cur[step.index] : MISSING;
            continue;
        }
        if (Array.isArray(cur)) return MISSING;
        const obj: { [k: string]: JsonValue } = cur;
        if (Object.prototype.hasOwnProperty.call(obj, step.name)) cur = obj[step.name];
        else if (step.quoted) cur = MISSING;
        else {
            const key = Object.keys(obj).find((k) => k.toLowerCase() === step.name.toLowerCase());
            cur = key === undefined ? MISSING : obj[key];
        }
    }
    return cur;
}

function isNumeric(v: Value): v is number | bigint {
    return typeof v === "number" || typeof v === "bigint";
}

/** -1, 0 or 1: numbers and bigints compared exactly, without rounding either. */
export function compareNumbers(a: number | bigint, b: number | bigint): number {
    if (typeof a === typeof b) return a < b ? -1 : a > b ? 1 : 0;
    if (typeof a === "bigint") return -compareNumbers(b, a);
    const n = a as number;
    const big = b as bigint;
    if (!Number.isFinite(n)) return n > 0 ? 1 : -1;
    const floor = Math.floor(n);
    const whole = BigInt(floor);
    if (whole !== big) return whole < big ? -1 : 1;
    return n === floor ? 0 : 1;
}

function order(op: string, c: number): boolean {
    switch (op) {
        case "=":
            return c === 0;
        case "!=":
            return c !== 0;
        case "<":
            return c < 0;
        case ">":
            return c > 0;
        case "<=":
            return c <= 0;
        default:
            return c >= 0;
    }
}

function compare(op: string, l: Value, r: Value): Truth {
    if (l === MISSING || r === MISSING || l === null || r === null) return null;
    if (isNumeric(l) && isNumeric(r)) return order(op, compareNumbers(l, r));
    if (typeof l === "string" && typeof r === "string") return order(op, l < r ? -1 : l > r ? 1 : 0);
    if (typeof l === "boolean" && typeof r === "boolean") return order(op, Number(l) - Number(r));
    // Values of different types, or objects and arrays: equal only when they are the same JSON; no order.
    if (op === "=" || op === "!=") return order(op, typeof l === typeof r && stringifyJson(l) === stringifyJson(r) ? 0 : 1);
    return null;
}

function valueAt(e: Expr, record: JsonValue): Value {
    if (e.kind === "literal") return e.value;
    if (e.kind === "path") return lookup(record, e.steps);
    if (e.kind === "missing") return MISSING;
    return truth(e, record);
}

function truth(e: Expr, record: JsonValue): Truth {
    switch (e.kind) {
        case "not": {
            const t = truth(e.operand, record);
            return t === null ? null : !t;
        }
        case "and": {
            const l = truth(e.left, record);
            if (l === false) return false;
            const r = truth(e.right, record);
            return r === false ? false : l === null || r === null ? null : true;
        }
        case "or": {
            const l = truth(e.left, record);
            if (l === true) return true;
            const r = truth(e.right, record);
            return r === true ? true : l === null || r === null ? null : false;
        }
        case "compare":
            return compare(e.op, valueAt(e.left, record), valueAt(e.right, record));
        case "is": {
            const v = valueAt(e.operand, record);
            const hit = e.test === "MISSING" ? v === MISSING : v === null || v === MISSING;
            return e.negated ? !hit : hit;
        }
        default: {
            const v = valueAt(e, record);
            return typeof v === "boolean" ? v : null;
        }
    }
}

/** Whether a record passes the WHERE clause (only a true condition passes). */
export function matches(q: ParsedQuery, record: JsonValue): boolean {
    return q.where === undefined || truth(q.where, record) === true;
}

/** The output record S3 Select gives for a matching input record (not for COUNT). */
export function project(q: ParsedQuery, record: JsonValue): JsonValue {
    if (q.projection === "*" || q.projection === "count") return Array.isArray(record) ? { _1: record } : record;
    const out: { [k: string]: JsonValue } = {};
    for (const field of q.projection) {
        const v = lookup(record, field.steps);
        if (v !== MISSING) out[field.name] = v;
    }
    return out;
}

/** What a query answered: records returned (the count, for COUNT), the first rows, and lines that were not records. */
export interface Tally<T> {
    readonly records: number;
    readonly rows: readonly T[];
    readonly nonRecords: number;
}

/** A running answer: offer values one by one; `full` turns true once more input cannot change the answer. */
export interface Evaluation<T> {
    /** Offer one line's value (or one result row). */
    add(value: JsonValue): void;
    /** True once LIMIT is reached: reading on would not change the answer. */
    readonly full: boolean;
    result(): Tally<T>;
}

/**
 * Evaluate the query over the records of an object, as the GetObject fallback does. Keeps the count and
 * the first `keep` rows, each passed through `shape` (which may cut it) as it is kept.
 */
export function evaluate<T>(q: ParsedQuery, keep: number, shape: (row: JsonValue) => T): Evaluation<T> {
    const rows: T[] = [];
    let records = 0;
    let nonRecords = 0;
    const limit = q.limit ?? Number.POSITIVE_INFINITY;
    const counts = (record: JsonValue): boolean => {
        if (!matches(q, record)) return false;
        if (!q.countPath) return true;
        const v = lookup(record, q.countPath);
        return v !== MISSING && v !== null;
    };
    return {
        add(value) {
            if (!isRecord(value)) nonRecords++;
            else if (!counts(value)) return;
            else if (q.isCount) records++;
            else if (records < limit) {
                if (rows.length < keep) rows.push(shape(project(q, value)));
                records++;
            }
        },
        get full() {
            return q.isCount ? limit === 0 : records >= limit;
        },
        result() {
            if (!q.isCount) return { records, rows, nonRecords };
            if (limit === 0) return { records: 0, rows: [], nonRecords };
            return { records, rows: keep > 0 ? [shape({ [q.countName ?? "_1"]: records })] : [], nonRecords };
        },
    };
}

/** The count in an S3 Select COUNT answer: the named field (`_1` or the alias), or the record's only field. */
export function countIn(q: ParsedQuery | undefined, row: JsonValue): number | undefined {
    if (row === null || typeof row !== "object" || Array.isArray(row)) return undefined;
    const keys = Object.keys(row);
    const key = q?.countName !== undefined && q.countName in row ? q.countName : keys.length === 1 ? keys[0] : undefined;
    const v = key === undefined ? undefined : row[key];
    return typeof v === "number" ? v : typeof v === "bigint" ? Number(v) : undefined;
}

/**
 * Tally the rows S3 Select returned: LIMIT applied here too (some servers ignore it), null and scalar rows
 * not counted as records (as the fallback does not count such lines), and for a COUNT the number read from
 * its one row. Without a parsed query (a query outside the subset, run with S3 Select only), every row counts.
 */
export function tallySelectRows<T>(q: ParsedQuery | undefined, keep: number, shape: (row: JsonValue) => T): Evaluation<T> {
    if (q?.isCount) {
        let counted: number | undefined;
        const rows: T[] = [];
        return {
            add(row) {
                if (counted !== undefined) return;
                counted = countIn(q, row);
                if (counted === undefined)
                    throw new SqlError(`S3 Select answered the COUNT with ${stringifyJson(row).slice(0, 200)}, which holds no count`);
                if (keep > 0) rows.push(shape(row));
            },
            get full() {
                return counted !== undefined || q.limit === 0;
            },
            result: () => (q.limit === 0 ? { records: 0, rows: [], nonRecords: 0 } : { records: counted ?? 0, rows, nonRecords: 0 }),
        };
    }
    return evaluate({ projection: "*", isCount: false, ...(q?.limit !== undefined ? { limit: q.limit } : {}) }, keep, shape);
}
