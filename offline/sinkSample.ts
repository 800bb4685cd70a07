/**
 * Sink output in the Confluent S3 sink's exact format: Debezium MySQL change events for the lab's CUSTOMER
 * table, as JSON Lines (keys come from `sink/naming.ts`). Used by `npm run demo`, the tests and the benchmark.
 */
import * as zlib from "zlib";

/** One Debezium change event for CUSTOMER row `id` (value only, schemas.enable=false). */
export function customerChangeEvent(id: number, op: "r" | "c" | "u" | "d" = "r"): Record<string, unknown> {
    const row = { CUST_ID: id, NAME: `Customer Name ${id}`, MKTSEGMENT: `Market Segment ${(id % 10) + 1}` };
    return {
        before: op === "c" || op === "r" ? null : row,
        after: op === "d" ? null : row,
        source: {
            version: "1.9.7.Final",
            connector: "mysql",
            name: "salesdb",
            ts_ms: 1700000000000 + id,
            snapshot: op === "r" ? "true" : "false",
            db: "salesdb",
            sequence: null,
            table: "CUSTOMER",
            server_id: 0,
            gtid: null,
            file: "mysql-bin-changelog.000002",
            pos: 154 + id,
            row: 0,
            thread: null,
            query: null,
        },
        op,
        ts_ms: 1700000000123 + id,
        transaction: null,
    };
}

/** The body of one sink object: `count` events from `firstId`, one JSON value per line, each line ending "\n". */
export function sinkObjectBody(firstId: number, count: number, gzip = false): Buffer {
    let text = "";
    for (let i = 0; i < count; i++) text += JSON.stringify(customerChangeEvent(firstId + i)) + "\n";
    const buf = Buffer.from(text, "utf8");
    return gzip ? zlib.gzipSync(buf) : buf;
}
