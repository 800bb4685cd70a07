/**
 * The settings the AWS provider (`@pulumi/aws` 7.x) reads from the `aws:` namespace, with the shape of each
 * value, taken from the provider's own config schema (`@pulumi/aws/config/vars`). The stack-config check
 * refuses `aws:` keys that are not among them; the program hands every one a stack sets to its explicit
 * provider, which would otherwise ignore them.
 */

/** How a setting's value is written in a stack file (Pulumi hands structured values over as JSON text). */
export type AwsSettingKind = "string" | "boolean" | "integer" | "stringList" | "object" | "objectList";

export const AWS_PROVIDER_SETTINGS: Readonly<Record<string, AwsSettingKind>> = {
    accessKey: "string",
    allowedAccountIds: "stringList",
    assumeRoleWithWebIdentity: "object",
    assumeRoles: "objectList",
    customCaBundle: "string",
    defaultTags: "object",
    ec2MetadataServiceEndpoint: "string",
    ec2MetadataServiceEndpointMode: "string",
    endpoints: "objectList",
    forbiddenAccountIds: "stringList",
    httpProxy: "string",
    httpsProxy: "string",
    ignoreTags: "object",
    insecure: "boolean",
    maxRetries: "integer",
    noProxy: "string",
    profile: "string",
    region: "string",
    retryMode: "string",
    s3UsEast1RegionalEndpoint: "string",
    s3UsePathStyle: "boolean",
    secretKey: "string",
    sharedConfigFiles: "stringList",
    sharedCredentialsFiles: "stringList",
    skipCredentialsValidation: "boolean",
    skipMetadataApiCheck: "boolean",
    skipRegionValidation: "boolean",
    skipRequestingAccountId: "boolean",
    stsRegion: "string",
    tagPolicyCompliance: "string",
    token: "string",
    tokenBucketRateLimiterCapacity: "integer",
    useDualstackEndpoint: "boolean",
    useFipsEndpoint: "boolean",
    userAgents: "stringList",
};
