/** The offline plan as text, the way `npm run plan` prints it: the summary first, examples marked as such. */
import type { Plan } from "./plan";

const EXAMPLE = "   ← example (answered offline)";

function indent(text: string, by: string): string {
    return text
        .split("\n")
        .map((l) => by + l)
        .join("\n");
}

function plural(n: number, word: string): string {
    return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** A JSON value on one line, cut short. */
function brief(value: unknown, max = 140): string {
    const text = value === undefined ? "(not found)" : JSON.stringify(value);
    return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Pretty JSON with every line that holds an example value marked. */
function markedJson(value: unknown, examplePaths: readonly string[], examples: (line: string) => boolean): string {
    const text = JSON.stringify(value, null, 2);
    if (examplePaths.length === 0) return text;
    return text
        .split("\n")
        .map((line) => (examples(line) ? line + EXAMPLE : line))
        .join("\n");
}

function summary(plan: Plan): string {
    const s = plan.summary;
    const adopts = s.adopts > 0 ? `adopts ${s.adopts} (import), ` : "";
    return `Summary: creates ${plural(s.creates, "resource")}, ${adopts}looks up ${s.looksUp} (answered offline with example data), ${plural(s.warnings, "warning")}, ${plural(s.policyFindings, "policy finding")}.`;
}

/** The lab's names the stack inherits, one line each, so a stack other than dev sees what it did not set. */
function labDefaultsSection(plan: Plan): string[] {
    if (plan.labDefaults.length === 0) return [];
    return [
        `Left at the lab's names (${plan.labDefaults.length}; not set in Pulumi.${plan.stack}.yaml: right for the lab, most likely not for this stack):`,
        ...plan.labDefaults.map((d) => `  ~ ${d.key} = ${d.value}`),
        "",
    ];
}

function lookupsSection(plan: Plan): string[] {
    const out = [
        `Looks up (${plan.lookups.length}), answered offline with EXAMPLE data, not your account's (any name "resolves" here):`,
        ...plan.lookups.map((l) => `  ? ${l.token}  ${JSON.stringify(l.args)}\n      example: ${brief(l.exampleAnswer)}`),
        "",
        "`pulumi preview` checks for real, in the account:",
        ...plan.previewChecks.map((c) => `  - ${c}`),
    ];
    if (plan.secretSettings.length > 0) {
        out.push(
            `  - the secret settings this plan cannot decrypt (shown as [secret], not checked here): ${plan.secretSettings.join(", ")}`,
        );
    }
    return out;
}

/**
 * Items grouped by the sink they are for, what the sinks share first, each group under a heading; one group without a
 * heading for a single-sink stack (its plan reads as it always has).
 */
function bySink<T>(plan: Plan, items: readonly T[], sinkOf: (item: T) => string | undefined): [string | undefined, T[]][] {
    if (plan.sinks.length === 1 && plan.sinks[0] === "default") return [[undefined, [...items]]];
    const groups: [string | undefined, T[]][] = [["  shared by every sink:", items.filter((i) => sinkOf(i) === undefined)]];
    for (const sink of plan.sinks) groups.push([`  sink ${sink}:`, items.filter((i) => sinkOf(i) === sink)]);
    return groups.filter(([, g]) => g.length > 0);
}

/** The plan as text, the way `npm run plan` prints it. */
export function formatPlan(plan: Plan): string {
    const escaped = plan.exampleValues.map((v) => JSON.stringify(v).slice(1, -1));
    const isExampleLine = (line: string) => escaped.some((v) => line.includes(v));
    const out: string[] = [
        `Plan for stack "${plan.stack}"${plan.stackChosenBy ? ` (${plan.stackChosenBy})` : ""}, region ${plan.region}, account ${plan.accountId}: evaluated offline under Pulumi's mock runtime; nothing was contacted.`,
        summary(plan),
        "",
        ...labDefaultsSection(plan),
        `Connector zip: ${plan.artifact.source}; uploaded only if its SHA-256 is ${plan.artifact.sha256}${plan.artifact.cachedAndVerified ? " (the cached copy matches)" : ""}.`,
        "",
        ...lookupsSection(plan),
        "",
        `Creates (${plan.resources.length}):`,
    ];
    for (const [heading, resources] of bySink(plan, plan.resources, (r) => r.sink)) {
        if (heading) out.push(heading);
        for (const r of resources) {
            out.push(`  ${r.importId ? "= (adopted: import " + r.importId + ")" : "+"} ${r.type}  ${r.name}`);
            out.push(indent(markedJson(r.inputs, r.exampleInputs, isExampleLine), "      "));
        }
    }
    out.push("", `Warnings (${plan.warnings.length}):`);
    for (const [heading, warnings] of bySink(plan, plan.warnings, (w) => /^msk-s3-sink:sinks\.([a-z0-9-]+)\./.exec(w.key)?.[1])) {
        if (heading) out.push(heading);
        out.push(...warnings.map((w) => `  ! ${w.severity} [${w.rule}] ${w.key}: ${w.message}`));
    }
    if (plan.notes.length > 0) out.push("", "Notes:", ...plan.notes.map((n) => `  i ${n}`));
    out.push("", `Policy findings (${plan.policy.length}):${plan.policy.length === 0 ? " every rule passes" : ""}`);
    for (const p of plan.policy) out.push(`  x [${p.rule}] ${p.resource}: ${p.message}`);
    out.push("", "Outputs:");
    for (const [k, v] of Object.entries(plan.outputs)) {
        out.push(`  ${k}: ${typeof v === "string" ? v : JSON.stringify(v)}${plan.exampleOutputs.includes(k) ? EXAMPLE : ""}`);
    }
    return out.join("\n") + "\n";
}
