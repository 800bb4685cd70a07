/**
 * The program: stack settings in, the preflight's lookups, components wired, outputs out. `index.ts` calls
 * it with the running stack's settings; the tests and `npm run plan` call it under Pulumi's mocks.
 */
import * as crypto from "crypto";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { connectorConsoleUrl, logGroupConsoleUrl } from "./common";
import { ConnectorPlugin, PluginArtifact, S3SinkConnector, SecureBucket, SinkVerification } from "./components";
import { PLACEHOLDER_SHA256, StackSettings } from "./config";
import { formatFinding } from "./doctor";
import { preflight, PreflightResult } from "./preflight";
import { sinkKeyFormat } from "./sink";

export interface ProgramOutputs {
    /** s3:// URI of the uploaded connector zip. */
    readonly pluginObjectUri: pulumi.Output<string>;
    /** SHA-256 the zip was checked against before upload. */
    readonly pluginSha256: pulumi.Output<string>;
    readonly customPluginArn: pulumi.Output<string>;
    readonly connectorArn: pulumi.Output<string>;
    readonly connectorName: pulumi.Output<string>;
    readonly executionRoleArn: pulumi.Output<string>;
    readonly targetBucket: pulumi.Output<string>;
    /** s3:// prefix where the first topic's partition-0 records land. */
    readonly sinkPrefix: pulumi.Output<string>;
    readonly logGroupName: pulumi.Output<string>;
    readonly connectorConsoleUrl: pulumi.Output<string>;
    readonly logGroupConsoleUrl: pulumi.Output<string>;
    /** What the post-deploy check found (undefined when verification is off). */
    readonly verification?: pulumi.Output<unknown>;
}

/** A digest of what the connector runs with: a change verifies the data again. */
export function configurationDigest(config: Readonly<Record<string, string>>): string {
    const canonical = JSON.stringify(
        Object.keys(config)
            .sort()
            .map((k) => [k, config[k]]),
    );
    return crypto.createHash("sha256").update(canonical).digest("hex").slice(0, 16);
}

/** The stack's own warnings: the placeholder digest and the doctor's findings. */
function warnAboutSettings(s: StackSettings): void {
    if (s.plugin.source.sha256 === PLACEHOLDER_SHA256) {
        void pulumi.log.warn(
            "msk-s3-sink:pluginSha256 is the example placeholder (all zeros): `pulumi up` will refuse to upload the connector zip " +
                "until you pin the SHA-256 of the zip you vetted (`sha256sum confluentinc-kafka-connect-s3-" +
                s.plugin.version +
                ".zip`).",
        );
    }
    for (const w of s.warnings) void pulumi.log.warn(formatFinding(w));
}

/** The one AWS provider every resource and lookup uses: the stack's region, guarded to its account. */
function awsProvider(s: StackSettings): aws.Provider {
    return new aws.Provider(`aws-${s.region}`, {
        region: s.region as aws.Region,
        allowedAccountIds: [s.accountId],
        defaultTags: { tags: { "managed-by": "pulumi", project: "msk-s3-sink", stack: s.stack } },
    });
}

interface BucketRef {
    readonly name: pulumi.Output<string>;
    readonly arn: pulumi.Output<string>;
    /** Settings a writer must wait for (a created bucket's baseline). */
    readonly ready: pulumi.Resource[];
}

/** A created, hardened bucket, or the one the preflight found. */
function bucketOf(
    s: StackSettings,
    name: string,
    choice: { name: string; create: boolean },
    arnOfLookedUp: string | undefined,
    opts: pulumi.ComponentResourceOptions,
): BucketRef {
    if (!choice.create) {
        return {
            name: pulumi.output(choice.name),
            arn: pulumi.output(arnOfLookedUp ?? `arn:${s.partition}:s3:::${choice.name}`),
            ready: [],
        };
    }
    const bucket = new SecureBucket(
        name,
        {
            bucketName: choice.name,
            partition: s.partition,
            ...(s.kmsKeyArn ? { kmsKeyArn: s.kmsKeyArn } : {}),
            retainOnDelete: s.retainBucketsOnDestroy,
        },
        opts,
    );
    return { name: bucket.bucketName, arn: bucket.arn, ready: bucket.settings };
}

/** The zip, checked and uploaded, and the custom plugin made from it. */
function pluginOf(
    s: StackSettings,
    bucket: BucketRef,
    opts: pulumi.ComponentResourceOptions,
): { artifact: PluginArtifact; plugin: ConnectorPlugin } {
    const src = s.plugin.source;
    const artifact = new PluginArtifact(
        "plugin-artifact",
        {
            bucketName: bucket.name,
            bucketArn: bucket.arn,
            objectKey: s.plugin.objectKey,
            source: src.kind === "local" ? src : { ...src, cacheDir: s.plugin.cacheDir },
            ...(s.kmsKeyArn ? { kmsKeyArn: s.kmsKeyArn } : {}),
        },
        { ...opts, dependsOn: bucket.ready },
    );
    const plugin = new ConnectorPlugin(
        "connector-plugin",
        {
            pluginName: s.plugin.customPluginName,
            bucketArn: artifact.bucketArn,
            objectKey: artifact.objectKey,
            objectVersion: artifact.objectVersion,
            description: `Confluent S3 sink connector ${s.plugin.version} (sha256 ${src.sha256.slice(0, 12)}…), managed by Pulumi (msk-s3-sink)`,
        },
        opts,
    );
    return { artifact, plugin };
}

function connectorOf(
    s: StackSettings,
    plugin: ConnectorPlugin,
    found: PreflightResult,
    target: BucketRef,
    opts: pulumi.ComponentResourceOptions,
): S3SinkConnector {
    return new S3SinkConnector(
        "s3-sink",
        {
            connectorName: s.connectorName,
            clusterName: s.mskClusterName,
            region: s.region,
            accountId: s.accountId,
            partition: s.partition,
            targetBucketName: s.targetBucket.name,
            topics: s.topics,
            customPlugin: { arn: plugin.arn, revision: plugin.revision },
            connectorConfiguration: s.connectorConfiguration,
            capacity: s.capacity,
            kafkaConnectVersion: s.kafkaConnectVersion,
            ...(s.workerConfigurationName ? { workerConfigurationName: s.workerConfigurationName } : {}),
            executionRole:
                s.executionRole.mode === "create"
                    ? { mode: "create", ...(s.kmsKeyArn ? { kmsKeyArn: s.kmsKeyArn } : {}) }
                    : s.executionRole,
            logGroup: s.logGroup,
            doctorSilence: s.doctor.silence,
            lookups: found.connector,
        },
        { ...opts, dependsOn: target.ready },
    );
}

/** The check that the data landed, after the connector; its findings as one output. */
function verificationOf(s: StackSettings, connector: S3SinkConnector, target: BucketRef): pulumi.Output<unknown> {
    const v = s.verification;
    const check = new SinkVerification(
        "sink-verification",
        {
            bucket: target.name,
            region: s.region,
            prefix: v.prefix,
            ...sinkKeyFormat(s.connectorConfiguration),
            query: v.query,
            minRecords: v.minRecords,
            method: v.method,
            timeoutSeconds: v.timeoutSeconds,
            pollIntervalSeconds: v.pollIntervalSeconds,
            ...(v.endpoint ? { endpoint: v.endpoint } : {}),
            trigger: pulumi.interpolate`${connector.arn}#${configurationDigest(s.connectorConfiguration)}`,
            connectorName: s.connectorName,
            logGroupName: connector.logGroupName,
        },
        { dependsOn: [connector], customTimeouts: { create: `${v.timeoutSeconds + 300}s`, update: `${v.timeoutSeconds + 300}s` } },
    );
    return pulumi
        .all([
            check.objectKey,
            check.objectSize,
            check.recordsReturned,
            check.methodUsed,
            check.bytesScanned,
            check.sample,
            check.verifiedAt,
        ])
        .apply(([objectKey, objectSize, recordsReturned, methodUsed, bytesScanned, sample, verifiedAt]) => ({
            objectKey,
            objectSize,
            recordsReturned,
            methodUsed,
            bytesScanned,
            sample,
            verifiedAt,
        }));
}

export async function buildProgram(s: StackSettings): Promise<ProgramOutputs> {
    warnAboutSettings(s);
    const provider = awsProvider(s);
    const withProvider: pulumi.ComponentResourceOptions = { providers: [provider] };
    const found = await preflight(s, { provider });

    const pluginsBucket = bucketOf(s, "plugins", s.pluginsBucket, found.buckets.pluginsBucket, withProvider);
    const targetBucket = bucketOf(s, "target", s.targetBucket, found.buckets.targetBucket, withProvider);
    const { artifact, plugin } = pluginOf(s, pluginsBucket, withProvider);
    const connector = connectorOf(s, plugin, found, targetBucket, withProvider);
    const verification = s.verification.enabled ? verificationOf(s, connector, targetBucket) : undefined;

    return {
        pluginObjectUri: artifact.objectUri,
        pluginSha256: artifact.sha256,
        customPluginArn: plugin.arn,
        connectorArn: connector.arn,
        connectorName: connector.connectorName,
        executionRoleArn: connector.executionRoleArn,
        targetBucket: targetBucket.name,
        sinkPrefix: pulumi.interpolate`s3://${targetBucket.name}/${s.verification.prefix}`,
        logGroupName: connector.logGroupName,
        connectorConsoleUrl: connector.arn.apply((arn) => connectorConsoleUrl(s.region, arn)),
        logGroupConsoleUrl: connector.logGroupName.apply((name) => logGroupConsoleUrl(s.region, name)),
        ...(verification ? { verification } : {}),
    };
}
