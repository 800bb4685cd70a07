import * as assert from "assert";
import {
    BadRequestException,
    ConflictException,
    DescribeConnectorCommand,
    DescribeConnectorOperationCommand,
    KafkaConnectClient,
    NotFoundException,
    PauseConnectorCommand,
    RestartConnectorCommand,
    ResumeConnectorCommand,
} from "@aws-sdk/client-kafkaconnect";
import { LocalKafkaConnectApi, startKafkaConnectApi, useLocalCredentials } from "../../offline";

describe("the local MSK Connect API: pause, resume and restart over time, driven by the real SDK client", function () {
    let api: LocalKafkaConnectApi;
    let client: KafkaConnectClient;
    let now = Date.parse("2026-01-01T00:00:00Z");

    before(async () => {
        useLocalCredentials();
        api = await startKafkaConnectApi({ operationMs: 60_000, now: () => now });
        client = new KafkaConnectClient({ region: "us-east-1", endpoint: api.endpoint, maxAttempts: 1 });
    });
    after(async () => {
        client?.destroy();
        await api?.stop();
    });

    const add = (o: { kafkaConnectVersion?: string } = {}) =>
        api.addConnector({ connectorName: "life-sink", connectorConfiguration: {}, ...o });
    const state = async (arn: string) => (await client.send(new DescribeConnectorCommand({ connectorArn: arn }))).connectorState;
    const opState = async (arn: string) =>
        (await client.send(new DescribeConnectorOperationCommand({ connectorOperationArn: arn }))).connectorOperationState;

    it("pauses through PAUSING to PAUSED, then resumes through RESUMING to RUNNING, on the server's clock", async () => {
        const arn = add();
        const paused = await client.send(new PauseConnectorCommand({ connectorArn: arn }));
        assert.strictEqual(paused.connectorArn, arn);
        assert.match(paused.connectorOperationArn ?? "", /:connector-operation\/life-sink\//);
        assert.strictEqual(await state(arn), "PAUSING");
        assert.strictEqual(await opState(paused.connectorOperationArn!), "PAUSE_IN_PROGRESS");
        now += 60_000;
        assert.strictEqual(await opState(paused.connectorOperationArn!), "PAUSE_COMPLETE");
        assert.strictEqual(await state(arn), "PAUSED");
        const resumed = await client.send(new ResumeConnectorCommand({ connectorArn: arn }));
        assert.strictEqual(await state(arn), "RESUMING");
        now += 60_000;
        assert.strictEqual(await opState(resumed.connectorOperationArn!), "RESUME_COMPLETE");
        assert.strictEqual(await state(arn), "RUNNING");
        const op = await client.send(new DescribeConnectorOperationCommand({ connectorOperationArn: resumed.connectorOperationArn! }));
        assert.strictEqual(op.connectorOperationType, "RESUME_CONNECTOR");
        assert.ok(op.endTime instanceof Date);
    });

    it("refuses a pause of a connector that is not RUNNING, and a resume of one that is not PAUSED (BadRequestException)", async () => {
        const arn = add();
        await assert.rejects(client.send(new ResumeConnectorCommand({ connectorArn: arn })), (e: Error) => {
            assert.ok(e instanceof BadRequestException, e.name);
            assert.match(e.message, /ResumeConnector requires the connector to be PAUSED; it is RUNNING/);
            return true;
        });
        await client.send(new PauseConnectorCommand({ connectorArn: arn }));
        now += 60_000;
        await assert.rejects(client.send(new PauseConnectorCommand({ connectorArn: arn })), BadRequestException);
        await assert.rejects(client.send(new RestartConnectorCommand({ connectorArn: arn })), BadRequestException);
    });

    it("refuses a second operation while one is in progress: ConflictException for pause/resume, BadRequestException for restart", async () => {
        const arn = add();
        await client.send(new RestartConnectorCommand({ connectorArn: arn }));
        await assert.rejects(client.send(new PauseConnectorCommand({ connectorArn: arn })), (e: Error) => {
            assert.ok(e instanceof ConflictException, e.name);
            assert.match(e.message, /operation in progress/);
            return true;
        });
        await assert.rejects(client.send(new RestartConnectorCommand({ connectorArn: arn })), BadRequestException);
        now += 60_000;
        assert.strictEqual(await state(arn), "RUNNING");
    });

    it("refuses onlyFailedTasks below Kafka Connect 3.7 and takes it on 3.7.x, sending it as the query parameter", async () => {
        const old = add();
        await assert.rejects(client.send(new RestartConnectorCommand({ connectorArn: old, onlyFailedTasks: true })), /3\.7 or later/);
        const recent = add({ kafkaConnectVersion: "3.7.x" });
        await client.send(new RestartConnectorCommand({ connectorArn: recent, onlyFailedTasks: true }));
        const call = api.calls[api.calls.length - 1];
        assert.strictEqual(call.operation, "RestartConnector");
        assert.deepStrictEqual(call.query, { onlyFailedTasks: "true" });
        now += 60_000;
    });

    it("ends a scripted operation FAILED with its errorInfo and steps, the connector back in its state", async () => {
        const arn = add();
        api.scriptNextOperation(arn, {
            durationMs: 1000,
            fail: {
                errorInfo: { code: "InternalFailure", message: "workers did not stop" },
                operationSteps: [
                    { stepType: "INITIALIZE_UPDATE", stepState: "COMPLETED" },
                    { stepType: "UPDATE_WORKER_SETTING", stepState: "FAILED" },
                ],
            },
        });
        const started = await client.send(new PauseConnectorCommand({ connectorArn: arn }));
        now += 1000;
        const op = await client.send(new DescribeConnectorOperationCommand({ connectorOperationArn: started.connectorOperationArn! }));
        assert.strictEqual(op.connectorOperationState, "PAUSE_FAILED");
        assert.deepStrictEqual(op.errorInfo, { code: "InternalFailure", message: "workers did not stop" });
        assert.strictEqual(op.operationSteps?.[1].stepState, "FAILED");
        assert.strictEqual(await state(arn), "RUNNING");
    });

    it("answers NotFoundException for a connector deleted mid-way, and for its operations", async () => {
        const arn = add();
        const started = await client.send(new PauseConnectorCommand({ connectorArn: arn }));
        api.deleteConnector(arn);
        await assert.rejects(client.send(new DescribeConnectorCommand({ connectorArn: arn })), NotFoundException);
        await assert.rejects(
            client.send(new DescribeConnectorOperationCommand({ connectorOperationArn: started.connectorOperationArn! })),
            NotFoundException,
        );
    });

    it("throttles a lifecycle call with an injected 429", async () => {
        const arn = add();
        api.injectFault({ fault: 429, times: 1, operation: "PauseConnector" });
        await assert.rejects(client.send(new PauseConnectorCommand({ connectorArn: arn })), /injected fault 429/);
        await client.send(new PauseConnectorCommand({ connectorArn: arn }));
        now += 60_000;
    });
});
