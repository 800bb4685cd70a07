/** Reading an object's JSON Lines with ranged GETs, gunzipping on the fly, stopping as soon as the caller has enough. */
import type { S3Client } from "@aws-sdk/client-s3";
import type { Json } from "../sql";
import { explainS3Error, VerificationError } from "./errors";
import { CHECK_DEFAULTS } from "./types";

/**
 * Read an object's JSON Lines from the start with ranged GETs (64 KiB first, doubling to 1 MiB), gunzipping
 * on the fly for `.gz`, and hand each parsed record to `onRecord` until it returns false or `maxBytes`
 * have been read. Throws `not-json-lines` naming the first line that is not JSON.
 */
export async function scanJsonLines(
    client: S3Client,
    bucket: string,
    key: string,
    size: number,
    onRecord: (record: Json, line: number) => boolean,
    opts: { maxBytes?: number; region: string; endpoint?: string },
): Promise<{ bytesRead: number }> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { GetObjectCommand } = require("@aws-sdk/client-s3") as typeof import("@aws-sdk/client-s3");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const zlib = require("zlib") as typeof import("zlib");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { StringDecoder } = require("string_decoder") as typeof import("string_decoder");

    const gzip = key.endsWith(".gz");
    const gunzip = gzip ? zlib.createGunzip() : undefined;
    const decoder = new StringDecoder("utf8");
    const maxBytes = opts.maxBytes ?? Number.POSITIVE_INFINITY;
    let pending = "";
    let lineNo = 0;
    let stop = false;
    let bytesRead = 0;

    const handleLine = (text: string): void => {
        lineNo++;
        if (stop || text.trim() === "") return;
        let record: Json;
        try {
            record = JSON.parse(text) as Json;
        } catch {
            const snippet = text.length > 80 ? `${text.slice(0, 80)}…` : text;
            throw new VerificationError(
                "not-json-lines",
                `s3://${bucket}/${key} is not JSON Lines: line ${lineNo} is not a JSON value (${JSON.stringify(snippet)}). Check the connector's format.class (JsonFormat writes one JSON value per line) and value.converter.`,
            );
        }
        if (!onRecord(record, lineNo)) stop = true;
    };
    const feedText = (text: string): void => {
        pending += text;
        let nl: number;
        while (!stop && (nl = pending.indexOf("\n")) >= 0) {
            const line = pending.slice(0, nl).replace(/\r$/, "");
            pending = pending.slice(nl + 1);
            handleLine(line);
        }
    };
    const inflate = (chunk: Buffer, last: boolean): Promise<Buffer> =>
        new Promise((resolve, reject) => {
            const parts: Buffer[] = [];
            const onData = (d: Buffer): number => parts.push(d);
            const onError = (err: Error): void =>
                reject(new VerificationError("not-json-lines", `s3://${bucket}/${key} ends in .gz but is not valid gzip: ${err.message}`));
            gunzip!.on("data", onData);
            gunzip!.once("error", onError);
            const done = (): void => {
                gunzip!.off("data", onData);
                gunzip!.off("error", onError);
                resolve(Buffer.concat(parts));
            };
            gunzip!.write(chunk);
            if (last) gunzip!.end(() => setImmediate(done));
            else gunzip!.flush(zlib.constants.Z_SYNC_FLUSH, done);
        });

    let offset = 0;
    let chunk = CHECK_DEFAULTS.firstChunkBytes;
    while (!stop && offset < size && bytesRead < maxBytes) {
        const end = Math.min(size, offset + chunk, offset + (maxBytes - bytesRead)) - 1;
        let body: Buffer;
        try {
            const res = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=${offset}-${end}` }));
            body = Buffer.from(await res.Body!.transformToByteArray());
        } catch (err) {
            throw explainS3Error(err, { bucket, key, region: opts.region, action: "s3:GetObject", endpoint: opts.endpoint });
        }
        if (body.length === 0) break;
        offset += body.length;
        bytesRead += body.length;
        const last = offset >= size;
        const bytes = gunzip ? await inflate(body, last) : body;
        feedText(decoder.write(bytes));
        chunk = Math.min(chunk * 2, CHECK_DEFAULTS.maxChunkBytes);
    }
    if (!stop && offset >= size) {
        feedText(decoder.end());
        if (pending !== "") {
            const tail = pending;
            pending = "";
            handleLine(tail);
        }
    }
    return { bytesRead };
}
