/**
 * Running the query with S3 Select (SelectObjectContent over JSON Lines, GZIP for `.gz`), streaming: result
 * rows are tallied as they arrive (a count and the sample), LIMIT applied here too, and the stream must reach
 * its End event. Transient errors are retried a few times; what is left is thrown for the caller to judge.
 */
import { Json, JsonValue, parseJson, SqlError, Tally, tallySelectRows } from "../sql";
import { describeCall, isNoSuchKey, S3Call, vanished, VerificationError } from "./errors";
import { lineSplitter, recordLength } from "./jsonLines";
import { callOf, retrying, Run } from "./run";
import { sampleEntry } from "./sample";
import { CHECK_DEFAULTS } from "./types";

export interface SelectAnswer {
    readonly tally: Tally<Json>;
    readonly bytesScanned: number;
}

function resultRow(call: S3Call, text: string): JsonValue {
    try {
        return parseJson(text);
    } catch {
        throw new VerificationError("select-failed", `${describeCall(call)} returned a record that is not JSON (${recordLength(text)})`);
    }
}

async function selectOnce(run: Run, key: string, call: S3Call): Promise<SelectAnswer> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { SelectObjectContentCommand } = require("@aws-sdk/client-s3") as typeof import("@aws-sdk/client-s3");
    const command = new SelectObjectContentCommand({
        Bucket: run.o.bucket,
        Key: key,
        // AWS reads the table name case-insensitively; moto only accepts lower case.
        Expression: run.o.query.replace(/\bfrom\s+s3object\b/i, "FROM s3object"),
        ExpressionType: "SQL",
        InputSerialization: { JSON: { Type: "LINES" }, CompressionType: key.endsWith(".gz") ? "GZIP" : "NONE" },
        OutputSerialization: { JSON: { RecordDelimiter: "\n" } },
    });
    const res = await run.client.send(command, { abortSignal: run.signal });
    const tally = tallySelectRows(run.o.parsed, run.o.sampleSize, sampleEntry);
    const tooLong = (n: number): Error =>
        new VerificationError("select-failed", `${describeCall(call)} returned result record ${n} longer than 16 MiB`);
    const rows = lineSplitter((text) => tally.add(resultRow(call, text)), tooLong, CHECK_DEFAULTS.maxLineBytes);
    let bytesScanned = 0;
    let ended = false;
    try {
        // Read to the End event even once the tally is full (a server that ignores LIMIT goes on): rows past
        // the LIMIT are not parsed or kept, and the End event proves the answer complete.
        for await (const event of res.Payload ?? []) {
            if (event.Records?.Payload && !tally.full) rows.push(Buffer.from(event.Records.Payload), () => tally.full);
            else if (event.Stats?.Details) bytesScanned = Number(event.Stats.Details.BytesScanned ?? 0);
            else if (event.End) ended = true;
        }
    } catch (err) {
        if (err instanceof SqlError) throw new VerificationError("select-failed", `${describeCall(call)}: ${err.message}`);
        throw err;
    }
    if (!ended)
        throw Object.assign(new Error("the event stream stopped before its End event; the answer is incomplete"), {
            name: "IncompleteSelectStream",
        });
    if (!tally.full) rows.end();
    return { tally: tally.result(), bytesScanned };
}

/**
 * Run the query with S3 Select, retrying transient errors up to `selectAttempts` times within the deadline.
 * Throws the last error when it is not transient or the tries ran out; NoSuchKey as ObjectVanished.
 */
export async function selectQuery(run: Run, key: string): Promise<SelectAnswer> {
    const call = callOf(run, "SelectObjectContent", key);
    try {
        return await retrying(run, call, () => selectOnce(run, key, call), CHECK_DEFAULTS.selectAttempts);
    } catch (err) {
        if (isNoSuchKey(err)) throw vanished(call);
        throw err;
    }
}
