/**
 * Command-line flags as every CLI here reads them: an unknown flag is answered with the one it most likely meant,
 * a string flag takes a value that starts with "-" (`--timeout -3`, so its own check can say what is wrong with
 * it, not parseArgs' "ambiguous"), and --help lists every flag, one line each. Pure: no I/O.
 */
import { parseArgs } from "node:util";
import { nearest } from "./text";

/** A flag as `node:util` parseArgs declares it. */
export interface FlagSpec {
    readonly type: "string" | "boolean";
    readonly short?: string;
}

/** What --help says of a flag: the value it takes (for a string flag) and one line of meaning. */
export interface FlagHelp {
    readonly arg?: string;
    readonly text: string;
}

/** A flag's name (or a short one's letter) as written: `--stack=dev` → `stack`, `-s` → `s`. */
function flagName(arg: string): { name: string; long: boolean; inline: boolean } | undefined {
    if (arg === "--" || arg === "-" || !arg.startsWith("-")) return undefined;
    if (arg.startsWith("--")) return { name: arg.slice(2).split("=")[0], long: true, inline: arg.includes("=") };
    return { name: arg.slice(1, 2), long: false, inline: arg.length > 2 };
}

/**
 * The first flag in `argv` that `options` does not have, named with the one it most likely meant; undefined when
 * every flag is known. The value after a string flag is skipped, whatever it looks like.
 */
export function unknownFlag(argv: readonly string[], options: Readonly<Record<string, FlagSpec>>): string | undefined {
    const names = Object.keys(options);
    const shorts = new Map(Object.entries(options).flatMap(([n, s]) => (s.short ? [[s.short, n] as const] : [])));
    for (let i = 0; i < argv.length; i++) {
        if (argv[i] === "--") return undefined;
        const f = flagName(argv[i]);
        if (f === undefined) continue;
        const name = f.long ? f.name : shorts.get(f.name);
        if (name !== undefined && names.includes(name)) {
            if (options[name].type === "string" && !f.inline) i++;
            continue;
        }
        if (!f.long) return `unknown flag -${f.name}; the flags are --${names.join(", --")}`;
        const meant = nearest(f.name, names);
        return `unknown flag --${f.name}${meant ? `; did you mean --${meant}?` : `; the flags are --${names.join(", --")}`}`;
    }
    return undefined;
}

/** `argv` with each string flag's separate value joined to it (`--timeout -3` → `--timeout=-3`), so a value may start with "-". */
export function joinFlagValues(argv: readonly string[], options: Readonly<Record<string, FlagSpec>>): string[] {
    const out: string[] = [];
    for (let i = 0; i < argv.length; i++) {
        const f = flagName(argv[i]);
        const name = f === undefined || f.inline ? undefined : f.long ? f.name : undefined;
        const next = i + 1 < argv.length ? flagName(argv[i + 1]) : undefined;
        const nextIsFlag =
            next !== undefined && (next.long ? next.name in options : Object.values(options).some((o) => o.short === next.name));
        if (name !== undefined && options[name]?.type === "string" && i + 1 < argv.length && !nextIsFlag) {
            out.push(`--${name}=${argv[++i]}`);
        } else out.push(argv[i]);
    }
    return out;
}

/** An argument that is not a flag the CLI has, or a flag without its value: said as a person reads it. */
export class FlagError extends Error {}

/**
 * parseArgs over `argv` with unknown flags answered with a did-you-mean and values that start with "-" taken as
 * values; throws FlagError naming what is wrong.
 */
export function readFlags<O extends Record<string, FlagSpec & { default?: boolean | string }>>(
    argv: readonly string[],
    options: O,
    allowPositionals: boolean,
) {
    const unknown = unknownFlag(argv, options);
    if (unknown) throw new FlagError(unknown);
    try {
        return parseArgs({ args: joinFlagValues(argv, options), options, strict: true, allowPositionals });
    } catch (e) {
        throw new FlagError((e as Error).message);
    }
}

/** One line per flag for --help, in the order the CLI declares them, the meanings aligned. */
export function flagHelpLines(options: Readonly<Record<string, FlagSpec>>, help: Readonly<Record<string, FlagHelp>>): string[] {
    const heads = Object.entries(options).map(([name, spec]) => {
        const arg = help[name]?.arg;
        return `${spec.short ? `-${spec.short}, ` : "    "}--${name}${arg ? ` ${arg}` : ""}`;
    });
    const width = Math.max(...heads.map((h) => h.length));
    return Object.keys(options).map((name, i) => `  ${heads[i].padEnd(width)}  ${help[name]?.text ?? ""}`);
}
