/** The one error a failed preflight throws: every failure, each naming the setting and the fix. */
import * as pulumi from "@pulumi/pulumi";
import { errorText } from "../common";

/** Thrown when preflight checks fail; lists every failure at once. Shown without a stack trace. */
export class LookupError extends pulumi.RunError {
    constructor(
        readonly failures: readonly string[],
        /** Warnings found in the same run, shown with the failures. */
        readonly warnings: readonly PreflightWarning[] = [],
    ) {
        const item = (text: string) => `  - ${text.replace(/\n/g, "\n    ")}`;
        super(
            [
                `${failures.length} preflight check${failures.length === 1 ? "" : "s"} failed; nothing was created:`,
                ...failures.map(item),
                ...(warnings.length > 0 ? ["Warnings found in the same run:", ...warnings.map((w) => item(formatWarning(w)))] : []),
            ].join("\n"),
        );
        this.name = "LookupError";
    }
}

/** Throws a plain message (a lookup's own check failed). */
export function fail(message: string): never {
    throw new Error(message);
}

/** A rejection handler that says what could not be looked up, by which setting, with the provider's first line. */
export function explain(what: string, setting: string): (e: unknown) => never {
    return (e: unknown): never => {
        throw new Error(`${what} (${setting}): ${errorText(e)}`);
    };
}

/** A failure's first line without its closing period, to go inside a sentence of ours. */
export function reason(e: unknown): string {
    return errorText(e).replace(/[.\s]+$/, "");
}

/** The messages a rejection carries: each of a LookupError's failures, or its first line. */
export function failuresOf(reason: unknown): string[] {
    return reason instanceof LookupError ? [...reason.failures] : [errorText(reason)];
}

/**
 * True when a lookup failed because nothing matched: the AWS provider's data sources say "no matching … found"
 * (singular lookups), "couldn't find resource" (S3 objects) or "empty result".
 */
export function isNotFound(e: unknown): boolean {
    const text = e instanceof Error ? e.message : String(e);
    return /no matching .* found|couldn't find resource|empty result|NoSuchKey|NotFound|status code: 404/i.test(text);
}

/** What a preflight found that it cannot be sure of: reported, never fatal. */
export interface PreflightWarning {
    /** Stable name of the check. */
    readonly rule: string;
    /** The setting the finding is about. */
    readonly key: string;
    readonly message: string;
}

/** One line per warning, in the doctor's shape (`warning [rule] key: message`), for logs and the plan. */
export function formatWarning(w: PreflightWarning): string {
    return `warning [${w.rule}] ${w.key}: ${w.message}`;
}
