/**
 * Names that may already be taken: the connector and the custom plugin have fixed names (the lab's), and a
 * reader who did the lab by hand already has both. The provider's own lookups find them; a resource this
 * stack manages carries this stack's tags (the provider's default tags), anything else stops the run with
 * the exact `pulumi import` commands, unless `adoptExisting` names it, in which case it is imported with the
 * `import` resource option.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Adoptable, PROJECT, SinkSettings, SinkView } from "../config";
import { isNotFound, LookupError, reason } from "./lookupError";

/** The resources whose names are fixed (buckets, adoptable too, have names the stack chooses). */
export type FixedName = Exclude<Adoptable, "buckets">;

/** How this program registers the resources whose names are fixed (component and child names are public API). */
export const FIXED_NAME_RESOURCES: Readonly<
    Record<FixedName, { what: string; setting: string; type: string; name: string; parentType: string; parentName: string }>
> = {
    connector: {
        what: "connector",
        setting: `${PROJECT}:connectorName`,
        type: "aws:mskconnect/connector:Connector",
        name: "s3-sink-connector",
        parentType: "msk-s3-sink:connector:S3SinkConnector",
        parentName: "s3-sink",
    },
    customPlugin: {
        what: "custom plugin",
        setting: `${PROJECT}:pluginVersion`,
        type: "aws:mskconnect/customPlugin:CustomPlugin",
        name: "connector-plugin-custom-plugin",
        parentType: "msk-s3-sink:plugin:ConnectorPlugin",
        parentName: "connector-plugin",
    },
};

/** What names one sink's resources: a single-sink stack's (the `default` sink's) as they have always been, any other's by its name. */
export type SinkNaming = Pick<SinkSettings, "name" | "legacyNames">;

/** The single-sink stack's naming (the `default` sink). */
export const SINGLE_SINK: SinkNaming = { name: "default", legacyNames: true };

/** The names of one sink's resources (public API: a rename replaces them), keyed by its name so adding a sink renames none. */
export function sinkResourceNames(sink: SinkNaming): {
    connector: string;
    changeGuard: string;
    state: string;
    autoRestart: string;
    adoptionTags: string;
    verification: string;
} {
    const base = sink.legacyNames ? "s3-sink" : `s3-sink-${sink.name}`;
    return {
        connector: base,
        changeGuard: `${base}-change-guard`,
        state: `${base}-state`,
        autoRestart: `${base}-auto-restart`,
        adoptionTags: `${base}-adoption-tags`,
        verification: sink.legacyNames ? "sink-verification" : `${base}-verification`,
    };
}

/** The sink a resource of the program belongs to, by its name; undefined for what the sinks share (the plugin, the buckets). */
export function sinkOwning(resourceName: string, sinks: readonly SinkNaming[]): string | undefined {
    let best: { sink: string; length: number } | undefined;
    for (const sink of sinks) {
        const names = sinkResourceNames(sink);
        for (const base of [names.connector, names.verification]) {
            const match = resourceName === base || resourceName.startsWith(`${base}-`);
            if (match && base.length > (best?.length ?? 0)) best = { sink: sink.name, length: base.length };
        }
    }
    return best?.sink;
}

/** FIXED_NAME_RESOURCES' entry for a sink's resource (its connector is named by the sink). */
function fixedResource(which: FixedName, sink: SinkNaming): (typeof FIXED_NAME_RESOURCES)[FixedName] {
    const r = FIXED_NAME_RESOURCES[which];
    if (which !== "connector" || sink.legacyNames) return r;
    const parentName = sinkResourceNames(sink).connector;
    return { ...r, name: `${parentName}-connector`, parentName, setting: `${PROJECT}:sinks.${sink.name}.connectorName` };
}

/** The name of the stack's one AWS provider resource. */
export function providerResourceName(region: string): string {
    return `aws-${region}`;
}

/** The tags every resource of this stack carries (the provider's default tags). */
export function stackTags(stack: string): Record<string, string> {
    return { "managed-by": "pulumi", project: PROJECT, stack };
}

/** A top-level or child resource's URN in this project. */
export function urnOf(stack: string, type: string, name: string, parentType?: string): string {
    return `urn:pulumi:${stack}::${PROJECT}::${parentType ? `${parentType}$` : ""}${type}::${name}`;
}

/** The `pulumi import` command that brings an existing resource under this stack, where the program puts it. */
export function importCommand(s: SinkView, which: FixedName, id: string, sink: SinkNaming = SINGLE_SINK): string {
    const r = fixedResource(which, sink);
    const provider = providerResourceName(s.region);
    return [
        `pulumi import '${r.type}' '${r.name}' '${id}'`,
        `--parent '${r.parentName}=${urnOf(s.stack, r.parentType, r.parentName)}'`,
        `--provider '${provider}=${urnOf(s.stack, "pulumi:providers:aws", provider)}'`,
    ].join(" ");
}

/**
 * An existing resource this stack adopts: its import id while it is not yet this stack's (no tags of ours), and
 * the description AWS holds (a description is fixed at creation: the adopted resource keeps its own).
 */
export interface Adoption {
    /** The ARN to import; undefined once the resource carries this stack's tags (imported by an earlier run). */
    readonly importId?: string;
    readonly arn: string;
    readonly description: string;
}

/** The existing resources this stack adopts. */
export type Adoptions = Partial<Record<FixedName, Adoption>>;

interface Found {
    readonly arn: string;
    readonly description?: string;
    readonly tags?: Readonly<Record<string, string>>;
}

/** The description the program gives a connector it creates (a description is fixed: a change replaces the connector). */
export const CONNECTOR_DESCRIPTION = "Confluent S3 sink (msk-s3-sink), managed by Pulumi";

/**
 * A connector of this stack (its tags) that it did not make (its description is not the program's): it was adopted,
 * and without `adoptExisting` the program would give it its own description and sorted brokers, replacing it.
 */
function adoptedConnectorMessage(r: { what: string; setting: string }, name: string, found: Found): string {
    return `${r.what} "${name}" (${found.arn}) carries this stack's tags but was not made by it (its description is not this program's): it was adopted. Keep \`connector\` in ${PROJECT}:adoptExisting as long as the stack manages it; without it the program would replace the connector (deleted first: the sink stops for minutes).`;
}

/** The description the program gives a custom plugin it creates: the version and the zip's digest. */
export function pluginDescription(s: Pick<SinkView, "plugin">): string {
    return `Confluent S3 sink connector ${s.plugin.version} (sha256 ${s.plugin.source.sha256.slice(0, 12)}…), managed by Pulumi (msk-s3-sink)`;
}

/**
 * A custom plugin of this stack whose zip differs from the pinned one (its description carries the digest): the
 * new plugin would take the same name, which MSK Connect refuses while the old one exists, and a plugin cannot be
 * changed in place.
 */
function samePluginNameMessage(s: SinkView, found: Found, sink: SinkNaming): string {
    const connector = fixedResource("connector", sink);
    const name = s.plugin.customPluginName;
    const was = /sha256 ([0-9a-f]{12})/.exec(found.description ?? "")?.[1];
    if (was === undefined) {
        return `custom plugin "${name}" (${found.arn}) carries this stack's tags but was not made by it (its description is not this program's): it was adopted. Keep \`customPlugin\` in ${PROJECT}:adoptExisting as long as the stack manages it; without it the program would replace the plugin under the same name, which MSK Connect refuses.`;
    }
    return [
        `custom plugin "${name}" (this stack's, ${found.arn}) was made from a zip whose SHA-256 starts ${was}, and ${PROJECT}:pluginSha256 now pins ${s.plugin.source.sha256.slice(0, 12)}… for the same ${PROJECT}:pluginVersion ${s.plugin.version}.`,
        "A custom plugin cannot change, and its replacement would take the same name, which MSK Connect refuses while the old one exists; nothing was changed.",
        `Fix: pin the digest the stack deployed again, or move to another pluginVersion (a new name: the new plugin is created before anything is deleted). To replace this version's plugin anyway, destroy the connector and the plugin first (\`pulumi destroy --target '${urnOf(s.stack, connector.type, connector.name, connector.parentType)}' --target '${urnOf(s.stack, FIXED_NAME_RESOURCES.customPlugin.type, FIXED_NAME_RESOURCES.customPlugin.name, FIXED_NAME_RESOURCES.customPlugin.parentType)}'\`: the sink stops until the next \`pulumi up\`).`,
    ].join("\n");
}

function takenMessage(s: SinkView, which: FixedName, name: string, found: Found, sink: SinkNaming): string {
    const r = fixedResource(which, sink);
    const otherStack =
        found.tags?.project === PROJECT && found.tags.stack ? ` (its tags say stack "${found.tags.stack}" of this project manages it)` : "";
    const rename =
        which === "connector"
            ? `Or give ours another name (${r.setting}).`
            : `Or delete it (\`aws kafkaconnect delete-custom-plugin --custom-plugin-arn ${found.arn}\`) if no connector uses it.`;
    return [
        `${r.what} "${name}" (${r.setting}) already exists (${found.arn}) and this stack does not manage it${otherStack}: it lacks the tags project=${PROJECT}, stack=${s.stack} that this stack's resources carry, so creating ours would fail on the name.`,
        `Adopt it: \`pulumi config set --path '${PROJECT}:adoptExisting[0]' ${which}\`, then \`pulumi up\` imports it with the \`import\` resource option (an import whose settings differ from this stack's fails and lists the differences).`,
        "Or import it by hand (the parent and provider must already be in the stack's state), and keep adoptExisting set until `pulumi up` has given it this stack's tags:",
        `  ${importCommand(s, which, found.arn, sink)}`,
        rename,
    ].join("\n");
}

function lookUp(s: SinkView, which: FixedName, opts: pulumi.InvokeOptions): Promise<Found> {
    return which === "connector"
        ? aws.mskconnect.getConnector({ name: s.connectorName }, opts)
        : aws.mskconnect.getCustomPlugin({ name: s.plugin.customPluginName }, opts);
}

/** The adoption when `adoptExisting` names an existing resource of the name; undefined when the name is free or ours. */
async function checkName(s: SinkView, which: FixedName, opts: pulumi.InvokeOptions, sink: SinkNaming): Promise<Adoption | undefined> {
    const r = fixedResource(which, sink);
    const name = which === "connector" ? s.connectorName : s.plugin.customPluginName;
    let found: Found;
    try {
        found = await lookUp(s, which, opts);
    } catch (e) {
        if (isNotFound(e, which === "connector" ? "connector" : "customPlugin")) return undefined;
        throw new Error(
            `could not check whether a ${r.what} named "${name}" (${r.setting}) already exists: ${reason(e)}. The deploying identity needs kafkaconnect:ListConnectors, kafkaconnect:ListCustomPlugins and kafkaconnect:ListTagsForResource (the lookup reads the tags).`,
        );
    }
    const tags = stackTags(s.stack);
    const ours = found.tags?.project === tags.project && found.tags?.stack === tags.stack;
    const adoption = { arn: found.arn, description: found.description ?? "" };
    if (s.adoptExisting.includes(which)) {
        if (ours) return adoption;
        void pulumi.log.info(
            `${r.what} "${name}" already exists (${found.arn}); ${PROJECT}:adoptExisting names it, so it is imported, not created, and then given this stack's tags. Keep adoptExisting as long as the stack manages it.`,
        );
        return { ...adoption, importId: found.arn };
    }
    if (!ours) throw new Error(takenMessage(s, which, name, found, sink));
    if (which === "customPlugin" && found.description !== pluginDescription(s)) throw new Error(samePluginNameMessage(s, found, sink));
    if (which === "connector" && (found.description ?? "") !== CONNECTOR_DESCRIPTION)
        throw new Error(adoptedConnectorMessage(r, name, found));
    return undefined;
}

/**
 * The fixed names of one sink (its connector) and, unless left out, the stack's custom plugin, checked together;
 * rejects with every conflict. A stack of several sinks checks the plugin once and each sink's connector.
 */
export async function checkFixedNames(
    s: SinkView,
    opts: pulumi.InvokeOptions,
    sink: SinkNaming = SINGLE_SINK,
    which: readonly FixedName[] = s.plugin.existingArn ? ["connector"] : ["customPlugin", "connector"],
): Promise<Adoptions> {
    const settled = await Promise.allSettled(which.map((w) => checkName(s, w, opts, sink)));
    const failures = settled.flatMap((r) => (r.status === "rejected" ? [(r.reason as Error).message] : []));
    if (failures.length > 0) throw new LookupError(failures);
    const adoptions: Adoptions = {};
    settled.forEach((r, i) => {
        if (r.status === "fulfilled" && r.value !== undefined) adoptions[which[i]] = r.value;
    });
    if (which.includes("customPlugin")) checkAdoptedTogether(s, adoptions.connector, adoptions.customPlugin);
    return adoptions;
}

/** A connector adopted beside a plugin the stack creates would not match on import (its plugin is fixed at creation). */
export function checkAdoptedTogether(s: SinkView, connector: Adoption | undefined, plugin: Adoption | undefined): void {
    if (!connector?.importId || plugin || s.plugin.existingArn) return;
    throw new LookupError([
        `connector "${s.connectorName}" is to be adopted, but the custom plugin it runs is not: the import compares the connector's plugin with the one this stack would create, and fails. Fix: adopt its plugin too (\`pulumi config set --path '${PROJECT}:adoptExisting[1]' customPlugin\`, with ${PROJECT}:pluginVersion naming the version it runs), or give ours another name (${PROJECT}:connectorName).`,
    ]);
}
