/**
 * Pulumi's mock runtime, set up for this program: records every resource and lookup, answers lookups with
 * realistic data for the lab's account, and fails loudly on a lookup it does not know. Used by the tests
 * and by `npm run plan` (which runs in preview mode, where computed outputs stay unknown as in a real
 * `pulumi preview`).
 */
import * as pulumi from "@pulumi/pulumi";
import type { SecurityGroupRule } from "../preflight";

export const UNKNOWN = pulumi.runtime.unknownValue;

export interface RecordedResource {
    readonly type: string;
    readonly name: string;
    readonly inputs: Record<string, unknown>;
    readonly provider?: string;
    /** The `import` resource option's id, when the resource is adopted rather than created. */
    readonly importId?: string;
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

/** A failed lookup as the engine reports it (the SDK reads the gRPC error's `details`). */
function lookupFailure(message: string): Error {
    return Object.assign(new Error(message), { details: message });
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
                    latestRevision: 1,
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
                return this.existing("connector", this.fixtures.existingConnector, args, "MSK Connect Connector");
            case "aws:mskconnect/getCustomPlugin:getCustomPlugin":
                return this.existing("custom-plugin", this.fixtures.existingCustomPlugin, args, "MSK Connect Custom Plugin");
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
    private existing(
        kind: string,
        found: ExistingResource | undefined,
        args: Record<string, unknown>,
        what: string,
    ): Record<string, unknown> {
        if (found === undefined) throw lookupFailure(`no matching ${what} found`);
        const arn = this.arn("kafkaconnect", `${kind}/${args.name}/${this.uuid()}`);
        const common = { arn, id: arn, name: args.name, description: "", region: this.fixtures.region, tags: found.tags ?? {} };
        return kind === "connector" ? { ...common, version: "K3KC6LMJGBHL5Q" } : { ...common, latestRevision: 1, state: "ACTIVE" };
    }

    private existingObject(args: Record<string, unknown>): Record<string, unknown> {
        const o = this.fixtures.pluginObject;
        if (o === undefined) throw lookupFailure(`reading S3 Bucket (${args.bucket}) Object (${args.key}): couldn't find resource`);
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
                if (cidrBlock === undefined) throw lookupFailure("no matching EC2 Subnet found");
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
                const id =
                    args.subnetId !== undefined
                        ? net.subnetRouteTables[String(args.subnetId)]
                        : filter("association.main")?.includes("true")
                          ? net.mainRouteTable
                          : undefined;
                if (id === undefined) throw lookupFailure("no matching EC2 Route Table found");
                return this.routeTable(net, id);
            }
            case "aws:ec2/getVpcEndpoint:getVpcEndpoint": {
                const type = filter("vpc-endpoint-type")?.[0];
                const e = type === "Interface" ? net.s3InterfaceEndpoint : net.s3GatewayEndpoint;
                if (e === undefined) throw lookupFailure("no matching EC2 VPC Endpoint found");
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
                if (rule === undefined) throw lookupFailure("no matching VPC Security Group Rule found");
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

    mocks(): pulumi.runtime.Mocks {
        return {
            newResource: (a: pulumi.runtime.MockResourceArgs) => {
                this.resources.push({
                    type: a.type,
                    name: a.name,
                    inputs: markUnknowns(a.inputs) as Record<string, unknown>,
                    ...(a.provider ? { provider: a.provider } : {}),
                    ...(a.id ? { importId: a.id } : {}),
                });
                const compute = this.fixtures.computeOutputs ?? true;
                const state = compute ? { ...a.inputs, ...this.computed(a.type, a.name, a.inputs) } : { ...a.inputs };
                return { id: compute ? `${a.name}-id` : (undefined as unknown as string), state };
            },
            call: (a: pulumi.runtime.MockCallArgs) => {
                const invoke: RecordedInvoke = { token: a.token, args: a.inputs, ...(a.provider ? { provider: a.provider } : {}) };
                this.invokes.push(invoke);
                invoke.result = this.lookup(a.token, a.inputs);
                return invoke.result;
            },
        };
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

/** Let the runtime finish registering what is in flight. */
export async function settle(rounds = 20): Promise<void> {
    for (let i = 0; i < rounds; i++) await new Promise((r) => setImmediate(r));
}
