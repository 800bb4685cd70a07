import * as assert from "assert";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { LocalKafkaConnectApi, sinkObjectBody, startKafkaConnectApi } from "../../offline";
import { sinkObjectKey } from "../../sink";
import {
    BaselineRecorder,
    configurationTookEffect,
    ConnectorHealthResult,
    isFresh,
    ListedSinkObject,
    makeClient,
    proveSinkWorks,
    verifySink,
    VerificationError,
    wasThereBefore,
} from "../../verification";
import { LocalS3, startMoto } from "../helpers";

const TOPIC = "salesdb.salesdb.CUSTOMER";
const PREFIX = `topics/${TOPIC}/partition=0/`;
const CONFIG = { "connector.class": "io.confluent.connect.s3.S3SinkConnector", topics: TOPIC, "flush.size": "200" };

const obj = (offset: number, lastModified?: string, partition = 0): ListedSinkObject => ({
    key: sinkObjectKey(TOPIC, partition, offset),
    topic: TOPIC,
    partition,
    startOffset: BigInt(offset),
    ...(lastModified ? { lastModified } : {}),
});

/** A whole second after now, as S3 keeps write times: objects written from then on are "after". */
async function nextSecond(): Promise<string> {
    const at = Math.ceil((Date.now() + 1) / 1000) * 1000;
    await new Promise((r) => setTimeout(r, at - Date.now() + 20));
    return new Date(at).toISOString();
}

describe("fresh data: the rule", () => {
    it("records the highest start offset per partition, compared as numbers, and the newest write", () => {
        const r = new BaselineRecorder();
        for (const o of [
            obj(200, "2026-01-01T00:00:01.000Z"),
            obj(9_999_999_999_800, "2026-01-01T00:00:03.000Z"),
            obj(0, "2026-01-01T00:00:02.000Z"),
            obj(5, undefined, 1),
        ])
            r.add(o);
        const b = r.baseline();
        assert.deepStrictEqual(b.offsets, { [`${TOPIC}+0`]: "9999999999800", [`${TOPIC}+1`]: "5" });
        assert.strictEqual(b.latestModified, "2026-01-01T00:00:03.000Z");
        assert.strictEqual(b.objects, 4);
    });

    it("without the connector's moment, counts only objects beyond the baseline or rewritten since", () => {
        const r = new BaselineRecorder();
        r.add(obj(200, "2026-01-01T00:00:05.000Z"));
        const b = r.baseline();
        assert.strictEqual(isFresh(obj(200, "2026-01-01T00:00:05.000Z"), {}, b), false, "the object already there");
        assert.strictEqual(isFresh(obj(0, "2026-01-01T00:00:04.000Z"), {}, b), false, "a lower offset written before");
        assert.strictEqual(isFresh(obj(400, "2026-01-01T00:00:04.000Z"), {}, b), true, "a higher offset");
        assert.strictEqual(
            isFresh(obj(0, "2026-01-01T00:00:09.000Z"), {}, b),
            true,
            "rewritten since (a new consumer group re-reading the topic)",
        );
        assert.strictEqual(isFresh(obj(7, undefined, 3), {}, b), true, "a partition the baseline did not have");
    });

    it("with the moment the configuration took effect, counts what was written since, whatever its offset", () => {
        const rule = { writtenAfter: "2026-01-01T00:00:10.400Z" };
        const empty = new BaselineRecorder().baseline();
        assert.strictEqual(isFresh(obj(0, "2026-01-01T00:00:10.000Z"), rule, empty), true, "S3 keeps whole seconds");
        assert.strictEqual(isFresh(obj(0, "2026-01-01T00:00:09.000Z"), rule, empty), false);
        assert.strictEqual(isFresh(obj(0), rule, empty), false, "an unknown write time is not fresh");
        assert.strictEqual(wasThereBefore(obj(0, "2026-01-01T00:00:09.000Z"), rule), true);
        assert.strictEqual(wasThereBefore(obj(0, "2026-01-01T00:00:11.000Z"), rule), false);
    });

    it("takes the later of the connector's creation and the end of its newest update as the moment", () => {
        const base = { createdAt: "2026-01-01T00:00:00.000Z", operation: null } as unknown as ConnectorHealthResult;
        assert.strictEqual(configurationTookEffect(base), "2026-01-01T00:00:00.000Z");
        const updated = {
            ...base,
            operation: {
                arn: "a",
                type: "UPDATE_CONNECTOR_CONFIGURATION",
                state: "UPDATE_COMPLETE",
                creationTime: "2026-02-01T00:00:00.000Z",
                endTime: "2026-02-01T00:05:00.000Z",
            },
        };
        assert.strictEqual(configurationTookEffect(updated), "2026-02-01T00:05:00.000Z");
    });
});

describe("fresh data against moto's S3 and a local MSK Connect API", function () {
    this.timeout(30000);
    let server: LocalS3;
    let client: S3Client;
    let api: LocalKafkaConnectApi;
    let n = 0;
    const newBucket = async (): Promise<string> => {
        const b = `fresh-${++n}`;
        await client.send(new CreateBucketCommand({ Bucket: b }));
        return b;
    };
    const put = (b: string, offset: number) =>
        client.send(new PutObjectCommand({ Bucket: b, Key: sinkObjectKey(TOPIC, 0, offset), Body: sinkObjectBody(offset + 1, 5) }));
    const base = (b: string) => ({ bucket: b, prefix: PREFIX, region: "us-east-1", endpoint: server.endpoint, pollIntervalSeconds: 0.2 });

    before(async () => {
        server = await startMoto();
        client = makeClient("us-east-1", server.endpoint);
        api = await startKafkaConnectApi({ region: "us-east-1" });
    });
    after(async () => {
        client?.destroy();
        await api?.stop();
        await server?.stop();
    });

    it("is not verified when the prefix holds only objects an older connector wrote, and says the mode and the baseline", async () => {
        const b = await newBucket();
        await put(b, 0);
        await put(b, 200);
        const writtenAfter = await nextSecond();
        await assert.rejects(verifySink({ ...base(b), timeoutSeconds: 1.5, fresh: { writtenAfter } }), (e: unknown) => {
            assert.ok(e instanceof VerificationError);
            assert.strictEqual(e.kind, "timeout");
            assert.match(e.message, /waiting for a new sink object/);
            assert.match(e.message, /2 older sink object\(s\) there do not count/);
            assert.match(e.message, new RegExp(`fresh data \\(an object written at or after ${writtenAfter.replace(/[.]/g, "\\.")}`));
            assert.match(
                e.message,
                new RegExp(`the prefix held 2 sink object\\(s\\) before \\(${TOPIC.replace(/[.]/g, "\\.")}\\+0 up to offset 200;`),
            );
            assert.match(e.message, /set msk-s3-sink:verifyFreshData to false/);
            return true;
        });
        const old = await verifySink({ ...base(b), timeoutSeconds: 5 });
        assert.deepStrictEqual(old.freshness, { mode: "existing" }, "without the rule the old objects pass, and the result says so");
    });

    it("is verified on the object that lands while it waits, not on the older ones", async () => {
        const b = await newBucket();
        await put(b, 0);
        const writtenAfter = await nextSecond();
        const landing = new Promise<void>((resolve) => setTimeout(() => void put(b, 200).then(() => resolve()), 600));
        const r = await verifySink({ ...base(b), timeoutSeconds: 10, fresh: { writtenAfter } });
        await landing;
        assert.strictEqual(r.objectKey, sinkObjectKey(TOPIC, 0, 200));
        assert.strictEqual(r.freshness.mode, "fresh");
        assert.strictEqual(r.freshness.writtenAfter, writtenAfter);
        assert.deepStrictEqual(r.freshness.baseline?.offsets, { [`${TOPIC}+0`]: "0" });
        assert.ok(r.objectLastModified! >= writtenAfter.slice(0, 19));
    });

    it("without the connector's moment, records the baseline first and passes on an object beyond it", async () => {
        const b = await newBucket();
        await put(b, 400);
        const landing = new Promise<void>((resolve) => setTimeout(() => void put(b, 600).then(() => resolve()), 700));
        const r = await verifySink({ ...base(b), timeoutSeconds: 10, fresh: {} });
        await landing;
        assert.strictEqual(r.objectKey, sinkObjectKey(TOPIC, 0, 600));
        assert.deepStrictEqual(r.freshness.baseline?.offsets, { [`${TOPIC}+0`]: "400" });
    });

    it("checks the connector first and then only what it wrote since it was created", async () => {
        const b = await newBucket();
        await put(b, 0); // the lab done by hand, before this connector
        const createdAt = await nextSecond();
        const arn = api.addConnector({ connectorName: `sink-${n}`, connectorConfiguration: CONFIG, creationTime: createdAt });
        await put(b, 200);
        const r = await proveSinkWorks({
            ...base(b),
            timeoutSeconds: 10,
            connector: arn,
            kafkaConnectEndpoint: api.endpoint,
            expectedConfiguration: CONFIG,
            freshData: true,
        });
        assert.strictEqual(r.connector?.state, "RUNNING");
        assert.strictEqual(r.data.objectKey, sinkObjectKey(TOPIC, 0, 200));
        assert.strictEqual(r.data.freshness.writtenAfter, createdAt);
    });

    it("does not look at the data when the connector's newest update was rolled back", async () => {
        const b = await newBucket();
        await put(b, 0);
        const arn = api.addConnector({
            connectorName: `sink-${n}`,
            connectorConfiguration: CONFIG,
            operations: [
                {
                    states: ["ROLLBACK_COMPLETE"],
                    creationTime: "2026-01-02T00:00:00.000Z",
                    endTime: "2026-01-02T00:10:00.000Z",
                    errorInfo: { code: "HealthCheckFailed", message: "the workers did not start" },
                },
            ],
        });
        await assert.rejects(
            proveSinkWorks({
                ...base(b),
                timeoutSeconds: 5,
                connector: arn,
                kafkaConnectEndpoint: api.endpoint,
                expectedConfiguration: CONFIG,
                freshData: true,
            }),
            (e: Error & { kind?: string }) => {
                assert.strictEqual(e.kind, "update-rolled-back");
                assert.match(e.message, /HealthCheckFailed/);
                assert.match(e.message, /the workers did not start/);
                return true;
            },
        );
    });
});
