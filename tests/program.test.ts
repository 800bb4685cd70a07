import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { ADOPTED_AS_MADE } from "../components";
import { CONNECTOR_DESCRIPTION } from "../preflight";
import { checkProgram } from "../policy/rules";
import { LAB_NETWORK, MockFixtures, settle } from "../offline";
import { buildProgram, settingsTheChecksIgnore } from "../program";
import { devRaw, downloadWrites, fakeArtifact, optionsRecorder, renderProgram, settingsFrom, withMocks } from "./helpers";
import { logged } from "./setup";

const LAB_CONFIGURATION: Record<string, string> = {
    "connector.class": "io.confluent.connect.s3.S3SinkConnector",
    "s3.region": "us-east-2",
    "flush.size": "200",
    "schema.compatibility": "NONE",
    "tasks.max": "1",
    topics: "salesdb.salesdb.CUSTOMER",
    "value.converter.schemas.enable": "false",
    "format.class": "io.confluent.connect.s3.format.json.JsonFormat",
    "partitioner.class": "io.confluent.connect.storage.partitioner.DefaultPartitioner",
    "key.converter": "org.apache.kafka.connect.storage.StringConverter",
    "value.converter": "org.apache.kafka.connect.json.JsonConverter",
    "storage.class": "io.confluent.connect.s3.storage.S3Storage",
    "s3.bucket.name": "msk-lab-111122223333-target-bucket",
};

describe("the program rendered from Pulumi.dev.yaml", () => {
    const artifact = fakeArtifact();
    let r: Awaited<ReturnType<typeof renderProgram>> & { seen: Map<string, pulumi.CustomResourceOptions> };
    let warnedWhileRendering: string[] = [];

    before(async () => {
        // Root hooks clear what was logged before each test, not before a before(): start from nothing here.
        logged.warn.length = 0;
        logged.info.length = 0;
        const rec = optionsRecorder();
        const rendered = await renderProgram(settingsFrom(devRaw(artifact.overrides)), { onRun: downloadWrites(artifact.content) }, false, {
            transformations: [rec.transformation],
        });
        r = { ...rendered, seen: rec.seen as Map<string, pulumi.CustomResourceOptions> };
        warnedWhileRendering = [...logged.warn];
    });

    it("warns once about the placeholder digest and once about tombstones, and nothing else", () => {
        // Captured in the before() render by tests/setup.ts, which keeps what the program logs out of the run's output.
        assert.deepStrictEqual(
            warnedWhileRendering.map(
                (w) => /^(msk-s3-sink:pluginSha256 is the example placeholder|warning \[tombstones-fail-task\])/.exec(w)?.[1] ?? w,
            ),
            ["warning [tombstones-fail-task]"],
        );
    });

    it("gives the connector exactly the lab's configuration, key by key", () => {
        const c = r.harness.find("aws:mskconnect/connector:Connector", "s3-sink-connector");
        assert.deepStrictEqual(c.inputs.connectorConfiguration, LAB_CONFIGURATION);
    });

    it("names the connector, plugin and object as the lab does", () => {
        const c = r.harness.find("aws:mskconnect/connector:Connector", "s3-sink-connector");
        assert.strictEqual(c.inputs.name, "confluentinc-kafka-connect-s3");
        const p = r.harness.find("aws:mskconnect/customPlugin:CustomPlugin", "connector-plugin-custom-plugin");
        assert.strictEqual(p.inputs.name, "confluentinc-kafka-connect-s3-10-5-15");
        assert.strictEqual(p.inputs.contentType, "ZIP");
        assert.deepStrictEqual(p.inputs.location, {
            s3: {
                bucketArn: "arn:aws:s3:::msk-lab-111122223333-plugins-bucket",
                fileKey: "kafka-connect-s3/confluentinc-kafka-connect-s3-10.5.15.zip",
                objectVersion: "Wd3Ckq2vVwmsBR3jbxiIXzUdXyk0hYGS",
            },
        });
        const o = r.harness.find("aws:s3/bucketObjectv2:BucketObjectv2", "plugin-artifact-object");
        assert.strictEqual(o.inputs.bucket, "msk-lab-111122223333-plugins-bucket");
        assert.strictEqual(o.inputs.key, "kafka-connect-s3/confluentinc-kafka-connect-s3-10.5.15.zip");
        assert.deepStrictEqual(o.inputs.metadata, { sha256: artifact.sha256 });
        assert.strictEqual(o.inputs.checksumAlgorithm, "SHA256");
    });

    it("sets IAM authentication and TLS explicitly, on the cluster's IAM brokers, subnets and security groups", () => {
        const c = r.harness.find("aws:mskconnect/connector:Connector", "s3-sink-connector");
        assert.deepStrictEqual(c.inputs.kafkaClusterClientAuthentication, { authenticationType: "IAM" });
        assert.deepStrictEqual(c.inputs.kafkaClusterEncryptionInTransit, { encryptionType: "TLS" });
        const kc = c.inputs.kafkaCluster as {
            apacheKafkaCluster: { bootstrapServers: string; vpc: { subnets: string[]; securityGroups: string[] } };
        };
        assert.ok(kc.apacheKafkaCluster.bootstrapServers.split(",").every((b) => b.endsWith(":9098")));
        assert.deepStrictEqual(kc.apacheKafkaCluster.vpc.subnets, [
            "subnet-0a1b2c3d4e5f60001",
            "subnet-0a1b2c3d4e5f60002",
            "subnet-0a1b2c3d4e5f60003",
        ]);
        assert.deepStrictEqual(kc.apacheKafkaCluster.vpc.securityGroups, ["sg-0123456789abcdef0"]);
    });

    it("uses the console's default capacity, Kafka Connect 2.7.1, the worker configuration's latest revision, the lab role and log group", () => {
        const c = r.harness.find("aws:mskconnect/connector:Connector", "s3-sink-connector");
        assert.deepStrictEqual(c.inputs.capacity, {
            autoscaling: {
                mcuCount: 1,
                minWorkerCount: 1,
                maxWorkerCount: 2,
                scaleInPolicy: { cpuUtilizationPercentage: 20 },
                scaleOutPolicy: { cpuUtilizationPercentage: 80 },
            },
        });
        assert.strictEqual(c.inputs.kafkaconnectVersion, "2.7.1");
        assert.deepStrictEqual(c.inputs.workerConfiguration, {
            arn: "arn:aws:kafkaconnect:us-east-2:111122223333:worker-configuration/SourceAuroraDebeziumConnectorConfig/a1b2c3d4-e5f6-4789-8abc-def012345678-2",
            revision: 1,
        });
        assert.strictEqual(
            c.inputs.serviceExecutionRoleArn,
            "arn:aws:iam::111122223333:role/mskconnectlab-S3ConnectorIAMRole-1ABCD2EFGH3IJ",
        );
        assert.deepStrictEqual(c.inputs.logDelivery, {
            workerLogDelivery: { cloudwatchLogs: { enabled: true, logGroup: "/msk-lab-target-s3sink-connector" } },
        });
        assert.deepStrictEqual((c.inputs.plugins as unknown[]).length, 1);
    });

    it("looks up the buckets, cluster, role by prefix, log group and worker configuration, and creates none of them", () => {
        assert.deepStrictEqual(r.harness.invokes.map((i) => i.token).sort(), [
            "aws:cloudwatch/getLogGroup:getLogGroup",
            "aws:ec2/getRouteTable:getRouteTable",
            "aws:ec2/getRouteTables:getRouteTables",
            "aws:ec2/getRouteTables:getRouteTables",
            "aws:ec2/getRouteTables:getRouteTables",
            "aws:ec2/getSubnet:getSubnet",
            "aws:ec2/getSubnet:getSubnet",
            "aws:ec2/getSubnet:getSubnet",
            "aws:ec2/getVpcEndpoint:getVpcEndpoint",
            "aws:iam/getRoles:getRoles",
            "aws:msk/getCluster:getCluster",
            "aws:mskconnect/getConnector:getConnector",
            "aws:mskconnect/getCustomPlugin:getCustomPlugin",
            "aws:mskconnect/getWorkerConfiguration:getWorkerConfiguration",
            "aws:s3/getBucket:getBucket",
            "aws:s3/getBucket:getBucket",
            "aws:s3/getObject:getObject",
            "aws:vpc/getSecurityGroupRule:getSecurityGroupRule",
            "aws:vpc/getSecurityGroupRule:getSecurityGroupRule",
            "aws:vpc/getSecurityGroupRules:getSecurityGroupRules",
            "command:local:run",
        ]);
        assert.deepStrictEqual(r.harness.invoked("aws:mskconnect/getConnector:getConnector")[0].args, {
            name: "confluentinc-kafka-connect-s3",
        });
        assert.deepStrictEqual(r.harness.invoked("aws:mskconnect/getCustomPlugin:getCustomPlugin")[0].args, {
            name: "confluentinc-kafka-connect-s3-10-5-15",
        });
        assert.deepStrictEqual(r.harness.invoked("aws:s3/getObject:getObject")[0].args, {
            bucket: "msk-lab-111122223333-plugins-bucket",
            key: "kafka-connect-s3/confluentinc-kafka-connect-s3-10.5.15.zip",
            checksumMode: "ENABLED",
            downloadBody: "false",
        });
        assert.deepStrictEqual(r.harness.invoked("aws:iam/getRoles:getRoles")[0].args, { nameRegex: "^mskconnectlab-S3ConnectorIAMRole-" });
        assert.deepStrictEqual(r.harness.invoked("aws:msk/getCluster:getCluster")[0].args, { clusterName: "MSKCluster-mskconnectlab" });
        for (const type of ["aws:iam/role:Role", "aws:cloudwatch/logGroup:LogGroup", "aws:s3/bucket:Bucket"]) {
            assert.deepStrictEqual(r.harness.all(type), [], `${type} must not be created on the dev stack`);
        }
    });

    it("pins the provider to the stack's region and account", () => {
        const p = r.harness.find("pulumi:providers:aws", "aws-us-east-2");
        assert.strictEqual(p.inputs.region, "us-east-2");
        assert.strictEqual(p.inputs.allowedAccountIds, JSON.stringify(["111122223333"]));
    });

    it("creates the verification after the connector with the stack's bucket, prefix and region", () => {
        const v = r.harness.find("pulumi-nodejs:dynamic/verification:SinkVerification", "sink-verification");
        assert.strictEqual(v.inputs.bucket, "msk-lab-111122223333-target-bucket");
        assert.strictEqual(v.inputs.prefix, "topics/salesdb.salesdb.CUSTOMER/partition=0/");
        assert.strictEqual(v.inputs.region, "us-east-2");
        assert.strictEqual(v.inputs.method, "auto");
        assert.match(
            String(v.inputs.trigger),
            /^arn:aws:kafkaconnect:us-east-2:111122223333:connector\/confluentinc-kafka-connect-s3\/.+#[0-9a-f]{16}$/,
        );
        const order = r.harness.resources.map((x) => x.name);
        assert.ok(
            order.indexOf("sink-verification") > order.indexOf("s3-sink-connector"),
            "the verification is registered after the connector",
        );
    });

    it("checks the connector's health first: its ARN, its URN for the replace command, the configuration asked for, fresh data", () => {
        const v = r.harness.find("pulumi-nodejs:dynamic/verification:SinkVerification", "sink-verification");
        assert.match(
            String(v.inputs.connectorArn),
            /^arn:aws:kafkaconnect:us-east-2:111122223333:connector\/confluentinc-kafka-connect-s3\//,
        );
        assert.strictEqual(
            v.inputs.connectorUrn,
            "urn:pulumi:dev::msk-s3-sink::msk-s3-sink:connector:S3SinkConnector$aws:mskconnect/connector:Connector::s3-sink-connector",
        );
        assert.deepStrictEqual(v.inputs.expectedConfiguration, LAB_CONFIGURATION);
        assert.strictEqual(v.inputs.freshData, true);
        assert.strictEqual(v.inputs.profile, undefined, "no aws:profile in the dev stack");
    });

    it("keeps the sample of records (customer data) a secret of the verification, and out of the stack outputs", () => {
        assert.deepStrictEqual(
            r.seen.get("pulumi-nodejs:dynamic/verification:SinkVerification sink-verification")?.additionalSecretOutputs,
            ["sample", "profile"],
        );
        const verification = r.outputs.verification as Record<string, unknown>;
        assert.deepStrictEqual(Object.keys(verification).sort(), [
            "configurationCheck",
            "connectorState",
            "freshness",
            "methodUsed",
            "objectKey",
            "objectStartOffset",
            "operationChecked",
            "recordsReturned",
            "verifiedAt",
        ]);
    });

    it("exports what a user needs after pulumi up", () => {
        assert.strictEqual(
            r.outputs.pluginObjectUri,
            "s3://msk-lab-111122223333-plugins-bucket/kafka-connect-s3/confluentinc-kafka-connect-s3-10.5.15.zip",
        );
        assert.match(
            String(r.outputs.customPluginArn),
            /^arn:aws:kafkaconnect:us-east-2:111122223333:custom-plugin\/confluentinc-kafka-connect-s3-10-5-15\//,
        );
        assert.match(String(r.outputs.connectorArn), /:connector\/confluentinc-kafka-connect-s3\//);
        assert.strictEqual(r.outputs.connectorName, "confluentinc-kafka-connect-s3");
        assert.strictEqual(r.outputs.targetBucket, "msk-lab-111122223333-target-bucket");
        assert.strictEqual(r.outputs.sinkPrefix, "s3://msk-lab-111122223333-target-bucket/topics/salesdb.salesdb.CUSTOMER/partition=0/");
        assert.match(
            String(r.outputs.connectorConsoleUrl),
            /^https:\/\/us-east-2\.console\.aws\.amazon\.com\/msk\/home\?region=us-east-2#\/connectors\/details\?connectorArn=arn%3Aaws%3Akafkaconnect/,
        );
        assert.strictEqual(
            r.outputs.logGroupConsoleUrl,
            "https://us-east-2.console.aws.amazon.com/cloudwatch/home?region=us-east-2#logsV2:log-groups/log-group/$252Fmsk-lab-target-s3sink-connector",
        );
    });

    it("passes every security rule", () => {
        assert.deepStrictEqual(checkProgram(r.harness.resources), []);
    });

    it("passes every security rule with a custom timestamp extractor and a Schema Registry credentials source (neither is a credential)", async () => {
        const extra = {
            "behavior.on.null.values": "ignore",
            "timestamp.extractor": "com.example.connect.OrderTimeExtractor",
            "value.converter.basic.auth.credentials.source": "USER_INFO",
        };
        const custom = await renderProgram(
            settingsFrom(devRaw({ ...artifact.overrides, "msk-s3-sink:extraConnectorConfig": JSON.stringify(extra) })),
            {
                onRun: downloadWrites(artifact.content),
            },
        );
        const c = custom.harness.find("aws:mskconnect/connector:Connector", "s3-sink-connector");
        assert.strictEqual(
            (c.inputs.connectorConfiguration as Record<string, string>)["value.converter.basic.auth.credentials.source"],
            "USER_INFO",
        );
        assert.deepStrictEqual(checkProgram(custom.harness.resources), []);
    });

    it("turns the verification off when the stack says so", async () => {
        const off = await renderProgram(settingsFrom(devRaw({ ...artifact.overrides, "msk-s3-sink:verify": "false" })), {
            onRun: downloadWrites(artifact.content),
        });
        assert.deepStrictEqual(off.harness.all("pulumi-nodejs:dynamic/verification:SinkVerification"), []);
        assert.strictEqual(off.outputs.verification, undefined);
    });

    it("downloaded the zip into the cache through @pulumi/command, with URL and path in the environment", () => {
        const run = r.harness.invoked("command:local:run")[0];
        const env = run.args.environment as Record<string, string>;
        assert.strictEqual(
            env.ARTIFACT_URL,
            "https://d2p6pa21dvn84.cloudfront.net/api/plugins/confluentinc/kafka-connect-s3/versions/10.5.15/confluentinc-kafka-connect-s3-10.5.15.zip",
        );
        assert.strictEqual(env.ARTIFACT_FILE, path.join(artifact.dir, artifact.sha256, "confluentinc-kafka-connect-s3-10.5.15.zip"));
        assert.ok(!String(run.args.command).includes(env.ARTIFACT_URL), "the URL is passed through the environment, not the shell text");
        assert.ok(fs.existsSync(env.ARTIFACT_FILE));
    });
});

describe("a stack that creates its own role, buckets and log group", () => {
    const artifact = fakeArtifact();
    let r: Awaited<ReturnType<typeof renderProgram>>;
    before(async () => {
        r = await renderProgram(
            settingsFrom(
                devRaw({
                    ...artifact.overrides,
                    "msk-s3-sink:executionRole": "create",
                    "msk-s3-sink:executionRoleNamePrefix": undefined,
                    "msk-s3-sink:logGroup": "create",
                    "msk-s3-sink:createPluginsBucket": "true",
                    "msk-s3-sink:createTargetBucket": "true",
                    "msk-s3-sink:workerConfigurationName": "none",
                }),
            ),
            { onRun: downloadWrites(artifact.content) },
        );
    });

    it("creates both buckets with the security baseline and no role or log group lookups", () => {
        assert.deepStrictEqual(
            r.harness
                .all("aws:s3/bucket:Bucket")
                .map((b) => b.inputs.bucket)
                .sort(),
            ["msk-lab-111122223333-plugins-bucket", "msk-lab-111122223333-target-bucket"],
        );
        const tokens = r.harness.invokes.map((i) => i.token);
        for (const t of [
            "aws:iam/getRoles:getRoles",
            "aws:cloudwatch/getLogGroup:getLogGroup",
            "aws:s3/getBucket:getBucket",
            "aws:mskconnect/getWorkerConfiguration:getWorkerConfiguration",
        ]) {
            assert.ok(!tokens.includes(t), `${t} must not be looked up`);
        }
    });

    it("creates the log group with the default 30-day retention and delivers logs to it", () => {
        const g = r.harness.find("aws:cloudwatch/logGroup:LogGroup", "s3-sink-log-group");
        assert.strictEqual(g.inputs.name, "/msk-lab-target-s3sink-connector");
        assert.strictEqual(g.inputs.retentionInDays, 30);
    });

    it("runs the connector without a worker configuration", () => {
        const c = r.harness.find("aws:mskconnect/connector:Connector", "s3-sink-connector");
        assert.strictEqual(c.inputs.workerConfiguration, undefined);
        assert.match(String(c.inputs.serviceExecutionRoleArn), /^arn:aws:iam::111122223333:role\/s3-sink-execution-role/);
    });

    it("passes every security rule", () => {
        assert.deepStrictEqual(checkProgram(r.harness.resources), []);
    });
});

describe("the program in a preview, before the zip is downloaded", () => {
    it("downloads the zip in the preview too and uploads that file, so the preview shows what the update will do", async () => {
        const artifact = fakeArtifact();
        const r = await renderProgram(
            settingsFrom(devRaw(artifact.overrides)),
            { onRun: downloadWrites(artifact.content), computeOutputs: false },
            true,
        );
        const o = r.harness.find("aws:s3/bucketObjectv2:BucketObjectv2", "plugin-artifact-object");
        const file = path.join(artifact.dir, artifact.sha256, "confluentinc-kafka-connect-s3-10.5.15.zip");
        assert.strictEqual(await (o.inputs.source as { path?: Promise<string> }).path, file);
        assert.deepStrictEqual(fs.readFileSync(file), artifact.content);
        assert.strictEqual(r.harness.invoked("command:local:run").length, 1);
    });
});

describe("lookups before anything is created", () => {
    it("fails when what the stack looks up is missing, listing every failure, with no resource registered", async () => {
        const artifact = fakeArtifact();
        await assert.rejects(
            renderProgram(settingsFrom(devRaw(artifact.overrides)), {
                roles: [],
                bootstrapBrokersSaslIam: "",
                failLookups: {
                    "aws:cloudwatch/getLogGroup:getLogGroup":
                        "reading CloudWatch Logs Log Group (/msk-lab-target-s3sink-connector): empty result",
                    "aws:s3/getBucket:getBucket": "Bucket not found",
                },
                onRun: downloadWrites(artifact.content),
            }).then(() => undefined),
            (e: Error) => {
                assert.match(e.message, /^5 preflight checks failed; nothing was created:/);
                assert.match(
                    e.message,
                    /MSK cluster "MSKCluster-mskconnectlab" \(msk-s3-sink:mskClusterName\) has no IAM bootstrap brokers/,
                );
                assert.match(e.message, /no IAM role's name starts with "mskconnectlab-S3ConnectorIAMRole-"/);
                assert.match(
                    e.message,
                    /log group "\/msk-lab-target-s3sink-connector" could not be looked up .*\(msk-s3-sink:logGroupName\): invocation of aws:cloudwatch\/getLogGroup:getLogGroup returned an error: reading CloudWatch Logs Log Group \(\/msk-lab-target-s3sink-connector\): empty result/,
                );
                assert.match(
                    e.message,
                    /bucket "msk-lab-111122223333-plugins-bucket" \(msk-s3-sink:pluginsBucket\) could not be looked up: invocation of aws:s3\/getBucket:getBucket returned an error: Bucket not found\. Create it, fix the name, or set msk-s3-sink:createPluginsBucket to true/,
                );
                assert.ok(
                    !/could not check whether s3:\/\//.test(e.message),
                    "a missing bucket is reported once, not again through its object",
                );
                assert.match(
                    e.message,
                    /bucket "msk-lab-111122223333-target-bucket" \(msk-s3-sink:targetBucket\).*createTargetBucket to true/,
                );
                return true;
            },
        );
    });

    it("registers nothing but the provider when a lookup fails", async () => {
        const artifact = fakeArtifact();
        const harness = await withMocks({
            region: "us-east-2",
            accountId: "111122223333",
            failLookups: { "aws:msk/getCluster:getCluster": "reading MSK Cluster (MSKCluster-mskconnectlab): empty result" },
        });
        await assert.rejects(
            buildProgram(settingsFrom(devRaw(artifact.overrides))),
            /1 preflight check failed; nothing was created:\n {2}- MSK cluster "MSKCluster-mskconnectlab" could not be looked up \(msk-s3-sink:mskClusterName\): invocation of aws:msk\/getCluster:getCluster returned an error: reading MSK Cluster \(MSKCluster-mskconnectlab\): empty result$/,
        );
        await settle();
        assert.deepStrictEqual(harness.resources.map((r) => r.type).sort(), ["pulumi:providers:aws", "pulumi:providers:command"]);
        assert.deepStrictEqual(harness.invoked("command:local:run"), [], "nothing was downloaded");
    });
});

describe("the AWS provider", () => {
    const PROVIDER_URN = "urn:pulumi:dev::msk-s3-sink::pulumi:providers:aws::aws-us-east-2::";

    /** A provider input as the engine sees it (structured values arrive as JSON text). */
    const input = (value: unknown): unknown => (typeof value === "string" && /^[[{]/.test(value) ? JSON.parse(value) : value);

    it("is the only provider any AWS resource or lookup uses (default providers for aws are disabled too)", async () => {
        const artifact = fakeArtifact();
        const { harness } = await renderProgram(settingsFrom(devRaw(artifact.overrides)), { onRun: downloadWrites(artifact.content) });
        const awsResources = harness.resources.filter((x) => x.type.startsWith("aws:"));
        assert.ok(awsResources.length >= 2);
        for (const x of awsResources)
            assert.ok(x.provider?.startsWith(PROVIDER_URN), `${x.type} ${x.name} uses ${x.provider ?? "a default provider"}`);
        const awsLookups = harness.invokes.filter((i) => i.token.startsWith("aws:"));
        assert.ok(awsLookups.length >= 6, `${awsLookups.length} lookups`);
        for (const i of awsLookups)
            assert.ok(i.provider?.startsWith(PROVIDER_URN), `${i.token} uses ${i.provider ?? "a default provider"}`);
    });

    it("carries every aws:* setting of the stack: profile, assumed roles, endpoints, retries and extra default tags", async () => {
        const artifact = fakeArtifact();
        const assumeRoles = [
            { roleArn: "arn:aws:iam::111122223333:role/msk-s3-sink-deployer", sessionName: "msk-s3-sink", externalId: "lab-7" },
        ];
        const endpoints = [{ s3: "https://s3.us-east-2.amazonaws.com" }];
        const settings = settingsFrom(
            devRaw({
                ...artifact.overrides,
                "aws:profile": "lab-admin",
                "aws:assumeRoles": JSON.stringify(assumeRoles),
                "aws:sharedConfigFiles": JSON.stringify(["/home/lab/.aws/config"]),
                "aws:endpoints": JSON.stringify(endpoints),
                "aws:maxRetries": "7",
                "aws:skipMetadataApiCheck": "true",
                "aws:defaultTags": JSON.stringify({ tags: { team: "data" } }),
            }),
        );
        const { harness } = await renderProgram(settings, { onRun: downloadWrites(artifact.content) });
        const p = harness.find("pulumi:providers:aws", "aws-us-east-2").inputs;
        assert.strictEqual(p.profile, "lab-admin");
        assert.deepStrictEqual(input(p.assumeRoles), assumeRoles);
        assert.deepStrictEqual(input(p.sharedConfigFiles), ["/home/lab/.aws/config"]);
        assert.deepStrictEqual(input(p.endpoints), endpoints);
        assert.strictEqual(String(p.maxRetries), "7");
        assert.strictEqual(String(p.skipMetadataApiCheck), "true");
        assert.strictEqual(p.region, "us-east-2");
        assert.deepStrictEqual(input(p.allowedAccountIds), ["111122223333"]);
        assert.deepStrictEqual(input(p.defaultTags), {
            tags: { team: "data", "managed-by": "pulumi", project: "msk-s3-sink", stack: "dev" },
        });
    });

    it("hands a secure aws:profile to the dynamic checks as a secret, and keeps every check's profile a secret of the state", async () => {
        const artifact = fakeArtifact();
        const rec = optionsRecorder();
        const settings = settingsFrom(
            devRaw({
                ...artifact.overrides,
                "aws:profile": "customer-prod-admin",
                "msk-s3-sink:createPluginsBucket": "true",
                "msk-s3-sink:createTargetBucket": "true",
            }),
            ["aws:profile"],
        );
        const { harness } = await renderProgram(settings, { onRun: downloadWrites(artifact.content) }, false, {
            transformations: [rec.transformation],
        });
        const isSecret = (v: unknown): boolean =>
            typeof v === "object" && v !== null && Object.values(v).includes("1b47061264138c4ac30d75fd1eb44270");
        const checks: [string, string][] = [
            ["pulumi-nodejs:dynamic/verification:SinkVerification", "sink-verification"],
            ["pulumi-nodejs:dynamic/lifecycle:PluginObjectVersion", "plugin-artifact-own-version"],
            ["pulumi-nodejs:dynamic/lifecycle:DestroyCheck", "destroy-check"],
        ];
        for (const [type, name] of checks) {
            const profile = harness.find(type, name).inputs.profile;
            assert.ok(isSecret(profile), `${name}: profile ${JSON.stringify(profile)} is not a secret`);
            assert.strictEqual((profile as { value: unknown }).value, "customer-prod-admin");
            const opts = rec.seen.get(`${type} ${name}`) as pulumi.CustomResourceOptions | undefined;
            assert.ok(opts?.additionalSecretOutputs?.includes("profile"), name);
        }
        assert.ok(isSecret(harness.find("pulumi:providers:aws", "aws-us-east-2").inputs.profile));
    });

    it("warns for each provider setting the checks outside the provider do not follow, secret or not, and for nothing else", () => {
        const settings = settingsFrom(
            devRaw({
                "aws:sharedCredentialsFiles": '["/home/me/.aws/work-credentials"]',
                "aws:assumeRoles": "[secret]",
                "aws:maxRetries": "5",
                "aws:profile": "work",
            }),
            ["aws:assumeRoles"],
        );
        const warnings = settingsTheChecksIgnore(settings);
        assert.deepStrictEqual(
            warnings.map((w) => /^warning \[checks-outside-provider\] (\S+):/.exec(w)?.[1]),
            ["aws:assumeRoles", "aws:sharedCredentialsFiles"],
        );
        assert.match(warnings[1], /AWS_SHARED_CREDENTIALS_FILE/);
        assert.deepStrictEqual(settingsTheChecksIgnore(settingsFrom(devRaw({ "aws:profile": "work" }))), []);
    });

    it("hands a plain aws:profile to the dynamic checks as a secret input too, so the state's inputs never hold it", async () => {
        const artifact = fakeArtifact();
        const settings = settingsFrom(devRaw({ ...artifact.overrides, "aws:profile": "customer-prod-admin" }));
        const { harness } = await renderProgram(settings, { onRun: downloadWrites(artifact.content) }, false);
        const profile = harness.find("pulumi-nodejs:dynamic/verification:SinkVerification", "sink-verification").inputs.profile;
        assert.deepStrictEqual(profile, {
            "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
            value: "customer-prod-admin",
        });
    });

    it("passes nothing the stack did not set, and never credentials", async () => {
        const artifact = fakeArtifact();
        const { harness } = await renderProgram(settingsFrom(devRaw(artifact.overrides)), { onRun: downloadWrites(artifact.content) });
        const p = harness.find("pulumi:providers:aws", "aws-us-east-2").inputs;
        // skipCredentialsValidation and skipRegionValidation are the SDK's own defaults for every aws.Provider.
        assert.deepStrictEqual(Object.keys(p).sort(), [
            "allowedAccountIds",
            "defaultTags",
            "region",
            "skipCredentialsValidation",
            "skipRegionValidation",
        ]);
        assert.strictEqual(p.skipRegionValidation, "true");
    });
});

describe("destroy keeps what it promises", () => {
    const CREATE_BOTH = { "msk-s3-sink:createPluginsBucket": "true", "msk-s3-sink:createTargetBucket": "true" };

    async function render(overrides: Record<string, string>) {
        const artifact = fakeArtifact();
        const rec = optionsRecorder();
        const r = await renderProgram(
            settingsFrom(devRaw({ ...artifact.overrides, ...overrides })),
            { onRun: downloadWrites(artifact.content) },
            false,
            {
                transformations: [rec.transformation],
            },
        );
        return { ...r, seen: rec.seen, artifact };
    }
    /** A dynamic resource's inputs without its serialized provider. */
    const own = (inputs: Record<string, unknown>): Record<string, unknown> =>
        Object.fromEntries(Object.entries(inputs).filter(([k]) => !k.startsWith("__")));
    const nameOf = (r: unknown): string => (r as { __name: string }).__name;

    it("keeps the uploaded zip out of the provider's hands and deletes exactly the version this stack wrote", async () => {
        const { harness, seen, artifact } = await render({});
        assert.strictEqual(seen.get("aws:s3/bucketObjectv2:BucketObjectv2 plugin-artifact-object")?.retainOnDelete, true);
        assert.deepStrictEqual(
            own(harness.find("pulumi-nodejs:dynamic/lifecycle:PluginObjectVersion", "plugin-artifact-own-version").inputs),
            {
                bucket: "msk-lab-111122223333-plugins-bucket",
                key: "kafka-connect-s3/confluentinc-kafka-connect-s3-10.5.15.zip",
                versionId: "Wd3Ckq2vVwmsBR3jbxiIXzUdXyk0hYGS",
                sha256: artifact.sha256,
                region: "us-east-2",
            },
        );
    });

    it("needs no destroy check when every bucket is looked up", async () => {
        const { harness } = await render({});
        assert.deepStrictEqual(harness.all("pulumi-nodejs:dynamic/lifecycle:DestroyCheck"), []);
    });

    it("keeps the destroy check, with nothing to check, when the created buckets are kept (so following its advice does not delete it)", async () => {
        const { harness } = await render(CREATE_BOTH);
        const check = harness.find("pulumi-nodejs:dynamic/lifecycle:DestroyCheck", "destroy-check");
        assert.deepStrictEqual(check.inputs.buckets, []);
    });

    it("checks, before a destroy deletes anything, every bucket it would delete, after every other resource", async () => {
        const { harness, seen } = await render({ ...CREATE_BOTH, "msk-s3-sink:retainBucketsOnDestroy": "false" });
        const check = harness.find("pulumi-nodejs:dynamic/lifecycle:DestroyCheck", "destroy-check");
        assert.deepStrictEqual(check.inputs.buckets, [
            { bucket: "msk-lab-111122223333-plugins-bucket", setting: "pluginsBucket" },
            { bucket: "msk-lab-111122223333-target-bucket", setting: "targetBucket" },
        ]);
        assert.deepStrictEqual(check.inputs.ownVersions, [
            {
                bucket: "msk-lab-111122223333-plugins-bucket",
                key: "kafka-connect-s3/confluentinc-kafka-connect-s3-10.5.15.zip",
                versionId: "Wd3Ckq2vVwmsBR3jbxiIXzUdXyk0hYGS",
            },
        ]);
        // dependsOn a component covers its children: everything else is deleted only after the check passed.
        const deps = (seen.get("pulumi-nodejs:dynamic/lifecycle:DestroyCheck destroy-check")!.dependsOn as unknown[]).map(nameOf).sort();
        assert.deepStrictEqual(deps, [
            "connector-plugin",
            "plugin-artifact",
            "plugins",
            "s3-sink",
            "s3-sink-change-guard",
            "s3-sink-state",
            "sink-verification",
            "target",
        ]);
        assert.ok(
            harness.resources.map((x) => x.name).indexOf("destroy-check") >
                harness.resources.map((x) => x.name).indexOf("sink-verification"),
        );
    });

    it("empties the target bucket on destroy only when asked, and then checks only the plugins bucket", async () => {
        const { harness } = await render({
            ...CREATE_BOTH,
            "msk-s3-sink:retainBucketsOnDestroy": "false",
            "msk-s3-sink:emptyTargetBucketOnDestroy": "true",
        });
        assert.strictEqual(harness.find("aws:s3/bucket:Bucket", "target-bucket").inputs.forceDestroy, true);
        assert.strictEqual(harness.find("aws:s3/bucket:Bucket", "plugins-bucket").inputs.forceDestroy, false);
        assert.deepStrictEqual(harness.find("pulumi-nodejs:dynamic/lifecycle:DestroyCheck", "destroy-check").inputs.buckets, [
            { bucket: "msk-lab-111122223333-plugins-bucket", setting: "pluginsBucket" },
        ]);
        assert.deepStrictEqual(checkProgram(harness.resources), [], "asking for it keeps the policy rules green");
    });

    it("keeps created buckets, with their settings, by default", async () => {
        const { seen } = await render(CREATE_BOTH);
        const buckets = [...seen.entries()].filter(([k]) => /^aws:s3\/bucket[A-Za-z]*:/.test(k));
        assert.strictEqual(buckets.length, 14);
        for (const [k, opts] of buckets) assert.strictEqual(opts.retainOnDelete, true, k);
    });
});

describe("KMS keys", () => {
    const ALIAS = "arn:aws:kms:us-east-2:111122223333:alias/msk-lab";
    const KEY = "arn:aws:kms:us-east-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    const LOG_ALIAS = "arn:aws:kms:us-east-2:111122223333:alias/msk-lab-logs";
    const LOG_KEY = "arn:aws:kms:us-east-2:111122223333:key/99999999-12ab-34cd-56ef-1234567890ab";
    const EVERYTHING_CREATED = {
        "msk-s3-sink:createPluginsBucket": "true",
        "msk-s3-sink:createTargetBucket": "true",
        "msk-s3-sink:executionRole": "create",
        "msk-s3-sink:executionRoleNamePrefix": undefined,
        "msk-s3-sink:logGroup": "create",
        "msk-s3-sink:kmsKeyArn": ALIAS,
        "msk-s3-sink:logKmsKeyArn": LOG_ALIAS,
    };

    it("resolves an alias to its key ARN, and uses the key ARN everywhere a key is used", async () => {
        const artifact = fakeArtifact();
        const { harness } = await renderProgram(settingsFrom(devRaw({ ...artifact.overrides, ...EVERYTHING_CREATED })), {
            onRun: downloadWrites(artifact.content),
            kmsKeys: { [ALIAS]: { arn: KEY, keyState: "Enabled" }, [LOG_ALIAS]: { arn: LOG_KEY, keyState: "Enabled" } },
        });
        assert.deepStrictEqual(
            harness.invoked("aws:kms/getKey:getKey").map((i) => i.args.keyId),
            [ALIAS, LOG_ALIAS],
        );
        for (const name of ["plugins-encryption", "target-encryption"]) {
            const rules = harness.find("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", name)
                .inputs.rules as {
                applyServerSideEncryptionByDefault: { kmsMasterKeyId: string };
            }[];
            assert.strictEqual(rules[0].applyServerSideEncryptionByDefault.kmsMasterKeyId, KEY, name);
        }
        assert.strictEqual(harness.find("aws:s3/bucketObjectv2:BucketObjectv2", "plugin-artifact-object").inputs.kmsKeyId, KEY);
        const policy = JSON.parse(String(harness.find("aws:iam/rolePolicy:RolePolicy", "s3-sink-execution-policy").inputs.policy));
        assert.deepStrictEqual(policy.Statement.find((x: { Sid: string }) => x.Sid === "TargetBucketKey").Resource, KEY);
        assert.strictEqual(harness.find("aws:cloudwatch/logGroup:LogGroup", "s3-sink-log-group").inputs.kmsKeyId, LOG_KEY);
        assert.ok(!JSON.stringify(harness.resources.map((x) => x.inputs)).includes(":alias/"), "no alias reaches any resource");
    });

    it("fails before anything is registered when a key is disabled, pending deletion or not for encryption, naming the setting", async () => {
        const artifact = fakeArtifact();
        await withMocks({
            region: "us-east-2",
            accountId: "111122223333",
            kmsKeys: {
                [ALIAS]: { arn: KEY, keyState: "PendingDeletion" },
                [LOG_ALIAS]: { arn: LOG_KEY, keyState: "Enabled", keyUsage: "SIGN_VERIFY" },
            },
        });
        await assert.rejects(buildProgram(settingsFrom(devRaw({ ...artifact.overrides, ...EVERYTHING_CREATED }))), (e: Error) => {
            assert.match(e.message, /^2 preflight checks failed; nothing was created:/);
            assert.match(
                e.message,
                /KMS key arn:aws:kms:us-east-2:111122223333:key\/1234abcd-\S+ \(msk-s3-sink:kmsKeyArn = arn:aws:kms:us-east-2:111122223333:alias\/msk-lab\) is PendingDeletion/,
            );
            assert.match(e.message, /\(msk-s3-sink:logKmsKeyArn\) is for SIGN_VERIFY, not ENCRYPT_DECRYPT/);
            return true;
        });
    });

    it("fails naming the setting when an alias does not exist", async () => {
        const artifact = fakeArtifact();
        await withMocks({ region: "us-east-2", accountId: "111122223333", failLookups: { "aws:kms/getKey:getKey": "AliasNotFound" } });
        await assert.rejects(
            buildProgram(settingsFrom(devRaw({ ...artifact.overrides, "msk-s3-sink:kmsKeyArn": ALIAS }))),
            /KMS key arn:aws:kms:us-east-2:111122223333:alias\/msk-lab could not be looked up \(msk-s3-sink:kmsKeyArn\)/,
        );
    });
});

describe("upgrading the connector plugin (10.5.15 to another version)", () => {
    /** Inputs by "<type> <name>", without dynamic providers' serialized code. */
    type Render = Map<string, Record<string, unknown>>;
    let old: Render;
    let after: Render;
    let seenAfter: Map<string, pulumi.CustomResourceOptions>;

    async function render(version: string): Promise<{ inputs: Render; seen: Map<string, pulumi.CustomResourceOptions> }> {
        const artifact = fakeArtifact();
        const rec = optionsRecorder();
        const { harness } = await renderProgram(
            settingsFrom(devRaw({ ...artifact.overrides, "msk-s3-sink:pluginVersion": version })),
            { onRun: downloadWrites(artifact.content) },
            false,
            { transformations: [rec.transformation] },
        );
        const inputs: Render = new Map();
        for (const x of harness.resources) {
            const own = Object.fromEntries(Object.entries(x.inputs).filter(([k]) => !k.startsWith("__")));
            // An asset compares by the file it uploads.
            if (pulumi.asset.Asset.isInstance(own.source)) own.source = await (own.source as unknown as { path: Promise<string> }).path;
            inputs.set(`${x.type} ${x.name}`, own);
        }
        return { inputs, seen: rec.seen as Map<string, pulumi.CustomResourceOptions> };
    }
    /** The input properties that differ between the two renders, per resource present in both. */
    function changed(): Record<string, string[]> {
        const out: Record<string, string[]> = {};
        for (const [key, a] of old) {
            const b = after.get(key);
            assert.ok(b, `${key} is gone after the upgrade`);
            const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
            if (keys.length > 0) out[key] = keys.sort();
        }
        return out;
    }

    before(async () => {
        old = (await render("10.5.15")).inputs;
        const r = await render("10.6.0");
        after = r.inputs;
        seenAfter = r.seen;
    });

    it("changes exactly the zip (file and key), its version record, the custom plugin and the connector's plugin", () => {
        assert.deepStrictEqual([...after.keys()].sort(), [...old.keys()].sort(), "the same resources, by type and name (so the same URNs)");
        assert.deepStrictEqual(changed(), {
            "aws:s3/bucketObjectv2:BucketObjectv2 plugin-artifact-object": ["key", "metadata", "source"],
            "pulumi-nodejs:dynamic/lifecycle:PluginObjectVersion plugin-artifact-own-version": ["key", "sha256"],
            "aws:mskconnect/customPlugin:CustomPlugin connector-plugin-custom-plugin": ["description", "location", "name"],
            "aws:mskconnect/connector:Connector s3-sink-connector": ["plugins"],
        });
        // The verification's trigger is the connector's ARN (with the configuration's digest): a replaced
        // connector has a new ARN, so the data is verified again (mocks give the same example ARN to both).
        assert.match(
            String(after.get("pulumi-nodejs:dynamic/verification:SinkVerification sink-verification")!.trigger),
            /:connector\/confluentinc-kafka-connect-s3\/.+#[0-9a-f]{16}$/,
        );
    });

    it("uploads the new zip under a new key; the old upload's version is deleted once the new one is recorded", () => {
        const obj = "aws:s3/bucketObjectv2:BucketObjectv2 plugin-artifact-object";
        assert.strictEqual(old.get(obj)!.key, "kafka-connect-s3/confluentinc-kafka-connect-s3-10.5.15.zip");
        assert.strictEqual(after.get(obj)!.key, "kafka-connect-s3/confluentinc-kafka-connect-s3-10.6.0.zip");
        assert.strictEqual(seenAfter.get(obj)!.retainOnDelete, true, "the provider would delete every version of the old key");
    });

    it("replaces the custom plugin create-first under the new version's name (the old one goes after the connector moved)", () => {
        const p = "aws:mskconnect/customPlugin:CustomPlugin connector-plugin-custom-plugin";
        assert.strictEqual(old.get(p)!.name, "confluentinc-kafka-connect-s3-10-5-15");
        assert.strictEqual(after.get(p)!.name, "confluentinc-kafka-connect-s3-10-6-0");
        assert.strictEqual(seenAfter.get(p)!.deleteBeforeReplace, undefined);
    });

    it("replaces the connector delete-first with the same name, so its consumer group and committed offsets stay", () => {
        const c = "aws:mskconnect/connector:Connector s3-sink-connector";
        assert.strictEqual(old.get(c)!.name, "confluentinc-kafka-connect-s3");
        assert.strictEqual(after.get(c)!.name, "confluentinc-kafka-connect-s3");
        assert.deepStrictEqual(after.get(c)!.connectorConfiguration, old.get(c)!.connectorConfiguration);
        const pluginArn = (x: Record<string, unknown>) => (x.plugins as { customPlugin: { arn: string } }[])[0].customPlugin.arn;
        assert.match(pluginArn(old.get(c)!), /:custom-plugin\/confluentinc-kafka-connect-s3-10-5-15\//);
        assert.match(pluginArn(after.get(c)!), /:custom-plugin\/confluentinc-kafka-connect-s3-10-6-0\//);
        assert.strictEqual(seenAfter.get(c)!.deleteBeforeReplace, true);
    });
});

describe("pulumi preview (under mocks) stops before anything is created when the account is not ready", () => {
    const artifact = fakeArtifact();
    const preview = async (raw: Record<string, string | undefined>, fixtures: Partial<MockFixtures>) => {
        const harness = await withMocks(
            { region: "us-east-2", accountId: "111122223333", computeOutputs: false, onRun: downloadWrites(artifact.content), ...fixtures },
            true,
        );
        const failure = await buildProgram(settingsFrom(devRaw({ ...artifact.overrides, ...raw }))).then(
            () => assert.fail("expected the preview to fail"),
            (e: Error) => e,
        );
        await settle();
        assert.deepStrictEqual(
            harness.resources.map((r) => r.type).sort(),
            ["pulumi:providers:aws", "pulumi:providers:command"],
            "nothing but the providers are registered",
        );
        assert.deepStrictEqual(harness.invoked("command:local:run"), [], "nothing is downloaded");
        return failure;
    };

    it("fails when a connector of our name exists that this stack does not manage, with the exact pulumi import command", async () => {
        const e = await preview({}, { existingConnector: { tags: {} } });
        assert.match(e.message, /^1 preflight check failed; nothing was created:/);
        assert.match(
            e.message,
            /connector "confluentinc-kafka-connect-s3" \(msk-s3-sink:connectorName\) already exists \(arn:aws:kafkaconnect:us-east-2:111122223333:connector\/confluentinc-kafka-connect-s3\/[^)]+\) and this stack does not manage it/,
        );
        assert.match(e.message, /pulumi config set --path 'msk-s3-sink:adoptExisting\[0\]' connector/);
        assert.match(
            e.message,
            /pulumi import 'aws:mskconnect\/connector:Connector' 's3-sink-connector' 'arn:aws:kafkaconnect:us-east-2:111122223333:connector\/confluentinc-kafka-connect-s3\/[^']+' --parent 's3-sink=urn:pulumi:dev::msk-s3-sink::msk-s3-sink:connector:S3SinkConnector::s3-sink' --provider 'aws-us-east-2=urn:pulumi:dev::msk-s3-sink::pulumi:providers:aws::aws-us-east-2'/,
        );
    });

    it("fails when both names are taken by the lab's by-hand resources, one failure each, the plugin's with its own import command", async () => {
        const e = await preview({}, { existingConnector: {}, existingCustomPlugin: { tags: { project: "msk-s3-sink", stack: "prod" } } });
        assert.match(e.message, /^2 preflight checks failed/);
        assert.match(
            e.message,
            /custom plugin "confluentinc-kafka-connect-s3-10-5-15" \(msk-s3-sink:pluginVersion\) already exists .* \(its tags say stack "prod" of this project manages it\)/,
        );
        assert.match(
            e.message,
            /pulumi import 'aws:mskconnect\/customPlugin:CustomPlugin' 'connector-plugin-custom-plugin' '[^']+' --parent 'connector-plugin=urn:pulumi:dev::msk-s3-sink::msk-s3-sink:plugin:ConnectorPlugin::connector-plugin'/,
        );
    });

    it("fails when the plugin key already holds a different file it did not upload, and never overwrites it", async () => {
        const e = await preview({}, { pluginObject: { sha256: "ab".repeat(32) } });
        assert.match(
            e.message,
            /s3:\/\/msk-lab-111122223333-plugins-bucket\/kafka-connect-s3\/confluentinc-kafka-connect-s3-10\.5\.15\.zip already holds a different file \(SHA-256 (ab){32}; msk-s3-sink:pluginSha256 is [0-9a-f]{64}\), and this stack did not upload it .* it is not overwritten\./,
        );
        assert.match(
            e.message,
            /aws s3 rm s3:\/\/msk-lab-111122223333-plugins-bucket\/kafka-connect-s3\/confluentinc-kafka-connect-s3-10\.5\.15\.zip/,
        );
    });

    it("fails when the client subnets have no route to S3 (they use the main route table, which only has an internet gateway)", async () => {
        const e = await preview({}, { network: { subnetRouteTables: {} } });
        assert.match(
            e.message,
            /no route from the connector's subnets to S3: subnet-0a1b2c3d4e5f60001, subnet-0a1b2c3d4e5f60002, subnet-0a1b2c3d4e5f60003 use route table rtb-0c1d2e3f4a5b60000, the VPC's main route table, which has neither an S3 gateway endpoint nor a NAT gateway for 0\.0\.0\.0\/0 \(its internet gateway does not serve the connector/,
        );
        assert.match(
            e.message,
            /aws ec2 modify-vpc-endpoint --vpc-endpoint-id vpce-0b1c2d3e4f5a60001 --add-route-table-ids rtb-0c1d2e3f4a5b60000/,
        );
    });

    it("lists what it could not be sure of with the failures, so one run shows everything", async () => {
        const e = await preview(
            {},
            {
                existingConnector: {},
                network: {
                    s3GatewayEndpoint: undefined,
                    routes: { "rtb-0c1d2e3f4a5b60001": [{ cidrBlock: "0.0.0.0/0", transitGatewayId: "tgw-0a1b2c3d4e5f60001" }] },
                },
            },
        );
        assert.match(e.message, /^1 preflight check failed; nothing was created:\n {2}- connector "confluentinc-kafka-connect-s3"/);
        assert.match(
            e.message,
            /\nWarnings found in the same run:\n {2}- warning \[route-to-s3-unknown\] msk-s3-sink:mskClusterName: cannot tell whether/,
        );
    });

    it("fails when the cluster's security group does not admit the connector on 9098", async () => {
        const e = await preview({}, { network: { securityGroupRules: LAB_NETWORK.securityGroupRules.filter((r) => r.isEgress) } });
        assert.match(e.message, /admit nothing on TCP 9098 from the connector/);
        assert.match(
            e.message,
            /aws ec2 authorize-security-group-ingress --group-id sg-0123456789abcdef0 --protocol tcp --port 9098 --source-group sg-0123456789abcdef0/,
        );
    });
});

describe("pulumi preview (under mocks) adopts or reuses instead of stopping when the stack says so", () => {
    const artifact = fakeArtifact();

    // Pulumi's import docs: the import succeeds only when the inputs, with the provider's default tags, equal what AWS
    // holds; the strict runtime compares them with the fields the lab's console steps really leave (labConnectorFields,
    // labCustomPluginFields: no descriptions, no tags, no object version, the brokers in the console's order).
    it("imports the lab's by-hand plugin and connector: inputs equal to theirs on the adopting run, then tags them as this stack's", async () => {
        // The lab's zip is still at the key, uploaded by `aws s3 cp` (no SHA-256 checksum): the adopted plugin was made from it.
        const r = await renderProgram(
            settingsFrom(devRaw({ ...artifact.overrides, "msk-s3-sink:adoptExisting": '["connector","customPlugin"]' })),
            {
                existingConnector: {},
                existingCustomPlugin: {},
                pluginObject: { versionId: "lab-upload-v1" },
                onRun: () => assert.fail("nothing is downloaded: nothing is uploaded over the lab's zip"),
            },
        );
        assert.deepStrictEqual(r.harness.all("aws:s3/bucketObjectv2:BucketObjectv2"), []);
        const connector = r.harness.find("aws:mskconnect/connector:Connector", "s3-sink-connector");
        const plugin = r.harness.find("aws:mskconnect/customPlugin:CustomPlugin", "connector-plugin-custom-plugin");
        assert.match(String(connector.importId), /^arn:aws:kafkaconnect:us-east-2:111122223333:connector\/confluentinc-kafka-connect-s3\//);
        assert.match(String(plugin.importId), /:custom-plugin\/confluentinc-kafka-connect-s3-10-5-15\//);
        assert.strictEqual(connector.inputs.description, "", "the lab's own (empty) description, not ours");
        assert.strictEqual(plugin.inputs.description, "");
        assert.deepStrictEqual(connector.options?.ignoreChanges, [...ADOPTED_AS_MADE, "tags", "tagsAll"]);
        assert.deepStrictEqual(plugin.options?.ignoreChanges, ["location", "tags", "tagsAll"]);
        const tagging = r.harness.all("pulumi-nodejs:dynamic/adoption:AdoptionTags");
        assert.deepStrictEqual(
            tagging.map((x) => [x.name, x.inputs.arn, x.inputs.tags]),
            [
                ["connector-plugin-adoption-tags", plugin.importId, { "managed-by": "pulumi", project: "msk-s3-sink", stack: "dev" }],
                ["s3-sink-adoption-tags", connector.importId, { "managed-by": "pulumi", project: "msk-s3-sink", stack: "dev" }],
            ],
        );
    });

    // S3 keeps 10 tags on an object, the provider's default tags included (pulumi-aws merges them into tagsAll).
    it("uploads the zip with seven tags of the stack's own (ten on the object), and refuses eight naming aws:defaultTags", async () => {
        const tags = (n: number) => JSON.stringify({ tags: Object.fromEntries([...Array(n).keys()].map((i) => [`team${i}`, "data"])) });
        const r = await renderProgram(settingsFrom(devRaw({ ...artifact.overrides, "aws:defaultTags": tags(7) })), {
            onRun: downloadWrites(artifact.content),
        });
        assert.ok(r.harness.find("aws:s3/bucketObjectv2:BucketObjectv2", "plugin-artifact-object"));
        assert.throws(
            () => settingsFrom(devRaw({ ...artifact.overrides, "aws:defaultTags": tags(8) })),
            /aws:defaultTags = .*holds 8 tags; with the program's own 3 .* would carry 11, and S3 keeps 10 at most.*Keep aws:defaultTags to 7 tags or fewer/s,
        );
    });

    it("imports a console-made connector whose log delivery came back with firehose and s3 switched off", async () => {
        const logDelivery = {
            workerLogDelivery: {
                cloudwatchLogs: { enabled: true, logGroup: "/msk-lab-target-s3sink-connector" },
                firehose: { enabled: false },
                s3: { enabled: false },
            },
        };
        const r = await renderProgram(
            settingsFrom(devRaw({ ...artifact.overrides, "msk-s3-sink:adoptExisting": '["connector","customPlugin"]' })),
            { existingConnector: { fields: { logDelivery } }, existingCustomPlugin: {}, onRun: downloadWrites(artifact.content) },
        );
        assert.ok(r.harness.find("aws:mskconnect/connector:Connector", "s3-sink-connector").importId);
    });

    it("on the run after adoption (tagged as ours), imports nothing and lets a normal update record the tags", async () => {
        const ours = { tags: { "managed-by": "pulumi", project: "msk-s3-sink", stack: "dev" } };
        const r = await renderProgram(
            settingsFrom(devRaw({ ...artifact.overrides, "msk-s3-sink:adoptExisting": '["connector","customPlugin"]' })),
            { existingConnector: ours, existingCustomPlugin: ours, onRun: downloadWrites(artifact.content) },
        );
        const connector = r.harness.find("aws:mskconnect/connector:Connector", "s3-sink-connector");
        assert.strictEqual(connector.importId, undefined);
        assert.deepStrictEqual(connector.options?.ignoreChanges, ADOPTED_AS_MADE);
        assert.strictEqual(connector.inputs.description, "", "still the description it was made with (a change would replace it)");
        assert.deepStrictEqual(r.harness.all("pulumi-nodejs:dynamic/adoption:AdoptionTags"), []);
    });

    it("fails, before anything changes, when an adopted connector is left out of adoptExisting (it would be replaced)", async () => {
        const ours = { tags: { "managed-by": "pulumi", project: "msk-s3-sink", stack: "dev" } };
        await assert.rejects(
            renderProgram(settingsFrom(devRaw({ ...artifact.overrides, "msk-s3-sink:adoptExisting": '["customPlugin"]' })), {
                existingConnector: ours,
                existingCustomPlugin: ours,
                onRun: downloadWrites(artifact.content),
            }),
            /connector "confluentinc-kafka-connect-s3" .* carries this stack's tags but was not made by it .*Keep `connector` in msk-s3-sink:adoptExisting/s,
        );
    });

    it("fails when the adopted connector's fields differ from this stack's settings, naming them (the import would fail)", async () => {
        const raw = devRaw({
            ...artifact.overrides,
            "msk-s3-sink:adoptExisting": '["connector","customPlugin"]',
            "msk-s3-sink:flushSize": "500",
        });
        await assert.rejects(
            renderProgram(settingsFrom(raw), { existingConnector: {}, existingCustomPlugin: {}, onRun: downloadWrites(artifact.content) }),
            /inputs to import do not match the existing resource: \[connectorConfiguration\] \(~connectorConfiguration\.flush\.size\)/,
        );
    });

    it("fails when the connector is adopted without the custom plugin it runs, with the fix", async () => {
        const raw = devRaw({ ...artifact.overrides, "msk-s3-sink:adoptExisting": '["connector"]' });
        await assert.rejects(
            renderProgram(settingsFrom(raw), { existingConnector: {}, onRun: downloadWrites(artifact.content) }),
            (e: Error) => {
                assert.match(e.message, /the custom plugin it runs is not/);
                assert.match(e.message, /adoptExisting\[1\]' customPlugin/);
                return true;
            },
        );
    });

    it("leaves a connector that carries this stack's tags alone: it is ours", async () => {
        const r = await renderProgram(settingsFrom(devRaw(artifact.overrides)), {
            existingConnector: {
                tags: { "managed-by": "pulumi", project: "msk-s3-sink", stack: "dev" },
                fields: { description: CONNECTOR_DESCRIPTION },
            },
            onRun: downloadWrites(artifact.content),
        });
        assert.strictEqual(r.harness.find("aws:mskconnect/connector:Connector", "s3-sink-connector").importId, undefined);
    });

    it("uses an object that already is the pinned zip without uploading or downloading, pinning its version", async () => {
        const r = await renderProgram(settingsFrom(devRaw(artifact.overrides)), {
            pluginObject: { sha256: artifact.sha256, versionId: "hand-uploaded-v1" },
            onRun: () => assert.fail("nothing may be downloaded"),
        });
        assert.deepStrictEqual(r.harness.all("aws:s3/bucketObjectv2:BucketObjectv2"), []);
        const p = r.harness.find("aws:mskconnect/customPlugin:CustomPlugin", "connector-plugin-custom-plugin");
        assert.strictEqual((p.inputs.location as { s3: { objectVersion: string } }).s3.objectVersion, "hand-uploaded-v1");
        assert.strictEqual(
            r.outputs.pluginObjectUri,
            "s3://msk-lab-111122223333-plugins-bucket/kafka-connect-s3/confluentinc-kafka-connect-s3-10.5.15.zip",
        );
    });

    it("warns, and goes on, when the route to S3 goes through a transit gateway it cannot see through", async () => {
        const warnings: string[] = [];
        const warn = pulumi.log.warn;
        pulumi.log.warn = (m: string) => (warnings.push(m), Promise.resolve());
        try {
            await renderProgram(settingsFrom(devRaw(artifact.overrides)), {
                network: {
                    s3GatewayEndpoint: undefined,
                    routes: { "rtb-0c1d2e3f4a5b60001": [{ cidrBlock: "0.0.0.0/0", transitGatewayId: "tgw-0a1b2c3d4e5f60001" }] },
                },
                onRun: downloadWrites(artifact.content),
            });
        } finally {
            pulumi.log.warn = warn;
        }
        assert.ok(
            warnings.some((w) =>
                /^warning \[route-to-s3-unknown\] msk-s3-sink:mskClusterName: cannot tell whether subnet-0a1b2c3d4e5f60001, subnet-0a1b2c3d4e5f60002, subnet-0a1b2c3d4e5f60003 \(route table rtb-0c1d2e3f4a5b60001\) reach S3/.test(
                    w,
                ),
            ),
            warnings.join("\n"),
        );
    });
});
