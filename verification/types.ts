/** What a sink check is asked (options), what it answers (result), and its defaults. */
import type { Json } from "../sql";

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
