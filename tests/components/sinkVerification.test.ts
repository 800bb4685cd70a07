import * as assert from "assert";
import { createRequire } from "module";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { CreateBucketCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { sinkVerificationProvider, VerificationInputs } from "../../components";
import { makeClient } from "../../verification";
import { LocalKafkaConnectApi, sinkObjectBody, startKafkaConnectApi } from "../../offline";
import { sinkObjectKey } from "../../sink";
import { LocalS3, ROOT, startMoto, startS3rver } from "../helpers";

const inputs = (over: Partial<VerificationInputs> = {}): VerificationInputs => ({
    bucket: "verified-bucket",
    region: "us-east-1",
    prefix: "topics/salesdb.salesdb.CUSTOMER/partition=0/",
    query: "SELECT * FROM s3object s LIMIT 5",
    minRecords: 1,
    method: "auto",
    timeoutSeconds: 5,
    pollIntervalSeconds: 1,
    trigger: "arn:aws:kafkaconnect:us-east-1:111122223333:connector/c/1#abc",
    ...over,
});

/** The provider's serialized text (what goes into the state), made once: serializing takes about a second. */
let serialized: Promise<pulumi.runtime.SerializedFunction> | undefined;
const serializedProvider = () => (serialized ??= pulumi.runtime.serializeFunction(() => sinkVerificationProvider));

/** The provider as the dynamic provider host revives it from its serialized text. */
async function revivedProvider(): Promise<typeof sinkVerificationProvider> {
    const fn = await serializedProvider();
    const mod: { exports: Record<string, () => typeof sinkVerificationProvider> } = { exports: {} };
    const hostRequire = createRequire(path.join(ROOT, "node_modules", "@pulumi", "pulumi", "cmd", "dynamic-provider", "index.js"));
    new Function("module", "exports", "require", fn.text)(mod, mod.exports, hostRequire);
    return mod.exports[fn.exportName]();
}

describe("SinkVerification dynamic provider", function () {
    this.timeout(30000);
    let server: LocalS3;
    before(async () => {
        server = await startMoto();
        const client = makeClient("us-east-1", server.endpoint);
        await client.send(new CreateBucketCommand({ Bucket: "verified-bucket" }));
        await client.send(
            new PutObjectCommand({
                Bucket: "verified-bucket",
                Key: sinkObjectKey("salesdb.salesdb.CUSTOMER", 0, 0),
                Body: sinkObjectBody(1, 200),
            }),
        );
    });
    after(async () => server?.stop());

    it("create verifies against a real S3 API and returns plain outputs", async () => {
        const res = await sinkVerificationProvider.create!(inputs({ endpoint: server.endpoint }));
        assert.strictEqual(res.id, "s3://verified-bucket/topics/salesdb.salesdb.CUSTOMER/partition=0/");
        assert.strictEqual(res.outs!.objectKey, "topics/salesdb.salesdb.CUSTOMER/partition=0/salesdb.salesdb.CUSTOMER+0+0000000000.json");
        assert.strictEqual(res.outs!.recordsReturned, 5);
        assert.strictEqual(res.outs!.methodUsed, "select");
        assert.ok(!Number.isNaN(Date.parse(res.outs!.verifiedAt)));
        const text = JSON.stringify(res.outs!);
        for (const secret of [process.env.AWS_ACCESS_KEY_ID!, process.env.AWS_SECRET_ACCESS_KEY!]) {
            assert.strictEqual(text.includes(secret), false, "outputs must not hold credentials");
        }
    });

    it("update verifies again and returns fresh outputs", async () => {
        const res = await sinkVerificationProvider.update!(
            "id",
            inputs({ endpoint: server.endpoint }) as never,
            inputs({ endpoint: server.endpoint, query: "SELECT s.after.CUST_ID FROM s3object s" }),
        );
        assert.strictEqual(res.outs!.recordsReturned, 200);
        assert.deepStrictEqual(res.outs!.sample, [{ CUST_ID: 1 }, { CUST_ID: 2 }, { CUST_ID: 3 }]);
    });

    it("create fails with the check's message when nothing lands", async () => {
        await assert.rejects(
            sinkVerificationProvider.create!(inputs({ endpoint: server.endpoint, prefix: "topics/other/partition=0/", timeoutSeconds: 1 })),
            /timed out after 1 s waiting for a sink object \(<topic>\+<partition>\+<offset>\.json\) under s3:\/\/verified-bucket\/topics\/other\/partition=0\/: none in 1 listing/,
        );
    });

    it("diff is quiet when nothing that matters changed, and verifies again on a new connector or configuration", async () => {
        const olds = {
            ...inputs(),
            objectKey: "k",
            objectSize: 1,
            objectStartOffset: "0",
            skippedKeys: 0,
            recordsReturned: 5,
            sample: [],
            methodUsed: "select" as const,
            bytesScanned: 1,
            bytesRead: 1,
            verifiedAt: "t",
            connectorState: "RUNNING",
            operationChecked: null,
            configurationCheck: "matched",
            freshness: { mode: "existing" as const },
        };
        assert.strictEqual((await sinkVerificationProvider.diff!("id", olds, inputs())).changes, false);
        // State from before the connector check existed: the new inputs alone do not verify again.
        const withHealth = inputs({
            connectorArn: "arn:aws:kafkaconnect:us-east-1:111122223333:connector/c/1",
            connectorUrn: "urn:pulumi:dev::msk-s3-sink::x::y",
            expectedConfiguration: { "flush.size": "200" },
            freshData: true,
            profile: "lab",
        });
        assert.strictEqual((await sinkVerificationProvider.diff!("id", olds, withHealth)).changes, false);
        assert.strictEqual(
            (await sinkVerificationProvider.diff!("id", olds, inputs({ timeoutSeconds: 600, pollIntervalSeconds: 30 }))).changes,
            false,
        );
        assert.strictEqual((await sinkVerificationProvider.diff!("id", olds, inputs({ trigger: "arn:new#def" }))).changes, true);
        assert.strictEqual(
            (await sinkVerificationProvider.diff!("id", olds, inputs({ query: "SELECT COUNT(*) FROM s3object s" }))).changes,
            true,
        );
        assert.deepStrictEqual((await sinkVerificationProvider.diff!("id", olds, inputs({ trigger: "x" }))).replaces, []);
        // State from before the key-format inputs existed: the sink's defaults are no change; gzip is.
        const current = inputs({ directoryDelim: "/", fileDelim: "+", extension: ".json" });
        assert.strictEqual((await sinkVerificationProvider.diff!("id", olds, current)).changes, false);
        assert.strictEqual((await sinkVerificationProvider.diff!("id", olds, { ...current, extension: ".json.gz" })).changes, true);
    });

    it("check rejects bad inputs by property", async () => {
        const res = await sinkVerificationProvider.check!({} as never, inputs({ prefix: "/abs", method: "athena" as never }));
        assert.deepStrictEqual(res.failures!.map((f) => f.property).sort(), ["method", "prefix"]);
    });

    it("check fails on a prefix without its trailing delimiter, a fractional record count, a query outside the subset and an unknown extension", async () => {
        const res = await sinkVerificationProvider.check!(
            {} as never,
            inputs({
                prefix: "topics/t/partition=1",
                minRecords: 1.5,
                query: "SELECT UPPER(s.op) FROM s3object s",
                extension: ".avro" as never,
            }),
        );
        assert.deepStrictEqual(
            res.failures!.map((f) => f.property),
            ["prefix", "query", "minRecords", "extension"],
        );
        assert.match(res.failures![0].reason, /^prefix must end with "\/"/);
        assert.match(res.failures![1].reason, /UPPER\(…\) is not supported/);
        assert.deepStrictEqual(
            (await sinkVerificationProvider.check!({} as never, inputs({ query: "SELECT UPPER(s.op) FROM s3object s", method: "select" })))
                .failures,
            [],
        );
    });

    it("delete is a no-op", async () => {
        await sinkVerificationProvider.delete!("id", {} as never);
    });

    it("serializes without capturing a client, credentials or config", async () => {
        process.env.AWS_SECRET_ACCESS_KEY = "serialization-canary-secret";
        const fn = await serializedProvider();
        assert.ok(fn.text.length > 1000, "the provider's code is in the text");
        assert.ok(fn.text.includes("SelectObjectContentCommand"));
        assert.strictEqual(fn.text.includes("serialization-canary-secret"), false);
        assert.strictEqual(fn.text.includes(process.env.AWS_ACCESS_KEY_ID!), false);
        assert.doesNotMatch(fn.text, /new S3Client\(\{[^}]*credentials/);
        assert.doesNotMatch(fn.text, /allConfig|PULUMI_CONFIG/);
        assert.match(fn.text, /require\("@aws-sdk\/client-s3"\)/);
    });

    it("runs from its serialized text, as the dynamic provider host would, against a real S3 API", async () => {
        const revived = await revivedProvider();
        const res = await revived.create!(inputs({ endpoint: server.endpoint }));
        assert.strictEqual(res.outs!.recordsReturned, 5);
        assert.strictEqual(res.outs!.objectKey, "topics/salesdb.salesdb.CUSTOMER/partition=0/salesdb.salesdb.CUSTOMER+0+0000000000.json");
    });

    it("runs the GetObject fallback's SQL from its serialized text too (gzip, WHERE with NOT and IS MISSING, skipped keys)", async () => {
        const s3rver = await startS3rver();
        try {
            const client = makeClient("us-east-1", s3rver.endpoint);
            await client.send(new CreateBucketCommand({ Bucket: "serialized-fallback" }));
            for (const [key, body] of [
                ["topics/salesdb.salesdb.CUSTOMER/partition=0/_SUCCESS", ""],
                [sinkObjectKey("salesdb.salesdb.CUSTOMER", 0, 0, true), sinkObjectBody(1, 50, true)],
            ] as const) {
                await client.send(new PutObjectCommand({ Bucket: "serialized-fallback", Key: key, Body: Buffer.from(body) }));
            }
            const revived = await revivedProvider();
            const res = await revived.create!(
                inputs({
                    bucket: "serialized-fallback",
                    endpoint: s3rver.endpoint,
                    extension: ".json.gz",
                    query: "SELECT s.after.CUST_ID AS id FROM s3object s WHERE NOT (s.after.CUST_ID <= 47) AND s.nothing IS MISSING",
                    minRecords: 3,
                }),
            );
            assert.strictEqual(res.outs!.methodUsed, "get");
            assert.strictEqual(res.outs!.recordsReturned, 3);
            assert.deepStrictEqual(res.outs!.sample, [{ id: 48 }, { id: 49 }, { id: 50 }]);
            assert.strictEqual(res.outs!.skippedKeys, 1);
        } finally {
            await s3rver.stop();
        }
    });

    describe("with the connector's health (a local MSK Connect API)", () => {
        let api: LocalKafkaConnectApi;
        const CONFIG = { "connector.class": "io.confluent.connect.s3.S3SinkConnector", topics: "salesdb.salesdb.CUSTOMER" };
        const URN =
            "urn:pulumi:dev::msk-s3-sink::msk-s3-sink:connector:S3SinkConnector$aws:mskconnect/connector:Connector::s3-sink-connector";
        before(async () => {
            api = await startKafkaConnectApi({ region: "us-east-1" });
        });
        after(async () => api?.stop());

        it("checks the connector, then the data, and reports the connector's state, the update checked and the freshness", async () => {
            const arn = api.addConnector({
                connectorName: "ok-connector",
                connectorConfiguration: CONFIG,
                operations: [
                    { states: ["UPDATE_COMPLETE"], creationTime: "2025-02-01T00:00:00.000Z", endTime: "2025-02-01T00:04:00.000Z" },
                ],
            });
            const res = await (
                await revivedProvider()
            ).create!(
                inputs({
                    endpoint: server.endpoint,
                    connectorArn: arn,
                    kafkaConnectEndpoint: api.endpoint,
                    expectedConfiguration: CONFIG,
                    freshData: true,
                    pollIntervalSeconds: 0.2,
                }),
            );
            const outs = res.outs!;
            assert.strictEqual(outs.connectorState, "RUNNING");
            assert.strictEqual(outs.configurationCheck, "matched");
            assert.deepStrictEqual(outs.operationChecked, {
                arn: api.operationArn(arn, 0),
                type: "UPDATE_CONNECTOR_CONFIGURATION",
                state: "UPDATE_COMPLETE",
                endTime: "2025-02-01T00:04:00.000Z",
            });
            assert.strictEqual(outs.freshness.mode, "fresh");
            assert.strictEqual(outs.freshness.writtenAfter, "2025-02-01T00:04:00.000Z", "the update ended after the connector was created");
            assert.strictEqual(outs.objectKey, "topics/salesdb.salesdb.CUSTOMER/partition=0/salesdb.salesdb.CUSTOMER+0+0000000000.json");
        });

        it("fails pulumi up with AWS's own reason and the replace command when the connector is FAILED, from its serialized text", async () => {
            const arn = api.addConnector({
                connectorName: "failed-connector",
                connectorConfiguration: CONFIG,
                states: [
                    {
                        connectorState: "FAILED",
                        stateDescription: {
                            code: "InvalidInput.InvalidConnectorConfiguration",
                            message: "The connector configuration is invalid.",
                        },
                    },
                ],
            });
            await assert.rejects(
                (await revivedProvider()).create!(
                    inputs({
                        endpoint: server.endpoint,
                        connectorArn: arn,
                        connectorUrn: URN,
                        kafkaConnectEndpoint: api.endpoint,
                        expectedConfiguration: CONFIG,
                    }),
                ),
                (e: Error) => {
                    assert.match(e.message, /InvalidInput\.InvalidConnectorConfiguration/);
                    assert.match(e.message, /The connector configuration is invalid\./);
                    assert.ok(e.message.includes(`pulumi up --replace '${URN}'`), e.message);
                    return true;
                },
            );
        });

        it("fails with a key-by-key diff when the live configuration is not the one asked for", async () => {
            const arn = api.addConnector({ connectorName: "drifted", connectorConfiguration: { ...CONFIG, "flush.size": "100" } });
            await assert.rejects(
                sinkVerificationProvider.create!(
                    inputs({
                        endpoint: server.endpoint,
                        connectorArn: arn,
                        kafkaConnectEndpoint: api.endpoint,
                        expectedConfiguration: { ...CONFIG, "flush.size": "200" },
                    }),
                ),
                /flush\.size/,
            );
        });

        it("carries a failed sink check's message through its serialized text", async () => {
            await assert.rejects(
                (await revivedProvider()).create!(
                    inputs({ endpoint: server.endpoint, prefix: "topics/none/partition=0/", timeoutSeconds: 1 }),
                ),
                (e: Error) => {
                    assert.match(e.message, /^timed out after 1 s waiting for a sink object/);
                    return true;
                },
            );
        });
    });
});
