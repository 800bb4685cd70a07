/**
 * The KMS keys the stack names, resolved to key ARNs: an alias in an IAM policy grants nothing, and S3 reports
 * an object's key by its ARN (an alias would differ on every `up`). Each key must also be usable: enabled, for
 * encryption.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { StackSettings } from "../config";
import { explain, fail, LookupError, failuresOf } from "./lookupError";

export interface KmsLookups {
    /** The key ARN behind `kmsKeyArn` (an alias resolved). */
    readonly kmsKeyArn?: string;
    /** The key ARN behind `logKmsKeyArn` (an alias resolved). */
    readonly logKmsKeyArn?: string;
}

/** The key ARN behind a key or alias ARN, checked to be an enabled encryption key. */
export function lookUpKmsKey(arnOrAlias: string, setting: string, opts: pulumi.InvokeOptions): Promise<string> {
    return aws.kms.getKey({ keyId: arnOrAlias }, opts).then(
        (k) => {
            if (!k.enabled || k.keyState !== "Enabled") {
                fail(
                    `KMS key ${k.arn} (msk-s3-sink:${setting} = ${arnOrAlias}) is ${k.keyState || "disabled"}, so nothing can be encrypted with it: enable it, or name another key.`,
                );
            }
            if (k.keyUsage !== "ENCRYPT_DECRYPT") {
                fail(
                    `KMS key ${k.arn} (msk-s3-sink:${setting}) is for ${k.keyUsage}, not ENCRYPT_DECRYPT: name a symmetric encryption key.`,
                );
            }
            return k.arn;
        },
        explain(`KMS key ${arnOrAlias} could not be looked up`, `msk-s3-sink:${setting}`),
    );
}

export async function lookUpKmsKeys(s: Pick<StackSettings, "kmsKeyArn" | "logGroup">, opts: pulumi.InvokeOptions): Promise<KmsLookups> {
    const bucketKey = s.kmsKeyArn ? lookUpKmsKey(s.kmsKeyArn, "kmsKeyArn", opts) : Promise.resolve(undefined);
    const logKey = s.logGroup.kmsKeyArn ? lookUpKmsKey(s.logGroup.kmsKeyArn, "logKmsKeyArn", opts) : Promise.resolve(undefined);
    const settled = await Promise.allSettled([bucketKey, logKey]);
    const failures = settled.flatMap((r) => (r.status === "rejected" ? failuresOf(r.reason) : []));
    if (failures.length > 0) throw new LookupError(failures);
    const [kmsKeyArn, logKmsKeyArn] = await Promise.all([bucketKey, logKey]);
    return { ...(kmsKeyArn ? { kmsKeyArn } : {}), ...(logKmsKeyArn ? { logKmsKeyArn } : {}) };
}
