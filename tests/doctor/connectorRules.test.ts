import * as assert from "assert";
import { diagnoseConnectorConfiguration, diagnoseWorkerProperties, DoctorContext } from "../../doctor";
import { labConnectorConfiguration } from "../../sink";
import { StackConfigError } from "../../config";
import { devRaw, settingsFrom } from "../helpers";

const ctx: DoctorContext = { region: "us-east-2", bucketName: "target", verifyTimeoutSeconds: 900, expectedRecordsPerSecond: 1 };
const lab = labConnectorConfiguration({
    region: "us-east-2",
    bucketName: "target",
    topics: ["salesdb.salesdb.CUSTOMER"],
    flushSizeRecords: 200,
    tasksMax: 1,
});
const clean = { ...lab, "behavior.on.null.values": "ignore" };
const rules = (extra: Record<string, string | undefined>, c: DoctorContext = ctx): string[] => {
    const config: Record<string, string> = { ...clean };
    for (const [k, v] of Object.entries(extra)) {
        if (v === undefined) delete config[k];
        else config[k] = v;
    }
    return diagnoseConnectorConfiguration(config, c).map((f) => `${f.severity}:${f.rule}:${f.key}`);
};

describe("connector configuration doctor", () => {
    it("finds exactly the tombstone warning in the lab's own configuration", () => {
        const found = diagnoseConnectorConfiguration(lab, ctx);
        assert.deepStrictEqual(
            found.map((f) => `${f.severity}:${f.rule}`),
            ["warning:tombstones-fail-task"],
        );
        assert.match(
            found[0].message,
            /salesdb\.salesdb\.CUSTOMER looks like a Debezium topic.*Fix: set behavior\.on\.null\.values=ignore/,
        );
    });
    it("finds nothing in the lab's configuration with tombstones ignored", () => {
        assert.deepStrictEqual(rules({}), []);
    });

    const cases: [string, Record<string, string | undefined>, string][] = [
        ["a required key is missing", { "format.class": undefined }, "error:missing-required-key:format.class"],
        ["both topics and topics.regex are set", { "topics.regex": "salesdb.*" }, "error:topics-exclusive:topics.regex"],
        ["neither topics nor topics.regex is set", { topics: undefined }, "error:topics-exclusive:topics"],
        [
            "format.class is not a sink format",
            { "format.class": "io.confluent.connect.s3.format.json.JsonFormatt" },
            "error:invalid-value:format.class",
        ],
        ["partitioner.class is unknown", { "partitioner.class": "Default" }, "error:invalid-value:partitioner.class"],
        ["schema.compatibility is unknown", { "schema.compatibility": "none" }, "error:invalid-value:schema.compatibility"],
        ["s3.compression.type is unknown", { "s3.compression.type": "zstd" }, "error:invalid-value:s3.compression.type"],
        ["behavior.on.null.values is unknown", { "behavior.on.null.values": "skip" }, "error:invalid-value:behavior.on.null.values"],
        ["s3.part.size is under 5 MiB", { "s3.part.size": "1048576" }, "error:out-of-range:s3.part.size"],
        ["flush.size is 0", { "flush.size": "0" }, "error:out-of-range:flush.size"],
        ["tasks.max is 0", { "tasks.max": "0" }, "error:out-of-range:tasks.max"],
        ["a number is not a number", { "rotate.interval.ms": "ten minutes" }, "error:not-a-number:rotate.interval.ms"],
        ["a boolean is not a boolean", { "value.converter.schemas.enable": "no" }, "error:not-a-boolean:value.converter.schemas.enable"],
        ["s3.region disagrees with the stack", { "s3.region": "eu-west-1" }, "error:stack-mismatch:s3.region"],
        ["s3.bucket.name disagrees with the stack", { "s3.bucket.name": "other" }, "error:stack-mismatch:s3.bucket.name"],
        [
            "connector.class is another connector",
            { "connector.class": "io.confluent.connect.jdbc.JdbcSinkConnector" },
            "error:connector-class:connector.class",
        ],
        ["credentials are in the configuration", { "aws.secret.access.key": "x" }, "error:credentials-in-config:aws.secret.access.key"],
        ["a key is unknown", { "flush.sise": "100" }, "warning:unknown-key:flush.sise"],
        [
            "scheduled rotation is set",
            { "rotate.schedule.interval.ms": "60000" },
            "warning:rotate-schedule-breaks-exactly-once:rotate.schedule.interval.ms",
        ],
        [
            "Wallclock meets a time-based partitioner",
            { "partitioner.class": "io.confluent.connect.storage.partitioner.HourlyPartitioner", "timestamp.extractor": "Wallclock" },
            "warning:wallclock-breaks-exactly-once:timestamp.extractor",
        ],
        [
            "a time-based partitioner has no path.format",
            {
                "partitioner.class": "io.confluent.connect.storage.partitioner.TimeBasedPartitioner",
                "partition.duration.ms": "3600000",
                locale: "en-US",
                timezone: "UTC",
            },
            "error:missing-required-key:path.format",
        ],
        [
            "an hourly partitioner has an empty timezone",
            { "partitioner.class": "io.confluent.connect.storage.partitioner.HourlyPartitioner", locale: "en-US", timezone: " " },
            "error:missing-required-key:timezone",
        ],
        [
            "a field partitioner names no field",
            { "partitioner.class": "io.confluent.connect.storage.partitioner.FieldPartitioner" },
            "error:missing-required-key:partition.field.name",
        ],
        [
            "a field partitioner meets the lab's schemaless JSON",
            { "partitioner.class": "io.confluent.connect.storage.partitioner.FieldPartitioner", "partition.field.name": "id" },
            "error:field-partitioner-needs-struct:partitioner.class",
        ],
        [
            "a field partitioner meets string values",
            {
                "partitioner.class": "io.confluent.connect.storage.partitioner.FieldPartitioner",
                "partition.field.name": "id",
                "value.converter": "org.apache.kafka.connect.storage.StringConverter",
            },
            "error:field-partitioner-needs-struct:partitioner.class",
        ],
        ["flush.size outlasts the verification", { "flush.size": "5000" }, "warning:flush-size-outlasts-verification:flush.size"],
        [
            "a custom credentials provider is set",
            { "s3.credentials.provider.class": "com.example.Creds" },
            "warning:credentials-provider-class:s3.credentials.provider.class",
        ],
    ];
    it("takes a field partitioner over JSON with schemas, naming its field", () => {
        const found = rules({
            "partitioner.class": "io.confluent.connect.storage.partitioner.FieldPartitioner",
            "partition.field.name": "id",
            "value.converter.schemas.enable": "true",
        });
        assert.deepStrictEqual(
            found.filter((f) => f.startsWith("error")),
            [],
        );
    });
    for (const [what, extra, expected] of cases) {
        it(`reports ${expected} when ${what}`, () => {
            assert.ok(rules(extra).includes(expected), `got ${JSON.stringify(rules(extra))}`);
        });
    }

    it("suggests the nearest known key", () => {
        const f = diagnoseConnectorConfiguration({ ...clean, "flush.sise": "100" }, ctx).find((x) => x.rule === "unknown-key");
        assert.match(f!.message, /Did you mean `flush\.size`\?/);
    });
    it("lets the stack silence a warning but not an error", () => {
        assert.deepStrictEqual(rules({ "flush.sise": "1" }, { ...ctx, silence: ["unknown-key"] }), []);
        assert.deepStrictEqual(diagnoseConnectorConfiguration(lab, { ...ctx, silence: ["tombstones-fail-task"] }), []);
        assert.ok(rules({ "flush.size": "0" }, { ...ctx, silence: ["unknown-key"] }).includes("error:out-of-range:flush.size"));
    });
    it("does not warn about flush size when verification is off", () => {
        assert.deepStrictEqual(rules({ "flush.size": "5000" }, { ...ctx, verifyTimeoutSeconds: undefined }), []);
    });
    it("warns about config providers the plugin does not ship, not Kafka's own", () => {
        assert.strictEqual(
            diagnoseWorkerProperties("w", "config.providers.file.class=org.apache.kafka.common.config.provider.FileConfigProvider").length,
            0,
        );
        const f = diagnoseWorkerProperties(
            "w",
            "config.providers.sm.class=com.amazonaws.kafka.config.providers.SecretsManagerConfigProvider",
        );
        assert.strictEqual(f[0].rule, "worker-config-provider");
    });
    it("accepts a custom TimestampExtractor class, and refuses a bare word that is none of the extractors", () => {
        assert.deepStrictEqual(rules({ "timestamp.extractor": "com.example.connect.OrderTimeExtractor" }), []);
        assert.deepStrictEqual(rules({ "timestamp.extractor": "Recordfield" }), ["error:invalid-value:timestamp.extractor"]);
    });
    it("takes value.converter.basic.auth.credentials.source=USER_INFO for what it is (where credentials come from), not a credential", () => {
        assert.deepStrictEqual(rules({ "value.converter.basic.auth.credentials.source": "USER_INFO" }), []);
        assert.deepStrictEqual(rules({ "value.converter.schema.registry.ssl.keystore.password": "changeit" }), [
            "error:credentials-in-config:value.converter.schema.registry.ssl.keystore.password",
        ]);
    });
    it("stops a stack with a misspelled key, an out-of-range value and a credential with three messages in one run", () => {
        try {
            settingsFrom(
                devRaw({
                    "msk-s3-sink:extraConnectorConfig": JSON.stringify({
                        "behavior.on.null.values": "ignore",
                        "s3.part.size": "1024",
                        "aws.access.key.id": "AKIAABCDEFGHIJKLMNOP",
                        "flush.sise": "100",
                    }),
                }),
            );
            assert.fail("expected a rejection");
        } catch (e) {
            assert.ok(e instanceof StackConfigError);
            const keys = e.problems.map((p) => p.key);
            assert.deepStrictEqual(keys, [
                'msk-s3-sink:extraConnectorConfig["s3.part.size"]',
                'msk-s3-sink:extraConnectorConfig["aws.access.key.id"]',
                'msk-s3-sink:extraConnectorConfig["flush.sise"]',
            ]);
            assert.ok(!e.message.includes("AKIAABCDEFGHIJKLMNOP"));
            assert.match(e.message, /s3\.part\.size.*at least 5242880/);
            assert.match(e.message, /aws\.access\.key\.id.*credential/);
            assert.match(
                e.message,
                /flush\.sise.*ignore it without a word\. Did you mean `flush\.size` \(set msk-s3-sink:flushSize instead\)/,
            );
        }
    });
    it("leaves a near-miss key a warning only when the stack silences unknown-key, and a far-off key a warning always", () => {
        const silenced = settingsFrom(
            devRaw({
                "msk-s3-sink:extraConnectorConfig": JSON.stringify({ "behavior.on.null.values": "ignore", "flush.sise": "100" }),
                "msk-s3-sink:doctorSilence": '["unknown-key"]',
            }),
        );
        assert.deepStrictEqual(silenced.warnings, []);
        const far = settingsFrom(
            devRaw({
                "msk-s3-sink:extraConnectorConfig": JSON.stringify({ "behavior.on.null.values": "ignore", "my.transform.setting": "1" }),
            }),
        );
        assert.deepStrictEqual(
            far.warnings.map((w) => `${w.severity}:${w.rule}:${w.key}`),
            ["warning:unknown-key:my.transform.setting"],
        );
    });
});
