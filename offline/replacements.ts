/**
 * What `pulumi up` would do between two renders of the program (before and after a change): for each resource,
 * same, update in place, replace (with the order the engine replaces in), create or delete, from the provider's
 * replacement table (`common/replacements.ts`); and the engine's order of steps, so a test can say what is
 * deleted before what is created. The order follows pulumi `pkg/resource/deploy/step_generator.go`: a replacement
 * creates the new resource first and deletes the old one at the end, unless it is delete-before-replace, in which
 * case the old one (and first every dependent being replaced with it) is deleted before the new one is created.
 */
import { REPLACE_ON } from "../common";
import { differingPaths } from "./engineModel";
import type { RecordedResource } from "./mockRuntime";

export type Action = "same" | "update" | "replace" | "create" | "delete";

export interface Change {
    /** `<type> <name>`. */
    readonly key: string;
    readonly action: Action;
    /** Top-level input fields that differ. */
    readonly fields: readonly string[];
    /** For a replacement: whether the old one goes first (its name is fixed) or last. */
    readonly order?: "delete-before-replace" | "create-before-delete";
}

const keyOf = (r: RecordedResource) => `${r.type} ${r.name}`;

/** Custom resources only (components have no provider and no steps of their own). */
function managed(rs: readonly RecordedResource[]): RecordedResource[] {
    return rs.filter((r) => r.type.startsWith("pulumi:providers:") || r.type.includes(":dynamic") || r.type.startsWith("aws:"));
}

function replaceOn(type: string): readonly string[] {
    if (type.includes(":dynamic")) return []; // a dynamic resource's own diff decides; the program's update or replace it
    const fields = REPLACE_ON[type];
    if (fields === undefined)
        throw new Error(`no replacement rule for ${type}: add it to common/replacements.ts from the provider's schema`);
    return fields;
}

/** A resource's inputs as the provider's Check leaves them: with `tagsAll` (the provider's default tags) where it has one. */
function checkedInputs(r: RecordedResource): Record<string, unknown> {
    return r.options?.tagsAll ? { ...r.inputs, tagsAll: r.options.tagsAll } : r.inputs;
}

/** What changes for each resource, in the after-render's registration order, then what is deleted. */
export function planChanges(before: readonly RecordedResource[], after: readonly RecordedResource[]): Change[] {
    const old = new Map(managed(before).map((r) => [keyOf(r), r]));
    const changes: Change[] = managed(after).map((r) => {
        const was = old.get(keyOf(r));
        if (was === undefined) return { key: keyOf(r), action: "create", fields: [] };
        const fields = [...new Set(differingPaths(checkedInputs(r), checkedInputs(was)).map((p) => p.split(/[.[]/)[0]))];
        if (fields.length === 0) return { key: keyOf(r), action: "same", fields };
        if (!fields.some((f) => replaceOn(r.type).includes(f))) return { key: keyOf(r), action: "update", fields };
        const order = r.options?.deleteBeforeReplace ? "delete-before-replace" : "create-before-delete";
        return { key: keyOf(r), action: "replace", fields, order };
    });
    const kept = new Set(changes.map((c) => c.key));
    const gone = [...old.keys()].filter((k) => !kept.has(k)).map((key): Change => ({ key, action: "delete", fields: [] }));
    return [...changes, ...gone];
}

/** The steps the engine takes, in order: "create <key>", "delete <key>" (an old resource), "update <key>". */
export function stepsOf(changes: readonly Change[], after: readonly RecordedResource[]): string[] {
    const byUrn = new Map(after.filter((r) => r.options).map((r) => [r.options!.urn, keyOf(r)]));
    const dependents = (key: string) => after.filter((r) => r.options?.dependencies.some((d) => byUrn.get(d) === key)).map(keyOf);
    const replacing = new Map(changes.filter((c) => c.action === "replace").map((c) => [c.key, c]));
    const steps: string[] = [];
    const deleted = new Set<string>();
    const deleteFirst = (key: string): void => {
        for (const d of dependents(key)) if (replacing.has(d) && !deleted.has(d)) deleteFirst(d);
        if (deleted.has(key)) return;
        steps.push(`delete ${key}`);
        deleted.add(key);
    };
    for (const c of changes) {
        if (c.action === "create") steps.push(`create ${c.key}`);
        if (c.action === "update") steps.push(`update ${c.key}`);
        if (c.action !== "replace") continue;
        if (c.order === "delete-before-replace") deleteFirst(c.key);
        steps.push(`create ${c.key}`);
    }
    const last = changes.filter((c) => (c.action === "replace" && !deleted.has(c.key)) || c.action === "delete");
    for (const c of [...last].reverse()) steps.push(`delete ${c.key}`);
    return steps;
}
