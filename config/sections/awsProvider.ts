/**
 * Section "AWS provider": every `aws:*` stack setting the AWS provider understands, read into the values
 * the program hands its explicit provider (which, unlike a default provider, reads no stack setting by
 * itself). The region and the account guard are the program's own; credentials never come from here.
 */
import { nearest } from "../../common";
import { AWS_PROVIDER_FIELDS, AwsFieldKind } from "../awsProviderFields";
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

/** Fields that hold a credential: in plain text they would be stored in the state and shown by every plan. */
const SECRET_FIELDS: Readonly<Record<string, readonly string[]>> = {
    assumeRoleWithWebIdentity: ["webIdentityToken"],
};

/** Which of `fields` the structured value in `text` sets (in an object, or in any object of a list). */
function fieldsIn(text: string, fields: readonly string[]): string[] {
    if (fields.length === 0) return [];
    let parsed: unknown;
    try {
        parsed = JSON.parse(text);
    } catch {
        return [];
    }
    const items = (Array.isArray(parsed) ? parsed : [parsed]).filter((v): v is object => typeof v === "object" && v !== null);
    return fields.filter((f) => items.some((item) => f in item));
}

function plainSecretFix(key: string, fields: readonly string[]): string {
    const alternative = key === "aws:assumeRoleWithWebIdentity" ? ", or give the token as a file with webIdentityTokenFile" : "";
    return `holds ${fields.join(", ")} in plain text, which would be stored in the state and shown by the plan. Fix: \`pulumi config set --secret --path '${key}.${fields[0]}' <value>\`${alternative}.`;
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
        const secretFields = fieldsIn(text, SECRET_FIELDS[name] ?? []);
        const shown = secretKeys.has(key) ? "(secret)" : secretFields.length > 0 ? "(redacted)" : text;
        if (!secretKeys.has(key) && secretFields.length > 0) {
            r.problem(key, shown, plainSecretFix(key, secretFields));
            continue;
        }
        const value = valueOf(kind, text);
        if (value === undefined) {
            r.problem(key, shown, `expected ${EXPECTED[kind]}, as the AWS provider reads it.`);
            continue;
        }
        const fields = AWS_PROVIDER_FIELDS[name];
        const shaped = fields === undefined ? { value, wrong: [] } : shapeOf(value, fields);
        if (shaped.wrong.length > 0) {
            r.problem(key, shown, `${shaped.wrong.join("; ")}. Fix the field as the AWS provider names it (its Provider settings docs).`);
            continue;
        }
        settings[name] = shaped.value;
    }
    checkDefaultTags(r, settings.defaultTags);
    return { settings, secret };
}

const FIELD_EXPECTED: Record<AwsFieldKind, string> = {
    string: "a string",
    stringList: "a list of strings",
    stringMap: "a map of names to strings",
};

/** A YAML scalar as the string the provider takes (a number or true/false written unquoted), else undefined. */
const asString = (v: unknown): string | undefined =>
    typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : undefined;

function fieldValue(kind: AwsFieldKind, v: unknown): unknown {
    if (kind === "string") return asString(v);
    if (kind === "stringList") {
        const list = Array.isArray(v) ? v.map(asString) : undefined;
        return list?.every((x) => x !== undefined) ? list : undefined;
    }
    if (typeof v !== "object" || v === null || Array.isArray(v)) return undefined;
    const entries = Object.entries(v).map(([k, x]) => [k, asString(x)] as const);
    return entries.every(([, x]) => x !== undefined) ? Object.fromEntries(entries) : undefined;
}

/**
 * A structured setting checked field by field against the provider's own fields: each unknown field named
 * (with the nearest known one), each value of the wrong kind named; scalars written unquoted become strings.
 */
function shapeOf(value: unknown, fields: Readonly<Record<string, AwsFieldKind>>): { value: unknown; wrong: string[] } {
    const wrong: string[] = [];
    const shapeItem = (item: Record<string, unknown>, at: string): Record<string, unknown> => {
        const out: Record<string, unknown> = {};
        for (const [field, v] of Object.entries(item)) {
            const kind = fields[field];
            if (kind === undefined) {
                const close = nearest(field, Object.keys(fields));
                wrong.push(`${at}"${field}" is not a field it takes${close ? `; did you mean "${close}"?` : ""}`);
                continue;
            }
            out[field] = fieldValue(kind, v);
            if (out[field] === undefined) wrong.push(`${at}"${field}" must be ${FIELD_EXPECTED[kind]}`);
        }
        return out;
    };
    const shaped = Array.isArray(value)
        ? value.map((item, i) => shapeItem(item as Record<string, unknown>, `item ${i + 1}: `))
        : shapeItem(value as Record<string, unknown>, "");
    return { value: shaped, wrong };
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
        return;
    }
    // S3 keeps at most 10 tags on an object, and @pulumi/aws gives the connector zip's object every default tag (its
    // Check merges them into tagsAll, whatever the resource's overrideProvider says: pulumi-aws provider/tags.go).
    const onObject = Object.keys(tags).length + OWN_TAG_KEYS.length;
    if (onObject > S3_OBJECT_TAG_LIMIT) {
        r.problem(
            "aws:defaultTags",
            defaultTags,
            `holds ${Object.keys(tags).length} tags; with the program's own ${OWN_TAG_KEYS.length} (${OWN_TAG_KEYS.join(", ")}) the connector zip's S3 object would carry ${onObject}, and S3 keeps ${S3_OBJECT_TAG_LIMIT} at most, so the upload would fail. Keep aws:defaultTags to ${S3_OBJECT_TAG_LIMIT - OWN_TAG_KEYS.length} tags or fewer.`,
        );
    }
}

/** S3's limit on the tags of one object (AWS S3 user guide, object tagging). */
export const S3_OBJECT_TAG_LIMIT = 10;
