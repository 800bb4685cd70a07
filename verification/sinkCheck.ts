/**
 * Proof that the sink's data landed: wait for the first object under the sink's prefix, query it with
 * S3 Select (JSON Lines, gzip when the key ends `.gz`), and fall back to ranged GetObject plus our own
 * evaluation of the query where S3 Select is refused. Used by the dynamic provider, `npm run verify` and
 * `npm run demo` alike.
 *
 * Serialization-safe: AWS SDK and Node modules are required inside the functions that use them, so the
 * dynamic provider captures no client, credential or module object. Credentials come from the ambient
 * AWS chain.
 */
import type { S3Client } from "@aws-sdk/client-s3";
import { isCountQuery, Json } from "../sql";
import { AwsErrorLike, explainS3Error, isSelectUnavailable, VerificationError } from "./errors";
import { scanJsonLines } from "./jsonLines";
import { getRecords, selectRecords } from "./query";
import { makeClient } from "./s3Client";
import { CHECK_DEFAULTS, SinkCheckOptions, SinkCheckResult } from "./types";
import { waitForFirstObject } from "./waitForObject";

function sampleOf(records: Json[], n: number): Json[] {
    return records.slice(0, n).map((r) => {
        const text = JSON.stringify(r);
        return text.length <= 2048 ? r : `${text.slice(0, 2045)}...`;
    });
}

/** The whole check: wait, pick, query (S3 Select or fallback), count, judge. */
export async function verifySink(o: SinkCheckOptions, client: S3Client = makeClient(o.region, o.endpoint)): Promise<SinkCheckResult> {
    const query = o.query ?? CHECK_DEFAULTS.query;
    const method = o.method ?? CHECK_DEFAULTS.method;
    const minRecords = o.minRecords ?? CHECK_DEFAULTS.minRecords;

    const object = await waitForFirstObject(client, o);
    let result: { records: Json[]; method: "select" | "get"; bytesScanned: number; bytesRead: number; fallbackReason?: string };

    if (method === "get") {
        const got = await getRecords(client, o, object.key, object.size, query);
        result = { records: got.records, method: "get", bytesScanned: got.bytesRead, bytesRead: got.bytesRead };
    } else {
        let selected: { records: Json[]; bytesScanned: number } | undefined;
        let fallbackReason: string | undefined;
        try {
            selected = await selectRecords(client, o, object.key, query);
        } catch (err) {
            if (err instanceof VerificationError) throw err;
            if (!isSelectUnavailable(err)) {
                const e = err as AwsErrorLike;
                const code = e.name ?? e.Code ?? "";
                // A failed Select is most often bad data (AWS reports a bad line inside the stream; moto answers
                // 500): find the line, so the message can name it. Throws not-json-lines if there is one.
                await scanJsonLines(client, o.bucket, object.key, object.size, () => true, {
                    maxBytes: CHECK_DEFAULTS.lineCheckBytes,
                    region: o.region,
                    endpoint: o.endpoint,
                });
                if (/Parse|Unsupported|Invalid.*(Sql|Expression|Query)|Missing/i.test(code) && !/JSON/i.test(code)) {
                    throw new VerificationError(
                        "bad-query",
                        `S3 Select rejected the query ${JSON.stringify(query)}: ${code}: ${e.message}. Fix msk-s3-sink:verifyQuery (or --query).`,
                    );
                }
                throw explainS3Error(err, {
                    bucket: o.bucket,
                    key: object.key,
                    region: o.region,
                    action: "s3:GetObject",
                    endpoint: o.endpoint,
                });
            }
            const status = (err as AwsErrorLike).$metadata?.httpStatusCode;
            fallbackReason = `S3 Select is not available here (${(err as AwsErrorLike).name ?? "error"}${status ? `, HTTP ${status}` : ""})`;
            if (method === "select") {
                throw new VerificationError(
                    "select-unavailable",
                    `${fallbackReason}; verifyMethod is "select". Use "auto" or "get" to check with GetObject instead.`,
                );
            }
            o.onProgress?.(`${fallbackReason}; reading the object with ranged GetObject instead`);
        }
        if (selected) {
            // S3 Select (and moto in particular) can skip malformed lines silently: check the lines ourselves.
            const check = await scanJsonLines(client, o.bucket, object.key, object.size, () => true, {
                maxBytes: CHECK_DEFAULTS.lineCheckBytes,
                region: o.region,
                endpoint: o.endpoint,
            });
            result = { records: selected.records, method: "select", bytesScanned: selected.bytesScanned, bytesRead: check.bytesRead };
        } else {
            const got = await getRecords(client, o, object.key, object.size, query);
            result = { records: got.records, method: "get", bytesScanned: got.bytesRead, bytesRead: got.bytesRead, fallbackReason };
        }
    }

    let recordsReturned = result.records.length;
    if (isCountQuery(query)) {
        const first = result.records[0];
        recordsReturned = first && typeof first === "object" && !Array.isArray(first) && typeof first._1 === "number" ? first._1 : 0;
    }
    if (recordsReturned < minRecords) {
        throw new VerificationError(
            "too-few-records",
            `the query ${JSON.stringify(query)} returned ${recordsReturned} record(s) from s3://${o.bucket}/${object.key} (${object.size} bytes) but at least ${minRecords} are required. Check the query's WHERE clause and LIMIT, or lower msk-s3-sink:verifyMinRecords.`,
        );
    }
    return {
        bucket: o.bucket,
        objectKey: object.key,
        objectSize: object.size,
        recordsReturned,
        sample: sampleOf(result.records, o.sampleSize ?? CHECK_DEFAULTS.sampleSize),
        method: result.method,
        bytesScanned: result.bytesScanned,
        bytesRead: result.bytesRead,
        ...(result.fallbackReason ? { fallbackReason: result.fallbackReason } : {}),
        verifiedAt: new Date().toISOString(),
    };
}
