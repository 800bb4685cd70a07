/**
 * Realistic stack files, written as a new user writes them (the dev stack with one change), read the way
 * `npm run plan` reads them and checked the way `pulumi up` checks them: each bad one must be refused with the
 * setting named and the fix in one message, and nothing else; each valid one must pass.
 */
import * as assert from "assert";
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import {
    describeNote,
    OPAQUE_SECRET,
    parseStackConfig,
    parseStackFile,
    StackConfigError,
    StackSettings,
    readStackFile,
} from "../../config";
import { ROOT } from "../helpers";
import { tempDir } from "../setup";

type Overrides = Record<string, unknown>;

const DEV = (yaml.load(fs.readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8")) as { config: Record<string, unknown> }).config;

/** A zip in a fresh directory (the stack file's directory), with its digest. */
function zipIn(dir: string, name: string): { file: string; sha256: string } {
    const content = `PK\u0003\u0004 ${name} ${crypto.randomUUID()}`;
    const file = path.join(dir, name);
    fs.writeFileSync(file, content);
    return { file, sha256: crypto.createHash("sha256").update(content).digest("hex") };
}

/** Write `Pulumi.t.yaml` (the dev stack with overrides; a value of undefined removes the key) and read it as the plan does. */
function parseStack(overrides: Overrides, dir = tempDir("stack")): StackSettings {
    const config: Record<string, unknown> = { ...DEV };
    for (const [k, v] of Object.entries(overrides)) {
        if (v === undefined) delete config[k];
        else config[k] = v;
    }
    fs.writeFileSync(path.join(dir, "Pulumi.t.yaml"), yaml.dump({ config }));
    const file = readStackFile(dir, "t");
    return parseStackFile(file, dir);
}

function refusal(overrides: Overrides, dir?: string): StackConfigError {
    try {
        parseStack(overrides, dir);
    } catch (e) {
        assert.ok(e instanceof StackConfigError, `expected a StackConfigError, got ${(e as Error).stack}`);
        return e;
    }
    assert.fail(`expected ${JSON.stringify(overrides)} to be refused`);
}

const extra = (config: Record<string, string>) => ({
    "msk-s3-sink:extraConnectorConfig": { "behavior.on.null.values": "ignore", ...config },
});

// Each: what a user wrote, the one key the one problem names, and what its message must say.
const BAD: [string, Overrides, string, RegExp][] = [
    [
        "a region that does not exist",
        { "aws:region": "us-est-2" },
        "aws:region",
        /region code the AWS provider knows.*Did you mean "us-east-2"\?/,
    ],
    ["a region in capitals", { "aws:region": "US-EAST-2" }, "aws:region", /Did you mean "us-east-2"\?/],
    [
        "a verifyQuery with IN",
        { "msk-s3-sink:verifyQuery": "SELECT * FROM s3object s WHERE s.op IN ('c', 'u')" },
        "msk-s3-sink:verifyQuery",
        /^IN is not supported by this check.s SQL subset.*verifyMethod "auto".*set msk-s3-sink:verifyMethod to "select"/,
    ],
    [
        "a verifyQuery with LIKE, checked with GetObject only",
        { "msk-s3-sink:verifyQuery": "SELECT * FROM s3object s WHERE s.after.NAME LIKE 'Customer%'", "msk-s3-sink:verifyMethod": "get" },
        "msk-s3-sink:verifyQuery",
        /^LIKE is not supported.*verifyMethod "get"/,
    ],
    [
        "verifyMinRecords above the query's LIMIT",
        { "msk-s3-sink:verifyMinRecords": 10 },
        "msk-s3-sink:verifyMinRecords",
        /asks for 10 records, but verifyQuery returns at most 5 \(LIMIT 5\).*lower verifyMinRecords to 5/,
    ],
    [
        "a verifyPrefix for a topic the sink does not read",
        { "msk-s3-sink:verifyPrefix": "topics/salesdb.salesdb.ORDERS/partition=0/" },
        "msk-s3-sink:verifyPrefix",
        /not where the sink writes: it writes the topics it reads under topics\/salesdb\.salesdb\.CUSTOMER\//,
    ],
    [
        "topics set behind the setting's back",
        extra({ topics: "salesdb.salesdb.ORDERS" }),
        'msk-s3-sink:extraConnectorConfig["topics"]',
        /set msk-s3-sink:topics instead/,
    ],
    [
        "topics.regex set behind the setting's back",
        extra({ "topics.regex": "salesdb\\..*" }),
        'msk-s3-sink:extraConnectorConfig["topics.regex"]',
        /name the topics in msk-s3-sink:topics/,
    ],
    [
        "flush.size set behind the setting's back",
        extra({ "flush.size": "500" }),
        'msk-s3-sink:extraConnectorConfig["flush.size"]',
        /set msk-s3-sink:flushSize instead/,
    ],
    [
        "tasks.max set behind the setting's back",
        extra({ "tasks.max": "2" }),
        'msk-s3-sink:extraConnectorConfig["tasks.max"]',
        /set msk-s3-sink:tasksMax instead/,
    ],
    [
        "s3.bucket.name set behind the setting's back",
        extra({ "s3.bucket.name": "msk-lab-111122223333-target-bucket" }),
        'msk-s3-sink:extraConnectorConfig["s3.bucket.name"]',
        /set msk-s3-sink:targetBucket instead/,
    ],
    [
        "connector.class set at all",
        extra({ "connector.class": "io.confluent.connect.s3.S3SinkConnector" }),
        'msk-s3-sink:extraConnectorConfig["connector.class"]',
        /sets it itself/,
    ],
    [
        "our namespace written with underscores",
        { "msk_s3_sink:flushSize": 100 },
        "msk_s3_sink:flushSize",
        /namespace "msk_s3_sink" is not "msk-s3-sink".*Did you mean "msk-s3-sink:flushSize"\?/,
    ],
    [
        "our namespace with two letters swapped",
        { "mks-s3-sink:verifyTimeoutSeconds": 600 },
        "mks-s3-sink:verifyTimeoutSeconds",
        /Did you mean "msk-s3-sink:verifyTimeoutSeconds"\?/,
    ],
    [
        "the aws namespace misspelled",
        { "asw:region": "us-east-2" },
        "asw:region",
        /namespace "asw" is not "aws".*Did you mean "aws:region"\?/,
    ],
    [
        "an AWS key that is not a provider setting",
        { "aws:regoin": "us-east-2" },
        "aws:regoin",
        /not a setting of the AWS provider.*Did you mean "aws:region"\?/,
    ],
    ["one of our settings in the aws namespace", { "aws:flushSize": 100 }, "aws:flushSize", /Did you mean "msk-s3-sink:flushSize"\?/],
    [
        "an AWS setting in our namespace",
        { "msk-s3-sink:profile": "lab" },
        "msk-s3-sink:profile",
        /not a setting of this program\. Did you mean "aws:profile"\?/,
    ],
    [
        "an empty flush size (a YAML key with nothing after it)",
        { "msk-s3-sink:flushSize": null },
        "msk-s3-sink:flushSize",
        /is empty\. Remove it to use the default \(`200`\), or give it a value/,
    ],
    ["an empty quoted flush size", { "msk-s3-sink:flushSize": "" }, "msk-s3-sink:flushSize", /is empty\. Remove it to use the default/],
    ["an empty quoted value", { "msk-s3-sink:verifyQuery": "" }, "msk-s3-sink:verifyQuery", /is empty\./],
    ["an empty account id", { "msk-s3-sink:accountId": "" }, "msk-s3-sink:accountId", /is empty\. required: the 12-digit account/],
    [
        "a KMS key in another region",
        { "msk-s3-sink:kmsKeyArn": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab" },
        "msk-s3-sink:kmsKeyArn",
        /is a key in eu-west-1, but the stack deploys to us-east-2 \(aws:region\)/,
    ],
    [
        "a KMS alias ARN in another region",
        { "msk-s3-sink:kmsKeyArn": "arn:aws:kms:us-west-2:111122223333:alias/msk-lab" },
        "msk-s3-sink:kmsKeyArn",
        /is a key in us-west-2, but the stack deploys to us-east-2/,
    ],
    [
        "a KMS key ARN in another partition",
        { "msk-s3-sink:kmsKeyArn": "arn:aws-cn:kms:us-east-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab" },
        "msk-s3-sink:kmsKeyArn",
        /is in the "aws-cn" partition, but us-east-2 is in "aws"/,
    ],
    [
        "a log group KMS key in another region",
        { "msk-s3-sink:logGroup": "create", "msk-s3-sink:logKmsKeyArn": "arn:aws:kms:eu-west-1:111122223333:alias/logs" },
        "msk-s3-sink:logKmsKeyArn",
        /is a key in eu-west-1, but the stack deploys to us-east-2/,
    ],
    [
        "a connector key one letter off",
        extra({ "format.clas": "io.confluent.connect.s3.format.json.JsonFormat" }),
        'msk-s3-sink:extraConnectorConfig["format.clas"]',
        /\[unknown-key\].*Did you mean `format\.class`\?/,
    ],
    [
        "a connector key in British spelling",
        { "msk-s3-sink:extraConnectorConfig": { "behaviour.on.null.values": "ignore" } },
        'msk-s3-sink:extraConnectorConfig["behaviour.on.null.values"]',
        /Did you mean `behavior\.on\.null\.values`\?/,
    ],
    [
        "Kafka Connect 3.7.1 written out",
        { "msk-s3-sink:kafkaConnectVersion": "3.7.1" },
        "msk-s3-sink:kafkaConnectVersion",
        /expected one of "2\.7\.1", "3\.7\.x"\. Did you mean "3\.7\.x"\?$/,
    ],
    [
        "Kafka Connect 2.7 without the patch",
        { "msk-s3-sink:kafkaConnectVersion": "2.7" },
        "msk-s3-sink:kafkaConnectVersion",
        /Did you mean "2\.7\.1"\?$/,
    ],
    [
        "an access key in stack config",
        { "aws:accessKey": "AKIAIOSFODNN7EXAMPLE" },
        "aws:accessKey",
        /credentials do not belong in stack config/,
    ],
    [
        "Avro objects with the verification on",
        extra({ "format.class": "io.confluent.connect.s3.format.avro.AvroFormat" }),
        "msk-s3-sink:verify",
        /reads JSON Lines.*with io\.confluent\.connect\.s3\.format\.avro\.AvroFormat.*set msk-s3-sink:verify to false/,
    ],
    [
        "a time-based partitioner without verifyPrefix",
        extra({
            "partitioner.class": "io.confluent.connect.storage.partitioner.TimeBasedPartitioner",
            "path.format": "'year'=YYYY/'month'=MM/'day'=dd",
            "partition.duration.ms": "3600000",
            locale: "en-US",
            timezone: "UTC",
        }),
        "msk-s3-sink:verifyPrefix",
        /required with partitioner\.class TimeBasedPartitioner.*set msk-s3-sink:verifyPrefix to the first topic's directory, topics\/salesdb\.salesdb\.CUSTOMER\//,
    ],
    [
        "a time-based partitioner without the settings it needs",
        {
            ...extra({ "partitioner.class": "io.confluent.connect.storage.partitioner.DailyPartitioner", locale: "en-US" }),
            "msk-s3-sink:verifyPrefix": "topics/salesdb.salesdb.CUSTOMER/",
        },
        'msk-s3-sink:extraConnectorConfig["timezone"]',
        /`timezone` is required with partitioner\.class DailyPartitioner/,
    ],
];

describe("realistic stack files", () => {
    for (const [what, overrides, key, message] of BAD) {
        it(`fails on ${what}, with one problem naming ${key}`, () => {
            const err = refusal(overrides);
            assert.deepStrictEqual(
                err.problems.map((p) => p.key),
                [key],
                err.message,
            );
            assert.match(err.problems[0].message, message);
            assert.ok(!/\n\s+at /.test(err.message), "no stack trace in the message");
        });
    }

    it("fails on a wrong account id with one problem, not a second about a stand-in 000000000000", () => {
        const err = refusal({ "msk-s3-sink:accountId": "11112222333" });
        assert.deepStrictEqual(
            err.problems.map((p) => p.key),
            ["msk-s3-sink:accountId"],
        );
        assert.ok(!err.message.includes("000000000000"), err.message);
    });

    // What depends on a wrong value is not checked against its stand-in: each of these is one problem.
    const CASCADES: [string, Overrides, string][] = [
        [
            "a wrong region and a KMS key in the intended one",
            { "aws:region": "us-est-2", "msk-s3-sink:kmsKeyArn": "arn:aws:kms:us-east-2:111122223333:alias/k" },
            "aws:region",
        ],
        [
            "a misspelled log group mode with a retention",
            { "msk-s3-sink:logGroup": "creat", "msk-s3-sink:logRetentionDays": 90 },
            "msk-s3-sink:logGroup",
        ],
        ["a misspelled role mode with a role name", { "msk-s3-sink:executionRole": "creat" }, "msk-s3-sink:executionRole"],
        [
            "too many workers with a minimum above the stand-in maximum",
            { "msk-s3-sink:capacity": { maxWorkerCount: 11, minWorkerCount: 3 } },
            "msk-s3-sink:capacity.maxWorkerCount",
        ],
        [
            "a time-out that is not a number and a poll interval",
            { "msk-s3-sink:verifyTimeoutSeconds": "soon", "msk-s3-sink:verifyPollIntervalSeconds": 60 },
            "msk-s3-sink:verifyTimeoutSeconds",
        ],
        [
            "a bad topic and a prefix under it",
            { "msk-s3-sink:topics": "bad topic!", "msk-s3-sink:verifyPrefix": "topics/bad topic!/partition=0/" },
            "msk-s3-sink:topics",
        ],
        ["a bad digest and a local zip", { "msk-s3-sink:pluginSha256": "xyz" }, "msk-s3-sink:pluginSha256"],
        ["an empty allowedAccountIds", { "aws:allowedAccountIds": null }, "aws:allowedAccountIds"],
    ];
    for (const [what, overrides, key] of CASCADES) {
        it(`reports ${what} once, naming ${key}`, () => {
            const dir = tempDir("stack");
            const local = "msk-s3-sink:pluginSha256" in overrides ? { "msk-s3-sink:pluginLocalPath": zipIn(dir, "plugin.zip").file } : {};
            const err = refusal({ ...overrides, ...local }, dir);
            assert.deepStrictEqual(
                err.problems.map((p) => p.key),
                [key],
                err.message,
            );
        });
    }

    it("fails on a local zip whose digest is not the pin with a clean config error that shows the file's digest", () => {
        const dir = tempDir("stack");
        const zip = zipIn(dir, "confluentinc-kafka-connect-s3-10.5.15.zip");
        const err = refusal(
            { "msk-s3-sink:pluginLocalPath": "./confluentinc-kafka-connect-s3-10.5.15.zip", "msk-s3-sink:pluginSha256": "ab".repeat(32) },
            dir,
        );
        assert.deepStrictEqual(
            err.problems.map((p) => p.key),
            ["msk-s3-sink:pluginLocalPath"],
        );
        assert.match(err.problems[0].message, new RegExp(`has SHA-256 ${zip.sha256}, but msk-s3-sink:pluginSha256 is (ab){32}`));
        assert.match(err.problems[0].message, new RegExp(`pulumi config set msk-s3-sink:pluginSha256 ${zip.sha256}`));
        assert.ok(!err.message.includes("error serializing property"));
    });

    it("shows a secret's value as [secret] when `pulumi up` hands over a decrypted value that is wrong", () => {
        const raw = { ...readStackFile(ROOT, "dev").raw, "msk-s3-sink:pluginUrl": "http://mirror.example.com/s3-sink.zip?token=abc123" };
        try {
            parseStackConfig(raw, { stack: "dev", secretKeys: ["msk-s3-sink:pluginUrl"], baseDir: ROOT });
            assert.fail("expected a refusal");
        } catch (e) {
            assert.ok(e instanceof StackConfigError);
            assert.deepStrictEqual(e.problems, [
                {
                    key: "msk-s3-sink:pluginUrl",
                    value: OPAQUE_SECRET,
                    message: "expected an https:// URL with no user name or password in it (a mirror of the connector zip).",
                },
            ]);
            assert.ok(!e.message.includes("abc123"));
        }
    });
});

describe("realistic stack files that must pass", () => {
    it("passes a secure pluginUrl and accountId it cannot decrypt, shown as [secret] and listed, not checked", () => {
        const s = parseStack({
            "msk-s3-sink:pluginUrl": { secure: "AAABADs3cmV0LXVybA==" },
            "msk-s3-sink:accountId": { secure: "AAABAHNlY3JldC1pZA==" },
        });
        assert.deepStrictEqual(s.opaqueSecrets, ["msk-s3-sink:accountId", "msk-s3-sink:pluginUrl"]);
        assert.deepStrictEqual(s.plugin.source, { kind: "download", url: "[secret]", sha256: "0".repeat(64) });
        assert.strictEqual(s.accountId, "[secret]");
        assert.strictEqual(s.targetBucket.name, "msk-lab-[secret]-target-bucket");
    });

    it("passes an upper-case SHA-256 (as PowerShell's Get-FileHash prints it) and keeps it in lower case", () => {
        const digest = "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08";
        assert.strictEqual(parseStack({ "msk-s3-sink:pluginSha256": digest }).plugin.source.sha256, digest.toLowerCase());
    });

    it("passes a local zip named .ZIP with the pinned digest", () => {
        const dir = tempDir("stack");
        const zip = zipIn(dir, "CONFLUENTINC-KAFKA-CONNECT-S3-10.5.15.ZIP");
        const s = parseStack(
            { "msk-s3-sink:pluginLocalPath": "CONFLUENTINC-KAFKA-CONNECT-S3-10.5.15.ZIP", "msk-s3-sink:pluginSha256": zip.sha256 },
            dir,
        );
        assert.deepStrictEqual(s.plugin.source, { kind: "local", path: zip.file, sha256: zip.sha256 });
    });

    it("expands ~ in pluginLocalPath and pluginCacheDir to the home directory", () => {
        const home = tempDir("home");
        const zip = zipIn(home, "s3-sink.zip");
        const saved = process.env.HOME;
        process.env.HOME = home;
        try {
            const local = parseStack({ "msk-s3-sink:pluginLocalPath": "~/s3-sink.zip", "msk-s3-sink:pluginSha256": zip.sha256 });
            assert.deepStrictEqual(local.plugin.source, { kind: "local", path: zip.file, sha256: zip.sha256 });
            assert.strictEqual(
                parseStack({ "msk-s3-sink:pluginCacheDir": "~/.cache/msk-s3-sink" }).plugin.cacheDir,
                path.join(home, ".cache", "msk-s3-sink"),
            );
        } finally {
            process.env.HOME = saved;
        }
    });

    it("passes a custom timestamp.extractor class and value.converter.basic.auth.credentials.source=USER_INFO", () => {
        const s = parseStack(
            extra({
                "timestamp.extractor": "com.example.connect.OrderTimeExtractor",
                "value.converter.basic.auth.credentials.source": "USER_INFO",
            }),
        );
        assert.strictEqual(s.connectorConfiguration["timestamp.extractor"], "com.example.connect.OrderTimeExtractor");
        assert.deepStrictEqual(s.warnings, []);
    });

    it("passes the pulumi namespace, the AWS provider's own settings and other packages' namespaces", () => {
        const s = parseStack({
            "pulumi:disable-default-providers": ["aws"],
            "aws:profile": "lab",
            "aws:skipCredentialsValidation": false,
            "aws:defaultTags": { tags: { team: "data" } },
            "aws-native:region": "us-east-2",
            "awsx:someSetting": "x",
        });
        assert.strictEqual(s.region, "us-east-2");
    });

    it("passes a query the fallback cannot evaluate when only S3 Select runs it, and a COUNT(*) with more records than any LIMIT", () => {
        const select = parseStack({
            "msk-s3-sink:verifyQuery": "SELECT * FROM s3object s WHERE s.op IN ('c', 'u') LIMIT 5",
            "msk-s3-sink:verifyMethod": "select",
        });
        assert.strictEqual(select.verification.method, "select");
        const count = parseStack({ "msk-s3-sink:verifyQuery": "SELECT COUNT(*) FROM s3object s", "msk-s3-sink:verifyMinRecords": 200 });
        assert.strictEqual(count.verification.minRecords, 200);
    });

    it("passes a verifyPrefix on another partition of a topic it reads, and one under a topics.dir it sets", () => {
        assert.strictEqual(
            parseStack({ "msk-s3-sink:verifyPrefix": "topics/salesdb.salesdb.CUSTOMER/partition=1/" }).verification.prefix,
            "topics/salesdb.salesdb.CUSTOMER/partition=1/",
        );
        const moved = parseStack({
            ...extra({ "topics.dir": "cdc" }),
            "msk-s3-sink:verifyPrefix": "cdc/salesdb.salesdb.CUSTOMER/partition=0/",
        });
        assert.strictEqual(moved.verification.prefix, "cdc/salesdb.salesdb.CUSTOMER/partition=0/");
    });

    it("passes a time-based partitioner with its settings and a verifyPrefix on the topic's directory, and Avro with the verification off", () => {
        const timed = parseStack({
            ...extra({
                "partitioner.class": "io.confluent.connect.storage.partitioner.HourlyPartitioner",
                locale: "en-US",
                timezone: "UTC",
            }),
            "msk-s3-sink:verifyPrefix": "topics/salesdb.salesdb.CUSTOMER/",
        });
        assert.strictEqual(timed.verification.prefix, "topics/salesdb.salesdb.CUSTOMER/");
        const avro = parseStack({
            ...extra({ "format.class": "io.confluent.connect.s3.format.avro.AvroFormat" }),
            "msk-s3-sink:verify": false,
        });
        assert.strictEqual(avro.verification.enabled, false);
        assert.strictEqual(avro.connectorConfiguration["format.class"], "io.confluent.connect.s3.format.avro.AvroFormat");
    });

    it("passes a KMS alias ARN in the stack's region, and China and GovCloud regions with their partitions", () => {
        assert.strictEqual(
            parseStack({ "msk-s3-sink:kmsKeyArn": "arn:aws:kms:us-east-2:111122223333:alias/msk-lab" }).kmsKeyArn,
            "arn:aws:kms:us-east-2:111122223333:alias/msk-lab",
        );
        const china = parseStack({
            "aws:region": "cn-north-1",
            "msk-s3-sink:kmsKeyArn": "arn:aws-cn:kms:cn-north-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        });
        assert.strictEqual(china.partition, "aws-cn");
        assert.strictEqual(parseStack({ "aws:region": "us-gov-west-1" }).partition, "aws-us-gov");
    });

    it("passes a near-miss connector key when the stack silences unknown-key, keeping it a warning", () => {
        const s = parseStack({ ...extra({ "format.clas": "x" }), "msk-s3-sink:doctorSilence": ["unknown-key"] });
        assert.strictEqual(s.connectorConfiguration["format.clas"], "x");
    });

    it("plans the lab's dev stack with exactly its own findings: the tombstone warning", () => {
        const s = parseStack({});
        assert.deepStrictEqual(
            s.warnings.map((w) => `${w.severity}:${w.rule}`),
            ["warning:tombstones-fail-task"],
        );
        assert.deepStrictEqual(s.opaqueSecrets, []);
    });
});

describe("stack files read as the Pulumi CLI reads them (YAML types a plain scalar)", () => {
    /** The dev stack's file with `lines` replacing the lines of the settings they name, without those in `drop`. */
    function writeWith(lines: Record<string, string>, drop: string[] = []): string {
        const dir = tempDir("stack");
        const dev = fs.readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8").split("\n");
        const names = [...Object.keys(lines), ...drop];
        let dropping = false; // a replaced setting's own lines (a list's items) go with it
        const kept = dev.filter((line) => {
            if (/^ {2}\S/.test(line)) dropping = names.some((n) => line.startsWith(`  ${n}:`));
            return !dropping || !/^ {2}/.test(line);
        });
        const text = [...kept, ...Object.keys(lines).map((n) => `  ${n}: ${lines[n]}`)].join("\n") + "\n";
        fs.writeFileSync(path.join(dir, "Pulumi.t.yaml"), text);
        return dir;
    }
    function parseWritten(lines: Record<string, string>): StackSettings {
        const dir = writeWith(lines);
        return parseStackFile(readStackFile(dir, "t"), dir);
    }
    function refusedWritten(lines: Record<string, string>): StackConfigError {
        try {
            parseWritten(lines);
        } catch (e) {
            assert.ok(e instanceof StackConfigError, `expected a StackConfigError, got ${(e as Error).stack}`);
            return e;
        }
        assert.fail(`expected ${JSON.stringify(lines)} to be refused`);
    }

    it("warns that an unquoted 0x10 arrives as 16 and passes it, as pulumi up would take it", () => {
        const s = parseWritten({ "msk-s3-sink:flushSize": "0x10" });
        assert.strictEqual(s.flushSizeRecords, 16);
        assert.deepStrictEqual(s.readingNotes, [
            { rule: "yaml-typed", key: "msk-s3-sink:flushSize", written: "0x10", received: "16", what: "a hexadecimal number" },
        ]);
    });
    it("takes True as true with a note (a topic TRUE would arrive as true), and a quoted value as its text", () => {
        const s = parseWritten({ "msk-s3-sink:verify": "True", "msk-s3-sink:connectorName": '"0123"' });
        assert.strictEqual(s.verification.enabled, true);
        assert.strictEqual(s.connectorName, "0123");
        assert.deepStrictEqual(
            s.readingNotes.map((n) => describeNote(n)),
            [
                'is written True without quotes, which YAML reads as a boolean, so `pulumi up` receives true. Write true if that is what you meant, or quote it ("True") to keep the text.',
            ],
        );
    });
    it("refuses an unquoted account id with a leading zero, saying pulumi up receives it without the zero and to quote it", () => {
        const err = refusedWritten({ "msk-s3-sink:accountId": "012345678901" });
        assert.deepStrictEqual(
            err.problems.map((p) => [p.key, p.value]),
            [["msk-s3-sink:accountId", "12345678901"]],
        );
        assert.match(
            err.problems[0].message,
            /written 012345678901 without quotes.*receives 12345678901.*quote it \("012345678901"\) to keep the text/,
        );
        assert.ok(!err.warnings.some((w) => w.rule === "yaml-typed"), "the note is told inside the problem, not again as a warning");
    });
    it("names the topic a leading-zero list item becomes, and refuses a date as a connector name with the reason", () => {
        const s = parseWritten({ "msk-s3-sink:topics": "[0123, salesdb.salesdb.CUSTOMER]" });
        assert.deepStrictEqual(s.topics, ["83", "salesdb.salesdb.CUSTOMER"]);
        assert.deepStrictEqual(
            s.readingNotes.map((n) => [n.key, n.received]),
            [["msk-s3-sink:topics[0]", "83"]],
        );
        const err = refusedWritten({ "msk-s3-sink:connectorName": "2024-01-01" });
        assert.strictEqual(err.problems[0].value, "2024-01-01 00:00:00 +0000 UTC");
        assert.match(err.problems[0].message, /YAML reads as a date.*Quote it \("2024-01-01"\) to keep the text/);
    });
    it("keeps an all-digit topic a name, alone or in a list", () => {
        assert.deepStrictEqual(parseWritten({ "msk-s3-sink:topics": "2024" }).topics, ["2024"]);
        assert.deepStrictEqual(parseWritten({ "msk-s3-sink:topics": "[2024, salesdb.salesdb.CUSTOMER]" }).topics, [
            "2024",
            "salesdb.salesdb.CUSTOMER",
        ]);
    });
    it("reads an empty value and ~ as empty, and a quoted null as the word", () => {
        const err = refusedWritten({ "msk-s3-sink:connectorName": "~" });
        assert.match(err.problems[0].message, /empty/);
        assert.strictEqual(parseWritten({ "msk-s3-sink:connectorName": '"null"' }).connectorName, "null");
    });
    it("refuses what the Pulumi CLI cannot load (.inf, a value its tag does not fit), naming the key and the fix, with every other problem", () => {
        for (const [written, where, fix] of [
            [".inf", "msk-s3-sink:flushSize", /JSON.*has none\. Quote it \("\.inf"\)/],
            ["!!int ten", "msk-s3-sink:flushSize", /tagged !!int but reads as !!str\. Remove the tag, or write a !!int value/],
            ["[1, .nan]", "msk-s3-sink:topics[1]", /Quote it \("\.nan"\)/],
        ] as const) {
            const key = where.replace(/\[.*$/, "");
            const err = refusedWritten({ [key]: written, "msk-s3-sink:tasksMax": "0" });
            assert.deepStrictEqual(
                err.problems.map((p) => p.key),
                [where, "msk-s3-sink:tasksMax"],
                written,
            );
            assert.match(err.problems[0].message, /the Pulumi CLI cannot load the file with this value/);
            assert.match(err.problems[0].message, fix);
        }
    });
    it("treats a value with a secure part anywhere (pulumi config set --secret --path) as a secret, and only Pulumi's own shape", () => {
        const dir = writeWith({
            "aws:assumeRoles": "[{roleArn: arn:aws:iam::123456789012:role/deploy, externalId: {secure: v1:AAAA}}]",
            "msk-s3-sink:connectorName": "{secure: v1:BBBB, note: x}",
        });
        const file = readStackFile(dir, "t");
        assert.deepStrictEqual(file.secretKeys, ["aws:assumeRoles"]);
        assert.strictEqual(file.raw["aws:assumeRoles"], OPAQUE_SECRET);
        assert.strictEqual(file.raw["msk-s3-sink:connectorName"], '{"secure":"v1:BBBB","note":"x"}');
    });
    it("reads name and ns:config:name keys as the CLI does, and refuses one set both ways or with more colons", () => {
        const file = readStackFile(
            writeWith({ flushSize: "10", "aws:config:skipMetadataApiCheck": "true" }, ["msk-s3-sink:flushSize"]),
            "t",
        );
        assert.strictEqual(file.raw["msk-s3-sink:flushSize"], "10");
        assert.strictEqual(file.raw["aws:skipMetadataApiCheck"], "true");
        assert.deepStrictEqual(
            file.notes.map((n) => [n.rule, n.key, describeNote(n)]),
            [
                [
                    "key-without-namespace",
                    "msk-s3-sink:flushSize",
                    'is written "flushSize", without a namespace: the Pulumi CLI (3.41 and later) reads it as msk-s3-sink:flushSize, and older ones refuse it. Write it as "msk-s3-sink:flushSize" so every CLI reads it the same.',
                ],
            ],
        );
        const twice = refusedWritten({ "msk-s3-sink:flushSize": "10", flushSize: "20", "a:b:c": "1" });
        assert.deepStrictEqual(
            twice.problems.map((p) => [p.key, p.value]),
            [
                ["msk-s3-sink:flushSize", ["msk-s3-sink:flushSize", "flushSize"]],
                ["a:b:c", "(not read)"],
            ],
        );
        assert.match(twice.problems[0].message, /is set twice, as "msk-s3-sink:flushSize" and as "flushSize".*Keep one of them/);
        assert.match(twice.problems[1].message, /is not a config key: the Pulumi CLI takes <namespace>:<name>/);
    });
});
