/**
 * `npm run plan [-- --stack NAME] [--json] [--strict]`: what `pulumi up` would do for a stack (the one given,
 * else the one meant, as config/stackChoice.ts decides, named with the reason in the first line), evaluated
 * offline (no AWS account, no Pulumi CLI): a summary, every lookup (answered with example data, and marked
 * so), what a real `pulumi preview` checks in the account, every resource with its inputs, every warning, the
 * policy findings and the outputs; or every configuration problem. Exit 0 when the plan passes, 1 for
 * configuration or preflight problems, policy findings, or (with --strict) any warning, 2 for bad arguments.
 * With --json, stdout holds JSON and nothing else.
 */
import * as path from "path";
import { parseArgs } from "node:util";
import { unknownFlag as unknownFlagOf } from "../common";
import {
    chooseStack,
    findProjectDir,
    parseStackFile,
    readStackFile,
    StackChoice,
    StackChoiceError,
    StackConfigError,
    StackFileError,
} from "../config";
import { formatPlan, renderPlan } from "../offline/plan";
import { LookupError } from "../preflight";

/** The project: the nearest Pulumi.yaml from the working directory, as the Pulumi CLI finds it (npm runs scripts in this one). */
const PROJECT_DIR = findProjectDir(process.cwd()) ?? path.resolve(__dirname, "..");
const USAGE = "usage: npm run plan [-- --stack NAME] [--json] [--strict] [--help]";

const OPTIONS = {
    stack: { type: "string", short: "s" },
    json: { type: "boolean", default: false },
    strict: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
} as const;

/** One line for each flag, for --help (docs/commands.md says the same). */
const FLAG_HELP: Readonly<Record<keyof typeof OPTIONS, string>> = {
    stack: "-s, --stack NAME   plan Pulumi.<NAME>.yaml; without it: PULUMI_STACK, the stack pulumi stack select chose, the only stack file besides dev, or dev",
    json: "    --json         print JSON and nothing else on stdout (warnings as {rule, severity, key, message})",
    strict: "    --strict       for CI: exit 1 on any warning too, the placeholder digest among them",
    help: "-h, --help         print this help",
};

const HELP = [
    USAGE,
    "",
    "What `pulumi up` would do for a stack, evaluated offline (no AWS account, no Pulumi CLI).",
    "",
    ...Object.values(FLAG_HELP).map((l) => `  ${l}`),
    "",
    "Exit 0 when the plan passes; 1 for configuration problems, policy findings, or (with --strict) warnings; 2 for bad arguments.",
].join("\n");

interface Args {
    readonly stack?: string;
    readonly json: boolean;
    readonly strict: boolean;
    readonly help: boolean;
}

/** A flag this CLI does not have, named with the one it most likely meant; or a stack name given without --stack. */
function unknownFlag(argv: string[]): string | undefined {
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (arg === "--stack" || arg === "-s")
            i++; // its value
        else if (!arg.startsWith("-")) return `unexpected argument "${arg}"; to plan that stack, give --stack ${arg}`;
    }
    return unknownFlagOf(argv, OPTIONS);
}

function readArgs(argv: string[]): Args {
    const unknown = unknownFlag(argv);
    if (unknown) throw new Error(unknown);
    const { values } = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false });
    return { ...(values.stack !== undefined ? { stack: values.stack } : {}), json: values.json, strict: values.strict, help: values.help };
}

/** The stack to plan: the one given with --stack, else the one meant. */
function stackOf(args: Args): StackChoice {
    return args.stack !== undefined ? { stack: args.stack, why: "given with --stack" } : chooseStack(PROJECT_DIR);
}

async function plan(args: Args, choice: StackChoice): Promise<number> {
    const stackFile = readStackFile(PROJECT_DIR, choice.stack);
    const settings = parseStackFile(stackFile, PROJECT_DIR);
    const p = { ...(await renderPlan(settings, stackFile.raw, stackFile.secretKeys)), stackChosenBy: choice.why };
    const failedStrict = args.strict && p.warnings.length > 0;
    process.stdout.write(
        args.json
            ? JSON.stringify({ ...p, strict: args.strict, passed: p.policy.length === 0 && !failedStrict }, null, 2) + "\n"
            : formatPlan(p),
    );
    if (failedStrict && !args.json) process.stderr.write(`plan: --strict: ${p.warnings.length} warning(s), so exit 1.\n`);
    return p.policy.length > 0 || failedStrict ? 1 : 0;
}

function report(e: unknown, args: Args, choice: StackChoice): number {
    const known = e instanceof StackConfigError || e instanceof StackFileError || e instanceof LookupError;
    if (args.json) {
        const problems = e instanceof StackConfigError ? e.problems : undefined;
        const warnings =
            e instanceof StackConfigError
                ? e.warnings
                : e instanceof LookupError
                  ? e.warnings.map((w) => ({ ...w, severity: "warning" }))
                  : [];
        const failures = e instanceof LookupError ? e.failures : undefined;
        process.stdout.write(
            JSON.stringify(
                {
                    stack: choice.stack,
                    stackChosenBy: choice.why,
                    passed: false,
                    error: (e as Error).message,
                    problems,
                    failures,
                    warnings,
                },
                null,
                2,
            ) + "\n",
        );
    } else {
        process.stderr.write(`Plan for stack "${choice.stack}" (${choice.why}):\n`);
        process.stderr.write(`${known ? (e as Error).message : ((e as Error).stack ?? String(e))}\n`);
    }
    // A stack with no file is a bad argument (2), as in verify and connector; a stack that is wrong is 1.
    return e instanceof StackFileError && e.noSuchStack ? 2 : known ? 1 : 3;
}

async function main(): Promise<number> {
    let args: Args;
    try {
        args = readArgs(process.argv.slice(2));
    } catch (e) {
        process.stderr.write(`plan: ${(e as Error).message}\n${USAGE}\n`);
        return 2;
    }
    if (args.help) {
        process.stdout.write(`${HELP}\n`);
        return 0;
    }
    let choice: StackChoice;
    try {
        choice = stackOf(args);
    } catch (e) {
        if (!(e instanceof StackChoiceError)) throw e;
        if (args.json) process.stdout.write(JSON.stringify({ passed: false, error: e.message }, null, 2) + "\n");
        process.stderr.write(`plan: ${e.message}\n`);
        return 2;
    }
    try {
        return await plan(args, choice);
    } catch (e) {
        return report(e, args, choice);
    }
}

main().then(
    (code) => process.exit(code),
    (e) => {
        process.stderr.write(`plan failed: ${(e as Error).stack ?? e}\n`);
        process.exit(3);
    },
);
