/**
 * Proof that the sink's data landed: wait for the sink's first object under the prefix (keys read as
 * `<topic>+<partition>+<offset>.<ext>`, the lowest offset as a number), query it with S3 Select (JSON Lines,
 * gzip for `.gz`), fall back to ranged GetObject plus our own evaluation of the query where S3 Select cannot
 * answer, and judge the count. One deadline bounds it all. Used by the dynamic provider, `npm run verify`
 * and `npm run demo` alike.
 *
 * Serialization-safe: AWS SDK and Node modules are required inside the functions that use them, so the
 * dynamic provider captures no client, credential or module object. Credentials come from the ambient
 * AWS chain.
 */
import type { S3Client } from "@aws-sdk/client-s3";
import { ObjectVanished, VerificationError } from "./errors";
import { CheckSettings, resolveOptions } from "./options";
import { QueryOutcome, queryObject } from "./query";
import { progress, Run, startRun } from "./run";
import { makeClient } from "./s3Client";
import type { SinkCheckOptions, SinkCheckResult } from "./types";
import { waitForObject } from "./waitForObject";

/** The verdict on an answer: enough records, or `too-few-records` with the counts. */
function judge(run: Run, found: Awaited<ReturnType<typeof waitForObject>>, answer: QueryOutcome): SinkCheckResult {
    const { object, skipped, skippedExample } = found;
    const o = run.o;
    const { records, rows, nonRecords } = answer.tally;
    if (records < o.minRecords) {
        const notRecords = nonRecords > 0 ? `; ${nonRecords} line(s) read were not records (null or scalar values)` : "";
        throw new VerificationError(
            "too-few-records",
            `the query ${JSON.stringify(o.query)} returned ${records} record(s) from s3://${o.bucket}/${object.key} (${object.size} bytes) but at least ${o.minRecords} are required${notRecords}. Check the query's WHERE clause and LIMIT, or lower msk-s3-sink:verifyMinRecords.`,
        );
    }
    return {
        bucket: o.bucket,
        objectKey: object.key,
        objectSize: object.size,
        objectStartOffset: object.startOffset.toString(),
        ...(object.lastModified ? { objectLastModified: object.lastModified } : {}),
        freshness: o.fresh
            ? {
                  mode: "fresh",
                  ...(o.fresh.writtenAfter ? { writtenAfter: o.fresh.writtenAfter } : {}),
                  ...(run.baseline ? { baseline: run.baseline } : {}),
              }
            : { mode: "existing" },
        recordsReturned: records,
        sample: [...rows],
        method: answer.method,
        bytesScanned: answer.bytesScanned,
        bytesRead: answer.bytesRead,
        nonRecordLines: nonRecords,
        ...(answer.fallbackReason ? { fallbackReason: answer.fallbackReason } : {}),
        skippedKeys: skipped,
        ...(skipped > 0 && skippedExample ? { skippedExample } : {}),
        listings: run.listings,
        verifiedAt: new Date().toISOString(),
    };
}

/** Wait, choose, query, judge; an object that vanishes before it is read sends the check back to listing. */
async function check(run: Run): Promise<SinkCheckResult> {
    for (;;) {
        const found = await waitForObject(run);
        try {
            return judge(run, found, await queryObject(run, found.object));
        } catch (e) {
            if (!(e instanceof ObjectVanished)) throw e;
            run.lastError = e.message;
            progress(run, `${e.message}; listing again`);
        }
    }
}

/** The whole check within its deadline. Throws a VerificationError whose kind says what failed. */
export async function verifySink(options: SinkCheckOptions, client?: S3Client): Promise<SinkCheckResult> {
    const o: CheckSettings = resolveOptions(options);
    const own = client === undefined;
    const run = startRun(o, client ?? makeClient(o.region, o.endpoint, o.requestTimeoutSeconds, o.profile));
    try {
        return await check(run);
    } finally {
        run.end();
        if (own) run.client.destroy();
    }
}
