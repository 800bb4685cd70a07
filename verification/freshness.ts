/**
 * Fresh data: the check passes only on an object this deploy's connector wrote, never on one an older
 * connector (or the lab done by hand) left under the prefix. The baseline is what was there before: the
 * highest start offset per topic partition and the newest write time among the sink objects. An object
 * counts as fresh when it was written at or after the moment the connector's configuration took effect
 * (its creation, or the end of its newest update: `writtenAfter`), or, when that moment is not known, when
 * it lies beyond the baseline (a higher offset, or rewritten after the baseline's newest write).
 */
import type { SinkKey } from "../sink";

export interface Baseline {
    /** The highest start offset among the sink objects there before, per `<topic>+<partition>`, as decimal digits. */
    readonly offsets: Readonly<Record<string, string>>;
    /** The newest write time (S3's LastModified) among them, ISO 8601; null when there were none. */
    readonly latestModified: string | null;
    /** How many sink objects were there before. */
    readonly objects: number;
    /** When the baseline was recorded (this machine's clock), ISO 8601. */
    readonly recordedAt: string;
}

/** What makes an object fresh. */
export interface FreshRule {
    /**
     * When the connector's configuration took effect (ISO 8601): objects written since are fresh, and the
     * baseline is what had been written before. @default unknown: the baseline decides
     */
    readonly writtenAfter?: string;
    /** What was there before. @default recorded from the check's first listing */
    readonly baseline?: Baseline;
}

/** A sink object as a listing sees it: its parsed key and its write time. */
export interface ListedSinkObject extends SinkKey {
    /** S3's LastModified, ISO 8601. */
    readonly lastModified?: string;
}

/** The partition a baseline offset belongs to. */
export function partitionKey(k: Pick<SinkKey, "topic" | "partition">): string {
    return `${k.topic}+${k.partition}`;
}

/** Builds a baseline from the objects of one listing. */
export class BaselineRecorder {
    private readonly offsets = new Map<string, bigint>();
    private latest: string | null = null;
    private count = 0;

    add(o: ListedSinkObject): void {
        const p = partitionKey(o);
        const seen = this.offsets.get(p);
        if (seen === undefined || o.startOffset > seen) this.offsets.set(p, o.startOffset);
        if (o.lastModified !== undefined && (this.latest === null || o.lastModified > this.latest)) this.latest = o.lastModified;
        this.count++;
    }

    baseline(): Baseline {
        const offsets: Record<string, string> = {};
        for (const [p, offset] of [...this.offsets.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) offsets[p] = offset.toString();
        return { offsets, latestModified: this.latest, objects: this.count, recordedAt: new Date().toISOString() };
    }
}

/** True when `o` was written at or after `since` (both ISO 8601; S3 keeps whole seconds). */
export function writtenSince(o: ListedSinkObject, since: string): boolean {
    if (o.lastModified === undefined) return false;
    return Date.parse(o.lastModified) >= Math.floor(Date.parse(since) / 1000) * 1000;
}

/** Whether `o` belongs in the baseline: it was written before the configuration took effect (or, unknown, at all). */
export function wasThereBefore(o: ListedSinkObject, rule: FreshRule): boolean {
    return rule.writtenAfter === undefined || !writtenSince(o, rule.writtenAfter);
}

/** Whether `o` is fresh under the rule, given the baseline. */
export function isFresh(o: ListedSinkObject, rule: FreshRule, baseline: Baseline): boolean {
    if (rule.writtenAfter !== undefined) return writtenSince(o, rule.writtenAfter);
    const highest = baseline.offsets[partitionKey(o)];
    if (highest === undefined || o.startOffset > BigInt(highest)) return true;
    return o.lastModified !== undefined && baseline.latestModified !== null && o.lastModified > baseline.latestModified;
}

/** The baseline in words, for messages. */
export function describeBaseline(b: Baseline): string {
    if (b.objects === 0) return "the prefix held no sink object before";
    const offsets = Object.entries(b.offsets)
        .map(([p, offset]) => `${p} up to offset ${offset}`)
        .join(", ");
    return `the prefix held ${b.objects} sink object(s) before (${offsets}; newest written ${b.latestModified ?? "at an unknown time"})`;
}

/** The rule in words, for messages. */
export function describeRule(rule: FreshRule, baseline: Baseline | undefined): string {
    const since = rule.writtenAfter
        ? `written at or after ${rule.writtenAfter}, when the connector's configuration took effect`
        : "beyond the baseline (a higher offset, or rewritten since)";
    return `fresh data (an object ${since}); ${baseline ? describeBaseline(baseline) : "the baseline was not recorded yet"}`;
}
