import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { CapacitySettings } from "../config";
import { diagnoseConnectorConfiguration, diagnoseWorkerProperties, formatFinding } from "./connectorConfig";
import { connectorPermissionPolicy, connectorTrustPolicy } from "./iamPolicies";
import { errorText } from "../lib/text";

/** How the connector gets its service execution role. */
export type ExecutionRoleChoice =
    | { readonly mode: "lookup"; readonly name: string }
    | { readonly mode: "lookup"; readonly namePrefix: string }
    | {
          readonly mode: "create";
          /** KMS key the target bucket encrypts with, if any. */
          readonly kmsKeyArn?: string;
      };

/** Where worker logs go. */
export interface LogGroupChoice {
    readonly mode: "lookup" | "create";
    readonly name: string;
    /** Retention of a created group. */
    readonly retentionDays: number;
    /** KMS key of a created group. @default CloudWatch's own encryption */
    readonly kmsKeyArn?: string;
}

export interface S3SinkConnectorArgs {
    /** MSK Connect connector name (1-128 characters). */
    readonly connectorName: string;
    /** MSK cluster to look up by name (bootstrap brokers, subnets, security groups). */
    readonly clusterName: string;
    readonly region: string;
    readonly accountId: string;
    /** @default "aws" */
    readonly partition?: string;
    /** Target bucket (for the created role's S3 permissions and the doctor's cross-check). */
    readonly targetBucketName: string;
    /** Topics the sink reads (for the created role's Kafka permissions). */
    readonly topics: readonly string[];
    readonly customPlugin: { readonly arn: pulumi.Input<string>; readonly revision: pulumi.Input<number> };
    /** The connector configuration, exactly as the connector gets it. */
    readonly connectorConfiguration: Readonly<Record<string, string>>;
    readonly capacity: CapacitySettings;
    /** "2.7.1" or "3.7.x". */
    readonly kafkaConnectVersion: string;
    /** Worker configuration to look up by name (its latest revision is used). @default none */
    readonly workerConfigurationName?: string;
    readonly executionRole: ExecutionRoleChoice;
    readonly logGroup: LogGroupChoice;
    /** Doctor warnings to leave out. @default none */
    readonly doctorSilence?: readonly string[];
    /** @default "Confluent S3 sink (msk-s3-sink), managed by Pulumi" */
    readonly description?: string;
    /**
     * What `lookUpConnectorDependencies` found, when the caller looked up before creating anything.
     * @default the component looks them up itself
     */
    readonly lookups?: ConnectorLookups;
}

/** Everything the connector needs that already exists in the account, checked. */
export interface ConnectorLookups {
    readonly cluster: {
        readonly arn: string;
        readonly clusterUuid: string;
        /** The IAM brokers (port 9098). */
        readonly bootstrapServers: string;
        readonly subnets: string[];
        readonly securityGroups: string[];
    };
    /** When the role is looked up. */
    readonly executionRoleArn?: string;
    /** When the log group is looked up. */
    readonly logGroupName?: string;
    /** When a worker configuration is named. */
    readonly workerConfiguration?: { readonly arn: string; readonly revision: number; readonly name: string; readonly propertiesFileContent: string };
}

/** Thrown when lookups fail; lists every failed lookup at once. Shown without a stack trace. */
export class LookupError extends pulumi.RunError {
    constructor(readonly failures: readonly string[]) {
        super(`${failures.length} lookup${failures.length === 1 ? "" : "s"} failed; nothing was created:\n${failures.map((f) => `  - ${f}`).join("\n")}`);
        this.name = "LookupError";
    }
}

/**
 * Look up and check everything the connector uses but does not create: the MSK cluster (IAM brokers,
 * subnets), the execution role, the log group and the worker configuration. The program awaits this
 * before it registers any resource, so a wrong name stops `pulumi preview` and `pulumi up` with every
 * problem listed and nothing created.
 */
export async function lookUpConnectorDependencies(
    args: Pick<S3SinkConnectorArgs, "clusterName" | "executionRole" | "logGroup" | "workerConfigurationName">,
    opts: pulumi.InvokeOptions,
): Promise<ConnectorLookups> {
    const explain = (what: string, setting: string) => (e: unknown): never => {
        throw new Error(`${what} (${setting}): ${errorText(e)}`);
    };
    const clusterP = aws.msk.getCluster({ clusterName: args.clusterName }, opts).then((c) => {
        if (!c.bootstrapBrokersSaslIam) {
            fail(`MSK cluster "${args.clusterName}" (msk-s3-sink:mskClusterName) has no IAM bootstrap brokers (port 9098): enable IAM access control on the cluster, or name a cluster that has it.`);
        }
        const group = c.brokerNodeGroupInfos[0];
        if (!group || group.clientSubnets.length === 0) {
            fail(`MSK cluster "${args.clusterName}" (msk-s3-sink:mskClusterName) reports no client subnets; the connector cannot be placed.`);
        }
        return { arn: c.arn, clusterUuid: c.clusterUuid, bootstrapServers: c.bootstrapBrokersSaslIam, subnets: group.clientSubnets, securityGroups: group.securityGroups };
    }, explain(`MSK cluster "${args.clusterName}" could not be looked up`, "msk-s3-sink:mskClusterName"));

    const role = args.executionRole;
    const roleP: Promise<string | undefined> =
        role.mode === "create"
            ? Promise.resolve(undefined)
            : "name" in role
              ? aws.iam.getRole({ name: role.name }, opts).then((r) => r.arn, explain(`IAM role "${role.name}" could not be looked up`, "msk-s3-sink:executionRoleName"))
              : aws.iam.getRoles({ nameRegex: prefixRegex(role.namePrefix) }, opts).then((found) => pickRole(role.namePrefix, found));

    const logP: Promise<string | undefined> =
        args.logGroup.mode === "create"
            ? Promise.resolve(undefined)
            : aws.cloudwatch.getLogGroup({ name: args.logGroup.name }, opts).then((g) => g.name,
                explain(`log group "${args.logGroup.name}" could not be looked up (set msk-s3-sink:logGroup to "create" to have it created)`, "msk-s3-sink:logGroupName"));

    const wcName = args.workerConfigurationName;
    const wcP = wcName === undefined
        ? Promise.resolve(undefined)
        : aws.mskconnect.getWorkerConfiguration({ name: wcName }, opts).then(
            (w) => ({ arn: w.arn, revision: w.latestRevision, name: w.name, propertiesFileContent: w.propertiesFileContent ?? "" }),
            explain(`worker configuration "${wcName}" could not be looked up (or set it to "none")`, "msk-s3-sink:workerConfigurationName"));

    const settled = await Promise.allSettled([clusterP, roleP, logP, wcP]);
    const failures = settled.filter((r): r is PromiseRejectedResult => r.status === "rejected").map((r) => errorText(r.reason));
    if (failures.length > 0) {
        throw new LookupError(failures);
    }
    const [cluster, executionRoleArn, logGroupName, workerConfiguration] = settled.map((r) => (r as PromiseFulfilledResult<unknown>).value) as [
        ConnectorLookups["cluster"], string | undefined, string | undefined, ConnectorLookups["workerConfiguration"],
    ];
    return {
        cluster,
        ...(executionRoleArn ? { executionRoleArn } : {}),
        ...(logGroupName ? { logGroupName } : {}),
        ...(workerConfiguration ? { workerConfiguration } : {}),
    };
}

/** Connector creation can take ~20 minutes just to report FAILED; give it room (REFERENCE §2). */
export const CONNECTOR_TIMEOUTS: pulumi.CustomTimeouts = { create: "40m", update: "40m", delete: "40m" };

/** Capacity block in the shape MSK Connect takes. */
export function connectorCapacity(c: CapacitySettings): aws.types.input.mskconnect.ConnectorCapacity {
    if (c.mode === "provisioned") {
        return { provisionedCapacity: { mcuCount: c.mcuCount, workerCount: c.workerCount } };
    }
    return {
        autoscaling: {
            mcuCount: c.mcuCount,
            minWorkerCount: c.minWorkerCount,
            maxWorkerCount: c.maxWorkerCount,
            scaleInPolicy: { cpuUtilizationPercentage: c.scaleInCpuPercent },
            scaleOutPolicy: { cpuUtilizationPercentage: c.scaleOutCpuPercent },
        },
    };
}

/** A regular expression matching names that start with `prefix`. */
export function prefixRegex(prefix: string): string {
    return `^${prefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`;
}

/** Choose the one role a prefix lookup found, or explain why not. */
export function pickRole(prefix: string, found: { names: readonly string[]; arns: readonly string[] }): string {
    if (found.arns.length === 1) return found.arns[0];
    const fix =
        "Set msk-s3-sink:executionRoleName to the exact role name, or msk-s3-sink:executionRole to \"create\" to have the program create a least-privilege role.";
    if (found.arns.length === 0) {
        return fail(`no IAM role's name starts with "${prefix}" (msk-s3-sink:executionRoleNamePrefix). Was the lab's CloudFormation stack deployed in this account? ${fix}`);
    }
    return fail(`${found.arns.length} IAM roles start with "${prefix}" (${found.names.join(", ")}); exactly one must match. ${fix}`);
}

function fail(message: string): never {
    throw new Error(message);
}

/** Console link for a CloudWatch log group (the console escapes '%' as '$25'). */
export function logGroupConsoleUrl(region: string, logGroupName: string): string {
    const escaped = encodeURIComponent(logGroupName).replace(/%/g, "$25");
    return `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#logsV2:log-groups/log-group/${escaped}`;
}

/** Console link for an MSK Connect connector. */
export function connectorConsoleUrl(region: string, connectorArn: string): string {
    return `https://${region}.console.aws.amazon.com/msk/home?region=${region}#/connectors/details?connectorArn=${encodeURIComponent(connectorArn)}`;
}

/**
 * The Confluent S3 sink as an MSK Connect connector on an existing MSK cluster, with IAM authentication
 * and TLS in transit set explicitly, worker logs delivered to CloudWatch, and its execution role looked up
 * or created with least privilege.
 */
export class S3SinkConnector extends pulumi.ComponentResource {
    /** ARN of the connector. */
    declare public readonly arn: pulumi.Output<string>;
    /** Name of the connector. */
    declare public readonly connectorName: pulumi.Output<string>;
    /** ARN of the service execution role the connector runs as. */
    declare public readonly executionRoleArn: pulumi.Output<string>;
    /** Name of the log group worker logs go to. */
    declare public readonly logGroupName: pulumi.Output<string>;
    /** ARN of the MSK cluster. */
    declare public readonly clusterArn: pulumi.Output<string>;
    /** Doctor warnings found once the worker configuration's content was known. */
    declare public readonly workerConfigurationWarnings: pulumi.Output<string[]>;
    declare public readonly connector: aws.mskconnect.Connector;
    /** The created role (only when `executionRole.mode` is "create"). */
    declare public readonly role?: aws.iam.Role;
    /** The created log group (only when `logGroup.mode` is "create"). */
    declare public readonly createdLogGroup?: aws.cloudwatch.LogGroup;

    constructor(name: string, args: S3SinkConnectorArgs, opts?: pulumi.ComponentResourceOptions) {
        super("msk-s3-sink:connector:S3SinkConnector", name, {}, opts);

        // The component checks its own configuration too, so it is safe to use without config.ts.
        const errors = diagnoseConnectorConfiguration(args.connectorConfiguration, {
            region: args.region,
            bucketName: args.targetBucketName,
            expectedRecordsPerSecond: 1,
        }).filter((f) => f.severity === "error");
        if (args.connectorName.length < 1 || args.connectorName.length > 128) {
            throw new pulumi.ResourceError(`connector name ${JSON.stringify(args.connectorName)} must be 1-128 characters.`, this, true);
        }
        if (errors.length > 0) {
            throw new pulumi.ResourceError(`connector configuration has errors:\n${errors.map((e) => `  - ${formatFinding(e)}`).join("\n")}`, this, true);
        }

        const partition = args.partition ?? "aws";
        const found = pulumi.output(args.lookups ?? lookUpConnectorDependencies(args, { parent: this }));
        const cluster = found.cluster;

        // --- the service execution role ------------------------------------------------------------
        const dependsOn: pulumi.Resource[] = [];
        const roleChoice = args.executionRole;
        let executionRoleArn: pulumi.Output<string>;
        if (roleChoice.mode === "create") {
            const role = new aws.iam.Role(
                `${name}-execution-role`,
                {
                    description: `MSK Connect execution role for connector ${args.connectorName} (msk-s3-sink)`,
                    assumeRolePolicy: JSON.stringify(
                        connectorTrustPolicy({ partition, region: args.region, accountId: args.accountId, connectorName: args.connectorName }),
                    ),
                    maxSessionDuration: 3600,
                },
                { parent: this },
            );
            const policy = new aws.iam.RolePolicy(
                `${name}-execution-policy`,
                {
                    role: role.id,
                    policy: cluster.clusterUuid.apply((clusterUuid) =>
                        JSON.stringify(
                            connectorPermissionPolicy({
                                partition,
                                region: args.region,
                                accountId: args.accountId,
                                connectorName: args.connectorName,
                                clusterName: args.clusterName,
                                clusterUuid,
                                topics: args.topics,
                                bucketName: args.targetBucketName,
                                topicsDir: args.connectorConfiguration["topics.dir"],
                                ...(roleChoice.kmsKeyArn ? { kmsKeyArn: roleChoice.kmsKeyArn } : {}),
                            }),
                        ),
                    ),
                },
                { parent: this },
            );
            this.role = role;
            dependsOn.push(policy);
            executionRoleArn = role.arn;
        } else {
            executionRoleArn = found.apply((f) => f.executionRoleArn ?? fail("the execution role was not looked up"));
        }

        // --- the log group -------------------------------------------------------------------------
        let logGroupName: pulumi.Output<string>;
        if (args.logGroup.mode === "create") {
            const group = new aws.cloudwatch.LogGroup(
                `${name}-log-group`,
                {
                    name: args.logGroup.name,
                    retentionInDays: args.logGroup.retentionDays,
                    ...(args.logGroup.kmsKeyArn ? { kmsKeyId: args.logGroup.kmsKeyArn } : {}),
                },
                { parent: this },
            );
            this.createdLogGroup = group;
            dependsOn.push(group);
            logGroupName = group.name;
        } else {
            logGroupName = found.apply((f) => f.logGroupName ?? fail("the log group was not looked up"));
        }

        // --- the worker configuration --------------------------------------------------------------
        let workerConfiguration: pulumi.Output<{ arn: string; revision: number }> | undefined;
        if (args.workerConfigurationName !== undefined) {
            const wc = found.apply((f) => f.workerConfiguration ?? fail("the worker configuration was not looked up"));
            workerConfiguration = wc.apply((w) => ({ arn: w.arn, revision: w.revision }));
            this.workerConfigurationWarnings = wc.apply((w) => {
                const lines = diagnoseWorkerProperties(w.name, w.propertiesFileContent, args.doctorSilence ?? []).map(formatFinding);
                for (const line of lines) void pulumi.log.warn(line, this);
                return lines;
            });
        } else {
            this.workerConfigurationWarnings = pulumi.output([]);
        }

        // --- the connector -------------------------------------------------------------------------
        this.connector = new aws.mskconnect.Connector(
            `${name}-connector`,
            {
                name: args.connectorName,
                description: args.description ?? "Confluent S3 sink (msk-s3-sink), managed by Pulumi",
                kafkaconnectVersion: args.kafkaConnectVersion,
                capacity: connectorCapacity(args.capacity),
                connectorConfiguration: { ...args.connectorConfiguration },
                kafkaCluster: {
                    apacheKafkaCluster: {
                        bootstrapServers: cluster.bootstrapServers,
                        vpc: { subnets: cluster.subnets, securityGroups: cluster.securityGroups },
                    },
                },
                kafkaClusterClientAuthentication: { authenticationType: "IAM" },
                kafkaClusterEncryptionInTransit: { encryptionType: "TLS" },
                plugins: [{ customPlugin: { arn: args.customPlugin.arn, revision: args.customPlugin.revision } }],
                serviceExecutionRoleArn: executionRoleArn,
                ...(workerConfiguration ? { workerConfiguration } : {}),
                logDelivery: { workerLogDelivery: { cloudwatchLogs: { enabled: true, logGroup: logGroupName } } },
            },
            { parent: this, dependsOn, customTimeouts: CONNECTOR_TIMEOUTS, deleteBeforeReplace: true },
        );

        this.arn = this.connector.arn;
        this.connectorName = this.connector.name;
        this.executionRoleArn = executionRoleArn;
        this.logGroupName = logGroupName;
        this.clusterArn = cluster.arn;
        this.registerOutputs({
            arn: this.arn,
            connectorName: this.connectorName,
            executionRoleArn: this.executionRoleArn,
            logGroupName: this.logGroupName,
            clusterArn: this.clusterArn,
            workerConfigurationWarnings: this.workerConfigurationWarnings,
        });
    }
}
