/**
 * Auto-restart of failed tasks, opt-in (`autoRestart`): a CloudWatch alarm on the connector's
 * ErroredTaskCount (namespace AWS/KafkaConnect, dimension ConnectorName), and a function, written as a
 * `CallbackFunction` over the tested code in operate/ (restartFunction.ts, autoRestart.ts), that a schedule
 * runs every minute: while the alarm is on it restarts the failed tasks (the connector on Kafka Connect
 * below 3.7) with Strimzi's back-off up to `maxRestarts`, then leaves the alarm for a person. Its memory is
 * an SSM parameter of its own. Least privilege: the function may restart and describe this connector only,
 * read its own alarm, read and write its own parameter, and write its own logs.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { autoRestartFunctionName, autoRestartRuleName } from "../config";
import { configFromEnvironment, METRICS_DIMENSION, METRICS_NAMESPACE, runAutoRestart } from "../operate";
import type { PolicyDocument } from "./iamPolicies";

export interface AutoRestartArgs {
    readonly connectorName: string;
    readonly connectorArn: pulumi.Input<string>;
    readonly region: string;
    readonly accountId: string;
    readonly partition: string;
    readonly stack: string;
    /** Restarts before the function stops and leaves the alarm to a person. */
    readonly maxRestarts: number;
    /** SNS topic the alarm notifies (in the stack's region and account). @default none */
    readonly alarmTopicArn?: string;
    /** Retention of the function's own log group. @default 30 */
    readonly logRetentionDays?: number;
}

/** The names of what the component creates, derived from the connector's name (within AWS's limits). */
export function autoRestartNames(
    connectorName: string,
    stack: string,
): { functionName: string; ruleName: string; alarmName: string; parameterName: string } {
    return {
        functionName: autoRestartFunctionName(connectorName),
        ruleName: autoRestartRuleName(connectorName),
        alarmName: `${connectorName}-errored-tasks`,
        parameterName: `/msk-s3-sink/${stack}/${connectorName}/auto-restart`,
    };
}

export interface RestartFunctionPolicyInputs {
    readonly partition: string;
    readonly region: string;
    readonly accountId: string;
    readonly connectorArn: string;
    readonly alarmName: string;
    readonly parameterName: string;
    readonly functionName: string;
}

/** The function's permissions: this connector, its operations, its alarm, its parameter, its logs. Nothing else. */
export function restartFunctionPolicy(i: RestartFunctionPolicyInputs): PolicyDocument {
    const scope = `${i.partition}:%s:${i.region}:${i.accountId}`;
    const arn = (service: string, resource: string) => `arn:${scope.replace("%s", service)}:${resource}`;
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "RestartAndDescribeThisConnectorOnly",
                Effect: "Allow",
                Action: ["kafkaconnect:RestartConnector", "kafkaconnect:DescribeConnector", "kafkaconnect:ListConnectorOperations"],
                Resource: i.connectorArn,
            },
            {
                Sid: "DescribeThisConnectorsOperations",
                Effect: "Allow",
                Action: "kafkaconnect:DescribeConnectorOperation",
                Resource: `${i.connectorArn.replace(":connector/", ":connector-operation/")}/*`,
            },
            {
                Sid: "ReadItsOwnAlarm",
                Effect: "Allow",
                Action: "cloudwatch:DescribeAlarms",
                Resource: arn("cloudwatch", `alarm:${i.alarmName}`),
            },
            {
                Sid: "ItsOwnStateStore",
                Effect: "Allow",
                Action: ["ssm:GetParameter", "ssm:PutParameter"],
                Resource: arn("ssm", `parameter${i.parameterName}`),
            },
            {
                Sid: "ItsOwnLogs",
                Effect: "Allow",
                Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                Resource: arn("logs", `log-group:/aws/lambda/${i.functionName}:*`),
            },
        ],
    };
}

const LAMBDA_TRUST: PolicyDocument = {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
};

/** The function's body: the tested code in operate/, configured from its environment. */
export async function autoRestartHandler(): Promise<unknown> {
    const outcome = await runAutoRestart(configFromEnvironment(process.env));
    console.log(JSON.stringify(outcome));
    return outcome;
}

export class AutoRestart extends pulumi.ComponentResource {
    /** The alarm on ErroredTaskCount; it stays on for a person once the restarts are used up. */
    public readonly alarm: aws.cloudwatch.MetricAlarm;
    public readonly function: aws.lambda.CallbackFunction<Record<string, never>, unknown>;
    public readonly role: aws.iam.Role;
    /** Where the function keeps its restart count between invocations. */
    public readonly stateParameter: aws.ssm.Parameter;

    constructor(name: string, args: AutoRestartArgs, opts?: pulumi.ComponentResourceOptions) {
        super("msk-s3-sink:operate:AutoRestart", name, {}, opts);
        const child = { parent: this };
        const names = autoRestartNames(args.connectorName, args.stack);
        this.stateParameter = new aws.ssm.Parameter(
            `${name}-state`,
            {
                name: names.parameterName,
                type: "String",
                value: JSON.stringify({ restarts: 0 }),
                description: `Auto-restart memory of connector ${args.connectorName} (written by its function)`,
            },
            // The function writes it; a deploy does not put the count back.
            { ...child, ignoreChanges: ["value"] },
        );
        this.alarm = new aws.cloudwatch.MetricAlarm(
            `${name}-alarm`,
            {
                name: names.alarmName,
                alarmDescription: `Tasks of MSK Connect connector ${args.connectorName} have failed. Auto-restart (at most ${args.maxRestarts} restarts, then this alarm stays for a person): npm run connector -- status --connector ${args.connectorName} --region ${args.region}`,
                namespace: METRICS_NAMESPACE,
                metricName: "ErroredTaskCount",
                dimensions: { [METRICS_DIMENSION]: args.connectorName },
                statistic: "Maximum",
                period: 60,
                evaluationPeriods: 1,
                threshold: 0,
                comparisonOperator: "GreaterThanThreshold",
                // A paused connector publishes no metrics: missing data is not "healthy" (the count is kept).
                treatMissingData: "missing",
                alarmActions: args.alarmTopicArn ? [args.alarmTopicArn] : [],
                okActions: args.alarmTopicArn ? [args.alarmTopicArn] : [],
            },
            child,
        );
        const logs = new aws.cloudwatch.LogGroup(
            `${name}-logs`,
            { name: `/aws/lambda/${names.functionName}`, retentionInDays: args.logRetentionDays ?? 30 },
            child,
        );
        this.role = new aws.iam.Role(`${name}-role`, { assumeRolePolicy: JSON.stringify(LAMBDA_TRUST) }, child);
        const policy = new aws.iam.RolePolicy(
            `${name}-policy`,
            {
                role: this.role.name,
                policy: pulumi.output(args.connectorArn).apply((connectorArn) =>
                    JSON.stringify(
                        restartFunctionPolicy({
                            ...args,
                            connectorArn,
                            alarmName: names.alarmName,
                            parameterName: names.parameterName,
                            functionName: names.functionName,
                        }),
                    ),
                ),
            },
            child,
        );
        this.function = new aws.lambda.CallbackFunction(
            `${name}-function`,
            {
                name: names.functionName,
                description: `Restarts failed tasks of MSK Connect connector ${args.connectorName} with back-off (msk-s3-sink)`,
                role: this.role,
                callback: autoRestartHandler,
                runtime: aws.lambda.Runtime.NodeJS22dX,
                timeout: 60,
                environment: {
                    variables: {
                        CONNECTOR_ARN: args.connectorArn,
                        ALARM_NAME: names.alarmName,
                        STATE_PARAMETER: names.parameterName,
                        MAX_RESTARTS: String(args.maxRestarts),
                    },
                },
                // The function needs the MSK Connect, CloudWatch and SSM clients only.
                codePathOptions: { extraExcludePackages: ["@aws-sdk/client-s3", "js-yaml"] },
            },
            { ...child, dependsOn: [policy, logs] },
        );
        const schedule = new aws.cloudwatch.EventRule(
            `${name}-schedule`,
            { name: names.ruleName, scheduleExpression: "rate(1 minute)" },
            child,
        );
        new aws.cloudwatch.EventTarget(`${name}-target`, { rule: schedule.name, arn: this.function.arn }, child);
        new aws.lambda.Permission(
            `${name}-invoke`,
            { action: "lambda:InvokeFunction", function: this.function.name, principal: "events.amazonaws.com", sourceArn: schedule.arn },
            child,
        );
        this.registerOutputs({ alarm: this.alarm.arn, function: this.function.arn, stateParameter: this.stateParameter.name });
    }
}
