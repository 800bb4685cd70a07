import * as pulumi from "@pulumi/pulumi";
import type { Json } from "../sql";
import type { SinkKeyFormat } from "../sink";
import { optionProblems } from "../verification/options";
import { verifySink } from "../verification/sinkCheck";
import { CHECK_DEFAULTS, SinkCheckOptions, SinkCheckResult, VerifyMethod } from "../verification/types";

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
}

/** The outputs: plain, non-secret facts about what was checked. */
export interface VerificationOutputs extends VerificationInputs {
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
function optionsOf(inputs: VerificationInputs): SinkCheckOptions {
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
    };
}

async function check(inputs: VerificationInputs): Promise<VerificationOutputs> {
    const result: SinkCheckResult = await verifySink(optionsOf(inputs));
    return {
        ...inputs,
        objectKey: result.objectKey,
        objectSize: result.objectSize,
        objectStartOffset: result.objectStartOffset,
        recordsReturned: result.recordsReturned,
        sample: result.sample,
        methodUsed: result.method,
        bytesScanned: result.bytesScanned,
        bytesRead: result.bytesRead,
        ...(result.fallbackReason ? { fallbackReason: result.fallbackReason } : {}),
        skippedKeys: result.skippedKeys,
        verifiedAt: result.verifiedAt,
    };
}

/**
 * The dynamic provider. It holds no state of its own: no client, credentials or config object is
 * captured; `verifySink` requires the AWS SDK when it runs and uses the ambient credential chain.
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
 * Proof, at the end of `pulumi up`, that the sink wrote readable CDC records: waits for the first object
 * under the sink's prefix and runs the S3 Select query on it (or its GetObject fallback).
 */
export class SinkVerification extends pulumi.dynamic.Resource {
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
            opts,
            "verification",
            "SinkVerification",
        );
    }
}
