/**
 * Section "AWS provider": every `aws:*` stack setting the AWS provider understands, read into the values
 * the program hands its explicit provider (which, unlike a default provider, reads no stack setting by
 * itself). The region and the account guard are the program's own; credentials never come from here.
 */
import { AWS_PROVIDER_SETTINGS, AwsSettingKind } from "../awsProviderSettings";
import type { Reader } from "../reader";
import { OPAQUE_SECRET } from "../stackFile";
import { AWS_CREDENTIAL_KEYS, PROJECT } from "../settings";
import type { StackSettings } from "../types";

/** Settings the program sets itself (region, the account guard) or refuses (credentials, the opposite guard). */
const NOT_PASSED = new Set(["region", "allowedAccountIds", ...AWS_CREDENTIAL_KEYS.map((k) => k.slice("aws:".length))]);

/** Default tag keys the program sets to recognise its own resources. */
export const OWN_TAG_KEYS = ["managed-by", "project", "stack"];

const EXPECTED: Record<AwsSettingKind, string> = {
    string: "a string",
    boolean: "true or false",
    integer: "a whole number",
    stringList: "a list of strings",
    object: "an object (a YAML map)",
    objectList: "a list of objects (YAML maps)",
};

/** A setting's text as the value the provider takes, or undefined when it is not of its kind. */
function valueOf(kind: AwsSettingKind, text: string): unknown {
    if (kind === "string") return text;
    if (kind === "boolean") return text === "true" ? true : text === "false" ? false : undefined;
    if (kind === "integer") return /^\d+$/.test(text) ? Number(text) : undefined;
    let parsed: unknown;
    try {
        parsed = JSON.parse(text);
    } catch {
        return undefined;
    }
    const isObject = (v: unknown): boolean => typeof v === "object" && v !== null && !Array.isArray(v);
    if (kind === "object") return isObject(parsed) ? parsed : undefined;
    if (!Array.isArray(parsed)) return undefined;
    return parsed.every((v) => (kind === "stringList" ? typeof v === "string" : isObject(v))) ? parsed : undefined;
}

export function readAwsProvider(r: Reader): StackSettings["awsProvider"] {
    const secretKeys = r.secretKeys;
    const settings: Record<string, unknown> = {};
    const secret: string[] = [];
    for (const [key, text] of Object.entries(r.raw)) {
        const name = key.startsWith("aws:") ? key.slice("aws:".length) : undefined;
        const kind = name === undefined ? undefined : AWS_PROVIDER_SETTINGS[name];
        if (name === undefined || kind === undefined || NOT_PASSED.has(name)) continue;
        if (name === "forbiddenAccountIds") {
            r.problem(
                key,
                text,
                `conflicts with aws:allowedAccountIds, which this program sets to ${PROJECT}:accountId alone; remove it (\`pulumi config rm ${key}\`).`,
            );
            continue;
        }
        if (secretKeys.has(key)) {
            // A secret's value is known only inside `pulumi up`; `npm run plan` sees a placeholder.
            secret.push(name);
            if (text === OPAQUE_SECRET) continue;
        }
        const value = valueOf(kind, text);
        if (value === undefined) {
            r.problem(key, secretKeys.has(key) ? "(secret)" : text, `expected ${EXPECTED[kind]}, as the AWS provider reads it.`);
            continue;
        }
        settings[name] = value;
    }
    checkDefaultTags(r, settings.defaultTags);
    return { settings, secret };
}

/** The program's own tags mark its resources; a stack may add tags but not redefine those. */
function checkDefaultTags(r: Reader, defaultTags: unknown): void {
    const tags = (defaultTags as { tags?: Record<string, unknown> } | undefined)?.tags ?? {};
    const taken = Object.keys(tags).filter((k) => OWN_TAG_KEYS.includes(k));
    if (taken.length > 0) {
        r.problem(
            "aws:defaultTags",
            defaultTags,
            `sets ${taken.map((k) => `"${k}"`).join(", ")}, which the program sets itself (${OWN_TAG_KEYS.join(", ")}) to recognise this stack's resources; use other tag keys.`,
        );
    }
}
