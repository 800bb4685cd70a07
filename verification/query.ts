/** Running the query: with S3 Select, or with our own SQL subset over GetObject (the fallback). */
import type { S3Client } from "@aws-sdk/client-s3";
import { Json, limitOf, matches, parseQuery, project, SqlError } from "../sql";
import { VerificationError } from "./errors";
import { scanJsonLines } from "./jsonLines";
import type { SinkCheckOptions } from "./types";

/** Run the query with S3 Select and return the result records (LIMIT enforced here too). */
export async function selectRecords(
    client: S3Client,
    o: SinkCheckOptions,
    key: string,
    query: string,
): Promise<{ records: Json[]; bytesScanned: number }> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { SelectObjectContentCommand } = require("@aws-sdk/client-s3") as typeof import("@aws-sdk/client-s3");
    // AWS reads the table name case-insensitively; moto only accepts lower case.
    const expression = query.replace(/\bfrom\s+s3object\b/i, "FROM s3object");
    const res = await client.send(
        new SelectObjectContentCommand({
            Bucket: o.bucket,
            Key: key,
            Expression: expression,
            ExpressionType: "SQL",
            InputSerialization: { JSON: { Type: "LINES" }, CompressionType: key.endsWith(".gz") ? "GZIP" : "NONE" },
            OutputSerialization: { JSON: { RecordDelimiter: "\n" } },
        }),
    );
    const chunks: Buffer[] = [];
    let bytesScanned = 0;
    let ended = false;
    for await (const event of res.Payload ?? []) {
        if (event.Records?.Payload) chunks.push(Buffer.from(event.Records.Payload));
        else if (event.Stats?.Details) bytesScanned = Number(event.Stats.Details.BytesScanned ?? 0);
        else if (event.End) ended = true;
    }
    if (!ended) {
        throw new VerificationError(
            "select-failed",
            `S3 Select on s3://${o.bucket}/${key} stopped before its End event; the result is incomplete. Run the check again.`,
        );
    }
    const text = Buffer.concat(chunks).toString("utf8");
    const records: Json[] = [];
    for (const line of text.split("\n")) {
        if (line.trim() === "") continue;
        try {
            records.push(JSON.parse(line) as Json);
        } catch {
            throw new VerificationError(
                "select-failed",
                `S3 Select returned a record that is not JSON: ${JSON.stringify(line.slice(0, 80))}`,
            );
        }
    }
    const limit = limitOf(query);
    return { records: limit === undefined ? records : records.slice(0, limit), bytesScanned };
}

/** Evaluate the query ourselves over the object's records, reading no more than the answer needs. */
export async function getRecords(
    client: S3Client,
    o: SinkCheckOptions,
    key: string,
    size: number,
    query: string,
): Promise<{ records: Json[]; bytesRead: number }> {
    let parsed;
    try {
        parsed = parseQuery(query);
    } catch (e) {
        if (e instanceof SqlError) {
            throw new VerificationError(
                "bad-query",
                `the query ${JSON.stringify(query)} cannot be evaluated without S3 Select: ${e.message}. Use SELECT *, COUNT(*) or field paths with WHERE comparisons and LIMIT.`,
            );
        }
        throw e;
    }
    const records: Json[] = [];
    let count = 0;
    const { bytesRead } = await scanJsonLines(
        client,
        o.bucket,
        key,
        size,
        (record) => {
            if (!matches(parsed, record)) return true;
            if (parsed.projection === "count") {
                count++;
                return true;
            }
            records.push(project(parsed, record));
            return parsed.limit === undefined || records.length < parsed.limit;
        },
        { region: o.region, endpoint: o.endpoint },
    );
    if (parsed.projection === "count") return { records: [{ _1: count }], bytesRead };
    return { records, bytesRead };
}
