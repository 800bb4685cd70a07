/**
 * The MSK Connect context an operation runs in: one client (the SDK's retries off; ours retry against the
 * deadline), one deadline for everything, the poll interval, and the connector resolved to its ARN.
 * Serialization-safe: the SDK is required when a context is opened.
 */
import type { DescribeConnectorResponse } from "@aws-sdk/client-kafkaconnect";
import { connectorConsoleUrl } from "../common";
import {
    callKafkaConnect,
    ConnectorRef,
    HEALTH_DEFAULTS,
    isConnectorArn,
    KafkaConnectContext,
    listConnectorOperations,
    makeKafkaConnectClient,
    newestOperationsFirst,
    resolveConnectorName,
} from "../verification";
import type { ConnectorSeen, OperationSeen } from "./refusals";

export interface OperateOptions {
    /** The connector's ARN or exact name. */
    readonly connector: string;
    readonly region: string;
    /** An MSK Connect-compatible server (the stand-in in tests). @default AWS */
    readonly endpoint?: string;
    /** @default the ambient credential chain */
    readonly profile?: string;
    /** The whole command's deadline, every wait and retry included. @default 900 */
    readonly timeoutSeconds?: number;
    /** Between two looks at an operation in progress. @default 15 */
    readonly pollIntervalSeconds?: number;
    /** One request's time-out. @default 20 */
    readonly requestTimeoutSeconds?: number;
    readonly onProgress?: (message: string) => void;
}

/** Open a context, run `f` with it and the connector's ARN, and destroy the client. */
export async function withKafkaConnect<T>(o: OperateOptions, f: (api: KafkaConnectContext, arn: string) => Promise<T>): Promise<T> {
    const timeoutSeconds = o.timeoutSeconds ?? HEALTH_DEFAULTS.timeoutSeconds;
    const requestTimeoutMs = Math.round((o.requestTimeoutSeconds ?? HEALTH_DEFAULTS.requestTimeoutSeconds) * 1000);
    const client = makeKafkaConnectClient({ region: o.region, endpoint: o.endpoint, profile: o.profile, requestTimeoutMs });
    const api: KafkaConnectContext = {
        client,
        deadline: Date.now() + timeoutSeconds * 1000,
        timeoutSeconds,
        requestTimeoutMs,
        pollMs: (o.pollIntervalSeconds ?? HEALTH_DEFAULTS.pollIntervalSeconds) * 1000,
        region: o.region,
        ...(o.endpoint ? { endpoint: o.endpoint } : {}),
        ...(o.profile ? { withProfile: true } : {}),
        ...(o.onProgress ? { onProgress: o.onProgress } : {}),
    };
    try {
        const arn = isConnectorArn(o.connector) ? o.connector : await resolveConnectorName(api, o.connector);
        return await f(api, arn);
    } finally {
        client.destroy();
    }
}

export async function describeConnector(api: KafkaConnectContext, arn: string): Promise<DescribeConnectorResponse> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { DescribeConnectorCommand } = require("@aws-sdk/client-kafkaconnect") as typeof import("@aws-sdk/client-kafkaconnect");
    return callKafkaConnect(api, { action: "DescribeConnector", resource: arn }, (abortSignal) =>
        api.client.send(new DescribeConnectorCommand({ connectorArn: arn }), { abortSignal }),
    );
}

/** Every operation of the connector, newest first. */
export async function operationsOf(api: KafkaConnectContext, arn: string): Promise<OperationSeen[]> {
    return newestOperationsFirst(await listConnectorOperations(api, arn)).map((op) => ({
        arn: op.connectorOperationArn ?? "(no ARN)",
        type: op.connectorOperationType ?? "(no type)",
        state: op.connectorOperationState ?? "(no state)",
        ...(op.creationTime ? { creationTime: op.creationTime.toISOString() } : {}),
    }));
}

/** The connector as the refusal rules see it: DescribeConnector and ListConnectorOperations. */
export async function seeConnector(
    api: KafkaConnectContext,
    arn: string,
): Promise<{ seen: ConnectorSeen; described: DescribeConnectorResponse; ref: ConnectorRef }> {
    const described = await describeConnector(api, arn);
    const operations = await operationsOf(api, arn);
    const name = described.connectorName ?? arn;
    const cw = described.logDelivery?.workerLogDelivery?.cloudWatchLogs;
    const ref: ConnectorRef = {
        arn,
        name,
        region: api.region,
        consoleUrl: connectorConsoleUrl(api.region, arn),
        ...(cw?.enabled !== false && cw?.logGroup ? { logGroupName: cw.logGroup } : {}),
    };
    const seen: ConnectorSeen = {
        name,
        state: described.connectorState ?? "(no state)",
        ...(described.kafkaConnectVersion ? { kafkaConnectVersion: described.kafkaConnectVersion } : {}),
        operations,
    };
    return { seen, described, ref };
}
