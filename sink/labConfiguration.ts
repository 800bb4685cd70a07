/** The lab's connector configuration block, built from stack settings, and how extra keys merge over it. */

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
 * The lab's connector configuration, key for key and in the lab's order, with the region, target bucket,
 * topics, flush size and task count taken from the stack.
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
export function mergeConnectorConfiguration(lab: Record<string, string>, extra: Readonly<Record<string, string>>): Record<string, string> {
    return { ...lab, ...extra };
}
