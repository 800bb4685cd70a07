/**
 * `npm run bench`: figures about the verification and the plan, measured on this machine (no timing asserts in
 * tests). All servers are on loopback and stopped at the end.
 *  1. bytes the GetObject fallback reads to return 5 records from a 51 MiB sink object (s3rver, no Select);
 *  2. how long after the first object appears the check returns, against its poll interval (moto), and how
 *     long after a new object lands the whole fresh-data proof returns (connector check first), against one
 *     poll interval plus one second;
 *  3. wall time of `npm run plan` for the dev stack (median of 3);
 *  4. peak memory (RSS, in a child process) of the fallback answering `SELECT *` over a 200 MiB object and
 *     over a gzip object of 1 GiB uncompressed (highly compressible), against a 300 MB target;
 *  5. how far past its --timeout `npm run verify` returns from a server that never answers;
 *  6. the plan of 20 sinks against one (`benchSinks.ts`).
 */
import * as child_process from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Readable } from "stream";
import { pipeline } from "stream/promises";
import * as zlib from "zlib";
import { CreateBucketCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { CHECK_DEFAULTS, makeClient, proveSinkWorks, verifySink } from "../verification";
import { customerChangeEvent, sinkObjectBody, startKafkaConnectApi, startMoto, startS3rver, startSilentServer } from "../offline";
import { sinkObjectKey } from "../sink";
import { benchPlan } from "./benchPlan";
import { benchSinks, benchSinksCommand } from "./benchSinks";

const ROOT = path.resolve(__dirname, "..");
const TOPIC = "salesdb.salesdb.CUSTOMER";
const PREFIX = `topics/${TOPIC}/partition=0/`;
const MiB = 1024 * 1024;
const TARGET_MB = 300;

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

/**
 * The whole proof in fresh-data mode (the connector's health against a local MSK Connect API, then moto):
 * an older object is already there, the new one lands a few seconds in. Target: the check returns within one
 * poll interval plus one second of the new object landing.
 */
async function freshLatency(pollSeconds: number, appearAfterMs: number): Promise<string> {
    const server = await startMoto();
    const api = await startKafkaConnectApi({ region: "us-east-1" });
    const client = makeClient("us-east-1", server.endpoint);
    try {
        await client.send(new CreateBucketCommand({ Bucket: "bench-fresh" }));
        const put = (offset: number) =>
            client.send(
                new PutObjectCommand({
                    Bucket: "bench-fresh",
                    Key: sinkObjectKey(TOPIC, 0, offset),
                    Body: sinkObjectBody(offset + 1, 200),
                }),
            );
        await put(0);
        // The connector takes effect on the next whole second (S3 keeps whole seconds): the old object predates it.
        const createdAt = Math.ceil((Date.now() + 1) / 1000) * 1000;
        await new Promise((r) => setTimeout(r, createdAt - Date.now() + 20));
        const arn = api.addConnector({
            connectorName: "bench-connector",
            connectorConfiguration: {},
            creationTime: new Date(createdAt).toISOString(),
        });
        let landedAt = 0;
        const writer = new Promise<void>((resolve) =>
            setTimeout(() => void put(200).then(() => ((landedAt = Date.now()), resolve())), appearAfterMs),
        );
        const r = await proveSinkWorks({
            bucket: "bench-fresh",
            prefix: PREFIX,
            region: "us-east-1",
            endpoint: server.endpoint,
            timeoutSeconds: 60,
            pollIntervalSeconds: pollSeconds,
            connector: arn,
            kafkaConnectEndpoint: api.endpoint,
            freshData: true,
        });
        const lag = Date.now() - landedAt;
        await writer;
        const target = pollSeconds * 1000 + 1000;
        return `fresh-data proof returned ${lag} ms after the new object landed (poll interval ${pollSeconds * 1000} ms; target ${target} ms: ${lag <= target ? "met" : "NOT met"}; verified ${r.data.objectKey.split("/").pop()}, the older object skipped)`;
    } finally {
        client.destroy();
        await api.stop();
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
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
        const t = process.hrtime.bigint();
        const res = child_process.spawnSync("npm", ["run", "--silent", "plan"], { cwd: ROOT, encoding: "utf8" });
        if (res.status !== 0) throw new Error(`npm run plan failed: ${res.stderr}`);
        times.push(Number(process.hrtime.bigint() - t) / 1e9);
    }
    times.sort((a, b) => a - b);
    return `npm run plan (dev stack): median ${times[1].toFixed(2)} s over 3 runs (${times.map((t) => t.toFixed(2)).join(", ")})`;
}

/** Write `lines` (generated one at a time) to a file, gzipped or not, without holding them all. */
async function writeLines(file: string, lines: () => Generator<string>, gzip: boolean): Promise<void> {
    const source = Readable.from(lines());
    await (gzip ? pipeline(source, zlib.createGzip(), fs.createWriteStream(file)) : pipeline(source, fs.createWriteStream(file)));
}

/** Sink events until `bytes` of JSON Lines; `pad` characters of padding in each (compressible). */
function* sinkLines(bytes: number, pad: number): Generator<string> {
    let written = 0;
    for (let id = 1; written < bytes; id++) {
        const event = customerChangeEvent(id);
        const line = `${JSON.stringify(pad > 0 ? { ...event, padding: " ".repeat(pad) } : event)}\n`;
        written += Buffer.byteLength(line);
        yield line;
    }
}

/** Peak RSS of a child running the fallback on an object (put on s3rver from a file). */
async function fallbackMemory(label: string, file: string, gzip: boolean, uncompressed: number): Promise<string> {
    const server = await startS3rver();
    try {
        const client = makeClient("us-east-1", server.endpoint, 600);
        const bucket = `bench-memory-${gzip ? "gzip" : "plain"}`;
        await client.send(new CreateBucketCommand({ Bucket: bucket }));
        // A Buffer, not a file stream: the SDK sends streams aws-chunked, which s3rver would store framing and all.
        const body = fs.readFileSync(file);
        const size = body.length;
        await client.send(new PutObjectCommand({ Bucket: bucket, Key: sinkObjectKey(TOPIC, 0, 0, gzip), Body: body }));
        const tsx = path.join(ROOT, "node_modules", ".bin", "tsx");
        const args = [
            path.join(__dirname, "benchMemoryChild.ts"),
            "--endpoint",
            server.endpoint,
            "--bucket",
            bucket,
            ...(gzip ? ["--gzip"] : []),
        ];
        const started = Date.now();
        const out = await new Promise<string>((resolve, reject) =>
            child_process.execFile(tsx, args, { cwd: ROOT, encoding: "utf8", maxBuffer: MiB }, (err, stdout, stderr) =>
                err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout),
            ),
        );
        const seconds = (Date.now() - started) / 1000;
        const m = JSON.parse(out) as { startKiB: number; peakKiB: number; records: number; bytesRead: number; size: number };
        const peakMB = (m.peakKiB * 1024) / 1e6;
        return (
            `fallback memory, ${label}: ${(size / MiB).toFixed(1)} MiB object (${(uncompressed / MiB).toFixed(0)} MiB of JSON Lines), SELECT * read ${m.records} records ` +
            `in ${seconds.toFixed(1)} s; peak RSS ${peakMB.toFixed(0)} MB (${((m.startKiB * 1024) / 1e6).toFixed(0)} MB before the check): ${peakMB < TARGET_MB ? "under" : "OVER"} the ${TARGET_MB} MB target`
        );
    } finally {
        await server.stop();
    }
}

async function memoryFigures(): Promise<string[]> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-memory-"));
    try {
        const plain = path.join(dir, "plain.json");
        await writeLines(plain, () => sinkLines(200 * MiB, 0), false);
        const gz = path.join(dir, "padded.json.gz");
        const gib = 1024 * MiB;
        await writeLines(gz, () => sinkLines(gib, 64 * 1024), true);
        return [await fallbackMemory("plain", plain, false, fs.statSync(plain).size), await fallbackMemory("gzip", gz, true, gib)];
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

/** How long `npm run verify -- --timeout N` runs against a server that accepts connections and never answers. */
async function deadlineOvershoot(timeoutSeconds: number): Promise<string> {
    const silent = await startSilentServer();
    try {
        const tsx = path.join(ROOT, "node_modules", ".bin", "tsx");
        const args = [
            path.join(ROOT, "scripts", "verify.ts"),
            "--bucket",
            "b",
            "--prefix",
            "topics/t/partition=0/",
            "--endpoint",
            silent.endpoint,
        ];
        const started = Date.now();
        const code = await new Promise<number | null>((resolve) =>
            child_process.execFile(tsx, [...args, "--timeout", String(timeoutSeconds)], { cwd: ROOT }, (err) =>
                resolve(err ? ((err as { code?: number }).code ?? null) : 0),
            ),
        );
        const seconds = (Date.now() - started) / 1000;
        return `npm run verify -- --timeout ${timeoutSeconds} against a server that never answers: exit ${code} after ${seconds.toFixed(2)} s (process start included), ${(seconds - timeoutSeconds).toFixed(2)} s past the time-out; one request time-out is ${CHECK_DEFAULTS.requestTimeoutSeconds} s`;
    } finally {
        await silent.stop();
    }
}

async function main(): Promise<void> {
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
    console.log(await fallbackBytes());
    console.log(await latencyAfterAppearance(2, 3000));
    console.log(await freshLatency(2, 3000));
    console.log(planSeconds());
    for (const line of await memoryFigures()) console.log(line);
    console.log(await deadlineOvershoot(3));
    console.log(await benchPlan());
    console.log(benchSinksCommand());
    console.log(await benchSinks());
}

main().catch((e) => {
    console.error(`bench failed: ${(e as Error).stack ?? e}`);
    process.exit(1);
});
