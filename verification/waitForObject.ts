/** Waiting for the sink's first object under the prefix: a listing every poll interval until the deadline. */
import { listOnce, SinkObject } from "./listing";
import { checkDeadline, elapsedSeconds, pause, progress, remainingMs, Run } from "./run";

/** `<topic>+<partition>+<offset>.json`, in the sink's configured delimiters and extension. */
export function keyShape(run: Run): string {
    const f = run.o.keyFormat;
    return `<topic>${f.fileDelim}<partition>${f.fileDelim}<offset>${f.extension}`;
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

/** Wait until a sink object exists under the prefix; return the one to read (lowest offset). */
export async function waitForObject(run: Run): Promise<{ object: SinkObject; skipped: number }> {
    const o = run.o;
    run.doing = `waiting for a sink object (${keyShape(run)}) under s3://${o.bucket}/${o.prefix}`;
    for (;;) {
        const listing = await listOnce(run);
        if (listing.object) return { object: listing.object, skipped: listing.skipped };
        const skipped = listing.skipped > 0 ? `; ${listing.skipped} other key(s) there are not sink objects` : "";
        run.advice = `none in ${run.listings} listing(s)${skipped}; ${whereToLook(run)}`;
        const next = Math.min(o.pollIntervalSeconds * 1000, remainingMs(run));
        progress(
            run,
            `${run.doing}: ${elapsedSeconds(run)} s of ${o.timeoutSeconds} s, ${run.listings} listing(s)${skipped}; next listing in ${Math.round(next / 1000)} s`,
        );
        await pause(run, next);
        checkDeadline(run);
    }
}
