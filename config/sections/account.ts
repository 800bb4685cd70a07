/**
 * Section "account": the region (from the AWS provider's own list), the account and its guard, the buckets
 * and the KMS key (in the stack's region and partition). A value that is wrong is reported once: what
 * depends on it is not checked against its stand-in.
 */
import { nearest, partitionOf } from "../../common";
import { ACCOUNT, bucketNameProblem, KMS_KEY_ARN } from "../patterns";
import type { Reader } from "../reader";
import { AWS_REGIONS } from "../regions";
import { PROJECT } from "../settings";
import { OPAQUE_SECRET } from "../stackFile";
import type { StackSettings } from "../types";

type AccountSettings = Pick<
    StackSettings,
    | "region"
    | "accountId"
    | "partition"
    | "pluginsBucket"
    | "targetBucket"
    | "retainBucketsOnDestroy"
    | "emptyTargetBucketOnDestroy"
    | "kmsKeyArn"
>;

function readRegion(r: Reader): string {
    const region = r.string("aws:region", {
        required: "required: the region to deploy to, e.g. `pulumi config set aws:region us-east-2`.",
    });
    if (region === undefined || region === OPAQUE_SECRET) return region ?? "us-east-1";
    if (!AWS_REGIONS.includes(region)) {
        const close = nearest(region, AWS_REGIONS);
        r.problem(
            "aws:region",
            region,
            `expected an AWS region code the AWS provider knows (its aws.Region list, China and GovCloud included), such as us-east-2.${close ? ` Did you mean "${close}"?` : ""}`,
        );
        return "us-east-1";
    }
    return region;
}

/** A key given as an alias or a key id, where the ARN is needed: the ARN to write, from the stack's region and account. */
function kmsArnToWrite(r: Reader, value: string, region: string): string | undefined {
    const alias = /^alias\/[\w/+=,.@-]+$/.test(value);
    const keyId = /^(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/.test(value);
    if (!alias && !keyId) return undefined;
    const account = r.usable("accountId") && ACCOUNT.test(r.text("accountId") ?? "") ? r.text("accountId")!.trim() : "<accountId>";
    const where = r.usable("aws:region") ? `${partitionOf(region)}:kms:${region}` : "aws:kms:<region>";
    return `arn:${where}:${account}:${alias ? value : `key/${value}`}`;
}

/** A KMS key or alias ARN, in the stack's region and that region's partition. */
export function readKmsKeyArn(r: Reader, name: string, region: string): string | undefined {
    const given = r.isOpaque(name) ? undefined : r.text(name)?.trim();
    const arnToWrite = given === undefined ? undefined : kmsArnToWrite(r, given, region);
    if (arnToWrite !== undefined) {
        r.problem(
            name,
            given,
            `expected a key ARN or an alias ARN, not ${given!.startsWith("alias/") ? "an alias name" : "a key id"} (S3 and CloudWatch Logs need an ARN). Fix: \`pulumi config set ${r.full(name)} ${arnToWrite}\`${given!.startsWith("alias/") ? " (the alias ARN: the plan resolves it to its key)" : ""}.`,
        );
        return undefined;
    }
    const arn = r.string(name, {
        pattern: KMS_KEY_ARN,
        allowed: "a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>) or alias ARN (arn:aws:kms:<region>:<account>:alias/<name>)",
    });
    if (arn === undefined || !r.usable(name) || !r.usable("aws:region")) return arn;
    const [, partition, , keyRegion] = arn.split(":");
    if (keyRegion !== region) {
        r.problem(
            name,
            arn,
            `is a key in ${keyRegion}, but the stack deploys to ${region} (aws:region); S3 and CloudWatch Logs use only keys in their own region. Fix: use a key (or a multi-Region replica key) in ${region}.`,
        );
    } else if (partition !== partitionOf(region)) {
        r.problem(
            name,
            arn,
            `is in the "${partition}" partition, but ${region} is in "${partitionOf(region)}": the ARN must start arn:${partitionOf(region)}:kms:.`,
        );
    }
    return arn;
}

function readBucket(r: Reader, name: "pluginsBucket" | "targetBucket", def: string): string {
    const value = r.string(name, { default: def }) ?? def;
    const problem = value === OPAQUE_SECRET || value.includes(OPAQUE_SECRET) ? undefined : bucketNameProblem(value);
    if (problem) r.problem(name, value, problem);
    return value;
}

/** Region, account, the account guard, buckets and the KMS key. */
export function readAccount(r: Reader): AccountSettings {
    const region = readRegion(r);
    const accountId =
        r.string("accountId", {
            pattern: ACCOUNT,
            allowed: "the 12-digit AWS account id (quote it in YAML)",
            required: `required: the 12-digit account this stack deploys to, e.g. \`pulumi config set ${PROJECT}:accountId 123456789012\`.`,
        }) ?? "000000000000";
    checkAllowedAccounts(r, accountId);
    const pluginsBucket = {
        name: readBucket(r, "pluginsBucket", `msk-lab-${accountId}-plugins-bucket`),
        create: r.boolean("createPluginsBucket"),
    };
    const targetBucket = {
        name: readBucket(r, "targetBucket", `msk-lab-${accountId}-target-bucket`),
        create: r.boolean("createTargetBucket"),
    };
    const retainBucketsOnDestroy = r.boolean("retainBucketsOnDestroy");
    const emptyTargetBucketOnDestroy = r.boolean("emptyTargetBucketOnDestroy");
    if (emptyTargetBucketOnDestroy && (retainBucketsOnDestroy || !targetBucket.create)) {
        const missing = [
            ...(targetBucket.create ? [] : [`${PROJECT}:createTargetBucket to true (the stack does not create the target bucket)`]),
            ...(retainBucketsOnDestroy ? [`${PROJECT}:retainBucketsOnDestroy to false (the stack keeps its buckets on destroy)`] : []),
        ];
        r.problem(
            "emptyTargetBucketOnDestroy",
            true,
            `only applies to a target bucket the stack creates and does not keep. Fix: remove it, or set ${missing.join(" and ")}.`,
        );
    }
    const kmsKeyArn = readKmsKeyArn(r, "kmsKeyArn", region);
    return {
        region,
        accountId,
        partition: partitionOf(region),
        pluginsBucket,
        targetBucket,
        retainBucketsOnDestroy,
        emptyTargetBucketOnDestroy,
        ...(kmsKeyArn ? { kmsKeyArn } : {}),
    };
}

/** The provider's account guard: present, 12-digit ids, including the stack's account (when that is known). */
function checkAllowedAccounts(r: Reader, accountId: string): void {
    const known = r.usable("accountId");
    const allowed = r.json("aws:allowedAccountIds");
    if (allowed === undefined) {
        if (r.has("aws:allowedAccountIds") || r.hasProblem("aws:allowedAccountIds")) return; // opaque, or already reported empty
        r.problem(
            "aws:allowedAccountIds",
            undefined,
            `required so the AWS provider refuses to act on any other account: \`pulumi config set --path 'aws:allowedAccountIds[0]' ${known ? accountId : "<accountId>"}\`.`,
        );
        return;
    }
    const list = Array.isArray(allowed) ? allowed.map(String) : typeof allowed === "string" ? [allowed] : [];
    if (list.length === 0 || list.some((a) => !ACCOUNT.test(a))) {
        r.problem("aws:allowedAccountIds", allowed, "expected a list of 12-digit account ids (quote each in YAML).");
    } else if (known && !list.includes(accountId)) {
        r.problem(
            "aws:allowedAccountIds",
            allowed,
            `expected a list of 12-digit account ids that includes ${PROJECT}:accountId (${accountId}).`,
        );
    }
}
