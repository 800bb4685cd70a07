/**
 * Section "verification": the post-deploy check's query, patience and method. The query is parsed with the
 * very parser the GetObject fallback evaluates with (`sql/`), so anything the fallback cannot run is refused
 * here, naming the construct, unless only S3 Select will run it; its LIMIT bounds `verifyMinRecords`. The
 * prefix is read after the connector configuration is known, since it follows `topics.dir` and
 * `directory.delim`, and must lie under a topic the sink reads.
 */
import { sinkPrefix } from "../../sink";
import { ParsedQuery, parseQuery, SqlError } from "../../sql";
import type { Reader } from "../reader";
import { PROJECT } from "../settings";
import type { VerificationSettings } from "../types";

type Method = VerificationSettings["method"];

const SELECT_SHAPE = "expected an S3 Select query of the form SELECT ... FROM s3object s [WHERE ...] [LIMIT n].";

/** The parsed query, or undefined when it cannot be parsed (a problem unless only S3 Select runs it). */
function checkQuery(r: Reader, query: string, method: Method): ParsedQuery | undefined {
    if (!r.usable("verifyQuery")) return undefined;
    if (Buffer.byteLength(query) > 256 * 1024) {
        r.problem("verifyQuery", `${query.slice(0, 40)}…`, "is longer than S3 Select's 256 KiB limit.");
        return undefined;
    }
    try {
        return parseQuery(query);
    } catch (e) {
        if (!(e instanceof SqlError)) throw e;
        if (method === "select") {
            // Only S3 Select runs it, and S3 Select knows more SQL than the fallback: check the shape only.
            if (!/^\s*select\s/i.test(query) || !/\bfrom\s+s3object\b/i.test(query)) r.problem("verifyQuery", query, SELECT_SHAPE);
            return undefined;
        }
        r.problem(
            "verifyQuery",
            query,
            `${e.message}. With verifyMethod "${method}" the GetObject fallback may evaluate this query itself, and it knows *, COUNT(*), paths, WHERE comparisons with AND/OR/NOT, IS [NOT] NULL and LIMIT only. Fix: rewrite the query with those, or set ${PROJECT}:verifyMethod to "select" if S3 Select is open to this account.`,
        );
        return undefined;
    }
}

/** A LIMIT below verifyMinRecords can never pass (COUNT(*) returns one record holding the count, so it is exempt). */
function checkLimit(r: Reader, parsed: ParsedQuery | undefined, minRecords: number): void {
    if (parsed === undefined || parsed.projection === "count" || parsed.limit === undefined || !r.usable("verifyMinRecords")) return;
    if (minRecords > parsed.limit) {
        r.problem(
            "verifyMinRecords",
            minRecords,
            `asks for ${minRecords} records, but verifyQuery returns at most ${parsed.limit} (LIMIT ${parsed.limit}), so the verification could never pass. Fix: lower verifyMinRecords to ${parsed.limit} or less, or raise the query's LIMIT.`,
        );
    }
}

export function readVerification(r: Reader): Omit<VerificationSettings, "prefix"> {
    const method = r.oneOf("verifyMethod", ["auto", "select", "get"] as const);
    const query = r.string("verifyQuery") ?? "";
    const parsed = checkQuery(r, query, method);
    const minRecords = r.integer("verifyMinRecords", 0, 1_000_000, "records the query must return");
    checkLimit(r, parsed, minRecords);
    const timeoutSeconds = r.integer("verifyTimeoutSeconds", 1, 6 * 3600, "seconds to wait for the first object");
    const pollIntervalSeconds = r.integer("verifyPollIntervalSeconds", 1, 600, "seconds between listings");
    if (pollIntervalSeconds > timeoutSeconds && r.usable("verifyTimeoutSeconds") && r.usable("verifyPollIntervalSeconds")) {
        r.problem("verifyPollIntervalSeconds", pollIntervalSeconds, `must not exceed verifyTimeoutSeconds (${timeoutSeconds}).`);
    }
    const endpoint = r.string("verifyEndpoint", {
        pattern: /^https?:\/\/[^\s/@]+(:\d+)?\/?$/,
        allowed: "an http(s)://host[:port] URL of an S3-compatible server",
    });
    return {
        enabled: r.boolean("verify"),
        freshData: r.boolean("verifyFreshData"),
        query,
        minRecords,
        method,
        timeoutSeconds,
        pollIntervalSeconds,
        ...(endpoint && !r.isOpaque("verifyEndpoint") ? { endpoint } : {}),
    };
}

/**
 * Where the check looks: `verifyPrefix`, or the first topic's partition 0 as the sink names it. A prefix
 * must lie under a topic the sink reads (or above them all), or the check waits for an object that never comes.
 */
export function readVerifyPrefix(r: Reader, connectorConfiguration: Readonly<Record<string, string>>, topics: readonly string[]): string {
    const defaultPrefix = sinkPrefix(connectorConfiguration, topics[0]);
    const prefix = r.string("verifyPrefix", { default: defaultPrefix }) ?? defaultPrefix;
    if (!r.has("verifyPrefix") || !r.usable("verifyPrefix") || !r.usable("topics")) return prefix;
    const delim = connectorConfiguration["directory.delim"] ?? "/";
    if (prefix.startsWith("/") || prefix.includes("..")) {
        r.problem("verifyPrefix", prefix, 'expected an S3 key prefix with no leading "/" or "..", e.g. topics/<topic>/partition=0/.');
        return prefix;
    }
    if (!prefix.endsWith(delim)) {
        r.problem(
            "verifyPrefix",
            prefix,
            `expected a prefix ending in ${JSON.stringify(delim)} (the sink's directory.delim): without it the prefix also matches the keys of other partitions (partition=1 matches partition=10). Fix: set msk-s3-sink:verifyPrefix to ${JSON.stringify(prefix + delim)}.`,
        );
        return prefix;
    }
    const topicDirs = topics.map((t) => sinkPrefix(connectorConfiguration, t).replace(/partition=0.*$/, ""));
    if (!topicDirs.some((dir) => prefix.startsWith(dir) || dir.startsWith(prefix))) {
        r.problem(
            "verifyPrefix",
            prefix,
            `is not where the sink writes: it writes the topics it reads under ${topicDirs.join(", ")} (topics.dir, then the topic), so the check would wait for an object that never comes. Fix: remove verifyPrefix to check the first topic's partition 0, or point it under one of those.`,
        );
    }
    return prefix;
}

const JSON_FORMAT = "io.confluent.connect.s3.format.json.JsonFormat";
const DEFAULT_PARTITIONER = "io.confluent.connect.storage.partitioner.DefaultPartitioner";

/** A reason the verification cannot read a sink: the setting to change, and why. */
export interface Unverifiable {
    readonly key: "verify" | "verifyPrefix";
    readonly message: string;
}

/** Who is told: the stack (its verification in `pulumi up`) or `npm run verify` (its own flags). */
export type VerifyRunner = "stack" | "cli";

/**
 * Why the verification cannot read this sink (empty when it can): it reads JSON Lines (JsonFormat), and at
 * the default prefix only with the DefaultPartitioner. Otherwise a check would wait out its time-out on a
 * healthy sink. Each reason carries the fix that fits who runs the check.
 */
export function unverifiable(
    connectorConfiguration: Readonly<Record<string, string>>,
    prefixSet: boolean,
    firstTopic: string,
    runner: VerifyRunner = "stack",
): Unverifiable[] {
    const found: Unverifiable[] = [];
    const format = connectorConfiguration["format.class"];
    const waits = runner === "stack" ? "`pulumi up` would wait out verifyTimeoutSeconds" : "the check would wait out its --timeout";
    if (format !== undefined && format !== JSON_FORMAT) {
        const fix =
            runner === "stack"
                ? "keep JsonFormat, or set msk-s3-sink:verify to false and check the objects another way"
                : "check this sink's objects another way (this check reads JSON Lines only)";
        found.push({
            key: "verify",
            message: `the verification reads JSON Lines, which the sink writes with format.class ${JSON_FORMAT}; with ${format} (extraConnectorConfig) it could not read a single object and ${waits}. Fix: ${fix}.`,
        });
    }
    const partitioner = connectorConfiguration["partitioner.class"];
    if (partitioner !== undefined && partitioner !== DEFAULT_PARTITIONER && !prefixSet) {
        const topicDir = sinkPrefix(connectorConfiguration, firstTopic).replace(/partition=0.*$/, "");
        const fix =
            runner === "stack"
                ? `set msk-s3-sink:verifyPrefix to the first topic's directory, ${topicDir} (the check reads every sink object below it), or set msk-s3-sink:verify to false`
                : `set msk-s3-sink:verifyPrefix to the first topic's directory, ${topicDir}, or run with --bucket B --prefix ${topicDir} instead of --stack`;
        found.push({
            key: "verifyPrefix",
            message: `required with partitioner.class ${partitioner.split(".").pop()}: the sink writes below paths the default prefix (<topic>/partition=0/) does not match, so ${waits}. Fix: ${fix}.`,
        });
    }
    return found;
}

/** With the verification on, each reason it cannot read the sink is a problem with the setting to change. */
export function checkVerifiable(
    r: Reader,
    connectorConfiguration: Readonly<Record<string, string>>,
    enabled: boolean,
    topics: readonly string[],
): void {
    if (!enabled) return;
    for (const u of unverifiable(connectorConfiguration, r.has("verifyPrefix"), topics[0])) {
        r.problem(u.key, u.key === "verify" ? true : undefined, u.message);
    }
}
