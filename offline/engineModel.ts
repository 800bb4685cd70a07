/**
 * What Pulumi's engine and the AWS provider decide or refuse, as data and plain functions the strict mock
 * runtime (`strictMonitor.ts`) applies to every registration and lookup: how a request is routed to a
 * provider, when an import matches, what each data source says when nothing matches, the S3 object tag
 * limit, and which input changes force a replacement. Each rule names the source it was taken from.
 */

/** The package of a type or function token: `aws:s3/bucket:Bucket` → `aws`. */
export function packageOf(token: string): string {
    return token.split(":")[0];
}

/**
 * The package of the provider a reference (`<urn>::<id>`) points at: the URN's type is `pulumi:providers:<pkg>`.
 * (pulumi `sdk/go/common/resource/providers/reference.go`: a reference is the provider's URN and ID joined by "::".)
 */
export function providerPackageOf(ref: string): string | undefined {
    const type = ref.split("::")[2]?.split("$").pop();
    return type?.startsWith("pulumi:providers:") ? type.slice("pulumi:providers:".length) : undefined;
}

/** The URN part of a provider reference. */
export function providerUrnOf(ref: string): string {
    return ref.split("::").slice(0, -1).join("::");
}

/**
 * Why the engine would refuse to route a request (a resource registration or an invoke) as given, or undefined.
 * - Invokes are routed by the provider reference alone (`@pulumi/pulumi/runtime/invoke.js` `getProvider` sends
 *   `opts.provider` whatever the token's package; pulumi `pkg/resource/deploy/source_eval.go`
 *   `getProviderFromSource` hands the request to that provider), and the AWS provider answers a token it does
 *   not know with "unrecognized data function (Invoke): <tok>" (pulumi-terraform-bridge `provider.go` `Invoke`).
 * - With `pulumi:disable-default-providers` naming the package, a request without an explicit provider is
 *   refused: "Default provider for '<pkg>' disabled. '<urn or tok>' must use an explicit provider."
 *   (`source_eval.go` `defaultProviders.shouldDenyRequest`).
 */
export function routingRefusal(
    token: string,
    providerRef: string,
    what: string,
    disabledDefaults: readonly string[],
    kind: "invoke" | "resource" = "invoke",
): string | undefined {
    const pkg = packageOf(token);
    if (!providerRef) {
        return disabledDefaults.includes(pkg) || disabledDefaults.includes("*")
            ? `Default provider for '${pkg}' disabled. '${what}' must use an explicit provider.`
            : undefined;
    }
    const providerPkg = providerPackageOf(providerRef);
    if (providerPkg === undefined || providerPkg === pkg) return undefined;
    const unknown = kind === "invoke" ? `unrecognized data function (Invoke): ${token}` : `unrecognized resource type (Check): ${token}`;
    return `the ${providerPkg} provider (${providerUrnOf(providerRef)}) received ${what}, which is of package ${pkg}: ${unknown}`;
}

/**
 * The message the SDK rejects a failed invoke with: the engine's "invocation of <tok> returned an error: <provider's
 * error>" (pulumi `source_eval.go` `Invoke`), as `details` of the gRPC error (`runtime/invoke.js` rethrows `err.details`).
 */
export function invokeError(token: string, message: string): Error {
    return engineError(`invocation of ${token} returned an error: ${message}`);
}

/** An error as the engine hands it to the SDK: the SDK shows the gRPC error's `details`. */
export function engineError(text: string): Error {
    return Object.assign(new Error(text), { details: text });
}

/**
 * The tags a resource is given: `tagsAll`, the provider's default tags merged with its own (pulumi-aws
 * `provider/tags.go` `applyTags`, run in Check; it does not look at a resource's `overrideProvider`).
 */
export function tagsAllOf(inputs: Record<string, unknown>, providerDefaults: Readonly<Record<string, string>>): Record<string, string> {
    return { ...providerDefaults, ...((inputs.tags as Record<string, string> | undefined) ?? {}) };
}

/** The resource types of this program whose schema has `tags` and `tagsAll` (the provider's default tags reach them). */
export const TAGGABLE = new Set([
    "aws:s3/bucket:Bucket",
    "aws:s3/bucketObjectv2:BucketObjectv2",
    "aws:mskconnect/customPlugin:CustomPlugin",
    "aws:mskconnect/connector:Connector",
    "aws:mskconnect/workerConfiguration:WorkerConfiguration",
    "aws:iam/role:Role",
    "aws:cloudwatch/logGroup:LogGroup",
    "aws:cloudwatch/metricAlarm:MetricAlarm",
    "aws:cloudwatch/eventRule:EventRule",
    "aws:ssm/parameter:Parameter",
    "aws:lambda/function:Function",
]);

/** The error S3 answers an upload with more than 10 tags (PutObject, `InvalidTag`). */
export function tagLimitError(bucket: unknown, key: unknown, count: number): string {
    return `uploading S3 Object (${String(key)}) to Bucket (${String(bucket)}): operation error S3: PutObject, https response error StatusCode: 400, api error InvalidTag: Object tags cannot be greater than 10 (this upload has ${count}: the provider's default tags count too).`;
}

/** Values the provider reads back as absent: an unset optional string, list or map. */
function isAbsent(v: unknown): boolean {
    if (v === undefined || v === null || v === "") return true;
    if (Array.isArray(v)) return v.length === 0;
    return typeof v === "object" && Object.keys(v as object).length === 0;
}

/**
 * Fields that are sets in the provider's schema (TypeSet in terraform-provider-aws `mskconnect/connector.go`): their
 * order means nothing to a diff.
 */
export const SET_PATHS = new Set([
    "kafkaCluster.apacheKafkaCluster.vpc.subnets",
    "kafkaCluster.apacheKafkaCluster.vpc.securityGroups",
    "plugins",
]);

/** A list in a canonical order (each item by its JSON text). */
function asSet(list: readonly unknown[]): unknown[] {
    return [...list].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

/** Paths (`a.b[0].c`) where two input trees differ. */
export function differingPaths(ours: unknown, theirs: unknown, at = ""): string[] {
    if (isAbsent(ours) && isAbsent(theirs)) return [];
    if (Array.isArray(ours) && Array.isArray(theirs)) {
        if (ours.length !== theirs.length) return [at];
        const [a, b] = SET_PATHS.has(at) ? [asSet(ours), asSet(theirs)] : [ours, theirs];
        return a.flatMap((v, i) => differingPaths(v, b[i], `${at}[${i}]`));
    }
    const isMap = (v: unknown) => v !== null && typeof v === "object" && !Array.isArray(v);
    if (isMap(ours) || isMap(theirs)) {
        if (!isMap(ours) || !isMap(theirs)) return [at];
        const a = ours as Record<string, unknown>;
        const b = theirs as Record<string, unknown>;
        return [...new Set([...Object.keys(a), ...Object.keys(b)])]
            .sort()
            .flatMap((k) => differingPaths(a[k], b[k], at ? `${at}.${k}` : k));
    }
    return String(ours) === String(theirs) ? [] : [at];
}

/** True when `path` is at or below one of the `ignoreChanges` paths (pulumi `sdk/go/common/resource/ignore_changes.go`). */
export function isIgnored(path: string, ignoreChanges: readonly string[]): boolean {
    return ignoreChanges.some((p) => path === p || path.startsWith(`${p}.`) || path.startsWith(`${p}[`));
}

/**
 * Why an import would fail, or undefined: the program's inputs (with `tagsAll`, the provider's default tags merged with
 * its own, as pulumi-aws's Check makes it) must equal what is read from AWS, apart from what `ignoreChanges` covers
 * (pulumi `pkg/resource/deploy/step.go` `ImportStep.Apply`: any difference fails the import).
 */
export function importMismatch(
    inputs: Record<string, unknown>,
    existing: Record<string, unknown>,
    providerDefaults: Readonly<Record<string, string>>,
    ignoreChanges: readonly string[],
): string | undefined {
    const taggable = "tags" in existing;
    const checked = taggable ? { ...inputs, tagsAll: tagsAllOf(inputs, providerDefaults) } : inputs;
    const read = taggable ? { tagsAll: existing.tags, ...existing } : existing;
    const differ = differingPaths(checked, read).filter((p) => !isIgnored(p, ignoreChanges));
    if (differ.length === 0) return undefined;
    const keys = [...new Set(differ.map((p) => p.split(/[.[]/)[0]))];
    return `inputs to import do not match the existing resource: [${keys.join(" ")}] (${differ.map((p) => `~${p}`).join(", ")})`;
}

/**
 * Why the dynamic provider host would fail on a dynamic resource's provider, or undefined. The host revives the
 * provider from its serialized text (`@pulumi/pulumi/cmd/dynamic-provider/index.js` `getProvider`:
 * `requireFromString(text).handler()`), calls `create`, and calls `update` only if the provider has one: without it
 * an in-place change keeps the new inputs as the outputs (its `updateRPC`), losing what create returned. The text goes
 * into the state, so it must hold no credentials.
 */
export function dynamicProviderRefusal(provider: Record<string, unknown> | undefined, text: string): string | undefined {
    if (/AKIA[0-9A-Z]{16}|aws_secret_access_key\s*=|secretAccessKey\s*:\s*["'`][^"'`]/.test(text)) {
        return "the dynamic provider's serialized text (stored in the state) holds what looks like AWS credentials; capture none, use the ambient credential chain.";
    }
    if (provider === undefined) return "the dynamic provider host could not revive the provider from its serialized text.";
    if (typeof provider.create !== "function") return "the dynamic provider has no create method.";
    if (typeof provider.update !== "function") {
        return "the dynamic provider has no update: on an in-place change the host keeps the new inputs as its outputs, and what create returned is lost. Implement update.";
    }
    return undefined;
}

/** The provider's refusal when the account it reaches is not among `allowedAccountIds` (terraform-provider-aws `conns/config.go`). */
export function accountRefusal(allowedAccountIds: unknown, accountId: string): string | undefined {
    const allowed = typeof allowedAccountIds === "string" ? (JSON.parse(allowedAccountIds) as unknown) : allowedAccountIds;
    if (!Array.isArray(allowed) || allowed.length === 0 || allowed.map(String).includes(accountId)) return undefined;
    return `AWS account ID not allowed: ${accountId}`;
}

/** The longest names AWS takes for the resource types this program lets Pulumi name (IAM: a role's name, 64). */
export const AUTONAME_MAX_LENGTH: Readonly<Record<string, number>> = { "aws:iam/role:Role": 64 };

/**
 * The provider's refusal when it cannot name a resource the program leaves unnamed: it takes the resource's name,
 * a hyphen and 7 random characters (pulumi-terraform-bridge autonaming, `AutoNameWithMaxLength` in pulumi-aws).
 */
export function autonameRefusal(type: string, name: string, inputs: Record<string, unknown>): string | undefined {
    const max = AUTONAME_MAX_LENGTH[type];
    if (max === undefined || inputs.name !== undefined || inputs.namePrefix !== undefined) return undefined;
    return name.length + 8 > max ? `name '${name}' plus 7 random chars is longer than maximum length ${max}` : undefined;
}
