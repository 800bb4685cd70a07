import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { CapacitySettings } from "../config";
import { diagnoseConnectorConfiguration, diagnoseWorkerProperties, formatFinding } from "../doctor";
import { CONNECTOR_DESCRIPTION, type ConnectorLookups } from "../preflight";
import { adoptionOptions } from "./adoption";
import { connectorPermissionPolicy, connectorTrustPolicy } from "./iamPolicies";

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
    /** What the preflight found in the account (cluster, role, log group, worker configuration). */
    readonly lookups: ConnectorLookups;
    /**
     * An existing connector of this name that the stack adopts instead of creating one. Its broker list is kept as
     * it was made (`ignoreChanges`: the order it was written in cannot be read before the import, and a change would
     * replace it); `importId` is given until it carries this stack's tags, and on that run its tags are left as they are.
     * @default create it
     */
    readonly adopt?: { readonly importId?: string };
}

/**
 * What an adopted connector keeps as it was made, because the program cannot read it before the import and a change
 * would replace it: the broker list in the order it was written, and log delivery blocks the console may have sent
 * switched off (the provider reads back whichever of firehose and s3 AWS returns; the program never sets them).
 */
export const ADOPTED_AS_MADE = [
    "kafkaCluster.apacheKafkaCluster.bootstrapServers",
    "logDelivery.workerLogDelivery.firehose",
    "logDelivery.workerLogDelivery.s3",
];

/** Connector creation can take ~20 minutes just to report FAILED; give it room. */
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
    /** Doctor warnings on the worker configuration's content. */
    declare public readonly workerConfigurationWarnings: pulumi.Output<string[]>;
    declare public readonly connector: aws.mskconnect.Connector;
    /** The created role (only when `executionRole.mode` is "create"). */
    declare public readonly role?: aws.iam.Role;
    /** The created log group (only when `logGroup.mode` is "create"). */
    declare public readonly createdLogGroup?: aws.cloudwatch.LogGroup;

    constructor(name: string, args: S3SinkConnectorArgs, opts?: pulumi.ComponentResourceOptions) {
        super("msk-s3-sink:connector:S3SinkConnector", name, {}, opts);
        this.checkArgs(args);

        const role = this.executionRole(name, args);
        const logs = this.logGroup(name, args);
        const worker = this.workerConfiguration(args);
        const cluster = args.lookups.cluster;
        const executionRoleArn = role.arn;
        const logGroupName = logs.name;
        const workerConfiguration = worker.configuration;
        // The connector waits for the created role's policy and the created log group.
        const dependsOn = [role.policy, logs.group].filter((r): r is NonNullable<typeof r> => r !== undefined);
        this.role = role.role;
        this.createdLogGroup = logs.group;
        this.workerConfigurationWarnings = pulumi.output(worker.warnings);

        this.connector = new aws.mskconnect.Connector(
            `${name}-connector`,
            {
                name: args.connectorName,
                description: args.description ?? CONNECTOR_DESCRIPTION,
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
            {
                parent: this,
                dependsOn,
                customTimeouts: CONNECTOR_TIMEOUTS,
                // Its name is fixed: a replacement must delete the old connector before creating the new one.
                deleteBeforeReplace: true,
                ...(args.adopt ? adoptionOptions(args.adopt.importId, ADOPTED_AS_MADE) : {}),
            },
        );

        this.arn = this.connector.arn;
        this.connectorName = this.connector.name;
        this.executionRoleArn = pulumi.output(executionRoleArn);
        this.logGroupName = pulumi.output(logGroupName);
        this.clusterArn = pulumi.output(cluster.arn);
        this.registerOutputs({
            arn: this.arn,
            connectorName: this.connectorName,
            executionRoleArn: this.executionRoleArn,
            logGroupName: this.logGroupName,
            clusterArn: this.clusterArn,
            workerConfigurationWarnings: this.workerConfigurationWarnings,
        });
    }

    /** The component checks its own arguments too, so it is safe to use without the config room. */
    private checkArgs(args: S3SinkConnectorArgs): void {
        const errors = diagnoseConnectorConfiguration(args.connectorConfiguration, {
            region: args.region,
            bucketName: args.targetBucketName,
            expectedRecordsPerSecond: 1,
        }).filter((f) => f.severity === "error");
        if (args.connectorName.length < 1 || args.connectorName.length > 128) {
            throw new pulumi.ResourceError(`connector name ${JSON.stringify(args.connectorName)} must be 1-128 characters.`, this, true);
        }
        if (errors.length > 0) {
            throw new pulumi.ResourceError(
                `connector configuration has errors:\n${errors.map((e) => `  - ${formatFinding(e)}`).join("\n")}`,
                this,
                true,
            );
        }
        const l = args.lookups;
        const missing = [
            args.executionRole.mode === "lookup" && !l.executionRoleArn ? "the execution role's ARN" : "",
            args.logGroup.mode === "lookup" && !l.logGroupName ? "the log group's name" : "",
            args.workerConfigurationName !== undefined && !l.workerConfiguration ? "the worker configuration" : "",
        ].filter(Boolean);
        if (missing.length > 0) {
            throw new pulumi.ResourceError(`lookups lacks ${missing.join(", ")}: run the preflight and pass what it found.`, this, true);
        }
    }

    /** The looked-up role's ARN, or a created least-privilege role with its policy. */
    private executionRole(
        name: string,
        args: S3SinkConnectorArgs,
    ): { arn: pulumi.Input<string>; role?: aws.iam.Role; policy?: aws.iam.RolePolicy } {
        const roleChoice = args.executionRole;
        if (roleChoice.mode !== "create") return { arn: args.lookups.executionRoleArn! };
        const partition = args.partition ?? "aws";
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
                policy: JSON.stringify(
                    connectorPermissionPolicy({
                        partition,
                        region: args.region,
                        accountId: args.accountId,
                        connectorName: args.connectorName,
                        clusterName: args.clusterName,
                        clusterUuid: args.lookups.cluster.clusterUuid,
                        topics: args.topics,
                        bucketName: args.targetBucketName,
                        topicsDir: args.connectorConfiguration["topics.dir"],
                        ...(roleChoice.kmsKeyArn ? { kmsKeyArn: roleChoice.kmsKeyArn } : {}),
                    }),
                ),
            },
            { parent: this },
        );
        return { arn: role.arn, role, policy };
    }

    /** The looked-up log group's name, or a created group with retention. */
    private logGroup(name: string, args: S3SinkConnectorArgs): { name: pulumi.Input<string>; group?: aws.cloudwatch.LogGroup } {
        if (args.logGroup.mode !== "create") return { name: args.lookups.logGroupName! };
        const group = new aws.cloudwatch.LogGroup(
            `${name}-log-group`,
            {
                name: args.logGroup.name,
                retentionInDays: args.logGroup.retentionDays,
                ...(args.logGroup.kmsKeyArn ? { kmsKeyId: args.logGroup.kmsKeyArn } : {}),
            },
            { parent: this },
        );
        return { name: group.name, group };
    }

    /** The worker configuration's latest revision, after the doctor's check of its properties (warnings only). */
    private workerConfiguration(args: S3SinkConnectorArgs): { configuration?: { arn: string; revision: number }; warnings: string[] } {
        const w = args.workerConfigurationName !== undefined ? args.lookups.workerConfiguration : undefined;
        const warnings = w ? diagnoseWorkerProperties(w.name, w.propertiesFileContent, args.doctorSilence ?? []).map(formatFinding) : [];
        for (const line of warnings) void pulumi.log.warn(line, this);
        return { ...(w ? { configuration: { arn: w.arn, revision: w.revision } } : {}), warnings };
    }
}
