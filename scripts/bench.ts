/**
 * `npm run bench`: figures about the verification and the plan, measured on this machine (no timing asserts in
 * tests). All servers are on loopback and stopped at the end.
 *  1. bytes the GetObject fallback reads to return 5 records from a 50 MB sink object (s3rver, no Select);
 *  2. how long after the first object appears the check returns, against its poll interval (moto);
 *  3. wall time of `npm run plan` for the dev stack (median of 3).
 */
import * as child_process from "child_process";
import * as path from "path";
import { CreateBucketCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { makeClient, verifySink } from "../verification";
import { sinkObjectBody, startMoto, startS3rver } from "../offline";
import { sinkObjectKey } from "../sink";
import { benchPlan } from "./benchPlan";

const TOPIC = "salesdb.salesdb.CUSTOMER";
const PREFIX = `topics/${TOPIC}/partition=0/`;
const MiB = 1024 * 1024;

async function fallbackBytes(): Promise<string> {
    const server = await startS3rver();
    try {
        const client = makeClient("us-east-1", server.endpoint);
        await client.send(new CreateBucketCommand({ Bucket: "bench-50mb" }));
        const perEvent = sinkObjectBody(1, 1).length;
        const count = Math.ceil((50 * MiB) / perEvent);
        const body = sinkObjectBody(1, count);
        await client.send(new PutObjectCommand({ Bucket: "bench-50mb", Key: sinkObjectKey(TOPIC, 0, 0), Body: body }));
        const started = Date.now();
        const r = await verifySink({
            bucket: "bench-50mb",
            prefix: PREFIX,
            region: "us-east-1",
            endpoint: server.endpoint,
            query: "SELECT * FROM s3object s LIMIT 5",
            minRecords: 5,
            timeoutSeconds: 10,
            pollIntervalSeconds: 1,
        });
        const ms = Date.now() - started;
        return `fallback on a ${(r.objectSize / MiB).toFixed(1)} MiB object: method=${r.method}, ${r.recordsReturned} records, read ${r.bytesRead} bytes (${(r.bytesRead / 1024).toFixed(0)} KiB, ${r.bytesRead < MiB ? "under" : "OVER"} 1 MiB) in ${ms} ms`;
    } finally {
        await server.stop();
    }
}

async function latencyAfterAppearance(pollSeconds: number, appearAfterMs: number): Promise<string> {
    const server = await startMoto();
    try {
        const client = makeClient("us-east-1", server.endpoint);
        await client.send(new CreateBucketCommand({ Bucket: "bench-latency" }));
        let appearedAt = 0;
        const writer = new Promise<void>((resolve) =>
            setTimeout(() => {
                void client
                    .send(new PutObjectCommand({ Bucket: "bench-latency", Key: sinkObjectKey(TOPIC, 0, 0), Body: sinkObjectBody(1, 200) }))
                    .then(() => {
                        appearedAt = Date.now();
                        resolve();
                    });
            }, appearAfterMs),
        );
        const r = await verifySink({
            bucket: "bench-latency",
            prefix: PREFIX,
            region: "us-east-1",
            endpoint: server.endpoint,
            timeoutSeconds: 60,
            pollIntervalSeconds: pollSeconds,
        });
        const returnedAt = Date.now();
        await writer;
        const lag = returnedAt - appearedAt;
        return `check returned ${lag} ms after the object appeared (poll interval ${pollSeconds * 1000} ms: ${lag <= pollSeconds * 1000 ? "within" : "NOT within"} one interval; method=${r.method})`;
    } finally {
        await server.stop();
    }
}

function planSeconds(): string {
    const root = path.resolve(__dirname, "..");
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
        const t = process.hrtime.bigint();
        const res = child_process.spawnSync("npm", ["run", "--silent", "plan"], { cwd: root, encoding: "utf8" });
        if (res.status !== 0) throw new Error(`npm run plan failed: ${res.stderr}`);
        times.push(Number(process.hrtime.bigint() - t) / 1e9);
    }
    times.sort((a, b) => a - b);
    return `npm run plan (dev stack): median ${times[1].toFixed(2)} s over 3 runs (${times.map((t) => t.toFixed(2)).join(", ")})`;
}

async function main(): Promise<void> {
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
    console.log(await fallbackBytes());
    console.log(await latencyAfterAppearance(2, 3000));
    console.log(planSeconds());
    console.log(await benchPlan());
}

main().catch((e) => {
    console.error(`bench failed: ${(e as Error).stack ?? e}`);
    process.exit(1);
});
