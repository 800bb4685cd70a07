/**
 * The rules of `rules.ts` as CrossGuard stack policies: each rule becomes one mandatory policy that
 * reports a violation on the resource at fault (by URN) with the rule's message.
 */
import type { PolicyResource, ReportViolation, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { Rule, RULES, StackResource } from "./rules";

/** A CrossGuard resource as the rules see it: its type, logical name and input properties. */
export function toStackResource(r: PolicyResource): StackResource {
    return { type: r.type, name: r.name, inputs: r.props ?? {} };
}

export function toPolicy(rule: Rule): StackValidationPolicy {
    return {
        name: rule.name,
        description: rule.description,
        enforcementLevel: "mandatory",
        validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
            const resources = args.resources.map(toStackResource);
            for (const violation of rule.check(resources)) {
                const at = args.resources.find((r) => `${r.type} ${r.name}` === violation.resource);
                reportViolation(`${violation.resource}: ${violation.message}`, at?.urn);
            }
        },
    };
}

export const POLICIES: StackValidationPolicy[] = RULES.map(toPolicy);
