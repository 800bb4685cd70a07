/**
 * Why a sink check failed: a kind a caller can branch on, and a message that names the API call, the
 * bucket and the key, and says what to fix. Also which S3 errors are worth retrying (throttling, 5xx,
 * resets, socket time-outs) and which mean S3 Select is not offered at all.
 */
import { partitionOf } from "../common";

export type VerificationErrorKind =
    /** The deadline passed: the message names what the check was doing and the last error seen. */
    | "timeout"
    /** No credentials, or credentials S3 refused. */
    | "credentials"
    | "access-denied"
    | "wrong-region"
    | "no-such-bucket"
    /** The endpoint refused the connection or does not resolve. */
    | "unreachable"
    /** ListObjectsV2 failed for another reason. */
    | "listing-failed"
    /** SelectObjectContent failed for another reason. */
    | "select-failed"
    /** S3 Select is not offered here and the method is "select". */
    | "select-unavailable"
    /** GetObject failed for another reason. */
    | "get-failed"
    /** A line of the object is not a JSON value. */
    | "not-json-lines"
    /** The object ends in .gz but is not valid gzip (truncated or corrupt). */
    | "invalid-gzip"
    | "bad-query"
    /** An option is invalid (a prefix without its trailing delimiter, a fractional record count, …). */
    | "bad-input"
    | "too-few-records";

export class VerificationError extends Error {
    constructor(
        readonly kind: VerificationErrorKind,
        message: string,
    ) {
        super(message);
        // Set explicitly: in the dynamic provider's serialized code `super(message)` sets no message.
        this.message = message;
        this.name = "VerificationError";
    }
}

/** True for a VerificationError, also across the serialized code's own copy of the class. */
export function isVerificationError(e: unknown): e is VerificationError {
    const x = e as Partial<VerificationError> | null | undefined;
    return (
        typeof x === "object" && x !== null && x.name === "VerificationError" && typeof x.kind === "string" && typeof x.message === "string"
    );
}

/** The object was listed but is gone when read (NoSuchKey): the check lists again. */
export class ObjectVanished extends Error {
    constructor(message: string) {
        super(message);
        this.message = message;
        this.name = "ObjectVanished";
    }
}

/** The verdict-to-be for NoSuchKey on a listed object. */
export function vanished(call: S3Call): ObjectVanished {
    return new ObjectVanished(`${describeCall(call)}: NoSuchKey (the object vanished after it was listed)`);
}

export type S3Api = "ListObjectsV2" | "SelectObjectContent" | "GetObject";

/** One S3 call, for messages: the API, the bucket, and the key (or, for a listing, the prefix). */
export interface S3Call {
    readonly api: S3Api;
    readonly bucket: string;
    readonly key: string;
    readonly region: string;
    readonly endpoint?: string;
}

export interface AwsErrorLike {
    name?: string;
    Code?: string;
    code?: string;
    message?: string;
    Region?: string;
    cause?: { code?: string };
    $metadata?: { httpStatusCode?: number };
    $response?: { headers?: Record<string, string> };
}

/** `GetObject on s3://bucket/key`. */
export function describeCall(call: S3Call): string {
    return `${call.api} on s3://${call.bucket}/${call.key}`;
}

/** The error's code: S3's error code, the SDK's error name, or a Node network code. */
export function errorCode(err: unknown): string {
    const e = (err ?? {}) as AwsErrorLike;
    const net = e.code ?? e.cause?.code;
    if (net && /^E[A-Z]+$|^ERR_/.test(net)) return net;
    return e.Code ?? (e.name && e.name !== "Error" ? e.name : undefined) ?? net ?? "Error";
}

export function httpStatus(err: unknown): number | undefined {
    return (err as AwsErrorLike)?.$metadata?.httpStatusCode;
}

/** The SDK's own time-out messages, said plainly. */
function plainTimeout(message: string): string {
    const ms = /(\d+) ?ms/.exec(message)?.[1];
    if (!ms || !message.includes("node-http-handler")) return message;
    if (message.includes("requestTimeout")) return `no answer within ${ms} ms (the request time-out)`;
    if (message.includes("inactivity")) return `silent for ${ms} ms while answering (the request time-out)`;
    if (message.includes("establish a connection")) return `no connection within ${ms} ms (the connection time-out)`;
    return message;
}

/** `SlowDown (HTTP 503): Please reduce your request rate.`, on one line and at most 300 characters. */
export function errorSummary(err: unknown): string {
    const status = httpStatus(err);
    const line = String((err as AwsErrorLike)?.message ?? err ?? "")
        .split("\n")
        .find((l) => l.trim() !== "");
    const first = line === undefined ? undefined : plainTimeout(line);
    const text = `${errorCode(err)}${status ? ` (HTTP ${status})` : ""}${first ? `: ${first.trim()}` : ""}`;
    return text.length > 300 ? `${text.slice(0, 297)}...` : text;
}

// Arrays, not Sets: the dynamic provider's serializer does not keep a Set's contents.
const TRANSIENT_CODES = [
    "SlowDown",
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottled",
    "RequestThrottledException",
    "RequestLimitExceeded",
    "TooManyRequestsException",
    "BandwidthLimitExceeded",
    "RequestTimeout",
    "RequestTimeoutException",
    "InternalError",
    "ServiceUnavailable",
    "TimeoutError",
    "ECONNRESET",
    "EPIPE",
    "ETIMEDOUT",
    "ESOCKETTIMEDOUT",
    "ECONNABORTED",
    "EAI_AGAIN",
    "ERR_STREAM_PREMATURE_CLOSE",
    "IncompleteSelectStream",
];

/** Worth another try: throttling, a 5xx (other than 501), a reset or a socket time-out. */
export function isTransient(err: unknown): boolean {
    const status = httpStatus(err);
    if (status === 429 || (status !== undefined && status >= 500 && status !== 501)) return true;
    if (TRANSIENT_CODES.includes(errorCode(err))) return true;
    return /socket hang up|^aborted$|premature close/i.test(String((err as AwsErrorLike)?.message ?? ""));
}

/** True when an S3 Select call was refused because the account or server does not offer S3 Select. */
export function isSelectUnavailable(err: unknown): boolean {
    const code = errorCode(err);
    const status = httpStatus(err);
    return code === "MethodNotAllowed" || code === "NotImplemented" || status === 405 || status === 501;
}

export function isNoSuchKey(err: unknown): boolean {
    return errorCode(err) === "NoSuchKey" || (httpStatus(err) === 404 && errorCode(err) !== "NoSuchBucket");
}

const CREDENTIAL_CODES = [
    "CredentialsProviderError",
    "InvalidAccessKeyId",
    "SignatureDoesNotMatch",
    "ExpiredToken",
    "ExpiredTokenException",
    "InvalidToken",
    "TokenRefreshRequired",
];
const REGION_CODES = ["PermanentRedirect", "AuthorizationHeaderMalformed", "IllegalLocationConstraintException"];
const FAILED_KIND: Record<S3Api, VerificationErrorKind> = {
    ListObjectsV2: "listing-failed",
    SelectObjectContent: "select-failed",
    GetObject: "get-failed",
};

function accessDenied(call: S3Call): VerificationError {
    const partition = partitionOf(call.region);
    const listing = call.api === "ListObjectsV2";
    const permission = listing ? "s3:ListBucket" : "s3:GetObject";
    const arn = listing ? `arn:${partition}:s3:::${call.bucket}` : `arn:${partition}:s3:::${call.bucket}/${call.key}`;
    return new VerificationError(
        "access-denied",
        `${describeCall(call)} was denied: the identity running the check needs ${permission} on ${arn}` +
            `${listing ? "" : " (and kms:Decrypt on the bucket's KMS key, if it uses SSE-KMS)"}. Grant it, or run the check as an identity that has it.`,
    );
}

function credentials(err: unknown, call: S3Call): VerificationError {
    const missing = errorCode(err) === "CredentialsProviderError";
    return new VerificationError(
        "credentials",
        missing
            ? `${describeCall(call)} was not sent: no AWS credentials were found (${errorSummary(err)}). Set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or sign in (aws sso login), and run the check again.`
            : `${describeCall(call)} was refused for its credentials: ${errorSummary(err)}. Check which identity the check runs as (aws sts get-caller-identity) and renew expired credentials.`,
    );
}

/** Turn an S3 error into a verdict that names the call, the bucket and key, and what to fix. */
export function explainS3Error(err: unknown, call: S3Call): VerificationError {
    if (err instanceof VerificationError) return err;
    const code = errorCode(err);
    const status = httpStatus(err);
    if (CREDENTIAL_CODES.includes(code)) return credentials(err, call);
    if (code === "AccessDenied" || code === "Forbidden" || status === 403) return accessDenied(call);
    if (code === "NoSuchBucket") {
        return new VerificationError(
            "no-such-bucket",
            `${call.api}: bucket ${call.bucket} does not exist${call.endpoint ? ` at ${call.endpoint}` : ""}: check msk-s3-sink:targetBucket (or --bucket).`,
        );
    }
    if (REGION_CODES.includes(code) || status === 301) {
        const e = err as AwsErrorLike;
        const bucketRegion = e.Region ?? e.$response?.headers?.["x-amz-bucket-region"];
        return new VerificationError(
            "wrong-region",
            `${describeCall(call)}: bucket ${call.bucket} is not in ${call.region}${bucketRegion ? `; it is in ${bucketRegion}` : ""}. Fix: set aws:region (or --region) to the bucket's region.`,
        );
    }
    if (["ECONNREFUSED", "ENOTFOUND", "EHOSTUNREACH", "ENETUNREACH"].includes(code)) {
        return new VerificationError(
            "unreachable",
            `${describeCall(call)}: cannot reach S3${call.endpoint ? ` at ${call.endpoint}` : ` in ${call.region}`} (${code}): check the endpoint, network and proxy settings.`,
        );
    }
    return new VerificationError(FAILED_KIND[call.api], `${describeCall(call)} failed: ${errorSummary(err)}`);
}
