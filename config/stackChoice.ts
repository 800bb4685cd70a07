/**
 * Which stack a command means when it is not told (`npm run plan` without `--stack`), decided as far as it
 * can be known without the Pulumi CLI: `PULUMI_STACK`; else the stack `pulumi stack select` chose for this
 * project (the CLI keeps it in `~/.pulumi/workspaces/<project>-<sha1 of the Pulumi.yaml path>-workspace.json`),
 * when this project has its file; else the only stack file besides dev; else dev when it is the only one.
 * Several stack files and nothing to choose between them is refused with the list, never guessed.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { listStacks } from "./stackFile";

/** The project directory as the Pulumi CLI finds it: the nearest folder holding Pulumi.yaml, from `from` upwards. */
export function findProjectDir(from: string): string | undefined {
    for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
        if (fs.existsSync(path.join(dir, "Pulumi.yaml"))) return dir;
        if (path.dirname(dir) === dir) return undefined;
    }
}

export interface StackChoice {
    readonly stack: string;
    /** Why this stack, in words for the plan's first line. */
    readonly why: string;
}

/** Thrown when several stacks could be meant: the message lists them and how to choose. */
export class StackChoiceError extends Error {}

/** The project's name, from Pulumi.yaml's `name:` line. */
function projectName(projectDir: string): string | undefined {
    const text = fs.readFileSync(path.join(projectDir, "Pulumi.yaml"), "utf8");
    return /^name:\s*["']?([^"'\s#]+)/m.exec(text)?.[1];
}

/** The stack `pulumi stack select` recorded for this project (the last part of an `org/project/stack` name). */
export function selectedStack(projectDir: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
    const name = projectName(projectDir);
    if (name === undefined) return undefined;
    const home = env.PULUMI_HOME || path.join(env.HOME || os.homedir(), ".pulumi");
    const projectFile = path.join(projectDir, "Pulumi.yaml");
    const digest = crypto.createHash("sha1").update(projectFile).digest("hex");
    try {
        const settings = JSON.parse(fs.readFileSync(path.join(home, "workspaces", `${name}-${digest}-workspace.json`), "utf8")) as {
            stack?: unknown;
        };
        return typeof settings.stack === "string" && settings.stack !== "" ? settings.stack.split("/").pop() : undefined;
    } catch {
        return undefined;
    }
}

/** The stack meant when none is given; throws StackChoiceError when that cannot be known. */
export function chooseStack(projectDir: string, env: NodeJS.ProcessEnv = process.env): StackChoice {
    if (env.PULUMI_STACK) return { stack: env.PULUMI_STACK.split("/").pop()!, why: "from PULUMI_STACK" };
    const stacks = listStacks(projectDir);
    const selected = selectedStack(projectDir, env);
    if (selected !== undefined && stacks.includes(selected)) return { stack: selected, why: "selected with pulumi stack select" };
    const others = stacks.filter((s) => s !== "dev");
    if (others.length === 1) return { stack: others[0], why: "the only stack file besides dev; --stack dev for the lab's" };
    if (others.length === 0) return { stack: "dev", why: "the lab's stack, the only stack file here" };
    throw new StackChoiceError(
        `several stacks here (${stacks.join(", ")}) and none selected: give --stack NAME (npm run plan -- --stack ${others[0]}), set PULUMI_STACK, or select one with pulumi stack select.`,
    );
}
