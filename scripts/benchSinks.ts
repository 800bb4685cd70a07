/**
 * The plan of a stack with many sinks against the same stack with one: the dev stack's settings, and the same with
 * `sinks` naming 20 sinks (a topic each). Timed as a user waits for it (`npm run plan -- --stack S` in a project
 * folder holding both stack files; target: 20 sinks in at most 3 times one sink's time), and its evaluation alone
 * (config, lookups, the program under the mock runtime, the policy rules) in this process, which grows with the
 * resources registered. Medians of interleaved runs after a warm-up; the lookups each plan makes are counted.
 */
import * as child_process from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseStackConfig, readStackFile } from "../config";
import { renderPlan } from "../offline";

const ROOT = path.resolve(__dirname, "..");
const RUNS = 5;
const TARGET = 3;

/** `msk-s3-sink:sinks` naming `count` sinks, `sink-1` … `sink-<count>`, a topic of its own each. */
export function manySinks(count: number): string {
    const sinks: Record<string, { topics: string[] }> = {};
    for (let i = 1; i <= count; i++) sinks[`sink-${i}`] = { topics: [`salesdb.salesdb.TABLE_${i}`] };
    return JSON.stringify(sinks);
}

/** The dev stack's raw settings, with `sinks` when given. */
function devWith(sinks?: string): Record<string, string> {
    const raw = { ...readStackFile(ROOT, "dev").raw };
    if (sinks !== undefined) raw["msk-s3-sink:sinks"] = sinks;
    return raw;
}

/** Seconds to plan the stack, and the lookups it made. */
async function planOnce(raw: Record<string, string>): Promise<{ seconds: number; lookups: number }> {
    const started = process.hrtime.bigint();
    const plan = await renderPlan(parseStackConfig(raw, { stack: "dev", baseDir: ROOT }), raw, []);
    return { seconds: Number(process.hrtime.bigint() - started) / 1e9, lookups: plan.lookups.length };
}

function median(runs: readonly number[]): number {
    const sorted = [...runs].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)];
}

/** Seconds `npm run plan -- --stack <stack>` takes (without npm's own start-up), in the project folder `dir`. */
function planCommandSeconds(dir: string, stack: string): number {
    const started = process.hrtime.bigint();
    const res = child_process.spawnSync(
        process.execPath,
        [path.join(ROOT, "scripts", "tsRun.cjs"), path.join(ROOT, "scripts", "plan.ts"), "--stack", stack, "--json"],
        { cwd: dir, encoding: "utf8", timeout: 120_000, env: { ...process.env, PULUMI_HOME: path.join(dir, ".pulumi-home") } },
    );
    if (res.status !== 0) throw new Error(`plan --stack ${stack} failed (exit ${res.status}): ${res.stderr}`);
    return Number(process.hrtime.bigint() - started) / 1e9;
}

/** One line: the plan command's medians for 1 and `count` sinks against the target. */
export function benchSinksCommand(count = 20): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-sinks-"));
    try {
        fs.copyFileSync(path.join(ROOT, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
        const dev = fs.readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8");
        fs.writeFileSync(path.join(dir, "Pulumi.one.yaml"), dev);
        fs.writeFileSync(path.join(dir, "Pulumi.many.yaml"), `${dev.trimEnd()}\n  msk-s3-sink:sinks: ${manySinks(count)}\n`);
        const times: [number[], number[]] = [[], []];
        for (let round = 0; round <= 3; round++) {
            const a = planCommandSeconds(dir, "one");
            const b = planCommandSeconds(dir, "many");
            if (round > 0) {
                times[0].push(a);
                times[1].push(b);
            }
        }
        const ratio = median(times[1]) / median(times[0]);
        return (
            `npm run plan, ${count} sinks vs 1 (the dev stack): ${median(times[1]).toFixed(2)} s vs ${median(times[0]).toFixed(2)} s, ` +
            `${ratio.toFixed(2)}x (target <= ${TARGET}x: ${ratio <= TARGET ? "met" : "NOT met"}; medians of 3 interleaved runs)`
        );
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

/** One line: the evaluation alone, both medians, their ratio, and each plan's lookups. */
export async function benchSinks(count = 20): Promise<string> {
    const one = devWith();
    const many = devWith(manySinks(count));
    const times: [number[], number[]] = [[], []];
    let lookups: [number, number] = [0, 0];
    for (let round = 0; round <= RUNS; round++) {
        const a = await planOnce(one);
        const b = await planOnce(many);
        lookups = [a.lookups, b.lookups];
        if (round > 0) {
            times[0].push(a.seconds);
            times[1].push(b.seconds);
        }
    }
    const ratio = median(times[1]) / median(times[0]);
    return (
        `the plan's evaluation alone (in process, no start-up), ${count} sinks vs 1: ${median(times[1]).toFixed(2)} s vs ${median(times[0]).toFixed(2)} s, ` +
        `${ratio.toFixed(2)}x (it grows with the resources registered, ${(((median(times[1]) - median(times[0])) / (count - 1)) * 1000).toFixed(0)} ms a sink); ` +
        `lookups ${lookups[1]} vs ${lookups[0]} (medians of ${RUNS} interleaved runs)`
    );
}
