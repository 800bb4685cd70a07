/**
 * Pulumi's mock runtime, set up for this program: records every resource and lookup, answers lookups with
 * realistic data for the lab's account, and fails loudly on a lookup it does not know. Used by the tests
 * and by `npm run plan` (which runs in preview mode, where computed outputs stay unknown as in a real
 * `pulumi preview`).
 */
import * as pulumi from "@pulumi/pulumi";

export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export interface RecordedResource {
    readonly type: string;
    readonly name: string;
    readonly inputs: Record<string, unknown>;
    readonly provider?: string;
}

export interface RecordedInvoke {
    readonly token: string;
    readonly args: Record<string, unknown>;
    /** The provider reference the lookup was made with (undefined for a default provider). */
    readonly provider?: string;
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
        if (failure !== undefined) throw new Error(failure);
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
                            clientSubnets: ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002", "subnet-0a1b2c3d4e5f60003"],
                            securityGroups: ["sg-0123456789abcdef0"],
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
            case "command:local:run":
                this.fixtures.onRun?.(args);
                return { command: args.command, stdout: "", stderr: "" };
            default:
                throw new Error(`the mock runtime does not know the lookup ${token}(${JSON.stringify(args)})`);
        }
    }

    mocks(): pulumi.runtime.Mocks {
        return {
            newResource: (a: pulumi.runtime.MockResourceArgs) => {
                this.resources.push({
                    type: a.type,
                    name: a.name,
                    inputs: markUnknowns(a.inputs) as Record<string, unknown>,
                    ...(a.provider ? { provider: a.provider } : {}),
                });
                const compute = this.fixtures.computeOutputs ?? true;
                const state = compute ? { ...a.inputs, ...this.computed(a.type, a.name, a.inputs) } : { ...a.inputs };
                return { id: compute ? `${a.name}-id` : (undefined as unknown as string), state };
            },
            call: (a: pulumi.runtime.MockCallArgs) => {
                this.invokes.push({ token: a.token, args: a.inputs, ...(a.provider ? { provider: a.provider } : {}) });
                return this.lookup(a.token, a.inputs);
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
