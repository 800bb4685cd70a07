/** Why a sink check failed: a kind a caller can branch on, and a message that says what to fix. */
import { partitionOf } from "../common";

export type VerificationErrorKind =
    | "timeout"
    | "access-denied"
    | "wrong-region"
    | "no-such-bucket"
    | "unreachable"
    | "not-json-lines"
    | "too-few-records"
    | "select-unavailable"
    | "select-failed"
    | "bad-query";

export class VerificationError extends Error {
    constructor(
        readonly kind: VerificationErrorKind,
        message: string,
    ) {
        super(message);
        this.name = "VerificationError";
    }
}

export interface AwsErrorLike {
    name?: string;
    Code?: string;
    code?: string;
    message?: string;
    Region?: string;
    $metadata?: { httpStatusCode?: number };
    $response?: { headers?: Record<string, string> };
}

/** Turn an S3 error into a message that says which permission on which ARN, or what else to fix. */
export function explainS3Error(
    err: unknown,
    ctx: { bucket: string; key?: string; region: string; action: string; endpoint?: string },
): VerificationError {
    const e = (err ?? {}) as AwsErrorLike;
    const code = e.name ?? e.Code ?? e.code ?? "Error";
    const status = e.$metadata?.httpStatusCode;
    const partition = partitionOf(ctx.region);
    const resource =
        ctx.action === "s3:ListBucket" ? `arn:${partition}:s3:::${ctx.bucket}` : `arn:${partition}:s3:::${ctx.bucket}/${ctx.key ?? "*"}`;
    if (code === "AccessDenied" || code === "Forbidden" || status === 403) {
        return new VerificationError(
            "access-denied",
            `access denied: the identity running the check needs ${ctx.action} on ${resource}` +
                `${ctx.action === "s3:GetObject" ? " (and kms:Decrypt on the bucket's KMS key, if it uses SSE-KMS)" : ""}. Grant it, or run the check as an identity that has it.`,
        );
    }
    if (code === "NoSuchBucket") {
        return new VerificationError(
            "no-such-bucket",
            `bucket ${ctx.bucket} does not exist${ctx.endpoint ? ` at ${ctx.endpoint}` : ""}: check msk-s3-sink:targetBucket (or --bucket).`,
        );
    }
    const bucketRegion = e.Region ?? e.$response?.headers?.["x-amz-bucket-region"];
    if (
        code === "PermanentRedirect" ||
        code === "AuthorizationHeaderMalformed" ||
        code === "IllegalLocationConstraintException" ||
        status === 301
    ) {
        return new VerificationError(
            "wrong-region",
            `bucket ${ctx.bucket} is not in ${ctx.region}${bucketRegion ? `; it is in ${bucketRegion}` : ""}. Fix: set aws:region (or --region) to the bucket's region.`,
        );
    }
    const sys = (err as { code?: string; cause?: { code?: string } }) ?? {};
    const netCode = sys.code ?? sys.cause?.code;
    if (netCode && ["ECONNREFUSED", "ENOTFOUND", "ETIMEDOUT", "ECONNRESET", "EAI_AGAIN"].includes(netCode)) {
        return new VerificationError(
            "unreachable",
            `cannot reach S3${ctx.endpoint ? ` at ${ctx.endpoint}` : ` in ${ctx.region}`} (${netCode}) for bucket ${ctx.bucket}: check the endpoint, network and proxy settings.`,
        );
    }
    return new VerificationError(
        "select-failed",
        `${ctx.action} on ${resource} failed: ${code}${status ? ` (HTTP ${status})` : ""}: ${e.message ?? String(err)}`,
    );
}

/** True when an S3 Select call was refused because the account or server does not offer S3 Select. */
export function isSelectUnavailable(err: unknown): boolean {
    const e = (err ?? {}) as AwsErrorLike;
    const code = e.name ?? e.Code ?? "";
    const status = e.$metadata?.httpStatusCode;
    return code === "MethodNotAllowed" || code === "NotImplemented" || status === 405 || status === 501;
}
