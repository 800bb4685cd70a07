import * as assert from "assert";
import { formatFinding } from "../../doctor";
import { planWarning } from "../../offline";
import { formatWarning } from "../../preflight";
import { devRaw, settingsFrom } from "../helpers";

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
