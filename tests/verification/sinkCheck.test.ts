import * as assert from "assert";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { explainS3Error, isSelectUnavailable, makeClient, verifySink, VerificationError } from "../../verification";
import { sinkObjectBody } from "../../offline";
import { sinkObjectKey } from "../../sink";
import { LocalS3, startMoto, startS3rver } from "../helpers";

const TOPIC = "salesdb.salesdb.CUSTOMER";
const PREFIX = `topics/${TOPIC}/partition=0/`;

async function rejects(p: Promise<unknown>, kind: string, message: RegExp): Promise<void> {
    await assert.rejects(p, (e: unknown) => {
        assert.ok(e instanceof VerificationError, `expected a VerificationError, got ${e}`);
        assert.strictEqual(e.kind, kind, e.message);
        assert.match(e.message, message);
        return true;
    });
}

describe("the sink check against moto's S3 (S3 Select path)", function () {
    this.timeout(30000);
    let server: LocalS3;
    let client: S3Client;
    let n = 0;
    const bucket = (): string => `sink-check-${++n}`;
    const put = (b: string, key: string, body: Buffer | string) => client.send(new PutObjectCommand({ Bucket: b, Key: key, Body: body }));
    const base = (b: string) => ({
        bucket: b,
        prefix: PREFIX,
        region: "us-east-1",
        endpoint: server.endpoint,
        timeoutSeconds: 5,
        pollIntervalSeconds: 1,
    });

    before(async () => {
        server = await startMoto();
        client = makeClient("us-east-1", server.endpoint);
    });
    after(async () => server?.stop());

    it("queries the first object with S3 Select, enforces LIMIT itself and keeps a sample", async () => {
        const b = bucket();
        await client.send(new CreateBucketCommand({ Bucket: b }));
        await put(b, sinkObjectKey(TOPIC, 0, 200), sinkObjectBody(201, 200));
        await put(b, sinkObjectKey(TOPIC, 0, 0), sinkObjectBody(1, 200));
        const r = await verifySink({ ...base(b), method: "select" });
        assert.strictEqual(r.objectKey, `${PREFIX}${TOPIC}+0+0000000000.json`);
        assert.strictEqual(r.method, "select");
        assert.strictEqual(r.recordsReturned, 5, "moto ignores LIMIT; the check applies it");
        assert.strictEqual(r.sample.length, 3);
        assert.deepStrictEqual((r.sample[0] as { after: unknown }).after, {
            CUST_ID: 1,
            NAME: "Customer Name 1",
            MKTSEGMENT: "Market Segment 2",
        });
        assert.ok(r.bytesScanned > 0);
        assert.strictEqual(r.objectSize, sinkObjectBody(1, 200).length);
    });

    it("reads gzip objects through S3 Select", async () => {
        const b = bucket();
        await client.send(new CreateBucketCommand({ Bucket: b }));
        await put(b, sinkObjectKey(TOPIC, 0, 0, true), sinkObjectBody(1, 20, true));
        const r = await verifySink({ ...base(b), query: "SELECT s.after.CUST_ID FROM S3Object s", minRecords: 20 });
        assert.strictEqual(r.method, "select");
        assert.strictEqual(r.recordsReturned, 20);
        assert.deepStrictEqual(r.sample, [{ CUST_ID: 1 }, { CUST_ID: 2 }, { CUST_ID: 3 }]);
    });

    it("counts with COUNT(*)", async () => {
        const b = bucket();
        await client.send(new CreateBucketCommand({ Bucket: b }));
        await put(b, sinkObjectKey(TOPIC, 0, 0), sinkObjectBody(1, 7));
        const r = await verifySink({ ...base(b), query: "SELECT COUNT(*) FROM s3object s", minRecords: 7 });
        assert.strictEqual(r.recordsReturned, 7);
    });

    it("fails naming the line when an object is not JSON Lines (moto drops the bad line silently)", async () => {
        const b = bucket();
        await client.send(new CreateBucketCommand({ Bucket: b }));
        const good = sinkObjectBody(1, 3).toString();
        await put(b, sinkObjectKey(TOPIC, 0, 0), `${good}{"before":null,"after":{"CUST_ID":4\n${sinkObjectBody(5, 1)}`);
        await rejects(verifySink(base(b)), "not-json-lines", /line 4 is not a JSON value/);
    });

    it("fails when the first object is empty: fewer records than required", async () => {
        const b = bucket();
        await client.send(new CreateBucketCommand({ Bucket: b }));
        await put(b, sinkObjectKey(TOPIC, 0, 0), "");
        await rejects(
            verifySink(base(b)),
            "too-few-records",
            /returned 0 record\(s\) from s3:\/\/.+\+0000000000\.json \(0 bytes\) but at least 1 are required/,
        );
    });

    it("waits, polling, for an object that appears only after a few polls", async () => {
        const b = bucket();
        await client.send(new CreateBucketCommand({ Bucket: b }));
        const progress: string[] = [];
        const writeLater = new Promise<void>((resolve) =>
            setTimeout(() => void put(b, sinkObjectKey(TOPIC, 0, 0), sinkObjectBody(1, 10)).then(() => resolve()), 2500),
        );
        const started = Date.now();
        const r = await verifySink({ ...base(b), timeoutSeconds: 20, onProgress: (m) => progress.push(m) });
        await writeLater;
        assert.ok(progress.length >= 2, `expected at least two empty polls, saw ${progress.length}`);
        assert.match(
            progress[0],
            /no object under s3:\/\/sink-check-\d+\/topics\/salesdb\.salesdb\.CUSTOMER\/partition=0\/ yet \(poll 1\)/,
        );
        assert.strictEqual(r.recordsReturned, 5);
        assert.ok(Date.now() - started >= 2500);
    });

    it("fails with a clear message for a missing bucket", async () => {
        await rejects(
            verifySink({ ...base("no-such-bucket-here"), timeoutSeconds: 2 }),
            "no-such-bucket",
            /bucket no-such-bucket-here does not exist at http:\/\/127\.0\.0\.1:\d+: check msk-s3-sink:targetBucket/,
        );
    });

    it("times out with the bucket, prefix, connector and log group named", async () => {
        const b = bucket();
        await client.send(new CreateBucketCommand({ Bucket: b }));
        await rejects(
            verifySink({
                ...base(b),
                timeoutSeconds: 2,
                connectorName: "confluentinc-kafka-connect-s3",
                logGroupName: "/msk-lab-target-s3sink-connector",
            }),
            "timeout",
            /^no object under s3:\/\/sink-check-\d+\/topics\/salesdb\.salesdb\.CUSTOMER\/partition=0\/ after 2 s: check the connector confluentinc-kafka-connect-s3's state .* its log group \/msk-lab-target-s3sink-connector/,
        );
    });

    it("fails when fewer records match than required", async () => {
        const b = bucket();
        await client.send(new CreateBucketCommand({ Bucket: b }));
        await put(b, sinkObjectKey(TOPIC, 0, 0), sinkObjectBody(1, 3));
        await rejects(verifySink({ ...base(b), minRecords: 10 }), "too-few-records", /returned 3 record\(s\).*at least 10 are required/);
    });
});

describe("the sink check against s3rver (no S3 Select: the GetObject fallback)", function () {
    this.timeout(30000);
    let server: LocalS3;
    let client: S3Client;
    before(async () => {
        server = await startS3rver();
        client = makeClient("us-east-1", server.endpoint);
        await client.send(new CreateBucketCommand({ Bucket: "fallback-bucket" }));
        await client.send(
            new PutObjectCommand({ Bucket: "fallback-bucket", Key: sinkObjectKey(TOPIC, 0, 0), Body: sinkObjectBody(1, 200) }),
        );
        await client.send(new CreateBucketCommand({ Bucket: "fallback-gzip" }));
        await client.send(
            new PutObjectCommand({ Bucket: "fallback-gzip", Key: sinkObjectKey(TOPIC, 0, 0, true), Body: sinkObjectBody(1, 200, true) }),
        );
    });
    after(async () => server?.stop());
    const base = (b: string) => ({
        bucket: b,
        prefix: PREFIX,
        region: "us-east-1",
        endpoint: server.endpoint,
        timeoutSeconds: 5,
        pollIntervalSeconds: 1,
    });

    it("falls back to ranged GetObject when S3 Select answers NotImplemented, and says why", async () => {
        const r = await verifySink(base("fallback-bucket"));
        assert.strictEqual(r.method, "get");
        assert.match(r.fallbackReason ?? "", /S3 Select is not available here \(NotImplemented, HTTP 501\)/);
        assert.strictEqual(r.recordsReturned, 5);
        assert.ok(r.bytesRead <= 64 * 1024, `read ${r.bytesRead} bytes for 5 records`);
        assert.ok(r.bytesRead < r.objectSize);
    });

    it("evaluates WHERE, projections and LIMIT itself, over gzip too", async () => {
        const r = await verifySink({
            ...base("fallback-gzip"),
            query: "SELECT s.after.CUST_ID AS id FROM s3object s WHERE s.after.CUST_ID > 100 AND s.op = 'r' LIMIT 2",
            minRecords: 2,
        });
        assert.strictEqual(r.method, "get");
        assert.deepStrictEqual(r.sample, [{ id: 101 }, { id: 102 }]);
    });

    it("counts every record with COUNT(*)", async () => {
        const r = await verifySink({ ...base("fallback-bucket"), query: "SELECT COUNT(*) FROM s3object s", minRecords: 200 });
        assert.strictEqual(r.recordsReturned, 200);
        assert.strictEqual(r.bytesRead, r.objectSize);
    });

    it("refuses when the method is select and S3 Select is unavailable", async () => {
        await rejects(
            verifySink({ ...base("fallback-bucket"), method: "select" }),
            "select-unavailable",
            /verifyMethod is "select"\. Use "auto" or "get"/,
        );
    });
});

describe("S3 error explanations", () => {
    const ctx = { bucket: "b-1", key: "topics/t/partition=0/x.json", region: "us-east-2", action: "s3:GetObject" };
    it("names the permission and ARN on access denied", () => {
        const e = explainS3Error({ name: "AccessDenied", $metadata: { httpStatusCode: 403 } }, ctx);
        assert.strictEqual(e.kind, "access-denied");
        assert.match(e.message, /needs s3:GetObject on arn:aws:s3:::b-1\/topics\/t\/partition=0\/x\.json/);
        const l = explainS3Error({ name: "AccessDenied", $metadata: { httpStatusCode: 403 } }, { ...ctx, action: "s3:ListBucket" });
        assert.match(l.message, /needs s3:ListBucket on arn:aws:s3:::b-1\./);
    });
    it("names the bucket's real region on a redirect", () => {
        const e = explainS3Error(
            {
                name: "PermanentRedirect",
                $metadata: { httpStatusCode: 301 },
                $response: { headers: { "x-amz-bucket-region": "eu-west-1" } },
            },
            ctx,
        );
        assert.strictEqual(e.kind, "wrong-region");
        assert.match(e.message, /not in us-east-2; it is in eu-west-1\. Fix: set aws:region/);
    });
    it("recognises AWS's 405 and a server's 501 as S3 Select being unavailable, and nothing else", () => {
        assert.ok(isSelectUnavailable({ name: "MethodNotAllowed", $metadata: { httpStatusCode: 405 } }));
        assert.ok(isSelectUnavailable({ name: "NotImplemented", $metadata: { httpStatusCode: 501 } }));
        assert.ok(!isSelectUnavailable({ name: "AccessDenied", $metadata: { httpStatusCode: 403 } }));
    });
});
