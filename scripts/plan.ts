/**
 * `npm run plan [-- --stack NAME] [--json] [--strict]`: what `pulumi up` would do for a stack, evaluated
 * offline (no AWS account, no Pulumi CLI): a summary, every lookup (answered with example data, and marked
 * so), what a real `pulumi preview` checks in the account, every resource with its inputs, every warning, the
 * policy findings and the outputs; or every configuration problem. Exit 0 when the plan passes, 1 for
 * configuration or preflight problems, policy findings, or (with --strict) any warning, 2 for bad arguments.
 * With --json, stdout holds JSON and nothing else.
 */
import * as path from "path";
import { parseArgs } from "node:util";
import { parseStackFile, readStackFile, StackConfigError, StackFileError } from "../config";
import { formatPlan, renderPlan } from "../offline/plan";
import { LookupError } from "../preflight";

const ROOT = path.resolve(__dirname, "..");
const USAGE = "usage: npm run plan [-- --stack NAME] [--json] [--strict] [--help]";

interface Args {
    readonly stack: string;
    readonly json: boolean;
    readonly strict: boolean;
    readonly help: boolean;
}

function readArgs(argv: string[]): Args {
    const { values } = parseArgs({
        args: argv,
        options: {
            stack: { type: "string", short: "s", default: "dev" },
            json: { type: "boolean", default: false },
            strict: { type: "boolean", default: false },
            help: { type: "boolean", short: "h", default: false },
        },
        strict: true,
        allowPositionals: false,
    });
    return { stack: values.stack, json: values.json, strict: values.strict, help: values.help };
}

async function plan(args: Args): Promise<number> {
    const stackFile = readStackFile(ROOT, args.stack);
    const settings = parseStackFile(stackFile, ROOT);
    const p = await renderPlan(settings, stackFile.raw, stackFile.secretKeys);
    const failedStrict = args.strict && p.warnings.length > 0;
    process.stdout.write(
        args.json
            ? JSON.stringify({ ...p, strict: args.strict, passed: p.policy.length === 0 && !failedStrict }, null, 2) + "\n"
            : formatPlan(p),
    );
    if (failedStrict && !args.json) process.stderr.write(`plan: --strict: ${p.warnings.length} warning(s), so exit 1.\n`);
    return p.policy.length > 0 || failedStrict ? 1 : 0;
}

function report(e: unknown, args: Args): number {
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
            JSON.stringify({ stack: args.stack, passed: false, error: (e as Error).message, problems, failures, warnings }, null, 2) + "\n",
        );
    } else {
        process.stderr.write(`${known ? (e as Error).message : ((e as Error).stack ?? String(e))}\n`);
    }
    return known ? 1 : 3;
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
        process.stdout.write(`${USAGE}\n`);
        return 0;
    }
    try {
        return await plan(args);
    } catch (e) {
        return report(e, args);
    }
}

main().then(
    (code) => process.exit(code),
    (e) => {
        process.stderr.write(`plan failed: ${(e as Error).stack ?? e}\n`);
        process.exit(3);
    },
);
