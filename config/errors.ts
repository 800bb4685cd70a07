/** Configuration problems, and the error that lists every one of them before anything is created. */
import * as pulumi from "@pulumi/pulumi";
import { show } from "../common";

/** One problem with one setting. */
export interface ConfigProblem {
    readonly key: string;
    readonly value: unknown;
    readonly message: string;
}

/** A warning found in the same run as the problems: its rule, the setting to change, and what it says. */
export interface ConfigWarning {
    readonly rule: string;
    readonly severity: "warning";
    readonly key: string;
    readonly message: string;
}

/** Thrown when the stack config is not usable; shown without a stack trace by the Pulumi CLI. */
export class StackConfigError extends pulumi.RunError {
    constructor(
        readonly stack: string,
        readonly problems: readonly ConfigProblem[],
        /** Warnings found in the same run (the doctor's, the stack file's), shown with the problems. */
        readonly warnings: readonly ConfigWarning[] = [],
    ) {
        super(formatProblems(stack, problems, warnings));
        this.name = "StackConfigError";
    }
}

export function formatProblems(
    stack: string,
    problems: readonly ConfigProblem[],
    warnings: readonly ConfigWarning[] = [],
    consequence = "nothing was created",
): string {
    const lines = problems.map((p) => `  - ${p.key}${p.value === undefined ? " (not set)" : ` = ${show(p.value)}`}: ${p.message}`);
    return [
        `Stack "${stack}" has ${problems.length} configuration problem${problems.length === 1 ? "" : "s"}; ${consequence}:`,
        ...lines,
        ...(warnings.length > 0
            ? ["Warnings found in the same run:", ...warnings.map((w) => `  - warning [${w.rule}] ${w.key}: ${w.message}`)]
            : []),
        `Fix them in Pulumi.${stack}.yaml (or with \`pulumi config set <key> <value>\`) and run again.`,
    ].join("\n");
}
