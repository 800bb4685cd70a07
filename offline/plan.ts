/**
 * The offline plan: the real program evaluated under Pulumi's mock runtime in preview mode with a stack's
 * settings, recorded as the lookups it makes, the resources it registers with their inputs, its warnings,
 * the policy findings and its outputs. Nothing is contacted.
 */
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { cachedArtifactPath, isVerifiedFile } from "../components";
import type { StackSettings } from "../config";
import { checkProgram, PolicyViolation } from "../policy/rules";
import { MockHarness, RecordedInvoke, RecordedResource, settle, UNKNOWN, valueOf } from "./mockRuntime";

const ROOT = path.resolve(__dirname, "..");

/** Inputs as a person reads them: unknowns spelled out, assets named, Pulumi's bookkeeping dropped. */
function readable(value: unknown): unknown {
    if (value === UNKNOWN) return "(known after up)";
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

export interface Plan {
    stack: string;
    region: string;
    accountId: string;
    lookups: { token: string; args: unknown }[];
    resources: { type: string; name: string; inputs: unknown }[];
    warnings: string[];
    policy: PolicyViolation[];
    /** Where the connector zip comes from and what it is checked against. */
    artifact: { source: string; sha256: string; cachedAndVerified: boolean };
    outputs: Record<string, unknown>;
}

/** Evaluate the program for the given settings under mocks; returns the plan. */
export async function renderPlan(settings: StackSettings, raw: Record<string, string>, secretKeys: string[]): Promise<Plan> {
    const harness = new MockHarness({ region: settings.region, accountId: settings.accountId, computeOutputs: false });
    await pulumi.runtime.setMocks(harness.mocks(), "msk-s3-sink", settings.stack, true);
    pulumi.runtime.setAllConfig(raw, secretKeys);

    const warnings: string[] = [];
    const originalWarn = pulumi.log.warn;
    pulumi.log.warn = (msg: string) => {
        warnings.push(msg);
        return Promise.resolve();
    };
    const outputs: Record<string, unknown> = {};
    try {
        process.chdir(ROOT);
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const main = require("../index") as () => Promise<Record<string, unknown>>;
        const program = await main();
        for (const [name, out] of Object.entries(program)) {
            const v = await valueOf(out as pulumi.Output<unknown>);
            outputs[name] = v === undefined ? "(known after up)" : v;
        }
        await settle();
    } finally {
        pulumi.log.warn = originalWarn;
    }

    const src = settings.plugin.source;
    const cacheFile = src.kind === "download" ? cachedArtifactPath(src.url, settings.plugin.cacheDir) : src.path;
    const cachedAndVerified = isVerifiedFile(cacheFile, src.sha256);
    const artifact = {
        source:
            src.kind === "local"
                ? `local file ${src.path}`
                : cachedAndVerified
                  ? `${cacheFile}, already downloaded from ${src.url}`
                  : `download ${src.url} to ${cacheFile} at \`pulumi up\``,
        sha256: src.sha256,
        cachedAndVerified,
    };
    const components = (r: RecordedResource) => r.type.startsWith("msk-s3-sink:") || r.type.startsWith("pulumi:providers:");
    return {
        stack: settings.stack,
        region: settings.region,
        accountId: settings.accountId,
        lookups: harness.invokes.map((i: RecordedInvoke) => ({ token: i.token, args: readable(i.args) })),
        resources: harness.resources.filter((r) => !components(r)).map((r) => ({ type: r.type, name: r.name, inputs: readable(r.inputs) })),
        warnings: [...new Set(warnings)],
        policy: checkProgram(harness.resources),
        artifact,
        outputs,
    };
}

function indent(text: string, by: string): string {
    return text
        .split("\n")
        .map((l) => by + l)
        .join("\n");
}

/** The plan as text, the way `npm run plan` prints it. */
export function formatPlan(plan: Plan): string {
    const out: string[] = [];
    out.push(
        `Plan for stack "${plan.stack}" (region ${plan.region}, account ${plan.accountId}): evaluated offline under Pulumi's mock runtime; nothing was contacted.`,
    );
    out.push("");
    out.push(
        `Connector zip: ${plan.artifact.source}; uploaded only if its SHA-256 is ${plan.artifact.sha256}${plan.artifact.cachedAndVerified ? " (the cached copy matches)" : ""}.`,
    );
    out.push("");
    out.push(`Looks up (${plan.lookups.length}):`);
    for (const l of plan.lookups) out.push(`  ? ${l.token}  ${JSON.stringify(l.args)}`);
    out.push("");
    out.push(`Creates (${plan.resources.length}):`);
    for (const r of plan.resources) {
        out.push(`  + ${r.type}  ${r.name}`);
        out.push(indent(JSON.stringify(r.inputs, null, 2), "      "));
    }
    out.push("");
    out.push(`Warnings (${plan.warnings.length}):`);
    for (const w of plan.warnings) out.push(`  ! ${w}`);
    out.push("");
    out.push(`Policy findings (${plan.policy.length}):${plan.policy.length === 0 ? " every rule passes" : ""}`);
    for (const p of plan.policy) out.push(`  x [${p.rule}] ${p.resource}: ${p.message}`);
    out.push("");
    out.push("Outputs:");
    for (const [k, v] of Object.entries(plan.outputs)) out.push(`  ${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`);
    return out.join("\n") + "\n";
}
