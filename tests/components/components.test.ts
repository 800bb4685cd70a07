import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { connectorPermissionPolicy, connectorTrustPolicy, actionsOf } from "../../components";
import { PluginArtifact } from "../../components";
import { ConnectorPlugin } from "../../components";
import { S3SinkConnector } from "../../components";
import { labConnectorConfiguration } from "../../sink";
import { SecureBucket } from "../../components";
import { DEFAULTS } from "../../config";
import { existingArn, settle, UNKNOWN } from "../../offline";
import { fakeArtifact, resolveAll, withMocks } from "../helpers";

const FIXTURE = { region: "us-east-2", accountId: "111122223333" };

/** What a preflight finds for the lab's cluster, role and log group. */
const LOOKUPS = {
    cluster: {
        arn: "arn:aws:kafka:us-east-2:111122223333:cluster/MSKCluster-mskconnectlab/a1b2c3d4-e5f6-4789-8abc-def012345678-2",
        clusterUuid: "a1b2c3d4-e5f6-4789-8abc-def012345678-2",
        bootstrapServers:
            "b-1.mskclustermskconnectlab.x1y2z3.c2.kafka.us-east-2.amazonaws.com:9098,b-2.mskclustermskconnectlab.x1y2z3.c2.kafka.us-east-2.amazonaws.com:9098",
        subnets: ["subnet-1", "subnet-2"],
        securityGroups: ["sg-1"],
    },
    executionRoleArn: "arn:aws:iam::111122223333:role/mskconnectlab-S3ConnectorIAMRole-1ABCD2EFGH3IJ",
    logGroupName: "/lg",
};

describe("PluginArtifact", () => {
    const download = (file?: string) =>
        ({ kind: "download", url: "https://example.com/x.zip", sha256: "a".repeat(64), ...(file ? { file } : {}) }) as const;

    it("uploads the zip the preflight downloaded and checked, as a FileAsset with its digest, downloading nothing itself", async () => {
        const harness = await withMocks({ ...FIXTURE, onRun: () => assert.fail("a component downloads nothing") });
        const c = new PluginArtifact("pa", {
            bucketName: "plugins",
            region: "us-east-2",
            ownerTags: { project: "msk-s3-sink", stack: "dev" },
            bucketArn: "arn:aws:s3:::plugins",
            objectKey: "k/x.zip",
            source: download("/cache/x.zip"),
        });
        await resolveAll(c.objectUri);
        const o = harness.find("aws:s3/bucketObjectv2:BucketObjectv2", "pa-object");
        assert.strictEqual(await (o.inputs.source as { path?: Promise<string> }).path, "/cache/x.zip");
        assert.deepStrictEqual(o.inputs.metadata, { sha256: "a".repeat(64) });
        assert.deepStrictEqual(harness.invoked("command:local:run"), []);
        // The tags that mark it as the stack's, whatever the provider's default tags (the preflight reads them).
        assert.deepStrictEqual(o.inputs.tags, { project: "msk-s3-sink", stack: "dev" });
        assert.strictEqual(o.inputs.overrideProvider, undefined, "pulumi-aws ignores it (its Check merges the default tags anyway)");
    });

    it("leaves the upload's source unknown when nothing was downloaded here (the offline plan)", async () => {
        const harness = await withMocks({ ...FIXTURE, computeOutputs: false }, true);
        const c = new PluginArtifact("pa", {
            bucketName: "plugins",
            region: "us-east-2",
            ownerTags: { project: "msk-s3-sink", stack: "dev" },
            bucketArn: "arn:aws:s3:::plugins",
            objectKey: "k/x.zip",
            source: download(),
        });
        await resolveAll(c.objectKey);
        assert.strictEqual(harness.find("aws:s3/bucketObjectv2:BucketObjectv2", "pa-object").inputs.source, UNKNOWN);
    });

    it("fails at once, with the message alone, when a local zip does not match the pinned digest", async () => {
        const a = fakeArtifact();
        const file = path.join(a.dir, "local.zip");
        fs.writeFileSync(file, "something else");
        const harness = await withMocks(FIXTURE);
        assert.throws(
            () =>
                new PluginArtifact("pa", {
                    bucketName: "plugins",
                    region: "us-east-2",
                    ownerTags: {},
                    bucketArn: "arn:aws:s3:::plugins",
                    objectKey: "k/local.zip",
                    source: { kind: "local", path: file, sha256: a.sha256 },
                }),
            (e: Error) => {
                assert.match(e.message, /^refusing to upload local\.zip.*pulumi config set msk-s3-sink:pluginSha256 [0-9a-f]{64}/);
                assert.ok(!e.message.includes("error serializing property"));
                return true;
            },
        );
        await settle();
        assert.deepStrictEqual(harness.all("aws:s3/bucketObjectv2:BucketObjectv2"), []);
    });

    it("uploads a verified local zip as a FileAsset with its digest and SSE-KMS when a key is given, without downloading", async () => {
        const a = fakeArtifact();
        const file = path.join(a.dir, "ok.zip");
        fs.writeFileSync(file, a.content);
        const harness = await withMocks(FIXTURE);
        const c = new PluginArtifact("pa", {
            bucketName: "plugins",
            region: "us-east-2",
            ownerTags: { project: "msk-s3-sink", stack: "dev" },
            bucketArn: "arn:aws:s3:::plugins",
            objectKey: "kafka-connect-s3/ok.zip",
            source: { kind: "local", path: file, sha256: a.sha256 },
            kmsKeyArn: "arn:aws:kms:us-east-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        });
        const [uri, version] = await resolveAll(c.objectUri, c.objectVersion);
        assert.strictEqual(uri, "s3://plugins/kafka-connect-s3/ok.zip");
        assert.strictEqual(version, "Wd3Ckq2vVwmsBR3jbxiIXzUdXyk0hYGS");
        const o = harness.find("aws:s3/bucketObjectv2:BucketObjectv2", "pa-object");
        assert.strictEqual(o.inputs.serverSideEncryption, "aws:kms");
        assert.strictEqual(o.inputs.kmsKeyId, "arn:aws:kms:us-east-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab");
        assert.strictEqual(await (o.inputs.source as { path?: Promise<string> }).path, file);
        assert.deepStrictEqual(harness.invoked("command:local:run"), []);
    });

    it("uses an existing object that already is the pinned zip: nothing downloaded or uploaded, its version pinned", async () => {
        const harness = await withMocks({ ...FIXTURE, onRun: () => assert.fail("nothing may be downloaded") });
        const c = new PluginArtifact("pa", {
            bucketName: "plugins",
            region: "us-east-2",
            ownerTags: { project: "msk-s3-sink", stack: "dev" },
            bucketArn: "arn:aws:s3:::plugins",
            objectKey: "k/x.zip",
            source: download(),
            existingObject: { versionId: "3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY" },
        });
        const [uri, version, sha] = await resolveAll(c.objectUri, c.objectVersion, c.sha256);
        assert.deepStrictEqual([uri, version, sha], ["s3://plugins/k/x.zip", "3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY", "a".repeat(64)]);
        assert.deepStrictEqual(harness.all("aws:s3/bucketObjectv2:BucketObjectv2"), []);
        assert.deepStrictEqual(harness.invoked("command:local:run"), []);
    });
});

describe("ConnectorPlugin", () => {
    it("creates a ZIP custom plugin pinned to the object version, replaced delete-first", async () => {
        const harness = await withMocks(FIXTURE);
        const p = new ConnectorPlugin("cp", {
            pluginName: "confluentinc-kafka-connect-s3-10-5-15",
            bucketArn: "arn:aws:s3:::plugins",
            objectKey: "k.zip",
            objectVersion: "v1",
        });
        const [arn, rev] = await resolveAll(p.arn, p.revision);
        assert.match(String(arn), /:custom-plugin\/confluentinc-kafka-connect-s3-10-5-15\//);
        assert.strictEqual(rev, 1);
        const r = harness.find("aws:mskconnect/customPlugin:CustomPlugin", "cp-custom-plugin");
        assert.deepStrictEqual(r.inputs.location, { s3: { bucketArn: "arn:aws:s3:::plugins", fileKey: "k.zip", objectVersion: "v1" } });
    });

    it("leaves the version out for an unversioned bucket", async () => {
        const harness = await withMocks(FIXTURE);
        const p = new ConnectorPlugin("cp", { pluginName: "n", bucketArn: "arn:aws:s3:::plugins", objectKey: "k.zip", objectVersion: "" });
        await resolveAll(p.arn);
        assert.strictEqual(
            (
                harness.find("aws:mskconnect/customPlugin:CustomPlugin", "cp-custom-plugin").inputs.location as {
                    s3: Record<string, unknown>;
                }
            ).s3.objectVersion,
            undefined,
        );
    });

    /** The lab's by-hand plugin, adopted: its ARN, and the args that name its zip. */
    const labArn = existingArn("us-east-2", "111122223333", "custom-plugin", "confluentinc-kafka-connect-s3-10-5-15");
    const labPlugin = {
        pluginName: "confluentinc-kafka-connect-s3-10-5-15",
        bucketArn: "arn:aws:s3:::msk-lab-111122223333-plugins-bucket",
        objectKey: "kafka-connect-s3/confluentinc-kafka-connect-s3-10.5.15.zip",
        adopt: { importId: labArn },
    };

    // Pulumi's import docs: an import whose inputs differ from what AWS holds fails; `ignoreChanges` covers what cannot match.
    it("adopts the lab's by-hand custom plugin: imported with its own description, its location and tags left as made", async () => {
        const harness = await withMocks({ ...FIXTURE, existingCustomPlugin: {} });
        const arn = labArn;
        const adopted = new ConnectorPlugin("cp", { ...labPlugin, objectVersion: "v1", description: "" });
        const created = new ConnectorPlugin("cp2", { pluginName: "m", bucketArn: "arn:aws:s3:::plugins", objectKey: "k.zip" });
        const [adoptedArn] = await resolveAll(adopted.arn, created.arn);
        const r = harness.find("aws:mskconnect/customPlugin:CustomPlugin", "cp-custom-plugin");
        assert.strictEqual(r.importId, arn);
        assert.strictEqual(adoptedArn, arn);
        assert.deepStrictEqual(r.options?.ignoreChanges, ["location", "tags", "tagsAll"]);
        assert.strictEqual(harness.find("aws:mskconnect/customPlugin:CustomPlugin", "cp2-custom-plugin").importId, undefined);
    });

    it("fails when an adopted plugin's description differs from the one AWS holds (the import would fail)", async () => {
        await withMocks({ ...FIXTURE, existingCustomPlugin: {} });
        const adopted = new ConnectorPlugin("cp", { ...labPlugin, description: "ours, not the lab's" });
        await assert.rejects(
            resolveAll(adopted.arn),
            /inputs to import do not match the existing resource: \[description\] \(~description\)/,
        );
    });

    it("creates a new plugin before the old one is deleted (no delete-before-replace: a new version has a new name)", async () => {
        const harness = await withMocks(FIXTURE);
        const p = new ConnectorPlugin("cp", { pluginName: "n", bucketArn: "arn:aws:s3:::plugins", objectKey: "k.zip" });
        await resolveAll(p.arn);
        assert.strictEqual(
            harness.find("aws:mskconnect/customPlugin:CustomPlugin", "cp-custom-plugin").options?.deleteBeforeReplace,
            false,
        );
    });

    it("fails when the name is longer than 128 characters", async () => {
        await withMocks(FIXTURE);
        assert.throws(
            () => new ConnectorPlugin("cp", { pluginName: "x".repeat(129), bucketArn: "a", objectKey: "k" }),
            /must be 1-128 characters/,
        );
    });
});

describe("S3SinkConnector", () => {
    const base = {
        connectorName: "confluentinc-kafka-connect-s3",
        clusterName: "MSKCluster-mskconnectlab",
        ...FIXTURE,
        targetBucketName: "target",
        topics: ["salesdb.salesdb.CUSTOMER"],
        customPlugin: { arn: "arn:aws:kafkaconnect:us-east-2:111122223333:custom-plugin/p/1", revision: 1 },
        connectorConfiguration: labConnectorConfiguration({
            region: "us-east-2",
            bucketName: "target",
            topics: ["salesdb.salesdb.CUSTOMER"],
            flushSizeRecords: 200,
            tasksMax: 1,
        }),
        capacity: DEFAULTS.capacity,
        kafkaConnectVersion: "2.7.1",
        logGroup: { mode: "lookup" as const, name: "/lg", retentionDays: 30 },
        lookups: LOOKUPS,
    };

    it("uses what the preflight found as it is: the cluster's IAM brokers, subnets, security groups, the role and log group", async () => {
        const harness = await withMocks(FIXTURE);
        const c = new S3SinkConnector("s", { ...base, executionRole: { mode: "lookup", name: "r" } });
        await resolveAll(c.arn);
        const inputs = harness.find("aws:mskconnect/connector:Connector", "s-connector").inputs;
        assert.deepStrictEqual(inputs.kafkaCluster, {
            apacheKafkaCluster: {
                bootstrapServers: LOOKUPS.cluster.bootstrapServers,
                vpc: { subnets: ["subnet-1", "subnet-2"], securityGroups: ["sg-1"] },
            },
        });
        assert.strictEqual(inputs.serviceExecutionRoleArn, LOOKUPS.executionRoleArn);
        assert.deepStrictEqual(harness.invokes, [], "a component looks nothing up itself");
    });

    it("imports an adopted connector with its broker list kept as made and its tags left as they are on that run", async () => {
        await withMocks({ ...FIXTURE, existingConnector: { fields: { name: "x" } } });
        const arn = existingArn("us-east-2", "111122223333", "connector", "confluentinc-kafka-connect-s3");
        const c = new S3SinkConnector("s", { ...base, executionRole: { mode: "lookup", name: "r" }, adopt: { importId: arn } });
        // Its fields differ from the lab's (another role, another plugin): the import is refused, naming them.
        await assert.rejects(resolveAll(c.arn), (e: Error) => {
            assert.match(e.message, /inputs to import do not match the existing resource/);
            assert.match(e.message, /~name/);
            assert.match(e.message, /~plugins\[0\]\.customPlugin\.arn/);
            assert.doesNotMatch(e.message, /bootstrapServers|~tags/);
            return true;
        });
    });

    it("fails when what the preflight found lacks what the stack's choices need", async () => {
        await withMocks(FIXTURE);
        assert.throws(
            () =>
                new S3SinkConnector("s", {
                    ...base,
                    executionRole: { mode: "lookup", name: "r" },
                    workerConfigurationName: "w",
                    lookups: { cluster: LOOKUPS.cluster },
                }),
            /lookups lacks the execution role's ARN, the log group's name, the worker configuration: run the preflight/,
        );
    });

    it("creates a least-privilege role with both confused-deputy conditions when asked", async () => {
        const harness = await withMocks(FIXTURE);
        const c = new S3SinkConnector("s", { ...base, executionRole: { mode: "create" } });
        await resolveAll(c.arn, c.executionRoleArn);
        const role = harness.find("aws:iam/role:Role", "s-execution-role");
        assert.deepStrictEqual(
            JSON.parse(String(role.inputs.assumeRolePolicy)),
            connectorTrustPolicy({
                partition: "aws",
                region: "us-east-2",
                accountId: "111122223333",
                connectorName: "confluentinc-kafka-connect-s3",
            }),
        );
        const policy = JSON.parse(String(harness.find("aws:iam/rolePolicy:RolePolicy", "s-execution-policy").inputs.policy));
        const kafka = policy.Statement.filter((s: { Action: string[] }) => s.Action.some((a) => a.startsWith("kafka-cluster:")));
        for (const s of kafka) {
            for (const r of [].concat(s.Resource))
                assert.match(
                    r,
                    /^arn:aws:kafka:us-east-2:111122223333:(cluster|topic|group)\/MSKCluster-mskconnectlab\/a1b2c3d4-e5f6-4789-8abc-def012345678-2/,
                );
        }
        assert.ok(!JSON.stringify(policy).includes('"*"'));
    });

    it("warns when the worker configuration names a config provider the plugin does not ship", async () => {
        await withMocks(FIXTURE);
        const workerConfiguration = {
            arn: "arn:aws:kafkaconnect:us-east-2:111122223333:worker-configuration/SourceAuroraDebeziumConnectorConfig/u-1",
            revision: 3,
            name: "SourceAuroraDebeziumConnectorConfig",
            latestRevision: 1,
            followsLatest: false,
            propertiesFileContent:
                "config.providers=secretManager\nconfig.providers.secretManager.class=com.github.jcustenborder.kafka.config.aws.SecretsManagerConfigProvider\n",
        };
        const c = new S3SinkConnector("s", {
            ...base,
            executionRole: { mode: "lookup", name: "r" },
            workerConfigurationName: "SourceAuroraDebeziumConnectorConfig",
            lookups: { ...LOOKUPS, workerConfiguration },
        });
        const [warnings] = await resolveAll(c.workerConfigurationWarnings);
        assert.strictEqual((warnings as string[]).length, 1);
        assert.match((warnings as string[])[0], /worker-config-provider.*SecretsManagerConfigProvider.*does not contain/);
    });

    it("refuses a configuration with errors before creating anything", async () => {
        const harness = await withMocks(FIXTURE);
        assert.throws(
            () =>
                new S3SinkConnector("s", {
                    ...base,
                    executionRole: { mode: "create" },
                    connectorConfiguration: { ...base.connectorConfiguration, "format.class": "Json" },
                }),
            /format\.class/,
        );
        assert.deepStrictEqual(harness.all("aws:mskconnect/connector:Connector"), []);
    });
});

describe("IAM policy documents", () => {
    const i = {
        partition: "aws",
        region: "us-east-2",
        accountId: "111122223333",
        connectorName: "c",
        clusterName: "k",
        clusterUuid: "u",
        topics: ["t1", "t2"],
        bucketName: "b",
    };
    it("grant KMS only with a key", () => {
        assert.ok(!actionsOf(connectorPermissionPolicy(i)).some((a) => a.startsWith("kms:")));
        const withKey = connectorPermissionPolicy({ ...i, kmsKeyArn: "arn:aws:kms:us-east-2:111122223333:key/abc" });
        assert.deepStrictEqual(withKey.Statement.at(-1), {
            Sid: "TargetBucketKey",
            Effect: "Allow",
            Action: ["kms:GenerateDataKey", "kms:Decrypt"],
            Resource: "arn:aws:kms:us-east-2:111122223333:key/abc",
        });
    });
    it("scope topics, groups and objects", () => {
        const doc = connectorPermissionPolicy(i);
        assert.deepStrictEqual(doc.Statement[1].Resource, [
            "arn:aws:kafka:us-east-2:111122223333:topic/k/u/t1",
            "arn:aws:kafka:us-east-2:111122223333:topic/k/u/t2",
        ]);
        assert.deepStrictEqual(doc.Statement[3].Resource, [
            "arn:aws:kafka:us-east-2:111122223333:group/k/u/__amazon_msk_connect_*",
            "arn:aws:kafka:us-east-2:111122223333:group/k/u/connect-c",
        ]);
        assert.strictEqual(doc.Statement[5].Resource, "arn:aws:s3:::b/topics/*");
    });
});

describe("resource options", () => {
    /** Records each child's options through a component transformation (runs in-process, under mocks too). */
    function recorder(): {
        seen: Map<string, Record<string, unknown>>;
        t: (a: { type: string; name: string; props: Record<string, unknown>; opts: Record<string, unknown> }) => undefined;
    } {
        const seen = new Map<string, Record<string, unknown>>();
        return { seen, t: (a) => void seen.set(`${a.type} ${a.name}`, a.opts) };
    }

    it("gives the connector at least 30 minutes to create and replaces it delete-first (its name is fixed)", async () => {
        await withMocks(FIXTURE);
        const r = recorder();
        const c = new S3SinkConnector(
            "s",
            {
                connectorName: "c",
                clusterName: "k",
                ...FIXTURE,
                targetBucketName: "target",
                topics: ["t"],
                customPlugin: { arn: "arn", revision: 1 },
                connectorConfiguration: labConnectorConfiguration({
                    region: "us-east-2",
                    bucketName: "target",
                    topics: ["t"],
                    flushSizeRecords: 1,
                    tasksMax: 1,
                }),
                capacity: DEFAULTS.capacity,
                kafkaConnectVersion: "2.7.1",
                executionRole: { mode: "create" },
                logGroup: { mode: "create", name: "/lg", retentionDays: 30 },
                lookups: { cluster: LOOKUPS.cluster },
            },
            { transformations: [r.t as never] },
        );
        await resolveAll(c.arn);
        const opts = r.seen.get("aws:mskconnect/connector:Connector s-connector")!;
        assert.ok(opts, [...r.seen.keys()].join(", "));
        const minutes = (d: unknown) => Number(/^(\d+)m$/.exec(String(d))?.[1] ?? 0);
        assert.ok(minutes((opts.customTimeouts as Record<string, string>).create) >= 30);
        assert.strictEqual(opts.deleteBeforeReplace, true);
        const deps = (opts.dependsOn as { __name?: string }[]).map((d) => (d as unknown as { __name: string }).__name);
        assert.deepStrictEqual(
            deps.sort(),
            ["s-execution-policy", "s-log-group"],
            "the connector waits for the role's policy and the log group",
        );
    });

    it("replaces the custom plugin create-first (a new version has a new name), with generous timeouts", async () => {
        await withMocks(FIXTURE);
        const r = recorder();
        const p = new ConnectorPlugin("cp", { pluginName: "n", bucketArn: "a", objectKey: "k" }, { transformations: [r.t as never] });
        await resolveAll(p.arn);
        const opts = r.seen.get("aws:mskconnect/customPlugin:CustomPlugin cp-custom-plugin")!;
        assert.strictEqual(opts.deleteBeforeReplace, undefined);
        assert.deepStrictEqual(opts.customTimeouts, { create: "20m", update: "20m", delete: "20m" });
    });

    const SETTINGS_TYPES = [
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
        "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        "aws:s3/bucketVersioning:BucketVersioning",
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
        "aws:s3/bucketPolicy:BucketPolicy",
    ];

    it("retains a created bucket on destroy by default with all six of its settings, and only then", async () => {
        await withMocks(FIXTURE);
        const r = recorder();
        const kept = new SecureBucket("kept", { bucketName: "kept-bucket" }, { transformations: [r.t as never] });
        const gone = new SecureBucket("gone", { bucketName: "gone-bucket", retainOnDelete: false }, { transformations: [r.t as never] });
        await resolveAll(kept.arn, gone.arn);
        for (const [prefix, retained] of [
            ["kept", true],
            ["gone", false],
        ] as const) {
            const own = [...r.seen.entries()].filter(([k]) => k.startsWith("aws:s3/") && k.split(" ")[1].startsWith(`${prefix}-`));
            assert.deepStrictEqual(own.map(([k]) => k.split(" ")[0]).sort(), ["aws:s3/bucket:Bucket", ...SETTINGS_TYPES].sort());
            for (const [k, opts] of own) assert.strictEqual(opts.retainOnDelete, retained, k);
        }
    });

    it("imports an existing bucket and its settings by the bucket's name when asked to adopt it, and creates otherwise", async () => {
        // What a kept bucket holds: what this component made of it (its settings were kept with it).
        const first = await withMocks(FIXTURE);
        await resolveAll(new SecureBucket("old", { bucketName: "old-bucket" }).arn);
        const kept = Object.fromEntries(
            first.resources.filter((x) => x.type.startsWith("aws:s3/")).map((x) => [`${x.type} old-bucket`, x.inputs]),
        );
        await withMocks({ ...FIXTURE, existingResources: kept });
        const r = recorder();
        const adopted = new SecureBucket("old", { bucketName: "old-bucket", adoptExisting: true }, { transformations: [r.t as never] });
        const fresh = new SecureBucket("new", { bucketName: "new-bucket" }, { transformations: [r.t as never] });
        await resolveAll(adopted.arn, fresh.arn);
        const entries = [...r.seen.entries()].filter(([k]) => k.startsWith("aws:s3/"));
        for (const [k, opts] of entries) assert.strictEqual(opts.import, k.includes(" old-") ? "old-bucket" : undefined, k);
        assert.strictEqual(entries.filter(([k]) => k.includes(" old-")).length, 7);
    });

    it("empties a bucket on destroy only when asked, marking it so the policy rule can tell, and never a retained one", async () => {
        const harness = await withMocks(FIXTURE);
        const b = new SecureBucket("scratch", { bucketName: "scratch-bucket", retainOnDelete: false, emptyOnDestroy: true });
        await resolveAll(b.arn);
        assert.deepStrictEqual(harness.find("aws:s3/bucket:Bucket", "scratch-bucket").inputs, {
            bucket: "scratch-bucket",
            forceDestroy: true,
            tags: { "msk-s3-sink:empty-on-destroy": "true" },
        });
        assert.throws(
            () => new SecureBucket("both", { bucketName: "both-bucket", emptyOnDestroy: true }),
            /emptyOnDestroy applies only to a bucket that is not retained/,
        );
    });
});

describe("SecureBucket", () => {
    it("applies the whole baseline, with SSE-KMS and a bucket key when a key is given", async () => {
        const harness = await withMocks(FIXTURE);
        const key = "arn:aws:kms:us-east-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        const b = new SecureBucket("data", { bucketName: "data-bucket", kmsKeyArn: key });
        const [name, arn] = await resolveAll(b.bucketName, b.arn);
        assert.strictEqual(name, "data-bucket");
        assert.strictEqual(arn, "arn:aws:s3:::data-bucket");
        assert.deepStrictEqual(harness.find("aws:s3/bucket:Bucket", "data-bucket").inputs, { bucket: "data-bucket", forceDestroy: false });
        assert.deepStrictEqual(
            harness.find("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "data-encryption")
                .inputs,
            {
                bucket: "data-bucket",
                rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key }, bucketKeyEnabled: true }],
            },
        );
        const pab = harness.find("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "data-public-access-block").inputs;
        for (const flag of ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"])
            assert.strictEqual(pab[flag], true, flag);
        assert.deepStrictEqual(harness.find("aws:s3/bucketOwnershipControls:BucketOwnershipControls", "data-ownership").inputs.rule, {
            objectOwnership: "BucketOwnerEnforced",
        });
        assert.deepStrictEqual(harness.find("aws:s3/bucketVersioning:BucketVersioning", "data-versioning").inputs.versioningConfiguration, {
            status: "Enabled",
        });
        assert.deepStrictEqual(
            (
                harness.find("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "data-lifecycle").inputs.rules as unknown[]
            )[0],
            {
                id: "abort-incomplete-multipart-uploads",
                status: "Enabled",
                filter: { prefix: "" },
                abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
            },
        );
        const policy = JSON.parse(String(harness.find("aws:s3/bucketPolicy:BucketPolicy", "data-tls-only-policy").inputs.policy));
        assert.deepStrictEqual(policy.Statement[0].Condition, { Bool: { "aws:SecureTransport": "false" } });
        assert.deepStrictEqual(policy.Statement[0].Resource, ["arn:aws:s3:::data-bucket", "arn:aws:s3:::data-bucket/*"]);
        assert.strictEqual(policy.Statement[0].Effect, "Deny");
    });

    it("uses SSE-S3 without a key", async () => {
        const harness = await withMocks(FIXTURE);
        const b = new SecureBucket("plain", { bucketName: "plain-bucket" });
        await resolveAll(b.arn);
        assert.deepStrictEqual(
            harness.find("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "plain-encryption")
                .inputs.rules,
            [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
        );
    });
});
