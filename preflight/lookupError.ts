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
 * What each singular data source the preflight uses says when nothing matches, word for word (terraform-provider-aws
 * under `@pulumi/aws` 7.48 (v6.66): `tfresource.SingularDataSourceFindError` gives "no matching <what> found").
 * The strict mock runtime answers in these words too.
 */
export const NOT_FOUND = {
    connector: "no matching MSK Connect Connector found",
    customPlugin: "no matching MSK Connect Custom Plugin found",
    workerConfiguration: "no matching MSK Connect Worker Configuration found",
    subnet: "no matching EC2 Subnet found",
    vpcEndpoint: "no matching EC2 VPC Endpoint found",
    routeTable: "query returned no results. Please change your search criteria and try again",
    securityGroupRule: "no matching Security Group Rule found",
    cluster: (name: string) => `reading MSK Cluster (${name}): empty result`,
    role: (name: string) => `reading IAM Role (${name}): couldn't find resource`,
    logGroup: (name: string) => `reading CloudWatch Logs Log Group (${name}): empty result`,
    object: (bucket: string, key: string) => `reading S3 Bucket (${bucket}) Object (${key}): couldn't find resource`,
} as const;

/** What a singular data source says when several match (`tfresource.SingularDataSourceFindError`). */
export const SEVERAL_FOUND = {
    vpcEndpoint: "multiple EC2 VPC Endpoints matched; use additional constraints to reduce matches to a single EC2 VPC Endpoint",
} as const;

/** The lookups whose "nothing found" the preflight takes as a normal answer. */
export type NotFoundLookup = "connector" | "customPlugin" | "vpcEndpoint" | "object";

/**
 * True when that lookup failed because nothing matched, recognised by its own data source's wording (a 403 or a
 * throttle comes through as AWS's own error and is not "nothing found").
 */
export function isNotFound(e: unknown, lookup: NotFoundLookup): boolean {
    const text = e instanceof Error ? e.message : String(e);
    if (lookup === "object") return /: couldn't find resource\b/.test(text) && /reading S3 Bucket \(.*\) Object \(/.test(text);
    return text.includes(NOT_FOUND[lookup]);
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
