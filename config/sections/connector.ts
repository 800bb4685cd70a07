/**
 * Section "connector": the cluster, the connector's name and topics, the lab's first-class connector
 * settings, the extra connector keys, the Kafka Connect version, the worker configuration, and the doctor's
 * own settings (its run over the merged configuration is in `doctorRun.ts`).
 */
import { nearest, show } from "../../common";
import { WARNING_RULES } from "../../doctor";
import { CONNECTOR_NAME, MSK_NAME, TOPIC, WORKER_CONFIG_NAME } from "../patterns";
import type { Reader } from "../reader";
import { KAFKA_CONNECT_VERSIONS, SETTINGS } from "../settings";
import type { StackSettings } from "../types";

type ConnectorSettings = Pick<
    StackSettings,
    | "mskClusterName"
    | "connectorName"
    | "topics"
    | "flushSizeRecords"
    | "tasksMax"
    | "extraConnectorConfig"
    | "kafkaConnectVersion"
    | "workerConfigurationName"
    | "doctor"
>;

export function readConnector(r: Reader, secretKeys: ReadonlySet<string>): ConnectorSettings {
    const mskClusterName =
        r.string("mskClusterName", { pattern: MSK_NAME, allowed: "an MSK cluster name: 1-64 letters, digits and hyphens" }) ??
        SETTINGS.mskClusterName.default;
    const connectorName =
        r.string("connectorName", {
            pattern: CONNECTOR_NAME,
            allowed: "1-128 characters of letters, digits, '.', '_' and '-', starting with a letter or digit",
        }) ?? SETTINGS.connectorName.default;
    const topics = readTopics(r);
    const flushSizeRecords = r.integer("flushSize", 1, 2 ** 31 - 1, "records per S3 object");
    const tasksMax = r.integer("tasksMax", 1, 1000, "connector tasks");
    const extraConnectorConfig = readExtraConnectorConfig(r, secretKeys);
    const kafkaConnectVersion = r.oneOf("kafkaConnectVersion", KAFKA_CONNECT_VERSIONS);
    const workerConfigurationName = readWorkerConfigurationName(r);
    return {
        mskClusterName,
        connectorName,
        topics,
        flushSizeRecords,
        tasksMax,
        extraConnectorConfig,
        kafkaConnectVersion,
        ...(workerConfigurationName ? { workerConfigurationName } : {}),
        doctor: {
            silence: readDoctorSilence(r),
            expectedRecordsPerSecond: r.number(
                "expectedRecordsPerSecond",
                0.001,
                "records per second on the topic, for the flush-size estimate",
            ),
        },
    };
}

function readTopics(r: Reader): string[] {
    const defaults = [...SETTINGS.topics.default];
    const value = r.json("topics");
    if (value === undefined) return defaults;
    let list: unknown[];
    if (Array.isArray(value)) list = value;
    else if (typeof value === "string") list = value.split(",").map((t) => t.trim());
    else {
        r.problem("topics", value, "expected a topic name, a comma-separated list, or a YAML list of topic names.");
        return defaults;
    }
    const bad = list.filter((t) => typeof t !== "string" || !TOPIC.test(t));
    if (list.length === 0 || bad.length > 0) {
        r.problem(
            "topics",
            value,
            `expected one or more Kafka topic names (1-249 characters of letters, digits, ".", "_", "-")${bad.length ? `; not valid: ${bad.map((b) => show(b)).join(", ")}` : ""}.`,
        );
        return defaults;
    }
    if (new Set(list).size !== list.length) r.problem("topics", value, "lists a topic twice; name each topic once.");
    return list as string[];
}

function readExtraConnectorConfig(r: Reader, secretKeys: ReadonlySet<string>): Record<string, string> {
    const value = r.json("extraConnectorConfig");
    if (value === undefined) return {};
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
        r.problem(
            "extraConnectorConfig",
            value,
            'expected a map of connector setting to string value, e.g. {"behavior.on.null.values": "ignore"}.',
        );
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
        r.problem(
            "extraConnectorConfig",
            "(secret)",
            "is a Pulumi secret, but MSK Connect shows the connector configuration in plain text to anyone who can describe the connector. Put no secrets here: the connector reaches S3 through its execution role.",
        );
    }
    return out;
}

function readWorkerConfigurationName(r: Reader): string | undefined {
    const name = r.string("workerConfigurationName");
    if (name === "none") return undefined;
    if (name !== undefined && !WORKER_CONFIG_NAME.test(name)) {
        r.problem(
            "workerConfigurationName",
            name,
            'expected a worker configuration name (1-128 letters, digits, ".", "_", "-"), or "none" for the MSK Connect default.',
        );
    }
    return name;
}

function readDoctorSilence(r: Reader): string[] {
    const value = r.json("doctorSilence");
    if (value === undefined) return [];
    const list = Array.isArray(value) ? value : typeof value === "string" ? value.split(",").map((s) => s.trim()) : [value];
    const allowed: readonly string[] = WARNING_RULES;
    for (const item of list) {
        if (typeof item !== "string" || !allowed.includes(item)) {
            const close = typeof item === "string" ? nearest(item, allowed) : undefined;
            r.problem(
                "doctorSilence",
                item,
                `expected warning rule names from: ${allowed.join(", ")} (errors cannot be silenced).${close ? ` Did you mean "${close}"?` : ""}`,
            );
        }
    }
    return list.filter((i): i is string => typeof i === "string" && allowed.includes(i));
}
