import * as assert from "assert";
import { formatFinding } from "../../doctor";
import { formatPlan, planWarning, renderPlan } from "../../offline";
import { formatWarning } from "../../preflight";
import { devRaw, fakeArtifact, settingsFrom } from "../helpers";

describe("the plan's warnings, as --json prints them", () => {
    const s = settingsFrom(devRaw());

    it("gives a doctor warning its rule and the extraConnectorConfig key to change", () => {
        assert.deepStrictEqual(planWarning(formatFinding(s.warnings[0]), s), {
            rule: "tombstones-fail-task",
            severity: "warning",
            key: 'msk-s3-sink:extraConnectorConfig["behavior.on.null.values"]',
            message: s.warnings[0].message,
        });
    });

    it("gives a preflight warning its rule and setting, and a worker-configuration finding the workerConfigurationName setting", () => {
        assert.deepStrictEqual(
            planWarning(
                formatWarning({ rule: "route-to-s3-unknown", key: "msk-s3-sink:mskClusterName", message: "cannot tell whether …" }),
                s,
            ),
            { rule: "route-to-s3-unknown", severity: "warning", key: "msk-s3-sink:mskClusterName", message: "cannot tell whether …" },
        );
        const worker =
            'warning [worker-config-provider] config.providers.sm.class = "com.amazonaws.kafka.config.providers.SecretsManagerConfigProvider": not in the zip';
        assert.deepStrictEqual(planWarning(worker, s), {
            rule: "worker-config-provider",
            severity: "warning",
            key: "msk-s3-sink:workerConfigurationName",
            message: 'config.providers.sm.class = "com.amazonaws.kafka.config.providers.SecretsManagerConfigProvider": not in the zip',
        });
    });

    it("names the placeholder digest's rule, and keeps any other message whole, under the setting it starts with", () => {
        const placeholder = planWarning("msk-s3-sink:pluginSha256 is the example placeholder (all zeros): pin it.", s);
        assert.deepStrictEqual(placeholder, {
            rule: "placeholder-digest",
            severity: "warning",
            key: "msk-s3-sink:pluginSha256",
            message: "is the example placeholder (all zeros): pin it.",
        });
        assert.deepStrictEqual(planWarning("something else happened", s), {
            rule: "program",
            severity: "warning",
            key: "",
            message: "something else happened",
        });
    });
});

describe("the offline plan", function () {
    this.timeout(30000);

    it("says so when the plugin key already holds the pinned zip: used as it is, not uploaded", async () => {
        const artifact = fakeArtifact();
        const raw = devRaw(artifact.overrides);
        const plan = await renderPlan(settingsFrom(raw), raw, [], { pluginObject: { sha256: artifact.sha256, versionId: "v3" } });
        assert.match(
            plan.artifact.source,
            /^already in s3:\/\/msk-lab-111122223333-plugins-bucket\/kafka-connect-s3\/confluentinc-kafka-connect-s3-10\.5\.15\.zip with the pinned SHA-256: used as it is, not uploaded$/,
        );
        assert.ok(!plan.resources.some((r) => r.type === "aws:s3/bucketObjectv2:BucketObjectv2"));
        assert.deepStrictEqual(plan.notes, [
            "s3://msk-lab-111122223333-plugins-bucket/kafka-connect-s3/confluentinc-kafka-connect-s3-10.5.15.zip already holds the pinned zip (S3's SHA-256 checksum matches msk-s3-sink:pluginSha256): it is used as it is, not uploaded again.",
        ]);
        assert.match(formatPlan(plan), /\nNotes:\n {2}i s3:\/\/.* already holds the pinned zip/);
        assert.strictEqual(plan.summary.creates, 5);
    });

    it("shows an adopted connector as an import, counted apart from what it creates", async () => {
        const artifact = fakeArtifact();
        const raw = devRaw({ ...artifact.overrides, "msk-s3-sink:adoptExisting": '["connector","customPlugin"]' });
        const plan = await renderPlan(settingsFrom(raw), raw, [], { existingConnector: {}, existingCustomPlugin: {} });
        assert.deepStrictEqual([plan.summary.creates, plan.summary.adopts], [7, 2]);
        assert.match(
            formatPlan(plan),
            /\n {2}= \(adopted: import arn:aws:kafkaconnect:us-east-2:111122223333:connector\/confluentinc-kafka-connect-s3\/[^)]+\) aws:mskconnect\/connector:Connector {2}s3-sink-connector\n/,
        );
    });
});

describe("the offline plan names the replacement a worker configuration revision would cause", function () {
    this.timeout(30000);
    const artifact = fakeArtifact();

    it("warns, with the pin command, when the stack follows the latest revision", async () => {
        const raw = devRaw({ ...artifact.overrides, "msk-s3-sink:workerConfigurationRevision": "latest" });
        const plan = await renderPlan(settingsFrom(raw), raw, [], { workerConfigurationRevision: 3 });
        const w = plan.warnings.find((x) => x.rule === "worker-revision-latest");
        assert.ok(w, JSON.stringify(plan.warnings));
        assert.strictEqual(w.key, "msk-s3-sink:workerConfigurationRevision");
        assert.match(
            w.message,
            /runs revision 3 of "SourceAuroraDebeziumConnectorConfig".*replaces the connector at the next `pulumi up` \(deleted first: an outage\)/,
        );
        assert.match(w.message, /`pulumi config set msk-s3-sink:workerConfigurationRevision 3`/);
    });

    it("says nothing when the pinned revision is the latest, and names the move when a newer one exists", async () => {
        const raw = devRaw(artifact.overrides);
        const same = await renderPlan(settingsFrom(raw), raw, [], { workerConfigurationRevision: 1 });
        assert.deepStrictEqual(
            same.warnings.filter((x) => x.rule.startsWith("worker-revision")),
            [],
        );
        const behind = await renderPlan(settingsFrom(raw), raw, [], { workerConfigurationRevision: 2 });
        assert.match(
            behind.warnings.find((x) => x.rule === "worker-revision-behind")!.message,
            /pins revision 1 .*revision 2 exists\. Moving to it replaces the connector/,
        );
    });

    it("fails, with the latest revision, when the pinned one does not exist", async () => {
        const raw = devRaw({ ...artifact.overrides, "msk-s3-sink:workerConfigurationRevision": "4" });
        await assert.rejects(
            renderPlan(settingsFrom(raw), raw, [], { workerConfigurationRevision: 2 }),
            /has no revision 4 \(msk-s3-sink:workerConfigurationRevision\); its latest is 2/,
        );
    });
});

describe("the offline plan of a stack with secure values it cannot decrypt", function () {
    this.timeout(30000);
    const secrets = [
        "msk-s3-sink:accountId",
        "msk-s3-sink:pluginUrl",
        "msk-s3-sink:pluginSha256",
        "msk-s3-sink:pluginLocalPath",
        "msk-s3-sink:kmsKeyArn",
        "msk-s3-sink:verifyEndpoint",
        "aws:region",
    ];
    for (const key of secrets) {
        it(`passes with ${key} secret: shown as [secret], listed, no policy finding`, async () => {
            const raw = devRaw({ [key]: "[secret]" });
            const plan = await renderPlan(settingsFrom(raw, [key]), raw, [key]);
            assert.deepStrictEqual(plan.secretSettings, [key]);
            assert.deepStrictEqual(plan.policy, []);
            assert.match(
                formatPlan(plan),
                new RegExp(`the secret settings this plan cannot decrypt \\(shown as \\[secret\\], not checked here\\): ${key}`),
            );
        });
    }
});
