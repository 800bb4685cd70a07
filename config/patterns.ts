/** What a valid value of each kind looks like, and the names that follow from a plugin version. */

export const ACCOUNT = /^\d{12}$/;
export const SHA256 = /^[0-9a-f]{64}$/;
export const VERSION = /^\d+\.\d+\.\d+$/;
export const TOPIC = /^[A-Za-z0-9._-]{1,249}$/;
export const MSK_NAME = /^[A-Za-z0-9-]{1,64}$/;
export const CONNECTOR_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
export const CUSTOM_PLUGIN_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
export const CUSTOM_PLUGIN_ARN = /^arn:aws[a-z-]*:kafkaconnect:[a-z0-9-]+:\d{12}:custom-plugin\/[A-Za-z0-9._-]+\/[A-Za-z0-9-]+$/;
/** A sink's name under `sinks`: it goes into resource names, so lowercase letters, digits and hyphens. */
// 30 at most: the longest name Pulumi gives a sink's resource, `s3-sink-<sink>-auto-restart-role` plus its 8-character
// random suffix, then fits IAM's 64 characters for a role.
export const SINK_NAME = /^[a-z0-9](?:[a-z0-9-]{0,28}[a-z0-9])?$/;
export const WORKER_CONFIG_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
export const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
export const LOG_GROUP = /^[.\-_/#A-Za-z0-9]{1,512}$/;
export const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key\/[A-Za-z0-9-]+|alias\/[A-Za-z0-9/_-]+)$/;

export function isValidBucketName(name: string): boolean {
    return (
        /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name) &&
        !name.includes("..") &&
        !/^\d+\.\d+\.\d+\.\d+$/.test(name) &&
        !name.startsWith("xn--") &&
        !name.endsWith("-s3alias")
    );
}

/** What is wrong with a bucket name, with its lower-case form when that is one (the plan and verify say the same); undefined when valid. */
export function bucketNameProblem(value: string): string | undefined {
    if (isValidBucketName(value)) return undefined;
    const lower = value.toLowerCase();
    const meant = lower !== value && isValidBucketName(lower) ? ` Did you mean "${lower}"? (S3 bucket names are lower case.)` : "";
    return `expected an S3 bucket name: 3-63 characters of lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit.${meant}`;
}

/** The S3 key and custom-plugin name for a plugin version (the lab's naming). */
export function pluginNames(version: string): { objectKey: string; customPluginName: string; fileName: string } {
    const fileName = `confluentinc-kafka-connect-s3-${version}.zip`;
    return {
        fileName,
        objectKey: `kafka-connect-s3/${fileName}`,
        customPluginName: `confluentinc-kafka-connect-s3-${version.replace(/\./g, "-")}`,
    };
}

/**
 * The names auto-restart gives its function and its schedule, from the connector's name: Lambda function names take
 * letters, digits, hyphens and underscores, EventBridge rule names those and dots, both 64 characters at most (a
 * connector name may hold dots and run to 128).
 */
export function autoRestartFunctionName(connectorName: string): string {
    const suffix = "-auto-restart";
    return `${connectorName.replace(/[^A-Za-z0-9_-]/g, "-").slice(0, 64 - suffix.length)}${suffix}`;
}

export function autoRestartRuleName(connectorName: string): string {
    const suffix = "-auto-restart-every-minute";
    return `${connectorName.replace(/[^A-Za-z0-9_-]/g, "-").slice(0, 64 - suffix.length)}${suffix}`;
}
