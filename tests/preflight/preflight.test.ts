import * as assert from "assert";
import * as aws from "@pulumi/aws";
import { ConnectorPlugin } from "../../components";
import { LAB_SECURITY_GROUP, LAB_SUBNETS, MockFixtures, NetworkFixture } from "../../offline";
import {
    checkFixedNames,
    CONNECTOR_DESCRIPTION,
    checkNetwork,
    checkPluginObject,
    cidrContains,
    FIXED_NAME_RESOURCES,
    importCommand,
    pluginDescription,
    isNotFound,
    judgeSecurityGroups,
    LookupError,
    lookUpCluster,
    lookUpRole,
    pickRole,
    prefixRegex,
    providerResourceName,
    SecurityGroupRule,
    sha256FromChecksum,
    stackTags,
    urnOf,
} from "../../preflight";
import { devRaw, resolveAll, settingsFrom, withMocks } from "../helpers";

const FIXTURE = { region: "us-east-2", accountId: "111122223333" };

describe("preflight lookups", () => {
    it("fails clearly when the role prefix matches no role or several", () => {
        assert.throws(() => pickRole("p-", { names: [], arns: [] }), /no IAM role's name starts with "p-".*executionRoleName/);
        assert.throws(
            () => pickRole("p-", { names: ["p-1", "p-2"], arns: ["a", "b"] }),
            /2 IAM roles start with "p-" \(p-1, p-2\); exactly one must match/,
        );
        assert.strictEqual(pickRole("p-", { names: ["p-1"], arns: ["arn1"] }), "arn1");
        assert.strictEqual(prefixRegex("a.b-"), "^a\\.b-");
    });

    it("fails when two lab roles match the prefix", async () => {
        await withMocks({ ...FIXTURE, roles: ["mskconnectlab-S3ConnectorIAMRole-A", "mskconnectlab-S3ConnectorIAMRole-B"] });
        await assert.rejects(
            lookUpRole({ mode: "lookup", namePrefix: "mskconnectlab-S3ConnectorIAMRole-" }, {}),
            /2 IAM roles start with "mskconnectlab-S3ConnectorIAMRole-"/,
        );
    });

    it("fails when the cluster has no IAM brokers", async () => {
        await withMocks({ ...FIXTURE, bootstrapBrokersSaslIam: "" });
        await assert.rejects(
            lookUpCluster("MSKCluster-mskconnectlab", {}),
            /has no IAM bootstrap brokers \(port 9098\): enable IAM access control/,
        );
    });

    it("returns the cluster's IAM brokers, client subnets and security groups", async () => {
        await withMocks(FIXTURE);
        const c = await lookUpCluster("MSKCluster-mskconnectlab", {});
        assert.match(c.bootstrapServers, /:9098(,|$)/);
        assert.deepStrictEqual(c.subnets, ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002", "subnet-0a1b2c3d4e5f60003"]);
        assert.deepStrictEqual(c.securityGroups, ["sg-0123456789abcdef0"]);
    });
});

const SETTINGS = () => settingsFrom(devRaw({ "msk-s3-sink:pluginSha256": "ab".repeat(32) }));

describe("names already taken (the provider's own lookups, under mocks)", () => {
    it("passes when neither name exists, or when the one that exists carries this stack's tags", async () => {
        await withMocks(FIXTURE);
        assert.deepStrictEqual(await checkFixedNames(SETTINGS(), {}), {});
        const ours = { tags: stackTags("dev"), fields: { description: pluginDescription(SETTINGS()) } };
        const connector = { tags: stackTags("dev"), fields: { description: CONNECTOR_DESCRIPTION } };
        await withMocks({ ...FIXTURE, existingConnector: connector, existingCustomPlugin: ours });
        assert.deepStrictEqual(await checkFixedNames(SETTINGS(), {}), {});
    });

    it("fails when this stack's plugin was made from another zip of the same version (the replacement would take its name)", async () => {
        const other = {
            tags: stackTags("dev"),
            fields: { description: "Confluent S3 sink connector 10.5.15 (sha256 cdcdcdcdcdcd…), managed by Pulumi (msk-s3-sink)" },
        };
        await withMocks({ ...FIXTURE, existingCustomPlugin: other });
        await assert.rejects(checkFixedNames(SETTINGS(), {}), (e: LookupError) => {
            assert.match(e.failures[0], /was made from a zip whose SHA-256 starts cdcdcdcdcdcd.*same msk-s3-sink:pluginVersion 10\.5\.15/s);
            assert.match(
                e.failures[0],
                /pulumi destroy --target 'urn:pulumi:dev::msk-s3-sink::msk-s3-sink:connector:S3SinkConnector\$aws:mskconnect\/connector:Connector::s3-sink-connector'/,
            );
            return true;
        });
    });

    it("fails, naming what is needed, when the lookup fails for another reason than not found", async () => {
        await withMocks({
            ...FIXTURE,
            failLookups: {
                "aws:mskconnect/getConnector:getConnector":
                    "operation error KafkaConnect: ListConnectors, https response error StatusCode: 403, AccessDeniedException",
            },
        });
        await assert.rejects(checkFixedNames(SETTINGS(), {}), (e: LookupError) => {
            assert.deepStrictEqual(e.failures.length, 1);
            assert.match(
                e.failures[0],
                /^could not check whether a connector named "confluentinc-kafka-connect-s3" \(msk-s3-sink:connectorName\) already exists: invocation of aws:mskconnect\/getConnector:getConnector returned an error: operation error KafkaConnect: ListConnectors, .*AccessDeniedException\. The deploying identity needs kafkaconnect:ListConnectors, kafkaconnect:ListCustomPlugins and kafkaconnect:ListTagsForResource/,
            );
            return true;
        });
    });

    it("returns the ARN to import for each name the stack adopts", async () => {
        await withMocks({ ...FIXTURE, existingConnector: {}, existingCustomPlugin: {} });
        const adopted = await checkFixedNames(
            settingsFrom(devRaw({ "msk-s3-sink:pluginSha256": "ab".repeat(32), "msk-s3-sink:adoptExisting": "connector,customPlugin" })),
            {},
        );
        assert.deepStrictEqual(Object.keys(adopted).sort(), ["connector", "customPlugin"]);
        assert.match(
            String(adopted.connector?.importId),
            /^arn:aws:kafkaconnect:us-east-2:111122223333:connector\/confluentinc-kafka-connect-s3\//,
        );
        assert.strictEqual(adopted.connector?.description, "", "the adopted connector keeps the description AWS holds");
    });

    it("gives the import command the URNs the program's resources really get", async () => {
        await withMocks(FIXTURE);
        const provider = new aws.Provider(providerResourceName("us-east-2"), { region: "us-east-2" });
        const plugin = new ConnectorPlugin(
            FIXED_NAME_RESOURCES.customPlugin.parentName,
            { pluginName: "p", bucketArn: "arn:aws:s3:::b", objectKey: "k" },
            { providers: [provider] },
        );
        const [providerUrn, pluginUrn] = await resolveAll(provider.urn, plugin.customPlugin.urn);
        const s = SETTINGS();
        assert.strictEqual(
            urnOf(
                s.stack,
                FIXED_NAME_RESOURCES.customPlugin.type,
                FIXED_NAME_RESOURCES.customPlugin.name,
                FIXED_NAME_RESOURCES.customPlugin.parentType,
            ),
            pluginUrn,
        );
        assert.match(
            importCommand(s, "customPlugin", "arn:x"),
            new RegExp(`--provider 'aws-us-east-2=${String(providerUrn).replace(/[$.]/g, "\\$&")}'$`),
        );
        assert.strictEqual(FIXED_NAME_RESOURCES.connector.name, "s3-sink-connector");
        assert.strictEqual(FIXED_NAME_RESOURCES.connector.parentName, "s3-sink");
    });
});

describe("the plugin key (the provider's own lookup, under mocks)", () => {
    it("uploads as usual when the key is free or holds this stack's own upload, and looks nothing up for a created bucket", async () => {
        await withMocks(FIXTURE);
        assert.strictEqual(await checkPluginObject(SETTINGS(), {}), undefined);
        await withMocks({ ...FIXTURE, pluginObject: { sha256: "cd".repeat(32), tags: stackTags("dev") } });
        assert.strictEqual(await checkPluginObject(SETTINGS(), {}), undefined);
        const harness = await withMocks({ ...FIXTURE, pluginObject: { sha256: "cd".repeat(32) } });
        assert.strictEqual(await checkPluginObject(settingsFrom(devRaw({ "msk-s3-sink:createPluginsBucket": "true" })), {}), undefined);
        assert.deepStrictEqual(harness.invokes, []);
    });

    it("fails, naming the permissions, when the object lookup fails for another reason than not found", async () => {
        await withMocks({
            ...FIXTURE,
            failLookups: {
                "aws:s3/getObject:getObject":
                    "reading S3 Bucket (b) Object (k): operation error S3: HeadObject, https response error StatusCode: 403, Forbidden",
            },
        });
        await assert.rejects(checkPluginObject(SETTINGS(), {}), (e: LookupError) => {
            assert.match(
                e.failures[0],
                /^could not check whether s3:\/\/msk-lab-111122223333-plugins-bucket\/kafka-connect-s3\/confluentinc-kafka-connect-s3-10\.5\.15\.zip \(msk-s3-sink:pluginsBucket\) already holds a file: .*403, Forbidden\. The deploying identity needs s3:GetObject, s3:GetObjectTagging and s3:ListBucket/,
            );
            return true;
        });
    });

    it("reuses an object whose S3 SHA-256 checksum is the pin, with its version", async () => {
        await withMocks({ ...FIXTURE, pluginObject: { sha256: "ab".repeat(32), versionId: "v7" } });
        assert.deepStrictEqual(await checkPluginObject(SETTINGS(), {}), { versionId: "v7" });
    });

    it("refuses an object without a SHA-256 checksum (a plain `aws s3 cp`), since it cannot tell it from the pin", async () => {
        await withMocks({ ...FIXTURE, pluginObject: {} });
        await assert.rejects(checkPluginObject(SETTINGS(), {}), (e: LookupError) => {
            assert.match(
                e.failures[0],
                /already holds an object without a SHA-256 checksum, so it cannot be told apart from the pinned zip/,
            );
            assert.match(e.failures[0], /aws s3api put-object --bucket \S+ --key \S+ --body <zip> --checksum-algorithm SHA256/);
            assert.doesNotMatch(e.failures[0], /`aws s3 cp <zip>/, "s3 cp stores a composite multipart checksum for a zip over 8 MiB");
            return true;
        });
    });

    it("reads S3's base64 checksum as hex, and no digest from a multipart (composite) checksum", () => {
        const hex = "ab".repeat(32);
        assert.strictEqual(sha256FromChecksum(Buffer.from(hex, "hex").toString("base64")), hex);
        assert.strictEqual(sha256FromChecksum(`${Buffer.from(hex, "hex").toString("base64")}-3`), undefined);
        assert.strictEqual(sha256FromChecksum(""), undefined);
    });
});

describe("the connector's network (the provider's own lookups, under mocks)", () => {
    const cluster = { arn: "a", clusterUuid: "u", bootstrapServers: "b:9098", subnets: LAB_SUBNETS, securityGroups: [LAB_SECURITY_GROUP] };
    const verdict = async (network: Partial<NetworkFixture>, fixtures: Partial<MockFixtures> = {}) => {
        await withMocks({ ...FIXTURE, network, ...fixtures });
        return checkNetwork(cluster, "us-east-2", {});
    };

    it("passes the lab's VPC: the S3 gateway endpoint on the subnets' route table, the group admitting itself on 9098", async () => {
        assert.deepStrictEqual(await verdict({}), { errors: [], warnings: [] });
    });

    it("passes a NAT gateway for 0.0.0.0/0, and subnets on a main route table that the endpoint serves", async () => {
        const nat = {
            s3GatewayEndpoint: undefined,
            routes: { "rtb-0c1d2e3f4a5b60001": [{ cidrBlock: "0.0.0.0/0", natGatewayId: "nat-0a1b2c3d4e5f60001" }] },
        };
        assert.deepStrictEqual(await verdict(nat), { errors: [], warnings: [] });
        const main = {
            subnetRouteTables: {},
            s3GatewayEndpoint: { id: "vpce-1", routeTableIds: ["rtb-0c1d2e3f4a5b60000"], state: "available" },
        };
        assert.deepStrictEqual(await verdict(main), { errors: [], warnings: [] });
    });

    it("fails when a route table has neither, naming the subnets on it and the command that fixes it", async () => {
        const v = await verdict({
            subnetRouteTables: { [LAB_SUBNETS[0]]: "rtb-0c1d2e3f4a5b60001", [LAB_SUBNETS[1]]: "rtb-0c1d2e3f4a5b60001" },
        });
        assert.strictEqual(v.errors.length, 1);
        assert.match(
            v.errors[0],
            /^no route from the connector's subnets to S3: subnet-0a1b2c3d4e5f60003 uses route table rtb-0c1d2e3f4a5b60000, the VPC's main route table/,
        );
    });

    it("fails with create-vpc-endpoint when the VPC has no S3 gateway endpoint at all", async () => {
        const v = await verdict({ s3GatewayEndpoint: undefined });
        assert.match(
            v.errors[0],
            /aws ec2 create-vpc-endpoint --vpc-id vpc-0f1e2d3c4b5a69788 --service-name com\.amazonaws\.us-east-2\.s3 --route-table-ids rtb-0c1d2e3f4a5b60001/,
        );
    });

    it("warns, not fails, where it cannot tell: an S3 interface endpoint, or lookups the identity may not make", async () => {
        const iface = await verdict({
            s3GatewayEndpoint: undefined,
            s3InterfaceEndpoint: { id: "vpce-0e1f2a3b4c5d60001", privateDnsEnabled: true },
        });
        assert.deepStrictEqual(iface.errors, []);
        assert.deepStrictEqual(
            iface.warnings.map((w) => w.rule),
            ["route-to-s3-unknown"],
        );
        assert.match(iface.warnings[0].message, /only through the VPC's S3 interface endpoint vpce-0e1f2a3b4c5d60001/);
        const denied = await verdict(
            {},
            { failLookups: { "aws:ec2/getSubnet:getSubnet": "UnauthorizedOperation: You are not authorized to perform this operation." } },
        );
        assert.deepStrictEqual(denied.errors, []);
        assert.strictEqual(denied.warnings.length, 1);
        assert.match(
            denied.warnings[0].message,
            /^could not check the cluster's client subnets .*: UnauthorizedOperation: You are not authorized to perform this operation\. The deploying identity needs ec2:Describe\*/,
        );
    });
});

describe("the connector's network when a lookup finds several (the provider's own wording)", () => {
    const cluster = { arn: "a", clusterUuid: "u", bootstrapServers: "b:9098", subnets: LAB_SUBNETS, securityGroups: [LAB_SECURITY_GROUP] };

    it("warns that it cannot tell, naming why, when the VPC has two S3 gateway endpoints", async () => {
        await withMocks({
            ...FIXTURE,
            network: {
                moreS3GatewayEndpoints: [{ id: "vpce-0b1c2d3e4f5a60002", routeTableIds: ["rtb-0c1d2e3f4a5b60000"], state: "available" }],
            },
        });
        const v = await checkNetwork(cluster, "us-east-2", {});
        assert.deepStrictEqual(v.errors, []);
        assert.deepStrictEqual(
            v.warnings.map((w) => w.rule),
            ["network-unchecked"],
        );
        assert.match(
            v.warnings[0].message,
            /could not check the route from the client subnets to S3: the VPC has several S3 gateway endpoints/,
        );
    });
});

describe("the security groups' judgement (a pure function)", () => {
    const rule = (r: Partial<SecurityGroupRule>): SecurityGroupRule => ({
        securityGroupRuleId: "sgr-1",
        securityGroupId: "sg-1",
        isEgress: false,
        ipProtocol: "tcp",
        fromPort: 9098,
        toPort: 9098,
        cidrIpv4: "",
        prefixListId: "",
        referencedSecurityGroupId: "",
        ...r,
    });
    const egressAll = rule({ isEgress: true, ipProtocol: "-1", fromPort: -1, toPort: -1, cidrIpv4: "0.0.0.0/0" });
    const cidrs = ["10.0.1.0/24", "10.0.2.0/24"];

    it("passes a self-referencing rule, a port range or all traffic, or a CIDR holding every client subnet", () => {
        for (const ingress of [
            rule({ referencedSecurityGroupId: "sg-1" }),
            rule({ fromPort: 9092, toPort: 9098, referencedSecurityGroupId: "sg-2" }),
            rule({ ipProtocol: "-1", fromPort: -1, toPort: -1, cidrIpv4: "10.0.0.0/16" }),
        ]) {
            assert.deepStrictEqual(judgeSecurityGroups([ingress, egressAll], ["sg-1", "sg-2"], cidrs), { errors: [], warnings: [] });
        }
    });

    it("fails with no rule on 9098, a rule from another group, or egress closed; warns on a prefix list or a CIDR holding some subnets only", () => {
        assert.match(
            judgeSecurityGroups([rule({ fromPort: 9092, toPort: 9092, referencedSecurityGroupId: "sg-1" }), egressAll], ["sg-1"], cidrs)
                .errors[0],
            /admit nothing on TCP 9098/,
        );
        assert.strictEqual(judgeSecurityGroups([rule({ referencedSecurityGroupId: "sg-9" }), egressAll], ["sg-1"], cidrs).errors.length, 1);
        assert.deepStrictEqual(
            judgeSecurityGroups([rule({ referencedSecurityGroupId: "sg-1" })], ["sg-1"], cidrs).errors.map(
                (e) => /let nothing out on TCP (\d+)/.exec(e)?.[1],
            ),
            ["9098", "443"],
        );
        assert.match(
            judgeSecurityGroups([rule({ prefixListId: "pl-1" }), egressAll], ["sg-1"], cidrs).warnings[0],
            /cannot tell whether .* admit the connector on TCP 9098/,
        );
        assert.strictEqual(judgeSecurityGroups([rule({ cidrIpv4: "10.0.1.0/24" }), egressAll], ["sg-1"], cidrs).warnings.length, 1);
    });

    it("tells whether one CIDR block holds another", () => {
        assert.ok(cidrContains("10.0.0.0/16", "10.0.2.0/24"));
        assert.ok(cidrContains("0.0.0.0/0", "10.0.2.0/24"));
        assert.ok(!cidrContains("10.0.1.0/24", "10.0.2.0/24"));
        assert.ok(!cidrContains("10.0.1.0/24", "10.0.0.0/16"));
    });

    // terraform-provider-aws: tfresource.SingularDataSourceFindError ("no matching <what> found"), s3 getObject's 404.
    it("reads each data source's own not-found wording as not found, and nothing else", () => {
        const engine = (tok: string, m: string) => new Error(`invocation of ${tok} returned an error: ${m}`);
        assert.ok(isNotFound(engine("aws:mskconnect/getConnector:getConnector", "no matching MSK Connect Connector found"), "connector"));
        assert.ok(isNotFound(engine("aws:s3/getObject:getObject", "reading S3 Bucket (b) Object (k): couldn't find resource"), "object"));
        assert.ok(
            !isNotFound(engine("aws:mskconnect/getConnector:getConnector", "no matching MSK Connect Custom Plugin found"), "connector"),
        );
        assert.ok(
            !isNotFound(new Error("operation error KafkaConnect: ListConnectors, StatusCode: 403, AccessDeniedException"), "connector"),
        );
        assert.ok(!isNotFound(new Error("NotFound: something else"), "vpcEndpoint"), "a word alike is not the data source's answer");
    });
});
