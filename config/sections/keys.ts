/**
 * Section "keys": every key of the stack belongs to a namespace that reads it, under a name that namespace
 * knows. Unknown names in our namespace, `aws:` keys that are not AWS provider settings and keys in a
 * near-miss of our namespace or `aws` would be ignored silently by everything that runs, so each is a
 * problem with a "did you mean". Credentials and plain-text secrets are refused wherever they are.
 */
import { editDistance, nearest, SECRET_NAME_PATTERN } from "../../common";
import { AWS_PROVIDER_SETTINGS } from "../awsProviderSettings";
import type { Reader } from "../reader";
import { AWS_CREDENTIAL_KEYS, PROJECT, SETTING_NAMES } from "../settings";

const AWS_NAMES = Object.keys(AWS_PROVIDER_SETTINGS);
/** Namespaces of other Pulumi packages that are close to `aws` by spelling but are real. */
const OTHER_PACKAGES = ["awsx"];
const SEE_README = "See the settings table in docs/configuration.md.";

/** Namespace, name: `msk-s3-sink:flushSize` → ["msk-s3-sink", "flushSize"]. */
function split(key: string): [string, string] | undefined {
    const colon = key.indexOf(":");
    return colon < 0 ? undefined : [key.slice(0, colon), key.slice(colon + 1)];
}

/** Spelled like `target`, ignoring case and separators, or within `maxEdits` edits of it. */
function nearMiss(namespace: string, target: string, maxEdits: number): boolean {
    const plain = (s: string) => s.toLowerCase().replace(/[-_.]/g, "");
    return plain(namespace) === plain(target) || editDistance(namespace.toLowerCase(), target) <= maxEdits;
}

/** The key someone most likely meant for a name: the same name where a namespace knows it, else the nearest. */
function meant(name: string, preferAws: boolean): string | undefined {
    const ours: [string, readonly string[]] = [PROJECT, SETTING_NAMES];
    const theirs: [string, readonly string[]] = ["aws", AWS_NAMES];
    const order = preferAws ? [theirs, ours] : [ours, theirs];
    for (const [namespace, names] of order) if (names.includes(name)) return `${namespace}:${name}`;
    const [namespace, names] = order[0];
    const close = nearest(name, names);
    return close === undefined ? undefined : `${namespace}:${close}`;
}

function shown(r: Reader, key: string, name: string): string {
    return SECRET_NAME_PATTERN.test(name) ? "(redacted)" : r.raw[key];
}

function didYouMean(key: string | undefined): string {
    return key ? ` Did you mean "${key}"?` : "";
}

function checkProjectKey(r: Reader, key: string, name: string): void {
    if ((SETTING_NAMES as readonly string[]).includes(name)) return;
    r.problem(key, shown(r, key, name), `is not a setting of this program.${didYouMean(meant(name, false))} ${SEE_README}`);
}

function checkAwsKey(r: Reader, key: string, name: string): void {
    if (AWS_CREDENTIAL_KEYS.includes(key)) {
        r.problem(
            key,
            "(redacted)",
            `credentials do not belong in stack config. Fix: \`pulumi config rm ${key}\` and use the ambient AWS credential chain (AWS_PROFILE, SSO, or an instance/CI role).`,
        );
    } else if (!AWS_NAMES.includes(name)) {
        r.problem(
            key,
            shown(r, key, name),
            `is not a setting of the AWS provider (@pulumi/aws), so nothing would read it.${didYouMean(meant(name, true))}`,
        );
    }
}

function checkOtherNamespace(r: Reader, key: string, namespace: string, name: string): void {
    if (OTHER_PACKAGES.includes(namespace)) return;
    const ours = nearMiss(namespace, PROJECT, 2);
    if (!ours && !nearMiss(namespace, "aws", 1)) return; // another package's setting
    const target = ours ? PROJECT : "aws";
    // The setting this key meant is in doubt: no other check may judge its default in its place.
    if (ours && (SETTING_NAMES as readonly string[]).includes(name)) r.doubt(name);
    else if (!ours && AWS_NAMES.includes(name)) r.doubt(`aws:${name}`);
    r.problem(
        key,
        shown(r, key, name),
        `the namespace "${namespace}" is not "${target}", so nothing reads this key.${didYouMean(meant(name, !ours) ?? `${target}:${name}`)} ${SEE_README}`,
    );
}

/** A value under a secret-looking name must be a Pulumi secret (the aws namespace has its own credential keys). */
function checkPlainSecret(r: Reader, key: string, namespace: string, name: string): void {
    if (namespace === "aws" || namespace === "pulumi" || !SECRET_NAME_PATTERN.test(name) || r.secretKeys.has(key)) return;
    if (/^(true|false|\d+)$/.test(r.raw[key])) return;
    r.problem(key, "(redacted)", `looks like a secret but is stored in plain text. Fix: \`pulumi config set --secret ${key} <value>\`.`);
}

/** Every key: known to the namespace that reads it, no credentials, no plain-text secrets. */
export function checkKeys(r: Reader): void {
    for (const key of Object.keys(r.raw)) {
        const parts = split(key);
        if (parts === undefined) continue; // keys arrive namespaced (the stack-file reader adds the project's, as the CLI does)
        const [namespace, name] = parts;
        if (namespace === PROJECT) checkProjectKey(r, key, name);
        else if (namespace === "aws") checkAwsKey(r, key, name);
        else if (namespace !== "pulumi") checkOtherNamespace(r, key, namespace, name);
        checkPlainSecret(r, key, namespace, name);
    }
}
