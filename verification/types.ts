/** What a sink check is asked (options), what it answers (result), and its defaults. */
import type { Json } from "../sql";
import type { SinkKeyFormat } from "../sink";
import type { Baseline, FreshRule } from "./freshness";

export type VerifyMethod = "auto" | "select" | "get";

export interface SinkCheckOptions {
    readonly bucket: string;
    /** Key prefix the sink writes to, e.g. `topics/<topic>/partition=0/`; must end with the directory delimiter. */
    readonly prefix: string;
    readonly region: string;
    /** S3 Select SQL. @default "SELECT * FROM s3object s LIMIT 5" */
    readonly query?: string;
    /** Records the query must return. @default 1 */
    readonly minRecords?: number;
    /** @default "auto" (S3 Select, then GetObject where Select is refused or fails) */
    readonly method?: VerifyMethod;
    /** The whole check's deadline: waiting, listing, querying and reading. @default 900 */
    readonly timeoutSeconds?: number;
    /** @default 15 */
    readonly pollIntervalSeconds?: number;
    /** Each request's limit for connecting, for its answer to start, and for silence while it streams. @default 30 */
    readonly requestTimeoutSeconds?: number;
    /** URL of an S3-compatible server (path-style addressing is used). */
    readonly endpoint?: string;
    /** The AWS profile to take credentials from (the stack's `aws:profile`). @default the ambient chain */
    readonly profile?: string;
    /** How the sink names its objects (delimiters, extension). @default `/`, `+`, `.json` */
    readonly keyFormat?: SinkKeyFormat;
    /**
     * Pass only on fresh data: an object written since the connector's configuration took effect, or beyond
     * the baseline of what was there before (see freshness.ts). @default any sink object, old ones included
     */
    readonly fresh?: FreshRule;
    /** Records to keep as a sample (0 to 3). @default 3 */
    readonly sampleSize?: number;
    /** For messages only: the connector and its log group, to say where to look. */
    readonly connectorName?: string;
    readonly logGroupName?: string;
    /** Called with a line of progress (listings, retries, fallbacks). */
    readonly onProgress?: (message: string) => void;
    /**
     * Called with what the user should see even when progress is not shown: keys under the prefix skipped as
     * not sink objects while none is there to read (once a run). @default onProgress
     */
    readonly onNotice?: (message: string) => void;
}

export interface SinkCheckResult {
    readonly bucket: string;
    readonly objectKey: string;
    readonly objectSize: number;
    /** The object's first offset as decimal digits (exact, beyond 2^53 too). */
    readonly objectStartOffset: string;
    /** When S3 says the object was written (ISO 8601), when the listing said. */
    readonly objectLastModified?: string;
    /** Which objects counted: any ("existing"), or only fresh ones, with the rule's moment and the baseline. */
    readonly freshness: { readonly mode: "fresh" | "existing"; readonly writtenAfter?: string; readonly baseline?: Baseline };
    /** Records the query returned (for a COUNT, the count). */
    readonly recordsReturned: number;
    /**
     * Up to `sampleSize` result records: each as JSON, or as its JSON text (cut at 2 KiB on a code point
     * boundary, ending "...") when it is longer than 2 KiB or holds an integer beyond 2^53.
     */
    readonly sample: Json[];
    readonly method: "select" | "get";
    /** S3 Select's BytesScanned, or the bytes GetObject read. */
    readonly bytesScanned: number;
    /** Bytes read by GetObject (the line check, or the fallback). */
    readonly bytesRead: number;
    /** Lines read that are not records (null tombstones, scalars): not counted, on either path. */
    readonly nonRecordLines: number;
    /** Why S3 Select was not used, when it was not. */
    readonly fallbackReason?: string;
    /** Keys under the prefix that are not sink objects (`_SUCCESS`, `.manifest`, …), skipped in the last listing. */
    readonly skippedKeys: number;
    /** One of them and why it is not a sink object, when any was skipped. */
    readonly skippedExample?: { readonly key: string; readonly reason: string };
    /** Listings of the prefix made. */
    readonly listings: number;
    readonly verifiedAt: string;
}

export const CHECK_DEFAULTS = {
    query: "SELECT * FROM s3object s LIMIT 5",
    minRecords: 1,
    method: "auto" as VerifyMethod,
    timeoutSeconds: 900,
    pollIntervalSeconds: 15,
    requestTimeoutSeconds: 30,
    sampleSize: 3,
    /** A sample record's JSON is cut at this many bytes. */
    sampleRecordBytes: 2048,
    /** First ranged read; later reads double up to the maximum. */
    firstChunkBytes: 64 * 1024,
    maxChunkBytes: 1024 * 1024,
    /** How much of an object the line check reads after S3 Select answered. */
    lineCheckBytes: 1024 * 1024,
    /** The longest line the fallback reads (S3 Select's own limit is 1 MiB). */
    maxLineBytes: 16 * 1024 * 1024,
    /** Tries of SelectObjectContent on transient errors before falling back to GetObject. */
    selectAttempts: 3,
    /** Backoff between tries: first delay, doubling up to the maximum (with jitter). */
    retryFirstDelayMs: 250,
    retryMaxDelayMs: 5000,
};
