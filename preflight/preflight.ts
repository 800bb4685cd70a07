/**
 * The preflight: everything the stack uses but does not create, looked up and checked before any resource
 * is registered (in `pulumi preview` too). One LookupError lists every failure.
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
} from "./connectorDependencies";
import { KmsLookups, lookUpKmsKeys } from "./kms";
import { failuresOf, LookupError } from "./lookupError";

/** What the preflight found; components receive it as plain args. */
export interface PreflightResult {
    /** ARNs of the buckets that were looked up, by setting. */
    readonly buckets: Partial<Record<BucketSetting, string>>;
    readonly connector: ConnectorLookups;
    /** The KMS keys the stack names, as key ARNs. */
    readonly kms: KmsLookups;
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

export async function preflight(s: StackSettings, opts: pulumi.InvokeOptions): Promise<PreflightResult> {
    // Started in this order (the order a plan lists its lookups), awaited together.
    const buckets = lookUpBuckets(s, opts);
    const cluster = lookUpCluster(s.mskClusterName, opts);
    const role = lookUpRole(s.executionRole, opts);
    const logGroup = lookUpLogGroup(s.logGroup, opts);
    const worker = lookUpWorkerConfiguration(s.workerConfigurationName, opts);
    const kms = lookUpKmsKeys(s, opts);
    const settled = await Promise.allSettled([buckets, cluster, role, logGroup, worker, kms]);
    const failures = settled.flatMap((r) => (r.status === "rejected" ? failuresOf(r.reason) : []));
    if (failures.length > 0) throw new LookupError(failures);

    const [foundBuckets, foundCluster, executionRoleArn, logGroupName, workerConfiguration, foundKms] = await Promise.all([
        buckets,
        cluster,
        role,
        logGroup,
        worker,
        kms,
    ]);
    return {
        buckets: foundBuckets,
        connector: {
            cluster: foundCluster,
            ...(executionRoleArn ? { executionRoleArn } : {}),
            ...(logGroupName ? { logGroupName } : {}),
            ...(workerConfiguration ? { workerConfiguration } : {}),
        },
        kms: foundKms,
    };
}
