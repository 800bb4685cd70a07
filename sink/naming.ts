/**
 * How the Confluent S3 sink 10.5.x names what it writes with the DefaultPartitioner and JsonFormat:
 * `<topics.dir>/<topic>/partition=<p>/<topic>+<p>+<start offset, zero-padded>.json[.gz]`, with
 * `directory.delim` between the directories and `file.delim` inside the file name. Offsets are compared
 * as numbers (bigint): a padded width is a minimum, and offsets can exceed 2^53.
 */

/** What a sink object's key looks like, from the connector configuration. */
export interface SinkKeyFormat {
    /** `directory.delim` (default `/`). */
    readonly directoryDelim: string;
    /** `file.delim` (default `+`). */
    readonly fileDelim: string;
    /** `.json`, or `.json.gz` with `s3.compression.type=gzip`. */
    readonly extension: ".json" | ".json.gz";
}

/** The key format the sink uses for this connector configuration. */
export function sinkKeyFormat(config: Readonly<Record<string, string>>): SinkKeyFormat {
    return {
        directoryDelim: config["directory.delim"] ?? "/",
        fileDelim: config["file.delim"] ?? "+",
        extension: (config["s3.compression.type"] ?? "none").toLowerCase() === "gzip" ? ".json.gz" : ".json",
    };
}

/** One sink object, read from its key. */
export interface SinkKey {
    readonly key: string;
    readonly topic: string;
    readonly partition: number;
    /** The offset of the object's first record, exact. */
    readonly startOffset: bigint;
}

/**
 * Read a key as the sink names its objects: the file name (after the last directory delimiter) must be
 * `<topic><file.delim><partition><file.delim><offset><extension>` with decimal digits for partition and
 * offset. Anything else (`_SUCCESS`, `.manifest`, a folder marker, another extension) gives undefined.
 */
export function parseSinkKey(key: string, format: SinkKeyFormat): SinkKey | undefined {
    const slash = key.lastIndexOf(format.directoryDelim);
    const name = slash < 0 ? key : key.slice(slash + format.directoryDelim.length);
    if (!name.endsWith(format.extension)) return undefined;
    const parts = name.slice(0, -format.extension.length).split(format.fileDelim);
    if (parts.length < 3) return undefined;
    const offset = parts.pop()!;
    const partition = parts.pop()!;
    const topic = parts.join(format.fileDelim);
    if (topic === "" || !/^\d{1,10}$/.test(partition) || !/^\d+$/.test(offset)) return undefined;
    return { key, topic, partition: Number(partition), startOffset: BigInt(offset) };
}

/** Order of sink objects: lower start offset first, then topic and partition (so the order is total). */
export function compareSinkKeys(a: SinkKey, b: SinkKey): number {
    if (a.startOffset !== b.startOffset) return a.startOffset < b.startOffset ? -1 : 1;
    if (a.topic !== b.topic) return a.topic < b.topic ? -1 : 1;
    return a.partition - b.partition;
}

/** Where the sink writes a topic partition's objects (DefaultPartitioner; follows topics.dir and directory.delim). */
export function sinkPrefix(config: Readonly<Record<string, string>>, topic: string, partition = 0): string {
    const dir = config["topics.dir"] ?? "topics";
    const delim = config["directory.delim"] ?? "/";
    return `${dir}${delim}${topic}${delim}partition=${partition}${delim}`;
}

/** The key the sink gives the object that starts at `startOffset` (JsonFormat; `.json.gz` with gzip; 10-digit padding). */
export function sinkObjectKey(topic: string, partition: number, startOffset: number | bigint, gzip = false, topicsDir = "topics"): string {
    return `${topicsDir}/${topic}/partition=${partition}/${topic}+${partition}+${String(startOffset).padStart(10, "0")}.json${gzip ? ".gz" : ""}`;
}
