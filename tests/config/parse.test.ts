import * as assert from "assert";
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { AWS_PROVIDER_FIELDS, AWS_PROVIDER_SETTINGS, DEFAULTS, parseStackConfig, StackConfigError } from "../../config";
import { devRaw, settingsFrom } from "../helpers";
import { tempDir } from "../setup";

function problemsOf(overrides: Record<string, string | undefined>, secretKeys: string[] = []): StackConfigError {
    try {
        settingsFrom(devRaw(overrides), secretKeys);
    } catch (e) {
        assert.ok(e instanceof StackConfigError, `expected StackConfigError, got ${e}`);
        return e;
    }
    assert.fail(`expected ${JSON.stringify(overrides)} to be rejected`);
}

describe("workerConfigurationRevision", () => {
    it("reads a pinned number, and latest (the default)", () => {
        assert.strictEqual(settingsFrom(devRaw({ "msk-s3-sink:workerConfigurationRevision": "3" })).workerConfigurationRevision, 3);
        assert.strictEqual(
            settingsFrom(devRaw({ "msk-s3-sink:workerConfigurationRevision": undefined })).workerConfigurationRevision,
            "latest",
        );
        assert.strictEqual(
            settingsFrom(devRaw({ "msk-s3-sink:workerConfigurationRevision": "latest" })).workerConfigurationRevision,
            "latest",
        );
    });
});

describe("warnings shown with problems", () => {
    it("names the setting that sets a connector key (flushSize for flush.size), and leaves out the doctor when the extra keys are an unreadable secret", () => {
        const err = problemsOf({ "msk-s3-sink:flushSize": "100000", "msk-s3-sink:tasksMax": "0" });
        assert.deepStrictEqual(
            err.warnings.map((w) => [w.rule, w.key]),
            [
                ["placeholder-digest", "msk-s3-sink:pluginSha256"],
                ["tombstones-fail-task", 'msk-s3-sink:extraConnectorConfig["behavior.on.null.values"]'],
                ["flush-size-outlasts-verification", "msk-s3-sink:flushSize"],
            ],
        );
        assert.match(err.message, /\n {2}- warning \[flush-size-outlasts-verification\] msk-s3-sink:flushSize: at about 1 record/);
        const secret = problemsOf({ "msk-s3-sink:extraConnectorConfig": "[secret]" }, ["msk-s3-sink:extraConnectorConfig"]);
        assert.deepStrictEqual(
            secret.warnings.map((w) => w.rule),
            ["placeholder-digest"],
        );
    });
});

describe("stack config", () => {
    it("reads the dev stack with the lab's values and the documented defaults", () => {
        const s = settingsFrom(devRaw());
        assert.strictEqual(s.region, "us-east-2");
        assert.strictEqual(s.accountId, "111122223333");
        assert.strictEqual(s.partition, "aws");
        assert.deepStrictEqual(s.pluginsBucket, { name: "msk-lab-111122223333-plugins-bucket", create: false });
        assert.deepStrictEqual(s.targetBucket, { name: "msk-lab-111122223333-target-bucket", create: false });
        assert.strictEqual(s.plugin.objectKey, "kafka-connect-s3/confluentinc-kafka-connect-s3-10.5.15.zip");
        assert.strictEqual(s.plugin.customPluginName, "confluentinc-kafka-connect-s3-10-5-15");
        assert.deepStrictEqual(s.plugin.source, {
            kind: "download",
            url: "https://d2p6pa21dvn84.cloudfront.net/api/plugins/confluentinc/kafka-connect-s3/versions/10.5.15/confluentinc-kafka-connect-s3-10.5.15.zip",
            sha256: "0".repeat(64),
        });
        assert.strictEqual(s.mskClusterName, "MSKCluster-mskconnectlab");
        assert.strictEqual(s.connectorName, "confluentinc-kafka-connect-s3");
        assert.deepStrictEqual(s.topics, ["salesdb.salesdb.CUSTOMER"]);
        assert.deepStrictEqual(s.capacity, DEFAULTS.capacity);
        assert.strictEqual(s.kafkaConnectVersion, "2.7.1");
        assert.strictEqual(s.workerConfigurationName, "SourceAuroraDebeziumConnectorConfig");
        assert.deepStrictEqual(s.executionRole, { mode: "lookup", namePrefix: "mskconnectlab-S3ConnectorIAMRole-" });
        assert.deepStrictEqual(s.logGroup, { mode: "lookup", name: "/msk-lab-target-s3sink-connector", retentionDays: 30 });
        assert.strictEqual(s.verification.prefix, "topics/salesdb.salesdb.CUSTOMER/partition=0/");
        assert.strictEqual(s.verification.enabled, true);
        assert.strictEqual(s.verification.query, "SELECT * FROM s3object s LIMIT 5");
    });

    it("derives names from a bumped plugin version", () => {
        const s = settingsFrom(devRaw({ "msk-s3-sink:pluginVersion": "10.6.0" }));
        assert.strictEqual(s.plugin.objectKey, "kafka-connect-s3/confluentinc-kafka-connect-s3-10.6.0.zip");
        assert.strictEqual(s.plugin.customPluginName, "confluentinc-kafka-connect-s3-10-6-0");
        assert.ok(
            s.plugin.source.kind === "download" &&
                s.plugin.source.url.endsWith("/versions/10.6.0/confluentinc-kafka-connect-s3-10.6.0.zip"),
        );
    });

    it("accepts provisioned capacity, Kafka Connect 3.7.x, a created role and log group, and no worker configuration", () => {
        const s = settingsFrom(
            devRaw({
                "msk-s3-sink:capacity": JSON.stringify({ mode: "provisioned", mcuCount: 2, workerCount: 3 }),
                "msk-s3-sink:kafkaConnectVersion": "3.7.x",
                "msk-s3-sink:executionRole": "create",
                "msk-s3-sink:executionRoleNamePrefix": undefined,
                "msk-s3-sink:logGroup": "create",
                "msk-s3-sink:logRetentionDays": "90",
                "msk-s3-sink:workerConfigurationName": "none",
            }),
        );
        assert.deepStrictEqual(s.capacity, { mode: "provisioned", mcuCount: 2, workerCount: 3 });
        assert.strictEqual(s.kafkaConnectVersion, "3.7.x");
        assert.deepStrictEqual(s.executionRole, { mode: "create" });
        assert.strictEqual(s.logGroup.mode, "create");
        assert.strictEqual(s.logGroup.retentionDays, 90);
        assert.strictEqual(s.workerConfigurationName, undefined);
    });

    it("merges extra connector keys over the lab's", () => {
        const s = settingsFrom(
            devRaw({
                "msk-s3-sink:extraConnectorConfig": JSON.stringify({ "behavior.on.null.values": "ignore", "s3.part.size": "26214400" }),
            }),
        );
        assert.strictEqual(s.connectorConfiguration["behavior.on.null.values"], "ignore");
        assert.strictEqual(s.connectorConfiguration["s3.part.size"], "26214400");
        assert.strictEqual(s.connectorConfiguration["flush.size"], "200");
        assert.deepStrictEqual(s.warnings, []);
    });

    it("accepts a local zip path instead of a download, when the zip has the pinned digest", () => {
        const file = path.join(tempDir("zip"), "plugin.zip");
        fs.writeFileSync(file, "zip");
        const sha256 = crypto.createHash("sha256").update("zip").digest("hex");
        const s = settingsFrom(devRaw({ "msk-s3-sink:pluginLocalPath": file, "msk-s3-sink:pluginSha256": sha256 }));
        assert.deepStrictEqual(s.plugin.source, { kind: "local", path: file, sha256 });
    });

    // Each bad value: the override, the key the message must name, and a phrase of what is allowed.
    const bad: [string, Record<string, string | undefined>, string, RegExp][] = [
        ["a missing region", { "aws:region": undefined }, "aws:region", /required/],
        ["a malformed region", { "aws:region": "Ohio" }, "aws:region", /AWS region code/],
        ["a short account id", { "msk-s3-sink:accountId": "12345" }, "msk-s3-sink:accountId", /12-digit/],
        [
            "a missing allowedAccountIds guard",
            { "aws:allowedAccountIds": undefined },
            "aws:allowedAccountIds",
            /refuses to act on any other account/,
        ],
        [
            "an allowedAccountIds without the account",
            { "aws:allowedAccountIds": '["999999999999"]' },
            "aws:allowedAccountIds",
            /includes msk-s3-sink:accountId/,
        ],
        ["a bucket name with capitals", { "msk-s3-sink:targetBucket": "My_Bucket" }, "msk-s3-sink:targetBucket", /S3 bucket name/],
        ["a non-hex digest", { "msk-s3-sink:pluginSha256": "abc" }, "msk-s3-sink:pluginSha256", /64 hex digits/],
        ["a missing digest", { "msk-s3-sink:pluginSha256": undefined }, "msk-s3-sink:pluginSha256", /required/],
        ["a plain-http plugin URL", { "msk-s3-sink:pluginUrl": "http://example.com/x.zip" }, "msk-s3-sink:pluginUrl", /https:\/\//],
        [
            "a local zip that does not exist",
            { "msk-s3-sink:pluginLocalPath": "/nonexistent/plugin.zip" },
            "msk-s3-sink:pluginLocalPath",
            /is not a file/,
        ],
        ["a plugin version that is not x.y.z", { "msk-s3-sink:pluginVersion": "latest" }, "msk-s3-sink:pluginVersion", /10\.5\.15/],
        ["a zero flush size", { "msk-s3-sink:flushSize": "0" }, "msk-s3-sink:flushSize", /whole number from 1/],
        ["a flush size that is not a number", { "msk-s3-sink:flushSize": "lots" }, "msk-s3-sink:flushSize", /whole number/],
        ["zero tasks", { "msk-s3-sink:tasksMax": "0" }, "msk-s3-sink:tasksMax", /whole number from 1/],
        [
            "a worker configuration revision of 0",
            { "msk-s3-sink:workerConfigurationRevision": "0" },
            "msk-s3-sink:workerConfigurationRevision",
            /revision number \(an integer ≥ 1.*or "latest"/,
        ],
        [
            "a worker configuration revision that is a word",
            { "msk-s3-sink:workerConfigurationRevision": "newest" },
            "msk-s3-sink:workerConfigurationRevision",
            /or "latest"/,
        ],
        ["an invalid topic name", { "msk-s3-sink:topics": "bad topic!" }, "msk-s3-sink:topics", /Kafka topic names/],
        [
            "an unsupported Kafka Connect version",
            { "msk-s3-sink:kafkaConnectVersion": "3.6.0" },
            "msk-s3-sink:kafkaConnectVersion",
            /"2\.7\.1", "3\.7\.x"/,
        ],
        [
            "an MCU count of 3",
            { "msk-s3-sink:capacity": '{"mode":"autoscaling","mcuCount":3}' },
            "msk-s3-sink:capacity.mcuCount",
            /1, 2, 4 or 8/,
        ],
        [
            "11 workers",
            { "msk-s3-sink:capacity": '{"mode":"provisioned","workerCount":11}' },
            "msk-s3-sink:capacity.workerCount",
            /1 to 10/,
        ],
        [
            "min workers above max",
            { "msk-s3-sink:capacity": '{"minWorkerCount":3,"maxWorkerCount":2}' },
            "msk-s3-sink:capacity.minWorkerCount",
            /must not exceed/,
        ],
        [
            "scale-in above scale-out",
            { "msk-s3-sink:capacity": '{"scaleInCpuPercent":90,"scaleOutCpuPercent":80}' },
            "msk-s3-sink:capacity.scaleInCpuPercent",
            /below/,
        ],
        ["an unknown capacity mode", { "msk-s3-sink:capacity": '{"mode":"serverless"}' }, "msk-s3-sink:capacity.mode", /autoscaling/],
        ["an unknown role mode", { "msk-s3-sink:executionRole": "reuse" }, "msk-s3-sink:executionRole", /"lookup", "create"/],
        [
            "a role prefix given with role creation",
            { "msk-s3-sink:executionRole": "create" },
            "msk-s3-sink:executionRoleNamePrefix",
            /only applies when/,
        ],
        [
            "a retention CloudWatch does not offer",
            { "msk-s3-sink:logGroup": "create", "msk-s3-sink:logRetentionDays": "10" },
            "msk-s3-sink:logRetentionDays",
            /retention periods/,
        ],
        [
            "a retention on a looked-up log group",
            { "msk-s3-sink:logRetentionDays": "30" },
            "msk-s3-sink:logRetentionDays",
            /only applies when/,
        ],
        ["a misspelled setting", { "msk-s3-sink:flushsize": "100" }, "msk-s3-sink:flushsize", /Did you mean "msk-s3-sink:flushSize"/],
        ["a verification query that is not SELECT", { "msk-s3-sink:verifyQuery": "DELETE FROM x" }, "msk-s3-sink:verifyQuery", /SELECT/],
        ["an unknown verification method", { "msk-s3-sink:verifyMethod": "athena" }, "msk-s3-sink:verifyMethod", /"auto", "select", "get"/],
        [
            "a poll interval longer than the time-out",
            { "msk-s3-sink:verifyTimeoutSeconds": "10", "msk-s3-sink:verifyPollIntervalSeconds": "60" },
            "msk-s3-sink:verifyPollIntervalSeconds",
            /must not exceed/,
        ],
        ["credentials in stack config", { "aws:secretKey": "abc" }, "aws:secretKey", /do not belong in stack config/],
        [
            "extra connector config that is not a map",
            { "msk-s3-sink:extraConnectorConfig": '["a"]' },
            "msk-s3-sink:extraConnectorConfig",
            /map of connector setting/,
        ],
        [
            "a connector override to another region",
            { "msk-s3-sink:extraConnectorConfig": '{"s3.region":"eu-west-1"}' },
            'msk-s3-sink:extraConnectorConfig["s3.region"]',
            /a first-class setting sets `s3\.region`, and it wins: it follows aws:region/,
        ],
        [
            "an unknown doctorSilence rule",
            { "msk-s3-sink:doctorSilence": '["tombstones"]' },
            "msk-s3-sink:doctorSilence",
            /warning rule names/,
        ],
        ["a bad KMS key", { "msk-s3-sink:kmsKeyArn": "my-key" }, "msk-s3-sink:kmsKeyArn", /KMS key ARN/],
        [
            "a KMS alias where its ARN is needed (with the ARN to write)",
            { "msk-s3-sink:kmsKeyArn": "alias/mine" },
            "msk-s3-sink:kmsKeyArn",
            /expected a key ARN or an alias ARN, not an alias name .*arn:aws:kms:us-east-2:111122223333:alias\/mine/,
        ],
    ];
    for (const [what, overrides, key, allowed] of bad) {
        it(`fails when given ${what}, naming ${key}`, () => {
            const err = problemsOf(overrides);
            const p = err.problems.find((x) => x.key === key);
            assert.ok(p, `no problem names ${key}: ${err.message}`);
            assert.match(p.message, allowed);
            assert.match(err.message, new RegExp(`- ${key.replace(/[[\]".]/g, "\\$&")}`));
            assert.match(err.message, /nothing was created/);
        });
    }

    it("reports every problem in one run", () => {
        const err = problemsOf({ "msk-s3-sink:flushSize": "0", "msk-s3-sink:tasksMax": "x", "aws:region": "nowhere" });
        assert.deepStrictEqual(err.problems.map((p) => p.key).sort(), ["aws:region", "msk-s3-sink:flushSize", "msk-s3-sink:tasksMax"]);
        assert.match(err.message, /has 3 configuration problems/);
    });

    it("fails when a secret-looking setting is stored in plain text, without echoing it", () => {
        const raw = devRaw({ "msk-s3-sink:proxyPassword": "hunter2" });
        const err = (() => {
            try {
                parseStackConfig(raw, { stack: "dev", baseDir: "." });
            } catch (e) {
                return e as StackConfigError;
            }
            assert.fail("expected a rejection");
        })();
        const p = err.problems.find((x) => x.key === "msk-s3-sink:proxyPassword" && /plain text/.test(x.message));
        assert.ok(p, err.message);
        assert.match(p.message, /pulumi config set --secret msk-s3-sink:proxyPassword/);
        assert.strictEqual(JSON.stringify(err.problems).includes("hunter2"), false, "the secret value must not be echoed");
    });

    it("accepts the AWS provider's own non-secret credential settings and a secret given as a secret", () => {
        const s = settingsFrom(devRaw({ "aws:skipCredentialsValidation": "false", "aws:profile": "lab", "other:apiToken": "[secret]" }), [
            "other:apiToken",
        ]);
        assert.strictEqual(s.region, "us-east-2");
    });

    it("never echoes a credential's value", () => {
        const err = problemsOf({ "aws:secretKey": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" });
        assert.strictEqual(err.message.includes("wJalrXUtnFEMI"), false);
    });
});

describe("the AWS provider's settings", () => {
    it("lists exactly the settings @pulumi/aws declares in its config schema", () => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const vars = require("@pulumi/aws/config/vars") as Record<string, unknown>;
        const declared = Object.keys(Object.getOwnPropertyDescriptors(vars))
            .filter((k) => k !== "__esModule")
            .sort();
        assert.deepStrictEqual(Object.keys(AWS_PROVIDER_SETTINGS).sort(), declared);
    });

    it("lists exactly the fields and value kinds of @pulumi/aws's structured provider settings", () => {
        const types = fs.readFileSync(require.resolve("@pulumi/aws/types/input.d.ts"), "utf8");
        const fieldsOf = (iface: string): Record<string, string> => {
            const body = new RegExp(`^export interface ${iface} \\{\\n([\\s\\S]*?)^\\}`, "m").exec(types)![1];
            const fields = [...body.matchAll(/^ {4}(\w+)\?: (.*)$/gm)].map(([, field, type]) => {
                const kind = type.startsWith("pulumi.Input<{") ? "stringMap" : type.includes("Input<string>[]") ? "stringList" : "string";
                return [field, kind];
            });
            return Object.fromEntries(fields.sort(([a], [b]) => (a < b ? -1 : 1)));
        };
        const sorted = (o: Readonly<Record<string, string>>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));
        assert.deepStrictEqual(sorted(AWS_PROVIDER_FIELDS.assumeRoles), fieldsOf("ProviderAssumeRole"));
        assert.deepStrictEqual(sorted(AWS_PROVIDER_FIELDS.assumeRoleWithWebIdentity), fieldsOf("ProviderAssumeRoleWithWebIdentity"));
        assert.deepStrictEqual(sorted(AWS_PROVIDER_FIELDS.defaultTags), fieldsOf("ProviderDefaultTags"));
        assert.deepStrictEqual(sorted(AWS_PROVIDER_FIELDS.ignoreTags), fieldsOf("ProviderIgnoreTags"));
        assert.deepStrictEqual(sorted(AWS_PROVIDER_FIELDS.endpoints), fieldsOf("ProviderEndpoint"));
        assert.ok(Object.keys(AWS_PROVIDER_FIELDS.endpoints).length > 300);
    });
});

describe("aws:* settings for the explicit provider", () => {
    it("reads each by the kind the provider expects", () => {
        const s = settingsFrom(
            devRaw({
                "aws:profile": "lab",
                "aws:maxRetries": "5",
                "aws:insecure": "false",
                "aws:assumeRoles": '[{"roleArn":"arn:aws:iam::111122223333:role/r"}]',
            }),
        );
        assert.deepStrictEqual(s.awsProvider.settings, {
            profile: "lab",
            maxRetries: 5,
            insecure: false,
            assumeRoles: [{ roleArn: "arn:aws:iam::111122223333:role/r" }],
        });
        assert.deepStrictEqual(s.awsProvider.secret, []);
    });

    it("keeps a secret setting secret, and opaque where only a placeholder is known", () => {
        const s = settingsFrom(devRaw({ "aws:assumeRoles": "[secret]" }), ["aws:assumeRoles"]);
        assert.deepStrictEqual(s.awsProvider, { settings: {}, secret: ["assumeRoles"] });
        const up = settingsFrom(devRaw({ "aws:assumeRoles": '[{"roleArn":"arn:aws:iam::111122223333:role/r","externalId":"x"}]' }), [
            "aws:assumeRoles",
        ]);
        assert.deepStrictEqual(up.awsProvider.secret, ["assumeRoles"]);
        assert.deepStrictEqual(up.awsProvider.settings.assumeRoles, [{ roleArn: "arn:aws:iam::111122223333:role/r", externalId: "x" }]);
    });

    const bad: [string, Record<string, string>, string, RegExp][] = [
        [
            "a retry count that is not a number",
            { "aws:maxRetries": "lots" },
            "aws:maxRetries",
            /expected a whole number, as the AWS provider reads it/,
        ],
        [
            "assumed roles that are not a list of maps",
            { "aws:assumeRoles": '"arn:aws:iam::111122223333:role/r"' },
            "aws:assumeRoles",
            /a list of objects/,
        ],
        [
            "forbidden accounts beside the allowed one",
            { "aws:forbiddenAccountIds": '["999999999999"]' },
            "aws:forbiddenAccountIds",
            /conflicts with aws:allowedAccountIds/,
        ],
        [
            "an assumed role with a misspelt field",
            { "aws:assumeRoles": '[{"roleARN":"arn:aws:iam::111122223333:role/r"}]' },
            "aws:assumeRoles",
            /item 1: "roleARN" is not a field it takes; did you mean "roleArn"\?/,
        ],
        [
            "a web identity role whose policy ARNs are not a list",
            { "aws:assumeRoleWithWebIdentity": '{"roleArn":"arn:aws:iam::111122223333:role/r","policyArns":"arn:aws:iam::aws:policy/x"}' },
            "aws:assumeRoleWithWebIdentity",
            /"policyArns" must be a list of strings/,
        ],
        [
            "default tags written without their tags map",
            { "aws:defaultTags": '{"team":"data"}' },
            "aws:defaultTags",
            /"team" is not a field it takes/,
        ],
        [
            "ignored tags under a misspelt field",
            { "aws:ignoreTags": '{"keyPrefix":["kubernetes.io/"]}' },
            "aws:ignoreTags",
            /"keyPrefix" is not a field it takes; did you mean "keyPrefixes"\?/,
        ],
        [
            "an endpoint for a service name the provider does not know",
            { "aws:endpoints": '[{"kafkaConnect":"http://127.0.0.1:4566"}]' },
            "aws:endpoints",
            /item 1: "kafkaConnect" is not a field it takes; did you mean "kafkaconnect"\?/,
        ],
        [
            "default tags redefining the stack tag",
            { "aws:defaultTags": '{"tags":{"stack":"prod"}}' },
            "aws:defaultTags",
            /sets "stack", which the program sets itself/,
        ],
    ];
    it("takes every field the provider takes, with unquoted scalars as strings", () => {
        const s = settingsFrom(
            devRaw({
                "aws:defaultTags": '{"tags":{"team":"data","cost-center":1234}}',
                "aws:ignoreTags": '{"keys":["owner"],"keyPrefixes":["kubernetes.io/"]}',
                "aws:endpoints": '[{"s3":"http://127.0.0.1:4566","kafkaconnect":"http://127.0.0.1:4567"}]',
                "aws:assumeRoles":
                    '[{"roleArn":"arn:aws:iam::111122223333:role/r","duration":"1h","tags":{"run":7},"transitiveTagKeys":["run"]}]',
            }),
        );
        assert.deepStrictEqual(s.awsProvider.settings.defaultTags, { tags: { team: "data", "cost-center": "1234" } });
        assert.deepStrictEqual(s.awsProvider.settings.ignoreTags, { keys: ["owner"], keyPrefixes: ["kubernetes.io/"] });
        assert.deepStrictEqual(s.awsProvider.settings.endpoints, [{ s3: "http://127.0.0.1:4566", kafkaconnect: "http://127.0.0.1:4567" }]);
        assert.deepStrictEqual(s.awsProvider.settings.assumeRoles, [
            { roleArn: "arn:aws:iam::111122223333:role/r", duration: "1h", tags: { run: "7" }, transitiveTagKeys: ["run"] },
        ]);
    });

    it("refuses a web identity token in plain text without showing it, and takes it as a secret", () => {
        const token = "eyJhbGciOiJSUzI1NiJ9.payload.signature";
        const value = JSON.stringify({ roleArn: "arn:aws:iam::111122223333:role/r", webIdentityToken: token, policyArn: "x" });
        const err = problemsOf({ "aws:assumeRoleWithWebIdentity": value });
        assert.deepStrictEqual(
            err.problems.map((p) => [p.key, p.value]),
            [["aws:assumeRoleWithWebIdentity", "(redacted)"]],
        );
        assert.match(
            err.problems[0].message,
            /webIdentityToken in plain text.*--secret --path 'aws:assumeRoleWithWebIdentity.webIdentityToken'.*webIdentityTokenFile/,
        );
        assert.ok(!err.message.includes(token));
        const secret = JSON.stringify({ roleArn: "arn:aws:iam::111122223333:role/r", webIdentityToken: token });
        const s = settingsFrom(devRaw({ "aws:assumeRoleWithWebIdentity": secret }), ["aws:assumeRoleWithWebIdentity"]);
        assert.deepStrictEqual(s.awsProvider.secret, ["assumeRoleWithWebIdentity"]);
        assert.strictEqual((s.awsProvider.settings.assumeRoleWithWebIdentity as { webIdentityToken: string }).webIdentityToken, token);
    });

    for (const [what, overrides, key, message] of bad) {
        it(`fails when given ${what}, naming ${key}`, () => {
            const err = problemsOf(overrides);
            const p = err.problems.find((x) => x.key === key);
            assert.ok(p, err.message);
            assert.match(p.message, message);
        });
    }
});

describe("destroy settings", () => {
    it("lets a created, unretained target bucket be emptied on destroy, on request", () => {
        const s = settingsFrom(
            devRaw({
                "msk-s3-sink:createTargetBucket": "true",
                "msk-s3-sink:retainBucketsOnDestroy": "false",
                "msk-s3-sink:emptyTargetBucketOnDestroy": "true",
            }),
        );
        assert.strictEqual(s.emptyTargetBucketOnDestroy, true);
    });
    it("fails when emptying on destroy is asked of a bucket the stack keeps or does not create", () => {
        const cases: [Record<string, string>, RegExp][] = [
            [
                { "msk-s3-sink:emptyTargetBucketOnDestroy": "true" },
                /Fix: remove it, or set msk-s3-sink:createTargetBucket to true \(.*\) and msk-s3-sink:retainBucketsOnDestroy to false \(.*\)\.$/,
            ],
            [
                { "msk-s3-sink:createTargetBucket": "true", "msk-s3-sink:emptyTargetBucketOnDestroy": "true" },
                /Fix: remove it, or set msk-s3-sink:retainBucketsOnDestroy to false \(the stack keeps its buckets on destroy\)\.$/,
            ],
            [
                { "msk-s3-sink:retainBucketsOnDestroy": "false", "msk-s3-sink:emptyTargetBucketOnDestroy": "true" },
                /Fix: remove it, or set msk-s3-sink:createTargetBucket to true \(the stack does not create the target bucket\)\.$/,
            ],
        ];
        for (const [overrides, fix] of cases) {
            const p = problemsOf(overrides).problems.find((x) => x.key === "msk-s3-sink:emptyTargetBucketOnDestroy");
            assert.ok(p);
            assert.match(p.message, /^only applies to a target bucket the stack creates and does not keep\./);
            assert.match(p.message, fix);
        }
    });
});
