/**
 * Answering the query on the chosen object: with S3 Select, or with our own SQL subset over ranged GetObject
 * (the fallback) when Select is not offered, refuses a record over 1 MiB (OverMaxRecordSize), or keeps
 * failing with 5xx. Every fallback says why.
 */
import { evaluate, Json, Tally } from "../sql";
import {
    describeCall,
    errorCode,
    errorSummary,
    explainS3Error,
    httpStatus,
    isSelectUnavailable,
    isTransient,
    ObjectVanished,
    VerificationError,
} from "./errors";
import { readJsonLines } from "./jsonLines";
import type { SinkObject } from "./listing";
import { callOf, progress, Run } from "./run";
import { sampleEntry } from "./sample";
import { selectQuery } from "./select";
import { CHECK_DEFAULTS } from "./types";

export interface QueryOutcome {
    readonly tally: Tally<Json>;
    readonly method: "select" | "get";
    readonly bytesScanned: number;
    readonly bytesRead: number;
    readonly fallbackReason?: string;
}

/** S3 Select's codes for a query it cannot run. */
const BAD_QUERY =
    /^(Parse|Unsupported|Evaluator|IncorrectSqlFunction|ExpressionTooLong|InvalidExpression|InvalidQuery|InvalidColumnIndex|CastFailed|LikeInvalidInputs|ValueParseFailure)/;
/** S3 Select's codes for data it cannot read. */
const BAD_DATA = /JSON|TextEncoding|Compression|Truncated|Decompress/i;

/** The GetObject fallback: our evaluator over the object's lines, reading no more than the answer needs. */
async function fallback(run: Run, object: SinkObject, reason?: string): Promise<QueryOutcome> {
    run.doing = `reading s3://${run.o.bucket}/${object.key} with GetObject${reason ? ` (${reason})` : ""}`;
    const tally = evaluate(run.o.parsed!, run.o.sampleSize, sampleEntry);
    const bytesRead = await readJsonLines(run, object, tally);
    return { tally: tally.result(), method: "get", bytesScanned: bytesRead, bytesRead, ...(reason ? { fallbackReason: reason } : {}) };
}

/** Read the object's lines ourselves (the first MiB, or all of it) to name a bad line or invalid gzip. */
async function checkLines(run: Run, object: SinkObject, whole = false): Promise<number> {
    run.doing = `checking the JSON Lines of s3://${run.o.bucket}/${object.key}`;
    return readJsonLines(
        run,
        object,
        { add: () => undefined, full: false },
        whole ? Number.POSITIVE_INFINITY : CHECK_DEFAULTS.lineCheckBytes,
    );
}

/**
 * Judge a Select failure that retries did not cure: the reason to fall back to GetObject, or a verdict
 * (thrown) when no fallback applies or the method is "select".
 */
async function fallbackReason(run: Run, object: SinkObject, err: unknown): Promise<string> {
    if (err instanceof VerificationError || err instanceof ObjectVanished) throw err;
    const call = callOf(run, "SelectObjectContent", object.key);
    const code = errorCode(err);
    const select = run.o.method === "select";
    if (isSelectUnavailable(err)) {
        const status = httpStatus(err);
        const reason = `S3 Select is not available here (${code}${status ? `, HTTP ${status}` : ""})`;
        if (select)
            throw new VerificationError(
                "select-unavailable",
                `${describeCall(call)}: ${reason}; verifyMethod is "select". Use "auto" or "get" to check with GetObject instead.`,
            );
        return reason;
    }
    if (code === "OverMaxRecordSize") {
        const reason = `S3 Select refused a record over its 1 MiB limit (OverMaxRecordSize)`;
        if (select)
            throw new VerificationError(
                "select-failed",
                `${describeCall(call)}: ${reason}. Use the method "auto" or "get" to read it with GetObject.`,
            );
        return reason;
    }
    if (BAD_QUERY.test(code)) {
        throw new VerificationError(
            "bad-query",
            `${describeCall(call)} rejected the query ${JSON.stringify(run.o.query)}: ${errorSummary(err)}. Fix msk-s3-sink:verifyQuery (or --query).`,
        );
    }
    if (isTransient(err) && !select) return `S3 Select failed ${CHECK_DEFAULTS.selectAttempts} times (last: ${errorSummary(err)})`;
    if (isTransient(err) || BAD_DATA.test(code)) {
        // Most often bad data (AWS reports a bad line inside the stream; moto answers 500): find it, so the
        // verdict can name it. Throws not-json-lines or invalid-gzip if there is one.
        await checkLines(run, object, BAD_DATA.test(code));
        if (isTransient(err))
            throw new VerificationError(
                "select-failed",
                `${describeCall(call)} failed ${CHECK_DEFAULTS.selectAttempts} times: ${errorSummary(err)}`,
            );
    }
    throw explainS3Error(err, call);
}

/** Answer the query on the object with the configured method, falling back where S3 Select cannot answer. */
export async function queryObject(run: Run, object: SinkObject): Promise<QueryOutcome> {
    run.advice = undefined;
    if (run.o.method === "get") return fallback(run, object);
    run.doing = `querying s3://${run.o.bucket}/${object.key} with S3 Select`;
    let answer;
    try {
        answer = await selectQuery(run, object.key);
    } catch (err) {
        const reason = await fallbackReason(run, object, err);
        progress(run, `${reason}; reading the object with ranged GetObject instead`);
        return fallback(run, object, reason);
    }
    // S3 Select (and moto in particular) can skip malformed lines silently: check the lines ourselves.
    const bytesRead = await checkLines(run, object);
    return { tally: answer.tally, method: "select", bytesScanned: answer.bytesScanned, bytesRead };
}
