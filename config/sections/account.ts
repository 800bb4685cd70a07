/**
 * Section "account": keys that do not belong (typos in our namespace, credentials, secrets in plain text),
 * then the region, the account and its guard, the buckets and the KMS key.
 */
import { nearest, partitionOf, SECRET_NAME_PATTERN } from "../../common";
import { ACCOUNT, isValidBucketName, KMS_KEY_ARN, REGION } from "../patterns";
import type { Reader } from "../reader";
import { AWS_CREDENTIAL_KEYS, PROJECT, SETTING_NAMES } from "../settings";
import type { StackSettings } from "../types";

/** Unknown keys in our namespace (typos), credentials and unencrypted secrets anywhere. */
export function checkKeys(r: Reader, secretKeys: ReadonlySet<string>): void {
    for (const key of Object.keys(r.raw)) {
        if (key.startsWith(`${PROJECT}:`)) {
            const name = key.slice(PROJECT.length + 1);
            if (!(SETTING_NAMES as readonly string[]).includes(name)) {
                const close = nearest(name, SETTING_NAMES);
                const shown = SECRET_NAME_PATTERN.test(name) ? "(redacted)" : r.raw[key];
                r.problem(
                    key,
                    shown,
                    `is not a setting of this program.${close ? ` Did you mean "${PROJECT}:${close}"?` : ""} See the configuration table in README.md.`,
                );
            }
        }
        if (AWS_CREDENTIAL_KEYS.includes(key)) {
            r.problem(
                key,
                "(redacted)",
                "credentials do not belong in stack config. Fix: `pulumi config rm " +
                    key +
                    "` and use the ambient AWS credential chain (AWS_PROFILE, SSO, or an instance/CI role).",
            );
        } else if (
            !key.startsWith("aws:") &&
            SECRET_NAME_PATTERN.test(key.split(":").pop() ?? "") &&
            !secretKeys.has(key) &&
            !/^(true|false|\d+)$/.test(r.raw[key])
        ) {
            r.problem(
                key,
                "(redacted)",
                `looks like a secret but is stored in plain text. Fix: \`pulumi config set --secret ${key} <value>\`.`,
            );
        }
    }
}

type AccountSettings = Pick<
    StackSettings,
    | "region"
    | "accountId"
    | "partition"
    | "pluginsBucket"
    | "targetBucket"
    | "retainBucketsOnDestroy"
    | "emptyTargetBucketOnDestroy"
    | "adoptBuckets"
    | "kmsKeyArn"
>;

/** Region, account, the account guard, buckets and the KMS key. */
export function readAccount(r: Reader): AccountSettings {
    const region =
        r.string("aws:region", {
            pattern: REGION,
            allowed: "an AWS region code such as us-east-2",
            required: "required: the region to deploy to, e.g. `pulumi config set aws:region us-east-2`.",
        }) ?? "us-east-1";
    const accountId =
        r.string("accountId", {
            pattern: ACCOUNT,
            allowed: "the 12-digit AWS account id (quote it in YAML)",
            required: `required: the 12-digit account this stack deploys to, e.g. \`pulumi config set ${PROJECT}:accountId 123456789012\`.`,
        }) ?? "000000000000";
    checkAllowedAccounts(r, accountId);

    const bucket = (name: string, def: string): string => {
        const value = r.string(name, { default: def }) ?? def;
        if (!isValidBucketName(value)) {
            r.problem(
                name,
                value,
                "expected an S3 bucket name: 3-63 characters of lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit.",
            );
        }
        return value;
    };
    const pluginsBucket = {
        name: bucket("pluginsBucket", `msk-lab-${accountId}-plugins-bucket`),
        create: r.boolean("createPluginsBucket"),
    };
    const targetBucket = { name: bucket("targetBucket", `msk-lab-${accountId}-target-bucket`), create: r.boolean("createTargetBucket") };
    const retainBucketsOnDestroy = r.boolean("retainBucketsOnDestroy");
    const emptyTargetBucketOnDestroy = r.boolean("emptyTargetBucketOnDestroy");
    if (emptyTargetBucketOnDestroy && (retainBucketsOnDestroy || !targetBucket.create)) {
        r.problem(
            "emptyTargetBucketOnDestroy",
            true,
            `only applies to a target bucket the stack creates (${PROJECT}:createTargetBucket true) and does not keep (${PROJECT}:retainBucketsOnDestroy false); remove it, or set those two.`,
        );
    }
    const kmsKeyArn = r.string("kmsKeyArn", { pattern: KMS_KEY_ARN, allowed: "a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)" });
    return {
        region,
        accountId,
        partition: partitionOf(region),
        pluginsBucket,
        targetBucket,
        retainBucketsOnDestroy,
        emptyTargetBucketOnDestroy,
        adoptBuckets: r.boolean("adoptBuckets"),
        ...(kmsKeyArn ? { kmsKeyArn } : {}),
    };
}

function checkAllowedAccounts(r: Reader, accountId: string): void {
    const allowed = r.json("aws:allowedAccountIds");
    const allowedList = Array.isArray(allowed) ? allowed.map(String) : typeof allowed === "string" ? [allowed] : [];
    if (allowed === undefined) {
        r.problem(
            "aws:allowedAccountIds",
            undefined,
            `required so the AWS provider refuses to act on any other account: \`pulumi config set --path 'aws:allowedAccountIds[0]' ${accountId}\`.`,
        );
    } else if (!allowedList.includes(accountId) || allowedList.some((a) => !ACCOUNT.test(a))) {
        r.problem(
            "aws:allowedAccountIds",
            allowed,
            `expected a list of 12-digit account ids that includes ${PROJECT}:accountId (${accountId}).`,
        );
    }
}
