/**
 * JSON as the SQL subset reads it: integers beyond ±(2^53 − 1) stay exact (as bigint) instead of being
 * rounded by JSON.parse, so comparisons and samples keep every digit.
 */

/** A JSON value as read from an object: integers outside the safe range are bigint. */
export type JsonValue = null | boolean | number | bigint | string | JsonValue[] | { [key: string]: JsonValue };

/** A plain JSON value (what results and Pulumi outputs carry). */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const BIG = "\u0000\u0001bigint:";
/** The same mark as JSON text: escapes, since raw control characters are not allowed in a JSON string. */
const MARK = "\\u0000\\u0001bigint:";
/** A string token, or a number token whose integer part may be too wide for a double. */
const TOKENS = /"(?:[^"\\]|\\.)*"|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/g;

/** An integer literal of more than 15 digits that a double cannot hold exactly. */
function isWideInteger(token: string): boolean {
    return /^-?\d{16,}$/.test(token) && !Number.isSafeInteger(Number(token));
}

/** Parse one JSON text. Throws SyntaxError when it is not JSON. Integers beyond 2^53 come back as bigint. */
export function parseJson(text: string): JsonValue {
    if (!/\d{16}/.test(text)) return JSON.parse(text) as JsonValue;
    // Turn each wide integer token into a marked string, let JSON.parse check the syntax, then turn the marks
    // back into bigints. A token is replaced by a token, so an invalid text stays invalid.
    const marked = text.replace(TOKENS, (token) => (isWideInteger(token) ? `"${MARK}${token}"` : token));
    return JSON.parse(marked, (_key, value: unknown) =>
        typeof value === "string" && value.startsWith(BIG) ? BigInt(value.slice(BIG.length)) : value,
    ) as JsonValue;
}

/** JSON text for a value, bigints written with all their digits. */
export function stringifyJson(value: JsonValue): string {
    const text = JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? `${BIG}${v}` : v));
    return text.includes("\\u0000\\u0001bigint:") ? text.replace(/"\\u0000\\u0001bigint:(-?\d+)"/g, "$1") : text;
}

/** True when the value holds a bigint anywhere (so it cannot be a plain JSON number without rounding). */
export function holdsBigInt(value: JsonValue): boolean {
    if (typeof value === "bigint") return true;
    if (value === null || typeof value !== "object") return false;
    return Object.values(value).some(holdsBigInt);
}

/** Integers in the safe range as numbers, wider ones as bigint: one representation per value. */
export function exactInteger(digits: string): number | bigint {
    const n = Number(digits);
    return Number.isSafeInteger(n) ? n : BigInt(digits);
}
