/**
 * The preflight: everything the stack uses but does not create, looked up and checked before any resource
 * is registered (in `pulumi preview` too), with the account checks that need no resource: names already
 * taken, the plugin key already holding a file, the connector's route to S3 and its security groups. One
 * LookupError lists every failure; what the checks cannot be sure of is logged as a warning.
 */
import * as pulumi from "@pulumi/pulumi";
import { PROJECT, SinkSettings, StackSettings } from "../config";
import { BucketSetting, lookUpBuckets, lookUpSinkBucket } from "./buckets";
import {
    ClusterLookup,
    lookUpCluster,
    lookUpLogGroup,
    lookUpRole,
    lookUpWorkerConfiguration,
    WorkerConfigurationLookup,
    workerRevisionWarnings,
} from "./connectorDependencies";
import { Adoption, Adoptions, checkAdoptedTogether, checkFixedNames, SINGLE_SINK } from "./existing";
import { KmsLookups, lookUpKmsKeys } from "./kms";
import { failuresOf, formatWarning, LookupError, PreflightWarning } from "./lookupError";
import { checkNetwork, NetworkVerdict } from "./network";
import { checkPluginObject, ReusedPluginObject } from "./pluginObject";
import { fetchPluginZip } from "./pluginZip";
import { checkExistingPlugin, ExistingPlugin } from "./sharedPlugin";

/** What the preflight found; components receive it as plain args. */
export interface PreflightResult {
    /** ARNs of the buckets that were looked up, by setting. */
    readonly buckets: Partial<Record<BucketSetting, string>>;
    /** What each sink needs, by sink name (one sink, `default`, for a single-sink stack). */
    readonly sinks: Readonly<Record<string, SinkLookups>>;
    /** The KMS keys the stack names, as key ARNs. */
    readonly kms: KmsLookups;
    /** The stack's custom plugin, when an existing one of our name is adopted (`adoptExisting`). */
    readonly adopt: Pick<Adoptions, "customPlugin">;
    /** The custom plugin another stack manages (`pluginArn`), checked. */
    readonly existingPlugin?: ExistingPlugin;
    /** The plugin key already holds the pinned zip: use it, upload nothing. */
    readonly reusePluginObject?: ReusedPluginObject;
    /** The downloaded zip, checked against the pin (undefined for a local zip, a reused object, or offline). */
    readonly pluginZip?: string;
    /** What the checks could not be sure of (also logged as warnings). */
    readonly warnings: readonly PreflightWarning[];
}

/** What one sink needs that the preflight looked up: the connector's dependencies, its adoption, its own target bucket. */
export interface SinkLookups {
    readonly connector: ConnectorLookups;
    /** The existing connector of its name, adopted (`adoptExisting`). */
    readonly adopt?: Adoption;
    /** The ARN of a target bucket of the sink's own (looked up; the stack's target bucket otherwise). */
    readonly targetBucketArn?: string;
}

/** Everything the connector needs that already exists in the account, checked. */
export interface ConnectorLookups {
    readonly cluster: ClusterLookup;
    /** When the role is looked up. */
    readonly executionRoleArn?: string;
    /** When the log group is looked up. */
    readonly logGroupName?: string;
    /** When a worker configuration is named. */
    readonly workerConfiguration?: WorkerConfigurationLookup;
}

/** The network verdict, as a failure when anything is certainly wrong; skipped (no cascade) when the cluster was not found. */
function networkOf(cluster: Promise<ClusterLookup>, region: string, opts: pulumi.InvokeOptions): Promise<NetworkVerdict> {
    return cluster.then(
        async (c) => {
            const verdict = await checkNetwork(c, region, opts);
            if (verdict.errors.length > 0) throw new LookupError(verdict.errors);
            return verdict;
        },
        () => ({ errors: [], warnings: [] }),
    );
}

/** The providers the preflight's lookups go to: each invoke only to a provider of its own package (`@pulumi/pulumi/runtime/invoke.js` `getProvider`; pulumi `pkg/resource/deploy/source_eval.go`). */
export interface PreflightProviders {
    /** The stack's AWS provider, for every `aws:*` lookup. */
    readonly provider: pulumi.ProviderResource;
    /** A `command` provider for the download (`command:local:run`): the engine routes an invoke by its provider alone. */
    readonly commandProvider: pulumi.ProviderResource;
}

/** A failure of one sink's lookups, named under the sink when the stack names its sinks. */
function underSink(sink: SinkSettings, e: unknown): LookupError {
    const named = sink.keyPrefix !== `${PROJECT}:`;
    return new LookupError(failuresOf(e).map((f) => (named ? `sink "${sink.name}": ${f}` : f)));
}

/** Lookups already asked by another sink, by what they ask: sinks sharing a role or log group look it up once. */
type Asked = Map<string, Promise<unknown>>;

function once<T>(asked: Asked, key: string, lookUp: () => Promise<T>): Promise<T> {
    if (!asked.has(key)) asked.set(key, lookUp());
    return asked.get(key) as Promise<T>;
}

/** One sink's own lookups: its role, its log group, its connector's name, a target bucket of its own. */
function lookUpSink(s: StackSettings, sink: SinkSettings, opts: pulumi.InvokeOptions, asked: Asked) {
    const own = sink.settings;
    const bucket =
        own.targetBucket.name === s.targetBucket.name
            ? Promise.resolve(undefined)
            : once(asked, `bucket ${own.targetBucket.name}`, () => lookUpSinkBucket(own.targetBucket.name, sink.keyPrefix, opts));
    const all = [
        once(asked, `role ${JSON.stringify(own.executionRole)}`, () => lookUpRole(own.executionRole, opts)),
        once(asked, `log group ${JSON.stringify(own.logGroup)}`, () => lookUpLogGroup(own.logGroup, opts)),
        checkFixedNames(own, opts, sink, ["connector"]),
        bucket,
    ] as const;
    return Promise.allSettled(all).then(() =>
        Promise.all(all).catch(async () => {
            throw new LookupError((await Promise.allSettled(all)).flatMap((r) => (r.status === "rejected" ? failuresOf(r.reason) : [])));
        }),
    );
}

/** Each failure of the sinks' lookups once, named with every sink it stops (a missing log group they share is told once). */
function sinksFailures(s: StackSettings, settled: readonly PromiseSettledResult<unknown>[]): string[] {
    const sinksOf = new Map<string, string[]>();
    settled.forEach((r, i) => {
        if (r.status === "fulfilled") return;
        for (const f of failuresOf(r.reason)) sinksOf.set(f, [...(sinksOf.get(f) ?? []), s.sinks[i].name]);
    });
    const named = s.sinks.some((x) => x.keyPrefix !== `${PROJECT}:`);
    return [...sinksOf].map(([f, names]) =>
        !named ? f : `${names.length === 1 ? "sink" : "sinks"} ${names.map((n) => `"${n}"`).join(", ")}: ${f}`,
    );
}

/** The stack's own plugin: its name checked (and adopted), or another stack's plugin checked (`pluginArn`). */
function pluginOf(
    s: StackSettings,
    opts: pulumi.InvokeOptions,
): Promise<{ adopt: Pick<Adoptions, "customPlugin">; existing?: ExistingPlugin }> {
    if (s.plugin.existingArn) return checkExistingPlugin(s, s.plugin.existingArn, opts).then((existing) => ({ adopt: {}, existing }));
    return checkFixedNames(s, opts, SINGLE_SINK, ["customPlugin"]).then((a) => ({
        adopt: a.customPlugin ? { customPlugin: a.customPlugin } : {},
    }));
}

export async function preflight(s: StackSettings, providers: PreflightProviders): Promise<PreflightResult> {
    const opts: pulumi.InvokeOptions = { provider: providers.provider };
    // Started in this order (the order a plan lists its lookups), awaited together: what the sinks share once, then each sink's own.
    const buckets = lookUpBuckets(s, opts);
    const cluster = lookUpCluster(s.mskClusterName, opts);
    const worker = lookUpWorkerConfiguration(s.workerConfigurationName, s.workerConfigurationRevision, opts);
    const kms = lookUpKmsKeys(s, opts);
    const plugin = pluginOf(s, opts);
    const asked: Asked = new Map();
    const sinks = Promise.allSettled(s.sinks.map((sink) => lookUpSink(s, sink, opts, asked)));
    const sinkFailures = sinks.then((all) => {
        const failures = sinksFailures(s, all);
        if (failures.length > 0) throw new LookupError(failures);
        return all.map((r) => (r as PromiseFulfilledResult<Awaited<ReturnType<typeof lookUpSink>>>).value);
    });
    const object = s.plugin.existingArn
        ? Promise.resolve(undefined)
        : // After the plugin's name check: a plugin the stack adopts was made from what is at the key, kept as it is.
          Promise.all([buckets, plugin]).then(
              ([, p]) => checkPluginObject(s, opts, p.adopt.customPlugin !== undefined),
              () => undefined, // a missing bucket or a taken name is reported once, by its own check
          );
    const network = networkOf(cluster, s.region, opts);
    const settled = await Promise.allSettled([buckets, cluster, worker, kms, plugin, sinkFailures, object]);
    const [networkSettled] = await Promise.allSettled([network]);
    const failures = [...settled, networkSettled].flatMap((r) => (r.status === "rejected" ? failuresOf(r.reason) : []));
    if (failures.length > 0) throw new LookupError(failures, networkSettled.status === "fulfilled" ? networkSettled.value.warnings : []);

    const [foundBuckets, foundCluster, workerConfiguration, foundKms, foundPlugin, foundSinks, reusePluginObject, verdict] =
        await Promise.all([buckets, cluster, worker, kms, plugin, sinkFailures, object, network]);
    for (const [i, sink] of s.sinks.entries()) {
        try {
            checkAdoptedTogether(sink.settings, foundSinks[i][2].connector, foundPlugin.adopt.customPlugin);
        } catch (e) {
            throw underSink(sink, e);
        }
    }
    // Last, once everything else checked out: the zip, downloaded only when it is to be uploaded.
    const pluginZip =
        reusePluginObject || s.plugin.existingArn
            ? undefined
            : await fetchPluginZip(s, { provider: providers.commandProvider }).catch((e: unknown) => {
                  throw new LookupError(failuresOf(e), verdict.warnings);
              });
    const warnings = [...workerRevisionWarnings(workerConfiguration), ...(foundPlugin.existing?.warnings ?? []), ...verdict.warnings];
    for (const w of warnings) void pulumi.log.warn(formatWarning(w));
    const lookups: Record<string, SinkLookups> = {};
    s.sinks.forEach((sink, i) => {
        const [executionRoleArn, logGroupName, adopt, targetBucketArn] = foundSinks[i];
        lookups[sink.name] = {
            connector: {
                cluster: foundCluster,
                ...(executionRoleArn ? { executionRoleArn } : {}),
                ...(logGroupName ? { logGroupName } : {}),
                ...(workerConfiguration ? { workerConfiguration } : {}),
            },
            ...(adopt.connector ? { adopt: adopt.connector } : {}),
            ...(targetBucketArn ? { targetBucketArn } : {}),
        };
    });
    return {
        buckets: foundBuckets,
        sinks: lookups,
        kms: foundKms,
        adopt: foundPlugin.adopt,
        ...(foundPlugin.existing ? { existingPlugin: foundPlugin.existing } : {}),
        ...(reusePluginObject ? { reusePluginObject } : {}),
        ...(pluginZip ? { pluginZip } : {}),
        warnings,
    };
}
