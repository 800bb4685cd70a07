import * as assert from "assert";
import {
    CreateBucketCommand,
    DeleteObjectCommand,
    ListObjectVersionsCommand,
    PutBucketVersioningCommand,
    PutObjectCommand,
    S3Client,
} from "@aws-sdk/client-s3";
import { destroyCheckProvider, pluginObjectVersionProvider } from "../../components";
import { checkDestroyCanFinish, deleteOwnVersion, s3ClientFor } from "../../lifecycle";
import { LocalS3, startMoto } from "../helpers";

const KEY = "kafka-connect-s3/confluentinc-kafka-connect-s3-10.5.15.zip";
const SHA = "a".repeat(64);

describe("deletion-time housekeeping against moto's S3", function () {
    this.timeout(30000);
    let server: LocalS3;
    let client: S3Client;
    let n = 0;
    const target = () => ({ region: "us-east-1", endpoint: server.endpoint });

    /** A bucket, versioned or not, holding the given uploads to KEY in order; returns their version ids. */
    async function bucketWith(
        versioned: boolean,
        uploads: { sha256: string; body: string }[],
    ): Promise<{ bucket: string; versions: string[] }> {
        const bucket = `lifecycle-${++n}`;
        await client.send(new CreateBucketCommand({ Bucket: bucket }));
        if (versioned)
            await client.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: "Enabled" } }));
        const versions: string[] = [];
        for (const u of uploads) {
            const r = await client.send(new PutObjectCommand({ Bucket: bucket, Key: KEY, Body: u.body, Metadata: { sha256: u.sha256 } }));
            versions.push(r.VersionId ?? "");
        }
        return { bucket, versions };
    }

    async function versionsOf(bucket: string): Promise<string[]> {
        const r = await client.send(new ListObjectVersionsCommand({ Bucket: bucket }));
        return [...(r.Versions ?? []), ...(r.DeleteMarkers ?? [])].map((v) => v.VersionId ?? "");
    }

    before(async () => {
        server = await startMoto();
        client = s3ClientFor({ region: "us-east-1", endpoint: server.endpoint });
    });
    after(async () => {
        client?.destroy();
        await server?.stop();
    });

    it("deletes exactly the stack's version of the zip, leaving another upload to the same key", async () => {
        const { bucket, versions } = await bucketWith(true, [
            { sha256: "b".repeat(64), body: "someone else's upload" },
            { sha256: SHA, body: "ours" },
        ]);
        assert.strictEqual(await deleteOwnVersion({ ...target(), bucket, key: KEY, versionId: versions[1], sha256: SHA }), "deleted");
        assert.deepStrictEqual(await versionsOf(bucket), [versions[0]]);
    });

    it("does not fail when the version is already gone, so a destroy can be run again", async () => {
        const { bucket, versions } = await bucketWith(true, [{ sha256: SHA, body: "ours" }]);
        await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: KEY, VersionId: versions[0] }));
        assert.match(
            await deleteOwnVersion({ ...target(), bucket, key: KEY, versionId: versions[0], sha256: SHA }),
            /^(deleted|already-gone)$/,
        );
        assert.deepStrictEqual(await versionsOf(bucket), []);
        assert.strictEqual(
            await deleteOwnVersion({ ...target(), bucket: "lifecycle-never-made", key: KEY, versionId: versions[0], sha256: SHA }),
            "already-gone",
        );
    });

    it("in an unversioned bucket deletes the object only while it is still the stack's upload", async () => {
        const ours = await bucketWith(false, [{ sha256: SHA, body: "ours" }]);
        assert.strictEqual(await deleteOwnVersion({ ...target(), bucket: ours.bucket, key: KEY, versionId: "", sha256: SHA }), "deleted");
        assert.deepStrictEqual(await versionsOf(ours.bucket), []);
        const replaced = await bucketWith(false, [{ sha256: "c".repeat(64), body: "a later upload by someone else" }]);
        assert.strictEqual(
            await deleteOwnVersion({ ...target(), bucket: replaced.bucket, key: KEY, versionId: "", sha256: SHA }),
            "left: another upload replaced it",
        );
        assert.strictEqual((await versionsOf(replaced.bucket)).length, 1);
    });

    it("the provider's delete runs the same deletion", async () => {
        const { bucket, versions } = await bucketWith(true, [
            { sha256: "d".repeat(64), body: "theirs" },
            { sha256: SHA, body: "ours" },
        ]);
        await pluginObjectVersionProvider.delete!("id", { ...target(), bucket, key: KEY, versionId: versions[1], sha256: SHA });
        assert.deepStrictEqual(await versionsOf(bucket), [versions[0]]);
    });

    it("lets a destroy go ahead when the buckets it deletes hold only the stack's own versions, or are gone", async () => {
        const { bucket, versions } = await bucketWith(true, [{ sha256: SHA, body: "ours" }]);
        const check = {
            ...target(),
            buckets: [
                { bucket, setting: "pluginsBucket" },
                { bucket: "lifecycle-never-made", setting: "targetBucket" },
            ],
            ownVersions: [{ bucket, key: KEY, versionId: versions[0] }],
        };
        await checkDestroyCanFinish(check);
        await destroyCheckProvider.delete!("id", check);
    });

    it("fails when a bucket the destroy deletes holds objects the stack did not write, naming them and the three ways out", async () => {
        const plugins = await bucketWith(true, [{ sha256: SHA, body: "ours" }]);
        const targetBucket = await bucketWith(true, []);
        await client.send(
            new PutObjectCommand({ Bucket: targetBucket.bucket, Key: "topics/t/partition=0/t+0+0000000000.json", Body: "{}\n" }),
        );
        const extra = await client.send(new PutObjectCommand({ Bucket: plugins.bucket, Key: "notes.txt", Body: "x" }));
        await client.send(new DeleteObjectCommand({ Bucket: plugins.bucket, Key: "notes.txt" })); // leaves a delete marker and a version
        assert.ok(extra.VersionId);
        await assert.rejects(
            destroyCheckProvider.delete!("id", {
                ...target(),
                buckets: [
                    { bucket: plugins.bucket, setting: "pluginsBucket" },
                    { bucket: targetBucket.bucket, setting: "targetBucket" },
                ],
                ownVersions: [{ bucket: plugins.bucket, key: KEY, versionId: plugins.versions[0] }],
            }),
            (e: Error) => {
                assert.match(e.message, /^pulumi destroy stopped before deleting anything, because it would stop halfway:/);
                assert.match(
                    e.message,
                    new RegExp(
                        `bucket ${plugins.bucket} \\(msk-s3-sink:pluginsBucket\\) holds objects this stack did not write: "notes.txt", "notes.txt"`,
                    ),
                );
                assert.match(
                    e.message,
                    new RegExp(
                        `bucket ${targetBucket.bucket} \\(msk-s3-sink:targetBucket\\) holds objects this stack did not write: "topics/t/partition=0/t\\+0\\+0000000000.json"`,
                    ),
                );
                assert.match(e.message, /retainBucketsOnDestroy true/);
                assert.match(e.message, /emptyTargetBucketOnDestroy true/);
                assert.doesNotMatch(e.message, new RegExp(KEY.replace(/[.]/g, "\\.")));
                return true;
            },
        );
    });

    it("fails before deleting anything when it cannot tell whether a bucket is empty", async () => {
        await assert.rejects(
            checkDestroyCanFinish({
                region: "us-east-1",
                endpoint: "http://127.0.0.1:9",
                buckets: [{ bucket: "b", setting: "targetBucket" }],
                ownVersions: [],
            }),
            /pulumi destroy stopped before deleting anything: ListObjectVersions on bucket b failed/,
        );
    });
});

describe("the destroy check with nothing to check", () => {
    it("lets any deletion of itself through when every bucket is kept (its list is empty)", async () => {
        await checkDestroyCanFinish({ region: "us-east-1", endpoint: "http://127.0.0.1:9", buckets: [], ownVersions: [] });
    });
});
