/**
 * `npm run verify -- --stack dev` or `npm run verify -- --bucket B --prefix P [--region R] [--endpoint URL]
 * [--query SQL] [--timeout S] [--method auto|select|get] [--min-records N] [--json]`: the same check the
 * SinkVerification resource runs, outside Pulumi. Exit 0 verified, 1 not verified, 2 bad arguments.
 */
import * as path from "path";
import { parseStackConfig, StackConfigError } from "../config";
import { CHECK_DEFAULTS, SinkCheckOptions, verifySink, VerificationError, VerifyMethod } from "../lib/sinkCheck";
import { readStackFile, StackFileError } from "../lib/stackFile";

const ROOT = path.resolve(__dirname, "..");
const USAGE = "usage: npm run verify -- (--stack NAME | --bucket B --prefix P [--region R]) [--endpoint URL] [--query SQL] [--timeout S] [--poll S] [--method auto|select|get] [--min-records N] [--json]";

class UsageError extends Error {}

export function parseVerifyArgs(argv: string[]): { options: SinkCheckOptions; json: boolean } {
    const flags: Record<string, string> = {};
    let json = false;
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        if (a === "--json") json = true;
        else if (a.startsWith("--")) {
            const [name, inline] = a.slice(2).split(/=(.*)/s, 2);
            const value = inline ?? argv[++i];
            if (!["stack", "bucket", "prefix", "region", "endpoint", "query", "timeout", "poll", "method", "min-records"].includes(name)) throw new UsageError(`unknown option --${name}`);
            if (value === undefined || value.startsWith("--")) throw new UsageError(`--${name} needs a value`);
            flags[name] = value;
        } else throw new UsageError(`unexpected argument ${a}`);
    }
    const num = (name: string, min: number): number | undefined => {
        if (flags[name] === undefined) return undefined;
        const n = Number(flags[name]);
        if (!Number.isFinite(n) || n < min) throw new UsageError(`--${name} must be a number of at least ${min}; got ${JSON.stringify(flags[name])}`);
        return n;
    };
    const method = flags.method as VerifyMethod | undefined;
    if (method !== undefined && !["auto", "select", "get"].includes(method)) throw new UsageError(`--method must be auto, select or get; got ${JSON.stringify(method)}`);

    let base: { bucket: string; prefix: string; region: string; query?: string; method?: VerifyMethod; endpoint?: string; minRecords?: number; timeoutSeconds?: number; pollIntervalSeconds?: number; connectorName?: string; logGroupName?: string };
    if (flags.stack !== undefined) {
        if (flags.bucket || flags.prefix) throw new UsageError("give either --stack or --bucket/--prefix, not both");
        const file = readStackFile(ROOT, flags.stack);
        const s = parseStackConfig(file.raw, { stack: flags.stack, secretKeys: file.secretKeys, baseDir: ROOT });
        const v = s.verification;
        base = { bucket: s.targetBucket.name, prefix: v.prefix, region: s.region, query: v.query, method: v.method, minRecords: v.minRecords, timeoutSeconds: v.timeoutSeconds, pollIntervalSeconds: v.pollIntervalSeconds, connectorName: s.connectorName, logGroupName: s.logGroup.name, ...(v.endpoint ? { endpoint: v.endpoint } : {}) };
    } else {
        if (!flags.bucket || !flags.prefix) throw new UsageError("give --stack NAME, or both --bucket and --prefix");
        base = { bucket: flags.bucket, prefix: flags.prefix, region: flags.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? "us-east-1" };
    }
    if (flags.region && flags.stack) base.region = flags.region;
    const options: SinkCheckOptions = {
        ...base,
        ...(flags.endpoint ? { endpoint: flags.endpoint } : {}),
        ...(flags.query ? { query: flags.query } : {}),
        ...(method ? { method } : {}),
        ...(num("timeout", 1) !== undefined ? { timeoutSeconds: num("timeout", 1) } : {}),
        ...(num("poll", 1) !== undefined ? { pollIntervalSeconds: num("poll", 1) } : {}),
        ...(num("min-records", 0) !== undefined ? { minRecords: num("min-records", 0) } : {}),
    };
    if (options.endpoint && !/^https?:\/\/[^\s/]+\/?$/.test(options.endpoint)) throw new UsageError(`--endpoint must be an http(s)://host[:port] URL; got ${JSON.stringify(options.endpoint)}`);
    return { options, json };
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
        if (json) process.stdout.write(JSON.stringify({ verified: true, ...result }, null, 2) + "\n");
        else {
            process.stdout.write(
                `verified: s3://${result.bucket}/${result.objectKey} (${result.objectSize} bytes)\n` +
                    `  query:   ${options.query ?? CHECK_DEFAULTS.query}\n` +
                    `  method:  ${result.method === "select" ? "S3 Select" : "ranged GetObject"}${result.fallbackReason ? ` (${result.fallbackReason})` : ""}\n` +
                    `  records: ${result.recordsReturned} (at least ${options.minRecords ?? CHECK_DEFAULTS.minRecords} required)\n` +
                    `  bytes:   ${result.bytesScanned} scanned, ${result.bytesRead} read with GetObject\n` +
                    `  sample:\n${result.sample.map((r) => `    ${JSON.stringify(r)}`).join("\n")}\n`,
            );
        }
        return 0;
    } catch (e) {
        if (!(e instanceof VerificationError)) throw e;
        if (json) process.stdout.write(JSON.stringify({ verified: false, kind: e.kind, error: e.message }, null, 2) + "\n");
        else process.stderr.write(`not verified (${e.kind}): ${e.message}\n`);
        return 1;
    }
}

if (require.main === module) {
    main().then((code) => process.exit(code), (e) => {
        process.stderr.write(`verify failed: ${(e as Error).stack ?? e}\n`);
        process.exit(1);
    });
}
