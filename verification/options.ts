/**
 * A check's options, validated and with defaults applied. The problems are listed per option, without the
 * option's name in the text, so `npm run verify` can name its flag and the provider its property.
 */
import { ParsedQuery, parseQuery, SQL_SUBSET, SqlError } from "../sql";
import { SinkKeyFormat, sinkKeyFormat } from "../sink";
import { VerificationError } from "./errors";
import type { FreshRule } from "./freshness";
import { CHECK_DEFAULTS, SinkCheckOptions, VerifyMethod } from "./types";

/** The options with every default applied and the query parsed (undefined when only S3 Select can run it). */
export interface CheckSettings {
    readonly bucket: string;
    readonly prefix: string;
    readonly region: string;
    readonly endpoint?: string;
    readonly profile?: string;
    readonly query: string;
    readonly parsed?: ParsedQuery;
    readonly minRecords: number;
    readonly method: VerifyMethod;
    readonly timeoutSeconds: number;
    readonly pollIntervalSeconds: number;
    readonly requestTimeoutSeconds: number;
    readonly keyFormat: SinkKeyFormat;
    readonly fresh?: FreshRule;
    readonly sampleSize: number;
    readonly connectorName?: string;
    readonly logGroupName?: string;
    readonly onProgress?: (message: string) => void;
    readonly onNotice?: (message: string) => void;
}

export interface OptionProblem {
    readonly option: keyof SinkCheckOptions;
    /** What is wrong and how to fix it, without the option's name (the caller names its flag or setting). */
    readonly message: string;
}

function positive(o: SinkCheckOptions, option: "timeoutSeconds" | "pollIntervalSeconds" | "requestTimeoutSeconds"): OptionProblem[] {
    const v = o[option];
    return v === undefined || (Number.isFinite(v) && v > 0)
        ? []
        : [{ option, message: `must be a number of seconds greater than 0; got ${v}` }];
}

function prefixProblems(prefix: string, delim: string): OptionProblem[] {
    if (prefix === "")
        return [{ option: "prefix", message: "must not be empty: give the sink's prefix, e.g. topics/<topic>/partition=0/" }];
    if (prefix.startsWith("/"))
        return [{ option: "prefix", message: `must not start with "/" (S3 keys do not); got ${JSON.stringify(prefix)}` }];
    if (!prefix.endsWith(delim)) {
        return [
            {
                option: "prefix",
                message: `must end with ${JSON.stringify(delim)} (the sink's directory delimiter); without it ${JSON.stringify(prefix)} also matches ${JSON.stringify(`${prefix}0${delim}`)} and the like. Use ${JSON.stringify(prefix + delim)}.`,
            },
        ];
    }
    return [];
}

function queryProblems(query: string, method: VerifyMethod): OptionProblem[] {
    if (query.trim() === "")
        return [{ option: "query", message: "must not be empty: give an S3 Select query such as SELECT * FROM s3object s LIMIT 5" }];
    if (method === "select") return [];
    try {
        parseQuery(query);
        return [];
    } catch (e) {
        if (!(e instanceof SqlError)) throw e;
        return [
            {
                option: "query",
                message: `cannot be evaluated without S3 Select: ${e.message}. The GetObject fallback evaluates ${SQL_SUBSET}; rewrite the query, or use the method "select" to run it with S3 Select only.`,
            },
        ];
    }
}

/** Every problem with the options, one per option at most. */
export function optionProblems(o: SinkCheckOptions): OptionProblem[] {
    const method = o.method ?? CHECK_DEFAULTS.method;
    const sample = o.sampleSize ?? CHECK_DEFAULTS.sampleSize;
    const minRecords = o.minRecords ?? CHECK_DEFAULTS.minRecords;
    return [
        ...(o.bucket ? [] : [{ option: "bucket" as const, message: "must name the target bucket" }]),
        ...prefixProblems(o.prefix ?? "", (o.keyFormat ?? sinkKeyFormat({})).directoryDelim),
        ...(["auto", "select", "get"].includes(method)
            ? []
            : [{ option: "method" as const, message: `must be auto, select or get; got ${JSON.stringify(method)}` }]),
        ...queryProblems(o.query ?? CHECK_DEFAULTS.query, method),
        ...(Number.isInteger(minRecords) && minRecords >= 0
            ? []
            : [{ option: "minRecords" as const, message: `must be a whole number of records, 0 or more; got ${minRecords}` }]),
        ...positive(o, "timeoutSeconds"),
        ...positive(o, "pollIntervalSeconds"),
        ...positive(o, "requestTimeoutSeconds"),
        ...(Number.isInteger(sample) && sample >= 0 && sample <= 3
            ? []
            : [{ option: "sampleSize" as const, message: `must be 0 to 3; got ${sample}` }]),
    ];
}

/** Apply the defaults; throws `bad-input` (or `bad-query`) naming each option that is wrong. */
export function resolveOptions(o: SinkCheckOptions): CheckSettings {
    const problems = optionProblems(o);
    if (problems.length > 0) {
        const kind = problems.every((p) => p.option === "query") ? "bad-query" : "bad-input";
        throw new VerificationError(kind, problems.map((p) => `${p.option} ${p.message}`).join("; "));
    }
    const query = o.query ?? CHECK_DEFAULTS.query;
    let parsed: ParsedQuery | undefined;
    try {
        parsed = parseQuery(query);
    } catch {
        parsed = undefined; // only with the method "select" (checked above): S3 Select runs it as written
    }
    return {
        ...o,
        query,
        ...(parsed ? { parsed } : {}),
        minRecords: o.minRecords ?? CHECK_DEFAULTS.minRecords,
        method: o.method ?? CHECK_DEFAULTS.method,
        timeoutSeconds: o.timeoutSeconds ?? CHECK_DEFAULTS.timeoutSeconds,
        pollIntervalSeconds: o.pollIntervalSeconds ?? CHECK_DEFAULTS.pollIntervalSeconds,
        requestTimeoutSeconds: o.requestTimeoutSeconds ?? CHECK_DEFAULTS.requestTimeoutSeconds,
        keyFormat: o.keyFormat ?? sinkKeyFormat({}),
        sampleSize: o.sampleSize ?? CHECK_DEFAULTS.sampleSize,
    };
}
