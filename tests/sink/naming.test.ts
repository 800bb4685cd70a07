import * as assert from "assert";
import { compareSinkKeys, parseSinkKey, sinkKeyFormat, sinkObjectKey, sinkPrefix, whyNotSinkKey } from "../../sink";

const DEFAULT = sinkKeyFormat({});
const PREFIX = "topics/salesdb.salesdb.CUSTOMER/partition=0/";

describe("sink key naming", () => {
    it("takes the delimiters and the extension from the connector configuration", () => {
        assert.deepStrictEqual(DEFAULT, { directoryDelim: "/", fileDelim: "+", extension: ".json" });
        assert.deepStrictEqual(sinkKeyFormat({ "directory.delim": "_", "file.delim": "#", "s3.compression.type": "gzip" }), {
            directoryDelim: "_",
            fileDelim: "#",
            extension: ".json.gz",
        });
    });

    it("reads topic, partition and start offset from a sink key, the offset exact beyond 2^53", () => {
        assert.deepStrictEqual(parseSinkKey(`${PREFIX}salesdb.salesdb.CUSTOMER+0+0000000200.json`, DEFAULT), {
            key: `${PREFIX}salesdb.salesdb.CUSTOMER+0+0000000200.json`,
            topic: "salesdb.salesdb.CUSTOMER",
            partition: 0,
            startOffset: 200n,
        });
        assert.strictEqual(parseSinkKey(`${PREFIX}t+3+9007199254740993.json`, DEFAULT)?.startOffset, 9007199254740993n);
        assert.strictEqual(parseSinkKey("t+0+12.json", DEFAULT)?.partition, 0, "a key with no directory");
    });

    it("skips keys that are not sink objects: markers, manifests, other extensions, other delimiters", () => {
        for (const key of [
            `${PREFIX}_SUCCESS`,
            `${PREFIX}.manifest`,
            `${PREFIX}`,
            `${PREFIX}t+0+0000000000.json.gz`,
            `${PREFIX}t+0+0000000000.avro`,
            `${PREFIX}t-0-0000000000.json`,
            `${PREFIX}t+x+0000000000.json`,
            `${PREFIX}t+0+-1.json`,
            `${PREFIX}+0+1.json`,
        ]) {
            assert.strictEqual(parseSinkKey(key, DEFAULT), undefined, key);
        }
        const gz = sinkKeyFormat({ "s3.compression.type": "gzip" });
        assert.strictEqual(parseSinkKey(`${PREFIX}t+0+0000000000.json`, gz), undefined);
        assert.strictEqual(parseSinkKey(`${PREFIX}t+0+0000000000.json.gz`, gz)?.startOffset, 0n);
    });

    it("reads keys written with other delimiters, a topic holding the file delimiter included", () => {
        const f = sinkKeyFormat({ "directory.delim": "|", "file.delim": "_" });
        assert.deepStrictEqual(parseSinkKey("topics|my_topic|partition=2|my_topic_2_0000000042.json", f), {
            key: "topics|my_topic|partition=2|my_topic_2_0000000042.json",
            topic: "my_topic",
            partition: 2,
            startOffset: 42n,
        });
    });

    it("orders keys by offset as a number, not as text", () => {
        const wide = parseSinkKey(`${PREFIX}t+0+10000000000.json`, DEFAULT)!;
        const narrow = parseSinkKey(`${PREFIX}t+0+9000000000.json`, DEFAULT)!;
        assert.ok(wide.key < narrow.key, "as text, the wider offset sorts first");
        assert.strictEqual(compareSinkKeys(narrow, wide), -1);
        assert.strictEqual(compareSinkKeys(wide, narrow), 1);
    });

    it("builds prefixes and keys as the sink does", () => {
        assert.strictEqual(sinkPrefix({}, "t", 1), "topics/t/partition=1/");
        assert.strictEqual(sinkPrefix({ "topics.dir": "out", "directory.delim": "|" }, "t"), "out|t|partition=0|");
        assert.strictEqual(sinkObjectKey("t", 0, 12345678901234567890n), "topics/t/partition=0/t+0+12345678901234567890.json");
    });

    it("reads .json and .json.gz alike when the compression is not known, by the key's own extension", () => {
        const either = { directoryDelim: "/", fileDelim: "+" };
        assert.strictEqual(parseSinkKey(`${PREFIX}t+0+0000000007.json.gz`, either)?.startOffset, 7n);
        assert.strictEqual(parseSinkKey(`${PREFIX}t+0+0000000007.json`, either)?.startOffset, 7n);
        assert.strictEqual(parseSinkKey(`${PREFIX}t+0+0000000007.gz`, either), undefined);
    });

    it("says why a key is not a sink object: a folder marker, the other compression, another shape or file delimiter", () => {
        const gzip = sinkKeyFormat({ "s3.compression.type": "gzip" });
        assert.strictEqual(whyNotSinkKey(PREFIX, DEFAULT), "a folder marker");
        assert.match(
            whyNotSinkKey(`${PREFIX}t+0+0000000000.json`, gzip),
            /^a \.json object, but the sink is configured to write \.json\.gz/,
        );
        assert.match(
            whyNotSinkKey(`${PREFIX}t+0+0000000000.json.gz`, DEFAULT),
            /^a \.json\.gz object, but the sink is configured to write \.json /,
        );
        assert.strictEqual(whyNotSinkKey(`${PREFIX}_SUCCESS`, DEFAULT), "not named <topic>+<partition>+<offset>.json");
        assert.match(whyNotSinkKey(`${PREFIX}t#0#0000000000.json`, DEFAULT), /file\.delim "#"\?/);
    });
});
