/**
 * The bare program `npm run bench` compares `npm run plan` with: under Pulumi's mock runtime in preview mode,
 * it registers the resources the dev stack's plan registers, with the same providers (the AWS provider, the
 * plugin object, the custom plugin, the connector, and the two dynamic resources with this project's own
 * providers, whose code Pulumi serializes), and nothing else: no stack settings, no lookups, no policy, no
 * report. Started with the same TypeScript loader as the plan.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PluginObjectVersion, SinkVerification } from "../components";

const EXPECTED = 6;

async function main(): Promise<void> {
    let registered = 0;
    const mocks = {
        newResource: (a: pulumi.runtime.MockResourceArgs) => (registered++, { id: undefined as unknown as string, state: a.inputs }),
        call: () => ({}),
    };
    await pulumi.runtime.setMocks(mocks, "msk-s3-sink", "dev", true);
    const provider = new aws.Provider("aws-us-east-2", { region: "us-east-2" });
    const object = new aws.s3.BucketObjectv2(
        "object",
        { bucket: "b", key: "k.zip", source: new pulumi.asset.StringAsset("zip") },
        { provider },
    );
    new PluginObjectVersion("own-version", {
        bucket: "b",
        key: object.key,
        versionId: object.versionId.apply((v) => v ?? ""),
        sha256: "0".repeat(64),
        region: "us-east-2",
    });
    const plugin = new aws.mskconnect.CustomPlugin(
        "plugin",
        { contentType: "ZIP", location: { s3: { bucketArn: "arn:aws:s3:::b", fileKey: object.key } } },
        { provider },
    );
    const connector = new aws.mskconnect.Connector(
        "connector",
        {
            kafkaconnectVersion: "2.7.1",
            capacity: { provisionedCapacity: { mcuCount: 1, workerCount: 1 } },
            connectorConfiguration: { "connector.class": "io.confluent.connect.s3.S3SinkConnector" },
            kafkaCluster: {
                apacheKafkaCluster: { bootstrapServers: "b-1:9098", vpc: { subnets: ["subnet-1"], securityGroups: ["sg-1"] } },
            },
            kafkaClusterClientAuthentication: { authenticationType: "IAM" },
            kafkaClusterEncryptionInTransit: { encryptionType: "TLS" },
            plugins: [{ customPlugin: { arn: plugin.arn, revision: plugin.latestRevision } }],
            serviceExecutionRoleArn: "arn:aws:iam::111122223333:role/r",
        },
        { provider },
    );
    new SinkVerification("verification", {
        bucket: "b",
        region: "us-east-2",
        prefix: "topics/t/partition=0/",
        connectorArn: connector.arn,
    });
    for (let i = 0; i < 5000 && registered < EXPECTED; i++) await new Promise((r) => setTimeout(r, 1));
    if (registered !== EXPECTED) throw new Error(`registered ${registered} of ${EXPECTED} resources`);
}

main().catch((e) => {
    console.error(e);
    process.exit(1);
});
