/**
 * `npm run verify -- --stack dev` or `npm run verify -- --bucket B --prefix P [--region R] [--endpoint URL]
 * [--query SQL] [--timeout S] [--poll S] [--method auto|select|get] [--min-records N] [--json]`: the same
 * check the SinkVerification resource runs, outside Pulumi. Exit 0 verified, 1 not verified, 2 bad arguments.
 */
import * as path from "path";
import { parseArgs } from "node:util";
import { parseStackConfig, readStackFile, StackConfigError, StackFileError } from "../config";
import { CHECK_DEFAULTS, SinkCheckOptions, SinkCheckResult, verifySink, VerificationError, VerifyMethod } from "../verification";

const ROOT = path.resolve(__dirname, "..");
const USAGE =
    "usage: npm run verify -- (--stack NAME | --bucket B --prefix P [--region R]) [--endpoint URL] [--query SQL] [--timeout S] [--poll S] [--method auto|select|get] [--min-records N] [--json]";

class UsageError extends Error {}

const OPTIONS = {
    stack: { type: "string" },
    bucket: { type: "string" },
    prefix: { type: "string" },
    region: { type: "string" },
    endpoint: { type: "string" },
    query: { type: "string" },
    timeout: { type: "string" },
    poll: { type: "string" },
    method: { type: "string" },
    "min-records": { type: "string" },
    json: { type: "boolean", default: false },
} as const;

type Flags = ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>["values"];

function readFlags(argv: string[]): Flags {
    try {
        return parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false }).values;
    } catch (e) {
        throw new UsageError((e as Error).message);
    }
}

function numberFlag(flags: Flags, name: "timeout" | "poll" | "min-records", min: number): number | undefined {
    const text = flags[name];
    if (text === undefined) return undefined;
    const n = Number(text);
    if (!Number.isFinite(n) || n < min) throw new UsageError(`--${name} must be a number of at least ${min}; got ${JSON.stringify(text)}`);
    return n;
}

/** Where to look and how: from a stack's settings, or from --bucket/--prefix. */
function baseOptions(flags: Flags): SinkCheckOptions {
    if (flags.stack !== undefined) {
        if (flags.bucket || flags.prefix) throw new UsageError("give either --stack or --bucket/--prefix, not both");
        const file = readStackFile(ROOT, flags.stack);
        const s = parseStackConfig(file.raw, { stack: flags.stack, secretKeys: file.secretKeys, baseDir: ROOT });
        const v = s.verification;
        return {
            bucket: s.targetBucket.name,
            prefix: v.prefix,
            region: flags.region ?? s.region,
            query: v.query,
            method: v.method,
            minRecords: v.minRecords,
            timeoutSeconds: v.timeoutSeconds,
            pollIntervalSeconds: v.pollIntervalSeconds,
            connectorName: s.connectorName,
            logGroupName: s.logGroup.name,
            ...(v.endpoint ? { endpoint: v.endpoint } : {}),
        };
    }
    if (!flags.bucket || !flags.prefix) throw new UsageError("give --stack NAME, or both --bucket and --prefix");
    return {
        bucket: flags.bucket,
        prefix: flags.prefix,
        region: flags.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? "us-east-1",
    };
}

export function parseVerifyArgs(argv: string[]): { options: SinkCheckOptions; json: boolean } {
    const flags = readFlags(argv);
    const method = flags.method as VerifyMethod | undefined;
    if (method !== undefined && !["auto", "select", "get"].includes(method))
        throw new UsageError(`--method must be auto, select or get; got ${JSON.stringify(method)}`);
    const timeoutSeconds = numberFlag(flags, "timeout", 1);
    const pollIntervalSeconds = numberFlag(flags, "poll", 1);
    const minRecords = numberFlag(flags, "min-records", 0);
    const options: SinkCheckOptions = {
        ...baseOptions(flags),
        ...(flags.endpoint ? { endpoint: flags.endpoint } : {}),
        ...(flags.query ? { query: flags.query } : {}),
        ...(method ? { method } : {}),
        ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}),
        ...(pollIntervalSeconds !== undefined ? { pollIntervalSeconds } : {}),
        ...(minRecords !== undefined ? { minRecords } : {}),
    };
    if (options.endpoint && !/^https?:\/\/[^\s/]+\/?$/.test(options.endpoint))
        throw new UsageError(`--endpoint must be an http(s)://host[:port] URL; got ${JSON.stringify(options.endpoint)}`);
    return { options, json: flags.json };
}

function describe(result: SinkCheckResult, options: SinkCheckOptions): string {
    return (
        `verified: s3://${result.bucket}/${result.objectKey} (${result.objectSize} bytes)\n` +
        `  query:   ${options.query ?? CHECK_DEFAULTS.query}\n` +
        `  method:  ${result.method === "select" ? "S3 Select" : "ranged GetObject"}${result.fallbackReason ? ` (${result.fallbackReason})` : ""}\n` +
        `  records: ${result.recordsReturned} (at least ${options.minRecords ?? CHECK_DEFAULTS.minRecords} required)\n` +
        `  bytes:   ${result.bytesScanned} scanned, ${result.bytesRead} read with GetObject\n` +
        `  sample:\n${result.sample.map((r) => `    ${JSON.stringify(r)}`).join("\n")}\n`
    );
}

async function main(): Promise<number> {
    let parsed: ReturnType<typeof parseVerifyArgs>;
    try {
        parsed = parseVerifyArgs(process.argv.slice(2));
    } catch (e) {
        if (e instanceof UsageError || e instanceof StackFileError || e instanceof StackConfigError) {
            process.stderr.write(`verify: ${e.message}\n${e instanceof UsageError ? USAGE + "\n" : ""}`);
            return 2;
        }
        throw e;
    }
    const { options, json } = parsed;
    try {
        const result = await verifySink({ ...options, onProgress: json ? undefined : (m) => process.stderr.write(`… ${m}\n`) });
        process.stdout.write(json ? JSON.stringify({ verified: true, ...result }, null, 2) + "\n" : describe(result, options));
        return 0;
    } catch (e) {
        if (!(e instanceof VerificationError)) throw e;
        if (json) process.stdout.write(JSON.stringify({ verified: false, kind: e.kind, error: e.message }, null, 2) + "\n");
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
