/**
 * Reading a stack's settings file (`Pulumi.<stack>.yaml`) the way the Pulumi CLI hands it to a program:
 * keys without a namespace get the project's, every value arrives as a string (a plain scalar typed by YAML
 * and given as its JSON text, so `0123` arrives as `83`), structured values as JSON text, and a value with a
 * `secure:` part anywhere is a secret. Each scalar that does not arrive as written is noted, so the plan
 * can say what `pulumi up` will receive and how to keep the text (quote it).
 */
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import type { ConfigProblem, ConfigWarning } from "./errors";
import { PROJECT } from "./settings";
import { CORE_TAGS, readPlain, readTagged, ScalarReading, TypedScalar } from "./yamlReading";

/**
 * Something the program receives other than as written: a scalar YAML typed (`yaml-typed`), or a key written
 * without its namespace (`key-without-namespace`). Where, as written, as received, and why.
 */
export interface ReadingNote {
    readonly rule: "yaml-typed" | "key-without-namespace" | "environment-not-read";
    /** The full key, with the path inside a structured value (`msk-s3-sink:topics[0]`). */
    readonly key: string;
    readonly written: string;
    readonly received: string;
    /** What YAML reads it as ("an octal number (a leading 0)"). */
    readonly what: string;
}

/** What YAML reads a key with no value as (`topics: null`, `topics: ~`, `topics:`). */
export const NO_VALUE = "no value (null)";

/** What a person needs to know about a note: what `pulumi up` receives, and how to keep the text. */
export function describeNote(n: ReadingNote): string {
    if (n.what === NO_VALUE) {
        return "is written with no value (null, ~, or nothing after the colon), which `pulumi up` receives as an empty string.";
    }
    if (n.rule === "environment-not-read") {
        return `imports the Pulumi ESC environment(s) ${n.written}, which this offline plan cannot read: a setting they provide shows here as unset (or its default), and \`pulumi up\` receives their values. Run \`pulumi preview\` for the real reading, or copy the settings into the stack file to plan with them.`;
    }
    if (n.rule === "key-without-namespace") {
        return `is written "${n.written}", without a namespace: the Pulumi CLI (3.41 and later) reads it as ${n.received}, and older ones refuse it. Write it as "${n.received}" so every CLI reads it the same.`;
    }
    const read = `is written ${n.written} without quotes, which YAML reads as ${n.what}, so \`pulumi up\` receives ${n.received}`;
    if (n.what === "a date") {
        return `${read} (Go's text for that time; the zone's name depends on the time zone of the machine running pulumi). Quote it ("${n.written}") to keep the text.`;
    }
    return `${read}. Write ${n.received} if that is what you meant, or quote it ("${n.written}") to keep the text.`;
}

/** A note as a warning: its rule, where, and what it says. */
export function noteWarning(n: ReadingNote): ConfigWarning {
    return { rule: n.rule, severity: "warning", key: n.key, message: describeNote(n) };
}

/** Whether a note concerns the setting `key` (the key itself or a part of its value). */
export function noteConcerns(n: ReadingNote, key: string): boolean {
    return n.key === key || n.key.startsWith(`${key}[`) || n.key.startsWith(`${key}.`);
}

export interface StackFile {
    readonly stack: string;
    readonly file: string;
    readonly raw: Record<string, string>;
    readonly secretKeys: string[];
    /** Scalars the program receives other than as written. */
    readonly notes: ReadingNote[];
    /** What the Pulumi CLI would refuse in the file (its keys are left out of `raw`); reported with the rest. */
    readonly problems: ConfigProblem[];
}

export class StackFileError extends Error {
    /** @param noSuchStack true when the stack named has no file (or is no stack name): a bad argument, exit 2 in every CLI. */
    constructor(
        message: string,
        readonly noSuchStack = false,
    ) {
        super(message);
    }
}

/** How a `secure:` value reads when the file is read offline: the plan cannot decrypt it. */
export const OPAQUE_SECRET = "[secret]";

/** A typed scalar in the loaded document (printed as written when it is a map key). */
class Typed {
    constructor(readonly reading: TypedScalar) {}
    get [Symbol.toStringTag](): string {
        return "Typed";
    }
    toString(): string {
        return this.reading.text;
    }
}

function construct(reading: ScalarReading): unknown {
    return reading === null || typeof reading === "string" ? reading : new Typed(reading);
}

/** js-yaml reading every plain scalar, and every core tag, as yaml.v3 does (merge keys kept). */
const CLI_SCHEMA = yaml.FAILSAFE_SCHEMA.extend({
    implicit: [
        ...(yaml.DEFAULT_SCHEMA as unknown as { compiledImplicit: (yaml.Type & { tag: string })[] }).compiledImplicit.filter(
            (t) => t.tag === "tag:yaml.org,2002:merge",
        ),
        new yaml.Type("tag:yaml.org,2002:plain", {
            kind: "scalar",
            resolve: () => true,
            construct: (d: string) => construct(readPlain(d)),
        }),
    ],
    explicit: [
        // !!binary holds base64, which the CLI decodes into text; a tag of the file's own (`!name`) keeps the text.
        new yaml.Type("tag:yaml.org,2002:binary", {
            kind: "scalar",
            resolve: (d: string | null) => /^[A-Za-z0-9+/=\s]*$/.test(d ?? ""),
            construct: (d: string | null) => Buffer.from((d ?? "").replace(/\s/g, ""), "base64").toString("utf8"),
        }),
        new yaml.Type("!", { kind: "scalar", multi: true, resolve: () => true, construct: (d: string | null) => d ?? "" }),
        ...CORE_TAGS.filter((t) => t !== "str").map(
            (tag) =>
                new yaml.Type(`tag:yaml.org,2002:${tag}`, {
                    kind: "scalar",
                    resolve: () => true,
                    construct: (d: string | null) => construct(readTagged(tag, d ?? "")),
                }),
        ),
    ],
});

/** Stacks that have a settings file in `dir`. */
export function listStacks(dir: string): string[] {
    return fs
        .readdirSync(dir)
        .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
        .filter((s): s is string => s !== undefined)
        .sort();
}

function isMap(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Typed);
}

/** Pulumi's secure value: a map of exactly one key, `secure`, holding a string. */
function isSecure(value: unknown): boolean {
    return isMap(value) && Object.keys(value).length === 1 && typeof value.secure === "string";
}

function holdsSecure(value: unknown): boolean {
    if (isSecure(value)) return true;
    if (Array.isArray(value)) return value.some(holdsSecure);
    return isMap(value) && Object.values(value).some(holdsSecure);
}

/** A key as the CLI reads it: `name` → `<project>:name`, `ns:config:name` → `ns:name`; undefined when refused. */
export function namespacedKey(key: string): string | undefined {
    const parts = key.split(":");
    if (parts.length === 1) return `${PROJECT}:${key}`;
    if (parts.length === 2) return key;
    return parts.length === 3 && parts[1] === "config" ? `${parts[0]}:${parts[2]}` : undefined;
}

/** The outcome of reading the `config:` section. */
class Collected {
    readonly raw: Record<string, string> = {};
    readonly secretKeys: string[] = [];
    readonly notes: ReadingNote[] = [];
    readonly problems: ConfigProblem[] = [];
    /** How each key was spelt in the file. */
    private readonly spelt: Record<string, string> = {};

    /** A typed scalar: noted when received other than as written, a problem when the CLI cannot load it. */
    typed(where: string, r: TypedScalar, received: string): void {
        if (r.refused) {
            this.problems.push({
                key: where,
                value: r.written,
                message: `the Pulumi CLI cannot load the file with this value: ${r.refused.why}. ${r.refused.fix}`,
            });
        } else if (received !== r.written && !r.tagged) {
            this.notes.push({ rule: "yaml-typed", key: where, written: r.written, received, what: r.what });
        }
    }

    /** The JSON text a structured value arrives as. */
    json(where: string, value: unknown): string {
        if (value === null || value === undefined) return "null";
        if (typeof value === "string") return JSON.stringify(value);
        if (value instanceof Typed) {
            this.typed(where, value.reading, value.reading.json);
            return value.reading.json;
        }
        if (Array.isArray(value)) return `[${value.map((v, i) => this.json(`${where}[${i}]`, v)).join(",")}]`;
        const entries = Object.entries(value as Record<string, unknown>);
        return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${this.json(`${where}.${k}`, v)}`).join(",")}}`;
    }

    add(written: string, value: unknown): void {
        const key = namespacedKey(written);
        if (key === undefined) {
            this.problems.push({
                key: written,
                value: "(not read)",
                message: `is not a config key: the Pulumi CLI takes <namespace>:<name> and refuses the file. Write it as "${PROJECT}:<name>" or "aws:<name>".`,
            });
            return;
        }
        if (key !== written && !written.includes(":")) {
            this.notes.push({ rule: "key-without-namespace", key, written, received: key, what: "a key without a namespace" });
        }
        if (key in this.spelt) {
            this.problems.push({
                key,
                value: [this.spelt[key], written],
                message: `is set twice, as "${this.spelt[key]}" and as "${written}", and which one the Pulumi CLI keeps is not defined. Keep one of them.`,
            });
            delete this.raw[key];
            return;
        }
        this.spelt[key] = written;
        const before = this.problems.length;
        this.read(key, value);
        if (this.problems.length > before) delete this.raw[key]; // not read: no second problem about it
    }

    private read(key: string, value: unknown): void {
        if (holdsSecure(value)) {
            this.secretKeys.push(key);
            this.raw[key] = OPAQUE_SECRET;
        } else if (value === null || value === undefined) {
            // The CLI hands a key with no value (null, ~, or nothing after the colon) over as an empty string.
            this.raw[key] = "";
            if (key.startsWith(`${PROJECT}:`) || key.startsWith("aws:")) {
                this.notes.push({ rule: "yaml-typed", key, written: "null", received: "", what: NO_VALUE });
            }
        } else if (typeof value === "string") {
            this.raw[key] = value;
        } else if (value instanceof Typed) {
            this.typed(key, value.reading, value.reading.text);
            this.raw[key] = value.reading.text;
        } else {
            this.raw[key] = this.json(key, value);
        }
    }
}

/** The file's text as the CLI decodes it: UTF-8 (a BOM dropped), or UTF-16 with its BOM; invalid UTF-8 is refused. */
function decodeText(file: string): string {
    let bytes: Buffer;
    try {
        bytes = fs.readFileSync(file);
    } catch (e) {
        throw new StackFileError(`${path.basename(file)} could not be read: ${(e as Error).message}`);
    }
    const utf16 = bytes.subarray(2, 2 + ((bytes.length - 2) & ~1)); // whole code units only
    if (bytes[0] === 0xff && bytes[1] === 0xfe) return utf16.toString("utf16le");
    if (bytes[0] === 0xfe && bytes[1] === 0xff) return Buffer.from(utf16).swap16().toString("utf16le");
    try {
        return new TextDecoder("utf-8", { fatal: true }).decode(bytes).replace(/^\uFEFF/, "");
    } catch {
        throw new StackFileError(
            `${path.basename(file)} is not UTF-8 text (the Pulumi CLI refuses it). Save it as UTF-8 (a character from another encoding, such as Latin-1, is the usual cause).`,
        );
    }
}

/** The first YAML document of the file, as the CLI reads only that one. */
function loadYaml(file: string): unknown {
    const text = decodeText(file);
    try {
        let first: unknown;
        let seen = false;
        yaml.loadAll(text, (doc) => (seen ? undefined : ((first = doc), (seen = true))), { schema: CLI_SCHEMA });
        return first;
    } catch (e) {
        throw new StackFileError(`${path.basename(file)} could not be read as YAML: ${(e as Error).message}`);
    }
}

export function readStackFile(dir: string, stack: string): StackFile {
    if (!/^[A-Za-z0-9_.-]+$/.test(stack)) {
        throw new StackFileError(`"${stack}" is not a stack name (letters, digits, "_", ".", "-").`, true);
    }
    const file = path.join(dir, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(file)) {
        const have = listStacks(dir);
        throw new StackFileError(
            `no settings file ${path.basename(file)} for stack "${stack}"${have.length ? `; stacks here: ${have.join(", ")}` : ""}. Create it (README: "Adding a stack") or pass --stack with one of those.`,
            true,
        );
    }
    const doc = loadYaml(file) ?? {};
    if (!isMap(doc)) throw new StackFileError(`${path.basename(file)} must be a YAML map with a "config:" section.`);
    const section = doc.config ?? {};
    if (!isMap(section)) {
        throw new StackFileError(`${path.basename(file)}: "config:" must be a map of <namespace>:<name> keys to values.`);
    }
    const out = new Collected();
    for (const [key, value] of Object.entries(section)) out.add(key, value);
    if (doc.environment !== undefined && doc.environment !== null) {
        const names = Array.isArray(doc.environment) ? doc.environment.map(String).join(", ") : JSON.stringify(doc.environment);
        out.notes.push({ rule: "environment-not-read", key: "environment", written: names, received: "", what: "ESC environments" });
    }
    return { stack, file, raw: out.raw, secretKeys: out.secretKeys, notes: out.notes, problems: out.problems };
}
