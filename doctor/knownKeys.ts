/** What the Confluent S3 sink 10.5.x and the Kafka Connect framework define: keys, value sets and ranges. */
import { editDistance } from "../common";

export const FORMAT_CLASSES = [
    "io.confluent.connect.s3.format.json.JsonFormat",
    "io.confluent.connect.s3.format.avro.AvroFormat",
    "io.confluent.connect.s3.format.parquet.ParquetFormat",
    "io.confluent.connect.s3.format.bytearray.ByteArrayFormat",
];
export const TIME_BASED_PARTITIONERS = [
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
export const ENUMS: Record<string, readonly string[]> = {
    "format.class": FORMAT_CLASSES,
    "partitioner.class": PARTITIONER_CLASSES,
    "storage.class": ["io.confluent.connect.s3.storage.S3Storage"],
    "schema.compatibility": ["NONE", "BACKWARD", "FORWARD", "FULL"],
    "s3.compression.type": ["none", "gzip"],
    "behavior.on.null.values": ["fail", "ignore", "write"],
    "errors.tolerance": ["none", "all"],
    "timestamp.extractor": ["Wallclock", "Record", "RecordField"],
};

/** Keys whose set of values a fully-qualified class name extends (a custom TimestampExtractor). */
export const CLASS_EXTENSIBLE = ["timestamp.extractor"];
export const JAVA_CLASS_NAME = /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)+$/;

/** Integer keys, with their smallest allowed value. */
export const INTEGERS: Record<string, number> = {
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
export const INT_MAX = 2 ** 31 - 1;

export const BOOLEANS = [
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
export const KNOWN_KEYS = new Set<string>([
    // Kafka Connect connector keys
    "name",
    "connector.class",
    "tasks.max",
    "topics",
    "topics.regex",
    "key.converter",
    "value.converter",
    "header.converter",
    "transforms",
    "predicates",
    "config.action.reload",
    "errors.retry.timeout",
    "errors.retry.delay.max.ms",
    "errors.tolerance",
    "errors.log.enable",
    "errors.log.include.messages",
    "errors.deadletterqueue.topic.name",
    "errors.deadletterqueue.topic.replication.factor",
    "errors.deadletterqueue.context.headers.enable",
    // storage-common and partitioner
    "storage.class",
    "topics.dir",
    "store.url",
    "directory.delim",
    "file.delim",
    "format.class",
    "flush.size",
    "rotate.interval.ms",
    "rotate.schedule.interval.ms",
    "schema.compatibility",
    "schema.cache.size",
    "enhanced.avro.schema.support",
    "connect.meta.data",
    "retry.backoff.ms",
    "shutdown.timeout.ms",
    "filename.offset.zero.pad.width",
    "partitioner.class",
    "partition.field.name",
    "partition.duration.ms",
    "path.format",
    "locale",
    "timezone",
    "timestamp.extractor",
    "timestamp.field",
    "avro.codec",
    "parquet.codec",
    // S3 sink
    "s3.bucket.name",
    "s3.region",
    "s3.part.size",
    "s3.credentials.provider.class",
    "s3.ssea.name",
    "s3.sse.customer.key",
    "s3.sse.kms.key.id",
    "s3.acl.canned",
    "s3.wan.mode",
    "s3.compression.type",
    "s3.compression.level",
    "s3.part.retries",
    "s3.retry.backoff.ms",
    "s3.http.send.expect.continue",
    "s3.proxy.url",
    "s3.proxy.user",
    "s3.proxy.password",
    "s3.path.style.access.enabled",
    "s3.elastic.buffer.enable",
    "s3.elastic.buffer.init.capacity",
    "s3.object.tagging",
    "s3.object.behavior.on.tagging.error",
    "s3.schema.partition.affix.type",
    "format.bytearray.extension",
    "format.bytearray.separator",
    "behavior.on.null.values",
    "store.kafka.keys",
    "store.kafka.headers",
    "keys.format.class",
    "headers.format.class",
    "json.decimal.format",
    "aws.access.key.id",
    "aws.secret.access.key",
]);

/** Prefix families whose members are passed through to another class and are not checked here. */
export const KNOWN_PREFIXES = [
    "key.converter.",
    "value.converter.",
    "header.converter.",
    "transforms.",
    "predicates.",
    "consumer.override.",
    "producer.override.",
    "admin.override.",
    "s3.credentials.provider.",
    "format.",
    "avro.",
    "parquet.",
];

/** Config provider classes that ship with Apache Kafka itself, and so are on every worker's class path. */
export const KAFKA_BUILTIN_CONFIG_PROVIDERS = [
    "org.apache.kafka.common.config.provider.FileConfigProvider",
    "org.apache.kafka.common.config.provider.DirectoryConfigProvider",
    "org.apache.kafka.common.config.provider.EnvVarConfigProvider",
];

/** The known key closest to `key` by edit distance, and that distance. */
export function closestKnownKey(key: string): { key: string; distance: number } | undefined {
    let best: { key: string; distance: number } | undefined;
    for (const known of KNOWN_KEYS) {
        const distance = editDistance(key, known);
        if (best === undefined || distance < best.distance) best = { key: known, distance };
    }
    return best;
}

export function isKnownKey(key: string): boolean {
    return KNOWN_KEYS.has(key) || KNOWN_PREFIXES.some((p) => key.startsWith(p) && key.length > p.length);
}

export function isInteger(text: string): boolean {
    return /^-?\d+$/.test(text.trim());
}

/**
 * A Debezium-style topic name: `<server>.<database>.<table>` (Debezium's default topic naming). Such topics
 * carry a tombstone after every DELETE unless `tombstones.on.delete=false` was set on the source.
 */
export function looksLikeCdcTopic(topic: string): boolean {
    return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(topic);
}
