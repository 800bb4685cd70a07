/**
 * The security invariants as plain rules over a stack's resources (type, name, inputs). The CrossGuard
 * pack (`policy/index.ts`) runs them in `pulumi preview --policy-pack policy`; `npm run plan` and the tests
 * run the same functions offline on the program rendered under mocks.
 *
 * Unknown values (a preview's "known after up") never fail a rule; they are checked once known.
 */
import * as pulumi from "@pulumi/pulumi";
import { NOT_A_SECRET_NAME, SECRET_NAME_PATTERN } from "../common";
import { OPAQUE_SECRET } from "../config";

export interface StackResource {
    readonly type: string;
    readonly name: string;
    readonly inputs: Record<string, unknown>;
}

export interface PolicyViolation {
    readonly rule: string;
    /** `<type> <name>` of the resource at fault. */
    readonly resource: string;
    readonly message: string;
}

export interface Rule {
    readonly name: string;
    readonly description: string;
    readonly check: (resources: readonly StackResource[]) => PolicyViolation[];
}

const UNKNOWN = pulumi.runtime.unknownValue;

/** The tag a bucket carries when emptying it on destroy was asked for (components/secureBucket.ts sets it). */
const EMPTY_ON_DESTROY_TAG = "msk-s3-sink:empty-on-destroy";
const isUnknown = (v: unknown): boolean => v === UNKNOWN || v === undefined;
/** A resource ARN this run can judge: not unknown until `up`, and not built from a secret the plan cannot read. */
const judgeable = (arn: string): boolean => !arn.includes(UNKNOWN) && !arn.includes(OPAQUE_SECRET);

const T = {
    bucket: "aws:s3/bucket:Bucket",
    pab: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    ownership: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    sse: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    versioning: "aws:s3/bucketVersioning:BucketVersioning",
    lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
    object: "aws:s3/bucketObjectv2:BucketObjectv2",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    connector: "aws:mskconnect/connector:Connector",
    customPlugin: "aws:mskconnect/customPlugin:CustomPlugin",
} as const;

const CONNECTOR_ARN = /^arn:[^:]+:kafkaconnect:[a-z0-9-]+:\d{12}:connector\/[^/*]+\/[^/*]+$/;
const LAMBDA_LOGS = /^arn:[^:]+:logs:[a-z0-9-]+:\d{12}:log-group:\/aws\/lambda\/[^*:]+:\*$/;
const SSM_PARAMETER = /^arn:[^:]+:ssm:[a-z0-9-]+:\d{12}:parameter\/[^*]+$/;
/** What the auto-restart function may do, each on the one resource kind it names (components/autoRestart.ts). */
const RESTART_FUNCTION_ACTIONS: Readonly<Record<string, RegExp>> = {
    "kafkaconnect:RestartConnector": CONNECTOR_ARN,
    "kafkaconnect:DescribeConnector": CONNECTOR_ARN,
    "kafkaconnect:ListConnectorOperations": CONNECTOR_ARN,
    "kafkaconnect:DescribeConnectorOperation": /^arn:[^:]+:kafkaconnect:[a-z0-9-]+:\d{12}:connector-operation\/[^/*]+\/[^/*]+\/\*$/,
    "cloudwatch:DescribeAlarms": /^arn:[^:]+:cloudwatch:[a-z0-9-]+:\d{12}:alarm:[^*]+$/,
    "ssm:GetParameter": SSM_PARAMETER,
    "ssm:PutParameter": SSM_PARAMETER,
    "logs:CreateLogStream": LAMBDA_LOGS,
    "logs:PutLogEvents": LAMBDA_LOGS,
};

const at = (r: StackResource): string => `${r.type} ${r.name}`;
const ofType = (rs: readonly StackResource[], type: string): StackResource[] => rs.filter((r) => r.type === type);
const v = (rule: string, r: StackResource, message: string): PolicyViolation => ({ rule, resource: at(r), message });

interface Statement {
    Effect?: string;
    Action?: string | string[];
    Resource?: string | string[];
    Principal?: unknown;
    Condition?: Record<string, Record<string, unknown>>;
}

function parsePolicy(doc: unknown): Statement[] | undefined {
    if (isUnknown(doc)) return undefined;
    try {
        const parsed = (typeof doc === "string" ? JSON.parse(doc) : doc) as { Statement?: Statement | Statement[] };
        const s = parsed.Statement ?? [];
        return Array.isArray(s) ? s : [s];
    } catch {
        return undefined;
    }
}
const list = (x: string | string[] | undefined): string[] => (x === undefined ? [] : Array.isArray(x) ? x : [x]);

/** Permission statements of the connector roles this stack creates (inline role policies). */
function permissionStatements(rs: readonly StackResource[]): { r: StackResource; s: Statement }[] {
    const out: { r: StackResource; s: Statement }[] = [];
    for (const r of ofType(rs, T.rolePolicy)) {
        for (const s of parsePolicy(r.inputs.policy) ?? []) out.push({ r, s });
    }
    for (const r of ofType(rs, T.role)) {
        const inline = (r.inputs.inlinePolicies as { policy?: unknown }[] | undefined) ?? [];
        for (const p of inline) for (const s of parsePolicy(p.policy) ?? []) out.push({ r, s });
    }
    return out;
}

/** Settings resources that apply to a bucket, matched by the bucket name they name. */
function forBucket(rs: readonly StackResource[], type: string, bucket: StackResource): StackResource[] {
    const name = bucket.inputs.bucket;
    return ofType(rs, type).filter((x) => x.inputs.bucket === name || x.inputs.bucket === `${bucket.name}-id`);
}

function bucketRule(name: string, description: string, type: string, ok: (setting: StackResource) => boolean, fix: string): Rule {
    return {
        name,
        description,
        check: (rs) =>
            ofType(rs, T.bucket).flatMap((b) => {
                const settings = forBucket(rs, type, b);
                if (settings.some((s) => ok(s))) return [];
                return [
                    v(
                        name,
                        b,
                        `bucket ${String(b.inputs.bucket)} ${description.toLowerCase().replace(/^every created bucket /, "")} is missing. Fix: ${fix}`,
                    ),
                ];
            }),
    };
}

export const RULES: Rule[] = [
    {
        name: "role-trust-confused-deputy",
        description: "A role MSK Connect assumes is limited to this account and this connector (aws:SourceAccount and aws:SourceArn).",
        check: (rs) =>
            ofType(rs, T.role).flatMap((r) => {
                const statements = parsePolicy(r.inputs.assumeRolePolicy);
                if (!statements) return [];
                return statements
                    .filter((s) => JSON.stringify(s.Principal ?? "").includes("kafkaconnect.amazonaws.com"))
                    .flatMap((s) => {
                        const account = s.Condition?.StringEquals?.["aws:SourceAccount"];
                        const arn = s.Condition?.ArnLike?.["aws:SourceArn"] ?? s.Condition?.ArnEquals?.["aws:SourceArn"];
                        const missing = [
                            account ? "" : "StringEquals aws:SourceAccount",
                            arn && String(arn).includes(":connector/") ? "" : "ArnLike aws:SourceArn on the connector's ARN",
                        ].filter(Boolean);
                        return missing.length === 0
                            ? []
                            : [
                                  v(
                                      "role-trust-confused-deputy",
                                      r,
                                      `the trust policy lets kafkaconnect.amazonaws.com assume the role without ${missing.join(" and ")}. Fix: add the condition(s) so only this account's connector can use the role.`,
                                  ),
                              ];
                    });
            }),
    },
    {
        name: "role-no-wildcard-action",
        description: "The connector role's policies allow no `*` or `service:*` action.",
        check: (rs) =>
            permissionStatements(rs)
                .filter(({ s }) => s.Effect === "Allow" && list(s.Action).some((a) => a === "*" || a.endsWith(":*")))
                .map(({ r, s }) =>
                    v(
                        "role-no-wildcard-action",
                        r,
                        `allows ${list(s.Action)
                            .filter((a) => a === "*" || a.endsWith(":*"))
                            .join(", ")}. Fix: list the exact actions the sink needs (see docs/design.md, Security).`,
                    ),
                ),
    },
    {
        name: "role-no-wildcard-resource",
        description: "The connector role's policies allow nothing on the `*` resource.",
        check: (rs) =>
            permissionStatements(rs)
                .filter(
                    ({ s }) =>
                        s.Effect === "Allow" && list(s.Resource).some((x) => x === "*" || /^arn:[^:]+:[^:]+:[^:]*:[^:]*:\*$/.test(x)),
                )
                .map(({ r, s }) =>
                    v(
                        "role-no-wildcard-resource",
                        r,
                        `allows ${list(s.Action).join(", ")} on every resource. Fix: name the cluster, topic, group, bucket or key ARNs.`,
                    ),
                ),
    },
    {
        name: "role-kafka-scoped-to-cluster",
        description: "Every kafka-cluster statement is scoped to the cluster's ARN or its topics and groups.",
        check: (rs) =>
            permissionStatements(rs)
                .filter(({ s }) => list(s.Action).some((a) => a.startsWith("kafka-cluster:")))
                .filter(({ s }) =>
                    list(s.Resource).some(
                        (x) =>
                            judgeable(x) &&
                            !/^arn:[^:]+:kafka:[a-z0-9-]+:\d{12}:(cluster|topic|group|transactional-id)\/[^/*]+\/[^/*]+(\/.+)?$/.test(x),
                    ),
                )
                .map(({ r, s }) =>
                    v(
                        "role-kafka-scoped-to-cluster",
                        r,
                        `kafka-cluster actions on ${list(s.Resource).join(", ")} are not scoped to one cluster. Fix: use arn:…:kafka:<region>:<account>:<cluster|topic|group>/<cluster name>/<cluster uuid>/….`,
                    ),
                ),
    },
    {
        name: "role-s3-scoped-to-bucket",
        description: "S3 permissions name the target bucket or objects in it.",
        check: (rs) =>
            permissionStatements(rs)
                .filter(({ s }) => list(s.Action).some((a) => a.startsWith("s3:")))
                .filter(({ s }) =>
                    list(s.Resource).some((x) => judgeable(x) && !/^arn:[^:]+:s3:::[a-z0-9][a-z0-9.-]+[a-z0-9](\/.*)?$/.test(x)),
                )
                .map(({ r, s }) =>
                    v(
                        "role-s3-scoped-to-bucket",
                        r,
                        `S3 actions on ${list(s.Resource).join(", ")} reach beyond one bucket. Fix: name the target bucket's ARN and <bucket>/<topics.dir>/*.`,
                    ),
                ),
    },
    {
        name: "role-kms-only-with-key",
        description: "KMS permissions appear only for a configured key, on that key's ARN.",
        check: (rs) =>
            permissionStatements(rs)
                .filter(({ s }) => list(s.Action).some((a) => a.startsWith("kms:")))
                .filter(({ s }) =>
                    list(s.Resource).some((x) => judgeable(x) && !/^arn:[^:]+:kms:[a-z0-9-]+:\d{12}:(key|alias)\/.+$/.test(x)),
                )
                .map(({ r, s }) =>
                    v(
                        "role-kms-only-with-key",
                        r,
                        `KMS actions on ${list(s.Resource).join(", ")}. Fix: grant kms:GenerateDataKey and kms:Decrypt on the configured key's ARN only.`,
                    ),
                ),
    },
    bucketRule(
        "bucket-public-access-block",
        "Every created bucket has Block Public Access with all four flags on.",
        T.pab,
        (s) => ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"].every((k) => s.inputs[k] === true),
        "add an aws.s3.BucketPublicAccessBlock with blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets set to true.",
    ),
    bucketRule(
        "bucket-acls-disabled",
        "Every created bucket has ACLs disabled (BucketOwnerEnforced).",
        T.ownership,
        (s) => (s.inputs.rule as { objectOwnership?: string } | undefined)?.objectOwnership === "BucketOwnerEnforced",
        "add aws.s3.BucketOwnershipControls with objectOwnership BucketOwnerEnforced.",
    ),
    bucketRule(
        "bucket-default-encryption",
        "Every created bucket has default encryption (SSE-S3 or SSE-KMS).",
        T.sse,
        (s) =>
            ((s.inputs.rules as { applyServerSideEncryptionByDefault?: { sseAlgorithm?: string } }[] | undefined) ?? []).some((x) =>
                ["AES256", "aws:kms", "aws:kms:dsse"].includes(x.applyServerSideEncryptionByDefault?.sseAlgorithm ?? ""),
            ),
        "add aws.s3.BucketServerSideEncryptionConfiguration with AES256, or aws:kms and the configured key.",
    ),
    bucketRule(
        "bucket-tls-only",
        "Every created bucket's policy denies requests without TLS.",
        T.bucketPolicy,
        (s) =>
            (parsePolicy(s.inputs.policy) ?? []).some(
                (st) => st.Effect === "Deny" && JSON.stringify(st.Condition ?? {}).includes('"aws:SecureTransport":"false"'),
            ),
        "attach a bucket policy that denies s3:* when aws:SecureTransport is false.",
    ),
    bucketRule(
        "bucket-versioning",
        "Every created bucket has versioning enabled.",
        T.versioning,
        (s) => (s.inputs.versioningConfiguration as { status?: string } | undefined)?.status === "Enabled",
        "add aws.s3.BucketVersioning with status Enabled.",
    ),
    bucketRule(
        "bucket-abort-incomplete-uploads",
        "Every created bucket aborts incomplete multipart uploads.",
        T.lifecycle,
        (s) =>
            (
                (s.inputs.rules as { status?: string; abortIncompleteMultipartUpload?: { daysAfterInitiation?: number } }[] | undefined) ??
                []
            ).some((x) => x.status === "Enabled" && (x.abortIncompleteMultipartUpload?.daysAfterInitiation ?? 0) > 0),
        "add a lifecycle rule with abortIncompleteMultipartUpload.daysAfterInitiation (7 days here).",
    ),
    {
        name: "bucket-no-force-destroy",
        description: "No created bucket can be destroyed with its data (forceDestroy is off), unless emptying it was asked for explicitly.",
        check: (rs) =>
            ofType(rs, T.bucket)
                .filter(
                    (b) =>
                        b.inputs.forceDestroy === true &&
                        (b.inputs.tags as Record<string, unknown> | undefined)?.[EMPTY_ON_DESTROY_TAG] !== "true",
                )
                .map((b) =>
                    v(
                        "bucket-no-force-destroy",
                        b,
                        `bucket ${String(b.inputs.bucket)} has forceDestroy on, so \`pulumi destroy\` deletes its data. Fix: leave forceDestroy off; the program turns it on only for msk-s3-sink:emptyTargetBucketOnDestroy, and marks the bucket with the ${EMPTY_ON_DESTROY_TAG} tag.`,
                    ),
                ),
    },
    {
        name: "plugin-pins-object-version",
        description: "The custom plugin pins the uploaded object's version when its bucket is versioned.",
        check: (rs) =>
            ofType(rs, T.customPlugin).flatMap((p) => {
                const s3 = (p.inputs.location as { s3?: Record<string, unknown> } | undefined)?.s3 ?? {};
                if (s3.bucketArn === UNKNOWN || (s3.objectVersion !== undefined && s3.objectVersion !== "")) return [];
                const bucketName = String(s3.bucketArn ?? "").split(":::")[1];
                const versioned = ofType(rs, T.versioning).some(
                    (x) =>
                        x.inputs.bucket === bucketName &&
                        (x.inputs.versioningConfiguration as { status?: string } | undefined)?.status === "Enabled",
                );
                return versioned
                    ? [
                          v(
                              "plugin-pins-object-version",
                              p,
                              `the plugin's bucket ${bucketName} is versioned but location.s3.objectVersion is not set, so a new upload could change what the plugin runs. Fix: pass the uploaded object's versionId.`,
                          ),
                      ]
                    : [];
            }),
    },
    {
        name: "log-group-retention",
        description: "A created log group has a retention period.",
        check: (rs) =>
            ofType(rs, T.logGroup)
                .filter((g) =>
                    !isUnknown(g.inputs.retentionInDays) ? !(Number(g.inputs.retentionInDays) > 0) : g.inputs.retentionInDays === undefined,
                )
                .map((g) =>
                    v(
                        "log-group-retention",
                        g,
                        `log group ${String(g.inputs.name)} keeps logs forever. Fix: set retentionInDays (msk-s3-sink:logRetentionDays, 30 by default).`,
                    ),
                ),
    },
    {
        name: "connector-iam-auth",
        description: "The connector authenticates to the cluster with IAM.",
        check: (rs) =>
            ofType(rs, T.connector)
                .filter(
                    (c) =>
                        (c.inputs.kafkaClusterClientAuthentication as { authenticationType?: string } | undefined)?.authenticationType !==
                        "IAM",
                )
                .map((c) =>
                    v(
                        "connector-iam-auth",
                        c,
                        "kafkaClusterClientAuthentication.authenticationType is not IAM (the provider's default is NONE). Fix: set it to IAM.",
                    ),
                ),
    },
    {
        name: "connector-tls",
        description: "The connector encrypts traffic to the cluster with TLS.",
        check: (rs) =>
            ofType(rs, T.connector)
                .filter(
                    (c) => (c.inputs.kafkaClusterEncryptionInTransit as { encryptionType?: string } | undefined)?.encryptionType !== "TLS",
                )
                .map((c) =>
                    v(
                        "connector-tls",
                        c,
                        "kafkaClusterEncryptionInTransit.encryptionType is not TLS (the provider's default is PLAINTEXT). Fix: set it to TLS.",
                    ),
                ),
    },
    {
        name: "connector-iam-port",
        description: "The connector's bootstrap servers are the cluster's IAM brokers (port 9098).",
        check: (rs) =>
            ofType(rs, T.connector).flatMap((c) => {
                const servers = (c.inputs.kafkaCluster as { apacheKafkaCluster?: { bootstrapServers?: string } } | undefined)
                    ?.apacheKafkaCluster?.bootstrapServers;
                if (isUnknown(servers)) return [];
                const bad = String(servers)
                    .split(",")
                    .filter((s) => !/:9098$/.test(s.trim()));
                return bad.length === 0
                    ? []
                    : [
                          v(
                              "connector-iam-port",
                              c,
                              `bootstrap servers ${bad.join(", ")} are not on the IAM port 9098. Fix: use the cluster's bootstrapBrokersSaslIam.`,
                          ),
                      ];
            }),
    },
    {
        name: "connector-log-delivery",
        description: "The connector delivers worker logs.",
        check: (rs) =>
            ofType(rs, T.connector)
                .filter((c) => {
                    const d =
                        (c.inputs.logDelivery as { workerLogDelivery?: Record<string, { enabled?: boolean }> } | undefined)
                            ?.workerLogDelivery ?? {};
                    return !Object.values(d).some((x) => x?.enabled === true);
                })
                .map((c) =>
                    v(
                        "connector-log-delivery",
                        c,
                        "worker log delivery is off, so a FAILED connector leaves no trace. Fix: enable logDelivery.workerLogDelivery.cloudwatchLogs with a log group.",
                    ),
                ),
    },
    {
        name: "plugin-object-from-verified-file",
        description: "The plugin zip is uploaded from a local file checked against a pinned SHA-256, never from a remote asset.",
        check: (rs) =>
            ofType(rs, T.object).flatMap((o) => {
                const source = o.inputs.source as Record<string, unknown> | undefined;
                const problems: string[] = [];
                if (source && typeof source === "object" && "uri" in source)
                    problems.push("its source is a RemoteAsset, which uploads whatever the URL answers (even an error page)");
                const digest = (o.inputs.metadata as Record<string, unknown> | undefined)?.sha256;
                // A secret digest read offline (`npm run plan`) is not known here; `pulumi preview` sees the real one.
                if (typeof digest !== "string" || (!/^[0-9a-f]{64}$/.test(digest) && digest !== OPAQUE_SECRET))
                    problems.push("it carries no pinned sha256 in its metadata");
                return problems.length === 0
                    ? []
                    : [
                          v(
                              "plugin-object-from-verified-file",
                              o,
                              `${problems.join("; ")}. Fix: use the PluginArtifact component (download, check the digest, upload a FileAsset).`,
                          ),
                      ];
            }),
    },
    {
        name: "restart-function-least-privilege",
        description:
            "A role that may restart a connector (the auto-restart function's) may only restart and describe that one connector and its operations, read its own alarm, read and write its own SSM parameter, and write its own logs.",
        check: (rs) =>
            ofType(rs, T.rolePolicy).flatMap((r) => {
                const statements = (parsePolicy(r.inputs.policy) ?? []).filter((s) => s.Effect === "Allow");
                if (!statements.some((s) => list(s.Action).some((a) => a.toLowerCase().startsWith("kafkaconnect:")))) return [];
                const wrong = statements.flatMap((s) =>
                    list(s.Action).flatMap((a) => {
                        const allowed = RESTART_FUNCTION_ACTIONS[a];
                        if (!allowed) return [`${a} (not an action the function needs)`];
                        return list(s.Resource)
                            .filter((x) => judgeable(x) && !allowed.test(x))
                            .map((x) => `${a} on ${x}`);
                    }),
                );
                const connectors = new Set(
                    statements
                        .flatMap((s) => list(s.Resource))
                        .flatMap((x) => /:connector(?:-operation)?\/([^/]+\/[^/]+)/.exec(x)?.[1] ?? []),
                );
                if (connectors.size > 1) wrong.push(`several connectors (${[...connectors].join(", ")})`);
                return wrong.length === 0
                    ? []
                    : [
                          v(
                              "restart-function-least-privilege",
                              r,
                              `allows ${wrong.join("; ")}. Fix: kafkaconnect:RestartConnector, DescribeConnector and ListConnectorOperations on the one connector's ARN, DescribeConnectorOperation on its connector-operation/<name>/<id>/*, cloudwatch:DescribeAlarms on its alarm, ssm:GetParameter and PutParameter on its parameter, logs:CreateLogStream and PutLogEvents on /aws/lambda/<function>:* (components/autoRestart.ts).`,
                          ),
                      ];
            }),
    },
    {
        name: "no-credentials",
        description: "No resource input (connector configuration, verification inputs, tags) holds AWS keys or secrets.",
        check: (rs) =>
            rs.flatMap((r) => {
                const found: string[] = [];
                const walk = (value: unknown, where: string): void => {
                    if (typeof value === "string") {
                        if (/\b(AKIA|ASIA)[A-Z0-9]{16}\b/.test(value)) found.push(`${where} holds an AWS access key id`);
                    } else if (Array.isArray(value)) value.forEach((x, i) => walk(x, `${where}[${i}]`));
                    else if (value && typeof value === "object") {
                        for (const [k, x] of Object.entries(value)) {
                            if (k.startsWith("__") || k === pulumi.runtime.specialSigKey) continue;
                            if (
                                SECRET_NAME_PATTERN.test(k) &&
                                !NOT_A_SECRET_NAME.test(k) &&
                                typeof x === "string" &&
                                !/^(|true|false)$/.test(x) &&
                                x !== UNKNOWN
                            )
                                found.push(`${where}.${k} looks like a credential`);
                            walk(x, `${where}.${k}`);
                        }
                    }
                };
                walk(r.inputs, "inputs");
                return found.length === 0
                    ? []
                    : [
                          v(
                              "no-credentials",
                              r,
                              `${found.join("; ")}. Fix: remove it; the connector uses its execution role and the verification uses the ambient AWS credential chain.`,
                          ),
                      ];
            }),
    },
];

/** Run every rule over a stack's resources. */
export function checkProgram(resources: readonly StackResource[]): PolicyViolation[] {
    return RULES.flatMap((rule) => rule.check(resources));
}
