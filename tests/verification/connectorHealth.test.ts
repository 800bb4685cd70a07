import * as assert from "assert";
import * as fs from "fs";
import { createRequire } from "module";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { connectorConsoleUrl, logGroupConsoleUrl } from "../../common";
import { FakeConnectorSpec, LocalKafkaConnectApi, startKafkaConnectApi, useLocalCredentials } from "../../offline";
import { checkConnectorHealth, ConnectorHealthError, ConnectorHealthOptions, isConnectorHealthError } from "../../verification";
import { ROOT } from "../helpers";
import { tempDir } from "../setup";

const REGION = "us-east-1";
const LOG_GROUP = "/msk-s3-sink/dev/connector";
const URN = "urn:pulumi:dev::msk-s3-sink::msk-s3-sink:index:S3SinkConnector$aws:mskconnect/connector:Connector::sink-connector";
const CONFIG = {
    "connector.class": "io.confluent.connect.s3.S3SinkConnector",
    topics: "salesdb.salesdb.CUSTOMER",
    "flush.size": "100",
    "s3.region": "us-east-1",
};

async function rejects(p: Promise<unknown>, kind: string, ...patterns: (RegExp | string)[]): Promise<ConnectorHealthError> {
    let caught: ConnectorHealthError | undefined;
    await assert.rejects(p, (e: unknown) => {
        assert.ok(e instanceof ConnectorHealthError, `expected a ConnectorHealthError, got ${e}`);
        assert.strictEqual(e.kind, kind, e.message);
        for (const pattern of patterns) {
            if (typeof pattern === "string")
                assert.ok(e.message.includes(pattern), `message lacks ${JSON.stringify(pattern)}:\n${e.message}`);
            else assert.match(e.message, pattern);
        }
        caught = e;
        return true;
    });
    return caught!;
}

describe("the connector health check against a local MSK Connect API", function () {
    this.timeout(20000);
    let api: LocalKafkaConnectApi;
    let n = 0;
    /** A connector with a unique name; RUNNING with CONFIG unless the spec says otherwise. */
    const add = (spec: Partial<FakeConnectorSpec> = {}): string =>
        api.addConnector({ connectorName: `sink-${++n}`, connectorConfiguration: CONFIG, logGroup: LOG_GROUP, ...spec });
    const options = (connector: string, over: Partial<ConnectorHealthOptions> = {}): ConnectorHealthOptions => ({
        connector,
        region: REGION,
        endpoint: api.endpoint,
        expectedConfiguration: CONFIG,
        timeoutSeconds: 5,
        pollIntervalSeconds: 0.02,
        requestTimeoutSeconds: 2,
        ...over,
    });
    const callsTo = (operation: string) => api.calls.filter((c) => c.operation === operation);

    before(async () => {
        useLocalCredentials();
        // Pages of two, so every list call in these tests crosses pages.
        api = await startKafkaConnectApi({ region: REGION, pageSize: 2 });
    });
    afterEach(() => api?.clearFaults());
    after(async () => api?.stop());

    it("passes a RUNNING connector that was never updated and runs the configuration asked for", async () => {
        const arn = add();
        const r = await checkConnectorHealth(options(arn));
        assert.strictEqual(r.connectorArn, arn);
        assert.strictEqual(r.connectorName, `sink-${n}`);
        assert.strictEqual(r.state, "RUNNING");
        assert.strictEqual(r.operation, null);
        assert.deepStrictEqual(r.configuration, { status: "matched", keysCompared: 4, redactedByAws: [] });
        assert.strictEqual(r.consoleUrl, connectorConsoleUrl(REGION, arn));
        assert.strictEqual(r.logGroupName, LOG_GROUP, "the log group comes from DescribeConnector's log delivery");
        assert.strictEqual(r.logGroupUrl, logGroupConsoleUrl(REGION, LOG_GROUP));
        assert.deepStrictEqual(r.notes, [
            "the connector has no update operation (it was not updated since it was created): no update to judge",
        ]);
        assert.strictEqual(
            r.summary,
            `connector sink-${n} is RUNNING; it has no update operation; its live configuration matches the 4 key(s) compared`,
        );
        assert.ok(!Number.isNaN(Date.parse(r.checkedAt)));
    });

    it("says the configuration was not compared when none is expected", async () => {
        const r = await checkConnectorHealth(
            options(add({ connectorConfiguration: { other: "x" } }), { expectedConfiguration: undefined }),
        );
        assert.deepStrictEqual(r.configuration, { status: "not-checked", keysCompared: 0, redactedByAws: [] });
        assert.match(r.summary, /its configuration was not compared \(none expected\)$/);
    });

    it("waits through CREATING until RUNNING", async () => {
        const arn = add({ states: [{ connectorState: "CREATING" }, { connectorState: "CREATING" }, { connectorState: "RUNNING" }] });
        const progress: string[] = [];
        const before = callsTo("DescribeConnector").length;
        const r = await checkConnectorHealth(options(arn, { onProgress: (m) => progress.push(m) }));
        assert.strictEqual(r.state, "RUNNING");
        assert.deepStrictEqual(
            progress.map((m) => m.replace(/next look in .*/, "")),
            [`connector sink-${n} is CREATING (look 1); `, `connector sink-${n} is CREATING (look 2); `],
        );
        assert.strictEqual(callsTo("DescribeConnector").length - before, 4, "three looks until RUNNING, one after the update check");
    });

    it("waits through an update in progress and compares the configuration as of after it", async () => {
        const old = { ...CONFIG, "flush.size": "50" };
        const arn = add({
            states: [
                { connectorState: "UPDATING", connectorConfiguration: old },
                { connectorState: "RUNNING", connectorConfiguration: CONFIG },
            ],
            operations: [
                {
                    states: ["UPDATE_IN_PROGRESS", "UPDATE_COMPLETE"],
                    creationTime: "2025-03-01T10:00:00Z",
                    endTime: "2025-03-01T10:05:00Z",
                    originConnectorConfiguration: old,
                    targetConnectorConfiguration: CONFIG,
                },
            ],
        });
        const r = await checkConnectorHealth(options(arn));
        assert.deepStrictEqual(r.operation, {
            arn: api.operationArn(arn, 0),
            type: "UPDATE_CONNECTOR_CONFIGURATION",
            state: "UPDATE_COMPLETE",
            creationTime: "2025-03-01T10:00:00.000Z",
            endTime: "2025-03-01T10:05:00.000Z",
        });
        assert.strictEqual(r.configuration.status, "matched");
        assert.deepStrictEqual(r.notes, []);
    });

    it("fails when the connector is FAILED, with AWS's reason, the console link, the log group and the replace command", async () => {
        const arn = add({
            states: [
                { connectorState: "CREATING" },
                {
                    connectorState: "FAILED",
                    stateDescription: {
                        code: "InvalidInput.InvalidConnectorConfiguration",
                        message: "The connector configuration is invalid: s3.bucket.name",
                    },
                },
            ],
        });
        const e = await rejects(
            checkConnectorHealth(options(arn, { connectorUrn: URN })),
            "connector-failed",
            `connector sink-${n} (${arn}) is FAILED: AWS says InvalidInput.InvalidConnectorConfiguration: The connector configuration is invalid: s3.bucket.name.`,
            connectorConsoleUrl(REGION, arn),
            `the log group ${LOG_GROUP} (${logGroupConsoleUrl(REGION, LOG_GROUP)})`,
            `A connector that failed creation stays failed; replace it after fixing the cause: \`pulumi up --replace '${URN}'\`.`,
        );
        assert.deepStrictEqual(e.details.stateDescription, {
            code: "InvalidInput.InvalidConnectorConfiguration",
            message: "The connector configuration is invalid: s3.bucket.name",
        });
        assert.strictEqual(e.details.state, "FAILED");
    });

    it("fails when the connector is FAILED without a URN, saying how to find it", async () => {
        const arn = add({ states: [{ connectorState: "FAILED" }] });
        await rejects(
            checkConnectorHealth(options(arn)),
            "connector-failed",
            "AWS gave no stateDescription",
            "`pulumi stack --show-urns` lists it",
        );
    });

    it("fails when the connector is being deleted or is paused", async () => {
        await rejects(
            checkConnectorHealth(options(add({ states: [{ connectorState: "DELETING" }] }))),
            "connector-not-running",
            "is DELETING, not RUNNING",
        );
        await rejects(
            checkConnectorHealth(options(add({ states: [{ connectorState: "PAUSED" }] }))),
            "connector-not-running",
            "resume-connector",
        );
    });

    it("fails with connector-timeout when it is still CREATING at the deadline", async () => {
        const arn = add({
            states: [{ connectorState: "CREATING", stateDescription: { code: "Creating", message: "Provisioning workers" } }],
        });
        await rejects(
            checkConnectorHealth(options(arn, { timeoutSeconds: 0.3, pollIntervalSeconds: 0.05 })),
            "connector-timeout",
            `connector sink-${n} (${arn}) was still CREATING after the check's 0.3 s deadline (AWS says Creating: Provisioning workers)`,
        );
    });

    const rolledBack = (states: string[], over: Record<string, unknown> = {}) => ({
        states,
        creationTime: "2025-05-01T00:00:00Z",
        errorInfo: { code: "ConnectorHealthCheckFailed", message: "Tasks failed to start with the new configuration" },
        operationSteps: [
            { stepType: "INITIALIZE_UPDATE", stepState: "COMPLETED" },
            { stepType: "VALIDATE_UPDATE", stepState: "FAILED" },
            { stepType: "FINALIZE_UPDATE", stepState: "CANCELLED" },
        ],
        originConnectorConfiguration: { ...CONFIG, "flush.size": "50" },
        targetConnectorConfiguration: CONFIG,
        ...over,
    });

    it("fails when the newest update was rolled back, with its errorInfo and the steps that failed", async () => {
        // The live configuration is the old one, as after a real rollback; the rollback is the reason given.
        const arn = add({
            connectorConfiguration: { ...CONFIG, "flush.size": "50" },
            operations: [rolledBack(["UPDATE_IN_PROGRESS", "ROLLBACK_IN_PROGRESS", "ROLLBACK_COMPLETE"])],
        });
        const e = await rejects(
            checkConnectorHealth(options(arn)),
            "update-rolled-back",
            `the newest update of connector sink-${n} (UPDATE_CONNECTOR_CONFIGURATION, started 2025-05-01T00:00:00.000Z, operation ${api.operationArn(arn, 0)}) ended ROLLBACK_COMPLETE`,
            "AWS says ConnectorHealthCheckFailed: Tasks failed to start with the new configuration.",
            "Failed steps: VALIDATE_UPDATE FAILED, FINALIZE_UPDATE CANCELLED.",
            "The update changed: flush.size.",
            "runs its previous configuration",
            connectorConsoleUrl(REGION, arn),
            LOG_GROUP,
        );
        assert.deepStrictEqual(e.details.failedSteps, ["VALIDATE_UPDATE FAILED", "FINALIZE_UPDATE CANCELLED"]);
        assert.strictEqual(e.details.operation?.state, "ROLLBACK_COMPLETE");
    });

    it("fails when the newest update ended UPDATE_FAILED", async () => {
        const arn = add({
            operations: [
                rolledBack(["PENDING", "UPDATE_FAILED"], { errorInfo: { code: "InternalFailure", message: "Workers did not restart" } }),
            ],
        });
        await rejects(
            checkConnectorHealth(options(arn)),
            "update-failed",
            "ended UPDATE_FAILED: AWS says InternalFailure: Workers did not restart.",
            "the connector did not take the new configuration",
        );
    });

    it("judges the newest operation by creationTime, whatever order the list comes in", async () => {
        const op = (creationTime: string, state: string) => ({ states: [state], creationTime });
        // Listed oldest, newest, middle: the newest (rolled back) is the one judged.
        const failing = add({
            operations: [
                op("2025-01-01T00:00:00Z", "UPDATE_COMPLETE"),
                op("2025-03-01T00:00:00Z", "ROLLBACK_COMPLETE"),
                op("2025-02-01T00:00:00Z", "UPDATE_COMPLETE"),
            ],
        });
        const e = await rejects(checkConnectorHealth(options(failing)), "update-rolled-back");
        assert.strictEqual(e.details.operation?.arn, api.operationArn(failing, 1));
        // Listed with an old rollback first and the newest (complete) last, past the first page: it passes.
        const passing = add({
            operations: [
                op("2025-01-01T00:00:00Z", "ROLLBACK_COMPLETE"),
                op("2025-02-01T00:00:00Z", "UPDATE_FAILED"),
                op("2025-04-01T00:00:00Z", "UPDATE_COMPLETE"),
            ],
        });
        const r = await checkConnectorHealth(options(passing));
        assert.strictEqual(r.operation?.arn, api.operationArn(passing, 2));
        assert.strictEqual(r.operation?.creationTime, "2025-04-01T00:00:00.000Z");
    });

    it("judges updates only, and notes newer operations that are not updates", async () => {
        const arn = add({
            operations: [
                { states: ["UPDATE_COMPLETE"], creationTime: "2025-01-01T00:00:00Z" },
                { states: ["RESTART_COMPLETE"], creationTime: "2025-02-01T00:00:00Z", connectorOperationType: "RESTART_CONNECTOR" },
            ],
        });
        const r = await checkConnectorHealth(options(arn));
        assert.strictEqual(r.operation?.arn, api.operationArn(arn, 0));
        assert.deepStrictEqual(r.notes, ["newer operations that are not updates were not judged: RESTART_CONNECTOR RESTART_COMPLETE"]);
    });

    it("names the file the expected configuration came from, and gives no stack advice, when it is not a stack's", async () => {
        const arn = add({ connectorConfiguration: { ...CONFIG, "flush.size": "200" } });
        const e = await rejects(
            checkConnectorHealth(options(arn, { expectedConfiguration: CONFIG, expectedConfigurationSource: "expected.json" })),
            "config-drift",
            `the live configuration of connector sink-${n} differs from the one in expected.json (1 difference):`,
            "or correct expected.json",
        );
        assert.doesNotMatch(e.message, /this stack|pulumi up --refresh/);
    });

    it("fails with a key-by-key diff when the live configuration differs, secrets redacted", async () => {
        const arn = add({
            connectorConfiguration: { ...CONFIG, "flush.size": "200", "database.password": "hunter2-old", "errors.tolerance": "all" },
        });
        const expected = { ...CONFIG, "database.password": "hunter2-new", "s3.sse.kms.key.id": "alias/sink" };
        const e = await rejects(
            checkConnectorHealth(options(arn, { expectedConfiguration: expected })),
            "config-drift",
            `the live configuration of connector sink-${n} differs from the one this stack asked for (4 differences):`,
            "It was never updated",
            "pulumi up --refresh",
        );
        assert.deepStrictEqual(e.details.differences, [
            "changed database.password: the values differ (both redacted)",
            'changed flush.size: asked "100", live "200"',
            'missing s3.sse.kms.key.id: asked "alias/sink", absent from the live configuration',
            'unexpected errors.tolerance: live "all", not asked for',
        ]);
        assert.doesNotMatch(e.message, /hunter2/);
        assert.doesNotMatch(JSON.stringify(e.details), /hunter2/);
    });

    it("treats a live value AWS hid as unknown, not different, and says so", async () => {
        const arn = add({ connectorConfiguration: { ...CONFIG, "database.password": "********" } });
        const r = await checkConnectorHealth(options(arn, { expectedConfiguration: { ...CONFIG, "database.password": "s3cret" } }));
        assert.deepStrictEqual(r.configuration, { status: "matched", keysCompared: 4, redactedByAws: ["database.password"] });
        assert.ok(r.notes.includes("AWS hides the live values of database.password: they were not compared"), r.notes.join("\n"));
        assert.match(r.summary, /\(AWS hides 1 value\(s\), not compared\)$/);
    });

    it("retries throttling (429) and a 503 until they clear", async () => {
        const arn = add({ operations: [{ states: ["UPDATE_COMPLETE"], creationTime: "2025-01-01T00:00:00Z" }] });
        api.injectFault({ fault: 429, times: 3, operation: "DescribeConnector" });
        api.injectFault({ fault: 503, times: 2, operation: "ListConnectorOperations" });
        const progress: string[] = [];
        const r = await checkConnectorHealth(options(arn, { onProgress: (m) => progress.push(m) }));
        assert.strictEqual(r.operation?.state, "UPDATE_COMPLETE");
        assert.strictEqual(callsTo("DescribeConnector").filter((c) => c.answered === 429).length >= 3, true);
        assert.strictEqual(callsTo("ListConnectorOperations").filter((c) => c.answered === 503).length >= 2, true);
        assert.strictEqual(progress.filter((m) => m.startsWith("DescribeConnector: TooManyRequestsException (HTTP 429)")).length, 3);
        assert.strictEqual(
            progress.filter((m) => m.startsWith("ListConnectorOperations: ServiceUnavailableException (HTTP 503)")).length,
            2,
        );
    });

    it("fails with kind throttled at the deadline when 429 never clears, naming the last error", async () => {
        const arn = add();
        api.injectFault({ fault: 429, times: 1e9, operation: "DescribeConnector" });
        await rejects(
            checkConnectorHealth(options(arn, { timeoutSeconds: 0.5 })),
            "throttled",
            `DescribeConnector on ${arn} did not succeed within the check's 0.5 s deadline`,
            "Last error: TooManyRequestsException (HTTP 429): injected fault 429.",
        );
    });

    it("fails with an api-timeout when the server never answers, and does not hang", async () => {
        const arn = add();
        api.injectFault({ fault: "hang", times: 1e9, operation: "DescribeConnector" });
        await rejects(
            checkConnectorHealth(options(arn, { timeoutSeconds: 1, requestTimeoutSeconds: 0.3 })),
            "api-timeout",
            "did not answer in time",
            "Last error: no answer in time (the request timed out).",
        );
    });

    it("checks the newest update again when the connector's version changed while it was checked", async () => {
        const arn = add({
            states: [
                { connectorState: "RUNNING", currentVersion: "1" },
                { connectorState: "RUNNING", currentVersion: "2" },
            ],
            operations: [{ states: ["UPDATE_COMPLETE"], creationTime: "2025-01-01T00:00:00Z" }],
        });
        const progress: string[] = [];
        const before = callsTo("ListConnectorOperations").length;
        const r = await checkConnectorHealth(options(arn, { onProgress: (m) => progress.push(m) }));
        assert.strictEqual(r.operation?.state, "UPDATE_COMPLETE");
        assert.strictEqual(callsTo("ListConnectorOperations").length - before, 2);
        assert.deepStrictEqual(progress, [`connector sink-${n} changed version while it was checked; checking its newest update again`]);
    });

    it("fails with access-denied on 403, naming the IAM action and the resource", async () => {
        const arn = add();
        api.injectFault({ fault: 403, times: 1, operation: "DescribeConnector" });
        await rejects(
            checkConnectorHealth(options(arn)),
            "access-denied",
            `access denied: the identity running the check needs kafkaconnect:DescribeConnector on ${arn} (ForbiddenException (HTTP 403): injected fault 403).`,
            "kafkaconnect:ListConnectorOperations",
        );
    });

    it("fails with credentials (not access-denied) when the stack's profile gives none, naming where it looked and not the profile", async () => {
        const dir = tempDir("aws-config");
        const files = { AWS_CONFIG_FILE: path.join(dir, "config"), AWS_SHARED_CREDENTIALS_FILE: path.join(dir, "credentials") };
        for (const f of Object.values(files)) fs.writeFileSync(f, "");
        const saved = { ...process.env };
        Object.assign(process.env, files, { AWS_EC2_METADATA_DISABLED: "true" });
        // Only the profile: with the local keys still in the environment too, the SDK would warn of two credential sources.
        delete process.env.AWS_ACCESS_KEY_ID;
        delete process.env.AWS_SECRET_ACCESS_KEY;
        try {
            const e = await rejects(
                checkConnectorHealth(options(add(), { profile: "customer-prod-admin" })),
                "credentials",
                `no AWS credentials for DescribeConnector on the MSK Connect endpoint ${api.endpoint}`,
                "the AWS profile the stack names (aws:profile)",
            );
            assert.ok(!e.message.includes("customer-prod-admin"), e.message);
        } finally {
            for (const k of [...Object.keys(files), "AWS_EC2_METADATA_DISABLED"]) delete process.env[k];
            Object.assign(process.env, saved);
        }
    });

    it("fails with connector-not-found on an unknown ARN (404 NotFoundException)", async () => {
        const arn = "arn:aws:kafkaconnect:us-east-1:111122223333:connector/gone/00000000-0000-0000-0000-000000000000";
        await rejects(
            checkConnectorHealth(options(arn)),
            "connector-not-found",
            `no connector ${arn} in the MSK Connect endpoint ${api.endpoint} (NotFoundException (HTTP 404): connector ${arn} not found)`,
            "pulumi refresh",
        );
    });

    it("resolves a name with ListConnectors across pages", async () => {
        api.addConnector({ connectorName: "orders-sink-a", connectorConfiguration: CONFIG });
        api.addConnector({ connectorName: "orders-sink-b", connectorConfiguration: CONFIG });
        const arn = api.addConnector({ connectorName: "orders-sink", connectorConfiguration: CONFIG });
        const before = callsTo("ListConnectors").length;
        const r = await checkConnectorHealth(options("orders-sink"));
        assert.strictEqual(r.connectorArn, arn);
        assert.strictEqual(r.connectorName, "orders-sink");
        const lists = callsTo("ListConnectors").slice(before);
        assert.strictEqual(lists.length, 2, "three matches in pages of two");
        assert.strictEqual(lists[0].query.connectorNamePrefix, "orders-sink");
        assert.ok(lists[1].query.nextToken, "the second page was asked with the first page's token");
    });

    it("fails when two connectors carry the name, listing both", async () => {
        const a = api.addConnector({ connectorName: "twin-sink", connectorConfiguration: CONFIG });
        const b = api.addConnector({
            connectorName: "twin-sink",
            connectorConfiguration: CONFIG,
            states: [{ connectorState: "CREATING" }],
        });
        await rejects(
            checkConnectorHealth(options("twin-sink")),
            "ambiguous-name",
            `2 connectors are named "twin-sink" in the MSK Connect endpoint ${api.endpoint}`,
            `${a} (RUNNING`,
            `${b} (CREATING`,
            "Pass the ARN",
        );
    });

    it("checks the live connector of a name whose replaced one is still being deleted, and says so when only that one is left", async () => {
        api.addConnector({ connectorName: "swap-sink", connectorConfiguration: CONFIG, states: [{ connectorState: "DELETING" }] });
        const live = api.addConnector({ connectorName: "swap-sink", connectorConfiguration: CONFIG });
        assert.strictEqual((await checkConnectorHealth(options("swap-sink"))).connectorArn, live);
        const old = api.addConnector({
            connectorName: "gone-sink",
            connectorConfiguration: CONFIG,
            states: [{ connectorState: "DELETING" }],
        });
        await rejects(
            checkConnectorHealth(options("gone-sink")),
            "connector-not-found",
            `the only connector named "gone-sink" in the MSK Connect endpoint ${api.endpoint} is being deleted (${old})`,
            "once `pulumi up` has created the new one",
        );
    });

    it("fails when no connector has the name, naming the name and what was found", async () => {
        api.addConnector({ connectorName: "payments-sink", connectorConfiguration: CONFIG });
        api.addConnector({ connectorName: "payments-sink-v2", connectorConfiguration: CONFIG });
        await rejects(
            checkConnectorHealth(options("payments")),
            "connector-not-found",
            'no connector named "payments" in',
            "connectors whose names start with it: payments-sink, payments-sink-v2",
        );
        await rejects(
            checkConnectorHealth(options("paymnets-sink")),
            "connector-not-found",
            'no connector\'s name starts with it; did you mean "payments-sink"?',
        );
    });

    it("fails at once when the endpoint refuses connections", async () => {
        const closed = await startKafkaConnectApi();
        await closed.stop();
        await rejects(
            checkConnectorHealth(options(add(), { endpoint: closed.endpoint })),
            "unreachable",
            `cannot reach the MSK Connect endpoint ${closed.endpoint} for DescribeConnector`,
            "ECONNREFUSED",
            "3 times in a row",
        );
    });

    it("signs with the AWS profile given, from the shared credentials file", async () => {
        const dir = tempDir("kafkaconnect-profile");
        const file = path.join(dir, "credentials");
        fs.writeFileSync(file, "[lab]\naws_access_key_id = AKIDLABPROFILE\naws_secret_access_key = local-only-placeholder\n");
        process.env.AWS_SHARED_CREDENTIALS_FILE = file;
        process.env.AWS_CONFIG_FILE = path.join(dir, "config");
        delete process.env.AWS_ACCESS_KEY_ID;
        delete process.env.AWS_SECRET_ACCESS_KEY;
        try {
            const r = await checkConnectorHealth(options(add(), { profile: "lab" }));
            assert.strictEqual(r.state, "RUNNING");
            assert.strictEqual(api.calls[api.calls.length - 1].accessKeyId, "AKIDLABPROFILE");
        } finally {
            delete process.env.AWS_SHARED_CREDENTIALS_FILE;
            delete process.env.AWS_CONFIG_FILE;
            useLocalCredentials();
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("refuses bad options, naming each", async () => {
        await rejects(
            checkConnectorHealth({ connector: " ", region: "", pollIntervalSeconds: 0, timeoutSeconds: Number.NaN }),
            "bad-input",
            "connector: give the connector's ARN or its exact name",
            "region: give the connector's AWS region",
            "timeoutSeconds: got NaN; expected a number of seconds above 0",
            "pollIntervalSeconds: got 0;",
        );
        await rejects(
            checkConnectorHealth({ connector: "c", region: "us-east-1", expectedConfiguration: { "flush.size": 100 } as never }),
            "bad-input",
            "expectedConfiguration: values must be strings; not a string: flush.size",
        );
        await rejects(
            checkConnectorHealth({ connector: "c", region: "us-east-1", expectedConfiguration: "flush.size=100" as never }),
            "bad-input",
            'expectedConfiguration: got "flush.size=100"; expected a map',
        );
    });

    it("runs from its serialized text, as a dynamic provider would, capturing no credentials", async () => {
        process.env.AWS_SECRET_ACCESS_KEY = "serialization-canary-secret";
        try {
            const fn = await pulumi.runtime.serializeFunction(() => checkConnectorHealth);
            assert.strictEqual(fn.text.includes("serialization-canary-secret"), false);
            assert.match(fn.text, /require\("@aws-sdk\/client-kafkaconnect"\)/);
            const mod: { exports: Record<string, () => typeof checkConnectorHealth> } = { exports: {} };
            const hostRequire = createRequire(path.join(ROOT, "node_modules", "@pulumi", "pulumi", "cmd", "dynamic-provider", "index.js"));
            new Function("module", "exports", "require", fn.text)(mod, mod.exports, hostRequire);
            const revived = mod.exports[fn.exportName]();
            const arn = add({ states: [{ connectorState: "FAILED", stateDescription: { code: "C", message: "m" } }] });
            // The dynamic provider host reports `e.message`: it must survive serialization.
            await assert.rejects(revived(options(arn)), (e: unknown) => {
                assert.ok(isConnectorHealthError(e), `not recognised: ${JSON.stringify(e)}`);
                assert.strictEqual(e.kind, "connector-failed");
                assert.match(e.message, /^connector sink-\d+ \(arn:[^)]+\) is FAILED: AWS says C: m\./);
                return true;
            });
            const r = await revived(options(add()));
            assert.strictEqual(r.state, "RUNNING");
        } finally {
            useLocalCredentials();
        }
    });
});
