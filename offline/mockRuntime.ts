/**
 * Pulumi's mock runtime, set up for this program: records every resource and lookup, answers lookups with
 * realistic data for the lab's account, and fails loudly on a lookup it does not know. Used by the tests
 * and by `npm run plan` (which runs in preview mode, where computed outputs stay unknown as in a real
 * `pulumi preview`).
 */
import * as pulumi from "@pulumi/pulumi";
import type { SecurityGroupRule } from "../preflight";
import { NOT_FOUND, SEVERAL_FOUND } from "../preflight";
import { invokeError } from "./engineModel";
import { RegistrationOptions, setStrictMocks } from "./strictMonitor";

export const UNKNOWN = pulumi.runtime.unknownValue;

export interface RecordedResource {
    readonly type: string;
    readonly name: string;
    readonly inputs: Record<string, unknown>;
    readonly provider?: string;
    /** The `import` resource option's id, when the resource is adopted rather than created. */
    readonly importId?: string;
    /** Its resource options as the engine received them (undefined for a resource registered before the strict monitor). */
    readonly options?: RegistrationOptions;
}

export interface RecordedInvoke {
    readonly token: string;
    readonly args: Record<string, unknown>;
    /** The provider reference the lookup was made with (undefined for a default provider). */
    readonly provider?: string;
    /** What the mock answered (undefined when the lookup failed). */
    result?: Record<string, unknown>;
}

/** A connector or custom plugin of our name that already exists in the account. */
export interface ExistingResource {
    readonly tags?: Readonly<Record<string, string>>;
    /**
     * Its fields as the provider reads them (what an import is compared with).
     * @default what the lab's by-hand steps make (`labCustomPluginFields`, `labConnectorFields`)
     */
    readonly fields?: Readonly<Record<string, unknown>>;
    /** What a lookup of it answers besides its fields. @default its ARN from its name, ACTIVE (a custom plugin), revision 1 */
    readonly found?: { readonly arn?: string; readonly state?: string; readonly latestRevision?: number };
}

/** An object already at the plugin key. */
export interface ExistingObject {
    /** Hex SHA-256 S3 keeps as the object's checksum; undefined for an upload made without one. */
    readonly sha256?: string;
    readonly tags?: Readonly<Record<string, string>>;
    readonly versionId?: string;
}

/** A route as the provider lists it (the local route and S3 gateway endpoint routes are left out, as it does). */
export interface RouteFixture {
    readonly cidrBlock: string;
    readonly gatewayId?: string;
    readonly natGatewayId?: string;
    readonly transitGatewayId?: string;
}

/** A security group rule as `aws.vpc.getSecurityGroupRule` answers, with the peers it does not name left out. */
export type SecurityGroupRuleFixture = Omit<SecurityGroupRule, "cidrIpv4" | "prefixListId" | "referencedSecurityGroupId"> &
    Partial<Pick<SecurityGroupRule, "cidrIpv4" | "prefixListId" | "referencedSecurityGroupId">>;

/** The cluster's VPC: subnets, route tables, S3 endpoints and the cluster's security group rules. */
export interface NetworkFixture {
    readonly vpcId: string;
    readonly subnetCidrs: Readonly<Record<string, string>>;
    /** The route table each subnet is associated with; a subnet not listed uses the VPC's main route table. */
    readonly subnetRouteTables: Readonly<Record<string, string>>;
    readonly mainRouteTable: string;
    readonly routes: Readonly<Record<string, readonly RouteFixture[]>>;
    readonly s3GatewayEndpoint?: { readonly id: string; readonly routeTableIds: readonly string[]; readonly state: string };
    /** More S3 gateway endpoints in the VPC (AWS allows several, on different route tables). @default none */
    readonly moreS3GatewayEndpoints?: readonly { readonly id: string; readonly routeTableIds: readonly string[]; readonly state: string }[];
    readonly s3InterfaceEndpoint?: { readonly id: string; readonly privateDnsEnabled: boolean };
    readonly securityGroupRules: readonly SecurityGroupRuleFixture[];
}

export interface MockFixtures {
    readonly region: string;
    readonly accountId: string;
    /** Role names in the account (for the prefix lookup). @default one lab role */
    readonly roles?: readonly string[];
    /** IAM bootstrap brokers of the cluster; "" for a cluster without IAM auth. */
    readonly bootstrapBrokersSaslIam?: string;
    /** Content of the looked-up worker configuration. */
    readonly workerProperties?: string;
    /** Called for `command:local:run` (the artifact download); may write the file it names. */
    readonly onRun?: (args: Record<string, unknown>) => void;
    /** Return computed outputs (ARNs, revisions, versions). Off in preview, like a real preview. @default true */
    readonly computeOutputs?: boolean;
    /** Lookups that fail, by token, with the provider's error message (e.g. a resource that does not exist). */
    readonly failLookups?: Readonly<Record<string, string>>;
    /** KMS keys by the key or alias ARN a stack names. @default every key and alias resolves to an enabled key */
    readonly kmsKeys?: Readonly<Record<string, { readonly arn: string; readonly keyState: string; readonly keyUsage?: string }>>;
    /** A connector of our name already in the account. @default none */
    readonly existingConnector?: ExistingResource;
    /** A custom plugin of our name already in the account. @default none */
    readonly existingCustomPlugin?: ExistingResource;
    /** An object already at the plugin key. @default none */
    readonly pluginObject?: ExistingObject;
    /** Changes to the lab's VPC. @default LAB_NETWORK */
    readonly network?: Partial<NetworkFixture>;
    /** Packages whose default provider the stack disables (`pulumi:disable-default-providers`). @default none */
    readonly disabledDefaultProviders?: readonly string[];
    /** Other resources that exist in the account, for imports: their fields by "<type> <import id>". @default none */
    readonly existingResources?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
    /** The latest revision of the looked-up worker configuration. @default 1 */
    readonly workerConfigurationRevision?: number;
}

/** The key an alias ARN stands for in the mock account: same region and account, a fixed key id. */
export function exampleKeyArnFor(aliasOrKeyArn: string): string {
    return aliasOrKeyArn.replace(/:alias\/.+$/, ":key/1234abcd-12ab-34cd-56ef-1234567890ab");
}

export const LAB_WORKER_PROPERTIES = [
    "key.converter=org.apache.kafka.connect.storage.StringConverter",
    "key.converter.schemas.enable=false",
    "value.converter=org.apache.kafka.connect.json.JsonConverter",
    "value.converter.schemas.enable=false",
].join("\n");

const CLUSTER_UUID = "a1b2c3d4-e5f6-4789-8abc-def012345678-2";
export const LAB_SUBNETS = ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002", "subnet-0a1b2c3d4e5f60003"];
export const LAB_SECURITY_GROUP = "sg-0123456789abcdef0";

/**
 * The lab's VPC: the three client subnets on a private route table that the S3 gateway endpoint serves (the
 * main route table goes to an internet gateway), and a cluster security group that admits itself on 9098.
 */
export const LAB_NETWORK: NetworkFixture = {
    vpcId: "vpc-0f1e2d3c4b5a69788",
    subnetCidrs: { [LAB_SUBNETS[0]]: "10.0.1.0/24", [LAB_SUBNETS[1]]: "10.0.2.0/24", [LAB_SUBNETS[2]]: "10.0.3.0/24" },
    subnetRouteTables: {
        [LAB_SUBNETS[0]]: "rtb-0c1d2e3f4a5b60001",
        [LAB_SUBNETS[1]]: "rtb-0c1d2e3f4a5b60001",
        [LAB_SUBNETS[2]]: "rtb-0c1d2e3f4a5b60001",
    },
    mainRouteTable: "rtb-0c1d2e3f4a5b60000",
    routes: { "rtb-0c1d2e3f4a5b60000": [{ cidrBlock: "0.0.0.0/0", gatewayId: "igw-0d1e2f3a4b5c60001" }], "rtb-0c1d2e3f4a5b60001": [] },
    s3GatewayEndpoint: { id: "vpce-0b1c2d3e4f5a60001", routeTableIds: ["rtb-0c1d2e3f4a5b60001"], state: "available" },
    securityGroupRules: [
        {
            securityGroupRuleId: "sgr-0a1b2c3d4e5f60001",
            securityGroupId: LAB_SECURITY_GROUP,
            isEgress: false,
            ipProtocol: "tcp",
            fromPort: 9098,
            toPort: 9098,
            referencedSecurityGroupId: LAB_SECURITY_GROUP,
        },
        {
            securityGroupRuleId: "sgr-0a1b2c3d4e5f60002",
            securityGroupId: LAB_SECURITY_GROUP,
            isEgress: true,
            ipProtocol: "-1",
            fromPort: -1,
            toPort: -1,
            cidrIpv4: "0.0.0.0/0",
        },
    ],
};

/** A failed lookup: the data source's own message (the mocks' `call` adds the engine's prefix, `invokeError`). */
function lookupFailure(message: string): Error {
    return new Error(message);
}

/** A stable id for an existing resource of a kind and name (the same in its lookup and its import). */
function existingUuid(name: string): string {
    const hex = Buffer.from(name).toString("hex").padEnd(12, "0").slice(0, 12);
    return `5e6f7a8b-9c0d-4e1f-8a2b-${hex}-3`;
}

/** The ARN of the lab's by-hand custom plugin or connector of a name. */
export function existingArn(region: string, accountId: string, kind: "custom-plugin" | "connector", name: string): string {
    return `arn:aws:kafkaconnect:${region}:${accountId}:${kind}/${name}/${existingUuid(name)}`;
}

/** The lab's by-hand custom plugin, as the provider reads it: the console's choices (no description, no object version, no tags). */
export function labCustomPluginFields(accountId: string, name: string): Record<string, unknown> {
    return {
        name,
        description: "",
        contentType: "ZIP",
        location: {
            s3: {
                bucketArn: `arn:aws:s3:::msk-lab-${accountId}-plugins-bucket`,
                fileKey: "kafka-connect-s3/confluentinc-kafka-connect-s3-10.5.15.zip",
            },
        },
        tags: {},
    };
}

/**
 * The lab's by-hand connector, as the provider reads it: the console's defaults (autoscaled 1 MCU, 1-2 workers,
 * 20/80 % CPU), Kafka Connect 2.7.1, the lab's configuration written out as the lab gives it, the brokers in the
 * order the console copied them (not sorted), the lab's role, worker configuration and log group, no tags.
 */
export function labConnectorFields(region: string, accountId: string, name: string): Record<string, unknown> {
    const brokers = ["b-2", "b-3", "b-1"].map((b) => `${b}.mskcluster-mskconnectlab.x1y2z3.c2.kafka.${region}.amazonaws.com:9098`);
    return {
        name,
        description: "",
        kafkaconnectVersion: "2.7.1",
        capacity: {
            autoscaling: {
                mcuCount: 1,
                minWorkerCount: 1,
                maxWorkerCount: 2,
                scaleInPolicy: { cpuUtilizationPercentage: 20 },
                scaleOutPolicy: { cpuUtilizationPercentage: 80 },
            },
        },
        connectorConfiguration: {
            "connector.class": "io.confluent.connect.s3.S3SinkConnector",
            "s3.region": region,
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
            "s3.bucket.name": `msk-lab-${accountId}-target-bucket`,
        },
        kafkaCluster: {
            apacheKafkaCluster: {
                bootstrapServers: brokers.join(","),
                vpc: { subnets: LAB_SUBNETS, securityGroups: [LAB_SECURITY_GROUP] },
            },
        },
        kafkaClusterClientAuthentication: { authenticationType: "IAM" },
        kafkaClusterEncryptionInTransit: { encryptionType: "TLS" },
        logDelivery: { workerLogDelivery: { cloudwatchLogs: { enabled: true, logGroup: "/msk-lab-target-s3sink-connector" } } },
        plugins: [
            {
                customPlugin: {
                    arn: existingArn(region, accountId, "custom-plugin", "confluentinc-kafka-connect-s3-10-5-15"),
                    revision: 1,
                },
            },
        ],
        serviceExecutionRoleArn: `arn:aws:iam::${accountId}:role/mskconnectlab-S3ConnectorIAMRole-1ABCD2EFGH3IJ`,
        workerConfiguration: {
            arn: `arn:aws:kafkaconnect:${region}:${accountId}:worker-configuration/SourceAuroraDebeziumConnectorConfig/${CLUSTER_UUID}`,
            revision: 1,
        },
        tags: {},
    };
}

export class MockHarness {
    readonly resources: RecordedResource[] = [];
    readonly invokes: RecordedInvoke[] = [];
    private counter = 0;

    constructor(readonly fixtures: MockFixtures) {}

    /** The recorded resource of this type and name; fails loudly when absent. */
    find(type: string, name: string): RecordedResource {
        const found = this.resources.find((r) => r.type === type && r.name === name);
        if (!found) {
            const have = this.resources.map((r) => `${r.type} ${r.name}`).join("\n  ");
            throw new Error(`no resource ${type} named ${name}; registered:\n  ${have}`);
        }
        return found;
    }

    all(type: string): RecordedResource[] {
        return this.resources.filter((r) => r.type === type);
    }

    invoked(token: string): RecordedInvoke[] {
        return this.invokes.filter((i) => i.token === token);
    }

    private arn(service: string, resource: string, global = false): string {
        const { region, accountId } = this.fixtures;
        return `arn:aws:${service}:${global ? "" : region}:${accountId}:${resource}`;
    }

    private uuid(): string {
        this.counter++;
        return `0f1e2d3c-4b5a-4968-8776-${String(this.counter).padStart(12, "0")}-1`;
    }

    /** Computed outputs a real resource of this type has. */
    private computed(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
        const { region } = this.fixtures;
        switch (type) {
            case "aws:s3/bucket:Bucket":
                return { arn: `arn:aws:s3:::${inputs.bucket}`, bucket: inputs.bucket, region };
            case "aws:s3/bucketObjectv2:BucketObjectv2":
                return { versionId: "Wd3Ckq2vVwmsBR3jbxiIXzUdXyk0hYGS", etag: "9b2cf535f27731c974343645a3985328" };
            case "aws:mskconnect/customPlugin:CustomPlugin":
                return { arn: this.arn("kafkaconnect", `custom-plugin/${inputs.name}/${this.uuid()}`), latestRevision: 1, state: "ACTIVE" };
            case "aws:mskconnect/connector:Connector":
                return { arn: this.arn("kafkaconnect", `connector/${inputs.name}/${this.uuid()}`), version: "K3KC6LMJGBHL5Q" };
            case "aws:iam/role:Role":
                return { arn: this.arn("iam", `role/${name}-8a1f2e3`, true), name: `${name}-8a1f2e3`, uniqueId: "AROAEXAMPLEID12345678" };
            case "aws:cloudwatch/logGroup:LogGroup":
                return { arn: this.arn("logs", `log-group:${inputs.name}`) };
            // Auto-restart (components/autoRestart.ts): what the provider reports back for each.
            case "aws:ssm/parameter:Parameter":
                return { arn: this.arn("ssm", `parameter${inputs.name}`), version: 1 };
            case "aws:cloudwatch/metricAlarm:MetricAlarm":
                return { arn: this.arn("cloudwatch", `alarm:${inputs.name}`) };
            case "aws:cloudwatch/eventRule:EventRule":
                return { arn: this.arn("events", `rule/${inputs.name}`) };
            case "aws:lambda/function:Function": {
                const arn = this.arn("lambda", `function:${inputs.name}`);
                return {
                    arn,
                    qualifiedArn: `${arn}:$LATEST`,
                    invokeArn: `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/${arn}/invocations`,
                    version: "$LATEST",
                };
            }
            default:
                return {};
        }
    }

    private lookup(token: string, args: Record<string, unknown>): Record<string, unknown> {
        const { region, accountId } = this.fixtures;
        const failure = this.fixtures.failLookups?.[token];
        if (failure !== undefined) throw lookupFailure(failure);
        if (token.startsWith("aws:ec2/") || token.startsWith("aws:vpc/")) return this.networkLookup(token, args);
        switch (token) {
            case "aws:msk/getCluster:getCluster": {
                const name = String(args.clusterName);
                const brokers =
                    this.fixtures.bootstrapBrokersSaslIam ??
                    ["b-1", "b-2", "b-3"].map((b) => `${b}.${name.toLowerCase()}.x1y2z3.c2.kafka.${region}.amazonaws.com:9098`).join(",");
                return {
                    arn: this.arn("kafka", `cluster/${name}/${CLUSTER_UUID}`),
                    clusterName: name,
                    clusterUuid: CLUSTER_UUID,
                    bootstrapBrokersSaslIam: brokers,
                    brokerNodeGroupInfos: [
                        {
                            clientSubnets: LAB_SUBNETS,
                            securityGroups: [LAB_SECURITY_GROUP],
                        },
                    ],
                };
            }
            case "aws:mskconnect/getWorkerConfiguration:getWorkerConfiguration":
                return {
                    arn: this.arn("kafkaconnect", `worker-configuration/${args.name}/${CLUSTER_UUID}`),
                    name: args.name,
                    latestRevision: this.fixtures.workerConfigurationRevision ?? 1,
                    propertiesFileContent: this.fixtures.workerProperties ?? LAB_WORKER_PROPERTIES,
                };
            case "aws:iam/getRoles:getRoles": {
                const roles = this.fixtures.roles ?? ["mskconnectlab-S3ConnectorIAMRole-1ABCD2EFGH3IJ"];
                const re = new RegExp(String(args.nameRegex ?? ".*"));
                const names = roles.filter((r) => re.test(r));
                return { names, arns: names.map((n) => `arn:aws:iam::${accountId}:role/${n}`) };
            }
            case "aws:iam/getRole:getRole":
                return { arn: `arn:aws:iam::${accountId}:role/${args.name}`, name: args.name };
            case "aws:cloudwatch/getLogGroup:getLogGroup":
                return { arn: this.arn("logs", `log-group:${args.name}`), name: args.name, retentionInDays: 0 };
            case "aws:kms/getKey:getKey": {
                const keyId = String(args.keyId);
                const k = this.fixtures.kmsKeys?.[keyId] ?? { arn: exampleKeyArnFor(keyId), keyState: "Enabled" };
                return {
                    arn: k.arn,
                    keyId: k.arn.split("/").pop(),
                    enabled: k.keyState === "Enabled",
                    keyState: k.keyState,
                    keyUsage: k.keyUsage ?? "ENCRYPT_DECRYPT",
                };
            }
            case "aws:s3/getBucket:getBucket":
                return { arn: `arn:aws:s3:::${args.bucket}`, bucket: args.bucket, bucketRegion: region };
            case "aws:mskconnect/getConnector:getConnector":
                return this.existing("connector", args);
            case "aws:mskconnect/getCustomPlugin:getCustomPlugin":
                return this.existing("custom-plugin", args);
            case "aws:s3/getObject:getObject":
                return this.existingObject(args);
            case "command:local:run":
                // Without a handler nothing is downloaded (the offline plan): the result stays unknown, as it would
                // be for a command that has not run.
                if (this.fixtures.onRun === undefined) return { command: args.command, stdout: UNKNOWN, stderr: UNKNOWN };
                this.fixtures.onRun(args);
                return { command: args.command, stdout: "", stderr: "" };
            default:
                throw new Error(`the mock runtime does not know the lookup ${token}(${JSON.stringify(args)})`);
        }
    }

    /** A connector or custom plugin of the given name, when the fixtures say one exists. */
    private existing(kind: "connector" | "custom-plugin", args: Record<string, unknown>): Record<string, unknown> {
        const found = kind === "connector" ? this.fixtures.existingConnector : this.fixtures.existingCustomPlugin;
        if (found === undefined) throw lookupFailure(kind === "connector" ? NOT_FOUND.connector : NOT_FOUND.customPlugin);
        const fields = this.existingFields(kind, String(args.name));
        const arn = found.found?.arn ?? existingArn(this.fixtures.region, this.fixtures.accountId, kind, String(args.name));
        const common = {
            arn,
            id: arn,
            name: args.name,
            description: fields.description ?? "",
            region: this.fixtures.region,
            tags: fields.tags ?? {},
        };
        return kind === "connector"
            ? { ...common, version: "K3KC6LMJGBHL5Q" }
            : { ...common, latestRevision: found.found?.latestRevision ?? 1, state: found.found?.state ?? "ACTIVE" };
    }

    /** The fields of the existing connector or custom plugin of a name (the lab's by-hand ones unless the fixture gives them). */
    private existingFields(kind: "connector" | "custom-plugin", name: string): Record<string, unknown> {
        const { region, accountId } = this.fixtures;
        const found = kind === "connector" ? this.fixtures.existingConnector : this.fixtures.existingCustomPlugin;
        const lab = kind === "connector" ? labConnectorFields(region, accountId, name) : labCustomPluginFields(accountId, name);
        return { ...lab, ...found?.fields, ...(found?.tags ? { tags: found.tags } : {}) };
    }

    /** What AWS holds for the resource an import names: its fields (inputs), or undefined when nothing of that id exists. */
    existingInputs(type: string, id: string): Record<string, unknown> | undefined {
        const other = this.fixtures.existingResources?.[`${type} ${id}`];
        if (other !== undefined) return { ...other };
        const kind =
            type === "aws:mskconnect/connector:Connector"
                ? "connector"
                : type === "aws:mskconnect/customPlugin:CustomPlugin"
                  ? "custom-plugin"
                  : undefined;
        const found = kind === "connector" ? this.fixtures.existingConnector : kind ? this.fixtures.existingCustomPlugin : undefined;
        if (kind === undefined || found === undefined) return undefined;
        const name = id.split("/")[1] ?? "";
        if (existingArn(this.fixtures.region, this.fixtures.accountId, kind, name) !== id) return undefined;
        return this.existingFields(kind, name);
    }

    /** An imported resource's state: what AWS holds, with the outputs a read gives. */
    private importedState(type: string, id: string): Record<string, unknown> {
        const fields = this.existingInputs(type, id) ?? {};
        if (!type.startsWith("aws:mskconnect/")) return { ...fields, ...this.computed(type, id, fields) };
        const outputs =
            type === "aws:mskconnect/customPlugin:CustomPlugin" ? { latestRevision: 1, state: "ACTIVE" } : { version: "K3KC6LMJGBHL5Q" };
        return { ...fields, ...outputs, arn: id };
    }

    private existingObject(args: Record<string, unknown>): Record<string, unknown> {
        const o = this.fixtures.pluginObject;
        if (o === undefined) throw lookupFailure(NOT_FOUND.object(String(args.bucket), String(args.key)));
        return {
            arn: `arn:aws:s3:::${args.bucket}/${args.key}`,
            id: `${args.bucket}/${args.key}`,
            bucket: args.bucket,
            key: args.key,
            checksumSha256: o.sha256 ? Buffer.from(o.sha256, "hex").toString("base64") : "",
            contentLength: 8_718_000,
            contentType: "application/zip",
            etag: "d41d8cd98f00b204e9800998ecf8427e",
            metadata: {},
            tags: o.tags ?? {},
            versionId: o.versionId ?? "",
        };
    }

    /** The VPC's subnets, route tables, S3 endpoints and security group rules, from LAB_NETWORK and the fixture's changes. */
    private networkLookup(token: string, args: Record<string, unknown>): Record<string, unknown> {
        const net: NetworkFixture = { ...LAB_NETWORK, ...this.fixtures.network };
        const filter = (name: string) =>
            (args.filters as { name: string; values: string[] }[] | undefined)?.find((f) => f.name === name)?.values;
        switch (token) {
            case "aws:ec2/getSubnet:getSubnet": {
                const cidrBlock = net.subnetCidrs[String(args.id)];
                if (cidrBlock === undefined) throw lookupFailure(NOT_FOUND.subnet);
                return {
                    id: args.id,
                    arn: this.arn("ec2", `subnet/${args.id}`),
                    vpcId: net.vpcId,
                    cidrBlock,
                    availabilityZone: `${this.fixtures.region}a`,
                    state: "available",
                };
            }
            case "aws:ec2/getRouteTable:getRouteTable": {
                // The singular lookup fails when nothing matches (a subnet on its VPC's main route table has no association of its own).
                const id =
                    args.routeTableId !== undefined
                        ? [net.mainRouteTable, ...Object.keys(net.routes)].find((t) => t === args.routeTableId)
                        : args.subnetId !== undefined
                          ? net.subnetRouteTables[String(args.subnetId)]
                          : filter("association.main")?.includes("true")
                            ? net.mainRouteTable
                            : undefined;
                if (id === undefined) throw lookupFailure(NOT_FOUND.routeTable);
                return this.routeTable(net, id);
            }
            case "aws:ec2/getRouteTables:getRouteTables": {
                // The plural lookup answers an empty list instead of failing (terraform-provider-aws `data_source_route_tables.go`).
                const subnet = filter("association.subnet-id")?.[0];
                const ids =
                    subnet !== undefined
                        ? [net.subnetRouteTables[subnet]].filter((t): t is string => t !== undefined)
                        : filter("association.main")?.includes("true")
                          ? [net.mainRouteTable]
                          : [];
                return { id: this.fixtures.region, ids };
            }
            case "aws:ec2/getVpcEndpoint:getVpcEndpoint": {
                const type = filter("vpc-endpoint-type")?.[0];
                const e = type === "Interface" ? net.s3InterfaceEndpoint : net.s3GatewayEndpoint;
                if (e === undefined) throw lookupFailure(NOT_FOUND.vpcEndpoint);
                if (type !== "Interface" && (net.moreS3GatewayEndpoints ?? []).length > 0) throw lookupFailure(SEVERAL_FOUND.vpcEndpoint);
                return {
                    routeTableIds: [],
                    privateDnsEnabled: false,
                    state: "available",
                    ...e,
                    vpcId: net.vpcId,
                    vpcEndpointType: type,
                    serviceName: `com.amazonaws.${this.fixtures.region}.s3`,
                };
            }
            case "aws:vpc/getSecurityGroupRules:getSecurityGroupRules": {
                const groups = filter("group-id") ?? [];
                return {
                    id: this.fixtures.region,
                    ids: net.securityGroupRules.filter((r) => groups.includes(r.securityGroupId)).map((r) => r.securityGroupRuleId),
                };
            }
            case "aws:vpc/getSecurityGroupRule:getSecurityGroupRule": {
                const rule = net.securityGroupRules.find((r) => r.securityGroupRuleId === args.securityGroupRuleId);
                if (rule === undefined) throw lookupFailure(NOT_FOUND.securityGroupRule);
                return {
                    cidrIpv4: "",
                    cidrIpv6: "",
                    prefixListId: "",
                    referencedSecurityGroupId: "",
                    description: "",
                    ...rule,
                    id: rule.securityGroupRuleId,
                };
            }
            default:
                throw new Error(`the mock runtime does not know the lookup ${token}(${JSON.stringify(args)})`);
        }
    }

    private routeTable(net: NetworkFixture, id: string): Record<string, unknown> {
        const blank = {
            cidrBlock: "",
            gatewayId: "",
            natGatewayId: "",
            transitGatewayId: "",
            instanceId: "",
            networkInterfaceId: "",
            vpcPeeringConnectionId: "",
            coreNetworkArn: "",
            localGatewayId: "",
            vpcEndpointId: "",
            destinationPrefixListId: "",
        };
        const subnets = Object.entries(net.subnetRouteTables)
            .filter(([, t]) => t === id)
            .map(([subnet]) => subnet);
        const associations = [
            ...subnets.map((subnetId, i) => ({
                routeTableId: id,
                subnetId,
                main: false,
                gatewayId: "",
                routeTableAssociationId: `rtbassoc-0${id.slice(-5)}${i}`,
            })),
            ...(id === net.mainRouteTable
                ? [{ routeTableId: id, subnetId: "", main: true, gatewayId: "", routeTableAssociationId: `rtbassoc-0${id.slice(-5)}m` }]
                : []),
        ];
        return {
            id,
            routeTableId: id,
            vpcId: net.vpcId,
            routes: (net.routes[id] ?? []).map((r) => ({ ...blank, ...r })),
            associations,
            tags: {},
        };
    }

    /** Resource options as the strict monitor saw them, by "<type> <name>". */
    private readonly options = new Map<string, RegistrationOptions>();

    mocks(): pulumi.runtime.Mocks {
        return {
            newResource: (a: pulumi.runtime.MockResourceArgs) => {
                const options = this.options.get(`${a.type} ${a.name}`);
                this.resources.push({
                    type: a.type,
                    name: a.name,
                    inputs: markUnknowns(a.inputs) as Record<string, unknown>,
                    ...(a.provider ? { provider: a.provider } : {}),
                    ...(a.id ? { importId: a.id } : {}),
                    ...(options ? { options } : {}),
                });
                if (a.id) return { id: a.id, state: { ...a.inputs, ...this.importedState(a.type, a.id) } };
                const compute = this.fixtures.computeOutputs ?? true;
                const state = compute ? { ...a.inputs, ...this.computed(a.type, a.name, a.inputs) } : { ...a.inputs };
                return { id: compute ? `${a.name}-id` : (undefined as unknown as string), state };
            },
            call: (a: pulumi.runtime.MockCallArgs) => {
                const invoke: RecordedInvoke = { token: a.token, args: a.inputs, ...(a.provider ? { provider: a.provider } : {}) };
                this.invokes.push(invoke);
                try {
                    invoke.result = this.lookup(a.token, a.inputs);
                } catch (e) {
                    throw invokeError(a.token, (e as Error).message);
                }
                return invoke.result;
            },
        };
    }

    /** Run the program under this harness, behind the strict monitor (the engine's and the provider's rules). */
    install(project: string, stack: string, preview: boolean): void {
        setStrictMocks(
            this.mocks(),
            {
                disabledDefaultProviders: this.fixtures.disabledDefaultProviders ?? [],
                accountId: this.fixtures.accountId,
                existingInputs: (type, id) => this.existingInputs(type, id),
                onRegister: (type, name, options) => void this.options.set(`${type} ${name}`, options),
            },
            project,
            stack,
            preview,
        );
    }
}

/** Replace the SDK's unknown markers with the wire sentinel, so plain code can see them. */
export function markUnknowns(value: unknown): unknown {
    if (pulumi.isUnknown(value)) return UNKNOWN;
    if (Array.isArray(value)) return value.map(markUnknowns);
    if (value && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, markUnknowns(v)]));
    }
    return value;
}

/** Resolve an output's value (undefined when unknown). */
export function valueOf<T>(output: pulumi.Input<T> | undefined): Promise<T | undefined> {
    return new Promise((resolve, reject) => {
        if (output === undefined) return resolve(undefined);
        const out = pulumi.output(output);
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        const internal = out as any;
        Promise.all([internal.promise(), internal.isKnown]).then(([v, known]: [T, boolean]) => resolve(known ? v : undefined), reject);
    });
}

/**
 * Let the runtime finish registering what is in flight, as the engine waits for every registration before it
 * ends: the runtime's RPC queue drained (a resource whose inputs take time, such as a CallbackFunction's
 * serialized code, registers late), then a few more turns of the event loop.
 */
export async function settle(rounds = 20): Promise<void> {
    for (let i = 0; i < rounds; i++) await new Promise((r) => setImmediate(r));
    // Exported by the runtime (runtime/settings.js) but marked internal, so not in its typings.
    await (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
    for (let i = 0; i < rounds; i++) await new Promise((r) => setImmediate(r));
}
