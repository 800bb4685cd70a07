import * as fs from "fs";
import * as path from "path";
import * as aws from "@pulumi/aws";
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { OPAQUE_SECRET, sha256OfFile } from "../config";
import { PluginObjectVersion } from "./pluginObjectVersion";

/** Where the connector zip comes from. Either way it must match `sha256` before it is uploaded. */
export type ArtifactSource =
    | {
          readonly kind: "download";
          /** https URL of the zip (Confluent Hub's CDN or a mirror). */
          readonly url: string;
          /** Pinned SHA-256 of the zip, lower-case hex. */
          readonly sha256: string;
          /** Directory on the deploying machine where downloads are cached, by digest. */
          readonly cacheDir: string;
          /** File name of the zip in the cache. */
          readonly fileName: string;
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
    /**
     * The object already at the key is the pinned zip (the preflight compared S3's SHA-256 checksum with the
     * pin): it is used as it is, and nothing is downloaded or uploaded.
     * @default upload the zip
     */
    readonly existingObject?: { readonly versionId: string };
}

/** Where a download is cached: `<cacheDir>/<sha256>/<file name>`, so a different pin never reuses a file. */
export function cachedArtifactPath(cacheDir: string, sha256: string, fileName: string): string {
    return path.join(cacheDir, sha256, fileName);
}

/** A URL for messages: its query string and fragment left out, since a signed mirror URL carries its token there. */
export function withoutQuery(url: string): string {
    try {
        const u = new URL(url);
        return `${u.origin}${u.pathname}${u.search || u.hash ? " (query left out)" : ""}`;
    } catch {
        return "the configured URL";
    }
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
 * A download runs through `@pulumi/command` in `pulumi preview` as well as in `up`, into a cache keyed by
 * the digest, so a preview on a machine without the zip (CI, a fresh clone) uploads the same file the update
 * will, and shows no replacement that the update would not make. A local zip is checked when the component
 * is constructed: a wrong file fails at once, with the message alone.
 */
export class PluginArtifact extends pulumi.ComponentResource {
    /** ARN of the plugins bucket. */
    declare public readonly bucketArn: pulumi.Output<string>;
    /** S3 key of the zip. */
    declare public readonly objectKey: pulumi.Output<string>;
    /** S3 version id of the zip ("" when the bucket is not versioned). */
    declare public readonly objectVersion: pulumi.Output<string>;
    /** SHA-256 the zip was checked against. */
    declare public readonly sha256: pulumi.Output<string>;
    /** `s3://bucket/key` of the zip. */
    declare public readonly objectUri: pulumi.Output<string>;
    /** The upload itself (undefined when an existing object is used). */
    declare public readonly object: aws.s3.BucketObjectv2 | undefined;
    /** The uploaded version as a resource whose deletion removes exactly that version (undefined when nothing was uploaded). */
    declare public readonly ownVersion: PluginObjectVersion | undefined;

    constructor(name: string, args: PluginArtifactArgs, opts?: pulumi.ComponentResourceOptions) {
        super("msk-s3-sink:plugin:PluginArtifact", name, {}, opts);

        const src = args.source;
        if (args.existingObject) {
            this.object = undefined;
            this.ownVersion = undefined;
            this.objectKey = pulumi.output(args.objectKey);
            this.objectVersion = pulumi.output(args.existingObject.versionId);
            this.objectUri = pulumi.interpolate`s3://${args.bucketName}/${args.objectKey}`;
        } else {
            const object = new aws.s3.BucketObjectv2(
                `${name}-object`,
                {
                    bucket: args.bucketName,
                    key: args.objectKey,
                    source: this.verifiedAsset(src),
                    contentType: "application/zip",
                    checksumAlgorithm: "SHA256",
                    metadata: { sha256: src.sha256 },
                    ...(args.kmsKeyArn
                        ? { serverSideEncryption: "aws:kms", kmsKeyId: args.kmsKeyArn }
                        : { serverSideEncryption: "AES256" }),
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
            this.objectKey = object.key;
            this.objectVersion = object.versionId.apply((v) => v ?? "");
            this.objectUri = pulumi.interpolate`s3://${object.bucket}/${object.key}`;
        }
        this.bucketArn = pulumi.output(args.bucketArn);
        this.sha256 = pulumi.output(src.sha256);
        this.registerOutputs({
            bucketArn: this.bucketArn,
            objectKey: this.objectKey,
            objectVersion: this.objectVersion,
            sha256: this.sha256,
            objectUri: this.objectUri,
        });
    }

    /** The zip as a FileAsset, only once it matched its digest: the local file, the cached one, or a fresh download. */
    private verifiedAsset(src: ArtifactSource): pulumi.Input<pulumi.asset.Asset> {
        const refuse = (e: unknown): never => {
            throw new pulumi.ResourceError((e as Error).message, this, true);
        };
        if (src.kind === "local") {
            // A secret path read offline (`npm run plan`) is not known: neither is the file.
            if (src.path === OPAQUE_SECRET) return pulumi.output(pulumi.unknown) as unknown as pulumi.Output<pulumi.asset.Asset>;
            try {
                assertDigest(src.path, src.sha256, `msk-s3-sink:pluginLocalPath ${src.path}`, false);
            } catch (e) {
                refuse(e);
            }
            return new pulumi.asset.FileAsset(src.path);
        }
        const file = cachedArtifactPath(src.cacheDir, src.sha256, src.fileName);
        if (isVerifiedFile(file, src.sha256)) return new pulumi.asset.FileAsset(file);
        const fetched = command.local.runOutput(
            { command: DOWNLOAD_SCRIPT, environment: { ARTIFACT_URL: src.url, ARTIFACT_FILE: file }, logging: "stderr" },
            { parent: this },
        );
        return fetched.apply((): pulumi.asset.Asset => {
            try {
                assertDigest(file, src.sha256, withoutQuery(src.url), true);
            } catch (e) {
                refuse(e);
            }
            return new pulumi.asset.FileAsset(file);
        });
    }
}
