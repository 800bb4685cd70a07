/**
 * The program: stack settings in, components wired, outputs out. `index.ts` calls it with the running
 * stack's settings; the tests and `npm run plan` call it under Pulumi's mocks.
 */
import * as crypto from "crypto";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PLACEHOLDER_SHA256, StackSettings } from "./config";
import { formatFinding } from "./components/connectorConfig";
import { ConnectorPlugin } from "./components/connectorPlugin";
import { PluginArtifact } from "./components/pluginArtifact";
import { connectorConsoleUrl, ConnectorLookups, logGroupConsoleUrl, lookUpConnectorDependencies, LookupError, S3SinkConnector } from "./components/s3SinkConnector";
import { SecureBucket } from "./components/secureBucket";
import { SinkVerification } from "./components/sinkVerification";
import { errorText } from "./lib/text";

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
    const canonical = JSON.stringify(Object.keys(config).sort().map((k) => [k, config[k]]));
    return crypto.createHash("sha256").update(canonical).digest("hex").slice(0, 16);
}

/**
 * Look up everything that must already exist (buckets the stack does not create, the cluster, role, log
 * group and worker configuration) before any resource is registered; one error lists every failure.
 */
export async function preflight(s: StackSettings, opts: pulumi.InvokeOptions): Promise<{ connector: ConnectorLookups; buckets: Record<string, string> }> {
    const failures: string[] = [];
    const buckets: Record<string, string> = {};
    const bucketLookups = (["pluginsBucket", "targetBucket"] as const)
        .filter((k) => !s[k].create)
        .map((k) =>
            aws.s3.getBucket({ bucket: s[k].name }, opts).then(
                (b) => void (buckets[k] = b.arn),
                (e: unknown) => void failures.push(`bucket "${s[k].name}" (msk-s3-sink:${k}) could not be looked up: ${errorText(e)}. Create it, fix the name, or set msk-s3-sink:create${k[0].toUpperCase()}${k.slice(1)} to true.`),
            ),
        );
    const connectorLookup = lookUpConnectorDependencies(
        {
            clusterName: s.mskClusterName,
            executionRole: s.executionRole.mode === "create" ? { mode: "create" } : s.executionRole,
            logGroup: s.logGroup,
            ...(s.workerConfigurationName ? { workerConfigurationName: s.workerConfigurationName } : {}),
        },
        opts,
    ).catch((e: unknown) => {
        if (e instanceof LookupError) failures.push(...e.failures);
        else failures.push(errorText(e));
        return undefined;
    });
    const [connector] = await Promise.all([connectorLookup, ...bucketLookups]);
    if (failures.length > 0 || connector === undefined) throw new LookupError(failures);
    return { connector, buckets };
}

export async function buildProgram(s: StackSettings): Promise<ProgramOutputs> {
    if (s.plugin.source.sha256 === PLACEHOLDER_SHA256) {
        void pulumi.log.warn(
            "msk-s3-sink:pluginSha256 is the example placeholder (all zeros): `pulumi up` will refuse to upload the connector zip " +
                "until you pin the SHA-256 of the zip you vetted (`sha256sum confluentinc-kafka-connect-s3-" + s.plugin.version + ".zip`).",
        );
    }
    for (const w of s.warnings) void pulumi.log.warn(formatFinding(w));

    const provider = new aws.Provider(`aws-${s.region}`, {
        region: s.region as aws.Region,
        allowedAccountIds: [s.accountId],
        defaultTags: { tags: { "managed-by": "pulumi", project: "msk-s3-sink", stack: s.stack } },
    });
    const withProvider: pulumi.ComponentResourceOptions = { providers: [provider] };
    const found = await preflight(s, { provider });

    const bucketOf = (name: string, choice: { name: string; create: boolean }, arnOfLookedUp: string | undefined) => {
        if (choice.create) {
            const bucket = new SecureBucket(name, {
                bucketName: choice.name,
                partition: s.partition,
                ...(s.kmsKeyArn ? { kmsKeyArn: s.kmsKeyArn } : {}),
                retainOnDelete: s.retainBucketsOnDestroy,
            }, withProvider);
            return { name: bucket.bucketName, arn: bucket.arn, ready: bucket.settings as pulumi.Resource[] };
        }
        return { name: pulumi.output(choice.name), arn: pulumi.output(arnOfLookedUp ?? `arn:${s.partition}:s3:::${choice.name}`), ready: [] as pulumi.Resource[] };
    };
    const pluginsBucket = bucketOf("plugins", s.pluginsBucket, found.buckets.pluginsBucket);
    const targetBucket = bucketOf("target", s.targetBucket, found.buckets.targetBucket);

    const src = s.plugin.source;
    const artifact = new PluginArtifact("plugin-artifact", {
        bucketName: pluginsBucket.name,
        bucketArn: pluginsBucket.arn,
        objectKey: s.plugin.objectKey,
        source: src.kind === "local" ? src : { ...src, cacheDir: s.plugin.cacheDir },
        ...(s.kmsKeyArn ? { kmsKeyArn: s.kmsKeyArn } : {}),
    }, { ...withProvider, dependsOn: pluginsBucket.ready });

    const plugin = new ConnectorPlugin("connector-plugin", {
        pluginName: s.plugin.customPluginName,
        bucketArn: artifact.bucketArn,
        objectKey: artifact.objectKey,
        objectVersion: artifact.objectVersion,
        description: `Confluent S3 sink connector ${s.plugin.version} (sha256 ${src.sha256.slice(0, 12)}…), managed by Pulumi (msk-s3-sink)`,
    }, withProvider);

    const connector = new S3SinkConnector("s3-sink", {
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
        executionRole: s.executionRole.mode === "create" ? { mode: "create", ...(s.kmsKeyArn ? { kmsKeyArn: s.kmsKeyArn } : {}) } : s.executionRole,
        logGroup: s.logGroup,
        doctorSilence: s.doctor.silence,
        lookups: found.connector,
    }, { ...withProvider, dependsOn: targetBucket.ready });

    let verification: ProgramOutputs["verification"];
    if (s.verification.enabled) {
        const v = s.verification;
        const check = new SinkVerification("sink-verification", {
            bucket: targetBucket.name,
            region: s.region,
            prefix: v.prefix,
            query: v.query,
            minRecords: v.minRecords,
            method: v.method,
            timeoutSeconds: v.timeoutSeconds,
            pollIntervalSeconds: v.pollIntervalSeconds,
            ...(v.endpoint ? { endpoint: v.endpoint } : {}),
            trigger: pulumi.interpolate`${connector.arn}#${configurationDigest(s.connectorConfiguration)}`,
            connectorName: s.connectorName,
            logGroupName: connector.logGroupName,
        }, { dependsOn: [connector], customTimeouts: { create: `${v.timeoutSeconds + 300}s`, update: `${v.timeoutSeconds + 300}s` } });
        verification = pulumi.all([check.objectKey, check.objectSize, check.recordsReturned, check.methodUsed, check.bytesScanned, check.sample, check.verifiedAt])
            .apply(([objectKey, objectSize, recordsReturned, methodUsed, bytesScanned, sample, verifiedAt]) =>
                ({ objectKey, objectSize, recordsReturned, methodUsed, bytesScanned, sample, verifiedAt }));
    }

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
