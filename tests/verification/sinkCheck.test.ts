import * as assert from "assert";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { explainS3Error, isSelectUnavailable, makeClient, SinkCheckOptions, verifySink } from "../../verification";
import { sinkObjectBody } from "../../offline";
import { sinkKeyFormat, sinkObjectKey } from "../../sink";
import { LocalS3, startMoto, startS3rver } from "../helpers";
import { bucketWith, PREFIX, rejects, settleEvents, TOPIC, wellFormed } from "./helpers";

const GZIP = sinkKeyFormat({ "s3.compression.type": "gzip" });
/** Lines a sink object may hold besides records: a tombstone, scalars. */
const MIXED = ['{"id":1}', "null", "5", '{"id":12345678901234567890}', '"text"', '{"id":3}'].join("\n") + "\n";

describe("the sink check against moto's S3 (S3 Select path)", function () {
    this.timeout(30000);
    let server: LocalS3;
    let client: S3Client;
    let n = 0;
    const bucket = (): string => `sink-check-${++n}`;
    const put = (b: string, key: string, body: Buffer | string) =>
        client.send(new PutObjectCommand({ Bucket: b, Key: key, Body: Buffer.from(body) }));
    const base = (b: string): SinkCheckOptions => ({
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
        await bucketWith(client, b, {
            [sinkObjectKey(TOPIC, 0, 200)]: sinkObjectBody(201, 200),
            [sinkObjectKey(TOPIC, 0, 0)]: sinkObjectBody(1, 200),
        });
        const r = await verifySink({ ...base(b), method: "select" });
        assert.strictEqual(r.objectKey, `${PREFIX}${TOPIC}+0+0000000000.json`);
        assert.strictEqual(r.objectStartOffset, "0");
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

    it("chooses the lowest offset as a number and skips keys that are not sink objects", async () => {
        const b = bucket();
        await bucketWith(client, b, {
            [`${PREFIX}_SUCCESS`]: "",
            [`${PREFIX}.manifest`]: "{}",
            [`${PREFIX}${TOPIC}+0+10000000000.json`]: sinkObjectBody(1, 2),
            [`${PREFIX}${TOPIC}+0+9000000000.json`]: sinkObjectBody(9, 2),
        });
        const r = await verifySink({ ...base(b), query: "SELECT s.after.CUST_ID FROM s3object s", minRecords: 2 });
        assert.strictEqual(r.objectKey, `${PREFIX}${TOPIC}+0+9000000000.json`);
        assert.strictEqual(r.objectStartOffset, "9000000000");
        assert.strictEqual(r.skippedKeys, 2);
        assert.deepStrictEqual(r.sample, [{ CUST_ID: 9 }, { CUST_ID: 10 }]);
    });

    it("fails, listing nothing, when the prefix lacks its trailing / (it would also match partition=10)", async () => {
        const b = bucket();
        await bucketWith(client, b, { [sinkObjectKey(TOPIC, 10, 0)]: sinkObjectBody(1, 5) });
        await rejects(
            verifySink({ ...base(b), prefix: `topics/${TOPIC}/partition=1` }),
            "bad-input",
            /^prefix must end with "\/".*also matches "topics\/salesdb\.salesdb\.CUSTOMER\/partition=10\/"/,
        );
    });

    it("reads gzip objects (.json.gz with s3.compression.type=gzip) through S3 Select", async () => {
        const b = bucket();
        await bucketWith(client, b, {
            [sinkObjectKey(TOPIC, 0, 0, true)]: sinkObjectBody(1, 20, true),
            [sinkObjectKey(TOPIC, 0, 0)]: "not this one",
        });
        const r = await verifySink({ ...base(b), keyFormat: GZIP, query: "SELECT s.after.CUST_ID FROM S3Object s", minRecords: 20 });
        assert.strictEqual(r.method, "select");
        assert.strictEqual(r.objectKey, sinkObjectKey(TOPIC, 0, 0, true));
        assert.strictEqual(r.recordsReturned, 20);
        assert.deepStrictEqual(r.sample, [{ CUST_ID: 1 }, { CUST_ID: 2 }, { CUST_ID: 3 }]);
    });

    it("counts with COUNT(*), with an alias too, and returns nothing for LIMIT 0 (moto ignores both)", async () => {
        const b = bucket();
        await bucketWith(client, b, { [sinkObjectKey(TOPIC, 0, 0)]: sinkObjectBody(1, 7) });
        assert.strictEqual((await verifySink({ ...base(b), query: "SELECT COUNT(*) FROM s3object s", minRecords: 7 })).recordsReturned, 7);
        const aliased = await verifySink({ ...base(b), query: "SELECT COUNT(*) AS n FROM s3object s", minRecords: 7 });
        assert.strictEqual(aliased.recordsReturned, 7);
        const none = await verifySink({ ...base(b), query: "SELECT * FROM s3object s LIMIT 0", minRecords: 0 });
        assert.strictEqual(none.recordsReturned, 0);
        assert.deepStrictEqual(none.sample, []);
    });

    it("counts the same records as the fallback where lines are null or scalars, and keeps big integers' digits", async () => {
        const b = bucket();
        await bucketWith(client, b, { [sinkObjectKey(TOPIC, 0, 0)]: MIXED });
        const all = await verifySink({ ...base(b), query: "SELECT * FROM s3object s", minRecords: 3 });
        assert.strictEqual(all.method, "select");
        assert.strictEqual(all.recordsReturned, 3);
        assert.deepStrictEqual(all.sample, [{ id: 1 }, '{"id":12345678901234567890}', { id: 3 }]);
        assert.strictEqual((await verifySink({ ...base(b), query: "SELECT COUNT(*) FROM s3object s", minRecords: 3 })).recordsReturned, 3);
    });

    it("fails naming the line when an object is not JSON Lines (moto drops the bad line silently)", async () => {
        const b = bucket();
        const good = sinkObjectBody(1, 3).toString();
        await bucketWith(client, b, {
            [sinkObjectKey(TOPIC, 0, 0)]: `${good}{"before":null,"after":{"CUST_ID":4\n${sinkObjectBody(5, 1)}`,
        });
        await rejects(verifySink(base(b)), "not-json-lines", /line 4 is not a JSON value \(35 bytes, content not shown/);
        // The record is customer data: the error (which reaches the terminal and the deploy log) never shows it.
        await assert.rejects(verifySink(base(b)), (e: Error) => !/CUST_ID/.test(e.message));
    });

    it("fails when the first object is empty: fewer records than required", async () => {
        const b = bucket();
        await bucketWith(client, b, { [sinkObjectKey(TOPIC, 0, 0)]: "" });
        await rejects(
            verifySink(base(b)),
            "too-few-records",
            /returned 0 record\(s\) from s3:\/\/.+\+0000000000\.json \(0 bytes\) but at least 1 are required/,
        );
    });

    it("waits, polling, for an object that appears only after a few listings", async () => {
        const b = bucket();
        await bucketWith(client, b, {});
        const progress: string[] = [];
        const writeLater = new Promise<void>((resolve) =>
            setTimeout(() => void put(b, sinkObjectKey(TOPIC, 0, 0), sinkObjectBody(1, 10)).then(() => resolve()), 1500),
        );
        const r = await verifySink({ ...base(b), timeoutSeconds: 20, onProgress: (m) => progress.push(m) });
        await writeLater;
        assert.ok(progress.length >= 2, `expected at least two empty listings, saw ${progress.length}`);
        assert.match(
            progress[0],
            /^waiting for a sink object \(<topic>\+<partition>\+<offset>\.json\) under s3:\/\/sink-check-\d+\/topics\/salesdb\.salesdb\.CUSTOMER\/partition=0\/: \d+ s of 20 s, 1 listing\(s\); next listing in 1 s$/,
        );
        assert.strictEqual(r.recordsReturned, 5);
        assert.ok(r.listings >= 3);
    });

    it("fails with a clear message for a missing bucket", async () => {
        await rejects(
            verifySink({ ...base("no-such-bucket-here"), timeoutSeconds: 2 }),
            "no-such-bucket",
            /^ListObjectsV2: bucket no-such-bucket-here does not exist at http:\/\/127\.0\.0\.1:\d+: check msk-s3-sink:targetBucket/,
        );
    });

    it("times out with the bucket, prefix, connector, log group and skipped keys named", async () => {
        const b = bucket();
        await bucketWith(client, b, { [`${PREFIX}_SUCCESS`]: "" });
        await rejects(
            verifySink({
                ...base(b),
                timeoutSeconds: 1,
                connectorName: "confluentinc-kafka-connect-s3",
                logGroupName: "/msk-lab-target-s3sink-connector",
            }),
            "timeout",
            /^timed out after 1 s waiting for a sink object \(<topic>\+<partition>\+<offset>\.json\) under s3:\/\/sink-check-\d+\/topics\/salesdb\.salesdb\.CUSTOMER\/partition=0\/: none in \d listing\(s\); 1 other key\(s\) there are not sink objects, e\.g\. topics\/salesdb\.salesdb\.CUSTOMER\/partition=0\/_SUCCESS \(not named <topic>\+<partition>\+<offset>\.json\); check the connector confluentinc-kafka-connect-s3's state .* its log group \/msk-lab-target-s3sink-connector/,
        );
    });

    it("fails when fewer records match than required", async () => {
        const b = bucket();
        await bucketWith(client, b, { [sinkObjectKey(TOPIC, 0, 0)]: sinkObjectBody(1, 3) });
        await rejects(verifySink({ ...base(b), minRecords: 10 }), "too-few-records", /returned 3 record\(s\).*at least 10 are required/);
    });
});

describe("the sink check against s3rver (no S3 Select: the GetObject fallback)", function () {
    this.timeout(30000);
    let server: LocalS3;
    let client: S3Client;
    const gzipped = sinkObjectBody(1, 400, true);
    before(async () => {
        server = await startS3rver();
        client = makeClient("us-east-1", server.endpoint);
        await bucketWith(client, "fallback-bucket", { [sinkObjectKey(TOPIC, 0, 0)]: sinkObjectBody(1, 200) });
        await bucketWith(client, "fallback-gzip", { [sinkObjectKey(TOPIC, 0, 0, true)]: sinkObjectBody(1, 200, true) });
        await bucketWith(client, "fallback-mixed", { [sinkObjectKey(TOPIC, 0, 0)]: MIXED });
        await bucketWith(client, "truncated-gzip", {
            [sinkObjectKey(TOPIC, 0, 0, true)]: gzipped.subarray(0, Math.floor(gzipped.length / 2)),
        });
        const corrupt = Buffer.from(gzipped);
        for (let i = 2000; i < 2100; i++) corrupt[i] ^= 0x5a;
        await bucketWith(client, "corrupt-gzip", { [sinkObjectKey(TOPIC, 0, 0, true)]: corrupt });
        await bucketWith(client, "wide-records", {
            [sinkObjectKey(TOPIC, 0, 0)]: Array.from({ length: 4 }, (_, i) =>
                JSON.stringify({ id: i, name: "x".repeat(2000 + i) + "😀".repeat(50) }),
            ).join("\n"),
        });
    });
    after(async () => server?.stop());
    const base = (b: string): SinkCheckOptions => ({
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
        assert.strictEqual(r.fallbackReason, "S3 Select is not available here (NotImplemented, HTTP 501)");
        assert.strictEqual(r.recordsReturned, 5);
        assert.ok(r.bytesRead <= 64 * 1024, `read ${r.bytesRead} bytes for 5 records`);
        assert.ok(r.bytesRead < r.objectSize);
    });

    it("evaluates WHERE, projections and LIMIT itself, over gzip too", async () => {
        const r = await verifySink({
            ...base("fallback-gzip"),
            keyFormat: GZIP,
            query: "SELECT s.after.CUST_ID AS id FROM s3object s WHERE s.after.CUST_ID > 100 AND s.op = 'r' LIMIT 2",
            minRecords: 2,
        });
        assert.strictEqual(r.method, "get");
        assert.deepStrictEqual(r.sample, [{ id: 101 }, { id: 102 }]);
    });

    it("counts every record with COUNT(*), and with COUNT(*) AS n", async () => {
        const r = await verifySink({ ...base("fallback-bucket"), query: "SELECT COUNT(*) FROM s3object s", minRecords: 200 });
        assert.strictEqual(r.recordsReturned, 200);
        assert.strictEqual(r.bytesRead, r.objectSize);
        const aliased = await verifySink({ ...base("fallback-bucket"), query: "SELECT COUNT(*) AS n FROM s3object s", minRecords: 200 });
        assert.deepStrictEqual(aliased.sample, [{ n: 200 }]);
    });

    it("returns no record for LIMIT 0 and reads nothing", async () => {
        const r = await verifySink({ ...base("fallback-bucket"), query: "SELECT * FROM s3object s LIMIT 0", minRecords: 0 });
        assert.strictEqual(r.recordsReturned, 0);
        assert.strictEqual(r.bytesRead, 0);
    });

    it("does not count null or scalar lines as records, as S3 Select does not", async () => {
        const r = await verifySink({ ...base("fallback-mixed"), query: "SELECT * FROM s3object s", minRecords: 3 });
        assert.strictEqual(r.method, "get");
        assert.strictEqual(r.recordsReturned, 3);
        assert.strictEqual(r.nonRecordLines, 3);
        const count = await verifySink({ ...base("fallback-mixed"), query: "SELECT COUNT(*) FROM s3object s", minRecords: 3 });
        assert.strictEqual(count.recordsReturned, 3);
    });

    it("compares integers beyond 2^53 exactly and keeps their digits in the sample", async () => {
        const all = await verifySink({ ...base("fallback-mixed"), query: "SELECT * FROM s3object s" });
        assert.deepStrictEqual(all.sample, [{ id: 1 }, '{"id":12345678901234567890}', { id: 3 }]);
        const query = (literal: string) => `SELECT s.id FROM s3object s WHERE s.id = ${literal}`;
        assert.strictEqual((await verifySink({ ...base("fallback-mixed"), query: query("12345678901234567890") })).recordsReturned, 1);
        const neighbour = await verifySink({ ...base("fallback-mixed"), query: query("12345678901234567891"), minRecords: 0 });
        assert.strictEqual(neighbour.recordsReturned, 0, "a double would round both to the same number");
    });

    it("uses three-valued logic: NOT of a comparison with a missing field is unknown, so the record does not pass", async () => {
        const r = await verifySink({
            ...base("fallback-mixed"),
            query: "SELECT * FROM s3object s WHERE NOT (s.missing = 1)",
            minRecords: 0,
        });
        assert.strictEqual(r.recordsReturned, 0);
        const known = await verifySink({
            ...base("fallback-mixed"),
            query: "SELECT * FROM s3object s WHERE NOT (s.id = 1)",
            minRecords: 2,
        });
        assert.strictEqual(known.recordsReturned, 2);
    });

    it("cuts samples over 2 KiB on a code point boundary", async () => {
        const r = await verifySink({ ...base("wide-records"), query: "SELECT * FROM s3object s" });
        assert.strictEqual(r.sample.length, 3);
        for (const s of r.sample) {
            assert.strictEqual(typeof s, "string");
            assert.ok(Buffer.byteLength(s as string) <= 2048);
            assert.ok(wellFormed(s as string), "half a surrogate pair");
        }
    });

    it("gives an invalid-gzip verdict naming a truncated object, and leaves no error event unhandled", async () => {
        await rejects(
            verifySink({ ...base("truncated-gzip"), keyFormat: GZIP, query: "SELECT COUNT(*) FROM s3object s" }),
            "invalid-gzip",
            /^s3:\/\/truncated-gzip\/topics\/salesdb\.salesdb\.CUSTOMER\/partition=0\/salesdb\.salesdb\.CUSTOMER\+0\+0000000000\.json\.gz ends in \.gz but is not valid gzip \(unexpected end of file/,
        );
        await settleEvents();
    });

    it("gives an invalid-gzip verdict, not a bad line, for corruption inside the stream", async () => {
        const e = await rejects(
            verifySink({ ...base("corrupt-gzip"), keyFormat: GZIP, query: "SELECT COUNT(*) FROM s3object s" }),
            "invalid-gzip",
            /corrupt-gzip\/.*\.json\.gz ends in \.gz but is not valid gzip/,
        );
        assert.doesNotMatch(e.message.split(";")[0], /is not a JSON value/);
        await settleEvents();
    });

    it("refuses when the method is select and S3 Select is unavailable", async () => {
        await rejects(
            verifySink({ ...base("fallback-bucket"), method: "select" }),
            "select-unavailable",
            /^SelectObjectContent on s3:\/\/fallback-bucket\/topics\/.*\+0000000000\.json: S3 Select is not available here \(NotImplemented, HTTP 501\); verifyMethod is "select"\. Use "auto" or "get"/,
        );
    });

    it("names refused credentials as a credentials failure, not a Select one", async () => {
        const stranger = makeClient("us-east-1", server.endpoint);
        stranger.config.credentials = async () => ({ accessKeyId: "NOT-S3RVER", secretAccessKey: "wrong" });
        await rejects(
            verifySink(base("fallback-bucket"), stranger),
            "credentials",
            /^ListObjectsV2 on s3:\/\/fallback-bucket\/topics\/.* was refused for its credentials: InvalidAccessKeyId/,
        );
    });
});

describe("S3 error explanations", () => {
    const call = { api: "GetObject" as const, bucket: "b-1", key: "topics/t/partition=0/x.json", region: "us-east-2" };
    it("names the call, the permission and the ARN on access denied", () => {
        const e = explainS3Error({ name: "AccessDenied", $metadata: { httpStatusCode: 403 } }, { ...call, api: "SelectObjectContent" });
        assert.strictEqual(e.kind, "access-denied");
        assert.match(
            e.message,
            /^SelectObjectContent on s3:\/\/b-1\/topics\/t\/partition=0\/x\.json was denied: .* needs s3:GetObject on arn:aws:s3:::b-1\/topics\/t\/partition=0\/x\.json/,
        );
        const l = explainS3Error(
            { name: "AccessDenied", $metadata: { httpStatusCode: 403 } },
            { ...call, api: "ListObjectsV2", key: "topics/t/" },
        );
        assert.match(l.message, /needs s3:ListBucket on arn:aws:s3:::b-1\./);
    });
    it("names the bucket's real region on a redirect", () => {
        const e = explainS3Error(
            {
                name: "PermanentRedirect",
                $metadata: { httpStatusCode: 301 },
                $response: { headers: { "x-amz-bucket-region": "eu-west-1" } },
            },
            call,
        );
        assert.strictEqual(e.kind, "wrong-region");
        assert.match(e.message, /not in us-east-2; it is in eu-west-1\. Fix: set aws:region/);
    });
    it("gives each call its own kind for other failures", () => {
        const err = { name: "InvalidArgument", $metadata: { httpStatusCode: 400 }, message: "bad" };
        assert.strictEqual(explainS3Error(err, { ...call, api: "ListObjectsV2" }).kind, "listing-failed");
        assert.strictEqual(explainS3Error(err, { ...call, api: "SelectObjectContent" }).kind, "select-failed");
        assert.strictEqual(
            explainS3Error(err, call).message,
            "GetObject on s3://b-1/topics/t/partition=0/x.json failed: InvalidArgument (HTTP 400): bad",
        );
        assert.strictEqual(
            explainS3Error({ name: "CredentialsProviderError", message: "Could not load credentials from any providers" }, call).kind,
            "credentials",
        );
    });
    it("recognises AWS's 405 and a server's 501 as S3 Select being unavailable, and nothing else", () => {
        assert.ok(isSelectUnavailable({ name: "MethodNotAllowed", $metadata: { httpStatusCode: 405 } }));
        assert.ok(isSelectUnavailable({ name: "NotImplemented", $metadata: { httpStatusCode: 501 } }));
        assert.ok(!isSelectUnavailable({ name: "AccessDenied", $metadata: { httpStatusCode: 403 } }));
    });
});
