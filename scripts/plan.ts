/**
 * `npm run plan [-- --stack NAME] [--json]`: what `pulumi up` would do for a stack, evaluated offline (no
 * AWS account, no Pulumi CLI): every lookup, every resource with its inputs, every warning, the policy
 * findings and the outputs; or every configuration problem, with exit code 1.
 */
import * as path from "path";
import { parseArgs } from "node:util";
import { parseStackConfig, readStackFile, StackConfigError, StackFileError } from "../config";
import { formatPlan, renderPlan } from "../offline/plan";
import { LookupError } from "../preflight";

const ROOT = path.resolve(__dirname, "..");
const USAGE = "usage: npm run plan [-- --stack NAME] [--json]";

function readArgs(argv: string[]): { stack: string; json: boolean; help: boolean } {
    const { values } = parseArgs({
        args: argv,
        options: {
            stack: { type: "string", short: "s", default: "dev" },
            json: { type: "boolean", default: false },
            help: { type: "boolean", short: "h", default: false },
        },
        strict: true,
        allowPositionals: false,
    });
    return { stack: values.stack, json: values.json, help: values.help };
}

async function main(): Promise<number> {
    let args: ReturnType<typeof readArgs>;
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
        const stackFile = readStackFile(ROOT, args.stack);
        const settings = parseStackConfig(stackFile.raw, { stack: args.stack, secretKeys: stackFile.secretKeys, baseDir: ROOT });
        const plan = await renderPlan(settings, stackFile.raw, stackFile.secretKeys);
        process.stdout.write(args.json ? JSON.stringify(plan, null, 2) + "\n" : formatPlan(plan));
        return plan.policy.length > 0 ? 1 : 0;
    } catch (e) {
        const problems = e instanceof StackConfigError ? e.problems : undefined;
        if (args.json) {
            process.stdout.write(JSON.stringify({ stack: args.stack, error: (e as Error).message, problems }, null, 2) + "\n");
        } else {
            process.stderr.write(`${(e as Error).message}\n`);
        }
        return e instanceof StackConfigError || e instanceof StackFileError || e instanceof LookupError ? 1 : 3;
    }
}

main().then(
    (code) => process.exit(code),
    (e) => {
        process.stderr.write(`plan failed: ${(e as Error).stack ?? e}\n`);
        process.exit(3);
    },
);
