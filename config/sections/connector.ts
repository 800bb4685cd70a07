/**
 * Section "connector": the cluster, the connector's name and topics, the lab's first-class connector
 * settings, the extra connector keys (which may not override a first-class setting), the Kafka Connect
 * version, the worker configuration, what to adopt, and the doctor's own settings (its run over the merged
 * configuration is in `connectorConfiguration.ts`).
 */
import { nearest, show } from "../../common";
import { WARNING_RULES } from "../../doctor";
import { CONNECTOR_NAME, MSK_NAME, TOPIC, WORKER_CONFIG_NAME } from "../patterns";
import type { Reader } from "../reader";
import { ADOPTABLE, KAFKA_CONNECT_VERSIONS, PROJECT, SETTINGS } from "../settings";
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
    | "workerConfigurationRevision"
    | "doctor"
    | "adoptExisting"
>;

/**
 * Connector keys that a first-class setting sets: an override in extraConnectorConfig would disagree with
 * the role, the verification or the doctor, which follow the setting. Each names what to use instead.
 */
export const FIRST_CLASS_KEYS: Readonly<Record<string, string>> = {
    topics: `set ${PROJECT}:topics instead (the execution role and the verification follow it)`,
    "topics.regex": `name the topics in ${PROJECT}:topics instead (the execution role and the verification need their names)`,
    "flush.size": `set ${PROJECT}:flushSize instead`,
    "tasks.max": `set ${PROJECT}:tasksMax instead`,
    "s3.bucket.name": `set ${PROJECT}:targetBucket instead (the execution role and the verification follow it)`,
    "s3.region": "it follows aws:region; set that instead",
    "connector.class": "this program deploys the Confluent S3 sink (io.confluent.connect.s3.S3SinkConnector) and sets it itself",
};

export function readConnector(r: Reader): ConnectorSettings {
    const mskClusterName =
        r.string("mskClusterName", { pattern: MSK_NAME, allowed: "an MSK cluster name: 1-64 letters, digits and hyphens" }) ??
        SETTINGS.mskClusterName.default;
    const connectorName =
        r.string("connectorName", {
            pattern: CONNECTOR_NAME,
            allowed: "1-128 characters of letters, digits, '.', '_' and '-', starting with a letter or digit",
        }) ?? SETTINGS.connectorName.default;
    const workerConfigurationName = readWorkerConfigurationName(r);
    return {
        mskClusterName,
        connectorName,
        topics: readTopics(r),
        flushSizeRecords: r.integer("flushSize", 1, 2 ** 31 - 1, "records per S3 object"),
        tasksMax: r.integer("tasksMax", 1, 1000, "connector tasks"),
        extraConnectorConfig: readExtraConnectorConfig(r),
        kafkaConnectVersion: r.oneOf("kafkaConnectVersion", KAFKA_CONNECT_VERSIONS, sameMinorVersion),
        ...(workerConfigurationName ? { workerConfigurationName } : {}),
        workerConfigurationRevision: readWorkerConfigurationRevision(r),
        adoptExisting: readNames(r, "adoptExisting", ADOPTABLE, "what to adopt"),
        doctor: {
            silence: readNames(r, "doctorSilence", WARNING_RULES, "warning rule names (errors cannot be silenced)"),
            expectedRecordsPerSecond: r.number(
                "expectedRecordsPerSecond",
                0.001,
                "records per second on the topic, for the flush-size estimate",
            ),
        },
    };
}

/** The Kafka Connect version with the same major.minor (`3.7.1` → `3.7.x`), never one merely spelled alike. */
function sameMinorVersion(value: string): (typeof KAFKA_CONNECT_VERSIONS)[number] | undefined {
    const minor = (v: string) => /^\s*(\d+)\.(\d+)(\.|$)/.exec(v)?.slice(1, 3).join(".");
    return KAFKA_CONNECT_VERSIONS.find((v) => minor(v) === minor(value));
}

function readTopics(r: Reader): string[] {
    const defaults = [...SETTINGS.topics.default];
    const value = r.json("topics");
    if (value === undefined) return defaults;
    let list: unknown[];
    // A topic may be all digits: a YAML list item 2024 arrives as a number, a scalar 2024 as its text.
    if (Array.isArray(value)) list = value.map((t) => (typeof t === "number" && Number.isSafeInteger(t) && t >= 0 ? String(t) : t));
    else if (typeof value !== "object" || value === null)
        list = r
            .text("topics")!
            .split(",")
            .map((t) => t.trim());
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

function readExtraConnectorConfig(r: Reader): Record<string, string> {
    const value = r.json("extraConnectorConfig");
    if (r.isSecret("extraConnectorConfig")) {
        // A secret here means someone wants to pass credentials through the connector config; the doctor
        // rejects credential keys, and non-credential values need no secrecy.
        r.problem(
            "extraConnectorConfig",
            "(secret)",
            "is a Pulumi secret, but MSK Connect shows the connector configuration in plain text to anyone who can describe the connector. Put no secrets here: the connector reaches S3 through its execution role.",
        );
    }
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
        const key = `extraConnectorConfig["${k}"]`;
        if (k in FIRST_CLASS_KEYS)
            r.problem(
                key,
                v,
                `a first-class setting sets \`${k}\`, and it wins: ${FIRST_CLASS_KEYS[k]}. Remove \`${k}\` from extraConnectorConfig.`,
            );
        else if (typeof v === "string") out[k] = v;
        else if (typeof v === "number" || typeof v === "boolean") out[k] = String(v);
        else r.problem(key, v, "expected a string, number or boolean value.");
    }
    return out;
}

function readWorkerConfigurationName(r: Reader): string | undefined {
    const name = r.string("workerConfigurationName");
    if (name === "none") return undefined;
    if (name !== undefined && !WORKER_CONFIG_NAME.test(name) && !r.isOpaque("workerConfigurationName")) {
        r.problem(
            "workerConfigurationName",
            name,
            'expected a worker configuration name (1-128 letters, digits, ".", "_", "-"), or "none" for the MSK Connect default.',
        );
    }
    return name;
}

/** A pinned revision number, or "latest" (the default). */
function readWorkerConfigurationRevision(r: Reader): number | "latest" {
    const value = r.json("workerConfigurationRevision");
    if (value === undefined || value === "latest") return "latest";
    const n = typeof value === "number" ? value : typeof value === "string" && /^\d+$/.test(value.trim()) ? Number(value) : NaN;
    if (Number.isInteger(n) && n >= 1) return n;
    r.problem(
        "workerConfigurationRevision",
        value,
        'expected a revision number (an integer ≥ 1, as `aws kafkaconnect describe-worker-configuration` lists it) or "latest".',
    );
    return "latest";
}

/** A list of names from a closed set, as a YAML list or a comma-separated string; each unknown one is a problem. */
function readNames<T extends string>(r: Reader, name: "adoptExisting" | "doctorSilence", allowed: readonly T[], what: string): T[] {
    const value = r.json(name);
    if (value === undefined) return [];
    const list = Array.isArray(value) ? value : typeof value === "string" ? value.split(",").map((s) => s.trim()) : [value];
    const known = (item: unknown): item is T => typeof item === "string" && (allowed as readonly string[]).includes(item);
    for (const item of list.filter((i) => !known(i))) {
        const close = typeof item === "string" ? nearest(item, allowed) : undefined;
        r.problem(name, item, `expected ${what} from: ${allowed.join(", ")}.${close ? ` Did you mean "${close}"?` : ""}`);
    }
    return list.filter(known);
}
