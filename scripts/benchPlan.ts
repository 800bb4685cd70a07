/**
 * `npm run plan` against a bare program: the dev stack's plan, started the way a user starts it, and
 * `benchBareProgram.ts`, which registers the same resources with the same providers (the dynamic resources'
 * own providers too, whose code Pulumi serializes in a preview as in `up`) under Pulumi's mock runtime in
 * preview mode, and nothing else. The ratio is what the plan's own work costs (config, lookups, policy, the
 * report, npm) over Pulumi's, the AWS package's and the program's resources' floor; the plan is also timed
 * without npm, to show npm's share.
 * Medians of 7 interleaved runs each, after one warm-up round.
 */
import * as child_process from "child_process";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..");
const RUNS = 7;
const TARGET = 1.5;

type Command = readonly [command: string, args: string[]];

function seconds([command, args]: Command): number {
    const started = process.hrtime.bigint();
    const res = child_process.spawnSync(command, args, { cwd: ROOT, encoding: "utf8", timeout: 120_000 });
    if (res.status !== 0) throw new Error(`${command} ${args.join(" ")} failed (exit ${res.status}): ${res.stderr}`);
    return Number(process.hrtime.bigint() - started) / 1e9;
}

/**
 * Each command's run times, taken in interleaved rounds (a, b, c, a, b, c, …) so that a change in the
 * machine's load falls on all of them alike; the first round only warms the caches.
 */
function interleaved(commands: readonly Command[]): number[][] {
    const times: number[][] = commands.map(() => []);
    for (let round = 0; round <= RUNS; round++) {
        commands.forEach((c, i) => {
            const t = seconds(c);
            if (round > 0) times[i].push(t);
        });
    }
    return times;
}

function median(runs: readonly number[]): number {
    const sorted = [...runs].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)];
}

/** One line: both medians and their ratio against the target. */
export async function benchPlan(): Promise<string> {
    const [plan, direct, bare] = interleaved([
        ["npm", ["run", "--silent", "plan"]],
        [process.execPath, [path.join(ROOT, "scripts", "tsRun.cjs"), path.join(ROOT, "scripts", "plan.ts")]],
        [process.execPath, [path.join(ROOT, "scripts", "tsRun.cjs"), path.join(ROOT, "scripts", "benchBareProgram.ts")]],
    ]);
    const ratio = median(plan) / median(bare);
    const runs = (r: number[]) => r.map((t) => t.toFixed(2)).join(", ");
    return (
        `npm run plan vs a bare program (the same resources with the same providers, dynamic ones included, same mocks and loader): ` +
        `${median(plan).toFixed(2)} s vs ${median(bare).toFixed(2)} s, ${ratio.toFixed(2)}x (target <= ${TARGET}x: ${ratio <= TARGET ? "met" : "NOT met"}); ` +
        `the plan without npm's start-up ${median(direct).toFixed(2)} s, ${(median(direct) / median(bare)).toFixed(2)}x ` +
        `(medians of ${RUNS} interleaved runs: plan ${runs(plan)}; without npm ${runs(direct)}; bare ${runs(bare)})`
    );
}
