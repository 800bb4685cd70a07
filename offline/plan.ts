/**
 * The offline plan: the real program evaluated under Pulumi's mock runtime in preview mode with a stack's
 * settings, recorded as the lookups it makes (answered with example data, and marked so), the resources it
 * registers with their inputs, its warnings as objects, the policy findings and its outputs, with what a
 * real `pulumi preview` checks that this plan cannot. Nothing is contacted.
 */
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { cachedArtifactPath, isVerifiedFile, pluginDescription, sinkOwning } from "../preflight";
import {
    declarationsByKey,
    defaultProvidersWarning,
    disabledDefaultProviders,
    inheritedLabDefaults,
    InheritedLabDefault,
    OPAQUE_SECRET,
    PLACEHOLDER_SHA256,
    PROJECT,
    noteWarning,
    sinkFindingLine,
    sinkWarnings,
    ConfigWarning,
    StackSettings,
} from "../config";
import { checkProgram, PolicyViolation } from "../policy/rules";
import { MockFixtures, MockHarness, RecordedInvoke, RecordedResource, settle, UNKNOWN, valueOf } from "./mockRuntime";

const ROOT = path.resolve(__dirname, "..");

/** A warning as `--json` prints it. */
export type PlanWarning = ConfigWarning;

export interface Plan {
    stack: string;
    /** Why this stack, when the CLI chose it (given with --stack, PULUMI_STACK, pulumi stack select, the only stack file). */
    stackChosenBy?: string;
    region: string;
    accountId: string;
    summary: { creates: number; adopts: number; looksUp: number; warnings: number; policyFindings: number };
    /** Every lookup was answered offline with example data, not the account's. */
    lookupsAreExamples: true;
    /** What a real `pulumi preview` checks in the account that this plan cannot. */
    previewChecks: string[];
    /** The lab's names this stack inherits by leaving their settings out (none for dev): one line each in the text. */
    labDefaults: InheritedLabDefault[];
    /** Secret settings this plan could not decrypt (shown as [secret]; `pulumi preview` checks them). */
    secretSettings: string[];
    /** Where the connector zip comes from and what it is checked against. */
    artifact: { source: string; sha256: string; cachedAndVerified: boolean };
    lookups: { token: string; args: unknown; exampleAnswer: unknown }[];
    /** The stack's sinks by name (`default` alone for a single-sink stack). */
    sinks: string[];
    /** `sink`: the sink a resource is for (none for what the sinks share). */
    resources: { type: string; name: string; sink?: string; inputs: unknown; exampleInputs: string[]; importId?: string }[];
    /** What the program said besides warnings (an adopted resource, a reused object). */
    notes: string[];
    warnings: PlanWarning[];
    policy: PolicyViolation[];
    outputs: Record<string, unknown>;
    exampleOutputs: string[];
    /** The invented values (ARNs, ids, brokers) that appear in the resources and outputs above. */
    exampleValues: string[];
}

/** Inputs as a person reads them: unknowns spelled out, assets named, Pulumi's bookkeeping dropped. */
function readable(value: unknown): unknown {
    if (value === UNKNOWN) return "(known after up)";
    // A secret as Pulumi's runtime puts it on the wire (the mocks see it so).
    if (value && typeof value === "object" && pulumi.runtime.specialSigKey in value) return OPAQUE_SECRET;
    if (Array.isArray(value)) return value.map(readable);
    if (pulumi.asset.Asset.isInstance(value)) return "FileAsset (the cached connector zip, digest verified)";
    if (value && typeof value === "object") {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
            if (k.startsWith("__")) continue;
            out[k] = readable(v);
        }
        return out;
    }
    if (typeof value === "string" && /^\s*\{"Version"/.test(value)) {
        try {
            return JSON.parse(value);
        } catch {
            return value;
        }
    }
    return value;
}

function leaves(value: unknown, at = ""): [string, string][] {
    if (typeof value === "string") return [[at, value]];
    if (Array.isArray(value)) return value.flatMap((v, i) => leaves(v, `${at}[${i}]`));
    if (value && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => leaves(v, at ? `${at}.${k}` : k));
    return [];
}

/**
 * Strings the mock answered with that neither the lookup's arguments nor the stack's settings hold: invented,
 * so examples (short words such as states left out).
 */
function exampleStrings(invokes: readonly RecordedInvoke[], s: StackSettings): string[] {
    const known = new Set(leaves(s).map(([, v]) => v));
    const found = new Set<string>();
    for (const i of invokes) {
        const asked = new Set(leaves(i.args).map(([, v]) => v));
        for (const [, v] of leaves(i.result)) if (v.length >= 8 && !asked.has(v) && !known.has(v)) found.add(v);
    }
    return [...found];
}

/** Paths of the string leaves that hold an example value. */
function examplePaths(value: unknown, examples: readonly string[]): string[] {
    return leaves(value)
        .filter(([, v]) => examples.some((e) => v.includes(e)))
        .map(([p]) => p);
}

/** The key PREVIEW_CHECKS gives the custom plugin lookup of a stack that runs on another stack's plugin (`pluginArn`). */
const SHARED_PLUGIN = "(pluginArn) aws:mskconnect/getCustomPlugin:getCustomPlugin";

/** What a real preview asks the account, by lookup; the plan answers the same with examples. */
const PREVIEW_CHECKS: Readonly<Record<string, (a: Record<string, unknown>) => string>> = {
    "aws:s3/getBucket:getBucket": (a) => `bucket ${a.bucket} exists and the deploying identity can read it`,
    "aws:msk/getCluster:getCluster": (a) =>
        `MSK cluster ${a.clusterName} exists with IAM brokers on port 9098 (its real client subnets and security groups are used)`,
    "aws:iam/getRoles:getRoles": (a) => `exactly one IAM role's name matches ${a.nameRegex}`,
    "aws:iam/getRole:getRole": (a) => `IAM role ${a.name} exists`,
    "aws:cloudwatch/getLogGroup:getLogGroup": (a) => `log group ${a.name} exists`,
    "aws:mskconnect/getWorkerConfiguration:getWorkerConfiguration": (a) =>
        `worker configuration ${a.name} exists (its latest revision is used and its properties checked)`,
    "aws:mskconnect/getConnector:getConnector": (a) => `no connector named ${a.name} exists that this stack does not manage`,
    "aws:mskconnect/getCustomPlugin:getCustomPlugin": (a) => `no custom plugin named ${a.name} exists that this stack does not manage`,
    [SHARED_PLUGIN]: (a) => `custom plugin ${a.name} (msk-s3-sink:pluginArn) exists under that ARN, ACTIVE, made from the pinned zip`,
    "aws:s3/getObject:getObject": (a) => `s3://${a.bucket}/${a.key} is empty, holds this stack's upload, or holds the pinned zip`,
    "aws:ec2/getSubnet:getSubnet": () =>
        "the cluster's client subnets route to S3 (an S3 gateway endpoint on their route tables, or a NAT gateway)",
    "aws:vpc/getSecurityGroupRules:getSecurityGroupRules": () =>
        "the cluster's security groups admit the connector on TCP 9098 and let it out to 9098 and 443",
};

function previewChecks(
    invokes: readonly RecordedInvoke[],
    artifact: Plan["artifact"],
    source: StackSettings["plugin"]["source"],
    shared: boolean,
): string[] {
    const token = (t: string) => (t === "aws:mskconnect/getCustomPlugin:getCustomPlugin" && shared ? SHARED_PLUGIN : t);
    const checks = invokes.flatMap((i) => PREVIEW_CHECKS[token(i.token)]?.(i.args) ?? []);
    if (!shared && !artifact.cachedAndVerified && source.kind === "download") {
        checks.push(`the connector zip downloads from ${source.url} (into the cache, in preview too) and its SHA-256 is ${source.sha256}`);
    }
    return [...new Set(checks)];
}

/** A logged warning as an object: the doctor's, the preflight's (`warning [rule] key: …`), or the program's. */
export function planWarning(message: string, s: StackSettings): PlanWarning {
    for (const sink of s.sinks) {
        const i = sink.settings.warnings.findIndex((f) => sinkFindingLine(sink, f) === message);
        if (i >= 0) return sinkWarnings(sink)[i];
    }
    const m = /^warning \[([\w-]+)\] (\S+?)(?: = ("(?:[^"\\]|\\.)*"))?: ([\s\S]*)$/.exec(message);
    if (m) {
        const setting = m[2].includes(":") ? m[2] : `${PROJECT}:workerConfigurationName`;
        return {
            rule: m[1],
            severity: "warning",
            key: setting,
            message: setting === m[2] ? m[4] : `${m[2]}${m[3] ? ` = ${m[3]}` : ""}: ${m[4]}`,
        };
    }
    const key = Object.keys(declarationsByKey()).find((k) => message.startsWith(`${k} `));
    const rest = key ? message.slice(key.length + 1) : message;
    if (s.plugin.source.sha256 === PLACEHOLDER_SHA256 && key === `${PROJECT}:pluginSha256`) {
        return { rule: "placeholder-digest", severity: "warning", key, message: rest };
    }
    return { rule: "program", severity: "warning", key: key ?? "", message: rest };
}

/** The zip's origin, as a person reads it. */
function artifactOf(s: StackSettings, reused: boolean): Plan["artifact"] {
    const src = s.plugin.source;
    if (s.plugin.existingArn) {
        const source = `none: the connectors run the custom plugin ${PROJECT}:pluginArn names (another stack's), so nothing is downloaded or uploaded; its zip is checked against the pin where its description names one`;
        return { source, sha256: src.sha256, cachedAndVerified: true };
    }
    const cacheFile = src.kind === "download" ? cachedArtifactPath(s.plugin.cacheDir, src.sha256, s.plugin.fileName) : src.path;
    const cachedAndVerified = isVerifiedFile(cacheFile, src.sha256);
    const source = reused
        ? `already in s3://${s.pluginsBucket.name}/${s.plugin.objectKey} with the pinned SHA-256: used as it is, not uploaded`
        : src.kind === "local"
          ? `local file ${src.path}`
          : cachedAndVerified
            ? `${cacheFile}, already downloaded from ${src.url}`
            : `download ${src.url} to ${cacheFile} (by \`pulumi preview\` and \`pulumi up\`; this offline plan downloads nothing)`;
    return { source, sha256: src.sha256, cachedAndVerified };
}

/** An output as the plan shows it: unknown parts spelled out, a map of outputs (the sinks') key by key. */
async function shownOutput(out: unknown): Promise<unknown> {
    if (out && typeof out === "object" && !pulumi.Output.isInstance(out)) {
        const shown: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(out)) shown[k] = await shownOutput(v);
        return shown;
    }
    const v = await valueOf(out as pulumi.Output<unknown>);
    return v === undefined ? "(known after up)" : v;
}

/** For a stack on another stack's plugin (`pluginArn`): an example of it, ACTIVE, made from the pinned zip, as the lookup answers. */
function sharedPluginExample(s: StackSettings): Partial<MockFixtures> {
    const arn = s.plugin.existingArn;
    if (arn === undefined) return {};
    return { existingCustomPlugin: { found: { arn }, fields: { description: pluginDescription(s) } } };
}

/** Run the program under mocks in preview mode, recording warnings and notes; returns its outputs. */
async function runProgram(harness: MockHarness, s: StackSettings, raw: Record<string, string>, secretKeys: string[]) {
    harness.install(PROJECT, s.stack, true);
    pulumi.runtime.setAllConfig(raw, secretKeys);
    const logged = { warnings: [] as string[], notes: [] as string[] };
    const { warn, info } = pulumi.log;
    pulumi.log.warn = (msg: string) => (logged.warnings.push(msg), Promise.resolve());
    pulumi.log.info = (msg: string) => (logged.notes.push(msg), Promise.resolve());
    const outputs: Record<string, unknown> = {};
    try {
        process.chdir(ROOT);
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const main = require("../index") as () => Promise<Record<string, unknown>>;
        for (const [name, out] of Object.entries(await main())) outputs[name] = await shownOutput(out);
        await settle();
    } finally {
        Object.assign(pulumi.log, { warn, info });
    }
    return { outputs, warnings: [...new Set(logged.warnings)], notes: [...new Set(logged.notes)] };
}

/**
 * Evaluate the program for the given settings under mocks; returns the plan. `fixtures` change the example
 * account the lookups answer from (the tests use it; `npm run plan` answers with the lab's).
 */
export async function renderPlan(
    settings: StackSettings,
    raw: Record<string, string>,
    secretKeys: string[],
    fixtures: Partial<MockFixtures> = {},
): Promise<Plan> {
    const harness = new MockHarness({
        region: settings.region,
        accountId: settings.accountId,
        computeOutputs: false,
        disabledDefaultProviders: disabledDefaultProviders(raw),
        ...sharedPluginExample(settings),
        ...fixtures,
    });
    const run = await runProgram(harness, settings, raw, secretKeys);
    const lookups = harness.invokes.filter((i) => i.token.startsWith("aws:"));
    const examples = exampleStrings(lookups, settings);
    const shown = (r: RecordedResource) => !r.type.startsWith(`${PROJECT}:`) && !r.type.startsWith("pulumi:providers:");
    const resources = harness.resources.filter(shown).map((r) => {
        const inputs = readable(r.inputs);
        const sink = sinkOwning(r.name, settings.sinks);
        return {
            type: r.type,
            name: r.name,
            ...(sink ? { sink } : {}),
            inputs,
            exampleInputs: examplePaths(inputs, examples),
            ...(r.importId ? { importId: r.importId } : {}),
        };
    });
    const artifact = artifactOf(settings, !resources.some((r) => r.type === "aws:s3/bucketObjectv2:BucketObjectv2"));
    const warnings = [
        ...settings.readingNotes.map(noteWarning),
        ...defaultProvidersWarning(raw),
        ...run.warnings.map((w) => planWarning(w, settings)),
    ];
    const policy = checkProgram(harness.resources);
    const adopts = resources.filter((r) => r.importId).length;
    return {
        stack: settings.stack,
        region: settings.region,
        accountId: settings.accountId,
        summary: {
            creates: resources.length - adopts,
            adopts,
            looksUp: lookups.length,
            warnings: warnings.length,
            policyFindings: policy.length,
        },
        lookupsAreExamples: true,
        previewChecks: previewChecks(lookups, artifact, settings.plugin.source, settings.plugin.existingArn !== undefined),
        labDefaults: inheritedLabDefaults(settings, raw),
        secretSettings: [...settings.opaqueSecrets],
        artifact,
        sinks: settings.sinks.map((x) => x.name),
        lookups: lookups.map((i) => ({ token: i.token, args: readable(i.args), exampleAnswer: i.result ?? "(not found)" })),
        resources,
        notes: run.notes,
        warnings,
        policy,
        outputs: run.outputs,
        exampleOutputs: Object.keys(run.outputs).filter((k) => examplePaths(run.outputs[k], examples).length > 0),
        exampleValues: examples.filter((e) =>
            [...resources.map((r) => r.inputs), run.outputs].some((v) => examplePaths(v, [e]).length > 0),
        ),
    };
}

export { formatPlan } from "./planText";
