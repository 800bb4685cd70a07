import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { PolicyDocument } from "./iamPolicies";

export interface SecureBucketArgs {
    /** The bucket's name (3-63 characters). */
    readonly bucketName: string;
    /** @default "aws" */
    readonly partition?: string;
    /** KMS key for default encryption (SSE-KMS with a bucket key). @default SSE-S3 */
    readonly kmsKeyArn?: string;
    /**
     * Keep the bucket, its data and its six settings when the resource is deleted or the stack destroyed.
     * @default true
     */
    readonly retainOnDelete?: boolean;
    /**
     * Let a destroy delete the bucket with every object version in it (`forceDestroy`, marked with the
     * `msk-s3-sink:empty-on-destroy` tag so the policy rule can tell it was asked for). Only without retaining.
     * @default false
     */
    readonly emptyOnDestroy?: boolean;
    /**
     * Take over a bucket of this name that already exists (one an earlier destroy kept, with its settings):
     * the bucket and its settings are imported, by the bucket's name, instead of created. Harmless once imported.
     * @default false
     */
    readonly adoptExisting?: boolean;
    /** Days after which an unfinished multipart upload is aborted. @default 7 */
    readonly abortIncompleteUploadsAfterDays?: number;
}

/** The tag that marks a bucket whose emptying on destroy was asked for. */
export const EMPTY_ON_DESTROY_TAG = "msk-s3-sink:empty-on-destroy";

/** Deny every request that does not come over TLS (FSBP S3.5). */
export function tlsOnlyBucketPolicy(bucketArn: string): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "DenyRequestsWithoutTls",
                Effect: "Deny",
                Principal: { AWS: "*" },
                // A Deny on every S3 action is the point here: nothing may reach the bucket over plain HTTP.
                Action: "s3:*",
                Resource: [bucketArn, `${bucketArn}/*`],
                Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
        ],
    };
}

/**
 * An S3 bucket with the baseline of AWS Foundational Security Best Practices: Block Public Access (all
 * four), ACLs disabled (owner enforced), default encryption, a TLS-only policy, versioning, and aborting
 * incomplete multipart uploads.
 * Retained on destroy by default, since it holds data.
 */
export class SecureBucket extends pulumi.ComponentResource {
    /** Name of the bucket. */
    declare public readonly bucketName: pulumi.Output<string>;
    /** ARN of the bucket. */
    declare public readonly arn: pulumi.Output<string>;
    declare public readonly bucket: aws.s3.Bucket;
    /** The versioning setting (objects uploaded after it get version ids). */
    declare public readonly versioning: aws.s3.BucketVersioning;
    /** Every setting resource, for `dependsOn` by writers that need the baseline in place first. */
    declare public readonly settings: pulumi.Resource[];

    constructor(name: string, args: SecureBucketArgs, opts?: pulumi.ComponentResourceOptions) {
        super("msk-s3-sink:storage:SecureBucket", name, {}, opts);
        const retain = args.retainOnDelete ?? true;
        const partition = args.partition ?? "aws";
        const emptyOnDestroy = args.emptyOnDestroy === true;
        if (emptyOnDestroy && retain) {
            throw new pulumi.ResourceError(
                `bucket ${args.bucketName}: emptyOnDestroy applies only to a bucket that is not retained.`,
                this,
                true,
            );
        }
        // Every resource here names the bucket by its fixed name, which is also each one's import ID.
        const adopt = args.adoptExisting === true ? { import: args.bucketName } : {};

        this.bucket = new aws.s3.Bucket(
            `${name}-bucket`,
            {
                bucket: args.bucketName,
                forceDestroy: emptyOnDestroy,
                ...(emptyOnDestroy ? { tags: { [EMPTY_ON_DESTROY_TAG]: "true" } } : {}),
            },
            { parent: this, retainOnDelete: retain, protect: false, ...adopt },
        );
        // Settings name the bucket by its (fixed) name, so a reviewer and the policy rules can match them to it
        // even in a preview; they wait for the bucket explicitly.
        const child = { parent: this.bucket, dependsOn: [this.bucket], retainOnDelete: retain, ...adopt };
        const bucket = args.bucketName;

        const publicAccess = new aws.s3.BucketPublicAccessBlock(
            `${name}-public-access-block`,
            { bucket, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
            child,
        );
        const ownership = new aws.s3.BucketOwnershipControls(
            `${name}-ownership`,
            { bucket, rule: { objectOwnership: "BucketOwnerEnforced" } },
            child,
        );
        const encryption = new aws.s3.BucketServerSideEncryptionConfiguration(
            `${name}-encryption`,
            {
                bucket,
                rules: [
                    args.kmsKeyArn
                        ? {
                              applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: args.kmsKeyArn },
                              bucketKeyEnabled: true,
                          }
                        : { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
                ],
            },
            child,
        );
        this.versioning = new aws.s3.BucketVersioning(
            `${name}-versioning`,
            { bucket, versioningConfiguration: { status: "Enabled" } },
            child,
        );
        const lifecycle = new aws.s3.BucketLifecycleConfiguration(
            `${name}-lifecycle`,
            {
                bucket,
                rules: [
                    {
                        id: "abort-incomplete-multipart-uploads",
                        status: "Enabled",
                        filter: { prefix: "" },
                        abortIncompleteMultipartUpload: { daysAfterInitiation: args.abortIncompleteUploadsAfterDays ?? 7 },
                    },
                ],
            },
            child,
        );
        const bucketArn = `arn:${partition}:s3:::${args.bucketName}`;
        const policy = new aws.s3.BucketPolicy(
            `${name}-tls-only-policy`,
            { bucket, policy: JSON.stringify(tlsOnlyBucketPolicy(bucketArn)) },
            // Block Public Access first, so the policy is never evaluated against a bucket open to the world.
            { ...child, dependsOn: [this.bucket, publicAccess] },
        );

        this.settings = [publicAccess, ownership, encryption, this.versioning, lifecycle, policy];
        this.bucketName = this.bucket.bucket;
        this.arn = this.bucket.arn;
        this.registerOutputs({ bucketName: this.bucketName, arn: this.arn });
    }
}
