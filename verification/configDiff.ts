/**
 * Key-by-key comparison of a connector's live configuration with the one the stack asked for. Values of
 * credential-like keys are never shown, and a live value that AWS itself hid is unknown, not different.
 */
import { show } from "../common";
import { isHiddenKey } from "../sink";

/**
 * Values that stand for a hidden one: asterisks, Kafka Connect's `[hidden]` for PASSWORD-type settings, or a
 * "redacted" marker. (How MSK Connect shows a value it redacts is not documented; these are the usual forms.)
 */
const REDACTED_VALUE = /^(\*{3,}|\[hidden\]|<redacted>|\[redacted\]|redacted|\*+\s*redacted\s*\*+)$/i;

export function isRedactedValue(value: string): boolean {
    return REDACTED_VALUE.test(value.trim());
}

export interface ConfigDiff {
    /** Keys asked for that the live configuration lacks. */
    readonly missing: string[];
    /** Live keys that were not asked for. */
    readonly unexpected: string[];
    /** Keys on both sides with different values. */
    readonly changed: string[];
    /** Keys on both sides whose live value AWS hid: not compared. */
    readonly redactedByAws: string[];
    /** Keys on both sides with equal values. */
    readonly equal: number;
}

export function diffConfiguration(expected: Readonly<Record<string, string>>, live: Readonly<Record<string, string>>): ConfigDiff {
    const missing: string[] = [];
    const changed: string[] = [];
    const redactedByAws: string[] = [];
    let equal = 0;
    for (const key of Object.keys(expected).sort()) {
        if (!Object.prototype.hasOwnProperty.call(live, key)) missing.push(key);
        else if (live[key] === expected[key]) equal++;
        else if (isRedactedValue(live[key])) redactedByAws.push(key);
        else changed.push(key);
    }
    const unexpected = Object.keys(live)
        .filter((key) => !Object.prototype.hasOwnProperty.call(expected, key))
        .sort();
    return { missing, unexpected, changed, redactedByAws, equal };
}

export function hasDifferences(diff: ConfigDiff): boolean {
    return diff.missing.length + diff.unexpected.length + diff.changed.length > 0;
}

/** A value as a message may show it: JSON, or a note for credential-like keys. */
function shown(key: string, value: string): string {
    return isHiddenKey(key) ? "(value redacted)" : show(value);
}

/** One line per difference: changed, missing, unexpected, in that order and by key. */
export function describeDifferences(
    diff: ConfigDiff,
    expected: Readonly<Record<string, string>>,
    live: Readonly<Record<string, string>>,
): string[] {
    return [
        ...diff.changed.map((k) =>
            isHiddenKey(k)
                ? `changed ${k}: the values differ (both redacted)`
                : `changed ${k}: asked ${show(expected[k])}, live ${show(live[k])}`,
        ),
        ...diff.missing.map((k) => `missing ${k}: asked ${shown(k, expected[k])}, absent from the live configuration`),
        ...diff.unexpected.map((k) => `unexpected ${k}: live ${shown(k, live[k])}, not asked for`),
    ];
}

/** Names of the keys that differ between two configurations (no values), e.g. what an update tried to change. */
export function keysThatDiffer(from: Readonly<Record<string, string>>, to: Readonly<Record<string, string>>): string[] {
    const d = diffConfiguration(to, from);
    return [...d.changed, ...d.missing, ...d.unexpected].sort();
}
