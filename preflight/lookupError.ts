/** The one error a failed preflight throws: every failure, each naming the setting and the fix. */
import * as pulumi from "@pulumi/pulumi";
import { errorText } from "../common";

/** Thrown when lookups fail; lists every failed lookup at once. Shown without a stack trace. */
export class LookupError extends pulumi.RunError {
    constructor(readonly failures: readonly string[]) {
        super(
            `${failures.length} lookup${failures.length === 1 ? "" : "s"} failed; nothing was created:\n${failures.map((f) => `  - ${f}`).join("\n")}`,
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

/** The messages a rejection carries: each of a LookupError's failures, or its first line. */
export function failuresOf(reason: unknown): string[] {
    return reason instanceof LookupError ? [...reason.failures] : [errorText(reason)];
}
