/** The worker-configuration check: config providers the S3 sink zip does not ship. */
import { show } from "../common";
import { Finding, finding } from "./findings";
import { KAFKA_BUILTIN_CONFIG_PROVIDERS } from "./knownKeys";

/**
 * Check a worker configuration's properties file for config providers the S3 sink zip does not ship.
 * Returns warnings (the worker may still start if the class is on its class path by other means).
 */
export function diagnoseWorkerProperties(workerName: string, propertiesText: string, silence: readonly string[] = []): Finding[] {
    if (silence.includes("worker-config-provider")) return [];
    const found: Finding[] = [];
    for (const raw of propertiesText.split(/\r?\n/)) {
        const line = raw.trim();
        if (line === "" || line.startsWith("#") || line.startsWith("!")) continue;
        const match = /^(config\.providers\.[^.=:\s]+\.class)\s*[=:]\s*(.+)$/.exec(line);
        if (!match) continue;
        const [, key, className] = match;
        if (KAFKA_BUILTIN_CONFIG_PROVIDERS.includes(className.trim())) continue;
        found.push(
            finding(
                "warning",
                "worker-config-provider",
                key,
                className.trim(),
                `worker configuration ${show(workerName)} names the config provider ${className.trim()}, which the Confluent S3 sink zip does not contain; the workers can fail to start with ClassNotFoundException. Fix: set msk-s3-sink:workerConfigurationName to a configuration without it (or "none"), or add the provider's jar to the plugin zip.`,
            ),
        );
    }
    return found;
}
