/**
 * Stack configuration, read in exactly one place.
 *
 * `parseStackConfig` turns the raw stack config (the `<namespace>:<name>` map that `pulumi config set`
 * writes) into one typed, validated `StackSettings`, applying the documented defaults. It reports every
 * problem at once, each naming the key, the value received and what is allowed. `loadStackSettings` reads
 * the running stack's config and throws a `StackConfigError` before any resource is registered.
 */
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import {
    diagnoseConnectorConfiguration,
    Finding,
    formatFinding,
    labConnectorConfiguration,
    mergeConnectorConfiguration,
    WARNING_RULES,
} from "./components/connectorConfig";
import { partitionOf } from "./lib/partition";
import { nearest, SECRET_NAME_PATTERN, show } from "./lib/text";

export const PROJECT = "msk-s3-sink";

/** How the connector's capacity is set. Defaults are the MSK console's "default capacity". */
export type CapacitySettings =
    | {
          readonly mode: "autoscaling";
          readonly mcuCount: number;
          readonly minWorkerCount: number;
          readonly maxWorkerCount: number;
          readonly scaleInCpuPercent: number;
          readonly scaleOutCpuPercent: number;
      }
    | { readonly mode: "provisioned"; readonly mcuCount: number; readonly workerCount: number };

export type PluginSource =
    | { readonly kind: "download"; readonly url: string; readonly sha256: string }
    | { readonly kind: "local"; readonly path: string; readonly sha256: string };

export type ExecutionRoleSettings =
    | { readonly mode: "lookup"; readonly name: string }
    | { readonly mode: "lookup"; readonly namePrefix: string }
    | { readonly mode: "create" };

export interface VerificationSettings {
    readonly enabled: boolean;
    readonly query: string;
    readonly minRecords: number;
    readonly method: "auto" | "select" | "get";
    readonly timeoutSeconds: number;
    readonly pollIntervalSeconds: number;
    readonly prefix: string;
    readonly endpoint?: string;
}

/** Everything the program needs, typed and validated. */
export interface StackSettings {
    readonly stack: string;
    readonly region: string;
    readonly accountId: string;
    readonly partition: string;
    readonly pluginsBucket: { readonly name: string; readonly create: boolean };
    readonly targetBucket: { readonly name: string; readonly create: boolean };
    /** Keep created buckets when the stack is destroyed. */
    readonly retainBucketsOnDestroy: boolean;
    readonly kmsKeyArn?: string;
    readonly plugin: {
        readonly version: string;
        readonly source: PluginSource;
        /** S3 key of the uploaded zip. */
        readonly objectKey: string;
        /** MSK Connect custom plugin name. */
        readonly customPluginName: string;
        /** Where a downloaded zip is cached on the deploying machine. */
        readonly cacheDir: string;
    };
    readonly mskClusterName: string;
    readonly connectorName: string;
    readonly topics: readonly string[];
    readonly flushSizeRecords: number;
    readonly tasksMax: number;
    readonly extraConnectorConfig: Readonly<Record<string, string>>;
    /** The lab's block merged with the extra keys: exactly what the connector gets. */
    readonly connectorConfiguration: Readonly<Record<string, string>>;
    readonly capacity: CapacitySettings;
    readonly kafkaConnectVersion: string;
    /** Worker configuration to look up by name; undefined for none. */
    readonly workerConfigurationName?: string;
    readonly executionRole: ExecutionRoleSettings;
    readonly logGroup: {
        readonly mode: "lookup" | "create";
        readonly name: string;
        readonly retentionDays: number;
        readonly kmsKeyArn?: string;
    };
    readonly verification: VerificationSettings;
    readonly doctor: { readonly silence: readonly string[]; readonly expectedRecordsPerSecond: number };
    /** The doctor's warnings on the connector configuration (errors stop the program instead). */
    readonly warnings: readonly Finding[];
}

/** One problem with one setting. */
export interface ConfigProblem {
    readonly key: string;
    readonly value: unknown;
    readonly message: string;
}

/** Thrown when the stack config is not usable; shown without a stack trace by the Pulumi CLI. */
export class StackConfigError extends pulumi.RunError {
    constructor(
        readonly stack: string,
        readonly problems: readonly ConfigProblem[],
        /** Doctor warnings found in the same run, shown with the problems. */
        readonly warnings: readonly string[] = [],
    ) {
        super(formatProblems(stack, problems, warnings));
        this.name = "StackConfigError";
    }
}

export function formatProblems(stack: string, problems: readonly ConfigProblem[], warnings: readonly string[] = []): string {
    const lines = problems.map((p) => `  - ${p.key}${p.value === undefined ? " (not set)" : ` = ${show(p.value)}`}: ${p.message}`);
    return [
        `Stack "${stack}" has ${problems.length} configuration problem${problems.length === 1 ? "" : "s"}; nothing was created:`,
        ...lines,
        ...(warnings.length > 0 ? ["Warnings found in the same run:", ...warnings.map((w) => `  - ${w}`)] : []),
        `Fix them in Pulumi.${stack}.yaml (or with \`pulumi config set <key> <value>\`) and run again.`,
    ].join("\n");
}

// ---------------------------------------------------------------------------------------------------
// Defaults, in one visible place
// ---------------------------------------------------------------------------------------------------

export const DEFAULTS = {
    pluginVersion: "10.5.15",
    pluginUrlTemplate:
        "https://d2p6pa21dvn84.cloudfront.net/api/plugins/confluentinc/kafka-connect-s3/versions/{version}/confluentinc-kafka-connect-s3-{version}.zip",
    pluginCacheDir: ".artifacts",
    mskClusterName: "MSKCluster-mskconnectlab",
    connectorName: "confluentinc-kafka-connect-s3",
    topics: ["salesdb.salesdb.CUSTOMER"],
    flushSizeRecords: 200,
    tasksMax: 1,
    capacity: {
        mode: "autoscaling",
        mcuCount: 1,
        minWorkerCount: 1,
        maxWorkerCount: 2,
        scaleInCpuPercent: 20,
        scaleOutCpuPercent: 80,
    } as CapacitySettings,
    kafkaConnectVersion: "2.7.1",
    workerConfigurationName: "SourceAuroraDebeziumConnectorConfig",
    executionRoleNamePrefix: "mskconnectlab-S3ConnectorIAMRole-",
    logGroupName: "/msk-lab-target-s3sink-connector",
    logRetentionDays: 30,
    verifyQuery: "SELECT * FROM s3object s LIMIT 5",
    verifyMinRecords: 1,
    verifyMethod: "auto" as const,
    verifyTimeoutSeconds: 900,
    verifyPollIntervalSeconds: 15,
    expectedRecordsPerSecond: 1,
} as const;

/** A digest of all zeros marks the example stack's placeholder: `pulumi up` will refuse the upload. */
export const PLACEHOLDER_SHA256 = "0".repeat(64);

export const LOG_RETENTION_DAYS = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];
export const MCU_COUNTS = [1, 2, 4, 8];
export const KAFKA_CONNECT_VERSIONS = ["2.7.1", "3.7.x"];

/** Every setting of this project's namespace, with a one-line meaning (used for "did you mean"). */
export const SETTINGS = [
    "accountId", "pluginsBucket", "createPluginsBucket", "targetBucket", "createTargetBucket",
    "retainBucketsOnDestroy", "kmsKeyArn", "pluginVersion", "pluginUrl", "pluginSha256", "pluginLocalPath",
    "pluginCacheDir", "mskClusterName", "connectorName", "topics", "flushSize", "tasksMax",
    "extraConnectorConfig", "capacity", "kafkaConnectVersion", "workerConfigurationName", "executionRole",
    "executionRoleName", "executionRoleNamePrefix", "logGroup", "logGroupName", "logRetentionDays",
    "logKmsKeyArn", "verify", "verifyQuery", "verifyMinRecords", "verifyMethod", "verifyTimeoutSeconds",
    "verifyPollIntervalSeconds", "verifyPrefix", "verifyEndpoint", "doctorSilence", "expectedRecordsPerSecond",
] as const;

/** aws-namespace keys that hold credentials: never in stack config. */
const AWS_CREDENTIAL_KEYS = ["aws:accessKey", "aws:secretKey", "aws:token"];

// ---------------------------------------------------------------------------------------------------
// Value patterns
// ---------------------------------------------------------------------------------------------------

const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/;
const ACCOUNT = /^\d{12}$/;
const SHA256 = /^[0-9a-f]{64}$/;
const VERSION = /^\d+\.\d+\.\d+$/;
const TOPIC = /^[A-Za-z0-9._-]{1,249}$/;
const MSK_NAME = /^[A-Za-z0-9-]{1,64}$/;
const CONNECTOR_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const WORKER_CONFIG_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const LOG_GROUP = /^[.\-_/#A-Za-z0-9]{1,512}$/;
const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key\/[A-Za-z0-9-]+|alias\/[A-Za-z0-9/_-]+)$/;

export function isValidBucketName(name: string): boolean {
    return (
        /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name) &&
        !name.includes("..") &&
        !/^\d+\.\d+\.\d+\.\d+$/.test(name) &&
        !name.startsWith("xn--") &&
        !name.endsWith("-s3alias")
    );
}

/** The S3 key and custom-plugin name for a plugin version (the lab's naming). */
export function pluginNames(version: string): { objectKey: string; customPluginName: string; fileName: string } {
    const fileName = `confluentinc-kafka-connect-s3-${version}.zip`;
    return {
        fileName,
        objectKey: `kafka-connect-s3/${fileName}`,
        customPluginName: `confluentinc-kafka-connect-s3-${version.replace(/\./g, "-")}`,
    };
}

/** Where the sink writes a topic partition's objects (DefaultPartitioner, default topics.dir). */
export function sinkPrefix(config: Readonly<Record<string, string>>, topic: string, partition = 0): string {
    const dir = config["topics.dir"] ?? "topics";
    const delim = config["directory.delim"] ?? "/";
    return `${dir}${delim}${topic}${delim}partition=${partition}${delim}`;
}

// ---------------------------------------------------------------------------------------------------
// The reader
// ---------------------------------------------------------------------------------------------------

/** Raw stack config: full keys (`msk-s3-sink:flushSize`) to the string values Pulumi hands a program. */
export type RawConfig = Readonly<Record<string, string>>;

export interface ParseOptions {
    readonly stack: string;
    /** Keys whose values are Pulumi secrets. */
    readonly secretKeys?: readonly string[];
    /** Directory that relative paths (pluginLocalPath, pluginCacheDir) are resolved against. */
    readonly baseDir?: string;
}

class Reader {
    readonly problems: ConfigProblem[] = [];
    constructor(private readonly raw: RawConfig) {}

    full(name: string): string {
        return name.includes(":") ? name : `${PROJECT}:${name}`;
    }
    has(name: string): boolean {
        return this.raw[this.full(name)] !== undefined;
    }
    problem(name: string, value: unknown, message: string): void {
        this.problems.push({ key: this.full(name), value, message });
    }
    string(name: string, opts: { default?: string; pattern?: RegExp; allowed?: string; required?: string } = {}): string | undefined {
        const value = this.raw[this.full(name)];
        if (value === undefined || value === "") {
            if (opts.required) this.problem(name, undefined, opts.required);
            return opts.default;
        }
        if (opts.pattern && !opts.pattern.test(value)) {
            this.problem(name, value, `expected ${opts.allowed ?? `a value matching ${opts.pattern}`}.`);
            return opts.default;
        }
        return value;
    }
    oneOf<T extends string>(name: string, allowed: readonly T[], def: T): T {
        const value = this.raw[this.full(name)];
        if (value === undefined || value === "") return def;
        if ((allowed as readonly string[]).includes(value)) return value as T;
        const close = nearest(value, allowed);
        this.problem(name, value, `expected one of ${allowed.map((a) => `"${a}"`).join(", ")}.${close ? ` Did you mean "${close}"?` : ""}`);
        return def;
    }
    integer(name: string, def: number, min: number, max: number, what: string): number {
        const value = this.raw[this.full(name)];
        if (value === undefined || value === "") return def;
        if (!/^-?\d+$/.test(value.trim()) || Number(value) < min || Number(value) > max) {
            this.problem(name, value, `expected a whole number from ${min} to ${max} (${what}).`);
            return def;
        }
        return Number(value);
    }
    number(name: string, def: number, min: number, what: string): number {
        const value = this.raw[this.full(name)];
        if (value === undefined || value === "") return def;
        const n = Number(value);
        if (value.trim() === "" || !Number.isFinite(n) || n < min) {
            this.problem(name, value, `expected a number of at least ${min} (${what}).`);
            return def;
        }
        return n;
    }
    boolean(name: string, def: boolean): boolean {
        const value = this.raw[this.full(name)];
        if (value === undefined || value === "") return def;
        if (value === "true" || value === "false") return value === "true";
        this.problem(name, value, "expected true or false.");
        return def;
    }
    /** A structured value (Pulumi stores objects and arrays as JSON text). */
    json(name: string): unknown {
        const value = this.raw[this.full(name)];
        if (value === undefined || value === "") return undefined;
        try {
            return JSON.parse(value);
        } catch {
            return value; // a plain string
        }
    }
}

function parseTopics(r: Reader): string[] {
    const value = r.json("topics");
    if (value === undefined) return [...DEFAULTS.topics];
    let list: unknown[];
    if (Array.isArray(value)) list = value;
    else if (typeof value === "string") list = value.split(",").map((t) => t.trim());
    else {
        r.problem("topics", value, "expected a topic name, a comma-separated list, or a YAML list of topic names.");
        return [...DEFAULTS.topics];
    }
    const bad = list.filter((t) => typeof t !== "string" || !TOPIC.test(t));
    if (list.length === 0 || bad.length > 0) {
        r.problem("topics", value,
            `expected one or more Kafka topic names (1-249 characters of letters, digits, ".", "_", "-")${bad.length ? `; not valid: ${bad.map((b) => show(b)).join(", ")}` : ""}.`);
        return [...DEFAULTS.topics];
    }
    if (new Set(list).size !== list.length) r.problem("topics", value, "lists a topic twice; name each topic once.");
    return list as string[];
}

function parseExtraConnectorConfig(r: Reader, secretKeys: ReadonlySet<string>): Record<string, string> {
    const value = r.json("extraConnectorConfig");
    if (value === undefined) return {};
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
        r.problem("extraConnectorConfig", value,
            'expected a map of connector setting to string value, e.g. {"behavior.on.null.values": "ignore"}.');
        return {};
    }
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        if (typeof v === "string") out[k] = v;
        else if (typeof v === "number" || typeof v === "boolean") out[k] = String(v);
        else r.problem(`extraConnectorConfig.${k}`, v, "expected a string, number or boolean value.");
    }
    if (secretKeys.has(r.full("extraConnectorConfig"))) {
        // A secret here means someone wants to pass credentials through the connector config; the doctor
        // rejects credential keys, and non-credential values need no secrecy.
        r.problem("extraConnectorConfig", "(secret)",
            "is a Pulumi secret, but MSK Connect shows the connector configuration in plain text to anyone who can describe the connector. Put no secrets here: the connector reaches S3 through its execution role.");
    }
    return out;
}

function parseCapacity(r: Reader): CapacitySettings {
    const value = r.json("capacity");
    if (value === undefined) return DEFAULTS.capacity;
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
        r.problem("capacity", value, 'expected an object such as {"mode": "autoscaling", "mcuCount": 1, "minWorkerCount": 1, "maxWorkerCount": 2} or {"mode": "provisioned", "mcuCount": 1, "workerCount": 1}.');
        return DEFAULTS.capacity;
    }
    const obj = value as Record<string, unknown>;
    const mode = obj.mode ?? "autoscaling";
    const allowedFields: Record<string, string[]> = {
        autoscaling: ["mode", "mcuCount", "minWorkerCount", "maxWorkerCount", "scaleInCpuPercent", "scaleOutCpuPercent"],
        provisioned: ["mode", "mcuCount", "workerCount"],
    };
    if (mode !== "autoscaling" && mode !== "provisioned") {
        r.problem("capacity.mode", mode, 'expected "autoscaling" or "provisioned".');
        return DEFAULTS.capacity;
    }
    for (const field of Object.keys(obj)) {
        if (!allowedFields[mode].includes(field)) {
            const close = nearest(field, allowedFields[mode]);
            r.problem(`capacity.${field}`, obj[field], `is not a ${mode} capacity field; allowed: ${allowedFields[mode].join(", ")}.${close ? ` Did you mean "${close}"?` : ""}`);
        }
    }
    const d = DEFAULTS.capacity as Extract<CapacitySettings, { mode: "autoscaling" }>;
    const int = (field: string, def: number, check: (n: number) => boolean, allowed: string): number => {
        const v = obj[field];
        if (v === undefined) return def;
        if (typeof v !== "number" || !Number.isInteger(v) || !check(v)) {
            r.problem(`capacity.${field}`, v, `expected ${allowed}.`);
            return def;
        }
        return v;
    };
    const mcuCount = int("mcuCount", 1, (n) => MCU_COUNTS.includes(n), "1, 2, 4 or 8 (MCUs per worker; 1 MCU = 1 vCPU + 4 GiB)");
    if (mode === "provisioned") {
        return { mode, mcuCount, workerCount: int("workerCount", 1, (n) => n >= 1 && n <= 10, "a whole number of workers from 1 to 10") };
    }
    const minWorkerCount = int("minWorkerCount", d.minWorkerCount, (n) => n >= 1 && n <= 10, "a whole number of workers from 1 to 10");
    const maxWorkerCount = int("maxWorkerCount", d.maxWorkerCount, (n) => n >= 1 && n <= 10, "a whole number of workers from 1 to 10");
    const scaleInCpuPercent = int("scaleInCpuPercent", d.scaleInCpuPercent, (n) => n >= 1 && n <= 100, "a CPU percentage from 1 to 100");
    const scaleOutCpuPercent = int("scaleOutCpuPercent", d.scaleOutCpuPercent, (n) => n >= 1 && n <= 100, "a CPU percentage from 1 to 100");
    if (minWorkerCount > maxWorkerCount) {
        r.problem("capacity.minWorkerCount", minWorkerCount, `must not exceed capacity.maxWorkerCount (${maxWorkerCount}).`);
    }
    if (scaleInCpuPercent >= scaleOutCpuPercent) {
        r.problem("capacity.scaleInCpuPercent", scaleInCpuPercent, `must be below capacity.scaleOutCpuPercent (${scaleOutCpuPercent}), or the workers scale in and out in a loop.`);
    }
    return { mode, mcuCount, minWorkerCount, maxWorkerCount, scaleInCpuPercent, scaleOutCpuPercent };
}

function parseDoctorSilence(r: Reader): string[] {
    const value = r.json("doctorSilence");
    if (value === undefined) return [];
    const list = Array.isArray(value) ? value : typeof value === "string" ? value.split(",").map((s) => s.trim()) : [value];
    const allowed: readonly string[] = WARNING_RULES;
    for (const item of list) {
        if (typeof item !== "string" || !allowed.includes(item)) {
            const close = typeof item === "string" ? nearest(item, allowed) : undefined;
            r.problem("doctorSilence", item, `expected warning rule names from: ${allowed.join(", ")} (errors cannot be silenced).${close ? ` Did you mean "${close}"?` : ""}`);
        }
    }
    return list.filter((i): i is string => typeof i === "string" && allowed.includes(i));
}

/**
 * Validate and type the raw stack config. Throws `StackConfigError` listing every problem.
 */
export function parseStackConfig(raw: RawConfig, options: ParseOptions): StackSettings {
    const r = new Reader(raw);
    const secretKeys = new Set(options.secretKeys ?? []);
    const baseDir = options.baseDir ?? process.cwd();

    // Unknown keys in our namespace (typos), credentials and unencrypted secrets anywhere.
    for (const key of Object.keys(raw)) {
        if (key.startsWith(`${PROJECT}:`)) {
            const name = key.slice(PROJECT.length + 1);
            if (!(SETTINGS as readonly string[]).includes(name)) {
                const close = nearest(name, SETTINGS);
                const shown = SECRET_NAME_PATTERN.test(name) ? "(redacted)" : raw[key];
                r.problem(key, shown, `is not a setting of this program.${close ? ` Did you mean "${PROJECT}:${close}"?` : ""} See the configuration table in README.md.`);
            }
        }
        if (AWS_CREDENTIAL_KEYS.includes(key)) {
            r.problem(key, "(redacted)", "credentials do not belong in stack config. Fix: `pulumi config rm " + key + "` and use the ambient AWS credential chain (AWS_PROFILE, SSO, or an instance/CI role).");
        } else if (!key.startsWith("aws:") && SECRET_NAME_PATTERN.test(key.split(":").pop() ?? "") && !secretKeys.has(key) && !/^(true|false|\d+)$/.test(raw[key])) {
            r.problem(key, "(redacted)", `looks like a secret but is stored in plain text. Fix: \`pulumi config set --secret ${key} <value>\`.`);
        }
    }

    // Region and account.
    const region = r.string("aws:region", { pattern: REGION, allowed: "an AWS region code such as us-east-2", required: "required: the region to deploy to, e.g. `pulumi config set aws:region us-east-2`." }) ?? "us-east-1";
    const accountId = r.string("accountId", { pattern: ACCOUNT, allowed: "the 12-digit AWS account id (quote it in YAML)", required: `required: the 12-digit account this stack deploys to, e.g. \`pulumi config set ${PROJECT}:accountId 123456789012\`.` }) ?? "000000000000";
    const allowed = r.json("aws:allowedAccountIds");
    const allowedList = Array.isArray(allowed) ? allowed.map(String) : typeof allowed === "string" ? [allowed] : [];
    if (allowed === undefined) {
        r.problem("aws:allowedAccountIds", undefined, `required so the AWS provider refuses to act on any other account: \`pulumi config set --path 'aws:allowedAccountIds[0]' ${accountId}\`.`);
    } else if (!allowedList.includes(accountId) || allowedList.some((a) => !ACCOUNT.test(a))) {
        r.problem("aws:allowedAccountIds", allowed, `expected a list of 12-digit account ids that includes ${PROJECT}:accountId (${accountId}).`);
    }
    const partition = partitionOf(region);

    // Buckets.
    const bucket = (name: string, def: string): string => {
        const value = r.string(name, { default: def }) ?? def;
        if (!isValidBucketName(value)) {
            r.problem(name, value, "expected an S3 bucket name: 3-63 characters of lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit.");
        }
        return value;
    };
    const pluginsBucket = { name: bucket("pluginsBucket", `msk-lab-${accountId}-plugins-bucket`), create: r.boolean("createPluginsBucket", false) };
    const targetBucket = { name: bucket("targetBucket", `msk-lab-${accountId}-target-bucket`), create: r.boolean("createTargetBucket", false) };
    const retainBucketsOnDestroy = r.boolean("retainBucketsOnDestroy", true);
    const kmsKeyArn = r.string("kmsKeyArn", { pattern: KMS_KEY_ARN, allowed: "a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)" });

    // Plugin artifact.
    const version = r.string("pluginVersion", { default: DEFAULTS.pluginVersion, pattern: VERSION, allowed: "a version such as 10.5.15" }) ?? DEFAULTS.pluginVersion;
    const sha256 = (r.string("pluginSha256", {
        pattern: SHA256,
        allowed: "64 lower-case hex digits: the SHA-256 of the zip you vetted (`sha256sum <zip>`)",
        required: "required: the SHA-256 the connector zip must have before it is uploaded (`sha256sum confluentinc-kafka-connect-s3-<version>.zip`).",
    }) ?? PLACEHOLDER_SHA256);
    const localPath = r.string("pluginLocalPath");
    let source: PluginSource;
    if (localPath !== undefined) {
        if (r.has("pluginUrl")) {
            r.problem("pluginUrl", raw[r.full("pluginUrl")], `set either ${PROJECT}:pluginUrl or ${PROJECT}:pluginLocalPath, not both.`);
        }
        const resolved = path.resolve(baseDir, localPath);
        if (!fs.existsSync(resolved) || !fs.statSync(resolved).isFile()) {
            r.problem("pluginLocalPath", localPath, `expected a path to the connector zip on this machine; ${resolved} is not a file.`);
        } else if (!resolved.endsWith(".zip")) {
            r.problem("pluginLocalPath", localPath, "expected a .zip file (MSK Connect custom plugins here are ZIP archives).");
        }
        source = { kind: "local", path: resolved, sha256 };
    } else {
        const url = r.string("pluginUrl", { default: DEFAULTS.pluginUrlTemplate.replace(/\{version\}/g, version) }) ?? "";
        let ok = false;
        try {
            const parsed = new URL(url);
            ok = parsed.protocol === "https:" && parsed.username === "" && parsed.password === "";
        } catch {
            ok = false;
        }
        if (!ok) r.problem("pluginUrl", url, "expected an https:// URL with no user name or password in it (a mirror of the connector zip).");
        source = { kind: "download", url, sha256 };
    }
    const names = pluginNames(version);
    const cacheDir = path.resolve(baseDir, r.string("pluginCacheDir", { default: DEFAULTS.pluginCacheDir }) ?? DEFAULTS.pluginCacheDir);

    // Cluster and connector.
    const mskClusterName = r.string("mskClusterName", { default: DEFAULTS.mskClusterName, pattern: MSK_NAME, allowed: "an MSK cluster name: 1-64 letters, digits and hyphens" }) ?? DEFAULTS.mskClusterName;
    const connectorName = r.string("connectorName", { default: DEFAULTS.connectorName, pattern: CONNECTOR_NAME, allowed: "1-128 characters of letters, digits, '.', '_' and '-', starting with a letter or digit" }) ?? DEFAULTS.connectorName;
    const topics = parseTopics(r);
    const flushSizeRecords = r.integer("flushSize", DEFAULTS.flushSizeRecords, 1, 2 ** 31 - 1, "records per S3 object");
    const tasksMax = r.integer("tasksMax", DEFAULTS.tasksMax, 1, 1000, "connector tasks");
    const extraConnectorConfig = parseExtraConnectorConfig(r, secretKeys);
    const capacity = parseCapacity(r);
    const kafkaConnectVersion = r.oneOf("kafkaConnectVersion", KAFKA_CONNECT_VERSIONS, DEFAULTS.kafkaConnectVersion);

    const workerName = r.string("workerConfigurationName", { default: DEFAULTS.workerConfigurationName });
    let workerConfigurationName: string | undefined = workerName;
    if (workerName === "none") workerConfigurationName = undefined;
    else if (workerName !== undefined && !WORKER_CONFIG_NAME.test(workerName)) {
        r.problem("workerConfigurationName", workerName, 'expected a worker configuration name (1-128 letters, digits, ".", "_", "-"), or "none" for the MSK Connect default.');
    }

    // Execution role.
    const roleMode = r.oneOf("executionRole", ["lookup", "create"] as const, "lookup");
    const roleName = r.string("executionRoleName", { pattern: ROLE_NAME, allowed: "an IAM role name (1-64 characters of letters, digits and +=,.@_-)" });
    const rolePrefix = r.string("executionRoleNamePrefix", { default: DEFAULTS.executionRoleNamePrefix, pattern: /^[\w+=,.@-]{1,63}$/, allowed: "the start of an IAM role name" }) ?? DEFAULTS.executionRoleNamePrefix;
    let executionRole: ExecutionRoleSettings;
    if (roleMode === "create") {
        for (const k of ["executionRoleName", "executionRoleNamePrefix"]) {
            if (r.has(k)) r.problem(k, raw[r.full(k)], `only applies when ${PROJECT}:executionRole is "lookup"; remove it, or set executionRole to "lookup".`);
        }
        executionRole = { mode: "create" };
    } else if (roleName !== undefined) {
        if (r.has("executionRoleNamePrefix")) r.problem("executionRoleNamePrefix", rolePrefix, "set either executionRoleName or executionRoleNamePrefix, not both.");
        executionRole = { mode: "lookup", name: roleName };
    } else {
        executionRole = { mode: "lookup", namePrefix: rolePrefix };
    }

    // Log group.
    const logMode = r.oneOf("logGroup", ["lookup", "create"] as const, "lookup");
    const logGroupName = r.string("logGroupName", { default: DEFAULTS.logGroupName, pattern: LOG_GROUP, allowed: "a CloudWatch log group name (1-512 characters of letters, digits and ._-/#)" }) ?? DEFAULTS.logGroupName;
    const retentionText = raw[r.full("logRetentionDays")];
    let retentionDays: number = DEFAULTS.logRetentionDays;
    if (retentionText !== undefined) {
        if (!LOG_RETENTION_DAYS.includes(Number(retentionText))) {
            r.problem("logRetentionDays", retentionText, `expected one of CloudWatch's retention periods in days: ${LOG_RETENTION_DAYS.join(", ")}.`);
        } else retentionDays = Number(retentionText);
    }
    const logKmsKeyArn = r.string("logKmsKeyArn", { pattern: KMS_KEY_ARN, allowed: "a KMS key ARN" });
    if (logMode === "lookup") {
        for (const k of ["logRetentionDays", "logKmsKeyArn"]) {
            if (r.has(k)) r.problem(k, raw[r.full(k)], `only applies when ${PROJECT}:logGroup is "create" (a looked-up group keeps its own settings); remove it or set logGroup to "create".`);
        }
    }

    // Verification.
    const query = r.string("verifyQuery", { default: DEFAULTS.verifyQuery }) ?? DEFAULTS.verifyQuery;
    if (!/^\s*select\s/i.test(query) || !/\bfrom\s+s3object\b/i.test(query)) {
        r.problem("verifyQuery", query, "expected an S3 Select query of the form SELECT ... FROM s3object s [WHERE ...] [LIMIT n].");
    } else if (Buffer.byteLength(query) > 256 * 1024) {
        r.problem("verifyQuery", `${query.slice(0, 40)}…`, "is longer than S3 Select's 256 KiB limit.");
    }
    const verifyTimeoutSeconds = r.integer("verifyTimeoutSeconds", DEFAULTS.verifyTimeoutSeconds, 1, 6 * 3600, "seconds to wait for the first object");
    const verifyPollIntervalSeconds = r.integer("verifyPollIntervalSeconds", DEFAULTS.verifyPollIntervalSeconds, 1, 600, "seconds between listings");
    if (verifyPollIntervalSeconds > verifyTimeoutSeconds) {
        r.problem("verifyPollIntervalSeconds", verifyPollIntervalSeconds, `must not exceed verifyTimeoutSeconds (${verifyTimeoutSeconds}).`);
    }
    const endpoint = r.string("verifyEndpoint", { pattern: /^https?:\/\/[^\s/@]+(:\d+)?\/?$/, allowed: "an http(s)://host[:port] URL of an S3-compatible server" });
    const verification: VerificationSettings = {
        enabled: r.boolean("verify", true),
        query,
        minRecords: r.integer("verifyMinRecords", DEFAULTS.verifyMinRecords, 0, 1_000_000, "records the query must return"),
        method: r.oneOf("verifyMethod", ["auto", "select", "get"] as const, DEFAULTS.verifyMethod),
        timeoutSeconds: verifyTimeoutSeconds,
        pollIntervalSeconds: verifyPollIntervalSeconds,
        prefix: "",
        ...(endpoint ? { endpoint } : {}),
    };

    // Doctor.
    const silence = parseDoctorSilence(r);
    const expectedRecordsPerSecond = r.number("expectedRecordsPerSecond", DEFAULTS.expectedRecordsPerSecond, 0.001, "records per second on the topic, for the flush-size estimate");

    const lab = labConnectorConfiguration({ region, bucketName: targetBucket.name, topics, flushSizeRecords, tasksMax });
    const connectorConfiguration = mergeConnectorConfiguration(lab, extraConnectorConfig);
    const findings = diagnoseConnectorConfiguration(connectorConfiguration, {
        region,
        bucketName: targetBucket.name,
        verifyTimeoutSeconds: verification.enabled ? verifyTimeoutSeconds : undefined,
        expectedRecordsPerSecond,
        silence,
    });
    for (const f of findings.filter((x) => x.severity === "error")) {
        r.problems.push({ key: `${PROJECT}:extraConnectorConfig["${f.key}"]`, value: f.value, message: `[${f.rule}] ${f.message}` });
    }
    const defaultPrefix = sinkPrefix(connectorConfiguration, topics[0]);
    const prefix = r.string("verifyPrefix", { default: defaultPrefix }) ?? defaultPrefix;
    if (prefix.startsWith("/") || prefix.includes("..")) {
        r.problem("verifyPrefix", prefix, 'expected an S3 key prefix with no leading "/" or "..", e.g. topics/<topic>/partition=0/.');
    }

    if (r.problems.length > 0) {
        const warnings = findings.filter((f) => f.severity === "warning").map((f) => `${PROJECT}:extraConnectorConfig["${f.key}"]: ${formatFinding(f)}`);
        throw new StackConfigError(options.stack, r.problems, warnings);
    }

    return {
        stack: options.stack,
        region,
        accountId,
        partition,
        pluginsBucket,
        targetBucket,
        retainBucketsOnDestroy,
        ...(kmsKeyArn ? { kmsKeyArn } : {}),
        plugin: { version, source, objectKey: names.objectKey, customPluginName: names.customPluginName, cacheDir },
        mskClusterName,
        connectorName,
        topics,
        flushSizeRecords,
        tasksMax,
        extraConnectorConfig,
        connectorConfiguration,
        capacity,
        kafkaConnectVersion,
        ...(workerConfigurationName ? { workerConfigurationName } : {}),
        executionRole,
        logGroup: { mode: logMode, name: logGroupName, retentionDays, ...(logKmsKeyArn ? { kmsKeyArn: logKmsKeyArn } : {}) },
        verification: { ...verification, prefix },
        doctor: { silence, expectedRecordsPerSecond },
        warnings: findings.filter((f) => f.severity === "warning"),
    };
}

/** Which of `keys` hold Pulumi secrets in the running program's config. */
function runtimeSecretKeys(keys: readonly string[]): string[] {
    // The SDK keeps this check internal; it reads the secret-key list Pulumi hands every program.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const runtimeConfig = require("@pulumi/pulumi/runtime/config") as { isConfigSecret?: (key: string) => boolean };
    return keys.filter((k) => runtimeConfig.isConfigSecret?.(k) === true);
}

/** Read and validate the running stack's config. Throws `StackConfigError` before any resource exists. */
export function loadStackSettings(): StackSettings {
    const raw = pulumi.runtime.allConfig();
    return parseStackConfig(raw, {
        stack: pulumi.getStack(),
        secretKeys: runtimeSecretKeys(Object.keys(raw)),
        baseDir: process.cwd(),
    });
}
