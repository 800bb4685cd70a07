import * as assert from "assert";
import { S3Client } from "@aws-sdk/client-s3";
import { makeClient, SinkCheckOptions, verifySink } from "../../verification";
import { FaultProxy, FaultRule, sinkObjectBody, startFaultProxy, startSilentServer, useLocalCredentials } from "../../offline";
import { sinkObjectKey } from "../../sink";
import { LocalS3, startS3rver } from "../helpers";
import { bucketWith, PREFIX, rejects, TOPIC } from "./helpers";

const BUCKET = "faulty";
const KEY = sinkObjectKey(TOPIC, 0, 0);

describe("the sink check against a server that accepts connections and never answers", function () {
    this.timeout(20000);
    let silent: Awaited<ReturnType<typeof startSilentServer>>;
    before(async () => {
        useLocalCredentials();
        silent = await startSilentServer();
    });
    after(async () => silent?.stop());

    const silently = (o: Partial<SinkCheckOptions>): SinkCheckOptions => ({
        bucket: BUCKET,
        prefix: PREFIX,
        region: "us-east-1",
        endpoint: silent.endpoint,
        ...o,
    });

    it("times out at its deadline when a request gets no answer, naming the call that had not finished", async () => {
        await rejects(
            verifySink(silently({ timeoutSeconds: 1 })),
            "timeout",
            /^timed out after 1 s waiting for a sink object .* under s3:\/\/faulty\/topics\/salesdb\.salesdb\.CUSTOMER\/partition=0\/\. ListObjectsV2 on s3:\/\/faulty\/topics\/salesdb\.salesdb\.CUSTOMER\/partition=0\/ had not finished\.$/,
        );
    });

    it("retries a request that outlives its request time-out, and names that time-out as the last error", async () => {
        const before = silent.connections();
        await rejects(
            verifySink(silently({ timeoutSeconds: 2, requestTimeoutSeconds: 0.5 })),
            "timeout",
            /The last error was ListObjectsV2 on s3:\/\/faulty\/topics\/salesdb\.salesdb\.CUSTOMER\/partition=0\/: ETIMEDOUT: no answer within 500 ms \(the request time-out\)/,
        );
        assert.ok(silent.connections() - before >= 2, `${silent.connections() - before} connection(s): the request was not tried again`);
    });
});

describe("the sink check through a fault-injecting proxy (s3rver behind it)", function () {
    this.timeout(30000);
    let server: LocalS3;
    let client: S3Client;
    let proxy: FaultProxy | undefined;
    const through = async (rules: FaultRule[]): Promise<SinkCheckOptions> => {
        proxy = await startFaultProxy(server.endpoint, rules);
        return {
            bucket: BUCKET,
            prefix: PREFIX,
            region: "us-east-1",
            endpoint: proxy.endpoint,
            timeoutSeconds: 15,
            pollIntervalSeconds: 1,
        };
    };
    const faults = (): string[] => proxy!.seen.filter((s) => s.fault).map((s) => `${s.call}:${s.fault}`);
    before(async () => {
        server = await startS3rver();
        client = makeClient("us-east-1", server.endpoint);
        await bucketWith(client, BUCKET, { [KEY]: sinkObjectBody(1, 200) });
    });
    afterEach(async () => {
        await proxy?.stop();
        proxy = undefined;
    });
    after(async () => server?.stop());

    it("keeps listing through 503 SlowDown and connection resets until the listing answers", async () => {
        const progress: string[] = [];
        const o = await through([
            {
                call: "ListObjectsV2",
                fault: { kind: "error", status: 503, code: "SlowDown", message: "Please reduce your request rate." },
                times: 2,
            },
            { call: "ListObjectsV2", fault: { kind: "reset" }, times: 1 },
        ]);
        const r = await verifySink({ ...o, onProgress: (m) => progress.push(m) });
        assert.strictEqual(r.recordsReturned, 5);
        assert.deepStrictEqual(faults(), ["ListObjectsV2:error", "ListObjectsV2:error", "ListObjectsV2:reset"]);
        assert.match(
            progress[0],
            /^ListObjectsV2 on s3:\/\/faulty\/topics\/.*: SlowDown \(HTTP 503\): Please reduce your request rate\.; trying again in \d\.\d s/,
        );
        assert.ok(
            progress.some((m) => /ListObjectsV2 on .*: (ECONNRESET|socket hang up)/.test(m)),
            progress.join("\n"),
        );
    });

    it("times out naming the last error when the listing keeps failing", async () => {
        const o = await through([{ call: "ListObjectsV2", fault: { kind: "error", status: 503, code: "SlowDown" } }]);
        await rejects(
            verifySink({ ...o, timeoutSeconds: 1 }),
            "timeout",
            /^timed out after 1 s waiting for a sink object .*The last error was ListObjectsV2 on s3:\/\/faulty\/.*: SlowDown \(HTTP 503\)/,
        );
    });

    it("names a listing failure as a listing failure", async () => {
        const o = await through([
            {
                call: "ListObjectsV2",
                fault: { kind: "error", status: 400, code: "InvalidArgument", message: "Invalid continuation token" },
            },
        ]);
        await rejects(
            verifySink(o),
            "listing-failed",
            /^ListObjectsV2 on s3:\/\/faulty\/topics\/salesdb\.salesdb\.CUSTOMER\/partition=0\/ failed: InvalidArgument \(HTTP 400\): Invalid continuation token$/,
        );
    });

    it("names a denied S3 Select as SelectObjectContent needing s3:GetObject on the object", async () => {
        const o = await through([{ call: "SelectObjectContent", fault: { kind: "error", status: 403, code: "AccessDenied" } }]);
        await rejects(
            verifySink(o),
            "access-denied",
            /^SelectObjectContent on s3:\/\/faulty\/topics\/.*\+0000000000\.json was denied: .* needs s3:GetObject on arn:aws:s3:::faulty\/topics\//,
        );
    });

    it("falls back to GetObject when S3 Select refuses a record over 1 MiB (OverMaxRecordSize), as an error or inside the stream", async () => {
        for (const fault of [
            {
                kind: "error" as const,
                status: 400,
                code: "OverMaxRecordSize",
                message: "The character number in one record is more than our max threshold",
            },
            {
                kind: "select-error-event" as const,
                code: "OverMaxRecordSize",
                message: "The character number in one record is more than our max threshold",
            },
        ]) {
            const o = await through([{ call: "SelectObjectContent", fault }]);
            const r = await verifySink(o);
            assert.strictEqual(r.method, "get");
            assert.strictEqual(r.fallbackReason, "S3 Select refused a record over its 1 MiB limit (OverMaxRecordSize)");
            assert.strictEqual(r.recordsReturned, 5);
            await proxy!.stop();
            proxy = undefined;
        }
    });

    it("fails OverMaxRecordSize as a Select failure when the method is select", async () => {
        const o = await through([{ call: "SelectObjectContent", fault: { kind: "error", status: 400, code: "OverMaxRecordSize" } }]);
        await rejects(
            verifySink({ ...o, method: "select" }),
            "select-failed",
            /^SelectObjectContent on .*: S3 Select refused a record over its 1 MiB limit \(OverMaxRecordSize\)\. Use the method "auto" or "get"/,
        );
    });

    it("retries S3 Select on 5xx, then falls back to GetObject saying why", async () => {
        const o = await through([
            {
                call: "SelectObjectContent",
                fault: { kind: "error", status: 500, code: "InternalError", message: "We encountered an internal error." },
            },
        ]);
        const r = await verifySink(o);
        assert.strictEqual(r.method, "get");
        assert.strictEqual(
            r.fallbackReason,
            "S3 Select failed 3 times (last: InternalError (HTTP 500): We encountered an internal error.)",
        );
        assert.deepStrictEqual(faults(), Array(3).fill("SelectObjectContent:error"));
    });

    it('reads the count of COUNT(*) AS n from S3 Select\'s {"n": …} answer', async () => {
        const o = await through([{ call: "SelectObjectContent", fault: { kind: "select-answer", records: '{"n":200}\n' } }]);
        const r = await verifySink({ ...o, query: "SELECT COUNT(*) AS n FROM s3object s", minRecords: 200 });
        assert.strictEqual(r.method, "select");
        assert.strictEqual(r.recordsReturned, 200);
        assert.deepStrictEqual(r.sample, [{ n: 200 }]);
    });

    it("uses S3 Select once a 503 has passed", async () => {
        const o = await through([{ call: "SelectObjectContent", fault: { kind: "error", status: 503, code: "SlowDown" }, times: 1 }]);
        const r = await verifySink(o);
        assert.strictEqual(r.fallbackReason, "S3 Select is not available here (NotImplemented, HTTP 501)", "the second try reached s3rver");
        assert.deepStrictEqual(faults(), ["SelectObjectContent:error"]);
    });

    it("lists again when the object vanishes between the listing and the read", async () => {
        const progress: string[] = [];
        const o = await through([{ call: "GetObject", fault: { kind: "error", status: 404, code: "NoSuchKey" }, times: 1 }]);
        const r = await verifySink({ ...o, method: "get", onProgress: (m) => progress.push(m) });
        assert.strictEqual(r.recordsReturned, 5);
        assert.strictEqual(r.listings, 2);
        assert.ok(
            progress.some((m) =>
                /^GetObject on s3:\/\/faulty\/.*: NoSuchKey \(the object vanished after it was listed\); listing again$/.test(m),
            ),
            progress.join("\n"),
        );
    });

    it("resumes a read that falls silent in the middle of the body, after its request time-out", async () => {
        const o = await through([{ call: "GetObject", fault: { kind: "stall-after", bytes: 1000 }, times: 1 }]);
        const r = await verifySink({
            ...o,
            method: "get",
            requestTimeoutSeconds: 1,
            query: "SELECT COUNT(*) FROM s3object s",
            minRecords: 200,
        });
        assert.strictEqual(r.recordsReturned, 200);
        assert.strictEqual(r.bytesRead, r.objectSize, "resumed where it stopped: no byte read twice");
        assert.deepStrictEqual(faults(), ["GetObject:stall-after"]);
    });
});
