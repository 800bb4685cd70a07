/**
 * Section "sinks": several connectors in one stack. `sinks` maps a short name to that sink's own fields
 * (`SINK_FIELDS`); each sink is read by the very sections that read the stack, over a copy of the raw config with
 * its fields in place of the stack's, so a sink's field is checked exactly as the stack-level key of its name.
 * Its problems are named `msk-s3-sink:sinks.<name>.<field>`. Across sinks: no two with one connector name, no
 * two writing one topic to one bucket and prefix, no two creating one log group.
 */
import { nearest, show } from "../../common";
import type { ConfigProblem } from "../errors";
import { autoRestartFunctionName, SINK_NAME } from "../patterns";
import { RawConfig, Reader } from "../reader";
import { DEFAULT_SINK, PROJECT, SETTINGS, SINK_FIELDS } from "../settings";
import type { SinkSettings } from "../types";

const KEY = `${PROJECT}:sinks`;

/** A sink's own fields as it wrote them, by sink name, in the file's order; undefined when `sinks` is not set. */
export function readSinkFields(r: Reader): Map<string, Record<string, unknown>> | undefined {
    if (r.isSecret("sinks")) {
        r.problem("sinks", undefined, "is a Pulumi secret, but sink names become resource names. Set it in plain text.");
        return undefined;
    }
    const value = r.json("sinks");
    if (value === undefined) return undefined;
    if (typeof value !== "object" || value === null || Array.isArray(value) || Object.keys(value).length === 0) {
        r.problem("sinks", value, 'expected a map of sink name to its settings, e.g. {"orders": {"topics": ["salesdb.salesdb.ORDERS"]}}.');
        return undefined;
    }
    const out = new Map<string, Record<string, unknown>>();
    for (const [name, fields] of Object.entries(value as Record<string, unknown>)) {
        if (!SINK_NAME.test(name)) {
            r.problem(
                `sinks.${name}`,
                name,
                "expected a sink name of 1-30 lowercase letters, digits and hyphens, starting and ending with a letter or digit (it goes into resource names). Fix: rename the sink.",
            );
            continue;
        }
        if (fields === null || typeof fields !== "object" || Array.isArray(fields)) {
            r.problem(
                `sinks.${name}`,
                fields,
                `expected a map of the sink's own settings (${SINK_FIELDS.join(", ")}), or {} for the stack's.`,
            );
            continue;
        }
        out.set(name, checkFields(r, name, fields as Record<string, unknown>));
    }
    return out;
}

/** The fields a sink may set, each unknown one a problem with a "did you mean". */
function checkFields(r: Reader, name: string, fields: Record<string, unknown>): Record<string, unknown> {
    const known: Record<string, unknown> = {};
    for (const [field, v] of Object.entries(fields)) {
        if ((SINK_FIELDS as readonly string[]).includes(field)) {
            known[field] = v;
            continue;
        }
        const close = nearest(field, SINK_FIELDS);
        const fix = Object.prototype.hasOwnProperty.call(SETTINGS, field)
            ? ` ${PROJECT}:${field} is the stack's, shared by every sink: set it there, or give this sink a stack of its own.`
            : close
              ? ` Did you mean "${close}"?`
              : " Fix: remove it.";
        r.problem(`sinks.${name}.${field}`, v, `is not a setting a sink sets for itself (those are: ${SINK_FIELDS.join(", ")}).${fix}`);
    }
    return known;
}

/** A field's value as Pulumi hands a program a stack setting: text as it is, anything else as JSON text. */
function rawText(v: unknown): string {
    if (typeof v === "string") return v;
    if (v === null) return "";
    return typeof v === "object" ? JSON.stringify(v) : String(v);
}

/** The reader for one sink: the stack's raw config with the sink's fields in place of the stack's keys. */
export function sinkReader(r: Reader, fields: Record<string, unknown>): Reader {
    const raw: Record<string, string> = { ...r.raw };
    delete raw[KEY];
    const own = new Set(Object.keys(fields).map((f) => `${PROJECT}:${f}`));
    // A sink that chooses its own role takes none of the stack's role names (they belong to the stack's choice).
    if ("executionRole" in fields && !("executionRoleName" in fields) && !("executionRoleNamePrefix" in fields)) {
        delete raw[`${PROJECT}:executionRoleName`];
        delete raw[`${PROJECT}:executionRoleNamePrefix`];
    }
    for (const [field, v] of Object.entries(fields)) raw[`${PROJECT}:${field}`] = rawText(v);
    const secrets = new Set([...r.secretKeys].filter((k) => !own.has(k)));
    return new Reader(raw as RawConfig, secrets);
}

/** A problem the sink's reader found, named under the sink: `msk-s3-sink:flushSize` → `msk-s3-sink:sinks.orders.flushSize`. */
function underSink(name: string, p: ConfigProblem): ConfigProblem {
    const ours = `${PROJECT}:`;
    return p.key.startsWith(ours) ? { ...p, key: `${KEY}.${name}.${p.key.slice(ours.length)}` } : p;
}

/** The sink's problems that the stack's own reading did not already report (an inherited bad value is told once, at the stack's key). */
export function adoptSinkProblems(r: Reader, sr: Reader, name: string): void {
    const told = new Set(r.problems.map((p) => `${p.key}\n${p.message}`));
    for (const p of sr.problems) {
        if (told.has(`${p.key}\n${p.message}`)) continue;
        r.problems.push(underSink(name, p));
    }
}

/** A sink that looks up the log group another sink creates: the lookup runs first and finds nothing, or the create fails. */
function checkLogGroupLookups(r: Reader, sinks: readonly SinkSettings[]): void {
    for (const { name, settings: s } of sinks) {
        if (s.logGroup.mode !== "lookup") continue;
        const creator = sinks.find(
            (o) => o.name !== name && o.settings.logGroup.mode === "create" && o.settings.logGroup.name === s.logGroup.name,
        );
        if (creator === undefined) continue;
        r.problem(
            `sinks.${name}.logGroup`,
            "lookup",
            `looks up log group ${s.logGroup.name}, which sink "${creator.name}" creates in the same run: the lookup runs first and finds nothing, or, if the group exists, creating it fails. Fix: let one sink create it and the others look up another, or have every sink look it up (logGroup: lookup) once it exists.`,
        );
    }
}

/** Refusals across sinks: one connector name each, one log group each that is created, and no data written twice. */
export function checkAcrossSinks(r: Reader, sinks: readonly SinkSettings[]): void {
    checkLogGroupLookups(r, sinks);
    const first = new Map<string, string>();
    const once = (what: string, sink: string, field: string, value: unknown, message: (other: string) => string, id = String(value)) => {
        const other = first.get(`${what}\n${id}`);
        if (other === undefined) first.set(`${what}\n${id}`, sink);
        else r.problem(`sinks.${sink}.${field}`, value, message(other));
    };
    for (const { name, settings: s } of sinks) {
        once(
            "connector",
            name,
            "connectorName",
            s.connectorName,
            (o) =>
                `is also sink "${o}"'s connector name; MSK Connect names a connector once per region. Fix: give ${KEY}.${name}.connectorName a name of its own.`,
        );
        if (s.logGroup.mode === "create") {
            once(
                "log group",
                name,
                "logGroupName",
                s.logGroup.name,
                (o) =>
                    `is also the log group sink "${o}" creates; two sinks cannot both create it. Fix: give ${KEY}.${name}.logGroupName a name of its own, or look one log group up for both (logGroup: lookup).`,
            );
        }
        if (s.autoRestart.enabled) {
            // The function's name is the connector's, made fit for Lambda (autoRestartFunctionName): two may meet.
            const fn = autoRestartFunctionName(s.connectorName);
            once(
                "auto-restart",
                name,
                "connectorName",
                s.connectorName,
                (o) =>
                    `gives the auto-restart function the same name as sink "${o}"'s (${fn}: Lambda names are cut to 64 characters). Fix: give ${KEY}.${name}.connectorName a name that differs within its first ${64 - "-auto-restart".length} characters.`,
                fn,
            );
        }
        const prefix = s.connectorConfiguration["topics.dir"] ?? "topics";
        // Each topic once: a topic listed twice in one sink is not two sinks writing it.
        for (const topic of new Set(s.topics)) {
            once(
                "data",
                name,
                "topics",
                s.topics,
                (o) =>
                    `sink "${o}" already writes topic ${show(topic)} to s3://${s.targetBucket.name}/${prefix}/: two connectors would write every record twice (duplicate data). Fix: drop the topic from one sink, or give one its own targetBucket or topics.dir (extraConnectorConfig).`,
                `${s.targetBucket.name}/${prefix}/${topic}`,
            );
        }
    }
}

/** The connector name of a sink that does not set one: the stack's, followed by the sink's name (the `default` sink: the stack's). */
export function sinkConnectorName(stackName: string, sink: string): string {
    return sink === DEFAULT_SINK ? stackName : `${stackName}-${sink}`.slice(0, 128);
}

/**
 * The sink a command means: the one named, or the stack's only sink. Several sinks and no name, or a name the
 * stack does not have, is an error naming the sinks there are (`npm run verify` and `npm run connector` say it with --sink).
 */
export function sinkNamed(sinks: readonly SinkSettings[], name: string | undefined, stack: string): SinkSettings {
    const names = sinks.map((s) => s.name);
    if (name === undefined) {
        if (sinks.length === 1) return sinks[0];
        throw new Error(`stack "${stack}" has ${sinks.length} sinks (${names.join(", ")}): name one with --sink NAME`);
    }
    const found = sinks.find((s) => s.name === name);
    if (found) return found;
    const close = nearest(name, names);
    throw new Error(
        `stack "${stack}" has no sink "${name}"; its sinks: ${names.join(", ")}.${close ? ` Did you mean --sink ${close}?` : ""}`,
    );
}

/** Whether a sink's verification prefix was given (the stack's verifyPrefix, or the sink's own), not derived. */
export function sinkSetsPrefix(raw: RawConfig, sink: SinkSettings): boolean {
    return raw[`${PROJECT}:verifyPrefix`] !== undefined || sink.ownFields.includes("verifyPrefix");
}
