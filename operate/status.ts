/**
 * `status`: what a person needs to trust (or distrust) the connector, each source said to be read or not:
 * DescribeConnector (state, its description, capacity, Kafka Connect version), the newest operations with
 * their outcome and failed steps, the task counts from CloudWatch, the age of the newest sink object, and
 * links to the console and the log group. The verdict comes first (verdict.ts).
 */
import type { CapacityDescription, DescribeConnectorResponse } from "@aws-sdk/client-kafkaconnect";
import { logGroupConsoleUrl } from "../common";
import { callKafkaConnect, KafkaConnectContext } from "../verification";
import { seeConnector } from "./context";
import { failedStepsOf } from "./lifecycle";
import { readTaskCounts, TaskCounts } from "./metrics";
import { NewestObject, readNewestObject, SinkLocation } from "./newestObject";
import { judge, Verdict } from "./verdict";

export interface StatusSources {
    readonly cloudWatchEndpoint?: string;
    readonly s3Endpoint?: string;
    readonly profile?: string;
    /** Where the sink writes; without it the newest object is not looked for. */
    readonly sink?: SinkLocation;
    /** How many of the newest operations to show. @default 5 */
    readonly operationsShown?: number;
    /** @default Date.now */
    readonly now?: () => number;
}

export interface OperationStatus {
    readonly arn: string;
    readonly type: string;
    readonly state: string;
    readonly creationTime?: string;
    readonly endTime?: string;
    readonly errorInfo?: { code?: string; message?: string };
    readonly failedSteps: string[];
}

export interface ConnectorStatus {
    readonly verdict: Verdict;
    readonly verdictLine: string;
    readonly connectorArn: string;
    readonly connectorName: string;
    readonly state: string;
    readonly stateDescription?: { code?: string; message?: string };
    /** The capacity in words (workers, MCUs, autoscaling bounds). */
    readonly capacity: string;
    readonly kafkaConnectVersion?: string;
    readonly operations: OperationStatus[];
    readonly tasks: TaskCounts;
    readonly newestObject: NewestObject;
    readonly consoleUrl: string;
    readonly logGroupName: string | null;
    readonly logGroupUrl: string | null;
    readonly checkedAt: string;
}

/** The capacity as a person reads it. */
export function capacityText(c: CapacityDescription | undefined): string {
    const a = c?.autoScaling;
    if (a) {
        return `autoscaling, ${a.minWorkerCount}-${a.maxWorkerCount} workers of ${a.mcuCount} MCU (scale in below ${a.scaleInPolicy?.cpuUtilizationPercentage ?? "?"} % CPU, out above ${a.scaleOutPolicy?.cpuUtilizationPercentage ?? "?"} %)`;
    }
    const p = c?.provisionedCapacity;
    return p ? `provisioned, ${p.workerCount} worker(s) of ${p.mcuCount} MCU` : "not reported";
}

/** The newest operations, with errorInfo and failed steps for those that did not complete. */
async function operationsStatus(
    api: KafkaConnectContext,
    ops: { arn: string; type: string; state: string; creationTime?: string }[],
): Promise<OperationStatus[]> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { DescribeConnectorOperationCommand } = require("@aws-sdk/client-kafkaconnect") as typeof import("@aws-sdk/client-kafkaconnect");
    const out: OperationStatus[] = [];
    for (const op of ops) {
        const d = await callKafkaConnect(api, { action: "DescribeConnectorOperation", resource: op.arn }, (abortSignal) =>
            api.client.send(new DescribeConnectorOperationCommand({ connectorOperationArn: op.arn }), { abortSignal }),
        );
        out.push({
            ...op,
            state: d.connectorOperationState ?? op.state,
            ...(d.endTime ? { endTime: d.endTime.toISOString() } : {}),
            ...(d.errorInfo ? { errorInfo: { code: d.errorInfo.code, message: d.errorInfo.message } } : {}),
            failedSteps: failedStepsOf(d),
        });
    }
    return out;
}

function stateDescriptionOf(d: DescribeConnectorResponse): { stateDescription?: { code?: string; message?: string } } {
    const sd = d.stateDescription;
    return sd?.code || sd?.message ? { stateDescription: { code: sd.code, message: sd.message } } : {};
}

/** Everything `status` shows; MSK Connect errors throw, CloudWatch and S3 problems become notes. */
export async function connectorStatus(api: KafkaConnectContext, arn: string, o: StatusSources = {}): Promise<ConnectorStatus> {
    const { seen, described, ref } = await seeConnector(api, arn);
    const operations = await operationsStatus(api, seen.operations.slice(0, o.operationsShown ?? 5));
    const remainingMs = () => Math.max(1000, api.deadline - Date.now());
    const tasks = await readTaskCounts({
        region: api.region,
        connectorName: seen.name,
        ...(o.cloudWatchEndpoint ? { endpoint: o.cloudWatchEndpoint } : {}),
        ...(o.profile ? { profile: o.profile } : {}),
        requestTimeoutMs: Math.min(api.requestTimeoutMs, remainingMs()),
        ...(o.now ? { now: o.now } : {}),
    });
    const newestObject: NewestObject = o.sink
        ? await readNewestObject(o.sink, {
              region: api.region,
              ...(o.s3Endpoint ? { endpoint: o.s3Endpoint } : {}),
              ...(o.profile ? { profile: o.profile } : {}),
              timeoutMs: remainingMs(),
              ...(o.now ? { now: o.now } : {}),
          })
        : { checked: false, note: "not looked for: give --stack (its target bucket and prefix) to see the newest sink object" };
    const verdict = judge({
        name: seen.name,
        state: seen.state,
        ...stateDescriptionOf(described),
        tasks,
        ...(operations[0] ? { newestOperation: operations[0] } : {}),
    });
    return {
        verdict: verdict.verdict,
        verdictLine: verdict.line,
        connectorArn: arn,
        connectorName: seen.name,
        state: seen.state,
        ...stateDescriptionOf(described),
        capacity: capacityText(described.capacity),
        ...(described.kafkaConnectVersion ? { kafkaConnectVersion: described.kafkaConnectVersion } : {}),
        operations,
        tasks,
        newestObject,
        consoleUrl: ref.consoleUrl,
        logGroupName: ref.logGroupName ?? null,
        logGroupUrl: ref.logGroupName ? logGroupConsoleUrl(api.region, ref.logGroupName) : null,
        checkedAt: new Date((o.now ?? Date.now)()).toISOString(),
    };
}
