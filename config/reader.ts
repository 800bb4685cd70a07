/**
 * The reader the sections parse with: typed getters over the raw stack config that apply each setting's
 * declared default and record a problem (key, value received, what is allowed) instead of throwing, so
 * one run reports every problem.
 */
import { nearest } from "../common";
import type { ConfigProblem } from "./errors";
import { AWS_SETTINGS, PROJECT, SettingDeclaration, SETTINGS } from "./settings";

/** Raw stack config: full keys (`msk-s3-sink:flushSize`) to the string values Pulumi hands a program. */
export type RawConfig = Readonly<Record<string, string>>;

export class Reader {
    readonly problems: ConfigProblem[] = [];
    constructor(readonly raw: RawConfig) {}

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
    has(name: string): boolean {
        return this.raw[this.full(name)] !== undefined;
    }
    /** The raw text of a setting (undefined when not set). */
    text(name: string): string | undefined {
        this.declaration(name);
        return this.raw[this.full(name)];
    }
    problem(name: string, value: unknown, message: string): void {
        this.problems.push({ key: this.full(name), value, message });
    }
    string(name: string, opts: { default?: string; pattern?: RegExp; allowed?: string; required?: string } = {}): string | undefined {
        const def = opts.default ?? this.declaredDefault<string | undefined>(name);
        const value = this.text(name);
        if (value === undefined || value === "") {
            if (opts.required) this.problem(name, undefined, opts.required);
            return def;
        }
        if (opts.pattern && !opts.pattern.test(value)) {
            this.problem(name, value, `expected ${opts.allowed ?? `a value matching ${opts.pattern}`}.`);
            return def;
        }
        return value;
    }
    oneOf<T extends string>(name: string, allowed: readonly T[]): T {
        const def = this.declaredDefault<T>(name);
        const value = this.text(name);
        if (value === undefined || value === "") return def;
        if ((allowed as readonly string[]).includes(value)) return value as T;
        const close = nearest(value, allowed);
        this.problem(name, value, `expected one of ${allowed.map((a) => `"${a}"`).join(", ")}.${close ? ` Did you mean "${close}"?` : ""}`);
        return def;
    }
    integer(name: string, min: number, max: number, what: string): number {
        const def = this.declaredDefault<number>(name);
        const value = this.text(name);
        if (value === undefined || value === "") return def;
        if (!/^-?\d+$/.test(value.trim()) || Number(value) < min || Number(value) > max) {
            this.problem(name, value, `expected a whole number from ${min} to ${max} (${what}).`);
            return def;
        }
        return Number(value);
    }
    number(name: string, min: number, what: string): number {
        const def = this.declaredDefault<number>(name);
        const value = this.text(name);
        if (value === undefined || value === "") return def;
        const n = Number(value);
        if (value.trim() === "" || !Number.isFinite(n) || n < min) {
            this.problem(name, value, `expected a number of at least ${min} (${what}).`);
            return def;
        }
        return n;
    }
    boolean(name: string): boolean {
        const def = this.declaredDefault<boolean>(name);
        const value = this.text(name);
        if (value === undefined || value === "") return def;
        if (value === "true" || value === "false") return value === "true";
        this.problem(name, value, "expected true or false.");
        return def;
    }
    /** A structured value (Pulumi stores objects and arrays as JSON text). */
    json(name: string): unknown {
        const value = this.text(name);
        if (value === undefined || value === "") return undefined;
        try {
            return JSON.parse(value);
        } catch {
            return value; // a plain string
        }
    }
}
