/** The S3 client a check uses: time limits on every request, and no retries of its own (the check retries). */
import type { S3Client } from "@aws-sdk/client-s3";
import { CHECK_DEFAULTS } from "./types";

/**
 * The S3 client for a check: ambient credentials (with the stack's AWS profile, if any), optional endpoint (path-style for local servers). Each
 * request gets at most `requestTimeoutSeconds` to connect (10 s at most), to start answering, and between
 * two packets while it streams; the SDK does not retry (the check does, until its deadline).
 */
export function makeClient(
    region: string,
    endpoint?: string,
    requestTimeoutSeconds: number = CHECK_DEFAULTS.requestTimeoutSeconds,
    profile?: string,
): S3Client {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { S3Client: Client } = require("@aws-sdk/client-s3") as typeof import("@aws-sdk/client-s3");
    const ms = Math.max(1, Math.round(requestTimeoutSeconds * 1000));
    return new Client({
        region,
        ...(profile ? { profile } : {}),
        ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
        maxAttempts: 1,
        requestHandler: {
            connectionTimeout: Math.min(ms, 10_000),
            requestTimeout: ms,
            socketTimeout: ms,
            throwOnRequestTimeout: true,
        },
    });
}
