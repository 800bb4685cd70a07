import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import * as aws from "@pulumi/aws";
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { PluginObjectVersion } from "./pluginObjectVersion";

/** Where the connector zip comes from. Either way it must match `sha256` before it is uploaded. */
export type ArtifactSource =
    | {
          readonly kind: "download";
          /** https URL of the zip (Confluent Hub's CDN or a mirror). */
          readonly url: string;
          /** Pinned SHA-256 of the zip, lower-case hex. */
          readonly sha256: string;
          /** Directory on the deploying machine where the download is cached. */
          readonly cacheDir: string;
      }
    | {
          readonly kind: "local";
          /** Absolute path of a zip already on the deploying machine. */
          readonly path: string;
          /** Pinned SHA-256 of the zip, lower-case hex. */
          readonly sha256: string;
      };

export interface PluginArtifactArgs {
    /** Name of the plugins bucket the zip is uploaded to. */
    readonly bucketName: pulumi.Input<string>;
    /** ARN of that bucket (an output of this component, for the custom plugin). */
    readonly bucketArn: pulumi.Input<string>;
    /** S3 key, e.g. `kafka-connect-s3/confluentinc-kafka-connect-s3-10.5.15.zip`. */
    readonly objectKey: string;
    readonly source: ArtifactSource;
    /**
     * KMS key for the object's server-side encryption.
     * @default SSE-S3 (AES256)
     */
    readonly kmsKeyArn?: string;
    /** The region of the plugins bucket, for deleting exactly the uploaded version later. */
    readonly region: string;
    /** The AWS profile the stack uses (`aws:profile`), for the same. @default the ambient profile */
    readonly profile?: string;
}

/** The digest of a file, streamed so a large zip is not held in memory. */
export function sha256OfFile(file: string): string {
    const hash = crypto.createHash("sha256");
    const fd = fs.openSync(file, "r");
    try {
        const buf = Buffer.alloc(1024 * 1024);
        let n: number;
        while ((n = fs.readSync(fd, buf, 0, buf.length, null)) > 0) hash.update(buf.subarray(0, n));
    } finally {
        fs.closeSync(fd);
    }
    return hash.digest("hex");
}

/** Where a download from `url` is cached in `cacheDir` (the URL's file name). */
export function cachedArtifactPath(url: string, cacheDir: string): string {
    return path.join(cacheDir, path.basename(new URL(url).pathname) || "plugin.zip");
}

/** True when `file` exists and has the expected digest. */
export function isVerifiedFile(file: string, sha256: string): boolean {
    return fs.existsSync(file) && sha256OfFile(file) === sha256;
}

/**
 * Check `file` against the pinned digest. Throws a message that names the file, where it came from, both
 * digests and the fix; a downloaded file that does not match is deleted so it is never reused.
 */
export function assertDigest(file: string, expected: string, origin: string, deleteOnMismatch: boolean): void {
    if (!fs.existsSync(file)) {
        throw new Error(`the connector zip ${file} (from ${origin}) does not exist, so nothing was uploaded.`);
    }
    const actual = sha256OfFile(file);
    if (actual === expected) return;
    if (deleteOnMismatch) fs.rmSync(file, { force: true });
    throw new Error(
        `refusing to upload ${path.basename(file)}: its SHA-256 is ${actual} but msk-s3-sink:pluginSha256 pins ${expected} ` +
            `(file from ${origin}). If the file is the one you meant to deploy, vet it and pin its digest with ` +
            `\`pulumi config set msk-s3-sink:pluginSha256 ${actual}\`; otherwise fix msk-s3-sink:pluginUrl or pluginLocalPath.`,
    );
}

/** The shell command that downloads `url` to `file` (given to it through the environment, not the text). */
export const DOWNLOAD_SCRIPT =
    'mkdir -p "$(dirname "$ARTIFACT_FILE")" && ' +
    'curl --fail --location --silent --show-error --proto =https --tlsv1.2 --retry 3 --output "$ARTIFACT_FILE.part" "$ARTIFACT_URL" && ' +
    'mv "$ARTIFACT_FILE.part" "$ARTIFACT_FILE"';

/**
 * The connector zip in the plugins bucket, uploaded only after it matched its pinned SHA-256.
 *
 * A download runs through `@pulumi/command` during `pulumi up`; a preview does not download, so on a
 * machine without the cached zip the upload shows as "computed" until `up`.
 */
export class PluginArtifact extends pulumi.ComponentResource {
    /** ARN of the plugins bucket. */
    declare public readonly bucketArn: pulumi.Output<string>;
    /** S3 key of the zip. */
    declare public readonly objectKey: pulumi.Output<string>;
    /** S3 version id of the uploaded object ("" when the bucket is not versioned). */
    declare public readonly objectVersion: pulumi.Output<string>;
    /** SHA-256 the zip was checked against. */
    declare public readonly sha256: pulumi.Output<string>;
    /** `s3://bucket/key` of the zip. */
    declare public readonly objectUri: pulumi.Output<string>;
    /** The upload itself (kept by the provider on delete: see `ownVersion`). */
    declare public readonly object: aws.s3.BucketObjectv2;
    /** The uploaded version as a resource whose deletion removes exactly that version. */
    declare public readonly ownVersion: PluginObjectVersion;

    constructor(name: string, args: PluginArtifactArgs, opts?: pulumi.ComponentResourceOptions) {
        super("msk-s3-sink:plugin:PluginArtifact", name, {}, opts);

        const src = args.source;
        let asset: pulumi.Input<pulumi.asset.Asset>;
        if (src.kind === "local") {
            // Checked when the program runs, in preview too: the file is the user's own and must be there.
            asset = pulumi.output(src.path).apply((file): pulumi.asset.Asset => {
                try {
                    assertDigest(file, src.sha256, `msk-s3-sink:pluginLocalPath ${file}`, false);
                } catch (e) {
                    throw new pulumi.ResourceError((e as Error).message, this, true);
                }
                return new pulumi.asset.FileAsset(file);
            });
        } else {
            const file = cachedArtifactPath(src.url, src.cacheDir);
            if (isVerifiedFile(file, src.sha256)) {
                asset = new pulumi.asset.FileAsset(file);
            } else if (pulumi.runtime.isDryRun()) {
                // Nothing to upload yet: the download happens at `up`. An unknown source keeps the preview honest.
                asset = pulumi.output(pulumi.unknown) as unknown as pulumi.Output<pulumi.asset.Asset>;
            } else {
                const fetched = command.local.runOutput(
                    {
                        command: DOWNLOAD_SCRIPT,
                        environment: { ARTIFACT_URL: src.url, ARTIFACT_FILE: file },
                        logging: "stderr",
                    },
                    { parent: this },
                );
                asset = fetched.apply((): pulumi.asset.Asset => {
                    try {
                        assertDigest(file, src.sha256, src.url, true);
                    } catch (e) {
                        throw new pulumi.ResourceError((e as Error).message, this, true);
                    }
                    return new pulumi.asset.FileAsset(file);
                });
            }
        }

        const object = new aws.s3.BucketObjectv2(
            `${name}-object`,
            {
                bucket: args.bucketName,
                key: args.objectKey,
                source: asset,
                contentType: "application/zip",
                checksumAlgorithm: "SHA256",
                metadata: { sha256: src.sha256 },
                ...(args.kmsKeyArn ? { serverSideEncryption: "aws:kms", kmsKeyId: args.kmsKeyArn } : { serverSideEncryption: "AES256" }),
            },
            // Deleting an object whose version it knows, the provider removes every version of the key, uploads
            // this stack never made among them: it keeps the object, and `ownVersion` deletes just this upload.
            { parent: this, retainOnDelete: true },
        );
        this.ownVersion = new PluginObjectVersion(
            `${name}-own-version`,
            {
                bucket: object.bucket,
                key: object.key,
                versionId: object.versionId.apply((v) => v ?? ""),
                sha256: src.sha256,
                region: args.region,
                ...(args.profile ? { profile: args.profile } : {}),
            },
            { parent: this },
        );

        this.object = object;
        this.bucketArn = pulumi.output(args.bucketArn);
        this.objectKey = object.key;
        this.objectVersion = object.versionId.apply((v) => v ?? "");
        this.sha256 = pulumi.output(src.sha256);
        this.objectUri = pulumi.interpolate`s3://${object.bucket}/${object.key}`;
        this.registerOutputs({
            bucketArn: this.bucketArn,
            objectKey: this.objectKey,
            objectVersion: this.objectVersion,
            sha256: this.sha256,
            objectUri: this.objectUri,
        });
    }
}
