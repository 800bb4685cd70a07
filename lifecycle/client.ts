/** The S3 client the deletion-time checks use: the stack's region and profile, time-outs on every request. */
import type { S3Client } from "@aws-sdk/client-s3";

export interface S3Target {
    readonly region: string;
    /** The AWS profile the stack's provider uses (`aws:profile`), if any. */
    readonly profile?: string;
    /** An S3-compatible server, for tests. */
    readonly endpoint?: string;
}

/** Seconds a single S3 request may take before it counts as failed. */
export const REQUEST_TIMEOUT_MS = 30_000;

export function s3ClientFor(t: S3Target): S3Client {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { S3Client: Client } = require("@aws-sdk/client-s3") as typeof import("@aws-sdk/client-s3");
    return new Client({
        region: t.region,
        ...(t.profile ? { profile: t.profile } : {}),
        ...(t.endpoint ? { endpoint: t.endpoint, forcePathStyle: true } : {}),
        maxAttempts: 4,
        requestHandler: { requestTimeout: REQUEST_TIMEOUT_MS, connectionTimeout: 5_000 },
    });
}

/** An AWS error's code and HTTP status, as far as it has them. */
export function codeOf(err: unknown): { code: string; status?: number } {
    const e = (err ?? {}) as { name?: string; Code?: string; $metadata?: { httpStatusCode?: number } };
    return { code: e.name ?? e.Code ?? "Error", ...(e.$metadata?.httpStatusCode ? { status: e.$metadata.httpStatusCode } : {}) };
}
