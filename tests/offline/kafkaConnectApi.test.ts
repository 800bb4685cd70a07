import * as assert from "assert";
import * as http from "http";
import {
    DescribeConnectorCommand,
    DescribeConnectorOperationCommand,
    KafkaConnectClient,
    ListConnectorOperationsCommand,
    ListConnectorsCommand,
    NotFoundException,
    ServiceUnavailableException,
    TooManyRequestsException,
    BadRequestException,
} from "@aws-sdk/client-kafkaconnect";
import { LocalKafkaConnectApi, startKafkaConnectApi, useLocalCredentials } from "../../offline";

describe("the local MSK Connect API, driven by the real SDK client", function () {
    this.timeout(20000);
    let api: LocalKafkaConnectApi;
    let client: KafkaConnectClient;

    before(async () => {
        useLocalCredentials();
        api = await startKafkaConnectApi({ region: "eu-west-1", pageSize: 2 });
        client = new KafkaConnectClient({ region: "eu-west-1", endpoint: api.endpoint, maxAttempts: 1 });
    });
    afterEach(() => api.clearFaults());
    after(async () => {
        client?.destroy();
        await api?.stop();
    });

    it("answers DescribeConnector in the model's shapes, the ARN passed as an encoded path label", async () => {
        const arn = api.addConnector({
            connectorName: "shape-sink",
            connectorConfiguration: { "flush.size": "100" },
            logGroup: "/msk/shape",
            creationTime: "2025-06-01T12:00:00Z",
            states: [{ connectorState: "FAILED", stateDescription: { code: "Code1", message: "Message 1" } }],
        });
        assert.match(arn, /^arn:aws:kafkaconnect:eu-west-1:111122223333:connector\/shape-sink\/[0-9a-f-]{36}$/);
        const d = await client.send(new DescribeConnectorCommand({ connectorArn: arn }));
        assert.strictEqual(d.connectorArn, arn);
        assert.strictEqual(d.connectorName, "shape-sink");
        assert.strictEqual(d.connectorState, "FAILED");
        assert.deepStrictEqual(d.stateDescription, { code: "Code1", message: "Message 1" });
        assert.deepStrictEqual(d.connectorConfiguration, { "flush.size": "100" });
        assert.ok(d.creationTime instanceof Date, "timestamps parse as dates");
        assert.strictEqual(d.creationTime.toISOString(), "2025-06-01T12:00:00.000Z");
        assert.deepStrictEqual(d.logDelivery?.workerLogDelivery?.cloudWatchLogs, { enabled: true, logGroup: "/msk/shape" });
        assert.strictEqual(d.kafkaClusterClientAuthentication?.authenticationType, "IAM");
        const call = api.calls[api.calls.length - 1];
        assert.strictEqual(call.path, `/v1/connectors/${encodeURIComponent(arn)}`);
        assert.strictEqual(call.region, "eu-west-1", "the SigV4 scope names the client's region");
    });

    it("plays a connector's and an operation's scripted states in turn, the last one staying", async () => {
        const arn = api.addConnector({
            connectorName: "script-sink",
            connectorConfiguration: { a: "1" },
            states: [{ connectorState: "CREATING" }, { connectorState: "RUNNING", connectorConfiguration: { a: "2" } }],
            operations: [
                {
                    states: ["UPDATE_IN_PROGRESS", "ROLLBACK_COMPLETE"],
                    creationTime: "2025-01-02T00:00:00Z",
                    errorInfo: { code: "E", message: "M" },
                    operationSteps: [{ stepType: "VALIDATE_UPDATE", stepState: "FAILED" }],
                    originConnectorConfiguration: { a: "1" },
                    targetConnectorConfiguration: { a: "2" },
                },
            ],
        });
        const states = [];
        for (let i = 0; i < 3; i++) states.push((await client.send(new DescribeConnectorCommand({ connectorArn: arn }))).connectorState);
        assert.deepStrictEqual(states, ["CREATING", "RUNNING", "RUNNING"]);
        const opArn = api.operationArn(arn, 0);
        const first = await client.send(new DescribeConnectorOperationCommand({ connectorOperationArn: opArn }));
        assert.strictEqual(first.connectorOperationState, "UPDATE_IN_PROGRESS");
        const second = await client.send(new DescribeConnectorOperationCommand({ connectorOperationArn: opArn }));
        assert.strictEqual(second.connectorOperationState, "ROLLBACK_COMPLETE");
        assert.strictEqual(second.connectorArn, arn);
        assert.strictEqual(second.connectorOperationType, "UPDATE_CONNECTOR_CONFIGURATION");
        assert.deepStrictEqual(second.errorInfo, { code: "E", message: "M" });
        assert.deepStrictEqual(second.operationSteps, [{ stepType: "VALIDATE_UPDATE", stepState: "FAILED" }]);
        assert.deepStrictEqual(second.targetConnectorConfiguration, { a: "2" });
        const listed = await client.send(new ListConnectorOperationsCommand({ connectorArn: arn }));
        assert.deepStrictEqual(
            listed.connectorOperations?.map((o) => [o.connectorOperationArn, o.connectorOperationState, o.creationTime?.toISOString()]),
            [[opArn, "ROLLBACK_COMPLETE", "2025-01-02T00:00:00.000Z"]],
        );
    });

    it("pages ListConnectors by name prefix with nextToken, and refuses maxResults out of range", async () => {
        for (const name of ["page-a", "page-b", "page-c", "other"]) api.addConnector({ connectorName: name, connectorConfiguration: {} });
        const first = await client.send(new ListConnectorsCommand({ connectorNamePrefix: "page-" }));
        assert.deepStrictEqual(
            first.connectors?.map((c) => c.connectorName),
            ["page-a", "page-b"],
        );
        assert.ok(first.nextToken);
        const second = await client.send(new ListConnectorsCommand({ connectorNamePrefix: "page-", nextToken: first.nextToken }));
        assert.deepStrictEqual(
            second.connectors?.map((c) => c.connectorName),
            ["page-c"],
        );
        assert.strictEqual(second.nextToken, undefined);
        await assert.rejects(client.send(new ListConnectorsCommand({ maxResults: 101 })), BadRequestException);
    });

    it("answers errors as the model's exceptions: 404 NotFound, injected 429 and 503", async () => {
        await assert.rejects(
            client.send(new DescribeConnectorCommand({ connectorArn: "arn:aws:kafkaconnect:eu-west-1:111122223333:connector/x/y" })),
            (e) => {
                assert.ok(e instanceof NotFoundException);
                assert.strictEqual(e.$metadata.httpStatusCode, 404);
                assert.match(e.message, /connector arn:aws:kafkaconnect:eu-west-1:111122223333:connector\/x\/y not found/);
                return true;
            },
        );
        api.injectFault({ fault: 429, times: 1, operation: "ListConnectors" });
        api.injectFault({ fault: 503, times: 1 });
        await assert.rejects(client.send(new ListConnectorsCommand({})), TooManyRequestsException);
        await assert.rejects(client.send(new ListConnectorsCommand({})), ServiceUnavailableException);
        const ok = await client.send(new ListConnectorsCommand({}));
        assert.ok(ok.connectors, "faults are used up after their count");
    });

    it("refuses a request without a SigV4 signature for kafkaconnect", async () => {
        const status = await new Promise<number | undefined>((resolve, reject) =>
            http.get(`${api.endpoint}/v1/connectors`, (res) => resolve(res.statusCode)).on("error", reject),
        );
        assert.strictEqual(status, 403);
    });

    it("holds a hanging request open until the client gives up", async () => {
        api.injectFault({ fault: "hang", times: 1 });
        await assert.rejects(
            client.send(new ListConnectorsCommand({}), { abortSignal: AbortSignal.timeout(200) }),
            (e: Error) => e.name === "AbortError",
        );
        assert.strictEqual(api.calls[api.calls.length - 1].answered, "hang");
    });
});
