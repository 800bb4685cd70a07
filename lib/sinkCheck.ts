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
import { isCountQuery, Json, limitOf, matches, parseQuery, project, SqlError } from "./miniSql";
import { partitionOf } from "./partition";

export type VerifyMethod = "auto" | "select" | "get";

export interface SinkCheckOptions {
    readonly bucket: string;
    /** Key prefix the sink writes to, e.g. `topics/<topic>/partition=0/`. */
    readonly prefix: string;
    readonly region: string;
    /** S3 Select SQL. @default "SELECT * FROM s3object s LIMIT 5" */
    readonly query?: string;
    /** Records the query must return. @default 1 */
    readonly minRecords?: number;
    /** @default "auto" (S3 Select, then GetObject where Select is refused) */
    readonly method?: VerifyMethod;
    /** @default 900 */
    readonly timeoutSeconds?: number;
    /** @default 15 */
    readonly pollIntervalSeconds?: number;
    /** URL of an S3-compatible server (path-style addressing is used). */
    readonly endpoint?: string;
    /** Records to keep as a sample. @default 3 */
    readonly sampleSize?: number;
    /** For messages only: the connector and its log group, to say where to look. */
    readonly connectorName?: string;
    readonly logGroupName?: string;
    /** Called with a line of progress (polls, fallbacks). */
    readonly onProgress?: (message: string) => void;
}

export interface SinkCheckResult {
    readonly bucket: string;
    readonly objectKey: string;
    readonly objectSize: number;
    readonly recordsReturned: number;
    /** Up to `sampleSize` records, each at most 2 KiB of JSON. */
    readonly sample: Json[];
    readonly method: "select" | "get";
    /** S3 Select's BytesScanned, or the bytes GetObject read. */
    readonly bytesScanned: number;
    /** Bytes read by GetObject (the line check, or the fallback). */
    readonly bytesRead: number;
    /** Why S3 Select was not used, when it was not. */
    readonly fallbackReason?: string;
    readonly verifiedAt: string;
}

export type VerificationErrorKind =
    | "timeout"
    | "access-denied"
    | "wrong-region"
    | "no-such-bucket"
    | "unreachable"
    | "not-json-lines"
    | "too-few-records"
    | "select-unavailable"
    | "select-failed"
    | "bad-query";

export class VerificationError extends Error {
    constructor(
        readonly kind: VerificationErrorKind,
        message: string,
    ) {
        super(message);
        this.name = "VerificationError";
    }
}

export const CHECK_DEFAULTS = {
    query: "SELECT * FROM s3object s LIMIT 5",
    minRecords: 1,
    method: "auto" as VerifyMethod,
    timeoutSeconds: 900,
    pollIntervalSeconds: 15,
    sampleSize: 3,
    /** First ranged read; later reads double up to the maximum. */
    firstChunkBytes: 64 * 1024,
    maxChunkBytes: 1024 * 1024,
    /** How much of an object the line check reads after S3 Select answered. */
    lineCheckBytes: 1024 * 1024,
};

/** The S3 client for a check: ambient credentials, optional endpoint (path-style for local servers). */
export function makeClient(region: string, endpoint?: string): S3Client {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { S3Client: Client } = require("@aws-sdk/client-s3") as typeof import("@aws-sdk/client-s3");
    return new Client({
        region,
        ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
        maxAttempts: 3,
    });
}

interface AwsErrorLike {
    name?: string;
    Code?: string;
    code?: string;
    message?: string;
    Region?: string;
    $metadata?: { httpStatusCode?: number };
    $response?: { headers?: Record<string, string> };
}

/** Turn an S3 error into a message that says which permission on which ARN, or what else to fix. */
export function explainS3Error(err: unknown, ctx: { bucket: string; key?: string; region: string; action: string; endpoint?: string }): VerificationError {
    const e = (err ?? {}) as AwsErrorLike;
    const code = e.name ?? e.Code ?? e.code ?? "Error";
    const status = e.$metadata?.httpStatusCode;
    const partition = partitionOf(ctx.region);
    const resource = ctx.action === "s3:ListBucket" ? `arn:${partition}:s3:::${ctx.bucket}` : `arn:${partition}:s3:::${ctx.bucket}/${ctx.key ?? "*"}`;
    if (code === "AccessDenied" || code === "Forbidden" || status === 403) {
        return new VerificationError("access-denied",
            `access denied: the identity running the check needs ${ctx.action} on ${resource}` +
                `${ctx.action === "s3:GetObject" ? " (and kms:Decrypt on the bucket's KMS key, if it uses SSE-KMS)" : ""}. Grant it, or run the check as an identity that has it.`);
    }
    if (code === "NoSuchBucket") {
        return new VerificationError("no-such-bucket",
            `bucket ${ctx.bucket} does not exist${ctx.endpoint ? ` at ${ctx.endpoint}` : ""}: check msk-s3-sink:targetBucket (or --bucket).`);
    }
    const bucketRegion = e.Region ?? e.$response?.headers?.["x-amz-bucket-region"];
    if (code === "PermanentRedirect" || code === "AuthorizationHeaderMalformed" || code === "IllegalLocationConstraintException" || status === 301) {
        return new VerificationError("wrong-region",
            `bucket ${ctx.bucket} is not in ${ctx.region}${bucketRegion ? `; it is in ${bucketRegion}` : ""}. Fix: set aws:region (or --region) to the bucket's region.`);
    }
    const sys = (err as { code?: string; cause?: { code?: string } }) ?? {};
    const netCode = sys.code ?? sys.cause?.code;
    if (netCode && ["ECONNREFUSED", "ENOTFOUND", "ETIMEDOUT", "ECONNRESET", "EAI_AGAIN"].includes(netCode)) {
        return new VerificationError("unreachable",
            `cannot reach S3${ctx.endpoint ? ` at ${ctx.endpoint}` : ` in ${ctx.region}`} (${netCode}) for bucket ${ctx.bucket}: check the endpoint, network and proxy settings.`);
    }
    return new VerificationError("select-failed", `${ctx.action} on ${resource} failed: ${code}${status ? ` (HTTP ${status})` : ""}: ${e.message ?? String(err)}`);
}

/** True when an S3 Select call was refused because the account or server does not offer S3 Select. */
export function isSelectUnavailable(err: unknown): boolean {
    const e = (err ?? {}) as AwsErrorLike;
    const code = e.name ?? e.Code ?? "";
    const status = e.$metadata?.httpStatusCode;
    return code === "MethodNotAllowed" || code === "NotImplemented" || status === 405 || status === 501;
}

function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Keys the sink writes are data objects; folder markers (`.../`) are not. */
export function isDataKey(key: string): boolean {
    return !key.endsWith("/");
}

/** Wait until an object exists under the prefix; return the first one the sink wrote (lowest offset). */
export async function waitForFirstObject(client: S3Client, o: SinkCheckOptions): Promise<{ key: string; size: number }> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { ListObjectsV2Command } = require("@aws-sdk/client-s3") as typeof import("@aws-sdk/client-s3");
    const timeoutMs = (o.timeoutSeconds ?? CHECK_DEFAULTS.timeoutSeconds) * 1000;
    const pollMs = (o.pollIntervalSeconds ?? CHECK_DEFAULTS.pollIntervalSeconds) * 1000;
    const deadline = Date.now() + timeoutMs;
    for (let attempt = 1; ; attempt++) {
        let found: { key: string; size: number } | undefined;
        try {
            // Keys are zero-padded offsets, so S3's lexicographic order is write order: the first data key
            // on the first page is the first object (the one the lab opens).
            let token: string | undefined;
            do {
                const page = await client.send(new ListObjectsV2Command({ Bucket: o.bucket, Prefix: o.prefix, ContinuationToken: token }));
                const first = (page.Contents ?? []).find((c) => c.Key !== undefined && isDataKey(c.Key));
                if (first) found = { key: first.Key!, size: first.Size ?? 0 };
                token = found ? undefined : page.NextContinuationToken;
            } while (token);
        } catch (err) {
            throw explainS3Error(err, { bucket: o.bucket, region: o.region, action: "s3:ListBucket", endpoint: o.endpoint });
        }
        if (found) return found;
        const remaining = deadline - Date.now();
        if (remaining <= 0) {
            const waited = Math.round(timeoutMs / 1000);
            const where = [
                o.connectorName ? `the connector ${o.connectorName}'s state (MSK Connect console, or \`aws kafkaconnect list-connectors --connector-name-prefix ${o.connectorName}\`)` : "the connector's state",
                o.logGroupName ? `its log group ${o.logGroupName}` : "its worker logs",
            ].join(" and ");
            throw new VerificationError("timeout",
                `no object under s3://${o.bucket}/${o.prefix} after ${waited} s: check ${where}; the sink writes an object only after flush.size records reach one partition, so also check that the topic receives changes.`);
        }
        o.onProgress?.(`no object under s3://${o.bucket}/${o.prefix} yet (poll ${attempt}); next look in ${Math.round(Math.min(pollMs, remaining) / 1000)} s`);
        await sleep(Math.min(pollMs, remaining));
    }
}

/**
 * Read an object's JSON Lines from the start with ranged GETs (64 KiB first, doubling to 1 MiB), gunzipping
 * on the fly for `.gz`, and hand each parsed record to `onRecord` until it returns false or `maxBytes`
 * have been read. Throws `not-json-lines` naming the first line that is not JSON.
 */
export async function scanJsonLines(
    client: S3Client,
    bucket: string,
    key: string,
    size: number,
    onRecord: (record: Json, line: number) => boolean,
    opts: { maxBytes?: number; region: string; endpoint?: string },
): Promise<{ bytesRead: number }> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { GetObjectCommand } = require("@aws-sdk/client-s3") as typeof import("@aws-sdk/client-s3");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const zlib = require("zlib") as typeof import("zlib");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { StringDecoder } = require("string_decoder") as typeof import("string_decoder");

    const gzip = key.endsWith(".gz");
    const gunzip = gzip ? zlib.createGunzip() : undefined;
    const decoder = new StringDecoder("utf8");
    const maxBytes = opts.maxBytes ?? Number.POSITIVE_INFINITY;
    let pending = "";
    let lineNo = 0;
    let stop = false;
    let bytesRead = 0;

    const handleLine = (text: string): void => {
        lineNo++;
        if (stop || text.trim() === "") return;
        let record: Json;
        try {
            record = JSON.parse(text) as Json;
        } catch {
            const snippet = text.length > 80 ? `${text.slice(0, 80)}…` : text;
            throw new VerificationError("not-json-lines",
                `s3://${bucket}/${key} is not JSON Lines: line ${lineNo} is not a JSON value (${JSON.stringify(snippet)}). Check the connector's format.class (JsonFormat writes one JSON value per line) and value.converter.`);
        }
        if (!onRecord(record, lineNo)) stop = true;
    };
    const feedText = (text: string): void => {
        pending += text;
        let nl: number;
        while (!stop && (nl = pending.indexOf("\n")) >= 0) {
            const line = pending.slice(0, nl).replace(/\r$/, "");
            pending = pending.slice(nl + 1);
            handleLine(line);
        }
    };
    const inflate = (chunk: Buffer, last: boolean): Promise<Buffer> =>
        new Promise((resolve, reject) => {
            const parts: Buffer[] = [];
            const onData = (d: Buffer): number => parts.push(d);
            const onError = (err: Error): void => reject(new VerificationError("not-json-lines", `s3://${bucket}/${key} ends in .gz but is not valid gzip: ${err.message}`));
            gunzip!.on("data", onData);
            gunzip!.once("error", onError);
            const done = (): void => {
                gunzip!.off("data", onData);
                gunzip!.off("error", onError);
                resolve(Buffer.concat(parts));
            };
            gunzip!.write(chunk);
            if (last) gunzip!.end(() => setImmediate(done));
            else gunzip!.flush(zlib.constants.Z_SYNC_FLUSH, done);
        });

    let offset = 0;
    let chunk = CHECK_DEFAULTS.firstChunkBytes;
    while (!stop && offset < size && bytesRead < maxBytes) {
        const end = Math.min(size, offset + chunk, offset + (maxBytes - bytesRead)) - 1;
        let body: Buffer;
        try {
            const res = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=${offset}-${end}` }));
            body = Buffer.from(await res.Body!.transformToByteArray());
        } catch (err) {
            throw explainS3Error(err, { bucket, key, region: opts.region, action: "s3:GetObject", endpoint: opts.endpoint });
        }
        if (body.length === 0) break;
        offset += body.length;
        bytesRead += body.length;
        const last = offset >= size;
        const bytes = gunzip ? await inflate(body, last) : body;
        feedText(decoder.write(bytes));
        chunk = Math.min(chunk * 2, CHECK_DEFAULTS.maxChunkBytes);
    }
    if (!stop && offset >= size) {
        feedText(decoder.end());
        if (pending !== "") {
            const tail = pending;
            pending = "";
            handleLine(tail);
        }
    }
    return { bytesRead };
}

/** Run the query with S3 Select and return the result records (LIMIT enforced here too). */
async function selectRecords(client: S3Client, o: SinkCheckOptions, key: string, query: string): Promise<{ records: Json[]; bytesScanned: number }> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { SelectObjectContentCommand } = require("@aws-sdk/client-s3") as typeof import("@aws-sdk/client-s3");
    // AWS reads the table name case-insensitively; moto only accepts lower case.
    const expression = query.replace(/\bfrom\s+s3object\b/i, "FROM s3object");
    const res = await client.send(
        new SelectObjectContentCommand({
            Bucket: o.bucket,
            Key: key,
            Expression: expression,
            ExpressionType: "SQL",
            InputSerialization: { JSON: { Type: "LINES" }, CompressionType: key.endsWith(".gz") ? "GZIP" : "NONE" },
            OutputSerialization: { JSON: { RecordDelimiter: "\n" } },
        }),
    );
    const chunks: Buffer[] = [];
    let bytesScanned = 0;
    let ended = false;
    for await (const event of res.Payload ?? []) {
        if (event.Records?.Payload) chunks.push(Buffer.from(event.Records.Payload));
        else if (event.Stats?.Details) bytesScanned = Number(event.Stats.Details.BytesScanned ?? 0);
        else if (event.End) ended = true;
    }
    if (!ended) {
        throw new VerificationError("select-failed", `S3 Select on s3://${o.bucket}/${key} stopped before its End event; the result is incomplete. Run the check again.`);
    }
    const text = Buffer.concat(chunks).toString("utf8");
    const records: Json[] = [];
    for (const line of text.split("\n")) {
        if (line.trim() === "") continue;
        try {
            records.push(JSON.parse(line) as Json);
        } catch {
            throw new VerificationError("select-failed", `S3 Select returned a record that is not JSON: ${JSON.stringify(line.slice(0, 80))}`);
        }
    }
    const limit = limitOf(query);
    return { records: limit === undefined ? records : records.slice(0, limit), bytesScanned };
}

/** Evaluate the query ourselves over the object's records, reading no more than the answer needs. */
async function getRecords(client: S3Client, o: SinkCheckOptions, key: string, size: number, query: string): Promise<{ records: Json[]; bytesRead: number }> {
    let parsed;
    try {
        parsed = parseQuery(query);
    } catch (e) {
        if (e instanceof SqlError) {
            throw new VerificationError("bad-query", `the query ${JSON.stringify(query)} cannot be evaluated without S3 Select: ${e.message}. Use SELECT *, COUNT(*) or field paths with WHERE comparisons and LIMIT.`);
        }
        throw e;
    }
    const records: Json[] = [];
    let count = 0;
    const { bytesRead } = await scanJsonLines(
        client, o.bucket, key, size,
        (record) => {
            if (!matches(parsed, record)) return true;
            if (parsed.projection === "count") {
                count++;
                return true;
            }
            records.push(project(parsed, record));
            return parsed.limit === undefined || records.length < parsed.limit;
        },
        { region: o.region, endpoint: o.endpoint },
    );
    if (parsed.projection === "count") return { records: [{ _1: count }], bytesRead };
    return { records, bytesRead };
}

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
                    maxBytes: CHECK_DEFAULTS.lineCheckBytes, region: o.region, endpoint: o.endpoint,
                });
                if (/Parse|Unsupported|Invalid.*(Sql|Expression|Query)|Missing/i.test(code) && !/JSON/i.test(code)) {
                    throw new VerificationError("bad-query", `S3 Select rejected the query ${JSON.stringify(query)}: ${code}: ${e.message}. Fix msk-s3-sink:verifyQuery (or --query).`);
                }
                throw explainS3Error(err, { bucket: o.bucket, key: object.key, region: o.region, action: "s3:GetObject", endpoint: o.endpoint });
            }
            const status = (err as AwsErrorLike).$metadata?.httpStatusCode;
            fallbackReason = `S3 Select is not available here (${(err as AwsErrorLike).name ?? "error"}${status ? `, HTTP ${status}` : ""})`;
            if (method === "select") {
                throw new VerificationError("select-unavailable", `${fallbackReason}; verifyMethod is "select". Use "auto" or "get" to check with GetObject instead.`);
            }
            o.onProgress?.(`${fallbackReason}; reading the object with ranged GetObject instead`);
        }
        if (selected) {
            // S3 Select (and moto in particular) can skip malformed lines silently: check the lines ourselves.
            const check = await scanJsonLines(client, o.bucket, object.key, object.size, () => true, {
                maxBytes: CHECK_DEFAULTS.lineCheckBytes, region: o.region, endpoint: o.endpoint,
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
        throw new VerificationError("too-few-records",
            `the query ${JSON.stringify(query)} returned ${recordsReturned} record(s) from s3://${o.bucket}/${object.key} (${object.size} bytes) but at least ${minRecords} are required. Check the query's WHERE clause and LIMIT, or lower msk-s3-sink:verifyMinRecords.`);
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
