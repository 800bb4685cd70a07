/**
 * For `npm run bench` only: one GetObject-fallback check of `SELECT * FROM s3object s` in a process of its
 * own, printing its peak RSS before and after as JSON. It imports only the verification, so the figure is
 * the check's and not the benchmark's. Usage: tsx scripts/benchMemoryChild.ts --endpoint URL --bucket B [--gzip]
 */
import { parseArgs } from "node:util";
import { sinkKeyFormat } from "../sink";
import { verifySink } from "../verification";

async function main(): Promise<void> {
    const { values } = parseArgs({
        options: { endpoint: { type: "string" }, bucket: { type: "string" }, gzip: { type: "boolean", default: false } },
    });
    const startKiB = process.resourceUsage().maxRSS;
    const r = await verifySink({
        bucket: values.bucket!,
        prefix: "topics/salesdb.salesdb.CUSTOMER/partition=0/",
        region: "us-east-1",
        endpoint: values.endpoint!,
        keyFormat: sinkKeyFormat({ "s3.compression.type": values.gzip ? "gzip" : "none" }),
        query: "SELECT * FROM s3object s",
        method: "get",
        timeoutSeconds: 600,
    });
    const peakKiB = process.resourceUsage().maxRSS;
    process.stdout.write(
        JSON.stringify({ startKiB, peakKiB, records: r.recordsReturned, bytesRead: r.bytesRead, size: r.objectSize }) + "\n",
    );
}

main().catch((e) => {
    process.stderr.write(`${(e as Error).stack ?? e}\n`);
    process.exit(1);
});
