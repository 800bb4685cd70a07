/**
 * Lookups of what the connector uses but does not create: the MSK cluster (IAM brokers, subnets, security
 * groups), the execution role, the log group and the worker configuration, each checked.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { StackSettings } from "../config";
import { explain, fail, PreflightWarning } from "./lookupError";

/** The cluster as the connector needs it. */
export interface ClusterLookup {
    readonly arn: string;
    readonly clusterUuid: string;
    /** The IAM brokers (port 9098). */
    readonly bootstrapServers: string;
    readonly subnets: string[];
    readonly securityGroups: string[];
}

/** The worker configuration revision the connector runs, the latest one, and the latest's properties for the doctor's check. */
export interface WorkerConfigurationLookup {
    readonly arn: string;
    /** The revision the connector runs: the pinned one, or the latest. */
    readonly revision: number;
    readonly latestRevision: number;
    /** True when the stack takes the latest revision at each run (`workerConfigurationRevision: latest`). */
    readonly followsLatest: boolean;
    readonly name: string;
    readonly propertiesFileContent: string;
}

/**
 * The broker list in one stable spelling (trimmed, de-duplicated, sorted): `aws.msk.getCluster`'s own docs say AWS
 * "may not always return all endpoints so the values may not be stable across applies", and `bootstrapServers`
 * forces the connector's replacement, so an order that changes between runs must not reach it.
 */
export function normalisedBrokers(brokers: string): string {
    const list = brokers
        .split(",")
        .map((b) => b.trim())
        .filter(Boolean);
    return [...new Set(list)].sort().join(",");
}

export function lookUpCluster(clusterName: string, opts: pulumi.InvokeOptions): Promise<ClusterLookup> {
    return aws.msk.getCluster({ clusterName }, opts).then(
        (c) => {
            if (!c.bootstrapBrokersSaslIam) {
                fail(
                    `MSK cluster "${clusterName}" (msk-s3-sink:mskClusterName) has no IAM bootstrap brokers (port 9098): enable IAM access control on the cluster, or name a cluster that has it.`,
                );
            }
            const group = c.brokerNodeGroupInfos[0];
            if (!group || group.clientSubnets.length === 0) {
                fail(
                    `MSK cluster "${clusterName}" (msk-s3-sink:mskClusterName) reports no client subnets; the connector cannot be placed.`,
                );
            }
            return {
                arn: c.arn,
                clusterUuid: c.clusterUuid,
                bootstrapServers: normalisedBrokers(c.bootstrapBrokersSaslIam),
                // Sets to the provider; sorted so that the order a lookup answers in never shows as a change.
                subnets: [...group.clientSubnets].sort(),
                securityGroups: [...group.securityGroups].sort(),
            };
        },
        explain(`MSK cluster "${clusterName}" could not be looked up`, "msk-s3-sink:mskClusterName"),
    );
}

/** The execution role's ARN (undefined when the program creates the role). */
export function lookUpRole(role: StackSettings["executionRole"], opts: pulumi.InvokeOptions): Promise<string | undefined> {
    if (role.mode === "create") return Promise.resolve(undefined);
    if ("name" in role) {
        return aws.iam
            .getRole({ name: role.name }, opts)
            .then((r) => r.arn, explain(`IAM role "${role.name}" could not be looked up`, "msk-s3-sink:executionRoleName"));
    }
    return aws.iam.getRoles({ nameRegex: prefixRegex(role.namePrefix) }, opts).then((found) => pickRole(role.namePrefix, found));
}

/** The log group's name (undefined when the program creates the group). */
export function lookUpLogGroup(logGroup: StackSettings["logGroup"], opts: pulumi.InvokeOptions): Promise<string | undefined> {
    if (logGroup.mode === "create") return Promise.resolve(undefined);
    return aws.cloudwatch
        .getLogGroup({ name: logGroup.name }, opts)
        .then(
            (g) => g.name,
            explain(
                `log group "${logGroup.name}" could not be looked up (set msk-s3-sink:logGroup to "create" to have it created)`,
                "msk-s3-sink:logGroupName",
            ),
        );
}

export function lookUpWorkerConfiguration(
    name: string | undefined,
    pinned: number | "latest",
    opts: pulumi.InvokeOptions,
): Promise<WorkerConfigurationLookup | undefined> {
    if (name === undefined) return Promise.resolve(undefined);
    return aws.mskconnect.getWorkerConfiguration({ name }, opts).then(
        (w) => {
            if (pinned !== "latest" && pinned > w.latestRevision) {
                fail(
                    `worker configuration "${name}" has no revision ${pinned} (msk-s3-sink:workerConfigurationRevision); its latest is ${w.latestRevision}. Fix: \`pulumi config set msk-s3-sink:workerConfigurationRevision ${w.latestRevision}\`.`,
                );
            }
            return {
                arn: w.arn,
                revision: pinned === "latest" ? w.latestRevision : pinned,
                latestRevision: w.latestRevision,
                followsLatest: pinned === "latest",
                name: w.name,
                propertiesFileContent: w.propertiesFileContent ?? "",
            };
        },
        explain(`worker configuration "${name}" could not be looked up (or set it to "none")`, "msk-s3-sink:workerConfigurationName"),
    );
}

/** What a revision choice means for the connector, when it is not pinned to the latest one. */
export function workerRevisionWarnings(w: WorkerConfigurationLookup | undefined): PreflightWarning[] {
    if (w === undefined) return [];
    const key = "msk-s3-sink:workerConfigurationRevision";
    if (w.followsLatest) {
        return [
            {
                rule: "worker-revision-latest",
                key,
                message: `is "latest": the connector runs revision ${w.revision} of "${w.name}", the newest now. A revision anyone adds to it later replaces the connector at the next \`pulumi up\` (deleted first: an outage). Pin it to decide when: \`pulumi config set ${key} ${w.revision}\`.`,
            },
        ];
    }
    if (w.revision < w.latestRevision) {
        return [
            {
                rule: "worker-revision-behind",
                key,
                message: `pins revision ${w.revision} of "${w.name}"; revision ${w.latestRevision} exists. Moving to it replaces the connector (deleted first: an outage). The doctor checked the latest revision's properties.`,
            },
        ];
    }
    return [];
}

/** A regular expression matching names that start with `prefix`. */
export function prefixRegex(prefix: string): string {
    return `^${prefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`;
}

/** Choose the one role a prefix lookup found, or explain why not. */
export function pickRole(prefix: string, found: { names: readonly string[]; arns: readonly string[] }): string {
    if (found.arns.length === 1) return found.arns[0];
    const fix =
        'Set msk-s3-sink:executionRoleName to the exact role name, or msk-s3-sink:executionRole to "create" to have the program create a least-privilege role.';
    if (found.arns.length === 0) {
        return fail(
            `no IAM role's name starts with "${prefix}" (msk-s3-sink:executionRoleNamePrefix). Was the lab's CloudFormation stack deployed in this account? ${fix}`,
        );
    }
    return fail(`${found.arns.length} IAM roles start with "${prefix}" (${found.names.join(", ")}); exactly one must match. ${fix}`);
}
