/**
 * The program: stack settings in, the preflight's lookups, components wired, outputs out. `index.ts` calls
 * it with the running stack's settings; the tests and `npm run plan` call it under Pulumi's mocks.
 */
import * as crypto from "crypto";
import * as aws from "@pulumi/aws";
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { connectorConsoleUrl, logGroupConsoleUrl } from "./common";
import {
    AdoptionTags,
    AutoRestart,
    ConnectorChangeGuard,
    ConnectorPlugin,
    ConnectorState,
    DestroyCheck,
    PluginArtifact,
    S3SinkConnector,
    SecureBucket,
    SinkVerification,
} from "./components";
import {
    checksOutsideProviderWarnings,
    placeholderDigestWarning,
    PROJECT,
    sinkFindingLine,
    SinkSettings,
    SinkView,
    StackSettings,
} from "./config";
import { Adoption, pluginDescription, preflight, PreflightResult, providerResourceName, SinkLookups, sinkResourceNames } from "./preflight";
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

/** One sink's outputs (`sinks` output, by sink name). */
export type SinkOutputs = Omit<ProgramOutputs, "pluginObjectUri" | "pluginSha256" | "customPluginArn">;

/**
 * The stack's outputs: the plugin's, and each sink's under its name in `sinks`. A single-sink stack (no `sinks`
 * setting) also keeps every output it has always had, by the same names, with the same values.
 */
export interface StackOutputs extends Partial<ProgramOutputs> {
    readonly pluginObjectUri?: pulumi.Output<string>;
    readonly pluginSha256?: pulumi.Output<string>;
    readonly customPluginArn: pulumi.Output<string>;
    readonly sinks: Readonly<Record<string, SinkOutputs>>;
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

/** The stack's own warnings: the placeholder digest and the doctor's findings, each sink's under its name. */
function warnAboutSettings(s: StackSettings): void {
    for (const w of placeholderDigestWarning(s.plugin.source.sha256, s.plugin.version)) void pulumi.log.warn(`${w.key} ${w.message}`);
    for (const sink of s.sinks) for (const w of sink.settings.warnings) void pulumi.log.warn(sinkFindingLine(sink, w));
    for (const w of settingsTheChecksIgnore(s)) void pulumi.log.warn(w);
}

/** A warning for each provider setting that the dynamic checks (verification, destroy check, plugin object check) do not follow. */
export function settingsTheChecksIgnore(s: SinkView): string[] {
    return checksOutsideProviderWarnings(s.awsProvider).map((w) => `warning [${w.rule}] ${w.key}: ${w.message}`);
}

/**
 * The one AWS provider every resource and lookup uses: every `aws:*` setting of the stack (profile, assumed
 * roles, endpoints, retries, …; an explicit provider reads none by itself), with the stack's region and its
 * account as the only allowed one, and the tags that mark this stack's resources.
 */
export function awsProvider(s: SinkView): aws.Provider {
    const args: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(s.awsProvider.settings)) {
        args[name] = s.awsProvider.secret.includes(name) ? pulumi.secret(value) : value;
    }
    const defaultTags = { ...(s.awsProvider.settings.defaultTags as object | undefined), tags: stackDefaultTags(s) };
    return new aws.Provider(providerResourceName(s.region), {
        ...(args as aws.ProviderArgs),
        region: s.region as aws.Region,
        allowedAccountIds: [s.accountId],
        defaultTags,
    });
}

/**
 * The stack's AWS profile, for the code that talks to AWS outside the provider (dynamic resources): always a
 * secret input, so neither the state's inputs nor its outputs hold the name (it can say whose account it reaches).
 */
function profileOf(s: SinkView): { profile?: pulumi.Input<string> } {
    const profile = s.awsProvider.settings.profile;
    return typeof profile === "string" ? { profile: pulumi.secret(profile) } : {};
}

/** The tags that mark a resource as this stack's (set through the provider's default tags). */
export function ownTags(s: Pick<StackSettings, "stack">): Record<string, string> {
    return { "managed-by": "pulumi", project: "msk-s3-sink", stack: s.stack };
}

interface BucketRef {
    readonly name: pulumi.Output<string>;
    readonly arn: pulumi.Output<string>;
    /** Settings a writer must wait for (a created bucket's baseline). */
    readonly ready: pulumi.Resource[];
    /** The created bucket's component (undefined for a looked-up bucket). */
    readonly created?: SecureBucket;
}

/** A created, hardened bucket, or the one the preflight found. */
function bucketOf(
    s: SinkView,
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
            emptyOnDestroy: name === "target" && s.emptyTargetBucketOnDestroy,
            adoptExisting: s.adoptExisting.includes("buckets"),
        },
        opts,
    );
    return { name: bucket.bucketName, arn: bucket.arn, ready: bucket.settings, created: bucket };
}

/** A component's `adopt` argument for what the preflight adopts (nothing when it adopts nothing). */
function adoptArgs(a: Adoption | undefined): { adopt?: { importId?: string } } {
    return a ? { adopt: a.importId ? { importId: a.importId } : {} } : {};
}

/** The custom plugin every connector of the stack runs: its ARN and revision. */
interface PluginRef {
    readonly arn: pulumi.Input<string>;
    readonly revision: pulumi.Input<number>;
}

/** The zip, checked and uploaded, and the custom plugin made from it. */
function pluginOf(
    s: SinkView,
    bucket: BucketRef,
    found: PreflightResult,
    opts: pulumi.ComponentResourceOptions,
): { artifact: PluginArtifact; plugin: ConnectorPlugin } {
    const src = s.plugin.source;
    const artifact = new PluginArtifact(
        "plugin-artifact",
        {
            bucketName: bucket.name,
            bucketArn: bucket.arn,
            objectKey: s.plugin.objectKey,
            ownerTags: ownTags(s),
            source: src.kind === "local" ? src : { ...src, ...(found.pluginZip ? { file: found.pluginZip } : {}) },
            region: s.region,
            ...profileOf(s),
            ...(s.kmsKeyArn ? { kmsKeyArn: s.kmsKeyArn } : {}),
            ...(found.reusePluginObject ? { existingObject: found.reusePluginObject } : {}),
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
            description: found.adopt.customPlugin?.description ?? pluginDescription(s),
            ...adoptArgs(found.adopt.customPlugin),
        },
        opts,
    );
    return { artifact, plugin };
}

function connectorOf(
    s: SinkView,
    sink: SinkSettings,
    plugin: PluginRef,
    found: SinkLookups,
    target: BucketRef,
    opts: pulumi.ComponentResourceOptions,
    before: pulumi.Resource[] = [],
): S3SinkConnector {
    return new S3SinkConnector(
        sinkResourceNames(sink).connector,
        {
            connectorName: s.connectorName,
            clusterName: s.mskClusterName,
            region: s.region,
            accountId: s.accountId,
            partition: s.partition,
            targetBucketName: s.targetBucket.name,
            topics: s.topics,
            customPlugin: plugin,
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
            ...(found.adopt ? { description: found.adopt.description } : {}),
            ...adoptArgs(found.adopt),
        },
        { ...opts, dependsOn: [...target.ready, ...before] },
    );
}

/** The check that the data landed, after the connector; its findings as one output. */
function verificationOf(
    s: SinkView,
    sink: SinkSettings,
    connector: S3SinkConnector,
    target: BucketRef,
    base: pulumi.CustomResourceOptions,
    after: pulumi.Resource[] = [],
): { check: SinkVerification; output: pulumi.Output<unknown> } {
    const v = s.verification;
    const check = new SinkVerification(
        sinkResourceNames(sink).verification,
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
            connectorArn: connector.arn,
            connectorUrn: connector.connector.urn,
            expectedConfiguration: s.connectorConfiguration,
            freshData: v.freshData,
            ...profileOf(s),
        },
        // No customTimeouts: the dynamic provider host does not apply them; the check is bounded by timeoutSeconds itself.
        { ...base, dependsOn: [connector, ...after] },
    );
    // The sample (customer records) stays out: it is a secret output of the verification itself.
    const output = pulumi.output({
        connectorState: check.connectorState,
        operationChecked: check.operationChecked,
        configurationCheck: check.configurationCheck,
        freshness: check.freshness,
        objectKey: check.objectKey,
        objectStartOffset: check.objectStartOffset,
        recordsReturned: check.recordsReturned,
        methodUsed: check.methodUsed,
        verifiedAt: check.verifiedAt,
    });
    return { check, output };
}

/**
 * When the stack creates a bucket, a check that every other resource is created before, so a destroy deletes
 * it first: it stops the destroy before anything is deleted if a bucket the destroy would delete (created, not
 * retained, not emptied on purpose) holds objects this stack did not write. It stays registered, with an empty
 * list, when every bucket is kept: dropping it from the program would run its deletion, and so the check, in
 * the very `pulumi up` that follows its advice to keep the buckets.
 */
function destroyCheckOf(
    s: SinkView,
    buckets: [BucketRef | undefined, BucketRef],
    artifact: PluginArtifact | undefined,
    others: pulumi.Resource[],
    base: pulumi.CustomResourceOptions,
): DestroyCheck | undefined {
    const settingOf = (b: BucketRef): "pluginsBucket" | "targetBucket" => (b === buckets[0] ? "pluginsBucket" : "targetBucket");
    const created = buckets.filter((b): b is BucketRef => b?.created !== undefined);
    if (created.length === 0) return undefined;
    const deleted = created.filter((b) => !s.retainBucketsOnDestroy && !(settingOf(b) === "targetBucket" && s.emptyTargetBucketOnDestroy));
    return new DestroyCheck(
        "destroy-check",
        {
            buckets: deleted.map((b) => ({ bucket: b.name, setting: settingOf(b) })),
            ownVersions: artifact?.object
                ? [{ bucket: artifact.object.bucket, key: artifact.objectKey, versionId: artifact.objectVersion }]
                : [],
            region: s.region,
            ...profileOf(s),
        },
        { ...base, dependsOn: [...created.map((b) => b.created!), ...others] },
    );
}

/** The tags the provider gives every resource of this stack: the stack's `aws:defaultTags` and its own. */
function stackDefaultTags(s: SinkView): Record<string, string> {
    const userTags = (s.awsProvider.settings.defaultTags as { tags?: Record<string, string> } | undefined)?.tags ?? {};
    return { ...userTags, ...ownTags(s) };
}

/** On the run that imports an adopted resource, tag it as this stack's right after the import (see AdoptionTags). */
function tagAdopted(
    s: SinkView,
    name: string,
    adoption: Adoption | undefined,
    imported: pulumi.CustomResource & { arn: pulumi.Output<string> },
    base: pulumi.CustomResourceOptions,
): void {
    if (!adoption?.importId) return;
    new AdoptionTags(
        name,
        { arn: imported.arn, tags: stackDefaultTags(s), region: s.region, ...profileOf(s) },
        { ...base, dependsOn: [imported] },
    );
}

/**
 * Before the connector: the refusal, up front, of a configuration or capacity change that would reach a connector this
 * stack left paused (or that is paused now). The digest covers what an UpdateConnector changes.
 */
function changeGuardOf(s: SinkView, sink: SinkSettings, base: pulumi.CustomResourceOptions): ConnectorChangeGuard {
    return new ConnectorChangeGuard(
        sinkResourceNames(sink).changeGuard,
        {
            connectorName: s.connectorName,
            region: s.region,
            desiredState: s.connectorState,
            changeDigest: configurationDigest({ ...s.connectorConfiguration, "(capacity)": JSON.stringify(s.capacity) }),
            ...profileOf(s),
        },
        base,
    );
}

/**
 * After the connector: the state the stack asks for (running or paused, applied and waited for), and, when asked for,
 * auto-restart of failed tasks (nothing of it exists otherwise).
 */
function operationOf(
    s: SinkView,
    sink: SinkSettings,
    connector: S3SinkConnector,
    withProvider: pulumi.ComponentResourceOptions,
    base: pulumi.CustomResourceOptions,
): { state: ConnectorState; all: pulumi.Resource[] } {
    const state = new ConnectorState(
        sinkResourceNames(sink).state,
        { connectorArn: connector.arn, region: s.region, desiredState: s.connectorState, ...profileOf(s) },
        { ...base, dependsOn: [connector] },
    );
    if (!s.autoRestart.enabled) return { state, all: [state] };
    const restart = new AutoRestart(
        sinkResourceNames(sink).autoRestart,
        {
            connectorName: s.connectorName,
            connectorArn: connector.arn,
            region: s.region,
            accountId: s.accountId,
            partition: s.partition,
            stack: s.stack,
            maxRestarts: s.autoRestart.maxRestarts,
            ...(s.alarmTopicArn ? { alarmTopicArn: s.alarmTopicArn } : {}),
        },
        { ...withProvider, dependsOn: [state] },
    );
    return { state, all: [state, restart] };
}

/** A paused connector writes nothing: the verification is not run, and the run says so. */
function verifies(s: SinkView, sink: SinkSettings): boolean {
    if (s.verification.enabled && s.connectorState === "paused") {
        void pulumi.log.info(
            `${sink.keyPrefix}connectorState is paused: the verification is not run (a paused connector writes nothing); the \`pulumi up\` that resumes it verifies fresh data again.`,
        );
    }
    return s.verification.enabled && s.connectorState === "running";
}

/** Options for the program as a whole (tests record each resource's options through `transformations`). */
export interface ProgramOptions {
    readonly transformations?: pulumi.ResourceTransformation[];
}

/** The settings with every KMS key as the key ARN the preflight resolved (an alias grants nothing in IAM). */
function withResolvedKeys<T extends SinkView>(s: T, kms: PreflightResult["kms"]): T {
    // The preflight resolves exactly the keys that are set, so each replaces the one it came from.
    return {
        ...s,
        ...(kms.kmsKeyArn ? { kmsKeyArn: kms.kmsKeyArn } : {}),
        logGroup: { ...s.logGroup, ...(kms.logKmsKeyArn ? { kmsKeyArn: kms.logKmsKeyArn } : {}) },
    };
}

/** One sink: its change guard, connector (and role and log group if created), state, auto-restart and verification. */
function sinkOf(
    stack: StackSettings,
    sink: SinkSettings,
    plugin: PluginRef,
    found: PreflightResult,
    targets: { stack: BucketRef; ofSink: (s: SinkView, arn: string | undefined) => BucketRef },
    opts: { base: pulumi.CustomResourceOptions; withProvider: pulumi.ComponentResourceOptions },
): { resources: pulumi.Resource[]; outputs: SinkOutputs } {
    const s = withResolvedKeys(sink.settings, found.kms);
    const lookups = found.sinks[sink.name];
    const target = s.targetBucket.name === stack.targetBucket.name ? targets.stack : targets.ofSink(s, lookups.targetBucketArn);
    const guard = changeGuardOf(s, sink, opts.base);
    const connector = connectorOf(s, sink, plugin, lookups, target, opts.withProvider, [guard]);
    tagAdopted(s, sinkResourceNames(sink).adoptionTags, lookups.adopt, connector.connector, opts.base);
    const operation = operationOf(s, sink, connector, opts.withProvider, opts.base);
    const verification = verifies(s, sink) ? verificationOf(s, sink, connector, target, opts.base, [operation.state]) : undefined;
    const outputs: SinkOutputs = {
        connectorArn: connector.arn,
        connectorName: connector.connectorName,
        executionRoleArn: connector.executionRoleArn,
        targetBucket: target.name,
        sinkPrefix: pulumi.interpolate`s3://${target.name}/${s.verification.prefix}`,
        logGroupName: connector.logGroupName,
        connectorConsoleUrl: connector.arn.apply((arn) => connectorConsoleUrl(s.region, arn)),
        logGroupConsoleUrl: connector.logGroupName.apply((name) => logGroupConsoleUrl(s.region, name)),
        ...(verification ? { verification: verification.output } : {}),
    };
    return { resources: [guard, connector, ...operation.all, ...(verification ? [verification.check] : [])], outputs };
}

/** The stack's plugin: the zip and the custom plugin it creates, or (`pluginArn`) another stack's plugin, used as it is. */
function sharedPluginOf(
    s: StackSettings,
    bucket: BucketRef | undefined,
    found: PreflightResult,
    opts: { base: pulumi.CustomResourceOptions; withProvider: pulumi.ComponentResourceOptions },
): { ref: PluginRef; artifact?: PluginArtifact; resources: pulumi.Resource[] } {
    if (found.existingPlugin || bucket === undefined) {
        const existing = found.existingPlugin!;
        return { ref: { arn: existing.arn, revision: existing.revision }, resources: [] };
    }
    const { artifact, plugin } = pluginOf(s, bucket, found, opts.withProvider);
    tagAdopted(s, "connector-plugin-adoption-tags", found.adopt.customPlugin, plugin.customPlugin, opts.base);
    return { ref: { arn: plugin.arn, revision: plugin.revision }, artifact, resources: [artifact, plugin] };
}

export async function buildProgram(settings: StackSettings, options: ProgramOptions = {}): Promise<StackOutputs> {
    const base = options.transformations ? { transformations: options.transformations } : {};
    warnAboutSettings(settings);
    const provider = awsProvider(settings);
    const withProvider: pulumi.ComponentResourceOptions = { ...base, providers: [provider] };
    // The download is a `command:local:run` invoke: it goes to a command provider of its own, never the AWS one.
    const commandProvider = new command.Provider("command-local", {}, base);
    const found = await preflight(settings, { provider, commandProvider });
    const s = withResolvedKeys(settings, found.kms);

    // On another stack's plugin (pluginArn) nothing is uploaded: no plugins bucket, created or used.
    const pluginsBucket = found.existingPlugin
        ? undefined
        : bucketOf(s, "plugins", s.pluginsBucket, found.buckets.pluginsBucket, withProvider);
    const targetBucket = bucketOf(s, "target", s.targetBucket, found.buckets.targetBucket, withProvider);
    const plugin = sharedPluginOf(s, pluginsBucket, found, { base, withProvider });
    const ofSink = (own: SinkView, arn: string | undefined) =>
        bucketOf(own, "target", { name: own.targetBucket.name, create: false }, arn, withProvider);
    const sinks = s.sinks.map((sink) => sinkOf(s, sink, plugin.ref, found, { stack: targetBucket, ofSink }, { base, withProvider }));
    const everything = [...plugin.resources, ...sinks.flatMap((x) => x.resources)];
    destroyCheckOf(s, [pluginsBucket, targetBucket], plugin.artifact, everything, base);

    const bySink: Record<string, SinkOutputs> = {};
    s.sinks.forEach((sink, i) => (bySink[sink.name] = sinks[i].outputs));
    const single = s.sinks.length === 1 && s.sinks[0].keyPrefix === `${PROJECT}:` ? sinks[0].outputs : {};
    return {
        ...(plugin.artifact ? { pluginObjectUri: plugin.artifact.objectUri, pluginSha256: plugin.artifact.sha256 } : {}),
        customPluginArn: pulumi.output(plugin.ref.arn),
        ...single,
        sinks: bySink,
    };
}
