/** The S3 client a check uses. */
import type { S3Client } from "@aws-sdk/client-s3";

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
