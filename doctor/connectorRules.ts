/**
 * The connector-configuration doctor: checks a merged connector configuration against the Confluent S3 sink
 * 10.5.x definitions before anything is created. Each rule is a function of the configuration (and the
 * stack's context) that returns its findings; `diagnoseConnectorConfiguration` runs them in order.
 */
import { nearest, show } from "../common";
import { isCredentialKey, S3_SINK_CONNECTOR_CLASS } from "../sink";
import { DoctorContext, Finding, finding } from "./findings";
import {
    BOOLEANS,
    CLASS_EXTENSIBLE,
    ENUMS,
    INT_MAX,
    INTEGERS,
    isInteger,
    isKnownKey,
    JAVA_CLASS_NAME,
    KNOWN_KEYS,
    looksLikeCdcTopic,
    TIME_BASED_PARTITIONERS,
} from "./knownKeys";

type Config = Readonly<Record<string, string>>;
type Rule = (config: Config, ctx: DoctorContext) => Finding[];

const get = (config: Config, key: string): string | undefined => (key in config ? config[key] : undefined);
const isSet = (value: string | undefined): value is string => value !== undefined && value.trim() !== "";

/** A missing-required-key error for each of `keys` the configuration lacks or leaves empty. */
function missingKeys(config: Config, keys: readonly string[], why: (key: string) => string): Finding[] {
    return keys
        .filter((key) => !isSet(get(config, key)))
        .map((key) => finding("error", "missing-required-key", key, get(config, key), why(key)));
}

const requiredKeys: Rule = (config) =>
    missingKeys(
        config,
        ["connector.class", "s3.bucket.name", "format.class", "flush.size", "storage.class"],
        (key) =>
            `\`${key}\` is required by the S3 sink and is missing or empty. Fix: remove the override that blanks it, or set it in extraConnectorConfig.`,
    );

/** What each partitioner needs besides the class (the sink refuses to start without them). */
const PARTITIONER_NEEDS: Readonly<Record<string, readonly string[]>> = {
    "io.confluent.connect.storage.partitioner.TimeBasedPartitioner": ["path.format", "partition.duration.ms", "locale", "timezone"],
    "io.confluent.connect.storage.partitioner.HourlyPartitioner": ["locale", "timezone"],
    "io.confluent.connect.storage.partitioner.DailyPartitioner": ["locale", "timezone"],
    "io.confluent.connect.storage.partitioner.FieldPartitioner": ["partition.field.name"],
};

const partitionerSettings: Rule = (config) => {
    const partitioner = get(config, "partitioner.class");
    const needs = partitioner === undefined ? [] : (PARTITIONER_NEEDS[partitioner] ?? []);
    return missingKeys(
        config,
        needs,
        (key) =>
            `\`${key}\` is required with partitioner.class ${partitioner!.split(".").pop()}, and is missing or empty; the connector would fail to start. Fix: set it in extraConnectorConfig (${needs.join(", ")}), or keep the DefaultPartitioner.`,
    );
};

/** Converters whose values reach the partitioner as something other than a Struct. */
const UNSTRUCTURED_CONVERTERS = [
    "org.apache.kafka.connect.storage.StringConverter",
    "org.apache.kafka.connect.converters.ByteArrayConverter",
];

/** The FieldPartitioner reads its field from a Struct value; a schemaless value fails every record. */
const fieldPartitionerValues: Rule = (config) => {
    if (get(config, "partitioner.class") !== "io.confluent.connect.storage.partitioner.FieldPartitioner") return [];
    const converter = get(config, "value.converter")?.trim();
    const schemaless =
        converter === "org.apache.kafka.connect.json.JsonConverter" &&
        get(config, "value.converter.schemas.enable")?.trim().toLowerCase() === "false";
    if (!schemaless && !UNSTRUCTURED_CONVERTERS.includes(converter ?? "")) return [];
    const how = schemaless ? "JsonConverter with value.converter.schemas.enable=false" : converter!.split(".").pop();
    return [
        finding(
            "error",
            "field-partitioner-needs-struct",
            "partitioner.class",
            get(config, "partitioner.class"),
            `the FieldPartitioner reads partition.field.name from a Struct value, but ${how} hands it schemaless values, so every record would fail the task. Fix: keep the DefaultPartitioner (or a time-based one), or use a converter with schemas (value.converter.schemas.enable=true with schema-carrying JSON, or Avro).`,
        ),
    ];
};

/** Exactly one of topics / topics.regex. */
const topicsExclusive: Rule = (config) => {
    const topics = get(config, "topics");
    const topicsRegex = get(config, "topics.regex");
    if (isSet(topics) && isSet(topicsRegex)) {
        return [
            finding(
                "error",
                "topics-exclusive",
                "topics.regex",
                topicsRegex,
                `both \`topics\` (${show(topics)}) and \`topics.regex\` are set; Kafka Connect accepts exactly one. Fix: drop \`topics.regex\` from extraConnectorConfig, or set the stack's topics instead.`,
            ),
        ];
    }
    if (!isSet(topics) && !isSet(topicsRegex)) {
        return [
            finding(
                "error",
                "topics-exclusive",
                "topics",
                topics,
                "neither `topics` nor `topics.regex` is set; the sink would read nothing. Fix: set msk-s3-sink:topics.",
            ),
        ];
    }
    return [];
};

const connectorClass: Rule = (config) => {
    const value = get(config, "connector.class");
    if (!isSet(value) || value === S3_SINK_CONNECTOR_CLASS) return [];
    return [
        finding(
            "error",
            "connector-class",
            "connector.class",
            value,
            `this program deploys the Confluent S3 sink; \`connector.class\` must be \`${S3_SINK_CONNECTOR_CLASS}\`. Fix: remove connector.class from extraConnectorConfig.`,
        ),
    ];
};

/** Keys with a closed set of values. */
const closedSets: Rule = (config) =>
    Object.entries(ENUMS).flatMap(([key, allowed]) => {
        const value = get(config, key);
        const extensible = CLASS_EXTENSIBLE.includes(key);
        if (!isSet(value) || allowed.includes(value) || (extensible && JAVA_CLASS_NAME.test(value))) return [];
        const close = nearest(value, allowed);
        const orClass = extensible ? ", or a fully-qualified class name" : "";
        return [
            finding(
                "error",
                "invalid-value",
                key,
                value,
                `${show(value)} is not a value \`${key}\` accepts; allowed: ${allowed.join(", ")}${orClass}.${close ? ` Did you mean \`${close}\`?` : ""}`,
            ),
        ];
    });

const numbers: Rule = (config) =>
    Object.entries(INTEGERS).flatMap(([key, min]) => {
        const value = get(config, key);
        if (value === undefined) return [];
        if (!isInteger(value)) {
            return [finding("error", "not-a-number", key, value, `\`${key}\` must be a whole number; got ${show(value)}.`)];
        }
        const n = Number(value);
        if (n >= min && n <= INT_MAX) return [];
        const unit = key === "s3.part.size" ? ` (${min} bytes = 5 MiB, S3's smallest multipart part)` : "";
        return [
            finding("error", "out-of-range", key, value, `\`${key}\` must be at least ${min}${unit} and at most ${INT_MAX}; got ${value}.`),
        ];
    });

const booleans: Rule = (config) =>
    BOOLEANS.flatMap((key) => {
        const value = get(config, key);
        if (value === undefined || /^(true|false)$/i.test(value.trim())) return [];
        return [finding("error", "not-a-boolean", key, value, `\`${key}\` must be true or false; got ${show(value)}.`)];
    });

/** The region and bucket must be the stack's: the role and the verification use the stack's. */
const stackAgreement: Rule = (config, ctx) => {
    const found: Finding[] = [];
    const region = get(config, "s3.region");
    if (region !== undefined && region !== ctx.region) {
        found.push(
            finding(
                "error",
                "stack-mismatch",
                "s3.region",
                region,
                `\`s3.region\` is ${show(region)} but the stack deploys to ${show(ctx.region)} (aws:region). Fix: remove s3.region from extraConnectorConfig; the program sets it from aws:region.`,
            ),
        );
    }
    const bucket = get(config, "s3.bucket.name");
    if (isSet(bucket) && bucket !== ctx.bucketName) {
        found.push(
            finding(
                "error",
                "stack-mismatch",
                "s3.bucket.name",
                bucket,
                `\`s3.bucket.name\` is ${show(bucket)} but the stack's target bucket is ${show(ctx.bucketName)}; the execution role and the verification use the stack's. Fix: set msk-s3-sink:targetBucket instead of overriding s3.bucket.name.`,
            ),
        );
    }
    return found;
};

const credentials: Rule = (config) => {
    const found = Object.entries(config)
        .filter(([key, value]) => isCredentialKey(key) && value.trim() !== "")
        .map(([key]) =>
            finding(
                "error",
                "credentials-in-config",
                key,
                "(redacted)",
                `\`${key}\` puts a credential into the connector configuration, which MSK Connect shows to anyone who can describe the connector. Fix: remove it; the connector reaches S3 through its service execution role.`,
            ),
        );
    const provider = get(config, "s3.credentials.provider.class");
    if (provider !== undefined && provider !== "com.amazonaws.auth.DefaultAWSCredentialsProviderChain") {
        found.push(
            finding(
                "warning",
                "credentials-provider-class",
                "s3.credentials.provider.class",
                provider,
                "a custom credentials provider bypasses the execution role's temporary credentials. Fix: remove it unless you need cross-account access.",
            ),
        );
    }
    return found;
};

const unknownKeys: Rule = (config) => {
    const known = [...KNOWN_KEYS];
    return Object.keys(config)
        .filter((key) => !isKnownKey(key))
        .map((key) => {
            const close = nearest(key, known);
            return finding(
                "warning",
                "unknown-key",
                key,
                config[key],
                `\`${key}\` is not a setting of the S3 sink 10.5.x or of Kafka Connect and will be ignored.${close ? ` Did you mean \`${close}\`?` : ""}`,
            );
        });
};

const tombstones: Rule = (config) => {
    const topics = get(config, "topics");
    const nullBehavior = get(config, "behavior.on.null.values") ?? "fail";
    const cdcTopics = isSet(topics)
        ? topics
              .split(",")
              .map((t) => t.trim())
              .filter(looksLikeCdcTopic)
        : [];
    if (nullBehavior !== "fail" || cdcTopics.length === 0) return [];
    return [
        finding(
            "warning",
            "tombstones-fail-task",
            "behavior.on.null.values",
            get(config, "behavior.on.null.values"),
            `${cdcTopics.join(", ")} ${cdcTopics.length === 1 ? "looks like a Debezium topic, which carries" : "look like Debezium topics, which carry"} a tombstone (null value) after every DELETE; with behavior.on.null.values=fail (the sink's default) the first one fails the task. Fix: set behavior.on.null.values=ignore in extraConnectorConfig, or silence this with doctorSilence if the source sets tombstones.on.delete=false.`,
        ),
    ];
};

const exactlyOnce: Rule = (config) => {
    const found: Finding[] = [];
    const schedule = get(config, "rotate.schedule.interval.ms");
    if (schedule !== undefined && isInteger(schedule) && Number(schedule) > 0) {
        found.push(
            finding(
                "warning",
                "rotate-schedule-breaks-exactly-once",
                "rotate.schedule.interval.ms",
                schedule,
                "scheduled rotation closes files by wall-clock time, so a task restart can write the same records into differently named objects (no exactly-once). Fix: use rotate.interval.ms (record time) instead, or accept duplicates downstream.",
            ),
        );
    }
    const partitioner = get(config, "partitioner.class");
    if (get(config, "timestamp.extractor") === "Wallclock" && partitioner !== undefined && TIME_BASED_PARTITIONERS.includes(partitioner)) {
        found.push(
            finding(
                "warning",
                "wallclock-breaks-exactly-once",
                "timestamp.extractor",
                "Wallclock",
                `the Wallclock extractor with ${partitioner.split(".").pop()} puts re-delivered records into whichever time partition is current (no exactly-once). Fix: use timestamp.extractor=Record or RecordField.`,
            ),
        );
    }
    return found;
};

/** The flush size against the verification's patience. */
const flushVersusVerification: Rule = (config, ctx) => {
    const flush = get(config, "flush.size");
    if (ctx.verifyTimeoutSeconds === undefined || flush === undefined || !isInteger(flush) || Number(flush) < 1) return [];
    let secondsToFirstObject = Number(flush) / ctx.expectedRecordsPerSecond;
    const schedule = get(config, "rotate.schedule.interval.ms");
    if (schedule !== undefined && isInteger(schedule) && Number(schedule) > 0) {
        secondsToFirstObject = Math.min(secondsToFirstObject, Number(schedule) / 1000);
    }
    if (secondsToFirstObject <= ctx.verifyTimeoutSeconds) return [];
    return [
        finding(
            "warning",
            "flush-size-outlasts-verification",
            "flush.size",
            flush,
            `at about ${ctx.expectedRecordsPerSecond} record(s)/s the first object needs ~${Math.round(secondsToFirstObject)} s, longer than the verification waits (${ctx.verifyTimeoutSeconds} s), so \`pulumi up\` would fail on a healthy connector. Fix: lower msk-s3-sink:flushSize, raise msk-s3-sink:verifyTimeoutSeconds, or set msk-s3-sink:expectedRecordsPerSecond to the topic's real rate.`,
        ),
    ];
};

/** Every rule, in the order their findings are reported. */
const RULES: readonly Rule[] = [
    requiredKeys,
    partitionerSettings,
    fieldPartitionerValues,
    topicsExclusive,
    connectorClass,
    closedSets,
    numbers,
    booleans,
    stackAgreement,
    credentials,
    unknownKeys,
    tombstones,
    exactlyOnce,
    flushVersusVerification,
];

/**
 * Check a merged connector configuration. Returns every finding, errors and warnings alike; warnings the
 * stack silenced are left out.
 */
export function diagnoseConnectorConfiguration(config: Config, ctx: DoctorContext): Finding[] {
    const silenced = new Set(ctx.silence ?? []);
    return RULES.flatMap((rule) => rule(config, ctx)).filter((f) => f.severity === "error" || !silenced.has(f.rule));
}
