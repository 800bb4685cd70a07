/**
 * Waiting for the sink's object under the prefix: a listing every poll interval until the deadline. With a
 * fresh-data rule, only an object this deploy's connector wrote counts, and the first listing records the
 * baseline of what was there before.
 */
import { BaselineRecorder, describeRule, isFresh, wasThereBefore, writtenSince } from "./freshness";
import { sinkKeyShape } from "../sink";
import { listOnce, SinkObject, SkippedKey } from "./listing";
import { checkDeadline, elapsedSeconds, notice, pause, progress, remainingMs, Run } from "./run";

/** `<topic>+<partition>+<offset>.json`, in the sink's configured delimiters and extension. */
export function keyShape(run: Run): string {
    return sinkKeyShape(run.o.keyFormat);
}

/** How many keys were skipped, naming one and why: "; 2 other key(s) there are not sink objects, e.g. k (why)". */
export function describeSkipped(skipped: number, example: SkippedKey | undefined): string {
    if (skipped === 0) return "";
    const e = example ? `, e.g. ${example.key} (${example.reason})` : "";
    return `; ${skipped} other key(s) there are not sink objects${e}`;
}

/** Where to look when nothing lands: the connector's state and its logs, and the topic. */
function whereToLook(run: Run): string {
    const o = run.o;
    const connector = o.connectorName
        ? `the connector ${o.connectorName}'s state (MSK Connect console, or \`aws kafkaconnect list-connectors --connector-name-prefix ${o.connectorName}\`)`
        : "the connector's state";
    const logs = o.logGroupName ? `its log group ${o.logGroupName}` : "its worker logs";
    return `check ${connector} and ${logs}; the sink writes an object only after flush.size records reach one partition, so also check that the topic receives changes`;
}

/** One listing under the fresh-data rule: records the baseline the first time, accepts only fresh objects. */
function listFresh(run: Run): ReturnType<typeof listOnce> {
    const rule = run.o.fresh!;
    const recorder = run.baseline === undefined ? new BaselineRecorder() : undefined;
    const observe = recorder ? (x: SinkObject) => (wasThereBefore(x, rule) ? recorder.add(x) : undefined) : undefined;
    // With the moment the configuration took effect, freshness is the write time; without it, what the first
    // listing finds is the baseline itself, so nothing there is fresh yet.
    const accept = (x: SinkObject): boolean =>
        rule.writtenAfter !== undefined ? writtenSince(x, rule.writtenAfter) : run.baseline !== undefined && isFresh(x, rule, run.baseline);
    return listOnce(run, accept, observe).finally(() => {
        if (recorder) run.baseline = recorder.baseline();
    });
}

/** Why waiting may not end, for the time-out verdict in fresh-data mode. */
function freshAdvice(run: Run): string {
    return `the check ran in ${describeRule(run.o.fresh!, run.baseline)}. On a quiet topic no new object may come: set msk-s3-sink:verifyFreshData to false (or leave out --fresh) to accept an object already there`;
}

/** Wait until a sink object exists under the prefix (a fresh one, under a fresh-data rule); return the one to read (lowest offset). */
export async function waitForObject(run: Run): Promise<{ object: SinkObject; skipped: number; skippedExample?: SkippedKey }> {
    const o = run.o;
    const what = o.fresh ? "a new sink object" : "a sink object";
    run.doing = `waiting for ${what} (${keyShape(run)}) under s3://${o.bucket}/${o.prefix}`;
    for (;;) {
        const listing = o.fresh ? await listFresh(run) : await listOnce(run);
        if (listing.object) return { object: listing.object, skipped: listing.skipped, skippedExample: listing.skippedExample };
        const skipped = describeSkipped(listing.skipped, listing.skippedExample);
        // Skipped keys and nothing to read: said once even where progress is not shown (a pipe), not after the time-out.
        if (skipped && !run.noticedSkipped) {
            run.noticedSkipped = true;
            notice(run, `under s3://${o.bucket}/${o.prefix}, no ${keyShape(run)} object yet${skipped}; still waiting`);
        }
        const older = o.fresh && listing.sinkObjects > 0 ? `; ${listing.sinkObjects} older sink object(s) there do not count` : "";
        run.advice = `none in ${run.listings} listing(s)${skipped}${older}; ${whereToLook(run)}${o.fresh ? `; ${freshAdvice(run)}` : ""}`;
        const next = Math.min(o.pollIntervalSeconds * 1000, remainingMs(run));
        progress(
            run,
            `${run.doing}: ${elapsedSeconds(run)} s of ${o.timeoutSeconds} s, ${run.listings} listing(s)${skipped}; next listing in ${Math.round(next / 1000)} s`,
        );
        await pause(run, next);
        checkDeadline(run);
    }
}
