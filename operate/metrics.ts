/**
 * The connector's task counts from CloudWatch: ErroredTaskCount and RunningTaskCount, which MSK Connect
 * publishes under the namespace `AWS/KafkaConnect` with the dimension `ConnectorName` (AWS docs, "Monitoring
 * Amazon MSK Connect"). The newest data point of the last 15 minutes counts; none, or a call that fails, is
 * said as such and never read as zero.
 */
export const METRICS_NAMESPACE = "AWS/KafkaConnect";
export const METRICS_DIMENSION = "ConnectorName";
/** How far back a data point still counts as the connector's present. */
export const METRICS_WINDOW_MINUTES = 15;

export interface TaskCounts {
    /** Tasks running, from the newest data point; null when there is none (or the call failed). */
    readonly running: number | null;
    /** Tasks that failed, from the newest data point; null when there is none (or the call failed). */
    readonly errored: number | null;
    /** When the newest data point of either was taken (ISO 8601). */
    readonly at?: string;
    /** Why a count is missing: no data points yet, or the call failed. */
    readonly note?: string;
}

export interface MetricsOptions {
    readonly region: string;
    readonly connectorName: string;
    /** A CloudWatch-compatible server (moto in tests). @default AWS */
    readonly endpoint?: string;
    readonly profile?: string;
    readonly requestTimeoutMs: number;
    /** @default Date.now */
    readonly now?: () => number;
}

function newest(r: { Timestamps?: Date[]; Values?: number[] } | undefined): { value: number; at: Date } | undefined {
    const points = (r?.Timestamps ?? []).map((at, i) => ({ at, value: r?.Values?.[i] })).filter((p) => typeof p.value === "number");
    points.sort((a, b) => b.at.getTime() - a.at.getTime());
    return points[0] as { value: number; at: Date } | undefined;
}

/** Both counts in one GetMetricData call; a failure becomes a note, not an error. */
export async function readTaskCounts(o: MetricsOptions): Promise<TaskCounts> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { CloudWatchClient, GetMetricDataCommand } = require("@aws-sdk/client-cloudwatch") as typeof import("@aws-sdk/client-cloudwatch");
    const client = new CloudWatchClient({
        region: o.region,
        ...(o.endpoint ? { endpoint: o.endpoint } : {}),
        ...(o.profile ? { profile: o.profile } : {}),
        maxAttempts: 2,
        requestHandler: {
            connectionTimeout: Math.min(o.requestTimeoutMs, 5000),
            requestTimeout: o.requestTimeoutMs,
            throwOnRequestTimeout: true,
        },
    });
    // The end is a minute ahead so that the current minute's data point is inside the window.
    const end = new Date((o.now ?? Date.now)() + 60_000);
    const query = (id: string, metric: string) => ({
        Id: id,
        MetricStat: {
            Metric: { Namespace: METRICS_NAMESPACE, MetricName: metric, Dimensions: [{ Name: METRICS_DIMENSION, Value: o.connectorName }] },
            Period: 60,
            Stat: "Maximum",
        },
    });
    try {
        const answer = await client.send(
            new GetMetricDataCommand({
                StartTime: new Date(end.getTime() - (METRICS_WINDOW_MINUTES + 1) * 60_000),
                EndTime: end,
                MetricDataQueries: [query("errored", "ErroredTaskCount"), query("running", "RunningTaskCount")],
                ScanBy: "TimestampDescending",
            }),
        );
        const byId = (id: string) => newest(answer.MetricDataResults?.find((r) => r.Id === id));
        const errored = byId("errored");
        const running = byId("running");
        const times = [errored?.at, running?.at].filter((d): d is Date => d !== undefined).map((d) => d.getTime());
        const missing = [errored ? "" : "ErroredTaskCount", running ? "" : "RunningTaskCount"].filter(Boolean);
        return {
            running: running?.value ?? null,
            errored: errored?.value ?? null,
            ...(times.length ? { at: new Date(Math.max(...times)).toISOString() } : {}),
            ...(missing.length
                ? {
                      note: `no ${missing.join(" or ")} data point in ${METRICS_NAMESPACE} for ${METRICS_DIMENSION}=${o.connectorName} in the last ${METRICS_WINDOW_MINUTES} minutes (MSK Connect publishes them once the connector's tasks run; a paused connector publishes none)`,
                  }
                : {}),
        };
    } catch (err) {
        const e = err as { name?: string; message?: string };
        return {
            running: null,
            errored: null,
            note: `CloudWatch could not be read (${e.name ?? "Error"}: ${(e.message ?? String(err)).split("\n")[0]}); reading the counts needs cloudwatch:GetMetricData`,
        };
    } finally {
        client.destroy();
    }
}
