/**
 * `npm run verify -- --stack dev [--sink NAME]` or `npm run verify -- --bucket B --prefix P [--region R] [--endpoint URL]
 * [--query SQL] [--timeout S] [--poll S] [--request-timeout S] [--method auto|select|get] [--min-records N]
 * [--gzip] [--file-delim D] [--connector NAME_OR_ARN] [--expected-config FILE] [--fresh]
 * [--kafkaconnect-endpoint URL] [--json]`: the same proof the SinkVerification resource runs, outside
 * Pulumi: the connector's health (with --connector, or the stack's connector), then the data (only fresh
 * data with --fresh, or the stack's verifyFreshData). Progress goes to stderr while it waits, only when
 * stderr is a terminal. Exit 0 verified, 1 not verified, 2 bad arguments.
 */
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "node:util";
import { FlagError, FlagHelp, flagHelpLines, readFlags as readFlagsOf } from "../common";
import {
    bucketNameProblem,
    formatProblems,
    OPAQUE_SECRET,
    parseStackFile,
    PROJECT,
    readStackFile,
    sinkNamed,
    SinkSettings,
    sinkSetsPrefix,
    StackConfigError,
    StackFile,
    StackFileError,
    StackSettings,
    unverifiable,
} from "../config";
import { sinkKeyFormat } from "../sink";
import {
    CHECK_DEFAULTS,
    ConnectorHealthResult,
    describeBaseline,
    isConnectorHealthError,
    isVerificationError,
    optionProblems,
    ProofOptions,
    proveSinkWorks,
    SinkCheckResult,
    VerifyMethod,
} from "../verification";

import { sayNodeSupportOnce } from "./nodeSupport";

const ROOT = path.resolve(__dirname, "..");
const USAGE =
    "usage: npm run verify -- [--help] (--stack NAME [--sink NAME] | --bucket B --prefix P [--region R]) [--endpoint URL] [--query SQL] [--timeout S] [--poll S] [--request-timeout S] [--method auto|select|get] [--min-records N] [--gzip] [--file-delim D] [--connector NAME_OR_ARN] [--expected-config FILE] [--fresh] [--kafkaconnect-endpoint URL] [--json]";

class UsageError extends Error {}

const OPTIONS = {
    stack: { type: "string" },
    sink: { type: "string" },
    bucket: { type: "string" },
    prefix: { type: "string" },
    region: { type: "string" },
    endpoint: { type: "string" },
    query: { type: "string" },
    timeout: { type: "string" },
    poll: { type: "string" },
    "request-timeout": { type: "string" },
    method: { type: "string" },
    "min-records": { type: "string" },
    gzip: { type: "boolean", default: false },
    "file-delim": { type: "string" },
    connector: { type: "string" },
    "expected-config": { type: "string" },
    fresh: { type: "boolean", default: false },
    "kafkaconnect-endpoint": { type: "string" },
    json: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
} as const;

/** The option names `npm run verify` accepts (docs/commands.md lists each). */
export const VERIFY_FLAGS = Object.keys(OPTIONS);

/** One line for each flag, for --help (docs/commands.md says the same). */
const FLAG_HELP: Readonly<Record<keyof typeof OPTIONS, FlagHelp>> = {
    stack: { arg: "NAME", text: "takes the check's settings from Pulumi.<NAME>.yaml" },
    sink: { arg: "NAME", text: "with --stack: the sink to check, when the stack has several" },
    bucket: { arg: "B", text: "the target bucket (instead of --stack, with --prefix)" },
    prefix: { arg: "P", text: "where the sink's objects are, ending in the directory delimiter" },
    region: { arg: "R", text: "the bucket's region" },
    endpoint: { arg: "URL", text: "an S3-compatible server instead of AWS (tests, demos)" },
    query: { arg: "SQL", text: "the S3 Select query (default SELECT * FROM s3object s LIMIT 5)" },
    timeout: { arg: "S", text: "bounds the whole proof, in seconds" },
    poll: { arg: "S", text: "seconds between listings" },
    "request-timeout": { arg: "S", text: "each request's own time-out (default 30 s)" },
    method: { arg: "auto|select|get", text: "S3 Select then the GetObject fallback; only S3 Select; only GetObject" },
    "min-records": { arg: "N", text: "records the query must return" },
    gzip: { text: "insists on gzip objects (.json.gz); without it a key's own extension says what it is" },
    "file-delim": { arg: "D", text: "the connector's file.delim, when it is not +" },
    connector: { arg: "NAME_OR_ARN", text: "checks a connector by ARN or exact name (resolved with ListConnectors)" },
    "expected-config": { arg: "FILE", text: "a JSON map the connector's live configuration must equal" },
    fresh: { text: "passes only on data written since the connector's configuration took effect" },
    "kafkaconnect-endpoint": { arg: "URL", text: "an MSK Connect-compatible server (tests)" },
    json: { text: "reports every field as JSON on stdout" },
    help: { text: "print this help" },
};

const HELP = [
    USAGE,
    "",
    "The deployed sink's proof outside Pulumi: the connector's health, then its data.",
    "",
    ...flagHelpLines(OPTIONS, FLAG_HELP),
    "",
    "Exit 0 verified; 1 not verified; 2 bad arguments or a stack it cannot use.",
].join("\n");

type Flags = ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>["values"];

/** The flag for each check option, and the stack setting it comes from with --stack. */
const NAMES: Partial<Record<keyof ProofOptions, { flag: keyof Flags; setting?: string }>> = {
    bucket: { flag: "bucket", setting: "msk-s3-sink:targetBucket" },
    prefix: { flag: "prefix", setting: "msk-s3-sink:verifyPrefix" },
    query: { flag: "query", setting: "msk-s3-sink:verifyQuery" },
    method: { flag: "method", setting: "msk-s3-sink:verifyMethod" },
    minRecords: { flag: "min-records", setting: "msk-s3-sink:verifyMinRecords" },
    timeoutSeconds: { flag: "timeout", setting: "msk-s3-sink:verifyTimeoutSeconds" },
    pollIntervalSeconds: { flag: "poll", setting: "msk-s3-sink:verifyPollIntervalSeconds" },
    requestTimeoutSeconds: { flag: "request-timeout" },
};

function readFlags(argv: string[]): Flags {
    try {
        return readFlagsOf(argv, OPTIONS, false).values;
    } catch (e) {
        if (e instanceof FlagError) throw new UsageError(e.message);
        throw e;
    }
}

/** --help (or -h) given as a flag, not as another flag's value. */
function wantsHelp(argv: string[]): boolean {
    try {
        return readFlags(argv).help;
    } catch {
        return false;
    }
}

function numberFlag(flags: Flags, name: "timeout" | "poll" | "request-timeout" | "min-records"): number | undefined {
    const text = flags[name];
    if (text === undefined) return undefined;
    if (/^\s*-\s*(\d+\.?\d*|\.\d+)\s*$/.test(text)) {
        const what = name === "min-records" ? "a whole number of records, 0 or more" : "a positive number of seconds";
        throw new UsageError(`--${name} must be ${what}; got ${text.trim()}`);
    }
    if (!/^\s*(\d+\.?\d*|\.\d+)\s*$/.test(text)) throw new UsageError(`--${name} must be a number; got ${JSON.stringify(text)}`);
    return Number(text);
}

/**
 * The stack settings `--stack` reads (where the objects are, how to query them, the connector and its
 * configuration), each with what to give instead when this run cannot read it.
 */
const READ_WITH_STACK: Readonly<Record<string, string>> = {
    "aws:region": "--region R",
    "aws:profile": "AWS_PROFILE=<name> in the environment",
    ...Object.fromEntries(
        Object.entries({
            targetBucket: "--bucket B",
            connectorName: "--connector NAME",
            topics: "--prefix P",
            flushSize: "--expected-config FILE",
            tasksMax: "--expected-config FILE",
            extraConnectorConfig: "--expected-config FILE",
            logGroupName: "nothing (it only names the log group in messages)",
            verifyQuery: "--query SQL",
            verifyMinRecords: "--min-records N",
            verifyMethod: "--method M",
            verifyTimeoutSeconds: "--timeout S",
            verifyPollIntervalSeconds: "--poll S",
            verifyPrefix: "--prefix P",
            verifyEndpoint: "--endpoint URL",
            verifyFreshData: "--fresh (or leave it out)",
        }).map(([name, flag]) => [`${PROJECT}:${name}`, flag]),
    ),
};

/**
 * A secure value in the stack file is ciphertext here (only the Pulumi CLI decrypts it): a check built on it
 * would look in the wrong place, so refuse, naming each one. The account id matters only for the default bucket.
 */
function refuseSecureInputs(file: StackFile): void {
    const insteadOf: Record<string, string> = {
        ...READ_WITH_STACK,
        ...(file.raw[`${PROJECT}:targetBucket`] === undefined
            ? { [`${PROJECT}:accountId`]: "--bucket B (the default bucket name holds it)" }
            : {}),
    };
    const secure = Object.keys(insteadOf).filter((key) => file.secretKeys.includes(key) && file.raw[key] === OPAQUE_SECRET);
    if (secure.length === 0) return;
    throw new UsageError(
        `--stack ${file.stack}: ${secure.join(", ")} ${secure.length === 1 ? "is a secure value" : "are secure values"} in ${path.basename(file.file)}, which verify reads without the Pulumi CLI and cannot decrypt. Run it with --bucket B --prefix P instead of --stack, giving for each: ${secure.map((k) => `${k} → ${insteadOf[k]}`).join("; ")} (\`pulumi config get <key>\` shows each value).`,
    );
}

/** Settings an ESC environment provides are not in the file: a check built without them could look in the wrong place. */
function refuseEnvironments(file: StackFile): void {
    const env = file.notes.find((n) => n.rule === "environment-not-read");
    if (env === undefined) return;
    throw new UsageError(
        `--stack ${file.stack}: ${path.basename(file.file)} imports the Pulumi ESC environment(s) ${env.written}, which verify cannot read without the Pulumi CLI, so the bucket, prefix or connector could come from them. Run it with --bucket B --prefix P [--region R] [--connector NAME] instead of --stack (\`pulumi config\` shows the values).`,
    );
}

/**
 * A stack whose sink the check cannot read (another format, or a partitioner without verifyPrefix) is refused
 * whether or not its `verify` is on: the check would wait out its time-out on a healthy sink.
 */
function refuseUnreadableSink(file: StackFile, sink: SinkSettings): void {
    const s = sink.settings;
    const why = unverifiable(s.connectorConfiguration, sinkSetsPrefix(file.raw, sink), s.topics[0], "cli");
    if (why.length === 0) return;
    throw new UsageError(
        `--stack ${file.stack}: the check cannot read this stack's sink:\n  - ${why.map((u) => `${PROJECT}:${u.key}: ${u.message}`).join("\n  - ")}`,
    );
}

/** The sink --sink names (or the stack's only one). */
function sinkOf(file: StackFile, s: StackSettings, name: string | undefined): SinkSettings {
    try {
        return sinkNamed(s.sinks, name, file.stack);
    } catch (e) {
        throw new UsageError(`--stack ${file.stack}: ${(e as Error).message}`);
    }
}

/** Where to look and how: from a stack's settings (its connector, configuration and freshness too), or from --bucket/--prefix. */
function baseOptions(flags: Flags): ProofOptions {
    if (flags.stack !== undefined) {
        if (flags.bucket !== undefined || flags.prefix !== undefined)
            throw new UsageError("give either --stack or --bucket/--prefix, not both");
        const file = readStackFile(ROOT, flags.stack);
        refuseSecureInputs(file);
        refuseEnvironments(file);
        const sink = sinkOf(file, parseStackFile(file, ROOT), flags.sink);
        refuseUnreadableSink(file, sink);
        const s = sink.settings;
        const v = s.verification;
        return {
            bucket: s.targetBucket.name,
            prefix: v.prefix,
            region: s.region,
            keyFormat: sinkKeyFormat(s.connectorConfiguration),
            query: v.query,
            method: v.method,
            minRecords: v.minRecords,
            timeoutSeconds: v.timeoutSeconds,
            pollIntervalSeconds: v.pollIntervalSeconds,
            connectorName: s.connectorName,
            logGroupName: s.logGroup.name,
            ...(v.endpoint ? { endpoint: v.endpoint } : {}),
            connector: s.connectorName,
            expectedConfiguration: s.connectorConfiguration,
            freshData: v.freshData,
            ...(typeof s.awsProvider.settings.profile === "string" ? { profile: s.awsProvider.settings.profile } : {}),
        };
    }
    if (flags.sink !== undefined) throw new UsageError("--sink names a sink of the stack: give it with --stack NAME");
    if (flags.bucket === undefined || flags.prefix === undefined) throw new UsageError("give --stack NAME, or both --bucket and --prefix");
    // Without --gzip the compression is not known: a key's own extension (.json or .json.gz) says what it is.
    const { extension, ...delimiters } = sinkKeyFormat({
        "s3.compression.type": flags.gzip ? "gzip" : "none",
        ...(flags["file-delim"] !== undefined ? { "file.delim": flags["file-delim"] } : {}),
    });
    const keyFormat = flags.gzip ? { ...delimiters, extension } : delimiters;
    return {
        bucket: flags.bucket,
        prefix: flags.prefix,
        region: process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? "us-east-1",
        keyFormat,
    };
}

/** The connector configuration in `--expected-config FILE`: a JSON map of keys to string values. */
function expectedConfigFrom(file: string): Record<string, string> {
    let parsed: unknown;
    try {
        parsed = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (e) {
        const why = (e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : `not JSON (${(e as Error).message})`;
        throw new UsageError(
            `--expected-config ${file}: ${why}; give a JSON file holding the connector configuration as a map of keys to strings`,
        );
    }
    const isMap = typeof parsed === "object" && parsed !== null && !Array.isArray(parsed);
    const bad = isMap
        ? Object.entries(parsed as object)
              .filter(([, v]) => typeof v !== "string")
              .map(([k]) => k)
        : [];
    if (!isMap || bad.length > 0) {
        throw new UsageError(
            `--expected-config ${file}: expected a JSON map of connector keys to string values${bad.length ? `; not strings: ${bad.join(", ")}` : ""}`,
        );
    }
    return parsed as Record<string, string>;
}

/** The connector flags: which connector to check, against which configuration, on which server. */
function connectorOptions(flags: Flags): Partial<ProofOptions> {
    if (flags.connector === "") throw new UsageError("--connector must not be empty: give the connector's name or ARN");
    const endpoint = flags["kafkaconnect-endpoint"];
    if (endpoint !== undefined && !/^https?:\/\/[^\s/]+\/?$/.test(endpoint)) {
        throw new UsageError(`--kafkaconnect-endpoint must be an http(s)://host[:port] URL; got ${JSON.stringify(endpoint)}`);
    }
    const expected = flags["expected-config"];
    if (expected !== undefined && flags.connector === undefined && flags.stack === undefined) {
        throw new UsageError(
            "--expected-config needs --connector (or --stack): the configuration is compared with that connector's live one",
        );
    }
    return {
        ...(flags.connector !== undefined ? { connector: flags.connector } : {}),
        ...(expected !== undefined ? { expectedConfiguration: expectedConfigFrom(expected), expectedConfigurationSource: expected } : {}),
        ...(endpoint !== undefined ? { kafkaConnectEndpoint: endpoint } : {}),
        ...(flags.fresh ? { freshData: true } : {}),
    };
}

/** The options the flags give (flags override the stack's values); throws UsageError naming each bad flag. */
export function parseVerifyArgs(argv: string[]): { options: ProofOptions; json: boolean } {
    const flags = readFlags(argv);
    if (flags.stack !== undefined && (flags.gzip || flags["file-delim"] !== undefined)) {
        throw new UsageError("--gzip and --file-delim come from the stack's connector configuration with --stack; leave them out");
    }
    // An upper-case name gets the plan's lower-case hint (S3 names are lower case); other names are left to the server.
    const bucketProblem =
        flags.bucket === undefined || flags.bucket === flags.bucket.toLowerCase() ? undefined : bucketNameProblem(flags.bucket);
    if (bucketProblem) throw new UsageError(`--bucket ${JSON.stringify(flags.bucket)}: ${bucketProblem}`);
    if (flags["file-delim"] === "") throw new UsageError("--file-delim must not be empty (the sink's file.delim, + by default)");
    if (flags.region !== undefined && !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(flags.region)) {
        throw new UsageError(`--region must be an AWS region such as us-east-2; got ${JSON.stringify(flags.region)}`);
    }
    if (flags.endpoint !== undefined && !/^https?:\/\/[^\s/]+\/?$/.test(flags.endpoint)) {
        throw new UsageError(`--endpoint must be an http(s)://host[:port] URL; got ${JSON.stringify(flags.endpoint)}`);
    }
    const numbers = {
        timeoutSeconds: numberFlag(flags, "timeout"),
        pollIntervalSeconds: numberFlag(flags, "poll"),
        requestTimeoutSeconds: numberFlag(flags, "request-timeout"),
        minRecords: numberFlag(flags, "min-records"),
    };
    const options: ProofOptions = {
        ...baseOptions(flags),
        ...connectorOptions(flags),
        ...(flags.region !== undefined ? { region: flags.region } : {}),
        ...(flags.endpoint !== undefined ? { endpoint: flags.endpoint } : {}),
        ...(flags.query !== undefined ? { query: flags.query } : {}),
        ...(flags.method !== undefined ? { method: flags.method as VerifyMethod } : {}),
        ...Object.fromEntries(Object.entries(numbers).filter(([, v]) => v !== undefined)),
    };
    const problems = optionProblems(options).map((p) => {
        const names = NAMES[p.option as keyof ProofOptions];
        const byFlag = names && flags[names.flag] !== undefined;
        return `${byFlag || !names?.setting ? `--${names?.flag ?? p.option}` : names.setting} ${p.message}`;
    });
    if (problems.length > 0) throw new UsageError(problems.join("\n"));
    return { options, json: flags.json };
}

/** Notices (keys skipped under the prefix while nothing is there to read): shown on a pipe too, since a run can wait long. */
export function noticeTo(stream: { write(text: string): unknown }): (message: string) => void {
    return (message) => void stream.write(`verify: note: ${message}\n`);
}

/** Progress lines for a terminal; nothing when the stream is a file or a pipe. */
export function progressTo(stream: { isTTY?: boolean; write(text: string): unknown }): ((message: string) => void) | undefined {
    return stream.isTTY ? (message) => void stream.write(`… ${message}\n`) : undefined;
}

function describeConnector(c: ConnectorHealthResult | null): string {
    if (c === null) return "  connector: not checked (give --connector, or --stack)\n";
    const op = c.operation ? `newest update ${c.operation.type} ${c.operation.state}` : "never updated";
    return `  connector: ${c.connectorName} ${c.state}, ${op}, configuration ${c.configuration.status}\n`;
}

function describeFreshness(result: SinkCheckResult): string {
    const f = result.freshness;
    if (f.mode === "existing") return "  data:    any sink object (an object already there counts; --fresh for new data only)\n";
    const since = f.writtenAfter ? `written since ${f.writtenAfter}` : "beyond the baseline";
    return `  data:    fresh (${since}); ${f.baseline ? describeBaseline(f.baseline) : "no baseline recorded"}\n`;
}

/** What each path read, and why GetObject read anything when S3 Select answered. */
function describeBytes(result: SinkCheckResult): string {
    if (result.method === "get") return `${result.bytesRead} read with ranged GetObject`;
    const check =
        result.bytesRead > 0
            ? `; ${result.bytesRead} read with GetObject to check the JSON Lines itself (S3 Select servers may skip a bad line silently)`
            : "";
    return `${result.bytesScanned} scanned by S3 Select${check}`;
}

function describe(result: SinkCheckResult, connector: ConnectorHealthResult | null, options: ProofOptions): string {
    const notes = [
        result.skippedKeys > 0
            ? `${result.skippedKeys} key(s) under the prefix were not sink objects and were skipped${result.skippedExample ? `, e.g. ${result.skippedExample.key} (${result.skippedExample.reason})` : ""}`
            : "",
        result.nonRecordLines > 0 ? `${result.nonRecordLines} line(s) were not records (null or scalar values) and were not counted` : "",
    ].filter(Boolean);
    return (
        `verified: s3://${result.bucket}/${result.objectKey} (${result.objectSize} bytes, first offset ${result.objectStartOffset})\n` +
        describeConnector(connector) +
        describeFreshness(result) +
        `  query:   ${options.query ?? CHECK_DEFAULTS.query}\n` +
        `  method:  ${result.method === "select" ? "S3 Select" : "ranged GetObject"}${result.fallbackReason ? ` (${result.fallbackReason})` : ""}\n` +
        `  records: ${result.recordsReturned} (at least ${options.minRecords ?? CHECK_DEFAULTS.minRecords} required)\n` +
        `  bytes:   ${describeBytes(result)}\n` +
        notes.map((n) => `  note:    ${n}\n`).join("") +
        `  sample:\n${result.sample.map((r) => `    ${typeof r === "string" ? r : JSON.stringify(r)}`).join("\n")}\n`
    );
}

async function main(): Promise<number> {
    let parsed: ReturnType<typeof parseVerifyArgs>;
    const argv = process.argv.slice(2);
    if (wantsHelp(argv)) {
        process.stdout.write(`${HELP}\n`);
        return 0;
    }
    try {
        parsed = parseVerifyArgs(argv);
    } catch (e) {
        if (!(e instanceof StackConfigError || e instanceof UsageError || e instanceof StackFileError)) throw e;
        const message = e instanceof StackConfigError ? formatProblems(e.stack, e.problems, e.warnings, "nothing was checked") : e.message;
        if (argv.includes("--json")) {
            const problems = e instanceof StackConfigError ? { problems: e.problems, warnings: e.warnings } : {};
            process.stdout.write(JSON.stringify({ verified: false, kind: "bad-input", error: message, ...problems }, null, 2) + "\n");
        }
        process.stderr.write(`verify: ${message}\n${e instanceof UsageError ? USAGE + "\n" : ""}`);
        return 2;
    }
    const { options, json } = parsed;
    sayNodeSupportOnce(process.stderr);
    try {
        const { connector, data } = await proveSinkWorks({
            ...options,
            onProgress: progressTo(process.stderr),
            onNotice: noticeTo(process.stderr),
        });
        const report = { verified: true, ...data, connector };
        process.stdout.write(json ? JSON.stringify(report, null, 2) + "\n" : describe(data, connector, options));
        return 0;
    } catch (e) {
        if (!isVerificationError(e) && !isConnectorHealthError(e)) throw e;
        const details = isConnectorHealthError(e) ? { details: e.details } : {};
        if (json) process.stdout.write(JSON.stringify({ verified: false, kind: e.kind, error: e.message, ...details }, null, 2) + "\n");
        else process.stderr.write(`not verified (${e.kind}): ${e.message}\n`);
        return 1;
    }
}

if (require.main === module) {
    main().then(
        (code) => process.exit(code),
        (e) => {
            process.stderr.write(`verify failed: ${(e as Error).stack ?? e}\n`);
            process.exit(1);
        },
    );
}
