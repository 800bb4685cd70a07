import * as pulumi from "@pulumi/pulumi";
import type { Json } from "../sql";
import { withSecretProfile } from "./secretProfile";
import type { SinkKeyFormat } from "../sink";
import type { Baseline } from "../verification/freshness";
import { optionProblems } from "../verification/options";
import { ProofOptions, proveSinkWorks } from "../verification/proof";
import { CHECK_DEFAULTS, SinkCheckOptions, VerifyMethod } from "../verification/types";

export interface SinkVerificationArgs {
    readonly bucket: pulumi.Input<string>;
    readonly region: pulumi.Input<string>;
    /** Key prefix the sink writes to (`topics/<topic>/partition=<p>/`); ends with the directory delimiter. */
    readonly prefix: pulumi.Input<string>;
    /** The sink's `directory.delim`. @default "/" */
    readonly directoryDelim?: pulumi.Input<string>;
    /** The sink's `file.delim`, between topic, partition and offset in a key. @default "+" */
    readonly fileDelim?: pulumi.Input<string>;
    /** The sink's object extension: ".json", or ".json.gz" with `s3.compression.type=gzip`. @default ".json" */
    readonly extension?: pulumi.Input<SinkKeyFormat["extension"]>;
    /** @default "SELECT * FROM s3object s LIMIT 5" */
    readonly query?: pulumi.Input<string>;
    /** Records the query must return. @default 1 */
    readonly minRecords?: pulumi.Input<number>;
    /** @default "auto" */
    readonly method?: pulumi.Input<VerifyMethod>;
    /** @default 900 */
    readonly timeoutSeconds?: pulumi.Input<number>;
    /** @default 15 */
    readonly pollIntervalSeconds?: pulumi.Input<number>;
    /** An S3-compatible server's URL. @default AWS */
    readonly endpoint?: pulumi.Input<string>;
    /**
     * Anything whose change must verify again: the connector's ARN and a digest of its configuration.
     */
    readonly trigger?: pulumi.Input<string>;
    /** For messages: where to look when nothing lands. */
    readonly connectorName?: pulumi.Input<string>;
    readonly logGroupName?: pulumi.Input<string>;
    /** The connector whose health is checked before the data (its ARN). @default no connector check */
    readonly connectorArn?: pulumi.Input<string>;
    /** The connector's URN, for the `pulumi up --replace` command a FAILED connector needs. */
    readonly connectorUrn?: pulumi.Input<string>;
    /** The connector configuration the stack asked for: the live one must equal it. @default not compared */
    readonly expectedConfiguration?: pulumi.Input<Record<string, pulumi.Input<string>>>;
    /** Pass only on an object this deploy's connector wrote. @default true */
    readonly freshData?: pulumi.Input<boolean>;
    /** The stack's AWS profile (`aws:profile`). @default the ambient credential chain */
    readonly profile?: pulumi.Input<string>;
    /** An MSK Connect-compatible server's URL (tests). @default AWS */
    readonly kafkaConnectEndpoint?: pulumi.Input<string>;
}

/** The inputs as the provider sees them (resolved). */
export interface VerificationInputs {
    bucket: string;
    region: string;
    prefix: string;
    /** Absent in state written before these inputs existed: the sink's defaults then. */
    directoryDelim?: string;
    fileDelim?: string;
    extension?: SinkKeyFormat["extension"];
    query: string;
    minRecords: number;
    method: VerifyMethod;
    timeoutSeconds: number;
    pollIntervalSeconds: number;
    endpoint?: string;
    trigger: string;
    connectorName?: string;
    logGroupName?: string;
    /** Absent in state written before the connector check existed. */
    connectorArn?: string;
    connectorUrn?: string;
    expectedConfiguration?: Record<string, string>;
    freshData?: boolean;
    profile?: string;
    kafkaConnectEndpoint?: string;
}

/** The outputs: facts about what was checked. The sample holds customer records: it is a secret output. */
export interface VerificationOutputs extends VerificationInputs {
    /** The connector's state when checked (RUNNING), or "not checked". */
    connectorState: string;
    /** The connector's newest update that was checked (it completed), or null when it was never updated or not checked. */
    operationChecked: { arn: string; type: string; state: string; endTime?: string } | null;
    /** "matched", or "not-checked". */
    configurationCheck: string;
    /** Which objects counted, with the moment the configuration took effect and the baseline of what was there. */
    freshness: { mode: "fresh" | "existing"; writtenAfter?: string; baseline?: Baseline };
    /** When S3 says the verified object was written. */
    objectLastModified?: string;
    objectKey: string;
    objectSize: number;
    /** The object's first offset, as decimal digits. */
    objectStartOffset: string;
    recordsReturned: number;
    sample: Json[];
    methodUsed: "select" | "get";
    bytesScanned: number;
    bytesRead: number;
    fallbackReason?: string;
    /** Keys under the prefix that were not sink objects. */
    skippedKeys: number;
    verifiedAt: string;
}

/** Inputs whose change means the landed data must be checked again. Timeouts and labels do not count. */
export const VERIFY_AGAIN_ON = [
    "bucket",
    "region",
    "prefix",
    "directoryDelim",
    "fileDelim",
    "extension",
    "query",
    "minRecords",
    "method",
    "endpoint",
    "trigger",
] as const;

/** The sink's default key format (inputs added later read as these in older state). */
const KEY_FORMAT_DEFAULTS: SinkKeyFormat = { directoryDelim: "/", fileDelim: "+", extension: ".json" };

function definedOnly<T extends object>(o: T): Partial<T> {
    return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The check's options from the provider's inputs. */
function optionsOf(inputs: VerificationInputs): SinkCheckOptions & ProofOptions {
    return {
        bucket: inputs.bucket,
        prefix: inputs.prefix,
        region: inputs.region,
        keyFormat: {
            ...KEY_FORMAT_DEFAULTS,
            ...definedOnly({ directoryDelim: inputs.directoryDelim, fileDelim: inputs.fileDelim, extension: inputs.extension }),
        },
        query: inputs.query,
        minRecords: inputs.minRecords,
        method: inputs.method,
        timeoutSeconds: inputs.timeoutSeconds,
        pollIntervalSeconds: inputs.pollIntervalSeconds,
        ...(inputs.endpoint ? { endpoint: inputs.endpoint } : {}),
        ...(inputs.connectorName ? { connectorName: inputs.connectorName } : {}),
        ...(inputs.logGroupName ? { logGroupName: inputs.logGroupName } : {}),
        ...(inputs.profile ? { profile: inputs.profile } : {}),
        ...(inputs.connectorArn ? { connector: inputs.connectorArn } : {}),
        ...(inputs.connectorUrn ? { connectorUrn: inputs.connectorUrn } : {}),
        ...(inputs.expectedConfiguration ? { expectedConfiguration: inputs.expectedConfiguration } : {}),
        ...(inputs.kafkaConnectEndpoint ? { kafkaConnectEndpoint: inputs.kafkaConnectEndpoint } : {}),
        freshData: inputs.freshData === true,
    };
}

async function check(inputs: VerificationInputs): Promise<VerificationOutputs> {
    const { connector, data } = await proveSinkWorks(optionsOf(inputs));
    const op = connector?.operation;
    return {
        ...inputs,
        connectorState: connector ? connector.state : "not checked",
        operationChecked: op ? { arn: op.arn, type: op.type, state: op.state, ...(op.endTime ? { endTime: op.endTime } : {}) } : null,
        configurationCheck: connector ? connector.configuration.status : "not-checked",
        freshness: data.freshness,
        objectKey: data.objectKey,
        objectSize: data.objectSize,
        objectStartOffset: data.objectStartOffset,
        ...(data.objectLastModified ? { objectLastModified: data.objectLastModified } : {}),
        recordsReturned: data.recordsReturned,
        sample: data.sample,
        methodUsed: data.method,
        bytesScanned: data.bytesScanned,
        bytesRead: data.bytesRead,
        ...(data.fallbackReason ? { fallbackReason: data.fallbackReason } : {}),
        skippedKeys: data.skippedKeys,
        verifiedAt: data.verifiedAt,
    };
}

/**
 * The dynamic provider. It holds no state of its own: no client, credentials or config object is
 * captured; the checks require the AWS SDK when they run and use the ambient credential chain (with the
 * stack's profile, when it has one).
 */
export const sinkVerificationProvider: pulumi.dynamic.ResourceProvider<VerificationInputs, VerificationOutputs> = {
    async check(_olds, news) {
        const failures: pulumi.dynamic.CheckFailure[] = optionProblems(optionsOf(news)).map((p) => ({
            property: p.option,
            reason: `${p.option} ${p.message}`,
        }));
        if (news.extension !== undefined && ![".json", ".json.gz"].includes(news.extension)) {
            failures.push({
                property: "extension",
                reason: `extension must be ".json" or ".json.gz"; got ${JSON.stringify(news.extension)}`,
            });
        }
        for (const k of ["directoryDelim", "fileDelim"] as const) {
            if (news[k] === "")
                failures.push({
                    property: k,
                    reason: `${k} must not be empty (the sink's ${k === "fileDelim" ? "file.delim" : "directory.delim"})`,
                });
        }
        return { inputs: news, failures };
    },
    async create(inputs) {
        const outs = await check(inputs);
        return { id: `s3://${inputs.bucket}/${inputs.prefix}`, outs };
    },
    async update(_id, _olds, news) {
        return { outs: await check(news) };
    },
    async diff(_id, olds, news) {
        // State written before an input existed holds no value for it: compare the default then.
        const before = { ...KEY_FORMAT_DEFAULTS, ...definedOnly(olds) };
        const after = { ...KEY_FORMAT_DEFAULTS, ...definedOnly(news) };
        const changed = VERIFY_AGAIN_ON.filter((k) => (before[k] ?? null) !== (after[k] ?? null));
        return { changes: changed.length > 0, replaces: [], deleteBeforeReplace: false };
    },
    /** Nothing to delete: the verification only read objects. */
    async delete() {
        return;
    },
};

/**
 * Proof, at the end of `pulumi up`, that the sink works: the connector runs the configuration asked for
 * (its newest update took), and it wrote readable CDC records (an object under the sink's prefix, a new
 * one with fresh data asked for, queried with S3 Select or its GetObject fallback). The sample of records
 * is a secret output: customer data never lands in plain text in the state.
 */
export class SinkVerification extends pulumi.dynamic.Resource {
    declare public readonly connectorState: pulumi.Output<string>;
    declare public readonly operationChecked: pulumi.Output<VerificationOutputs["operationChecked"]>;
    declare public readonly configurationCheck: pulumi.Output<string>;
    declare public readonly freshness: pulumi.Output<VerificationOutputs["freshness"]>;
    declare public readonly objectLastModified: pulumi.Output<string | undefined>;
    declare public readonly objectKey: pulumi.Output<string>;
    declare public readonly objectSize: pulumi.Output<number>;
    declare public readonly objectStartOffset: pulumi.Output<string>;
    declare public readonly recordsReturned: pulumi.Output<number>;
    declare public readonly sample: pulumi.Output<Json[]>;
    declare public readonly methodUsed: pulumi.Output<"select" | "get">;
    declare public readonly bytesScanned: pulumi.Output<number>;
    declare public readonly bytesRead: pulumi.Output<number>;
    declare public readonly fallbackReason: pulumi.Output<string | undefined>;
    declare public readonly skippedKeys: pulumi.Output<number>;
    declare public readonly verifiedAt: pulumi.Output<string>;

    constructor(name: string, args: SinkVerificationArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            sinkVerificationProvider,
            name,
            {
                bucket: args.bucket,
                region: args.region,
                prefix: args.prefix,
                directoryDelim: args.directoryDelim ?? KEY_FORMAT_DEFAULTS.directoryDelim,
                fileDelim: args.fileDelim ?? KEY_FORMAT_DEFAULTS.fileDelim,
                extension: args.extension ?? KEY_FORMAT_DEFAULTS.extension,
                query: args.query ?? CHECK_DEFAULTS.query,
                minRecords: args.minRecords ?? CHECK_DEFAULTS.minRecords,
                method: args.method ?? CHECK_DEFAULTS.method,
                timeoutSeconds: args.timeoutSeconds ?? CHECK_DEFAULTS.timeoutSeconds,
                pollIntervalSeconds: args.pollIntervalSeconds ?? CHECK_DEFAULTS.pollIntervalSeconds,
                endpoint: args.endpoint,
                trigger: args.trigger ?? "",
                connectorName: args.connectorName,
                logGroupName: args.logGroupName,
                connectorArn: args.connectorArn,
                connectorUrn: args.connectorUrn,
                expectedConfiguration: args.expectedConfiguration,
                freshData: args.freshData ?? true,
                profile: args.profile,
                kafkaConnectEndpoint: args.kafkaConnectEndpoint,
                connectorState: undefined,
                operationChecked: undefined,
                configurationCheck: undefined,
                freshness: undefined,
                objectLastModified: undefined,
                objectKey: undefined,
                objectSize: undefined,
                objectStartOffset: undefined,
                recordsReturned: undefined,
                sample: undefined,
                methodUsed: undefined,
                bytesScanned: undefined,
                bytesRead: undefined,
                fallbackReason: undefined,
                skippedKeys: undefined,
                verifiedAt: undefined,
            },
            withSecretProfile(opts, "sample"),
            "verification",
            "SinkVerification",
        );
    }
}
