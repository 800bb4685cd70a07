/**
 * The plugin key in a bucket the stack does not create may already hold someone's upload (the lab does
 * `aws s3 cp` by hand). It is never overwritten silently: an object this stack uploaded (it carries the
 * stack's tags) is the stack's to update; an object whose SHA-256 (S3's own checksum) is the pinned one is
 * used as it is, without uploading; anything else stops the run with the fix.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PLACEHOLDER_SHA256, PROJECT, StackSettings } from "../config";
import { stackTags } from "./existing";
import { isNotFound, LookupError, reason } from "./lookupError";

/** An existing object at the plugin key that already is the pinned zip: use it, do not upload. */
export interface ReusedPluginObject {
    /** Its S3 version ("" when the bucket is not versioned). */
    readonly versionId: string;
}

/** The hex SHA-256 of a whole object from S3's base64 checksum; undefined for none or a multipart (composite) one. */
export function sha256FromChecksum(checksum: string | undefined): string | undefined {
    if (!checksum || checksum.includes("-")) return undefined;
    const hex = Buffer.from(checksum, "base64").toString("hex");
    return hex.length === 64 ? hex : undefined;
}

function refusal(s: StackSettings, uri: string, key: string, digest: string | undefined): string {
    const pin = s.plugin.source.sha256 === PLACEHOLDER_SHA256 ? "the placeholder (all zeros)" : s.plugin.source.sha256;
    const what =
        digest === undefined
            ? "an object without a SHA-256 checksum, so it cannot be told apart from the pinned zip"
            : `a different file (SHA-256 ${digest}; ${PROJECT}:pluginSha256 is ${pin})`;
    return [
        `${uri} already holds ${what}, and this stack did not upload it (it lacks the tags project=${PROJECT}, stack=${s.stack}); it is not overwritten.`,
        `Fix: if a custom plugin you adopt was made from it (the lab's own upload), add \`customPlugin\` to ${PROJECT}:adoptExisting and it is kept as it is; else delete or move it if nothing needs it (\`aws s3 rm ${uri}\`) and the stack uploads the pinned zip; or set ${PROJECT}:pluginsBucket to another bucket;` +
            (digest === undefined
                ? ` or, if it is the zip you vetted, upload it again in one PUT with its SHA-256 (\`aws s3api put-object --bucket ${s.pluginsBucket.name} --key ${key} --body <zip> --checksum-algorithm SHA256\`; \`aws s3 cp\` uploads a zip over 8 MiB in parts, whose checksum is not the file's) so it can be reused.`
                : ` or, if it is the zip you vetted, pin its digest (\`pulumi config set ${PROJECT}:pluginSha256 ${digest}\`) and it is used as it is.`),
    ].join("\n");
}

/**
 * What to do about the plugin key: undefined to upload as usual, the object to reuse, or a LookupError. When the stack
 * adopts a custom plugin (`adoptingPlugin`), an object someone else uploaded there is the one that plugin was made
 * from (the lab's `aws s3 cp`): it is kept as it is and nothing is uploaded over it.
 */
export async function checkPluginObject(
    s: StackSettings,
    opts: pulumi.InvokeOptions,
    adoptingPlugin = false,
): Promise<ReusedPluginObject | undefined> {
    if (s.pluginsBucket.create) return undefined; // a bucket the stack creates holds nothing of anyone else's
    const bucket = s.pluginsBucket.name;
    const key = s.plugin.objectKey;
    const uri = `s3://${bucket}/${key}`;
    let found: aws.s3.GetObjectResult;
    try {
        found = await aws.s3.getObject({ bucket, key, checksumMode: "ENABLED", downloadBody: "false" }, opts);
    } catch (e) {
        if (isNotFound(e, "object")) return undefined;
        throw new LookupError([
            `could not check whether ${uri} (${PROJECT}:pluginsBucket) already holds a file: ${reason(e)}. The deploying identity needs s3:GetObject, s3:GetObjectTagging and s3:ListBucket on the bucket.`,
        ]);
    }
    const tags = stackTags(s.stack);
    if (found.tags?.project === tags.project && found.tags?.stack === tags.stack) return undefined;
    const versionId = found.versionId && found.versionId !== "null" ? found.versionId : "";
    if (adoptingPlugin) {
        void pulumi.log.info(
            `${uri} is kept as it is and nothing is uploaded over it: the custom plugin this stack adopts was made from the file there (its SHA-256 is not checked; the adopted plugin keeps the zip it was made with).`,
        );
        return { versionId };
    }
    const digest = sha256FromChecksum(found.checksumSha256);
    if (digest !== undefined && digest === s.plugin.source.sha256) {
        void pulumi.log.info(
            `${uri} already holds the pinned zip (S3's SHA-256 checksum matches ${PROJECT}:pluginSha256): it is used as it is, not uploaded again.`,
        );
        return { versionId };
    }
    throw new LookupError([refusal(s, uri, key, digest)]);
}
