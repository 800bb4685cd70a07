/**
 * Connector health: the proof that this deploy's connector runs, that its newest update took, and that it
 * runs the configuration the stack asked for. DescribeConnector until RUNNING (waiting through CREATING,
 * UPDATING, RESTARTING, RESUMING), the newest update operation (see connectorOperations.ts), then the live
 * connectorConfiguration compared key by key. A name is resolved with ListConnectors. Used by the dynamic
 * provider and `npm run verify` alike.
 *
 * Serialization-safe: the SDK is required inside the functions and the client is created (and destroyed)
 * inside `checkConnectorHealth`; credentials come from the ambient chain (or the profile given).
 */
import type { ConnectorSummary, DescribeConnectorResponse } from "@aws-sdk/client-kafkaconnect";
import { connectorConsoleUrl, logGroupConsoleUrl, nearest } from "../common";
import { ConfigDiff, describeDifferences, diffConfiguration, hasDifferences } from "./configDiff";
import {
    CheckedOperation,
    ConfigurationCheck,
    ConnectorHealthError,
    ConnectorHealthOptions,
    ConnectorHealthResult,
    ConnectorRef,
    whereToLook,
} from "./connectorHealthTypes";
import { checkNewestUpdate } from "./connectorOperations";
import {
    allKafkaConnectPages,
    callKafkaConnect,
    KafkaConnectContext,
    openKafkaConnectContext,
    pollKafkaConnect,
    formatSeconds,
    kafkaConnectWhere,
} from "./kafkaConnectClient";

const WAITING_STATES = ["CREATING", "UPDATING", "RESTARTING", "RESUMING"];

/** True for a connector ARN (any partition); anything else is taken as a name. */
export function isConnectorArn(value: string): boolean {
    return /^arn:aws[a-z-]*:kafkaconnect:[^:]*:\d{12}:connector\/./.test(value);
}

/** Every problem with the options, in one error. */
export function validateHealthOptions(o: ConnectorHealthOptions): void {
    const problems: string[] = [];
    if (typeof o.connector !== "string" || o.connector.trim() === "")
        problems.push("connector: give the connector's ARN or its exact name");
    if (typeof o.region !== "string" || o.region.trim() === "") problems.push("region: give the connector's AWS region, e.g. us-east-1");
    for (const key of ["timeoutSeconds", "pollIntervalSeconds", "requestTimeoutSeconds"] as const) {
        const v = o[key];
        if (v !== undefined && !(typeof v === "number" && Number.isFinite(v) && v > 0)) {
            problems.push(
                `${key}: got ${typeof v === "string" ? JSON.stringify(v) : String(v)}; expected a number of seconds above 0 (fractions allowed)`,
            );
        }
    }
    const expected: unknown = o.expectedConfiguration;
    const isMap = expected === undefined || (typeof expected === "object" && expected !== null && !Array.isArray(expected));
    if (!isMap)
        problems.push(`expectedConfiguration: got ${JSON.stringify(expected)}; expected a map of configuration keys to string values`);
    const bad = isMap ? Object.entries(o.expectedConfiguration ?? {}).filter(([, v]) => typeof v !== "string") : [];
    if (bad.length) problems.push(`expectedConfiguration: values must be strings; not a string: ${bad.map(([k]) => k).join(", ")}`);
    if (problems.length) throw new ConnectorHealthError("bad-input", `the connector health check cannot run: ${problems.join("; ")}.`);
}

async function listConnectorsByPrefix(api: KafkaConnectContext, prefix: string | undefined): Promise<ConnectorSummary[]> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { ListConnectorsCommand } = require("@aws-sdk/client-kafkaconnect") as typeof import("@aws-sdk/client-kafkaconnect");
    return allKafkaConnectPages(api, { action: "ListConnectors", resource: "*" }, async (nextToken, abortSignal) => {
        const page = await api.client.send(new ListConnectorsCommand({ connectorNamePrefix: prefix, nextToken, maxResults: 100 }), {
            abortSignal,
        });
        return { items: page.connectors, nextToken: page.nextToken };
    });
}

/**
 * The ARN of the one connector with exactly this name, leaving out one being deleted (a replaced connector's
 * old self); a clear error for none or several.
 */
export async function resolveConnectorName(api: KafkaConnectContext, name: string): Promise<string> {
    const found = await listConnectorsByPrefix(api, name);
    const named = found.filter((c) => c.connectorName === name);
    const exact = named.filter((c) => c.connectorState !== "DELETING");
    if (exact.length === 1 && exact[0].connectorArn) return exact[0].connectorArn;
    if (exact.length === 0 && named.length > 0) {
        throw new ConnectorHealthError(
            "connector-not-found",
            `the only connector named "${name}" in ${kafkaConnectWhere(api)} is being deleted (${named.map((c) => c.connectorArn).join(", ")}). If the stack is replacing it, run the check again once \`pulumi up\` has created the new one.`,
            { connectorName: name },
        );
    }
    if (exact.length > 1) {
        const list = exact.map((c) => `${c.connectorArn} (${c.connectorState}, created ${c.creationTime?.toISOString() ?? "?"})`);
        throw new ConnectorHealthError(
            "ambiguous-name",
            `${exact.length} connectors are named "${name}" in ${kafkaConnectWhere(api)}: ${list.join("; ")}. Pass the ARN of the one to check instead of the name.`,
            { connectorName: name },
        );
    }
    let seen = `connectors whose names start with it: ${found.map((c) => c.connectorName).join(", ")}`;
    if (!found.length) {
        const guess = nearest(
            name,
            (await listConnectorsByPrefix(api, undefined)).map((c) => c.connectorName ?? ""),
        );
        seen = `no connector's name starts with it${guess ? `; did you mean "${guess}"?` : ""}`;
    }
    throw new ConnectorHealthError(
        "connector-not-found",
        `no connector named "${name}" in ${kafkaConnectWhere(api)} (${seen}). Check the name (it must match exactly) and the region, or pass the connector's ARN.`,
        { connectorName: name },
    );
}

function refOf(o: ConnectorHealthOptions, arn: string, d?: DescribeConnectorResponse): ConnectorRef {
    const cw = d?.logDelivery?.workerLogDelivery?.cloudWatchLogs;
    const logGroupName = o.logGroupName ?? (cw?.enabled !== false ? cw?.logGroup : undefined);
    return {
        arn,
        name: d?.connectorName ?? (isConnectorArn(o.connector) ? arn : o.connector),
        region: o.region,
        consoleUrl: connectorConsoleUrl(o.region, arn),
        ...(logGroupName ? { logGroupName } : {}),
        ...(o.connectorUrn ? { urn: o.connectorUrn } : {}),
    };
}

function stateReason(d: DescribeConnectorResponse): string {
    const sd = d.stateDescription;
    return sd?.code || sd?.message ? `AWS says ${sd.code ?? "(no code)"}: ${sd.message ?? "(no message)"}` : "AWS gave no stateDescription";
}

function stateDetails(ref: ConnectorRef, d: DescribeConnectorResponse) {
    return {
        connectorArn: ref.arn,
        connectorName: ref.name,
        state: d.connectorState ?? "(none)",
        ...(d.stateDescription ? { stateDescription: { code: d.stateDescription.code, message: d.stateDescription.message } } : {}),
        consoleUrl: ref.consoleUrl,
        ...(ref.logGroupName ? { logGroupName: ref.logGroupName } : {}),
    };
}

/** The command that replaces a failed connector, exactly when the URN is known. */
function replaceHint(ref: ConnectorRef): string {
    const command = ref.urn
        ? `\`pulumi up --replace '${ref.urn}'\``
        : "`pulumi up --replace '<the connector's URN>'` (`pulumi stack --show-urns` lists it)";
    return `A connector that failed creation stays failed; replace it after fixing the cause: ${command}.`;
}

export function connectorFailed(ref: ConnectorRef, d: DescribeConnectorResponse): ConnectorHealthError {
    return new ConnectorHealthError(
        "connector-failed",
        `connector ${ref.name} (${ref.arn}) is FAILED: ${stateReason(d)}. ${whereToLook(ref)} ${replaceHint(ref)} ` +
            "Connectors fail most often on the network: the client subnets need a route to S3 (a gateway VPC endpoint or a NAT gateway), and the cluster's security groups must admit the connector on port 9098.",
        stateDetails(ref, d),
    );
}

function connectorNotRunning(ref: ConnectorRef, d: DescribeConnectorResponse): ConnectorHealthError {
    const state = d.connectorState ?? "(no state)";
    const why =
        state === "DELETING"
            ? "it is being deleted"
            : state === "PAUSED" || state === "PAUSING"
              ? `a paused connector writes nothing; resume it (\`npm run connector -- resume --connector ${ref.arn}\`, or \`aws kafkaconnect resume-connector\`; with msk-s3-sink:connectorState paused, set it to running and run \`pulumi up\`) to verify it`
              : "this check knows RUNNING as healthy and CREATING, UPDATING, RESTARTING, RESUMING as transitional only";
    return new ConnectorHealthError(
        "connector-not-running",
        `connector ${ref.name} (${ref.arn}) is ${state}, not RUNNING: ${why} (${stateReason(d)}). ${whereToLook(ref)}`,
        stateDetails(ref, d),
    );
}

function connectorTimeout(
    api: KafkaConnectContext,
    ref: ConnectorRef,
    d: DescribeConnectorResponse,
    lastError?: string,
): ConnectorHealthError {
    return new ConnectorHealthError(
        "connector-timeout",
        `connector ${ref.name} (${ref.arn}) was still ${d.connectorState} after the check's ${api.timeoutSeconds} s deadline (${stateReason(d)})` +
            `${lastError ? `; the last look failed: ${lastError}` : ""}. ${whereToLook(ref)} Run the check again once it is RUNNING, or give it a longer deadline.`,
        { ...stateDetails(ref, d), ...(lastError ? { lastError } : {}) },
    );
}

/** DescribeConnector until RUNNING; FAILED, DELETING, PAUSED and unknown states fail at once. */
async function waitUntilRunning(api: KafkaConnectContext, o: ConnectorHealthOptions, arn: string): Promise<DescribeConnectorResponse> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { DescribeConnectorCommand } = require("@aws-sdk/client-kafkaconnect") as typeof import("@aws-sdk/client-kafkaconnect");
    return pollKafkaConnect(api, {
        observe: (onDeadline) =>
            callKafkaConnect(
                api,
                { action: "DescribeConnector", resource: arn },
                (abortSignal) => api.client.send(new DescribeConnectorCommand({ connectorArn: arn }), { abortSignal }),
                onDeadline,
            ),
        settled: (d) => {
            if (d.connectorState === "RUNNING") return true;
            if (WAITING_STATES.includes(d.connectorState ?? "")) return false;
            throw d.connectorState === "FAILED" ? connectorFailed(refOf(o, arn, d), d) : connectorNotRunning(refOf(o, arn, d), d);
        },
        timedOut: (d, lastError) => connectorTimeout(api, refOf(o, arn, d), d, lastError),
        waiting: (d, look, next) =>
            `connector ${refOf(o, arn, d).name} is ${d.connectorState} (look ${look}); next look in ${formatSeconds(next)}`,
    });
}

function configDrift(
    ref: ConnectorRef,
    diff: ConfigDiff,
    lines: string[],
    operation: CheckedOperation | null,
    source: string | undefined,
): ConnectorHealthError {
    const hidden = diff.redactedByAws.length ? `\nAWS hides the live values of ${diff.redactedByAws.join(", ")}: not compared.` : "";
    const outside = source === undefined ? " outside this stack" : "";
    const history = operation
        ? `Its newest update (${operation.type}, ${operation.creationTime}) completed, so the connector was changed${outside} since, or the update did not apply every key.`
        : `It was never updated, so it was created with, or changed${outside} to, another configuration.`;
    const asked = source === undefined ? "the one this stack asked for" : `the one in ${source}`;
    const fix =
        source === undefined
            ? "Run `pulumi up --refresh` to apply this stack's configuration again, or change the stack to match."
            : `Update the connector (with \`pulumi up\` in the stack that manages it), or correct ${source}.`;
    return new ConnectorHealthError(
        "config-drift",
        `the live configuration of connector ${ref.name} differs from ${asked} (${lines.length} difference${lines.length === 1 ? "" : "s"}):\n` +
            `${lines.map((l) => `  ${l}`).join("\n")}${hidden}\n${history} ${fix} ${whereToLook(ref)}`,
        {
            connectorArn: ref.arn,
            connectorName: ref.name,
            state: "RUNNING",
            ...(operation ? { operation } : {}),
            differences: lines,
            consoleUrl: ref.consoleUrl,
        },
    );
}

function compareConfiguration(
    o: ConnectorHealthOptions,
    ref: ConnectorRef,
    d: DescribeConnectorResponse,
    operation: CheckedOperation | null,
): ConfigurationCheck {
    if (!o.expectedConfiguration) return { status: "not-checked", keysCompared: 0, redactedByAws: [] };
    const live = d.connectorConfiguration ?? {};
    const diff = diffConfiguration(o.expectedConfiguration, live);
    if (hasDifferences(diff))
        throw configDrift(ref, diff, describeDifferences(diff, o.expectedConfiguration, live), operation, o.expectedConfigurationSource);
    return { status: "matched", keysCompared: diff.equal, redactedByAws: diff.redactedByAws };
}

function summaryOf(ref: ConnectorRef, operation: CheckedOperation | null, configuration: ConfigurationCheck): string {
    const op = operation
        ? `its newest update (${operation.type}, ${operation.creationTime}) is UPDATE_COMPLETE`
        : "it has no update operation";
    const config =
        configuration.status === "not-checked"
            ? "its configuration was not compared (none expected)"
            : `its live configuration matches the ${configuration.keysCompared} key(s) compared` +
              `${configuration.redactedByAws.length ? ` (AWS hides ${configuration.redactedByAws.length} value(s), not compared)` : ""}`;
    return `connector ${ref.name} is RUNNING; ${op}; ${config}`;
}

/** RUNNING, then the newest update, then (RUNNING again, with its configuration as of after the update) the comparison. */
async function checkArn(api: KafkaConnectContext, o: ConnectorHealthOptions, arn: string): Promise<ConnectorHealthResult> {
    let described = await waitUntilRunning(api, o, arn);
    for (;;) {
        const { operation, notes } = await checkNewestUpdate(api, refOf(o, arn, described));
        const after = await waitUntilRunning(api, o, arn);
        if (after.currentVersion !== described.currentVersion && described.currentVersion !== undefined) {
            api.onProgress?.(`connector ${after.connectorName} changed version while it was checked; checking its newest update again`);
            described = after;
            continue;
        }
        const ref = refOf(o, arn, after);
        const configuration = compareConfiguration(o, ref, after, operation);
        if (configuration.redactedByAws.length) {
            notes.push(`AWS hides the live values of ${configuration.redactedByAws.join(", ")}: they were not compared`);
        }
        return {
            connectorArn: arn,
            connectorName: ref.name,
            state: "RUNNING",
            createdAt: after.creationTime ? after.creationTime.toISOString() : null,
            operation,
            configuration,
            consoleUrl: ref.consoleUrl,
            logGroupName: ref.logGroupName ?? null,
            logGroupUrl: ref.logGroupName ? logGroupConsoleUrl(o.region, ref.logGroupName) : null,
            summary: summaryOf(ref, operation, configuration),
            notes,
            checkedAt: new Date().toISOString(),
        };
    }
}

/** The whole connector health check; throws a ConnectorHealthError whose `kind` says what failed. */
export async function checkConnectorHealth(o: ConnectorHealthOptions): Promise<ConnectorHealthResult> {
    validateHealthOptions(o);
    const api = openKafkaConnectContext(o);
    try {
        const arn = isConnectorArn(o.connector) ? o.connector : await resolveConnectorName(api, o.connector);
        return await checkArn(api, o, arn);
    } finally {
        api.client.destroy();
    }
}
