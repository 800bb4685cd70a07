/**
 * How the Confluent S3 sink 10.5.x names what it writes with the DefaultPartitioner:
 * `<topics.dir>/<topic>/partition=<p>/<topic>+<p>+<start offset, zero-padded>.<ext>`.
 */

/** Where the sink writes a topic partition's objects (DefaultPartitioner; follows topics.dir and directory.delim). */
export function sinkPrefix(config: Readonly<Record<string, string>>, topic: string, partition = 0): string {
    const dir = config["topics.dir"] ?? "topics";
    const delim = config["directory.delim"] ?? "/";
    return `${dir}${delim}${topic}${delim}partition=${partition}${delim}`;
}

/** The key the sink gives the object that starts at `startOffset` (JsonFormat; `.json.gz` with gzip). */
export function sinkObjectKey(topic: string, partition: number, startOffset: number, gzip = false, topicsDir = "topics"): string {
    return `${topicsDir}/${topic}/partition=${partition}/${topic}+${partition}+${String(startOffset).padStart(10, "0")}.json${gzip ? ".gz" : ""}`;
}
