/**
 * The check a destroy runs before it deletes anything: every bucket the destroy would delete must hold no
 * object version but the ones this stack wrote (those are deleted on the way), or the destroy would stop
 * halfway, with the connector gone and the bucket still there.
 */
import { codeOf, s3ClientFor, S3Target } from "./client";

export interface BucketToDelete {
    readonly bucket: string;
    /** The stack setting that names it, for the message. */
    readonly setting: string;
}

export interface DestroyCheck extends S3Target {
    readonly buckets: readonly BucketToDelete[];
    /** Object versions this stack wrote (`bucket`, `key`, `versionId`); a destroy deletes them first. */
    readonly ownVersions: readonly { readonly bucket: string; readonly key: string; readonly versionId: string }[];
}

/** The first object versions (and delete markers) in `bucket` that the stack did not write; at most `limit`. */
export async function foreignVersions(c: DestroyCheck, bucket: string, limit = 5): Promise<{ keys: string[]; more: boolean }> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { ListObjectVersionsCommand } = require("@aws-sdk/client-s3") as typeof import("@aws-sdk/client-s3");
    const client = s3ClientFor(c);
    const own = new Set(c.ownVersions.filter((v) => v.bucket === bucket).map((v) => `${v.key}\u0000${v.versionId}`));
    const keys: string[] = [];
    try {
        let keyMarker: string | undefined;
        let versionIdMarker: string | undefined;
        for (;;) {
            const page = await client.send(
                new ListObjectVersionsCommand({ Bucket: bucket, KeyMarker: keyMarker, VersionIdMarker: versionIdMarker, MaxKeys: 1000 }),
            );
            const entries = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])];
            for (const e of entries) {
                const versionId = e.VersionId && e.VersionId !== "null" ? e.VersionId : "";
                if (!own.has(`${e.Key}\u0000${versionId}`)) keys.push(e.Key ?? "");
                if (keys.length > limit) return { keys: keys.slice(0, limit), more: true };
            }
            if (!page.IsTruncated) return { keys, more: false };
            keyMarker = page.NextKeyMarker;
            versionIdMarker = page.NextVersionIdMarker;
        }
    } catch (err) {
        const { code, status } = codeOf(err);
        if (code === "NoSuchBucket" || status === 404) return { keys: [], more: false };
        throw new Error(
            `pulumi destroy stopped before deleting anything: ListObjectVersions on bucket ${bucket} failed with ${code}${status ? ` (HTTP ${status})` : ""}, ` +
                "so it cannot tell whether the bucket is empty. The identity running Pulumi needs s3:ListBucketVersions on it.",
        );
    } finally {
        client.destroy();
    }
}

/** Throws, naming the buckets and the three ways out, when a destroy would stop on a non-empty bucket. */
export async function checkDestroyCanFinish(c: DestroyCheck): Promise<void> {
    const blocked: string[] = [];
    for (const b of c.buckets) {
        const found = await foreignVersions(c, b.bucket);
        if (found.keys.length === 0) continue;
        const shown = found.keys.map((k) => JSON.stringify(k)).join(", ");
        blocked.push(
            `bucket ${b.bucket} (msk-s3-sink:${b.setting}) holds objects this stack did not write: ${shown}${found.more ? " and more" : ""}`,
        );
    }
    if (blocked.length === 0) return;
    throw new Error(
        [
            "pulumi destroy stopped before deleting anything, because it would stop halfway:",
            ...blocked.map((b) => `  - ${b}`),
            "S3 refuses to delete a bucket that is not empty. Choose one, then run `pulumi destroy` again:",
            "  - keep the buckets and their data: `pulumi config set msk-s3-sink:retainBucketsOnDestroy true` and `pulumi up`;",
            "  - delete the target bucket's data with it: `pulumi config set msk-s3-sink:emptyTargetBucketOnDestroy true` and `pulumi up`;",
            "  - empty the buckets yourself (every object version and delete marker).",
        ].join("\n"),
    );
}
