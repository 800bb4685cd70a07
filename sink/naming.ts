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
    /**
     * `.json`, or `.json.gz` with `s3.compression.type=gzip`. Left out when the connector's compression is not
     * known (a check given only a bucket and a prefix): then either is a sink object, as its name says.
     */
    readonly extension?: SinkExtension;
}

/** The extensions the sink gives JsonFormat objects, uncompressed and gzipped. */
export type SinkExtension = ".json" | ".json.gz";
const EXTENSIONS: readonly SinkExtension[] = [".json.gz", ".json"];

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
    const name = fileName(key, format);
    const extension = (format.extension ? [format.extension] : EXTENSIONS).find((e) => name.endsWith(e));
    if (extension === undefined) return undefined;
    const parts = name.slice(0, -extension.length).split(format.fileDelim);
    if (parts.length < 3) return undefined;
    const offset = parts.pop()!;
    const partition = parts.pop()!;
    const topic = parts.join(format.fileDelim);
    if (topic === "" || !/^\d{1,10}$/.test(partition) || !/^\d+$/.test(offset)) return undefined;
    return { key, topic, partition: Number(partition), startOffset: BigInt(offset) };
}

/** The key's file name: what follows its last directory delimiter. */
function fileName(key: string, format: SinkKeyFormat): string {
    const slash = key.lastIndexOf(format.directoryDelim);
    return slash < 0 ? key : key.slice(slash + format.directoryDelim.length);
}

/** The shape of a sink object's file name in this format: `<topic>+<partition>+<offset>.json`. */
export function sinkKeyShape(format: SinkKeyFormat): string {
    const d = format.fileDelim;
    return `<topic>${d}<partition>${d}<offset>${format.extension ?? ".json[.gz]"}`;
}

/**
 * Why a key that `parseSinkKey` refuses is not a sink object, in words a user can act on: a folder marker, an
 * object of the other compression than the connector's, or a name of another shape.
 */
export function whyNotSinkKey(key: string, format: SinkKeyFormat): string {
    const name = fileName(key, format);
    if (name === "") return "a folder marker";
    const otherExtension = EXTENSIONS.find(
        (e) => e !== format.extension && name.endsWith(e) && !(e === ".json" && name.endsWith(".json.gz")),
    );
    if (format.extension && otherExtension && parseSinkKey(key, { ...format, extension: otherExtension })) {
        return format.extension === ".json.gz"
            ? "a .json object, but the sink is configured to write .json.gz (s3.compression.type=gzip, or --gzip)"
            : "a .json.gz object, but the sink is configured to write .json (s3.compression.type none)";
    }
    const other = /(\D)\d{1,10}\1\d+\.json(?:\.gz)?$/.exec(name)?.[1];
    const delim =
        other !== undefined && other !== format.fileDelim
            ? `; is the connector's file.delim ${JSON.stringify(other)}? (--file-delim with a bucket and prefix)`
            : "";
    return `not named ${sinkKeyShape(format)}${delim}`;
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
