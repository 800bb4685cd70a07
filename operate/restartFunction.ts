/**
 * The auto-restart function's body (deployed as a Lambda by components/autoRestart.ts, run here by the
 * tests): read the alarm (DescribeAlarms on its own alarm), the memory (its own SSM parameter), the
 * connector when the alarm is on, decide (autoRestart.ts), request the restart through the same refusals
 * as `npm run connector -- restart` without waiting for it, and store the memory. Every client is made
 * here from the environment the function was given; nothing is captured.
 */
import { decideRestart, readMemory, RestartDecision, AlarmState } from "./autoRestart";
import { seeConnector, withKafkaConnect } from "./context";
import { runLifecycle } from "./lifecycle";

export interface RestartFunctionConfig {
    readonly connectorArn: string;
    readonly alarmName: string;
    readonly parameterName: string;
    readonly maxRestarts: number;
    readonly region: string;
    /** Between two looks, and the base of the retry back-off (tests shorten it). @default 15 */
    readonly pollIntervalSeconds?: number;
    /** Stand-ins for tests. @default AWS */
    readonly endpoints?: { readonly kafkaconnect?: string; readonly cloudwatch?: string; readonly ssm?: string };
}

export interface RestartOutcome extends Pick<RestartDecision, "action" | "reason"> {
    readonly alarm: AlarmState;
    readonly restarts: number;
    readonly operationArn?: string;
}

/** The configuration from the function's environment variables (set by the component). */
export function configFromEnvironment(env: NodeJS.ProcessEnv): RestartFunctionConfig {
    const need = (k: string) => {
        const v = env[k];
        if (!v) throw new Error(`the auto-restart function needs the environment variable ${k}`);
        return v;
    };
    return {
        connectorArn: need("CONNECTOR_ARN"),
        alarmName: need("ALARM_NAME"),
        parameterName: need("STATE_PARAMETER"),
        maxRestarts: Number(need("MAX_RESTARTS")),
        region: need("AWS_REGION"),
    };
}

async function alarmState(cfg: RestartFunctionConfig): Promise<AlarmState> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const cw = require("@aws-sdk/client-cloudwatch") as typeof import("@aws-sdk/client-cloudwatch");
    const { CloudWatchClient, DescribeAlarmsCommand } = cw;
    const client = new CloudWatchClient({
        region: cfg.region,
        ...(cfg.endpoints?.cloudwatch ? { endpoint: cfg.endpoints.cloudwatch } : {}),
    });
    try {
        const answer = await client.send(new DescribeAlarmsCommand({ AlarmNames: [cfg.alarmName], AlarmTypes: ["MetricAlarm"] }));
        const state = answer.MetricAlarms?.[0]?.StateValue;
        if (!state) throw new Error(`the alarm ${cfg.alarmName} does not exist`);
        return state as AlarmState;
    } finally {
        client.destroy();
    }
}

function ssmClient(cfg: RestartFunctionConfig) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { SSMClient } = require("@aws-sdk/client-ssm") as typeof import("@aws-sdk/client-ssm");
    return new SSMClient({ region: cfg.region, ...(cfg.endpoints?.ssm ? { endpoint: cfg.endpoints.ssm } : {}) });
}

/** One invocation. `now` is the clock (tests control it). */
export async function runAutoRestart(cfg: RestartFunctionConfig, now: number = Date.now()): Promise<RestartOutcome> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { GetParameterCommand, PutParameterCommand } = require("@aws-sdk/client-ssm") as typeof import("@aws-sdk/client-ssm");
    const ssm = ssmClient(cfg);
    try {
        const stored = await ssm.send(new GetParameterCommand({ Name: cfg.parameterName }));
        const memory = readMemory(stored.Parameter?.Value);
        const alarm = await alarmState(cfg);
        const kc = {
            connector: cfg.connectorArn,
            region: cfg.region,
            timeoutSeconds: 30,
            ...(cfg.pollIntervalSeconds ? { pollIntervalSeconds: cfg.pollIntervalSeconds } : {}),
            ...(cfg.endpoints?.kafkaconnect ? { endpoint: cfg.endpoints.kafkaconnect } : {}),
        };
        const { decision, operationArn } = await withKafkaConnect(kc, async (api, arn) => {
            const connector = alarm === "ALARM" ? (await seeConnector(api, arn)).seen : undefined;
            const d = decideRestart({ now, alarm, memory, maxRestarts: cfg.maxRestarts, ...(connector ? { connector } : {}) });
            if (d.action !== "restart") return { decision: d };
            const started = await runLifecycle(api, arn, { action: "restart", onlyFailedTasks: d.onlyFailedTasks, wait: false });
            return { decision: d, operationArn: started.operationArn };
        });
        if (JSON.stringify(decision.memory) !== JSON.stringify(memory)) {
            await ssm.send(
                new PutParameterCommand({
                    Name: cfg.parameterName,
                    Value: JSON.stringify(decision.memory),
                    Overwrite: true,
                    Type: "String",
                }),
            );
        }
        return {
            action: decision.action,
            reason: decision.reason,
            alarm,
            restarts: decision.memory.restarts,
            ...(operationArn ? { operationArn } : {}),
        };
    } finally {
        ssm.destroy();
    }
}
