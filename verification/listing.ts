/**
 * Listing the sink's prefix: every page of ListObjectsV2, each key read as a sink object
 * (`<topic>+<partition>+<offset>.<ext>`) or counted as skipped. The choice of object is a pure function over
 * what the listing yields (`chooseObject`), so a caller can filter first (a baseline of offsets, say).
 */
import type { _Object } from "@aws-sdk/client-s3";
import { compareSinkKeys, parseSinkKey, SinkKey, SinkKeyFormat, whyNotSinkKey } from "../sink";
import { callOf, checkDeadline, Run, sendRetrying } from "./run";

/** A sink object under the prefix: its parsed key, its size and when it was written. */
export interface SinkObject extends SinkKey {
    readonly size: number;
    /** S3's LastModified, ISO 8601. */
    readonly lastModified?: string;
}

/** One page of a listing: its sink objects, and how many keys were not sink objects. */
export interface ListingPage {
    readonly objects: readonly SinkObject[];
    readonly skipped: number;
    /** The first key skipped, and why it is not a sink object. */
    readonly skippedExample?: SkippedKey;
}

/** A key under the prefix that is not a sink object, and why. */
export interface SkippedKey {
    readonly key: string;
    readonly reason: string;
}

/** Read a page's keys as sink objects; folder markers, `_SUCCESS`, `.manifest` and other shapes are skipped. */
export function readPage(contents: readonly _Object[], format: SinkKeyFormat): ListingPage {
    const objects: SinkObject[] = [];
    let skipped = 0;
    let skippedExample: SkippedKey | undefined;
    for (const c of contents) {
        const parsed = c.Key === undefined ? undefined : parseSinkKey(c.Key, format);
        if (parsed)
            objects.push({ ...parsed, size: c.Size ?? 0, ...(c.LastModified ? { lastModified: c.LastModified.toISOString() } : {}) });
        else {
            skipped++;
            if (skippedExample === undefined && c.Key !== undefined) skippedExample = { key: c.Key, reason: whyNotSinkKey(c.Key, format) };
        }
    }
    return { objects, skipped, ...(skippedExample ? { skippedExample } : {}) };
}

/** The object the check reads: the lowest start offset, compared as a number (then topic, then partition). */
export function chooseObject<T extends SinkKey>(objects: Iterable<T>): T | undefined {
    let best: T | undefined;
    for (const o of objects) if (best === undefined || compareSinkKeys(o, best) < 0) best = o;
    return best;
}

/** Every page under the prefix, in order; transient errors are retried until the deadline. */
export async function* listSinkObjects(run: Run): AsyncGenerator<ListingPage> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { ListObjectsV2Command } = require("@aws-sdk/client-s3") as typeof import("@aws-sdk/client-s3");
    const call = callOf(run, "ListObjectsV2", run.o.prefix);
    let token: string | undefined;
    do {
        checkDeadline(run);
        const input = { Bucket: run.o.bucket, Prefix: run.o.prefix, ContinuationToken: token };
        const page = await sendRetrying(run, call, () => run.client.send(new ListObjectsV2Command(input), { abortSignal: run.signal }));
        yield readPage(page.Contents ?? [], run.o.keyFormat);
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
}

/**
 * One whole listing: the object to read (if any) among those `accept` takes, with the counts of sink
 * objects and skipped keys. `observe` sees every sink object (to record a baseline, say).
 */
export async function listOnce(
    run: Run,
    accept: (o: SinkObject) => boolean = () => true,
    observe?: (o: SinkObject) => void,
): Promise<{ object?: SinkObject; sinkObjects: number; skipped: number; skippedExample?: SkippedKey }> {
    let object: SinkObject | undefined;
    let sinkObjects = 0;
    let skipped = 0;
    let skippedExample: SkippedKey | undefined;
    for await (const page of listSinkObjects(run)) {
        if (observe) page.objects.forEach(observe);
        object = chooseObject([...(object ? [object] : []), ...page.objects.filter(accept)]);
        sinkObjects += page.objects.length;
        skipped += page.skipped;
        skippedExample ??= page.skippedExample;
    }
    run.listings++;
    return { ...(object ? { object } : {}), sinkObjects, skipped, ...(skippedExample ? { skippedExample } : {}) };
}
