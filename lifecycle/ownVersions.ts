/**
 * Deleting the one object version this stack uploaded. The AWS provider, deleting an object whose version
 * it knows, removes every version of that key, including uploads this stack never made; the stack's upload
 * is therefore retained by the provider and deleted here, version by version.
 */
import { codeOf, s3ClientFor, S3Target } from "./client";

export interface OwnObjectVersion extends S3Target {
    readonly bucket: string;
    readonly key: string;
    /** The version the stack's upload created; empty when the bucket is not versioned. */
    readonly versionId: string;
    /** The SHA-256 the upload carries in its `sha256` metadata (how an unversioned object is recognised). */
    readonly sha256: string;
}

export type DeletionOutcome = "deleted" | "already-gone" | "left: another upload replaced it";

/**
 * Delete exactly the stack's version. In an unversioned bucket the key holds one object, deleted only if it
 * is still the stack's upload (its sha256 metadata); anything else is left alone.
 */
export async function deleteOwnVersion(o: OwnObjectVersion): Promise<DeletionOutcome> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { DeleteObjectCommand, HeadObjectCommand } = require("@aws-sdk/client-s3") as typeof import("@aws-sdk/client-s3");
    const client = s3ClientFor(o);
    const where = `s3://${o.bucket}/${o.key}${o.versionId ? ` (version ${o.versionId})` : ""}`;
    try {
        if (o.versionId) {
            await client.send(new DeleteObjectCommand({ Bucket: o.bucket, Key: o.key, VersionId: o.versionId }));
            return "deleted";
        }
        const head = await client.send(new HeadObjectCommand({ Bucket: o.bucket, Key: o.key }));
        if (head.Metadata?.sha256 !== o.sha256) return "left: another upload replaced it";
        await client.send(new DeleteObjectCommand({ Bucket: o.bucket, Key: o.key }));
        return "deleted";
    } catch (err) {
        const { code, status } = codeOf(err);
        if (["NoSuchKey", "NoSuchVersion", "NoSuchBucket", "NotFound"].includes(code) || status === 404) return "already-gone";
        throw new Error(
            `could not delete the connector zip this stack uploaded, ${where}: DeleteObject failed with ${code}${status ? ` (HTTP ${status})` : ""}. ` +
                "The identity running Pulumi needs s3:DeleteObjectVersion (and s3:DeleteObject) on it; grant that and run the command again.",
        );
    } finally {
        client.destroy();
    }
}
