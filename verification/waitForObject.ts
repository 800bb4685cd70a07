/** Waiting for the sink's first object under the prefix, polling until the deadline. */
import type { S3Client } from "@aws-sdk/client-s3";
import { explainS3Error, VerificationError } from "./errors";
import { CHECK_DEFAULTS, SinkCheckOptions } from "./types";

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
                o.connectorName
                    ? `the connector ${o.connectorName}'s state (MSK Connect console, or \`aws kafkaconnect list-connectors --connector-name-prefix ${o.connectorName}\`)`
                    : "the connector's state",
                o.logGroupName ? `its log group ${o.logGroupName}` : "its worker logs",
            ].join(" and ");
            throw new VerificationError(
                "timeout",
                `no object under s3://${o.bucket}/${o.prefix} after ${waited} s: check ${where}; the sink writes an object only after flush.size records reach one partition, so also check that the topic receives changes.`,
            );
        }
        o.onProgress?.(
            `no object under s3://${o.bucket}/${o.prefix} yet (poll ${attempt}); next look in ${Math.round(Math.min(pollMs, remaining) / 1000)} s`,
        );
        await sleep(Math.min(pollMs, remaining));
    }
}
