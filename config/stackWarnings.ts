/**
 * Warnings about the stack's own settings that do not depend on anything looked up: the placeholder digest,
 * the provider settings the checks outside the provider cannot follow, and (for a stack file read offline) the
 * default AWS provider left on. They are the same whether or not the stack also has problems: the plan lists
 * them beside a passing run's resources and beside a failing run's problems alike.
 */
import type { ConfigWarning } from "./errors";
import { PLACEHOLDER_SHA256, PROJECT } from "./settings";

/** The example stack's all-zeros digest: `pulumi up` refuses the upload until the real one is pinned. */
export function placeholderDigestWarning(sha256: string, pluginVersion: string): ConfigWarning[] {
    if (sha256 !== PLACEHOLDER_SHA256) return [];
    return [
        {
            rule: "placeholder-digest",
            severity: "warning",
            key: `${PROJECT}:pluginSha256`,
            message:
                "is the example placeholder (all zeros): `pulumi up` will refuse to upload the connector zip " +
                `until you pin the SHA-256 of the zip you vetted (\`sha256sum confluentinc-kafka-connect-s3-${pluginVersion}.zip\`).`,
        },
    ];
}

/** What the checks outside the provider do instead of each provider setting they cannot follow. */
const IGNORED_BY_CHECKS: Readonly<Record<string, string>> = {
    assumeRoles:
        "run as the identity of aws:profile (or the ambient credentials), not as the assumed role. Fix: give that identity read access to the target bucket and kafkaconnect:Describe*/List* on the connector, or let the profile assume the role itself (role_arn and source_profile in ~/.aws/config)",
    assumeRoleWithWebIdentity:
        "run as the identity of aws:profile (or the ambient credentials), not as the web identity's role. Fix: set AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE for `pulumi up` (the SDK's own web identity), or give that identity read access to the target bucket and the connector",
    sharedConfigFiles:
        "read ~/.aws/config (or the file AWS_CONFIG_FILE names), not these files. Fix: run `pulumi up` with AWS_CONFIG_FILE set to the same file",
    sharedCredentialsFiles:
        "read ~/.aws/credentials (or the file AWS_SHARED_CREDENTIALS_FILE names), not these files. Fix: run `pulumi up` with AWS_SHARED_CREDENTIALS_FILE set to the same file",
    endpoints:
        "call the region's own AWS endpoints, not these. Fix: point them at the same place, or set msk-s3-sink:verify to false where the endpoints are a stand-in",
};

/** A warning for each provider setting that the dynamic checks (verification, destroy check, plugin object check) do not follow. */
export function checksOutsideProviderWarnings(provider: {
    readonly settings: Readonly<Record<string, unknown>>;
    readonly secret: readonly string[];
}): ConfigWarning[] {
    return Object.keys(IGNORED_BY_CHECKS)
        .filter((name) => name in provider.settings || provider.secret.includes(name))
        .map((name) => ({
            rule: "checks-outside-provider",
            severity: "warning",
            key: `aws:${name}`,
            message: `the AWS provider follows it, but the checks that run outside the provider (the verification, the destroy check, the plugin object check) ${IGNORED_BY_CHECKS[name]}.`,
        }));
}

/** The packages whose default provider the stack disables (the engine then refuses a request that would use one). */
export function disabledDefaultProviders(raw: Readonly<Record<string, string>>): string[] {
    const value = raw["pulumi:disable-default-providers"];
    if (value === undefined) return [];
    try {
        const listed: unknown = JSON.parse(value);
        return Array.isArray(listed) ? listed.map(String) : [String(listed)];
    } catch {
        return [value];
    }
}

/**
 * Every stack should turn the default AWS provider off (README, "Adding a stack"): the program gives each
 * resource its own provider, and this makes sure nothing can fall back to the environment's region and account.
 * Judged on a stack file (where `pulumi:` keys are written); the program itself is not handed them.
 */
export function defaultProvidersWarning(raw: Readonly<Record<string, string>>): ConfigWarning[] {
    const key = "pulumi:disable-default-providers";
    if (disabledDefaultProviders(raw).some((p) => p === "aws" || p === "*")) return [];
    return [
        {
            rule: "default-providers-enabled",
            severity: "warning",
            key,
            message: `does not list aws, so a resource given no provider would use a default AWS provider whose region and account come from the environment. Fix: \`pulumi config set --path '${key}[0]' aws\`.`,
        },
    ];
}
