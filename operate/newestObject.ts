/**
 * The age of the newest sink object under the stack's prefix: every page of ListObjectsV2 within the
 * deadline, the keys read as sink objects (others skipped), the newest by LastModified. A listing that
 * fails or runs out of time says so, never "no data".
 */
import type { SinkKeyFormat } from "../sink";
import { makeClient, readPage, SinkObject, SkippedKey } from "../verification";

export interface SinkLocation {
    readonly bucket: string;
    readonly prefix: string;
    readonly keyFormat: SinkKeyFormat;
}

export interface NewestObject {
    /** False when it was not looked for (no bucket and prefix given) or the listing failed. */
    readonly checked: boolean;
    readonly bucket?: string;
    readonly prefix?: string;
    readonly key?: string;
    /** ISO 8601, S3's LastModified. */
    readonly lastModified?: string;
    readonly ageSeconds?: number;
    readonly sinkObjects?: number;
    /** Keys under the prefix that are not sink objects, with the first one and why (as verify names it). */
    readonly skippedKeys?: number;
    readonly skippedExample?: SkippedKey;
    readonly note?: string;
}

/** The newest of the sink objects by LastModified. */
export function newestOf(objects: readonly SinkObject[]): SinkObject | undefined {
    let best: SinkObject | undefined;
    for (const o of objects) if (o.lastModified && (!best?.lastModified || o.lastModified > best.lastModified)) best = o;
    return best;
}

export async function readNewestObject(
    where: SinkLocation,
    o: { region: string; endpoint?: string; profile?: string; timeoutMs: number; now?: () => number },
): Promise<NewestObject> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { ListObjectsV2Command } = require("@aws-sdk/client-s3") as typeof import("@aws-sdk/client-s3");
    const client = makeClient(o.region, o.endpoint, Math.max(1, o.timeoutMs / 1000), o.profile);
    const signal = AbortSignal.timeout(Math.max(1, o.timeoutMs));
    const base = { bucket: where.bucket, prefix: where.prefix };
    let best: SinkObject | undefined;
    let count = 0;
    let skipped = 0;
    let skippedExample: SkippedKey | undefined;
    try {
        let token: string | undefined;
        do {
            const page = await client.send(
                new ListObjectsV2Command({ Bucket: where.bucket, Prefix: where.prefix, ContinuationToken: token }),
                {
                    abortSignal: signal,
                },
            );
            const read = readPage(page.Contents ?? [], where.keyFormat);
            count += read.objects.length;
            skipped += read.skipped;
            skippedExample ??= read.skippedExample;
            best = newestOf([...(best ? [best] : []), ...read.objects]);
            token = page.IsTruncated ? page.NextContinuationToken : undefined;
        } while (token);
    } catch (err) {
        const e = err as { name?: string; message?: string };
        return {
            checked: false,
            ...base,
            note: `s3://${where.bucket}/${where.prefix} could not be listed (${e.name ?? "Error"}: ${(e.message ?? String(err)).split("\n")[0]})`,
        };
    } finally {
        client.destroy();
    }
    const skips = skipped > 0 ? { skippedKeys: skipped, ...(skippedExample ? { skippedExample } : {}) } : {};
    if (!best?.lastModified) {
        const why = skippedExample
            ? `; ${skipped} key(s) there were skipped as not sink objects, e.g. ${skippedExample.key} (${skippedExample.reason})`
            : "";
        return {
            checked: true,
            ...base,
            sinkObjects: count,
            ...skips,
            note: `no sink object under s3://${where.bucket}/${where.prefix}${why}`,
        };
    }
    const ageSeconds = Math.max(0, Math.round(((o.now ?? Date.now)() - Date.parse(best.lastModified)) / 1000));
    return { checked: true, ...base, key: best.key, lastModified: best.lastModified, ageSeconds, sinkObjects: count, ...skips };
}
