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
    isConnectorArn,
    KafkaConnectContext,
    KafkaConnectContextOptions,
    listConnectorOperations,
    newestOperationsFirst,
    openKafkaConnectContext,
    resolveConnectorName,
} from "../verification";
import type { ConnectorSeen, OperationSeen } from "./refusals";

export interface OperateOptions extends KafkaConnectContextOptions {
    /** The connector's ARN or exact name. */
    readonly connector: string;
}

/** Open a context, run `f` with it and the connector's ARN, and destroy the client. */
export async function withKafkaConnect<T>(o: OperateOptions, f: (api: KafkaConnectContext, arn: string) => Promise<T>): Promise<T> {
    const api = openKafkaConnectContext(o);
    try {
        const arn = isConnectorArn(o.connector) ? o.connector : await resolveConnectorName(api, o.connector);
        return await f(api, arn);
    } finally {
        api.client.destroy();
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
