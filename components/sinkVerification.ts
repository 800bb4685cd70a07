import * as pulumi from "@pulumi/pulumi";
import type { Json } from "../sql";
import { verifySink } from "../verification/sinkCheck";
import { CHECK_DEFAULTS, SinkCheckResult, VerifyMethod } from "../verification/types";

export interface SinkVerificationArgs {
    readonly bucket: pulumi.Input<string>;
    readonly region: pulumi.Input<string>;
    /** Key prefix the sink writes to (`topics/<topic>/partition=<p>/`). */
    readonly prefix: pulumi.Input<string>;
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
    recordsReturned: number;
    sample: Json[];
    methodUsed: "select" | "get";
    bytesScanned: number;
    bytesRead: number;
    fallbackReason?: string;
    verifiedAt: string;
}

/** Inputs whose change means the landed data must be checked again. Timeouts and labels do not count. */
export const VERIFY_AGAIN_ON = ["bucket", "region", "prefix", "query", "minRecords", "method", "endpoint", "trigger"] as const;

async function check(inputs: VerificationInputs): Promise<VerificationOutputs> {
    const result: SinkCheckResult = await verifySink({
        bucket: inputs.bucket,
        prefix: inputs.prefix,
        region: inputs.region,
        query: inputs.query,
        minRecords: inputs.minRecords,
        method: inputs.method,
        timeoutSeconds: inputs.timeoutSeconds,
        pollIntervalSeconds: inputs.pollIntervalSeconds,
        ...(inputs.endpoint ? { endpoint: inputs.endpoint } : {}),
        ...(inputs.connectorName ? { connectorName: inputs.connectorName } : {}),
        ...(inputs.logGroupName ? { logGroupName: inputs.logGroupName } : {}),
    });
    return {
        ...inputs,
        objectKey: result.objectKey,
        objectSize: result.objectSize,
        recordsReturned: result.recordsReturned,
        sample: result.sample,
        methodUsed: result.method,
        bytesScanned: result.bytesScanned,
        bytesRead: result.bytesRead,
        ...(result.fallbackReason ? { fallbackReason: result.fallbackReason } : {}),
        verifiedAt: result.verifiedAt,
    };
}

/**
 * The dynamic provider. It holds no state of its own: no client, credentials or config object is
 * captured; `verifySink` requires the AWS SDK when it runs and uses the ambient credential chain.
 */
export const sinkVerificationProvider: pulumi.dynamic.ResourceProvider<VerificationInputs, VerificationOutputs> = {
    async check(_olds, news) {
        const failures: pulumi.dynamic.CheckFailure[] = [];
        if (!news.bucket) failures.push({ property: "bucket", reason: "the target bucket is required" });
        if (!news.prefix || news.prefix.startsWith("/"))
            failures.push({ property: "prefix", reason: "expected a key prefix such as topics/<topic>/partition=0/" });
        if (!["auto", "select", "get"].includes(news.method))
            failures.push({ property: "method", reason: 'expected "auto", "select" or "get"' });
        if (!(news.timeoutSeconds > 0)) failures.push({ property: "timeoutSeconds", reason: "expected a positive number of seconds" });
        if (!(news.pollIntervalSeconds > 0))
            failures.push({ property: "pollIntervalSeconds", reason: "expected a positive number of seconds" });
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
        const changed = VERIFY_AGAIN_ON.filter((k) => (olds[k] ?? null) !== (news[k] ?? null));
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
    declare public readonly recordsReturned: pulumi.Output<number>;
    declare public readonly sample: pulumi.Output<Json[]>;
    declare public readonly methodUsed: pulumi.Output<"select" | "get">;
    declare public readonly bytesScanned: pulumi.Output<number>;
    declare public readonly bytesRead: pulumi.Output<number>;
    declare public readonly fallbackReason: pulumi.Output<string | undefined>;
    declare public readonly verifiedAt: pulumi.Output<string>;

    constructor(name: string, args: SinkVerificationArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            sinkVerificationProvider,
            name,
            {
                bucket: args.bucket,
                region: args.region,
                prefix: args.prefix,
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
                recordsReturned: undefined,
                sample: undefined,
                methodUsed: undefined,
                bytesScanned: undefined,
                bytesRead: undefined,
                fallbackReason: undefined,
                verifiedAt: undefined,
            },
            opts,
            "verification",
            "SinkVerification",
        );
    }
}
