/** Sample records as a result carries them: bounded in size, valid UTF-8, every digit kept. */
import { holdsBigInt, Json, JsonValue, stringifyJson } from "../sql";
import { CHECK_DEFAULTS } from "./types";

/** Text cut to at most `maxBytes` of UTF-8 on a code point boundary, ending "..." when cut. */
export function cutUtf8(text: string, maxBytes: number): string {
    const bytes = Buffer.from(text, "utf8");
    if (bytes.length <= maxBytes) return text;
    let end = maxBytes - 3;
    while (end > 0 && (bytes[end] & 0xc0) === 0x80) end--; // back off a code point's continuation bytes
    return `${bytes.subarray(0, end).toString("utf8")}...`;
}

/**
 * A result record as a sample entry: the record itself when it is plain JSON of at most 2 KiB, otherwise its
 * JSON text (with every digit of a big integer) cut at 2 KiB on a code point boundary.
 */
export function sampleEntry(row: JsonValue): Json {
    const text = stringifyJson(row);
    if (!holdsBigInt(row) && Buffer.byteLength(text, "utf8") <= CHECK_DEFAULTS.sampleRecordBytes) return row as Json;
    return cutUtf8(text, CHECK_DEFAULTS.sampleRecordBytes);
}
