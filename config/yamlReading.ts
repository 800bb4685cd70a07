/**
 * How the Pulumi CLI reads one scalar of a stack file: Go's yaml.v3 types a plain (unquoted) scalar by the
 * YAML 1.2 core rules (plus 1.1 octals such as 0123), and the CLI hands the program a typed value as its
 * JSON text (`True` → `true`, `0x10` → `16`, `1e3` → `1000`), a date as Go prints a time.
 * Pure; `stackFile.ts` applies it to every scalar of the file.
 */

/** A scalar the CLI does not hand over as the text written. */
export interface TypedScalar {
    /** The scalar as written in the file. */
    readonly written: string;
    /** The type YAML gives it (for a refused tagged value, the tag it was given). */
    readonly tag: Exclude<CoreTag, "str">;
    /** What YAML reads it as, for a person ("a hexadecimal number"). */
    readonly what: string;
    /** As a JSON value inside a structured setting (a number or boolean literal, or a quoted string). */
    readonly json: string;
    /** What a program receives for a top-level setting written this way. */
    readonly text: string;
    /** Typed by an explicit tag (`!!int 0x10`): what the file asked for, so nothing to point out. */
    readonly tagged?: true;
    /** Set when the Pulumi CLI cannot load the file with this scalar in it: why, and the fix. */
    readonly refused?: { readonly why: string; readonly fix: string };
}

/** A scalar as the CLI reads it: the text itself, null (an empty value), or typed. */
export type ScalarReading = string | null | TypedScalar;

/** The explicit tags the reader knows (`!!int 200`); other tags are not read. */
export const CORE_TAGS = ["str", "int", "float", "bool", "null", "timestamp"] as const;
export type CoreTag = (typeof CORE_TAGS)[number];

const SPECIAL: Record<string, boolean | null | number> = {
    true: true,
    True: true,
    TRUE: true,
    false: false,
    False: false,
    FALSE: false,
    "~": null,
    null: null,
    Null: null,
    NULL: null,
    ".nan": NaN,
    ".NaN": NaN,
    ".NAN": NaN,
};
for (const [sign, value] of [
    ["", Infinity],
    ["+", Infinity],
    ["-", -Infinity],
] as const)
    for (const inf of [".inf", ".Inf", ".INF"]) SPECIAL[sign + inf] = value;

const FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const INT64_MIN = -(2n ** 63n);
const UINT64_MAX = 2n ** 64n - 1n;

/** Go's strconv.ParseInt/ParseUint with base 0 (0x, 0o, 0b, and a leading 0 for octal), within 64 bits. */
function goInteger(text: string): { value: bigint; what: string } | undefined {
    const m = /^([-+]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(text);
    if (!m) return undefined;
    const digits = m[2];
    const prefix = digits.slice(0, 2).toLowerCase();
    const [body, base, what] =
        prefix === "0x"
            ? [digits.slice(2), 16, "a hexadecimal number"]
            : prefix === "0o"
              ? [digits.slice(2), 8, "an octal number"]
              : prefix === "0b"
                ? [digits.slice(2), 2, "a binary number"]
                : digits.length > 1 && digits.startsWith("0")
                  ? [digits.slice(1), 8, "an octal number (a leading 0)"]
                  : [digits, 10, "a number"];
    let value = 0n;
    for (const c of body) value = value * BigInt(base) + BigInt(parseInt(c, base));
    if (m[1] === "-") value = -value;
    if (value < INT64_MIN || value > UINT64_MAX || (m[1] !== "" && value > 2n ** 63n - 1n)) return undefined;
    return { value, what };
}

/** Go's encoding/json text of a float (the same exponent thresholds and shortest digits as JavaScript). */
function goFloatJson(value: number): string {
    return Object.is(value, -0) ? "0" : String(value);
}

function typed(tag: TypedScalar["tag"], written: string, what: string, json: string, refused?: TypedScalar["refused"]): TypedScalar {
    return { tag, written, what, json, text: json, ...(refused ? { refused } : {}) };
}

/** A number or special word (`true`, `~`, `.inf`), or undefined when the text stays text. */
function resolveNonString(text: string, allowTime: boolean): ScalarReading | undefined {
    if (text === "") return null;
    if (Object.prototype.hasOwnProperty.call(SPECIAL, text)) {
        const v = SPECIAL[text];
        if (v === null) return null;
        if (typeof v === "boolean") return typed("bool", text, "a boolean", String(v));
        return typed("float", text, "an infinite or not-a-number float", "null", {
            why: "YAML reads it as an infinite or not-a-number float, and JSON (how Pulumi hands a value to a program) has none",
            fix: `Quote it ("${text}") to keep the text.`,
        });
    }
    const first = text[0];
    if (first === ".") {
        return /^\.[0-9]+([eE][-+]?[0-9]+)?$/.test(text) ? floatReading(text, Number(text)) : undefined;
    }
    if (!/[-+0-9]/.test(first)) return undefined;
    if (allowTime) {
        const time = goTimestamp(text);
        if (time !== undefined) return { tag: "timestamp", written: text, what: "a date", json: JSON.stringify(time), text: time };
    }
    const plain = text.replace(/_/g, "");
    const int = goInteger(plain);
    if (int) return typed("int", text, int.what, int.value.toString());
    if (FLOAT.test(plain)) return floatReading(text, Number(plain));
    return undefined;
}

function floatReading(text: string, value: number): ScalarReading | undefined {
    if (!Number.isFinite(value)) return undefined; // Go's ParseFloat refuses an overflow, so it stays text
    return typed("float", text, "a floating-point number", goFloatJson(value));
}

/** A plain scalar's reading. */
export function readPlain(text: string): ScalarReading {
    const reading = resolveNonString(text, true);
    return reading === undefined ? text : reading;
}

/** A scalar with an explicit core tag (`!!int 200`): read as that type, or refused as the CLI refuses it. */
export function readTagged(tag: CoreTag, text: string): ScalarReading {
    const reading = readAsTagged(tag, text);
    return reading === null || typeof reading === "string" ? reading : { ...reading, tagged: true };
}

function readAsTagged(tag: CoreTag, text: string): ScalarReading {
    if (tag === "str") return text;
    const reading = resolveNonString(text, tag === "timestamp");
    const got: CoreTag = reading === undefined || typeof reading === "string" ? "str" : reading === null ? "null" : reading.tag;
    if (got === tag) return reading as ScalarReading;
    if (tag === "float" && got === "int") {
        const t = reading as TypedScalar;
        return typed("float", text, "a floating-point number", goFloatJson(Number(t.json)));
    }
    return typed(tag, text, `!!${got}`, JSON.stringify(text), {
        why: `it is tagged !!${tag} but reads as !!${got}`,
        fix: `Remove the tag, or write a !!${tag} value.`,
    });
}

const DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** A YAML timestamp as Go's time.Time prints it (`2024-01-01 00:00:00 +0000 UTC`), or undefined. */
export function goTimestamp(text: string): string | undefined {
    const m =
        /^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:[Tt](\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2}))|(?: (\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.(\d+))?))?$/.exec(
            text,
        );
    if (!m) return undefined;
    const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
    if (month < 1 || month > 12 || day < 1 || day > (month === 2 && !leap ? 28 : DAYS[month - 1])) return undefined;
    const [h, min, s] = [m[4] ?? m[9] ?? "0", m[5] ?? m[10] ?? "0", m[6] ?? m[11] ?? "0"].map(Number);
    if (h > 23 || min > 59 || s > 59) return undefined;
    const fraction = (m[7] ?? m[12] ?? "").slice(0, 9).replace(/0+$/, "");
    const zone = m[8] ?? "Z";
    const offset = zone === "Z" || /^[+-]00:00$/.test(zone) ? "+0000 UTC" : `${zone.replace(":", "")} ${zone.replace(":", "")}`;
    const two = (n: number) => String(n).padStart(2, "0");
    return `${m[1]}-${two(month)}-${two(day)} ${two(h)}:${two(min)}:${two(s)}${fraction ? `.${fraction}` : ""} ${offset}`;
}
