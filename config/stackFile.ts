/**
 * Reading a stack's settings file (`Pulumi.<stack>.yaml`) the way the Pulumi CLI hands it to a program:
 * every value as a string (a scalar as its text, not as YAML would type it), structured values as JSON
 * text, secure values marked secret.
 */
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";

export interface StackFile {
    readonly stack: string;
    readonly file: string;
    readonly raw: Record<string, string>;
    readonly secretKeys: string[];
}

export class StackFileError extends Error {}

/** How a `secure:` value reads when the file is read offline: the plan cannot decrypt it. */
export const OPAQUE_SECRET = "[secret]";

/** Stacks that have a settings file in `dir`. */
export function listStacks(dir: string): string[] {
    return fs
        .readdirSync(dir)
        .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
        .filter((s): s is string => s !== undefined)
        .sort();
}

export function readStackFile(dir: string, stack: string): StackFile {
    if (!/^[A-Za-z0-9_.-]+$/.test(stack)) {
        throw new StackFileError(`"${stack}" is not a stack name (letters, digits, "_", ".", "-").`);
    }
    const file = path.join(dir, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(file)) {
        const have = listStacks(dir);
        throw new StackFileError(
            `no settings file ${path.basename(file)} for stack "${stack}"${have.length ? `; stacks here: ${have.join(", ")}` : ""}. Create it (README: "Adding a stack") or pass --stack with one of those.`,
        );
    }
    let doc: unknown;
    let text: unknown;
    try {
        const source = fs.readFileSync(file, "utf8");
        doc = yaml.load(source, { schema: yaml.CORE_SCHEMA });
        text = yaml.load(source, { schema: yaml.FAILSAFE_SCHEMA });
    } catch (e) {
        throw new StackFileError(`${path.basename(file)} is not valid YAML: ${(e as Error).message}`);
    }
    const scalarText = ((text as { config?: Record<string, unknown> } | null)?.config ?? {}) as Record<string, unknown>;
    const config = (doc ?? {}) as { config?: unknown };
    if (typeof config !== "object" || config === null || Array.isArray(config)) {
        throw new StackFileError(`${path.basename(file)} must be a YAML map with a "config:" section.`);
    }
    const section = config.config ?? {};
    if (typeof section !== "object" || section === null || Array.isArray(section)) {
        throw new StackFileError(`${path.basename(file)}: "config:" must be a map of <namespace>:<name> keys to values.`);
    }
    const raw: Record<string, string> = {};
    const secretKeys: string[] = [];
    const problems: string[] = [];
    for (const [key, value] of Object.entries(section as Record<string, unknown>)) {
        if (!/^[A-Za-z0-9_.-]+:[A-Za-z0-9_.-]+$/.test(key)) {
            problems.push(
                `config key "${key}" has no namespace; the Pulumi CLI refuses it. Write it as "msk-s3-sink:${key}" (or "aws:${key}").`,
            );
            continue;
        }
        if (value !== null && typeof value === "object" && !Array.isArray(value) && "secure" in value) {
            secretKeys.push(key);
            raw[key] = OPAQUE_SECRET;
        } else if (value === null || value === undefined) {
            raw[key] = "";
        } else if (typeof value === "object") {
            raw[key] = JSON.stringify(value);
        } else {
            // The CLI hands a program a scalar's text as written: 0x10, True, 012345678901 and 2024-01-01 stay as they are.
            const written = scalarText[key];
            raw[key] = typeof written === "string" ? written : String(value);
        }
    }
    if (problems.length > 0) throw new StackFileError(`${path.basename(file)}:\n  - ${problems.join("\n  - ")}`);
    return { stack, file, raw, secretKeys };
}
