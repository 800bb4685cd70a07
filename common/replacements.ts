/**
 * What forces a replacement, by resource type: the input fields whose change the provider cannot apply in place
 * (ForceNew in terraform-provider-aws v6.66, which `@pulumi/aws` 7.48 bridges; MSK Connect's own rule that custom
 * plugins and worker configurations are immutable). Any other input change is an update in place. The plan
 * test (`tests/offline/replacements.test.ts`) and the settings table (docs/configuration.md) read this one table.
 */

/** The bucket's separate settings resources all name their bucket, which they cannot move. */
const BUCKET_SETTING = ["bucket", "expectedBucketOwner"];

export const REPLACE_ON: Readonly<Record<string, readonly string[]>> = {
    "aws:mskconnect/connector:Connector": [
        "name",
        "description",
        "kafkaconnectVersion",
        "serviceExecutionRoleArn",
        "kafkaCluster",
        "kafkaClusterClientAuthentication",
        "kafkaClusterEncryptionInTransit",
        "logDelivery",
        "plugins",
        "workerConfiguration",
    ],
    "aws:mskconnect/customPlugin:CustomPlugin": ["name", "description", "contentType", "location"],
    "aws:mskconnect/workerConfiguration:WorkerConfiguration": ["name", "description", "propertiesFileContent"],
    "aws:s3/bucketObjectv2:BucketObjectv2": ["bucket", "key"],
    "aws:s3/bucket:Bucket": ["bucket", "bucketPrefix", "objectLockEnabled"],
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": BUCKET_SETTING,
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": BUCKET_SETTING,
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": BUCKET_SETTING,
    "aws:s3/bucketVersioning:BucketVersioning": BUCKET_SETTING,
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": BUCKET_SETTING,
    "aws:s3/bucketPolicy:BucketPolicy": ["bucket"],
    "aws:iam/role:Role": ["name", "namePrefix", "path"],
    "aws:iam/rolePolicy:RolePolicy": ["name", "namePrefix", "role"],
    "aws:cloudwatch/logGroup:LogGroup": ["name", "namePrefix", "logGroupClass"],
    // What auto-restart deploys (terraform-provider-aws: each name, and a permission's every field, are ForceNew).
    "aws:ssm/parameter:Parameter": ["name"],
    "aws:cloudwatch/metricAlarm:MetricAlarm": ["name"],
    "aws:cloudwatch/eventRule:EventRule": ["name", "namePrefix", "eventBusName"],
    "aws:cloudwatch/eventTarget:EventTarget": ["rule", "targetId", "eventBusName"],
    "aws:lambda/function:Function": ["name", "packageType"],
    "aws:lambda/permission:Permission": ["action", "function", "principal", "sourceArn", "sourceAccount", "statementId", "qualifier"],
    // Providers: a changed region or account moves every resource; other settings (default tags) update in place.
    "pulumi:providers:aws": ["region"],
    "pulumi:providers:command": [],
};

/** The connector fields a setting ends up in, and what changing it later does to the connector. */
export function connectorEffect(
    fields: readonly string[],
): "replaces the connector (downtime)" | "updates the connector in place" | "no change to the connector" {
    if (fields.length === 0) return "no change to the connector";
    // "provider": a new region replaces the AWS provider, and the engine replaces every resource of a replaced provider.
    const forceNew = [...REPLACE_ON["aws:mskconnect/connector:Connector"], "provider"];
    return fields.some((f) => forceNew.includes(f)) ? "replaces the connector (downtime)" : "updates the connector in place";
}
