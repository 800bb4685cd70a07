/**
 * `npm run demo`: start a local S3 server (moto, on loopback), write sink objects in the Confluent sink's
 * exact layout and format (Debezium CUSTOMER change events, 200 per object), run the verification through
 * the same code as the Pulumi provider, print the result, and stop the server. No AWS account needed.
 */
import { CreateBucketCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { sinkVerificationProvider } from "../components";
import { makeClient } from "../verification";
import { sinkObjectBody, startMoto } from "../offline";
import { sinkObjectKey } from "../sink";

const TOPIC = "salesdb.salesdb.CUSTOMER";
const BUCKET = "msk-lab-111122223333-target-bucket";

async function main(): Promise<void> {
    const server = await startMoto();
    try {
        const endpoint = server.endpoint;
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
            bucket: BUCKET,
            region: "us-east-2",
            prefix,
            query: "SELECT * FROM s3object s LIMIT 5",
            minRecords: 5,
            method: "auto",
            timeoutSeconds: 30,
            pollIntervalSeconds: 1,
            endpoint,
            trigger: "demo",
        });
        const outs = created.outs!;
        console.log(
            JSON.stringify(
                {
                    objectKey: outs.objectKey,
                    objectSize: outs.objectSize,
                    recordsReturned: outs.recordsReturned,
                    methodUsed: outs.methodUsed,
                    bytesScanned: outs.bytesScanned,
                    verifiedAt: outs.verifiedAt,
                },
                null,
                2,
            ),
        );
        console.log("first record:", JSON.stringify(outs.sample[0]));
        console.log("verified: the sink's first object holds the CDC records.");
    } finally {
        await server.stop();
    }
}

main().catch((e) => {
    console.error(`demo failed: ${(e as Error).message}`);
    process.exit(1);
});
