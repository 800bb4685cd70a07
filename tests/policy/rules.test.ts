import * as assert from "assert";
import { connectorPermissionPolicy, connectorTrustPolicy, restartFunctionPolicy } from "../../components";
import { tlsOnlyBucketPolicy } from "../../components";
import { RULES, StackResource } from "../../policy/rules";

const B = "msk-lab-111122223333-target-bucket";
const perm = {
    partition: "aws",
    region: "us-east-2",
    accountId: "111122223333",
    connectorName: "c",
    clusterName: "k",
    clusterUuid: "u",
    topics: ["t"],
    bucketName: B,
};
const res = (type: string, name: string, inputs: Record<string, unknown>): StackResource => ({ type, name, inputs });

/** The auto-restart function's policy inputs (components/autoRestart.ts). */
const RESTART = {
    partition: "aws",
    region: "us-east-2",
    accountId: "111122223333",
    connectorArn: "arn:aws:kafkaconnect:us-east-2:111122223333:connector/c/0f1e2d3c-4b5a",
    alarmName: "c-errored-tasks",
    parameterName: "/msk-s3-sink/dev/c/auto-restart",
    functionName: "c-auto-restart",
};

/** A compliant stack: every resource kind the rules look at, done right. */
function compliant(): StackResource[] {
    return [
        res("aws:s3/bucket:Bucket", "target-bucket", { bucket: B, forceDestroy: false }),
        res("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "pab", {
            bucket: B,
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
        }),
        res("aws:s3/bucketOwnershipControls:BucketOwnershipControls", "own", {
            bucket: B,
            rule: { objectOwnership: "BucketOwnerEnforced" },
        }),
        res("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "sse", {
            bucket: B,
            rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
        }),
        res("aws:s3/bucketVersioning:BucketVersioning", "ver", { bucket: B, versioningConfiguration: { status: "Enabled" } }),
        res("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "lc", {
            bucket: B,
            rules: [{ status: "Enabled", abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } }],
        }),
        res("aws:s3/bucketPolicy:BucketPolicy", "pol", { bucket: B, policy: JSON.stringify(tlsOnlyBucketPolicy(`arn:aws:s3:::${B}`)) }),
        res("aws:s3/bucketObjectv2:BucketObjectv2", "obj", {
            bucket: B,
            key: "k.zip",
            source: { path: "/x.zip" },
            metadata: { sha256: "a".repeat(64) },
        }),
        res("aws:mskconnect/customPlugin:CustomPlugin", "cp", {
            location: { s3: { bucketArn: `arn:aws:s3:::${B}`, fileKey: "k.zip", objectVersion: "v1" } },
        }),
        res("aws:iam/role:Role", "role", { assumeRolePolicy: JSON.stringify(connectorTrustPolicy(perm)) }),
        res("aws:iam/rolePolicy:RolePolicy", "role-policy", {
            policy: JSON.stringify(connectorPermissionPolicy({ ...perm, kmsKeyArn: "arn:aws:kms:us-east-2:111122223333:key/k" })),
        }),
        res("aws:iam/rolePolicy:RolePolicy", "restart-policy", { policy: JSON.stringify(restartFunctionPolicy(RESTART)) }),
        res("aws:cloudwatch/logGroup:LogGroup", "lg", { name: "/lg", retentionInDays: 30 }),
        res("aws:mskconnect/connector:Connector", "conn", {
            kafkaClusterClientAuthentication: { authenticationType: "IAM" },
            kafkaClusterEncryptionInTransit: { encryptionType: "TLS" },
            kafkaCluster: { apacheKafkaCluster: { bootstrapServers: "b-1.x:9098,b-2.x:9098" } },
            logDelivery: { workerLogDelivery: { cloudwatchLogs: { enabled: true, logGroup: "/lg" } } },
            connectorConfiguration: { "connector.class": "io.confluent.connect.s3.S3SinkConnector" },
        }),
    ];
}

/** For each rule, a way to break the compliant stack. */
const breakers: Record<string, (rs: StackResource[]) => StackResource[]> = {
    "restart-function-least-privilege": (rs) =>
        swap(rs, "restart-policy", {
            policy: JSON.stringify({
                Statement: [
                    ...restartFunctionPolicy(RESTART).Statement,
                    { Effect: "Allow", Action: "kafkaconnect:DeleteConnector", Resource: RESTART.connectorArn },
                ],
            }),
        }),
    "role-trust-confused-deputy": (rs) =>
        swap(rs, "role", {
            assumeRolePolicy: JSON.stringify({
                Statement: [{ Effect: "Allow", Principal: { Service: "kafkaconnect.amazonaws.com" }, Action: "sts:AssumeRole" }],
            }),
        }),
    "role-no-wildcard-action": (rs) =>
        swap(rs, "role-policy", {
            policy: JSON.stringify({ Statement: [{ Effect: "Allow", Action: "s3:*", Resource: `arn:aws:s3:::${B}` }] }),
        }),
    "role-no-wildcard-resource": (rs) =>
        swap(rs, "role-policy", { policy: JSON.stringify({ Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }] }) }),
    "role-kafka-scoped-to-cluster": (rs) =>
        swap(rs, "role-policy", {
            policy: JSON.stringify({
                Statement: [
                    { Effect: "Allow", Action: "kafka-cluster:Connect", Resource: "arn:aws:kafka:us-east-2:111122223333:cluster/*" },
                ],
            }),
        }),
    "role-s3-scoped-to-bucket": (rs) =>
        swap(rs, "role-policy", {
            policy: JSON.stringify({ Statement: [{ Effect: "Allow", Action: "s3:PutObject", Resource: "arn:aws:s3:::*/topics/*" }] }),
        }),
    "role-kms-only-with-key": (rs) =>
        swap(rs, "role-policy", {
            policy: JSON.stringify({
                Statement: [{ Effect: "Allow", Action: "kms:Decrypt", Resource: "arn:aws:kms:us-east-2:111122223333:*" }],
            }),
        }),
    "bucket-public-access-block": (rs) =>
        swap(rs, "pab", {
            bucket: B,
            blockPublicAcls: true,
            blockPublicPolicy: false,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
        }),
    "bucket-acls-disabled": (rs) => swap(rs, "own", { bucket: B, rule: { objectOwnership: "ObjectWriter" } }),
    "bucket-default-encryption": (rs) => rs.filter((r) => r.name !== "sse"),
    "bucket-tls-only": (rs) => swap(rs, "pol", { bucket: B, policy: JSON.stringify({ Statement: [] }) }),
    "bucket-versioning": (rs) => swap(rs, "ver", { bucket: B, versioningConfiguration: { status: "Suspended" } }),
    "bucket-abort-incomplete-uploads": (rs) => swap(rs, "lc", { bucket: B, rules: [{ status: "Enabled", expiration: { days: 30 } }] }),
    "bucket-no-force-destroy": (rs) => swap(rs, "target-bucket", { bucket: B, forceDestroy: true }),
    "plugin-pins-object-version": (rs) => swap(rs, "cp", { location: { s3: { bucketArn: `arn:aws:s3:::${B}`, fileKey: "k.zip" } } }),
    "log-group-retention": (rs) => swap(rs, "lg", { name: "/lg" }),
    "connector-iam-auth": (rs) => patchConnector(rs, { kafkaClusterClientAuthentication: { authenticationType: "NONE" } }),
    "connector-tls": (rs) => patchConnector(rs, { kafkaClusterEncryptionInTransit: { encryptionType: "PLAINTEXT" } }),
    "connector-iam-port": (rs) => patchConnector(rs, { kafkaCluster: { apacheKafkaCluster: { bootstrapServers: "b-1.x:9092" } } }),
    "connector-log-delivery": (rs) => patchConnector(rs, { logDelivery: { workerLogDelivery: { cloudwatchLogs: { enabled: false } } } }),
    "plugin-object-from-verified-file": (rs) => swap(rs, "obj", { bucket: B, key: "k.zip", source: { uri: "https://example.com/x.zip" } }),
    "no-credentials": (rs) =>
        patchConnector(rs, { connectorConfiguration: { "aws.secret.access.key": "abc123", "aws.access.key.id": "AKIAABCDEFGHIJKLMNOP" } }),
};

function swap(rs: StackResource[], name: string, inputs: Record<string, unknown>): StackResource[] {
    return rs.map((r) => (r.name === name ? { ...r, inputs } : r));
}
function patchConnector(rs: StackResource[], patch: Record<string, unknown>): StackResource[] {
    return rs.map((r) => (r.name === "conn" ? { ...r, inputs: { ...r.inputs, ...patch } } : r));
}

describe("security policy rules", () => {
    it("every rule has a non-compliant fixture here", () => {
        assert.deepStrictEqual(Object.keys(breakers).sort(), RULES.map((r) => r.name).sort());
    });
    for (const rule of RULES) {
        describe(rule.name, () => {
            it("passes the compliant stack", () => {
                assert.deepStrictEqual(rule.check(compliant()), []);
            });
            it("fails when the invariant is broken, naming the resource and the fix", () => {
                const found = rule.check(breakers[rule.name](compliant()));
                assert.ok(found.length >= 1, `${rule.name} found nothing`);
                assert.match(found[0].resource, /^aws:[a-z0-9]+\/[A-Za-z0-9]+:[A-Za-z0-9]+ [a-z-]+$/);
                assert.match(found[0].message, /Fix: /);
            });
        });
    }
    it("passes a bucket whose emptying on destroy was asked for (forceDestroy with the empty-on-destroy tag)", () => {
        const rs = swap(compliant(), "target-bucket", { bucket: B, forceDestroy: true, tags: { "msk-s3-sink:empty-on-destroy": "true" } });
        assert.deepStrictEqual(RULES.find((r) => r.name === "bucket-no-force-destroy")!.check(rs), []);
    });
    it("takes the provider's file settings (sharedCredentialsFiles, webIdentityTokenFile) for paths, not credentials", () => {
        const provider: StackResource = {
            type: "pulumi:providers:aws",
            name: "aws-us-east-1",
            inputs: {
                region: "us-east-1",
                sharedCredentialsFiles: '["/home/me/.aws/work-credentials"]',
                assumeRoleWithWebIdentity: { roleArn: "arn:aws:iam::123456789012:role/r", webIdentityTokenFile: "/var/run/token" },
            },
        };
        const noCredentials = RULES.find((r) => r.name === "no-credentials")!;
        assert.deepStrictEqual(noCredentials.check([...compliant(), provider]), []);
        const leaked = { ...provider, inputs: { ...provider.inputs, token: "FwoGZXIvYXdzEJr" } };
        assert.match(noCredentials.check([...compliant(), leaked])[0].message, /inputs\.token looks like a credential/);
    });
    it("does not fail on values a preview does not know yet", () => {
        const rs = patchConnector(compliant(), {
            kafkaCluster: { apacheKafkaCluster: { bootstrapServers: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" } },
        });
        assert.deepStrictEqual(
            RULES.flatMap((r) => r.check(rs)),
            [],
        );
    });
});

describe("CrossGuard policy pack", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { POLICIES } = require("../../policy/pack") as typeof import("../../policy/pack");
    it("has one mandatory stack policy per rule", () => {
        assert.deepStrictEqual(
            POLICIES.map((p) => p.name),
            RULES.map((r) => r.name),
        );
        assert.ok(POLICIES.every((p) => p.enforcementLevel === "mandatory"));
    });
    it("reports a violation on the resource's URN", async () => {
        const resources = compliant().map((r) => ({
            type: r.type,
            name: r.name,
            props: r.inputs,
            urn: `urn:pulumi:dev::msk-s3-sink::${r.type}::${r.name}`,
        }));
        const broken = resources.map((r) =>
            r.name === "conn" ? { ...r, props: { ...r.props, kafkaClusterEncryptionInTransit: { encryptionType: "PLAINTEXT" } } } : r,
        );
        const seen: [string, string | undefined][] = [];
        const tls = POLICIES.find((p) => p.name === "connector-tls")!;
        await tls.validateStack({ resources: broken } as never, (message: string, urn?: string) => void seen.push([message, urn]));
        assert.strictEqual(seen.length, 1);
        assert.match(seen[0][0], /^aws:mskconnect\/connector:Connector conn: .*Fix: set it to TLS/);
        assert.strictEqual(seen[0][1], "urn:pulumi:dev::msk-s3-sink::aws:mskconnect/connector:Connector::conn");
        seen.length = 0;
        await tls.validateStack({ resources } as never, (message: string, urn?: string) => void seen.push([message, urn]));
        assert.deepStrictEqual(seen, []);
    });
});
