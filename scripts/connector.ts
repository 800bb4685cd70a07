/**
 * `npm run connector -- status|pause|resume|restart [--only-failed-tasks] (--stack NAME [--sink NAME] | --connector NAME_OR_ARN)
 * [--region R] [--endpoint URL] [--cloudwatch-endpoint URL] [--s3-endpoint URL] [--wait | --no-wait]
 * [--timeout S] [--poll S] [--json]`: the connector day to day, outside Pulumi. `status` opens with one verdict
 * line (healthy, degraded, failed, paused, changing, unchecked), then the detail; pause and resume of a connector
 * already there do nothing (exit 0); pause, resume and restart are refused before AWS
 * is called when AWS would refuse them, and waited for (unless --no-wait) within --timeout. Exit 0 done (for
 * status: healthy, paused or changing), 1 refused, failed, timed out (for status: unchecked, degraded or failed),
 * 2 bad arguments.
 */
import * as path from "path";
import { FlagError, FlagHelp, flagHelpLines, nearest, readFlags as readFlagsOf } from "../common";
import {
    formatProblems,
    OPAQUE_SECRET,
    parseStackFile,
    PROJECT,
    readStackFile,
    sinkNamed,
    StackConfigError,
    StackFileError,
} from "../config";
import {
    ConnectorStatus,
    isOperateError,
    LifecycleAction,
    LifecycleResult,
    runLifecycle,
    connectorStatus,
    SinkLocation,
    VERDICT_EXIT,
    withKafkaConnect,
} from "../operate";
import { sinkKeyFormat } from "../sink";
import { isConnectorHealthError } from "../verification";

import { sayNodeSupportOnce } from "./nodeSupport";

const ROOT = path.resolve(__dirname, "..");
const USAGE =
    "usage: npm run connector -- [--help] status|pause|resume|restart [--only-failed-tasks] (--stack NAME [--sink NAME] | --connector NAME_OR_ARN) [--region R] [--endpoint URL] [--cloudwatch-endpoint URL] [--s3-endpoint URL] [--wait | --no-wait] [--timeout S] [--poll S] [--json]";
const COMMANDS = ["status", "pause", "resume", "restart"] as const;
type Command = (typeof COMMANDS)[number];

class UsageError extends Error {}

const OPTIONS = {
    stack: { type: "string" },
    sink: { type: "string" },
    connector: { type: "string" },
    region: { type: "string" },
    endpoint: { type: "string" },
    "cloudwatch-endpoint": { type: "string" },
    "s3-endpoint": { type: "string" },
    "only-failed-tasks": { type: "boolean", default: false },
    wait: { type: "boolean", default: false },
    "no-wait": { type: "boolean", default: false },
    timeout: { type: "string" },
    poll: { type: "string" },
    json: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
} as const;

/** The option names `npm run connector` accepts (the README documents each). */
export const CONNECTOR_FLAGS = Object.keys(OPTIONS);

/** One line for each flag, for --help (docs/commands.md says the same). */
const FLAG_HELP: Readonly<Record<keyof typeof OPTIONS, FlagHelp>> = {
    stack: { arg: "NAME", text: "the connector's name, region, AWS profile and the sink's bucket and prefix from Pulumi.<NAME>.yaml" },
    sink: { arg: "NAME", text: "with --stack: the sink of that name (msk-s3-sink:sinks); needed when the stack has several" },
    connector: { arg: "NAME_OR_ARN", text: "the connector by exact name or ARN (instead of --stack); an ARN gives the region too" },
    region: { arg: "R", text: "the connector's region (else the stack's, the ARN's or AWS_REGION)" },
    endpoint: { arg: "URL", text: "an MSK Connect-compatible server instead of AWS (tests)" },
    "cloudwatch-endpoint": { arg: "URL", text: "a CloudWatch-compatible server for the task counts (tests)" },
    "s3-endpoint": { arg: "URL", text: "an S3-compatible server for the newest object (tests)" },
    "only-failed-tasks": { text: "with restart: restart only the failed tasks (Kafka Connect 3.7 or later)" },
    wait: { text: "wait for the operation to complete (the default)" },
    "no-wait": { text: "return once the operation has started, with its ARN" },
    timeout: { arg: "S", text: "bounds the whole command, every wait and retry included (default 900)" },
    poll: { arg: "S", text: "seconds between two looks at an operation in progress (default 15)" },
    json: { text: "the answer as JSON on stdout, and nothing else: {ok, ...} (ok is true exactly when the exit code is 0)" },
    help: { text: "print this help" },
};

const HELP = [
    USAGE,
    "",
    "The connector day to day, outside Pulumi: status (a verdict first), pause, resume, restart.",
    "",
    ...flagHelpLines(OPTIONS, FLAG_HELP),
    "",
    "Exit 0 done (status: healthy, paused or changing); 1 refused, failed or timed out (status: degraded, failed or unchecked); 2 bad arguments or a stack it cannot use.",
].join("\n");

export interface ConnectorArgs {
    readonly command: Command;
    readonly connector: string;
    /** The flags naming the connector as the user gave them (`--stack dev`), for the commands messages suggest. */
    readonly commandTarget: string;
    /** Whether the connector came from a stack (--stack), not --connector. */
    readonly managedByStack: boolean;
    readonly region: string;
    readonly endpoint?: string;
    readonly cloudWatchEndpoint?: string;
    readonly s3Endpoint?: string;
    readonly profile?: string;
    readonly sink?: SinkLocation;
    readonly onlyFailedTasks: boolean;
    readonly wait: boolean;
    readonly timeoutSeconds: number;
    readonly pollIntervalSeconds: number;
    readonly json: boolean;
}

function url(flag: string, value: string | undefined): string | undefined {
    if (value !== undefined && !/^https?:\/\/[^\s/]+\/?$/.test(value))
        throw new UsageError(`--${flag} must be an http(s)://host[:port] URL; got ${JSON.stringify(value)}`);
    return value;
}

function seconds(flag: string, value: string | undefined, def: number): number {
    if (value === undefined) return def;
    if (!/^\s*(\d+\.?\d*|\.\d+)\s*$/.test(value) || Number(value) <= 0)
        throw new UsageError(`--${flag} must be a number of seconds above 0; got ${JSON.stringify(value)}`);
    return Number(value);
}

/** The connector, region, profile and sink a stack names, read from its stack file without the Pulumi CLI. */
function fromStack(stack: string, sinkName: string | undefined): Pick<ConnectorArgs, "connector" | "region" | "profile" | "sink"> {
    const file = readStackFile(ROOT, stack);
    const needed = ["aws:region", `${PROJECT}:connectorName`, `${PROJECT}:targetBucket`, `${PROJECT}:verifyPrefix`];
    const secure = needed.filter((k) => file.secretKeys.includes(k) && file.raw[k] === OPAQUE_SECRET);
    if (secure.length) {
        throw new UsageError(
            `--stack ${stack}: ${secure.join(", ")} is a secure value this command cannot decrypt without the Pulumi CLI; give --connector NAME_OR_ARN and --region R instead`,
        );
    }
    const stackSettings = parseStackFile(file, ROOT);
    let s;
    try {
        s = sinkNamed(stackSettings.sinks, sinkName, stack).settings;
    } catch (e) {
        throw new UsageError(`--stack ${stack}: ${(e as Error).message}`);
    }
    const profile = s.awsProvider.settings.profile;
    return {
        connector: s.connectorName,
        region: s.region,
        ...(typeof profile === "string" ? { profile } : {}),
        sink: { bucket: s.targetBucket.name, prefix: s.verification.prefix, keyFormat: sinkKeyFormat(s.connectorConfiguration) },
    };
}

function readFlags(argv: string[]) {
    try {
        return readFlagsOf(argv, OPTIONS, true);
    } catch (e) {
        if (e instanceof FlagError) throw new UsageError(e.message);
        throw e;
    }
}

/** A value as a shell reads it back: bare when safe, else single-quoted. */
function shellWord(value: string): string {
    return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, "'\\''")}'`;
}

/** The flags naming the connector, as the user gave them, for a command a message suggests. */
function targetFlags(f: { stack?: string; sink?: string; connector?: string; region?: string; endpoint?: string }): string {
    const pairs: [string, string | undefined][] = [
        ["stack", f.stack],
        ["sink", f.sink],
        ["connector", f.connector],
        ["region", f.region],
        ["endpoint", f.endpoint],
    ];
    return pairs
        .filter((p): p is [string, string] => p[1] !== undefined)
        .map(([flag, value]) => `--${flag} ${shellWord(value)}`)
        .join(" ");
}

/** The one command, or what is wrong with the positionals (a misspelt command answered with the one meant). */
function commandOf(positionals: string[]): Command {
    const command = positionals[0] as Command;
    if (positionals.length === 1 && COMMANDS.includes(command)) return command;
    if (positionals.length === 0) throw new UsageError(`give one command: ${COMMANDS.join(", ")}`);
    if (positionals.length > 1) throw new UsageError(`give one command: ${COMMANDS.join(", ")}; got ${positionals.join(" ")}`);
    const meant = nearest(positionals[0], COMMANDS);
    throw new UsageError(
        `unknown command "${positionals[0]}"; ${meant ? `did you mean ${meant}?` : `the commands are ${COMMANDS.join(", ")}`}`,
    );
}

/** The command and its options; throws UsageError naming what is wrong. */
export function parseConnectorArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): ConnectorArgs {
    const { values: f, positionals } = readFlags(argv);
    const command = commandOf(positionals);
    if ((f.stack === undefined) === (f.connector === undefined))
        throw new UsageError("give either --stack NAME or --connector NAME_OR_ARN");
    if (f.connector === "") throw new UsageError("--connector must not be empty: give the connector's name or ARN");
    if (f.wait && f["no-wait"]) throw new UsageError("give --wait or --no-wait, not both");
    if (f["only-failed-tasks"] && command !== "restart") throw new UsageError("--only-failed-tasks goes with restart only");
    if (f.region !== undefined && !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(f.region))
        throw new UsageError(`--region must be an AWS region such as us-east-2; got ${JSON.stringify(f.region)}`);
    if (f.sink !== undefined && f.stack === undefined) throw new UsageError("--sink names a sink of the stack: give it with --stack NAME");
    const base = f.stack !== undefined ? fromStack(f.stack, f.sink) : { connector: f.connector! };
    const arnRegion = /^arn:aws[a-z-]*:kafkaconnect:([a-z0-9-]+):/.exec(base.connector)?.[1];
    const region = f.region ?? ("region" in base ? base.region : undefined) ?? arnRegion ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
    if (!region) throw new UsageError("give --region R (or AWS_REGION): the connector's name alone does not say its region");
    const endpoint = url("endpoint", f.endpoint);
    const cloudWatchEndpoint = url("cloudwatch-endpoint", f["cloudwatch-endpoint"]);
    const s3Endpoint = url("s3-endpoint", f["s3-endpoint"]);
    return {
        ...base,
        command,
        commandTarget: targetFlags(f),
        managedByStack: f.stack !== undefined,
        region,
        ...(endpoint ? { endpoint } : {}),
        ...(cloudWatchEndpoint ? { cloudWatchEndpoint } : {}),
        ...(s3Endpoint ? { s3Endpoint } : {}),
        onlyFailedTasks: f["only-failed-tasks"],
        wait: !f["no-wait"],
        timeoutSeconds: seconds("timeout", f.timeout, 900),
        pollIntervalSeconds: seconds("poll", f.poll, 15),
        json: f.json,
    };
}

function ago(seconds: number): string {
    if (seconds < 120) return `${seconds} s ago`;
    if (seconds < 7200) return `${Math.round(seconds / 60)} min ago`;
    return `${Math.round(seconds / 3600)} h ago`;
}

/** The status as a person reads it: the verdict first, then each source, and what could not be read. */
export function describeStatus(s: ConnectorStatus): string {
    const sd = s.stateDescription;
    const t = s.tasks;
    const o = s.newestObject;
    const ops = s.operations.map((op) => {
        const info = op.errorInfo ? `; AWS says ${op.errorInfo.code ?? "(no code)"}: ${op.errorInfo.message ?? "(no message)"}` : "";
        const steps = op.failedSteps.length ? `; failed steps: ${op.failedSteps.join(", ")}` : "";
        return `    ${op.creationTime ?? "(no time)"}  ${op.type} ${op.state}${info}${steps}\n`;
    });
    return (
        `${s.verdictLine}\n` +
        `  connector:  ${s.connectorName} (${s.connectorArn})\n` +
        `  state:      ${s.state}${sd ? ` (${sd.code ?? ""}${sd.code && sd.message ? ": " : ""}${sd.message ?? ""})` : ""}\n` +
        `  capacity:   ${s.capacity}\n` +
        `  version:    Kafka Connect ${s.kafkaConnectVersion ?? "(not reported)"}\n` +
        `  tasks:      ${t.running === null && t.errored === null ? "not read" : `${t.running ?? "?"} running, ${t.errored ?? "?"} errored${t.at ? ` (CloudWatch, ${t.at})` : ""}`}${t.note ? `; ${t.note}` : ""}\n` +
        `  operations: ${ops.length ? "newest first\n" + ops.join("") : "none\n"}` +
        `  newest object: ${o.key ? `s3://${o.bucket}/${o.key}, written ${ago(o.ageSeconds ?? 0)} (${o.lastModified})` : (o.note ?? (o.checked ? "none" : "not looked for"))}\n` +
        `  console:    ${s.consoleUrl}\n` +
        `  logs:       ${s.logGroupName ? `${s.logGroupName} (${s.logGroupUrl})` : "no CloudWatch log group reported"}\n`
    );
}

function describeAction(r: LifecycleResult, commandTarget: string): string {
    const what = r.action === "restart" && r.onlyFailedTasks ? "restart of the failed tasks" : r.action;
    if (r.alreadyDone) {
        return `${r.connectorName} is already ${r.action === "pause" ? "paused" : "running"} (${r.connectorState}): nothing to do, nothing was sent\n`;
    }
    return r.waited
        ? `${what} of ${r.connectorName} done: ${r.operationState}; the connector is ${r.connectorState}\n  operation: ${r.operationArn}\n  console:   ${r.consoleUrl}\n`
        : `${what} of ${r.connectorName} started (not waited for): operation ${r.operationArn}; follow it with \`npm run connector -- status ${commandTarget}\`\n`;
}

export interface CliAnswer {
    readonly code: number;
    readonly stdout: string;
    readonly stderr: string;
}

/** Run a parsed command: its exit code and what it prints. */
export async function runConnectorCommand(a: ConnectorArgs, onProgress?: (m: string) => void): Promise<CliAnswer> {
    const o = {
        connector: a.connector,
        region: a.region,
        endpoint: a.endpoint,
        profile: a.profile,
        timeoutSeconds: a.timeoutSeconds,
        pollIntervalSeconds: a.pollIntervalSeconds,
        onProgress,
        commandTarget: a.commandTarget,
        managedByStack: a.managedByStack,
    };
    try {
        if (a.command === "status") {
            const s = await withKafkaConnect(o, (api, arn) =>
                connectorStatus(api, arn, {
                    cloudWatchEndpoint: a.cloudWatchEndpoint,
                    s3Endpoint: a.s3Endpoint,
                    profile: a.profile,
                    sink: a.sink,
                }),
            );
            const code = VERDICT_EXIT[s.verdict];
            return { code, stdout: a.json ? JSON.stringify({ ok: code === 0, ...s }, null, 2) + "\n" : describeStatus(s), stderr: "" };
        }
        const action: LifecycleAction = a.command;
        const r = await withKafkaConnect(o, (api, arn) =>
            runLifecycle(api, arn, { action, onlyFailedTasks: a.onlyFailedTasks, wait: a.wait }),
        );
        return {
            code: 0,
            stdout: a.json ? JSON.stringify({ ok: true, ...r }, null, 2) + "\n" : describeAction(r, a.commandTarget),
            stderr: "",
        };
    } catch (e) {
        if (!isOperateError(e) && !isConnectorHealthError(e)) throw e;
        const json = JSON.stringify({ ok: false, kind: e.kind, error: e.message, details: e.details }, null, 2) + "\n";
        return { code: 1, stdout: a.json ? json : "", stderr: a.json ? "" : `${a.command} (${e.kind}): ${e.message}\n` };
    }
}

function badArguments(e: unknown, argv: string[]): CliAnswer {
    if (!(e instanceof UsageError || e instanceof StackConfigError || e instanceof StackFileError)) throw e;
    const message = e instanceof StackConfigError ? formatProblems(e.stack, e.problems, e.warnings, "nothing was done") : e.message;
    const stdout = argv.includes("--json") ? JSON.stringify({ ok: false, kind: "bad-input", error: message }, null, 2) + "\n" : "";
    return { code: 2, stdout, stderr: `connector: ${message}\n${e instanceof UsageError ? USAGE + "\n" : ""}` };
}

/** The whole CLI for these arguments. */
export async function connectorCli(argv: string[], progress?: (m: string) => void): Promise<CliAnswer> {
    try {
        if (readFlags(argv).values.help) return { code: 0, stdout: `${HELP}\n`, stderr: "" };
    } catch {
        // a bad flag is reported below, with the usage
    }
    let parsed: ConnectorArgs;
    try {
        parsed = parseConnectorArgs(argv);
    } catch (e) {
        return badArguments(e, argv);
    }
    return runConnectorCommand(parsed, progress);
}

if (require.main === module) {
    sayNodeSupportOnce(process.stderr);
    const progress = process.stderr.isTTY ? (m: string) => void process.stderr.write(`… ${m}\n`) : undefined;
    connectorCli(process.argv.slice(2), progress).then(
        (a) => {
            process.stdout.write(a.stdout);
            process.stderr.write(a.stderr);
            process.exit(a.code);
        },
        (e) => {
            process.stderr.write(`connector failed: ${(e as Error).stack ?? e}\n`);
            process.exit(1);
        },
    );
}
