/**
 * The preflight: everything the stack uses but does not create, looked up and checked before any resource
 * is registered (in `pulumi preview` too), with the account checks that need no resource: names already
 * taken, the plugin key already holding a file, the connector's route to S3 and its security groups. One
 * LookupError lists every failure; what the checks cannot be sure of is logged as a warning.
 */
import * as pulumi from "@pulumi/pulumi";
import type { StackSettings } from "../config";
import { BucketSetting, lookUpBuckets } from "./buckets";
import {
    ClusterLookup,
    lookUpCluster,
    lookUpLogGroup,
    lookUpRole,
    lookUpWorkerConfiguration,
    WorkerConfigurationLookup,
    workerRevisionWarnings,
} from "./connectorDependencies";
import { Adoptions, checkFixedNames } from "./existing";
import { KmsLookups, lookUpKmsKeys } from "./kms";
import { failuresOf, formatWarning, LookupError, PreflightWarning } from "./lookupError";
import { checkNetwork, NetworkVerdict } from "./network";
import { checkPluginObject, ReusedPluginObject } from "./pluginObject";
import { fetchPluginZip } from "./pluginZip";

/** What the preflight found; components receive it as plain args. */
export interface PreflightResult {
    /** ARNs of the buckets that were looked up, by setting. */
    readonly buckets: Partial<Record<BucketSetting, string>>;
    readonly connector: ConnectorLookups;
    /** The KMS keys the stack names, as key ARNs. */
    readonly kms: KmsLookups;
    /** Existing resources of our names to import instead of creating (`adoptExisting`), by their ARNs. */
    readonly adopt: Adoptions;
    /** The plugin key already holds the pinned zip: use it, upload nothing. */
    readonly reusePluginObject?: ReusedPluginObject;
    /** The downloaded zip, checked against the pin (undefined for a local zip, a reused object, or offline). */
    readonly pluginZip?: string;
    /** What the checks could not be sure of (also logged as warnings). */
    readonly warnings: readonly PreflightWarning[];
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

export async function preflight(s: StackSettings, providers: PreflightProviders): Promise<PreflightResult> {
    const opts: pulumi.InvokeOptions = { provider: providers.provider };
    // Started in this order (the order a plan lists its lookups), awaited together.
    const buckets = lookUpBuckets(s, opts);
    const cluster = lookUpCluster(s.mskClusterName, opts);
    const role = lookUpRole(s.executionRole, opts);
    const logGroup = lookUpLogGroup(s.logGroup, opts);
    const worker = lookUpWorkerConfiguration(s.workerConfigurationName, s.workerConfigurationRevision, opts);
    const kms = lookUpKmsKeys(s, opts);
    const names = checkFixedNames(s, opts);
    const object = buckets.then(
        () => checkPluginObject(s, opts),
        () => undefined, // a missing bucket is reported once, by its lookup
    );
    const network = networkOf(cluster, s.region, opts);
    const settled = await Promise.allSettled([buckets, cluster, role, logGroup, worker, kms, names, object]);
    const [networkSettled] = await Promise.allSettled([network]);
    const failures = [...settled, networkSettled].flatMap((r) => (r.status === "rejected" ? failuresOf(r.reason) : []));
    if (failures.length > 0) throw new LookupError(failures, networkSettled.status === "fulfilled" ? networkSettled.value.warnings : []);

    const [foundBuckets, foundCluster, executionRoleArn, logGroupName, workerConfiguration, foundKms, adopt, reusePluginObject, verdict] =
        await Promise.all([buckets, cluster, role, logGroup, worker, kms, names, object, network]);
    // Last, once everything else checked out: the zip, downloaded only when it is to be uploaded.
    const pluginZip = reusePluginObject
        ? undefined
        : await fetchPluginZip(s, { provider: providers.commandProvider }).catch((e: unknown) => {
              throw new LookupError(failuresOf(e), verdict.warnings);
          });
    const warnings = [...workerRevisionWarnings(workerConfiguration), ...verdict.warnings];
    for (const w of warnings) void pulumi.log.warn(formatWarning(w));
    return {
        buckets: foundBuckets,
        connector: {
            cluster: foundCluster,
            ...(executionRoleArn ? { executionRoleArn } : {}),
            ...(logGroupName ? { logGroupName } : {}),
            ...(workerConfiguration ? { workerConfiguration } : {}),
        },
        kms: foundKms,
        adopt,
        ...(reusePluginObject ? { reusePluginObject } : {}),
        ...(pluginZip ? { pluginZip } : {}),
        warnings,
    };
}
