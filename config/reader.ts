/**
 * The reader the sections parse with: typed getters over the raw stack config that apply each setting's
 * declared default and record a problem (key, value received, what is allowed) instead of throwing, so
 * one run reports every problem.
 *
 * An empty value is a problem, never a silent default. A secret the caller could not decrypt (a stack file
 * read offline hands `[secret]` over for a `secure:` value) is opaque: it is not checked, is shown as
 * `[secret]`, and is listed in `opaque`; inside `pulumi up` the real value arrives and is checked as usual.
 */
import { nearest } from "../common";
import type { ConfigProblem } from "./errors";
import { AWS_SETTINGS, PROJECT, SettingDeclaration, SETTINGS } from "./settings";
import { OPAQUE_SECRET } from "./stackFile";

/** Raw stack config: full keys (`msk-s3-sink:flushSize`) to the string values Pulumi hands a program. */
export type RawConfig = Readonly<Record<string, string>>;

export class Reader {
    readonly problems: ConfigProblem[] = [];
    /** Full keys of the secrets that were not decrypted (not checked; the plan shows them as `[secret]`). */
    readonly opaque: string[] = [];

    /** Keys the stack file could not give a value for (their problems come first, and alone). */
    private readonly unread: ReadonlySet<string>;
    /** Settings a misspelt key meant (`msk-s3-sinks:topics` for `msk-s3-sink:topics`): their default is not what the user set. */
    private readonly doubted = new Set<string>();

    constructor(
        readonly raw: RawConfig,
        readonly secretKeys: ReadonlySet<string> = new Set(),
        fileProblems: readonly ConfigProblem[] = [],
    ) {
        this.problems.push(...fileProblems);
        this.unread = new Set(fileProblems.map((p) => p.key.replace(/[[.].*$/, "")));
    }

    full(name: string): string {
        return name.includes(":") ? name : `${PROJECT}:${name}`;
    }
    /** The declaration of a setting; reading an undeclared setting is a programming error. */
    declaration(name: string): SettingDeclaration {
        const decl = name.includes(":")
            ? (AWS_SETTINGS as Record<string, SettingDeclaration>)[name]
            : (SETTINGS as Record<string, SettingDeclaration>)[name];
        if (decl === undefined) throw new Error(`the setting ${this.full(name)} is read but not declared in config/settings.ts`);
        return decl;
    }
    private declaredDefault<T>(name: string): T {
        return this.declaration(name).default as T;
    }
    isSecret(name: string): boolean {
        return this.secretKeys.has(this.full(name));
    }
    /** A secret whose value this run cannot see (a stack file read offline). */
    isOpaque(name: string): boolean {
        return this.isSecret(name) && this.raw[this.full(name)] === OPAQUE_SECRET;
    }
    /** Set to a value that is not empty. */
    has(name: string): boolean {
        const value = this.raw[this.full(name)];
        return value !== undefined && value.trim() !== "";
    }
    /** True when a problem was recorded for this setting (or a field of it). */
    hasProblem(name: string): boolean {
        const key = this.full(name);
        return this.problems.some((p) => p.key === key || p.key.startsWith(`${key}.`) || p.key.startsWith(`${key}[`));
    }
    /** Fit to check other settings against: read without a problem, and readable in this run (not an opaque secret). */
    usable(name: string): boolean {
        return !this.hasProblem(name) && !this.isOpaque(name) && !this.doubted.has(this.full(name));
    }
    /** Mark a setting a misspelt key meant: not usable by other checks, which would otherwise judge its default. */
    doubt(name: string): void {
        this.doubted.add(this.full(name));
    }
    /** The raw text of a setting (undefined when not set). */
    text(name: string): string | undefined {
        this.declaration(name);
        return this.raw[this.full(name)];
    }
    /** Record a problem; a secret's value is never shown. */
    problem(name: string, value: unknown, message: string): void {
        if (this.unread.has(this.full(name))) return;
        this.problems.push({ key: this.full(name), value: value !== undefined && this.isSecret(name) ? OPAQUE_SECRET : value, message });
    }
    /**
     * The text to parse: undefined when the setting is not set, is empty (a problem), or is an opaque secret
     * (noted, not checked).
     */
    present(name: string, required?: string): string | undefined {
        const value = this.text(name);
        if (value === undefined) return undefined;
        if (value.trim() === "") {
            const fix = required ?? `Remove it to use the default (${this.declaration(name).defaultText}), or give it a value.`;
            this.problem(name, value, `is empty. ${fix}`);
            return undefined;
        }
        if (this.isOpaque(name)) {
            if (!this.opaque.includes(this.full(name))) this.opaque.push(this.full(name));
            return undefined;
        }
        return value;
    }
    string(name: string, opts: { default?: string; pattern?: RegExp; allowed?: string; required?: string } = {}): string | undefined {
        const def = opts.default ?? this.declaredDefault<string | undefined>(name);
        const value = this.present(name, opts.required);
        if (this.isOpaque(name)) return OPAQUE_SECRET;
        if (value === undefined) {
            if (opts.required && this.text(name) === undefined) this.problem(name, undefined, opts.required);
            return def;
        }
        if (opts.pattern && !opts.pattern.test(value)) {
            this.problem(name, value, `expected ${opts.allowed ?? `a value matching ${opts.pattern}`}.`);
            return def;
        }
        return value;
    }
    /** One of `allowed`; `suggest` names a likely meant value (default: the nearest by spelling). */
    oneOf<T extends string>(
        name: string,
        allowed: readonly T[],
        suggest: (value: string) => string | undefined = (v) => nearest(v, allowed),
    ): T {
        const def = this.declaredDefault<T>(name);
        const value = this.present(name);
        if (value === undefined) return def;
        if ((allowed as readonly string[]).includes(value)) return value as T;
        const close = suggest(value);
        this.problem(name, value, `expected one of ${allowed.map((a) => `"${a}"`).join(", ")}.${close ? ` Did you mean "${close}"?` : ""}`);
        return def;
    }
    integer(name: string, min: number, max: number, what: string): number {
        const def = this.declaredDefault<number>(name);
        const value = this.present(name);
        if (value === undefined) return def;
        if (!/^-?\d+$/.test(value.trim()) || Number(value) < min || Number(value) > max) {
            this.problem(name, value, `expected a whole number from ${min} to ${max} (${what}).`);
            return def;
        }
        return Number(value);
    }
    number(name: string, min: number, what: string): number {
        const def = this.declaredDefault<number>(name);
        const value = this.present(name);
        if (value === undefined) return def;
        const n = Number(value);
        if (!Number.isFinite(n) || n < min) {
            this.problem(name, value, `expected a number of at least ${min} (${what}).`);
            return def;
        }
        return n;
    }
    boolean(name: string): boolean {
        const def = this.declaredDefault<boolean>(name);
        const value = this.present(name);
        if (value === undefined) return def;
        if (value === "true" || value === "false") return value === "true";
        this.problem(name, value, "expected true or false.");
        return def;
    }
    /** A structured value (Pulumi stores objects and arrays as JSON text); undefined when unset, empty or opaque. */
    json(name: string): unknown {
        const value = this.present(name);
        if (value === undefined) return undefined;
        try {
            return JSON.parse(value);
        } catch {
            return value; // a plain string
        }
    }
}
