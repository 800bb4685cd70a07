/**
 * Pulumi's mock monitor made as strict as the engine: it sees each registration and invoke as the engine
 * does (the whole request, resource options included), refuses what the engine or the AWS provider would
 * refuse (`engineModel.ts`), records the options the mocks' own arguments leave out, and only then hands the
 * request to the mocks. Installed in place of `pulumi.runtime.setMocks`, whose monitor accepts anything.
 */
import { createRequire } from "module";
import * as pulumi from "@pulumi/pulumi";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import * as rpc from "@pulumi/pulumi/runtime/rpc";
import * as runtimeSettings from "@pulumi/pulumi/runtime/settings";
import * as runtimeState from "@pulumi/pulumi/runtime/state";
import { S3_OBJECT_TAG_LIMIT } from "../config";
import {
    accountRefusal,
    autonameRefusal,
    dynamicProviderRefusal,
    engineError,
    importMismatch,
    invokeError,
    tagsAllOf,
    providerUrnOf,
    routingRefusal,
    TAGGABLE,
    tagLimitError,
} from "./engineModel";

/** The resource options of a registration, as the engine receives them. */
export interface RegistrationOptions {
    readonly urn: string;
    readonly parent: string;
    /** Provider reference (`<urn>::<id>`), "" for the package's default provider. */
    readonly provider: string;
    readonly importId: string;
    readonly ignoreChanges: readonly string[];
    readonly deleteBeforeReplace: boolean;
    readonly retainOnDelete: boolean;
    /** URNs of the custom resources it depends on (explicit and through its inputs). */
    readonly dependencies: readonly string[];
    readonly customTimeouts?: { readonly create: string; readonly update: string; readonly delete: string };
    /** Not an option: `tagsAll` as the provider's Check makes it, for a taggable AWS resource (its default tags included). */
    readonly tagsAll?: Readonly<Record<string, string>>;
}

/** What the monitor asks of the harness. */
export interface EngineHooks {
    /** Packages whose default provider the stack disables (`pulumi:disable-default-providers`). */
    readonly disabledDefaultProviders: readonly string[];
    /** The account the AWS provider's credentials reach. */
    readonly accountId: string;
    /** The fields AWS holds for the resource an import names (its inputs as the provider reads them), or undefined when there is none. */
    existingInputs(type: string, id: string): Record<string, unknown> | undefined;
    /** Called with every registration's options before the mocks see it. */
    onRegister(type: string, name: string, options: RegistrationOptions): void;
}

type Callback = (err: unknown, response?: unknown) => void;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Request = any;

export class StrictMonitor extends MockMonitor {
    /** Each AWS provider's default tags, by provider URN. */
    private readonly defaultTags = new Map<string, Record<string, string>>();
    /** Every URN registered so far (the engine refuses a second registration of one, and a parent or provider not yet registered). */
    private readonly urns = new Set<string>();

    constructor(
        mocks: pulumi.runtime.Mocks,
        private readonly hooks: EngineHooks,
    ) {
        super(mocks);
    }

    async invoke(req: Request, callback: Callback): Promise<void> {
        const token: string = req.getTok();
        const refusal =
            token === "pulumi:pulumi:getResource"
                ? undefined
                : routingRefusal(token, req.getProvider(), token, this.hooks.disabledDefaultProviders);
        if (refusal !== undefined) return callback(invokeError(token, refusal));
        return super.invoke(req, callback);
    }

    async registerResource(req: Request, callback: Callback): Promise<void> {
        const type: string = req.getType();
        const name: string = req.getName();
        const options = optionsOf(req, urnOf(req.getParent(), type, name));
        const inputs = rpc.deserializeProperties(req.getObject()) as Record<string, unknown>;
        if (type === "pulumi:providers:aws") this.defaultTags.set(options.urn, defaultTagsOf(inputs));
        const refusal =
            this.graphRefusal(options) ?? this.refusal(type, req.getCustom(), inputs, options) ?? (await checkFailures(type, inputs));
        if (refusal !== undefined) return callback(engineError(`${options.urn}: ${refusal}`));
        this.urns.add(options.urn);
        const tagsAll = TAGGABLE.has(type) ? tagsAllOf(inputs, this.providerDefaults(options)) : undefined;
        this.hooks.onRegister(type, name, tagsAll ? { ...options, tagsAll } : options);
        return super.registerResource(req, callback);
    }

    /** The provider's default tags for a resource (none for a default provider, which this program never uses for AWS). */
    private providerDefaults(options: RegistrationOptions): Record<string, string> {
        return options.provider ? (this.defaultTags.get(providerUrnOf(options.provider)) ?? {}) : {};
    }

    /**
     * The engine's own checks of a registration (pulumi `pkg/resource/deploy/step_generator.go`: `generateURN` refuses a
     * duplicate URN, `checkParent` a parent it has not seen; a provider reference must name a registered provider).
     */
    private graphRefusal(options: RegistrationOptions): string | undefined {
        if (this.urns.has(options.urn)) return `Duplicate resource URN '${options.urn}'; try giving it a unique name`;
        if (options.parent && !this.urns.has(options.parent)) return `could not find parent resource ${options.parent}`;
        if (options.provider && !this.urns.has(providerUrnOf(options.provider))) return `unknown provider '${options.provider}'`;
        return undefined;
    }

    /** Why the engine, the provider or AWS would refuse this registration, or undefined. */
    private refusal(type: string, custom: boolean, inputs: Record<string, unknown>, options: RegistrationOptions): string | undefined {
        if (type === "pulumi:providers:aws") return accountRefusal(inputs.allowedAccountIds, this.hooks.accountId);
        if (!custom || type.startsWith("pulumi:providers:")) return undefined;
        const routing = routingRefusal(type, options.provider, options.urn, this.hooks.disabledDefaultProviders, "resource");
        if (routing !== undefined) return routing;
        if (type.startsWith("pulumi-nodejs:dynamic")) return dynamicRefusal(inputs, options);
        const unnamed = autonameRefusal(type, options.urn.split("::").pop() ?? "", inputs);
        if (unnamed !== undefined) return unnamed;
        if (type === "aws:s3/bucketObjectv2:BucketObjectv2") {
            const count = Object.keys(tagsAllOf(inputs, this.providerDefaults(options))).length;
            if (count > S3_OBJECT_TAG_LIMIT) return tagLimitError(inputs.bucket, inputs.key, count);
        }
        if (options.importId) {
            const existing = this.hooks.existingInputs(type, options.importId);
            if (existing === undefined) return `Preview failed: resource '${options.importId}' does not exist`;
            return importMismatch(inputs, existing, this.providerDefaults(options), options.ignoreChanges);
        }
        return undefined;
    }
}

/** Why the dynamic provider host would fail a dynamic resource, or not honour an option it is given. */
function dynamicRefusal(inputs: Record<string, unknown>, options: RegistrationOptions): string | undefined {
    const text = String(inputs.__provider ?? "");
    const refusal = dynamicProviderRefusal(revive(text), text);
    if (refusal !== undefined) return refusal;
    // The host applies no customTimeouts (`@pulumi/pulumi/cmd/dynamic-provider`: no timeout handling): the option would promise a bound that does not hold.
    if (options.customTimeouts) {
        return "customTimeouts on a dynamic resource is accepted and ignored (the dynamic provider host does not apply them); bound the provider's own code instead.";
    }
    return undefined;
}

/**
 * The engine calls a custom resource's provider `Check` on every registration, in preview as in up (step_generator.go);
 * for a dynamic resource the host calls the provider's own `check` with the old inputs (none here: no state) and the
 * new ones, and the engine refuses the resource on any failure it returns.
 */
async function checkFailures(type: string, inputs: Record<string, unknown>): Promise<string | undefined> {
    if (!type.startsWith("pulumi-nodejs:dynamic")) return undefined;
    const provider = revive(String(inputs.__provider ?? "")) as pulumi.dynamic.ResourceProvider | undefined;
    if (provider?.check === undefined) return undefined;
    const { failures } = await provider.check({}, inputs);
    if (!failures || failures.length === 0) return undefined;
    return `the provider's check failed: ${failures.map((f) => `${f.property}: ${f.reason}`).join("; ")}`;
}

/** Revived providers by their serialized text (reviving one runs its module once, as the host's cache does). */
const revived = new Map<string, Record<string, unknown> | undefined>();

/** The provider as the dynamic provider host revives it (`requireFromString(text).handler()`), or undefined when it cannot. */
function revive(text: string): Record<string, unknown> | undefined {
    if (!revived.has(text)) {
        try {
            const hostRequire = createRequire(require.resolve("@pulumi/pulumi/cmd/dynamic-provider/index.js"));
            const requireFromString = hostRequire("require-from-string") as (code: string) => { handler(): Record<string, unknown> };
            revived.set(text, requireFromString(text).handler());
        } catch {
            revived.set(text, undefined);
        }
    }
    return revived.get(text);
}

/** A resource's URN, as the mock monitor (and the engine) forms it. */
function urnOf(parent: string, type: string, name: string): string {
    const qualified = parent ? `${parent.split("::")[2].split("$").pop()}$${type}` : type;
    return `urn:pulumi:${[runtimeSettings.getStack(), runtimeSettings.getProject(), qualified, name].join("::")}`;
}

function optionsOf(req: Request, urn: string): RegistrationOptions {
    const timeouts = req.getCustomtimeouts();
    const customTimeouts =
        timeouts && (timeouts.getCreate() || timeouts.getUpdate() || timeouts.getDelete())
            ? { create: timeouts.getCreate(), update: timeouts.getUpdate(), delete: timeouts.getDelete() }
            : undefined;
    return {
        urn,
        parent: req.getParent(),
        provider: req.getProvider(),
        importId: req.getImportid(),
        ignoreChanges: req.getIgnorechangesList(),
        deleteBeforeReplace: req.getDeletebeforereplace(),
        retainOnDelete: req.getRetainondelete(),
        dependencies: req.getDependenciesList(),
        ...(customTimeouts ? { customTimeouts } : {}),
    };
}

/** The AWS provider's `defaultTags.tags` (the SDK sends a provider's object inputs as JSON text). */
function defaultTagsOf(inputs: Record<string, unknown>): Record<string, string> {
    const raw = inputs.defaultTags;
    const parsed =
        typeof raw === "string"
            ? (JSON.parse(raw) as { tags?: Record<string, string> })
            : (raw as { tags?: Record<string, string> } | undefined);
    return parsed?.tags ?? {};
}

/** Install the strict monitor as `pulumi.runtime.setMocks` installs its own (same runtime features). */
export function setStrictMocks(mocks: pulumi.runtime.Mocks, hooks: EngineHooks, project: string, stack: string, preview: boolean): void {
    runtimeSettings.setMockOptions(new StrictMonitor(mocks, hooks), project, stack, preview);
    // `getStore` is exported by the module but not declared in its typings; `setMocks` uses it the same way.
    const store = (runtimeState as unknown as { getStore(): Record<string, unknown> }).getStore();
    Object.assign(store, {
        supportsSecrets: true,
        supportsResourceReferences: true,
        supportsOutputValues: false,
        supportsDeletedWith: true,
        supportsReplaceWith: true,
        supportsAliasSpecs: true,
        supportsTransforms: true,
        supportsInvokeTransforms: true,
        supportsParameterization: true,
        supportsResourceHooks: true,
        supportsErrorHooks: true,
        supportsInvokeDependsOn: false,
    });
}
