/**
 * Section "verification": the post-deploy check's query, patience and method. The prefix is read after the
 * connector configuration is known, since its default follows `topics.dir` and `directory.delim`.
 */
import { sinkPrefix } from "../../sink";
import type { Reader } from "../reader";
import type { VerificationSettings } from "../types";

export function readVerification(r: Reader): Omit<VerificationSettings, "prefix"> {
    const query = r.string("verifyQuery") ?? "";
    if (!/^\s*select\s/i.test(query) || !/\bfrom\s+s3object\b/i.test(query)) {
        r.problem("verifyQuery", query, "expected an S3 Select query of the form SELECT ... FROM s3object s [WHERE ...] [LIMIT n].");
    } else if (Buffer.byteLength(query) > 256 * 1024) {
        r.problem("verifyQuery", `${query.slice(0, 40)}…`, "is longer than S3 Select's 256 KiB limit.");
    }
    const timeoutSeconds = r.integer("verifyTimeoutSeconds", 1, 6 * 3600, "seconds to wait for the first object");
    const pollIntervalSeconds = r.integer("verifyPollIntervalSeconds", 1, 600, "seconds between listings");
    if (pollIntervalSeconds > timeoutSeconds) {
        r.problem("verifyPollIntervalSeconds", pollIntervalSeconds, `must not exceed verifyTimeoutSeconds (${timeoutSeconds}).`);
    }
    const endpoint = r.string("verifyEndpoint", {
        pattern: /^https?:\/\/[^\s/@]+(:\d+)?\/?$/,
        allowed: "an http(s)://host[:port] URL of an S3-compatible server",
    });
    return {
        enabled: r.boolean("verify"),
        query,
        minRecords: r.integer("verifyMinRecords", 0, 1_000_000, "records the query must return"),
        method: r.oneOf("verifyMethod", ["auto", "select", "get"] as const),
        timeoutSeconds,
        pollIntervalSeconds,
        ...(endpoint ? { endpoint } : {}),
    };
}

/** Where the check looks: `verifyPrefix`, or the first topic's partition 0 as the sink names it. */
export function readVerifyPrefix(r: Reader, connectorConfiguration: Readonly<Record<string, string>>, firstTopic: string): string {
    const defaultPrefix = sinkPrefix(connectorConfiguration, firstTopic);
    const prefix = r.string("verifyPrefix", { default: defaultPrefix }) ?? defaultPrefix;
    const delim = connectorConfiguration["directory.delim"] ?? "/";
    if (prefix.startsWith("/") || prefix.includes("..")) {
        r.problem("verifyPrefix", prefix, 'expected an S3 key prefix with no leading "/" or "..", e.g. topics/<topic>/partition=0/.');
    } else if (!prefix.endsWith(delim)) {
        r.problem(
            "verifyPrefix",
            prefix,
            `expected a prefix ending in ${JSON.stringify(delim)} (the sink's directory.delim): without it the prefix also matches the keys of other partitions (partition=1 matches partition=10). Fix: set msk-s3-sink:verifyPrefix to ${JSON.stringify(prefix + delim)}.`,
        );
    }
    return prefix;
}
