/**
 * `parseStackConfig` turns the raw stack config (the `<namespace>:<name>` map that `pulumi config set`
 * writes) into one typed, validated `StackSettings`, section by section, applying the declared defaults.
 * It reports every problem at once, each naming the key, the value received and what is allowed.
 */
import { Finding, formatFinding } from "../doctor";
import { ConfigProblem, ConfigWarning, StackConfigError } from "./errors";
import { RawConfig, Reader } from "./reader";
import { readAccount } from "./sections/account";
import { readAwsProvider } from "./sections/awsProvider";
import { readCapacity } from "./sections/capacity";
import { readConnector } from "./sections/connector";
import { buildConnectorConfiguration, findingWarning } from "./sections/connectorConfiguration";
import { readOperation } from "./sections/operation";
import { readPlugin } from "./sections/plugin";
import { checkKeys } from "./sections/keys";
import { readExecutionRole, readLogGroup } from "./sections/roleAndLogs";
import { checkVerifiable, readVerification, readVerifyPrefix } from "./sections/verification";
import { describeNote, NO_VALUE, noteConcerns, noteWarning, ReadingNote, StackFile } from "./stackFile";
import { checksOutsideProviderWarnings, defaultProvidersWarning, placeholderDigestWarning } from "./stackWarnings";
import { DEFAULT_SINK, PROJECT } from "./settings";
import { adoptSinkProblems, checkAcrossSinks, readSinkFields, sinkConnectorName, sinkReader } from "./sections/sinks";
import type { SinkSettings, SinkView, StackSettings } from "./types";

export interface ParseOptions {
    readonly stack: string;
    /** Keys whose values are Pulumi secrets. */
    readonly secretKeys?: readonly string[];
    /** Directory that relative paths (pluginLocalPath, pluginCacheDir) are resolved against. */
    readonly baseDir?: string;
    /** Scalars of the stack file received other than as written; each problem with such a setting says so. */
    readonly notes?: readonly ReadingNote[];
    /** Problems found reading the stack file, listed first; nothing else is said about their keys. */
    readonly fileProblems?: readonly ConfigProblem[];
    /** The keys in the order the stack file writes them: problems are listed in that order (a file read offline). */
    readonly keyOrder?: readonly string[];
    /** Warnings about the stack file itself (the default AWS provider left on), listed after its notes. */
    readonly fileWarnings?: readonly ConfigWarning[];
}

/** A problem with a setting the file wrote in a way YAML typed: the message says what was received and why. */
function withNotes(problems: readonly ConfigProblem[], notes: readonly ReadingNote[]): ConfigProblem[] {
    return problems.map((p) => {
        const about = notes.filter((n) => noteConcerns(n, p.key));
        if (about.length === 0) return p;
        // A key written with no value is shown as null, as written, not as the empty string it arrives as.
        const value = p.value === "" && about.some((n) => n.key === p.key && n.what === NO_VALUE) ? null : p.value;
        return { ...p, value, message: `${p.message} Note: ${about.map((n) => `${n.key} ${describeNote(n)}`).join(" ")}` };
    });
}

/**
 * The problems in the order the file writes their keys (a field's problem at its setting's place), after the
 * problems found reading the file itself; problems about keys the file does not set (a required one) come last.
 */
function inFileOrder(problems: readonly ConfigProblem[], fileProblems: number, keyOrder: readonly string[] | undefined): ConfigProblem[] {
    if (keyOrder === undefined) return [...problems];
    const position = (key: string) => {
        const i = keyOrder.indexOf(key.split(/[[.]/)[0]);
        return i < 0 ? Number.POSITIVE_INFINITY : i;
    };
    const rest = problems.slice(fileProblems).map((p, i) => ({ p, i, at: position(p.key) }));
    rest.sort((a, b) => a.at - b.at || a.i - b.i);
    return [...problems.slice(0, fileProblems), ...rest.map((x) => x.p)];
}

/** What one sink reads for itself, and the doctor's findings on its configuration (run for the stack, then once per sink). */
function readSinkSections(r: Reader, afterAccount: () => void = () => undefined) {
    const account = readAccount(r);
    afterAccount(); // the stack's own sections read between (problems are listed in the order they are found)
    const connector = readConnector(r);
    const capacity = readCapacity(r);
    const executionRole = readExecutionRole(r);
    const logGroup = readLogGroup(r, account.region);
    const verification = readVerification(r);
    const operation = readOperation(r, account);
    const { connectorConfiguration, findings } = buildConnectorConfiguration(r, { ...account, ...connector, verification });
    const prefix = readVerifyPrefix(r, connectorConfiguration, connector.topics);
    checkVerifiable(r, connectorConfiguration, verification.enabled, connector.topics);
    const warnings = findings.filter((f) => f.severity === "warning");
    return {
        ...account,
        ...connector,
        connectorConfiguration,
        capacity,
        executionRole,
        logGroup,
        verification: { ...verification, prefix },
        ...operation,
        warnings,
    };
}

/**
 * The sinks: one, `default`, being the stack's own settings, unless `sinks` names them; then each is read by the same
 * sections over the stack's raw config with its own fields in place (a sink that sets no connectorName gets the
 * stack's followed by its name; a targetBucket of its own is looked up, never created).
 */
function readSinks(r: Reader, stack: SinkView): SinkSettings[] {
    const fields = readSinkFields(r);
    if (fields === undefined) return [{ name: DEFAULT_SINK, legacyNames: true, keyPrefix: `${PROJECT}:`, ownFields: [], settings: stack }];
    const sinks = [...fields].map(([name, own]): SinkSettings => {
        const withName = "connectorName" in own ? own : { ...own, connectorName: sinkConnectorName(stack.connectorName, name) };
        const sr = sinkReader(r, withName);
        const read = readSinkSections(sr);
        adoptSinkProblems(r, sr, name);
        const targetBucket = {
            name: read.targetBucket.name,
            create: stack.targetBucket.create && read.targetBucket.name === stack.targetBucket.name,
        };
        return {
            name,
            legacyNames: name === DEFAULT_SINK,
            keyPrefix: `${PROJECT}:sinks.${name}.`,
            ownFields: Object.keys(own),
            settings: { ...stack, ...read, targetBucket, opaqueSecrets: [...stack.opaqueSecrets, ...sr.opaque] },
        };
    });
    checkAcrossSinks(r, sinks);
    return sinks;
}

/** Validate and type the raw stack config. Throws `StackConfigError` listing every problem. */
export function parseStackConfig(raw: RawConfig, options: ParseOptions): StackSettings {
    const r = new Reader(raw, new Set(options.secretKeys ?? []), options.fileProblems);
    checkKeys(r);
    const shared = {} as { awsProvider: StackSettings["awsProvider"]; plugin: StackSettings["plugin"] };
    const own = readSinkSections(r, () => {
        shared.awsProvider = readAwsProvider(r);
        shared.plugin = readPlugin(r, options.baseDir ?? process.cwd());
    });
    const { awsProvider, plugin } = shared;
    const stack: SinkView = {
        stack: options.stack,
        awsProvider,
        plugin,
        ...own,
        opaqueSecrets: r.opaque,
        readingNotes: options.notes ?? [],
    };
    const sinks = readSinks(r, stack);

    if (r.problems.length > 0) {
        // Without the stack's own extra keys (a secret this run cannot read), the doctor's warnings are not about the stack.
        const doctor = r.isOpaque("extraConnectorConfig") ? [] : sinks.flatMap(sinkWarnings);
        // The same warnings, in the same order, as a run without problems gives (the plan lists those).
        const shown: ConfigWarning[] = [
            ...(options.notes ?? []).filter((n) => !r.problems.some((p) => noteConcerns(n, p.key))).map(noteWarning), // the rest are told inside their problem
            ...(options.fileWarnings ?? []),
            ...(r.usable("pluginSha256") ? placeholderDigestWarning(plugin.source.sha256, plugin.version) : []),
            ...doctor,
            ...checksOutsideProviderWarnings(awsProvider),
        ];
        const ordered = inFileOrder(r.problems, options.fileProblems?.length ?? 0, options.keyOrder);
        throw new StackConfigError(options.stack, withNotes(ordered, options.notes ?? []), shown);
    }
    return { ...stack, sinks };
}

/** A sink's doctor finding as the program logs it: under the sink's name when the stack names its sinks. */
export function sinkFindingLine(sink: SinkSettings, f: Finding): string {
    return `${sink.keyPrefix === `${PROJECT}:` ? "" : `sink "${sink.name}": `}${formatFinding(f)}`;
}

/** A sink's doctor warnings on the setting to change (under `sinks.<name>` when the stack names its sinks). */
export function sinkWarnings(sink: SinkSettings): ConfigWarning[] {
    return sink.settings.warnings.map((f) => {
        const w = findingWarning(f);
        return w.key.startsWith(`${PROJECT}:`) ? { ...w, key: w.key.replace(`${PROJECT}:`, sink.keyPrefix) } : w;
    });
}

/** Validate a stack file read offline: its own problems and notes go with the settings' problems. */
export function parseStackFile(file: StackFile, baseDir: string): StackSettings {
    return parseStackConfig(file.raw, {
        stack: file.stack,
        secretKeys: file.secretKeys,
        baseDir,
        notes: file.notes,
        fileProblems: file.problems,
        fileWarnings: defaultProvidersWarning(file.raw),
        keyOrder: Object.keys(file.raw),
    });
}
