/** Lookups of the buckets the stack uses but does not create. */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { errorText } from "../common";
import type { StackSettings } from "../config";
import { LookupError } from "./lookupError";

export type BucketSetting = "pluginsBucket" | "targetBucket";

/** The ARN of every bucket the stack looks up, by setting; one LookupError lists every bucket that is missing. */
export async function lookUpBuckets(s: StackSettings, opts: pulumi.InvokeOptions): Promise<Partial<Record<BucketSetting, string>>> {
    const failures: string[] = [];
    const found: Partial<Record<BucketSetting, string>> = {};
    // A stack on another stack's plugin (pluginArn) uploads nothing: it needs no plugins bucket.
    const lookups = (["pluginsBucket", "targetBucket"] as const)
        .filter((k) => !s[k].create && !(k === "pluginsBucket" && s.plugin.existingArn))
        .map((k) =>
            aws.s3.getBucket({ bucket: s[k].name }, opts).then(
                (b) => void (found[k] = b.arn),
                (e: unknown) =>
                    void failures.push(
                        `bucket "${s[k].name}" (msk-s3-sink:${k}) could not be looked up: ${errorText(e)}. Create it, fix the name, or set msk-s3-sink:create${k[0].toUpperCase()}${k.slice(1)} to true.`,
                    ),
            ),
        );
    await Promise.all(lookups);
    if (failures.length > 0) throw new LookupError(failures);
    return found;
}

/** A sink's own target bucket (`sinks.<name>.targetBucket`), looked up: a sink never creates one. */
export function lookUpSinkBucket(name: string, keyPrefix: string, opts: pulumi.InvokeOptions): Promise<string> {
    return aws.s3.getBucket({ bucket: name }, opts).then(
        (b) => b.arn,
        (e: unknown) => {
            throw new LookupError([
                `bucket "${name}" (${keyPrefix}targetBucket) could not be looked up: ${errorText(e)}. A sink's own target bucket is looked up, never created: create it, fix the name, or leave it out to use the stack's.`,
            ]);
        },
    );
}
