/**
 * The connector configuration: the lab's block built from stack settings, and the "doctor" that checks a
 * merged configuration against the Confluent S3 sink 10.5.x definitions before anything is created.
 *
 * Pure functions only: no Pulumi, no I/O.
 */
import { nearest, SECRET_NAME_PATTERN, show } from "../lib/text";

export const S3_SINK_CONNECTOR_CLASS = "io.confluent.connect.s3.S3SinkConnector";

/** Inputs that the lab's configuration block takes from the stack. */
export interface LabConnectorInputs {
    readonly region: string;
    readonly bucketName: string;
    readonly topics: readonly string[];
    readonly flushSizeRecords: number;
    readonly tasksMax: number;
}

/**
 * The lab's connector configuration (REFERENCE §1), key for key and in the lab's order, with the region,
 * target bucket, topics, flush size and task count taken from the stack.
 */
export function labConnectorConfiguration(inputs: LabConnectorInputs): Record<string, string> {
    return {
        "connector.class": S3_SINK_CONNECTOR_CLASS,
        "s3.region": inputs.region,
        "flush.size": String(inputs.flushSizeRecords),
        "schema.compatibility": "NONE",
        "tasks.max": String(inputs.tasksMax),
        topics: inputs.topics.join(","),
        "value.converter.schemas.enable": "false",
        "format.class": "io.confluent.connect.s3.format.json.JsonFormat",
        "partitioner.class": "io.confluent.connect.storage.partitioner.DefaultPartitioner",
        "key.converter": "org.apache.kafka.connect.storage.StringConverter",
        "value.converter": "org.apache.kafka.connect.json.JsonConverter",
        "storage.class": "io.confluent.connect.s3.storage.S3Storage",
        "s3.bucket.name": inputs.bucketName,
    };
}

/** The lab's block with the stack's extra keys merged over it (extra keys win). */
export function mergeConnectorConfiguration(
    lab: Record<string, string>,
    extra: Readonly<Record<string, string>>,
): Record<string, string> {
    return { ...lab, ...extra };
}

// ---------------------------------------------------------------------------------------------------
// The doctor
// ---------------------------------------------------------------------------------------------------

export type Severity = "error" | "warning";

/** One thing the doctor found. `rule` is stable and is what `doctorSilence` names. */
export interface Finding {
    readonly severity: Severity;
    readonly rule: string;
    readonly key: string;
    readonly value: string | undefined;
    readonly message: string;
}

/** What the doctor needs to know about the stack besides the configuration itself. */
export interface DoctorContext {
    readonly region: string;
    readonly bucketName: string;
    /** Seconds the post-deploy verification waits for the first object; undefined when it is off. */
    readonly verifyTimeoutSeconds?: number;
    /** Records per second the source topic is expected to carry (for the flush-size estimate). */
    readonly expectedRecordsPerSecond: number;
    /** Warning rules switched off by the stack (`doctorSilence`). Errors cannot be silenced. */
    readonly silence?: readonly string[];
}

/** Warning rules that `doctorSilence` may name. */
export const WARNING_RULES = [
    "unknown-key",
    "tombstones-fail-task",
    "rotate-schedule-breaks-exactly-once",
    "wallclock-breaks-exactly-once",
    "flush-size-outlasts-verification",
    "credentials-provider-class",
    "worker-config-provider",
] as const;

const FORMAT_CLASSES = [
    "io.confluent.connect.s3.format.json.JsonFormat",
    "io.confluent.connect.s3.format.avro.AvroFormat",
    "io.confluent.connect.s3.format.parquet.ParquetFormat",
    "io.confluent.connect.s3.format.bytearray.ByteArrayFormat",
];
const TIME_BASED_PARTITIONERS = [
    "io.confluent.connect.storage.partitioner.TimeBasedPartitioner",
    "io.confluent.connect.storage.partitioner.HourlyPartitioner",
    "io.confluent.connect.storage.partitioner.DailyPartitioner",
];
const PARTITIONER_CLASSES = [
    "io.confluent.connect.storage.partitioner.DefaultPartitioner",
    "io.confluent.connect.storage.partitioner.FieldPartitioner",
    ...TIME_BASED_PARTITIONERS,
];

/** Keys with a closed set of values. */
const ENUMS: Record<string, readonly string[]> = {
    "format.class": FORMAT_CLASSES,
    "partitioner.class": PARTITIONER_CLASSES,
    "storage.class": ["io.confluent.connect.s3.storage.S3Storage"],
    "schema.compatibility": ["NONE", "BACKWARD", "FORWARD", "FULL"],
    "s3.compression.type": ["none", "gzip"],
    "behavior.on.null.values": ["fail", "ignore", "write"],
    "errors.tolerance": ["none", "all"],
    "timestamp.extractor": ["Wallclock", "Record", "RecordField"],
};

/** Integer keys, with their smallest allowed value. */
const INTEGERS: Record<string, number> = {
    "flush.size": 1,
    "tasks.max": 1,
    "s3.part.size": 5 * 1024 * 1024,
    "s3.part.retries": 0,
    "s3.retry.backoff.ms": 0,
    "retry.backoff.ms": 0,
    "rotate.interval.ms": -1,
    "rotate.schedule.interval.ms": -1,
    "filename.offset.zero.pad.width": 0,
    "partition.duration.ms": -1,
    "s3.compression.level": -1,
    "shutdown.timeout.ms": 0,
    "schema.cache.size": 0,
};
const INT_MAX = 2 ** 31 - 1;

const BOOLEANS = [
    "s3.wan.mode",
    "s3.path.style.access.enabled",
    "s3.elastic.buffer.enable",
    "store.kafka.keys",
    "store.kafka.headers",
    "enhanced.avro.schema.support",
    "connect.meta.data",
    "errors.log.enable",
    "errors.log.include.messages",
    "value.converter.schemas.enable",
    "key.converter.schemas.enable",
];

/** Keys the S3 sink 10.5.x and the Kafka Connect framework define (prefix families are below). */
const KNOWN_KEYS = new Set<string>([
    // Kafka Connect connector keys
    "name", "connector.class", "tasks.max", "topics", "topics.regex", "key.converter", "value.converter",
    "header.converter", "transforms", "predicates", "config.action.reload", "errors.retry.timeout",
    "errors.retry.delay.max.ms", "errors.tolerance", "errors.log.enable", "errors.log.include.messages",
    "errors.deadletterqueue.topic.name", "errors.deadletterqueue.topic.replication.factor",
    "errors.deadletterqueue.context.headers.enable",
    // storage-common and partitioner
    "storage.class", "topics.dir", "store.url", "directory.delim", "file.delim", "format.class",
    "flush.size", "rotate.interval.ms", "rotate.schedule.interval.ms", "schema.compatibility",
    "schema.cache.size", "enhanced.avro.schema.support", "connect.meta.data", "retry.backoff.ms",
    "shutdown.timeout.ms", "filename.offset.zero.pad.width", "partitioner.class", "partition.field.name",
    "partition.duration.ms", "path.format", "locale", "timezone", "timestamp.extractor", "timestamp.field",
    "avro.codec", "parquet.codec",
    // S3 sink
    "s3.bucket.name", "s3.region", "s3.part.size", "s3.credentials.provider.class", "s3.ssea.name",
    "s3.sse.customer.key", "s3.sse.kms.key.id", "s3.acl.canned", "s3.wan.mode", "s3.compression.type",
    "s3.compression.level", "s3.part.retries", "s3.retry.backoff.ms", "s3.http.send.expect.continue",
    "s3.proxy.url", "s3.proxy.user", "s3.proxy.password", "s3.path.style.access.enabled",
    "s3.elastic.buffer.enable", "s3.elastic.buffer.init.capacity", "s3.object.tagging",
    "s3.object.behavior.on.tagging.error", "s3.schema.partition.affix.type", "format.bytearray.extension",
    "format.bytearray.separator", "behavior.on.null.values", "store.kafka.keys", "store.kafka.headers",
    "keys.format.class", "headers.format.class", "json.decimal.format", "aws.access.key.id",
    "aws.secret.access.key",
]);

/** Prefix families whose members are passed through to another class and are not checked here. */
const KNOWN_PREFIXES = [
    "key.converter.", "value.converter.", "header.converter.", "transforms.", "predicates.",
    "consumer.override.", "producer.override.", "admin.override.", "s3.credentials.provider.",
    "format.", "avro.", "parquet.",
];

/** Keys that carry credentials; MSK Connect's execution role is the way to grant access. */
const CREDENTIAL_KEYS = ["aws.access.key.id", "aws.secret.access.key", "s3.proxy.password", "s3.sse.customer.key"];

/** Config provider classes that ship with Apache Kafka itself, and so are on every worker's class path. */
export const KAFKA_BUILTIN_CONFIG_PROVIDERS = [
    "org.apache.kafka.common.config.provider.FileConfigProvider",
    "org.apache.kafka.common.config.provider.DirectoryConfigProvider",
    "org.apache.kafka.common.config.provider.EnvVarConfigProvider",
];

function finding(severity: Severity, rule: string, key: string, value: string | undefined, message: string): Finding {
    return { severity, rule, key, value, message };
}

function isKnownKey(key: string): boolean {
    return KNOWN_KEYS.has(key) || KNOWN_PREFIXES.some((p) => key.startsWith(p) && key.length > p.length);
}

function isInteger(text: string): boolean {
    return /^-?\d+$/.test(text.trim());
}

/**
 * A Debezium-style topic name: `<server>.<database>.<table>` (Debezium's default topic naming). Such topics
 * carry a tombstone after every DELETE unless `tombstones.on.delete=false` was set on the source.
 */
export function looksLikeCdcTopic(topic: string): boolean {
    return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(topic);
}

/**
 * Check a merged connector configuration. Returns every finding, errors and warnings alike; warnings the
 * stack silenced are left out.
 */
export function diagnoseConnectorConfiguration(config: Readonly<Record<string, string>>, ctx: DoctorContext): Finding[] {
    const found: Finding[] = [];
    const get = (key: string): string | undefined => (key in config ? config[key] : undefined);

    // Required keys.
    for (const key of ["connector.class", "s3.bucket.name", "format.class", "flush.size", "storage.class"]) {
        const value = get(key);
        if (value === undefined || value.trim() === "") {
            found.push(finding("error", "missing-required-key", key, value,
                `\`${key}\` is required by the S3 sink and is missing or empty. Fix: remove the override that blanks it, or set it in extraConnectorConfig.`));
        }
    }

    // Exactly one of topics / topics.regex.
    const topics = get("topics");
    const topicsRegex = get("topics.regex");
    const hasTopics = topics !== undefined && topics.trim() !== "";
    const hasRegex = topicsRegex !== undefined && topicsRegex.trim() !== "";
    if (hasTopics && hasRegex) {
        found.push(finding("error", "topics-exclusive", "topics.regex", topicsRegex,
            `both \`topics\` (${show(topics)}) and \`topics.regex\` are set; Kafka Connect accepts exactly one. Fix: drop \`topics.regex\` from extraConnectorConfig, or set the stack's topics instead.`));
    } else if (!hasTopics && !hasRegex) {
        found.push(finding("error", "topics-exclusive", "topics", topics,
            "neither `topics` nor `topics.regex` is set; the sink would read nothing. Fix: set msk-s3-sink:topics."));
    }

    // Connector class.
    const connectorClass = get("connector.class");
    if (connectorClass !== undefined && connectorClass.trim() !== "" && connectorClass !== S3_SINK_CONNECTOR_CLASS) {
        found.push(finding("error", "connector-class", "connector.class", connectorClass,
            `this program deploys the Confluent S3 sink; \`connector.class\` must be \`${S3_SINK_CONNECTOR_CLASS}\`. Fix: remove connector.class from extraConnectorConfig.`));
    }

    // Closed sets of values.
    for (const [key, allowed] of Object.entries(ENUMS)) {
        const value = get(key);
        if (value === undefined || value.trim() === "" || allowed.includes(value)) continue;
        const close = nearest(value, allowed);
        found.push(finding("error", "invalid-value", key, value,
            `${show(value)} is not a value \`${key}\` accepts; allowed: ${allowed.join(", ")}.${close ? ` Did you mean \`${close}\`?` : ""}`));
    }

    // Numbers.
    for (const [key, min] of Object.entries(INTEGERS)) {
        const value = get(key);
        if (value === undefined) continue;
        if (!isInteger(value)) {
            found.push(finding("error", "not-a-number", key, value,
                `\`${key}\` must be a whole number; got ${show(value)}.`));
            continue;
        }
        const n = Number(value);
        if (n < min || n > INT_MAX) {
            const unit = key === "s3.part.size" ? ` (${min} bytes = 5 MiB, S3's smallest multipart part)` : "";
            found.push(finding("error", "out-of-range", key, value,
                `\`${key}\` must be at least ${min}${unit} and at most ${INT_MAX}; got ${value}.`));
        }
    }
    for (const key of BOOLEANS) {
        const value = get(key);
        if (value !== undefined && !/^(true|false)$/i.test(value.trim())) {
            found.push(finding("error", "not-a-boolean", key, value, `\`${key}\` must be true or false; got ${show(value)}.`));
        }
    }

    // Agreement with the stack.
    const region = get("s3.region");
    if (region !== undefined && region !== ctx.region) {
        found.push(finding("error", "stack-mismatch", "s3.region", region,
            `\`s3.region\` is ${show(region)} but the stack deploys to ${show(ctx.region)} (aws:region). Fix: remove s3.region from extraConnectorConfig; the program sets it from aws:region.`));
    }
    const bucket = get("s3.bucket.name");
    if (bucket !== undefined && bucket.trim() !== "" && bucket !== ctx.bucketName) {
        found.push(finding("error", "stack-mismatch", "s3.bucket.name", bucket,
            `\`s3.bucket.name\` is ${show(bucket)} but the stack's target bucket is ${show(ctx.bucketName)}; the execution role and the verification use the stack's. Fix: set msk-s3-sink:targetBucket instead of overriding s3.bucket.name.`));
    }

    // Credentials.
    for (const [key, value] of Object.entries(config)) {
        const isCredential = CREDENTIAL_KEYS.includes(key) || (SECRET_NAME_PATTERN.test(key) && !key.endsWith(".class"));
        if (isCredential && value.trim() !== "") {
            found.push(finding("error", "credentials-in-config", key, "(redacted)",
                `\`${key}\` puts a credential into the connector configuration, which MSK Connect shows to anyone who can describe the connector. Fix: remove it; the connector reaches S3 through its service execution role.`));
        }
    }
    const provider = get("s3.credentials.provider.class");
    if (provider !== undefined && provider !== "com.amazonaws.auth.DefaultAWSCredentialsProviderChain") {
        found.push(finding("warning", "credentials-provider-class", "s3.credentials.provider.class", provider,
            "a custom credentials provider bypasses the execution role's temporary credentials. Fix: remove it unless you need cross-account access."));
    }

    // Unknown keys.
    const known = [...KNOWN_KEYS];
    for (const key of Object.keys(config)) {
        if (isKnownKey(key)) continue;
        const close = nearest(key, known);
        found.push(finding("warning", "unknown-key", key, config[key],
            `\`${key}\` is not a setting of the S3 sink 10.5.x or of Kafka Connect and will be ignored.${close ? ` Did you mean \`${close}\`?` : ""}`));
    }

    // Tombstones.
    const nullBehavior = get("behavior.on.null.values") ?? "fail";
    const cdcTopics = hasTopics ? topics!.split(",").map((t) => t.trim()).filter(looksLikeCdcTopic) : [];
    if (nullBehavior === "fail" && cdcTopics.length > 0) {
        found.push(finding("warning", "tombstones-fail-task", "behavior.on.null.values", get("behavior.on.null.values"),
            `${cdcTopics.join(", ")} look${cdcTopics.length === 1 ? "s" : ""} like a Debezium topic, which carries a tombstone (null value) after every DELETE; with behavior.on.null.values=fail (the sink's default) the first one fails the task. Fix: set behavior.on.null.values=ignore in extraConnectorConfig, or silence this with doctorSilence if the source sets tombstones.on.delete=false.`));
    }

    // Exactly-once.
    const schedule = get("rotate.schedule.interval.ms");
    if (schedule !== undefined && isInteger(schedule) && Number(schedule) > 0) {
        found.push(finding("warning", "rotate-schedule-breaks-exactly-once", "rotate.schedule.interval.ms", schedule,
            "scheduled rotation closes files by wall-clock time, so a task restart can write the same records into differently named objects (no exactly-once). Fix: use rotate.interval.ms (record time) instead, or accept duplicates downstream."));
    }
    const partitioner = get("partitioner.class");
    if (get("timestamp.extractor") === "Wallclock" && partitioner !== undefined && TIME_BASED_PARTITIONERS.includes(partitioner)) {
        found.push(finding("warning", "wallclock-breaks-exactly-once", "timestamp.extractor", "Wallclock",
            `the Wallclock extractor with ${partitioner.split(".").pop()} puts re-delivered records into whichever time partition is current (no exactly-once). Fix: use timestamp.extractor=Record or RecordField.`));
    }

    // Flush size against the verification's patience.
    const flush = get("flush.size");
    if (ctx.verifyTimeoutSeconds !== undefined && flush !== undefined && isInteger(flush) && Number(flush) >= 1) {
        let secondsToFirstObject = Number(flush) / ctx.expectedRecordsPerSecond;
        if (schedule !== undefined && isInteger(schedule) && Number(schedule) > 0) {
            secondsToFirstObject = Math.min(secondsToFirstObject, Number(schedule) / 1000);
        }
        if (secondsToFirstObject > ctx.verifyTimeoutSeconds) {
            found.push(finding("warning", "flush-size-outlasts-verification", "flush.size", flush,
                `at about ${ctx.expectedRecordsPerSecond} record(s)/s the first object needs ~${Math.round(secondsToFirstObject)} s, longer than the verification waits (${ctx.verifyTimeoutSeconds} s), so \`pulumi up\` would fail on a healthy connector. Fix: lower msk-s3-sink:flushSize, raise msk-s3-sink:verifyTimeoutSeconds, or set msk-s3-sink:expectedRecordsPerSecond to the topic's real rate.`));
        }
    }

    const silenced = new Set(ctx.silence ?? []);
    return found.filter((f) => f.severity === "error" || !silenced.has(f.rule));
}

/**
 * Check a worker configuration's properties file for config providers the S3 sink zip does not ship.
 * Returns warnings (the worker may still start if the class is on its class path by other means).
 */
export function diagnoseWorkerProperties(workerName: string, propertiesText: string, silence: readonly string[] = []): Finding[] {
    if (silence.includes("worker-config-provider")) return [];
    const found: Finding[] = [];
    for (const raw of propertiesText.split(/\r?\n/)) {
        const line = raw.trim();
        if (line === "" || line.startsWith("#") || line.startsWith("!")) continue;
        const match = /^(config\.providers\.[^.=:\s]+\.class)\s*[=:]\s*(.+)$/.exec(line);
        if (!match) continue;
        const [, key, className] = match;
        if (KAFKA_BUILTIN_CONFIG_PROVIDERS.includes(className.trim())) continue;
        found.push(finding("warning", "worker-config-provider", key, className.trim(),
            `worker configuration ${show(workerName)} names the config provider ${className.trim()}, which the Confluent S3 sink zip does not contain; the workers can fail to start with ClassNotFoundException. Fix: set msk-s3-sink:workerConfigurationName to a configuration without it (or "none"), or add the provider's jar to the plugin zip.`));
    }
    return found;
}

/** One line per finding, for logs and the plan. */
export function formatFinding(f: Finding): string {
    const value = f.value === undefined ? "" : ` = ${show(f.value)}`;
    return `${f.severity} [${f.rule}] ${f.key}${value}: ${f.message}`;
}
