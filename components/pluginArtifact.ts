import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { OPAQUE_SECRET } from "../config";
import { assertDigest } from "../preflight";
import { PluginObjectVersion } from "./pluginObjectVersion";

/** Where the connector zip comes from. Either way it must match `sha256` before it is uploaded. */
export type ArtifactSource =
    | {
          readonly kind: "download";
          /** https URL of the zip (Confluent Hub's CDN or a mirror). */
          readonly url: string;
          /** Pinned SHA-256 of the zip, lower-case hex. */
          readonly sha256: string;
          /**
           * The zip the preflight downloaded and checked against `sha256` (`fetchPluginZip`). Undefined when
           * nothing was downloaded here (the offline plan): the upload's source is then unknown until `up`.
           */
          readonly file?: string;
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
    /** The tags that mark the upload as this stack's. */
    readonly ownerTags: Readonly<Record<string, string>>;
    /** The region of the plugins bucket, for deleting exactly the uploaded version later. */
    readonly region: string;
    /** The AWS profile the stack uses (`aws:profile`), for the same. @default the ambient profile */
    readonly profile?: pulumi.Input<string>;
    /**
     * The object already at the key is the pinned zip (the preflight compared S3's SHA-256 checksum with the
     * pin): it is used as it is, and nothing is downloaded or uploaded.
     * @default upload the zip
     */
    readonly existingObject?: { readonly versionId: string };
}

/**
 * The connector zip in the plugins bucket, uploaded only after it matched its pinned SHA-256.
 *
 * The preflight downloads the zip (in `pulumi preview` as well as in `up`, into a cache keyed by the digest)
 * and checks it, so a preview on a machine without the zip (CI, a fresh clone) uploads the same file the update
 * will, and shows no replacement the update would not make. A local zip is checked when the component is
 * constructed: a wrong file fails at once, with the message alone.
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
                    // The tags that mark it as the stack's (the preflight reads them), whatever the provider's default tags.
                    // Those count too (tagsAll): S3 keeps 10 at most, which the config check holds aws:defaultTags to.
                    tags: args.ownerTags,
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

    /** The zip as a FileAsset, only once it matched its digest: the local file, or the preflight's download. */
    private verifiedAsset(src: ArtifactSource): pulumi.Input<pulumi.asset.Asset> {
        const unknown = (): pulumi.Output<pulumi.asset.Asset> =>
            pulumi.output(pulumi.unknown) as unknown as pulumi.Output<pulumi.asset.Asset>;
        if (src.kind === "download") return src.file === undefined ? unknown() : new pulumi.asset.FileAsset(src.file);
        // A secret path read offline (`npm run plan`) is not known: neither is the file.
        if (src.path === OPAQUE_SECRET) return unknown();
        try {
            assertDigest(src.path, src.sha256, `msk-s3-sink:pluginLocalPath ${src.path}`, false);
        } catch (e) {
            throw new pulumi.ResourceError((e as Error).message, this, true);
        }
        return new pulumi.asset.FileAsset(src.path);
    }
}
