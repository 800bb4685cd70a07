/**
 * Every stack setting this program reads, declared once: its key, the section that parses it, its type and
 * default as the settings table in docs/configuration.md shows them, its default value, and a one-line meaning.
 *
 * The declarations drive the reader (a setting that is not declared cannot be read, and its default comes
 * from here), the unknown-key check with its "did you mean", and the test that keeps docs/configuration.md's table
 * equal to them.
 */
import type { AutoRestartSettings, CapacitySettings } from "./types";

export const PROJECT = "msk-s3-sink";

/** The parser's sections, in the order they run. */
export type Section = "account" | "plugin" | "connector" | "capacity" | "roleAndLogs" | "verification" | "operation" | "sinks";

export interface SettingDeclaration {
    readonly section: Section;
    /** The type, as the settings table (docs/configuration.md) shows it. */
    readonly type: string;
    /** The default, as the settings table shows it (code in backticks, prose in parentheses or plain). */
    readonly defaultText: string;
    /** The default value the reader applies, when it does not depend on other settings. */
    readonly default?: string | number | boolean | readonly string[] | CapacitySettings | AutoRestartSettings;
    /** One-line meaning (the settings table's). */
    readonly doc: string;
}

const CAPACITY_DEFAULT: CapacitySettings = {
    mode: "autoscaling",
    mcuCount: 1,
    minWorkerCount: 1,
    maxWorkerCount: 2,
    scaleInCpuPercent: 20,
    scaleOutCpuPercent: 80,
};

/** Settings in the AWS provider's namespace that this program reads itself. */
export const AWS_SETTINGS = {
    "aws:region": {
        section: "account",
        type: "string",
        defaultText: "(required)",
        doc: "Region to deploy to; also the connector's `s3.region`.",
    },
    "aws:allowedAccountIds": {
        section: "account",
        type: "list of strings",
        defaultText: "(required)",
        doc: "The AWS provider's guard; must contain `accountId`.",
    },
} as const satisfies Record<string, SettingDeclaration>;

/** Settings in this project's namespace (`msk-s3-sink:<name>`). */
export const SETTINGS = {
    accountId: {
        section: "account",
        type: "string (12 digits)",
        defaultText: "(required)",
        doc: "The account the stack deploys to; bucket names derive from it.",
    },
    pluginsBucket: {
        section: "account",
        type: "string",
        defaultText: "`msk-lab-<accountId>-plugins-bucket`",
        doc: "Bucket the connector zip is uploaded to.",
    },
    createPluginsBucket: {
        section: "account",
        type: "boolean",
        defaultText: "`false`",
        default: false,
        doc: "Create the plugins bucket (hardened, versioned) instead of looking it up.",
    },
    targetBucket: {
        section: "account",
        type: "string",
        defaultText: "`msk-lab-<accountId>-target-bucket`",
        doc: "Bucket the sink writes to (`s3.bucket.name`).",
    },
    createTargetBucket: {
        section: "account",
        type: "boolean",
        defaultText: "`false`",
        default: false,
        doc: "Create the target bucket (hardened, versioned) instead of looking it up.",
    },
    retainBucketsOnDestroy: {
        section: "account",
        type: "boolean",
        defaultText: "`true`",
        default: true,
        doc: "Keep created buckets and their data on `pulumi destroy`.",
    },
    emptyTargetBucketOnDestroy: {
        section: "account",
        type: "boolean",
        defaultText: "`false`",
        default: false,
        doc: "With `createTargetBucket` and `retainBucketsOnDestroy: false`: let `pulumi destroy` delete the target bucket with all its objects. Otherwise a destroy that finds objects there stops before deleting anything.",
    },
    kmsKeyArn: {
        section: "account",
        type: "string",
        defaultText: "(none: SSE-S3)",
        doc: "KMS key for created buckets, the plugin object and the created role's KMS grant.",
    },
    pluginVersion: {
        section: "plugin",
        type: "string `x.y.z`",
        defaultText: "`10.5.15`",
        default: "10.5.15",
        doc: "Confluent S3 sink version; the object key and plugin name follow it.",
    },
    pluginUrl: {
        section: "plugin",
        type: "https URL",
        defaultText: "Confluent Hub's CDN URL for the version",
        doc: "Where the zip is downloaded from (a mirror is fine).",
    },
    pluginSha256: {
        section: "plugin",
        type: "64 hex digits",
        defaultText: "(required)",
        doc: "Pinned SHA-256 of the zip; the upload is refused on mismatch.",
    },
    pluginLocalPath: { section: "plugin", type: "path", defaultText: "(none)", doc: "Use a zip on this machine instead of downloading." },
    pluginCacheDir: {
        section: "plugin",
        type: "path",
        defaultText: "`.artifacts`",
        default: ".artifacts",
        doc: "Where the downloaded zip is cached.",
    },
    customPluginName: {
        section: "plugin",
        type: "string",
        defaultText: "`confluentinc-kafka-connect-s3-<version with dashes>`",
        doc: "Name of the custom plugin the stack creates; give a second stack in the same account its own.",
    },
    pluginArn: {
        section: "plugin",
        type: "custom plugin ARN",
        defaultText: "(none: the stack creates its plugin)",
        doc: "Use a custom plugin another stack manages (checked ACTIVE at its latest revision), never adopted or deleted; nothing is uploaded.",
    },
    mskClusterName: {
        section: "connector",
        type: "string",
        defaultText: "`MSKCluster-mskconnectlab`",
        default: "MSKCluster-mskconnectlab",
        doc: "MSK cluster to look up.",
    },
    connectorName: {
        section: "connector",
        type: "string",
        defaultText: "`confluentinc-kafka-connect-s3`",
        default: "confluentinc-kafka-connect-s3",
        doc: "Connector name (1-128 characters).",
    },
    topics: {
        section: "connector",
        type: "string or list",
        defaultText: "`salesdb.salesdb.CUSTOMER`",
        default: ["salesdb.salesdb.CUSTOMER"],
        doc: "Topics the sink reads (`topics`).",
    },
    flushSize: {
        section: "connector",
        type: "integer 1-2147483647",
        defaultText: "`200`",
        default: 200,
        doc: "Records per S3 object (`flush.size`).",
    },
    tasksMax: { section: "connector", type: "integer 1-1000", defaultText: "`1`", default: 1, doc: "`tasks.max`." },
    extraConnectorConfig: {
        section: "connector",
        type: "map of strings",
        defaultText: "`{}`",
        doc: "Connector keys merged over the lab's (they win); checked by the doctor.",
    },
    capacity: {
        section: "capacity",
        type: "object",
        defaultText: "autoscaling, 1 MCU, 1-2 workers, scale in 20 %, out 80 %",
        default: CAPACITY_DEFAULT,
        doc: '`{"mode":"autoscaling","mcuCount","minWorkerCount","maxWorkerCount","scaleInCpuPercent","scaleOutCpuPercent"}` or `{"mode":"provisioned","mcuCount","workerCount"}`; MCU 1, 2, 4, 8; workers 1-10.',
    },
    kafkaConnectVersion: {
        section: "connector",
        type: "`2.7.1` or `3.7.x`",
        defaultText: "`2.7.1`",
        default: "2.7.1",
        doc: "Kafka Connect version.",
    },
    workerConfigurationName: {
        section: "connector",
        type: "string or `none`",
        defaultText: "`SourceAuroraDebeziumConnectorConfig`",
        default: "SourceAuroraDebeziumConnectorConfig",
        doc: "Worker configuration to look up, or none.",
    },
    workerConfigurationRevision: {
        section: "connector",
        type: "integer ≥ 1 or `latest`",
        defaultText: "`latest`",
        default: "latest",
        doc: "Revision of the worker configuration the connector runs. `latest` takes the newest at each run, so a revision someone adds later replaces the connector at the next `pulumi up`; pin a number to decide when.",
    },
    executionRole: {
        section: "roleAndLogs",
        type: "`lookup` or `create`",
        defaultText: "`lookup`",
        default: "lookup",
        doc: "Look the execution role up, or create a least-privilege one.",
    },
    executionRoleName: { section: "roleAndLogs", type: "string", defaultText: "(none)", doc: "Exact role name to look up." },
    executionRoleNamePrefix: {
        section: "roleAndLogs",
        type: "string",
        defaultText: "`mskconnectlab-S3ConnectorIAMRole-`",
        default: "mskconnectlab-S3ConnectorIAMRole-",
        doc: "Look up the one role whose name starts with this (fails unless exactly one matches).",
    },
    logGroup: {
        section: "roleAndLogs",
        type: "`lookup` or `create`",
        defaultText: "`lookup`",
        default: "lookup",
        doc: "Look the log group up, or create it.",
    },
    logGroupName: {
        section: "roleAndLogs",
        type: "string",
        defaultText: "`/msk-lab-target-s3sink-connector`",
        default: "/msk-lab-target-s3sink-connector",
        doc: "Log group for worker logs.",
    },
    logRetentionDays: {
        section: "roleAndLogs",
        type: "CloudWatch period",
        defaultText: "`30`",
        default: 30,
        doc: "Retention of a created log group.",
    },
    logKmsKeyArn: { section: "roleAndLogs", type: "string", defaultText: "(none)", doc: "KMS key of a created log group." },
    verify: { section: "verification", type: "boolean", defaultText: "`true`", default: true, doc: "Run the post-deploy verification." },
    verifyQuery: {
        section: "verification",
        type: "S3 Select SQL",
        defaultText: "`SELECT * FROM s3object s LIMIT 5`",
        default: "SELECT * FROM s3object s LIMIT 5",
        doc: "The query (the fallback evaluates `*`, `COUNT(*)`, paths, WHERE comparisons with AND/OR/NOT, LIMIT).",
    },
    verifyMinRecords: {
        section: "verification",
        type: "integer 0-1000000",
        defaultText: "`1`",
        default: 1,
        doc: "Records the query must return (for `COUNT(*)`, the count).",
    },
    verifyMethod: {
        section: "verification",
        type: "`auto`, `select`, `get`",
        defaultText: "`auto`",
        default: "auto",
        doc: "S3 Select then the GetObject fallback; only S3 Select; only GetObject.",
    },
    verifyTimeoutSeconds: {
        section: "verification",
        type: "integer 1-21600",
        defaultText: "`900`",
        default: 900,
        doc: "The whole verification's deadline: the connector check, waiting for the object and querying it.",
    },
    verifyPollIntervalSeconds: {
        section: "verification",
        type: "integer 1-600",
        defaultText: "`15`",
        default: 15,
        doc: "Seconds between listings.",
    },
    verifyPrefix: {
        section: "verification",
        type: "string",
        defaultText: "`topics/<first topic>/partition=0/`",
        doc: "Where to look (follows `topics.dir` and `directory.delim`).",
    },
    verifyEndpoint: { section: "verification", type: "URL", defaultText: "(AWS)", doc: "An S3-compatible server, for tests and demos." },
    verifyFreshData: {
        section: "verification",
        type: "boolean",
        defaultText: "`true`",
        default: true,
        doc: "Pass only on an object written since this deploy's connector configuration took effect; `false` accepts objects already there (a quiet topic).",
    },
    doctorSilence: {
        section: "connector",
        type: "list of rule names",
        defaultText: "`[]`",
        default: [],
        doc: "Doctor warnings to silence (errors cannot be).",
    },
    adoptExisting: {
        section: "connector",
        type: "list of `connector`, `customPlugin`, `buckets`",
        defaultText: "`[]`",
        default: [],
        doc: "Adopt the connector or custom plugin of our name that this stack does not manage (a connector only with its plugin), or (`buckets`) buckets the stack creates that already exist, e.g. kept by an earlier `pulumi destroy`: imported with the `import` resource option instead of created or stopping, then tagged as this stack's. Keep it as long as the stack manages what it adopted.",
    },
    expectedRecordsPerSecond: {
        section: "connector",
        type: "number ≥ 0.001",
        defaultText: "`1`",
        default: 1,
        doc: "Topic rate used to judge whether `flushSize` outlasts the verification.",
    },
    connectorState: {
        section: "operation",
        type: "`running` or `paused`",
        defaultText: "`running`",
        default: "running",
        doc: "The state `pulumi up` keeps the connector in: it pauses or resumes it and waits for the operation (a paused connector resumes from its committed offsets). Its configuration and capacity cannot change while paused.",
    },
    autoRestart: {
        section: "operation",
        type: "object `{enabled, maxRestarts}`",
        defaultText: '`{"enabled": false, "maxRestarts": 10}`',
        default: { enabled: false, maxRestarts: 10 } as AutoRestartSettings,
        doc: "Restart failed tasks without a person: an alarm on ErroredTaskCount and a function that restarts them with Strimzi's back-off (n²+n minutes, capped at 60), up to `maxRestarts` (1-100), then leaves the alarm on.",
    },
    alarmTopicArn: {
        section: "operation",
        type: "SNS topic ARN",
        defaultText: "(none)",
        doc: "With `autoRestart`: the topic in the stack's region and account that the errored-tasks alarm notifies.",
    },
    sinks: {
        section: "sinks",
        type: "map of sink name to settings",
        defaultText: "(one sink, `default`, from the keys above)",
        doc: "Several connectors sharing the plugin and cluster: each sink name (lowercase letters, digits, hyphens) maps to its own `topics`, `connectorName`, … (see \"Several sinks\"); what a sink leaves out it takes from the stack's keys. A sink's field changes its own connector as the stack-level key of that name does; adding or removing a sink changes no other.",
    },
} as const satisfies Record<string, SettingDeclaration>;

/**
 * The fields a sink may set for itself under `sinks.<name>`: each is read as the stack-level setting of its name.
 * What is not here (the plugin, the cluster, the worker configuration, the buckets' creation) is the stack's.
 */
export const SINK_FIELDS = [
    "topics",
    "connectorName",
    "flushSize",
    "tasksMax",
    "extraConnectorConfig",
    "capacity",
    "targetBucket",
    "executionRole",
    "executionRoleName",
    "executionRoleNamePrefix",
    "logGroup",
    "logGroupName",
    "verify",
    "verifyPrefix",
    "verifyQuery",
    "verifyMinRecords",
    "verifyMethod",
    "connectorState",
    "autoRestart",
    "doctorSilence",
    "expectedRecordsPerSecond",
] as const satisfies readonly (keyof typeof SETTINGS)[];

/** The sink whose resources keep the names of a single-sink stack (the single-sink keys make this one sink). */
export const DEFAULT_SINK = "default";

export type SettingName = keyof typeof SETTINGS;

/** The names of every setting in this project's namespace (for "did you mean"). */
export const SETTING_NAMES = Object.keys(SETTINGS) as SettingName[];

/** Every declaration by its full key (`msk-s3-sink:flushSize`, `aws:region`), in README order. */
export function declarationsByKey(): Record<string, SettingDeclaration> {
    const out: Record<string, SettingDeclaration> = { ...AWS_SETTINGS };
    for (const name of SETTING_NAMES) out[`${PROJECT}:${name}`] = SETTINGS[name];
    return out;
}

/** Defaults that are not one setting's own (templates and derived names), in one visible place. */
export const DEFAULTS = {
    pluginVersion: SETTINGS.pluginVersion.default,
    pluginUrlTemplate:
        "https://d2p6pa21dvn84.cloudfront.net/api/plugins/confluentinc/kafka-connect-s3/versions/{version}/confluentinc-kafka-connect-s3-{version}.zip",
    capacity: CAPACITY_DEFAULT,
} as const;

/** A digest of all zeros marks the example stack's placeholder: `pulumi up` will refuse the upload. */
export const PLACEHOLDER_SHA256 = "0".repeat(64);

export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];
export const MCU_COUNTS = [1, 2, 4, 8];
export const KAFKA_CONNECT_VERSIONS = ["2.7.1", "3.7.x"] as const;
/** What `adoptExisting` may name: the resources whose names are fixed, and so may already be taken. */
export const ADOPTABLE = ["connector", "customPlugin", "buckets"] as const;
/** The states `connectorState` may ask for. */
export const CONNECTOR_STATES = ["running", "paused"] as const;
export type Adoptable = (typeof ADOPTABLE)[number];

/** aws-namespace keys that hold credentials: never in stack config. */
export const AWS_CREDENTIAL_KEYS = ["aws:accessKey", "aws:secretKey", "aws:token"];

/**
 * The connector fields each setting ends up in (`common/replacements.ts` says whether a change to them replaces the
 * connector or updates it in place); a setting not listed changes nothing on the connector. The settings table's
 * "changing it later" column comes from this and that table; `tests/offline/replacements.test.ts` renders samples.
 */
export const CONNECTOR_FIELDS: Readonly<Record<string, readonly string[]>> = {
    "aws:region": ["provider"],
    accountId: ["serviceExecutionRoleArn", "connectorConfiguration"],
    pluginsBucket: ["plugins"],
    targetBucket: ["connectorConfiguration"],
    kmsKeyArn: ["plugins"],
    pluginVersion: ["plugins"],
    pluginSha256: ["plugins"],
    customPluginName: ["plugins"],
    pluginArn: ["plugins"],
    mskClusterName: ["kafkaCluster"],
    connectorName: ["name"],
    topics: ["connectorConfiguration"],
    flushSize: ["connectorConfiguration"],
    tasksMax: ["connectorConfiguration"],
    extraConnectorConfig: ["connectorConfiguration"],
    capacity: ["capacity"],
    kafkaConnectVersion: ["kafkaconnectVersion"],
    workerConfigurationName: ["workerConfiguration"],
    workerConfigurationRevision: ["workerConfiguration"],
    executionRole: ["serviceExecutionRoleArn"],
    executionRoleName: ["serviceExecutionRoleArn"],
    executionRoleNamePrefix: ["serviceExecutionRoleArn"],
    logGroup: ["logDelivery"],
    logGroupName: ["logDelivery"],
    adoptExisting: ["description"],
    connectorState: ["state"],
};
