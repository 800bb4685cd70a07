/**
 * `npm run demo`: start a local S3 server (moto, on loopback), write sink objects in the Confluent sink's
 * exact layout and format (Debezium CUSTOMER change events, 200 per object), run the verification through
 * the same code as the Pulumi provider, print the result, and stop the server. No AWS account needed.
 */
import * as child_process from "child_process";
import * as net from "net";
import { CreateBucketCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { sinkVerificationProvider } from "../components/sinkVerification";
import { makeClient } from "../lib/sinkCheck";
import { sinkObjectBody, sinkObjectKey } from "../lib/sinkSample";

const TOPIC = "salesdb.salesdb.CUSTOMER";
const BUCKET = "msk-lab-111122223333-target-bucket";

function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const srv = net.createServer();
        srv.listen(0, "127.0.0.1", () => {
            const { port } = srv.address() as net.AddressInfo;
            srv.close(() => resolve(port));
        });
        srv.on("error", reject);
    });
}

async function waitFor(port: number): Promise<void> {
    for (let i = 0; i < 150; i++) {
        const up = await new Promise<boolean>((r) => {
            const s = net.connect(port, "127.0.0.1", () => (s.end(), r(true)));
            s.on("error", () => r(false));
        });
        if (up) return;
        await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`the local S3 server did not start on 127.0.0.1:${port} (is python3 with moto[server] installed?)`);
}

async function main(): Promise<void> {
    // The local server accepts any key; these placeholders never leave this machine.
    process.env.AWS_ACCESS_KEY_ID = "local-demo";
    process.env.AWS_SECRET_ACCESS_KEY = "local-demo";
    delete process.env.AWS_SESSION_TOKEN;
    delete process.env.AWS_PROFILE;
    const port = await freePort();
    const server = child_process.spawn("python3", ["-m", "moto.server", "-H", "127.0.0.1", "-p", String(port)], { stdio: "ignore" });
    const stop = (): void => void server.kill("SIGTERM");
    process.on("exit", stop);
    try {
        await waitFor(port);
        const endpoint = `http://127.0.0.1:${port}`;
        console.log(`local S3 (moto) on ${endpoint}`);
        const client = makeClient("us-east-2", endpoint);
        await client.send(new CreateBucketCommand({ Bucket: BUCKET, CreateBucketConfiguration: { LocationConstraint: "us-east-2" } }));
        for (const start of [0, 200, 400]) {
            const key = sinkObjectKey(TOPIC, 0, start);
            await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: sinkObjectBody(start + 1, 200) }));
            console.log(`wrote s3://${BUCKET}/${key} (200 change events)`);
        }
        const prefix = `topics/${TOPIC}/partition=0/`;
        console.log(`verifying s3://${BUCKET}/${prefix} through the SinkVerification provider…`);
        const created = await sinkVerificationProvider.create!({
            bucket: BUCKET, region: "us-east-2", prefix, query: "SELECT * FROM s3object s LIMIT 5", minRecords: 5,
            method: "auto", timeoutSeconds: 30, pollIntervalSeconds: 1, endpoint, trigger: "demo",
        });
        const outs = created.outs!;
        console.log(JSON.stringify({ objectKey: outs.objectKey, objectSize: outs.objectSize, recordsReturned: outs.recordsReturned, methodUsed: outs.methodUsed, bytesScanned: outs.bytesScanned, verifiedAt: outs.verifiedAt }, null, 2));
        console.log("first record:", JSON.stringify(outs.sample[0]));
        console.log("verified: the sink's first object holds the CDC records.");
    } finally {
        stop();
    }
}

main().catch((e) => {
    console.error(`demo failed: ${(e as Error).message}`);
    process.exit(1);
});
