/**
 * Resource options for a resource the stack adopts (`adoptExisting`): the `import` option while it is not yet
 * this stack's, with `ignoreChanges` on what cannot match AWS on that run (its tags: the provider's default tags
 * would differ from the hand-made resource's, and Pulumi's import docs make `ignoreChanges` the way through), and
 * on the fields the program cannot read before adopting (kept as they were made, for as long as it is adopted).
 */
import type * as pulumi from "@pulumi/pulumi";

export function adoptionOptions(importId: string | undefined, keptAsMade: readonly string[]): pulumi.CustomResourceOptions {
    const tags = importId ? ["tags", "tagsAll"] : [];
    return { ...(importId ? { import: importId } : {}), ignoreChanges: [...keptAsMade, ...tags] };
}
