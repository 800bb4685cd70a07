/**
 * The MSK Connect client a connector health check uses, and every call it makes: each request with its own
 * time-out (never past the overall deadline), throttling (429), 5xx, time-outs and resets retried with
 * backoff until the deadline, and any other error turned into a message that says what to fix.
 *
 * Serialization-safe: the SDK is required inside `makeKafkaConnectClient`; nothing here holds a client or
 * credentials between calls.
 */
import type { KafkaConnectClient } from "@aws-sdk/client-kafkaconnect";
import { ConnectorHealthError, ConnectorHealthErrorKind, HEALTH_DEFAULTS } from "./connectorHealthTypes";

/** A client with the SDK's own retries off (the caller retries against its deadline) and request time-outs. */
export function makeKafkaConnectClient(o: {
    region: string;
    endpoint?: string;
    profile?: string;
    requestTimeoutMs: number;
}): KafkaConnectClient {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { KafkaConnectClient: Client } = require("@aws-sdk/client-kafkaconnect") as typeof import("@aws-sdk/client-kafkaconnect");
    return new Client({
        region: o.region,
        ...(o.endpoint ? { endpoint: o.endpoint } : {}),
        ...(o.profile ? { profile: o.profile } : {}),
        maxAttempts: 1,
        requestHandler: {
            connectionTimeout: Math.min(o.requestTimeoutMs, HEALTH_DEFAULTS.connectionTimeoutSeconds * 1000),
            requestTimeout: o.requestTimeoutMs,
            throwOnRequestTimeout: true,
        },
    });
}

/** Everything a call needs besides its own arguments. */
export interface KafkaConnectContext {
    readonly client: KafkaConnectClient;
    /** Epoch milliseconds after which no call starts and no retry waits. */
    readonly deadline: number;
    readonly timeoutSeconds: number;
    readonly requestTimeoutMs: number;
    readonly pollMs: number;
    readonly region: string;
    readonly endpoint?: string;
    /** Whether the stack named an AWS profile (its name is not repeated in messages: it may be a secret). */
    readonly withProfile?: boolean;
    readonly onProgress?: (message: string) => void;
    /** The flags that name this connector in a command a message suggests (`--stack dev`), from `npm run connector`. */
    readonly commandTarget?: string;
    /** False when the connector was named outside any stack (`--connector`): a not-found message then leaves `pulumi refresh` out. */
    readonly managedByStack?: boolean;
}

/** What a context is opened with: where, as whom, and how patient. */
export interface KafkaConnectContextOptions {
    readonly region: string;
    readonly endpoint?: string;
    readonly profile?: string;
    /** The whole run's deadline, every wait and retry included. @default 900 */
    readonly timeoutSeconds?: number;
    /** @default 15 */
    readonly pollIntervalSeconds?: number;
    /** @default 20 */
    readonly requestTimeoutSeconds?: number;
    readonly onProgress?: (message: string) => void;
    /** See KafkaConnectContext.commandTarget. */
    readonly commandTarget?: string;
    /** See KafkaConnectContext.managedByStack. @default true */
    readonly managedByStack?: boolean;
}

/** A context with a new client and a deadline starting now; the caller destroys `client` when done. */
export function openKafkaConnectContext(o: KafkaConnectContextOptions): KafkaConnectContext {
    const timeoutSeconds = o.timeoutSeconds ?? HEALTH_DEFAULTS.timeoutSeconds;
    const requestTimeoutMs = Math.round((o.requestTimeoutSeconds ?? HEALTH_DEFAULTS.requestTimeoutSeconds) * 1000);
    return {
        client: makeKafkaConnectClient({ region: o.region, endpoint: o.endpoint, profile: o.profile, requestTimeoutMs }),
        deadline: Date.now() + timeoutSeconds * 1000,
        timeoutSeconds,
        requestTimeoutMs,
        pollMs: (o.pollIntervalSeconds ?? HEALTH_DEFAULTS.pollIntervalSeconds) * 1000,
        region: o.region,
        ...(o.endpoint ? { endpoint: o.endpoint } : {}),
        ...(o.profile ? { withProfile: true } : {}),
        ...(o.onProgress ? { onProgress: o.onProgress } : {}),
        ...(o.commandTarget ? { commandTarget: o.commandTarget } : {}),
        ...(o.managedByStack === false ? { managedByStack: false } : {}),
    };
}

/** The API action (its IAM action is `kafkaconnect:<action>`) and what it was asked about. */
export interface KafkaConnectCall {
    readonly action:
        | "DescribeConnector"
        | "ListConnectors"
        | "ListConnectorOperations"
        | "DescribeConnectorOperation"
        | "PauseConnector"
        | "ResumeConnector"
        | "RestartConnector";
    /** An ARN, or `*` for ListConnectors. */
    readonly resource: string;
}

interface ApiErrorLike {
    name?: string;
    code?: string;
    message?: string;
    cause?: { code?: string; name?: string };
    $metadata?: { httpStatusCode?: number };
}

type TransientKind = Extract<ConnectorHealthErrorKind, "throttled" | "service-error" | "api-timeout" | "unreachable">;

const NETWORK_CODES = ["ECONNREFUSED", "ECONNRESET", "EPIPE", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"];
/** Errors that do not go away by waiting: a few in a row and the check stops. */
const REFUSED_CODES = ["ECONNREFUSED", "ENOTFOUND"];

function networkCode(err: unknown): string | undefined {
    const e = (err ?? {}) as ApiErrorLike;
    return [e.code, e.cause?.code].find((c): c is string => c !== undefined && NETWORK_CODES.includes(c));
}

/** The kind of a transient error (worth retrying), or undefined for one that waiting will not fix. */
export function kafkaConnectTransientKind(err: unknown): TransientKind | undefined {
    const e = (err ?? {}) as ApiErrorLike;
    const status = e.$metadata?.httpStatusCode;
    if (status === 429 || e.name === "TooManyRequestsException" || e.name === "ThrottlingException") return "throttled";
    if ((status !== undefined && status >= 500) || e.name === "InternalServerErrorException" || e.name === "ServiceUnavailableException") {
        return "service-error";
    }
    if (networkCode(err)) return "unreachable";
    if (e.name === "TimeoutError" || e.name === "AbortError" || e.code === "ETIMEDOUT") return "api-timeout";
    return undefined;
}

/** An error in one line: its name, HTTP status and message. */
export function kafkaConnectErrorLine(err: unknown): string {
    const e = (err ?? {}) as ApiErrorLike;
    const status = e.$metadata?.httpStatusCode;
    const code = networkCode(err);
    if (kafkaConnectTransientKind(err) === "api-timeout") return "no answer in time (the request timed out)";
    const message = (e.message ?? String(err)).split("\n")[0].trim();
    return `${e.name ?? "Error"}${status ? ` (HTTP ${status})` : ""}${code && !message.includes(code) ? ` ${code}` : ""}: ${message || "no message"}`;
}

export function kafkaConnectWhere(api: Pick<KafkaConnectContext, "region" | "endpoint">): string {
    return api.endpoint ? `the MSK Connect endpoint ${api.endpoint}` : `MSK Connect in ${api.region}`;
}

/** Seconds for a message: two decimals below 1 s, one below 10 s. */
export function formatSeconds(ms: number): string {
    const s = ms / 1000;
    const digits = s < 1 ? 100 : s < 10 ? 10 : 1;
    return `${Math.round(s * digits) / digits} s`;
}

/** The error for a call that could not succeed before the deadline, named after its last error. */
export function kafkaConnectDeadlineError(api: KafkaConnectContext, call: KafkaConnectCall, lastError: unknown): ConnectorHealthError {
    const kind = kafkaConnectTransientKind(lastError) ?? "api-timeout";
    const where = kafkaConnectWhere(api);
    const lead: Record<TransientKind, string> = {
        throttled: `${where} kept throttling the check (429); run it again later, or give it a longer deadline`,
        "service-error": `${where} kept failing with server errors (5xx); check the AWS Health Dashboard and run the check again`,
        "api-timeout": `${where} did not answer in time; check the endpoint, network and proxy settings`,
        unreachable: `cannot reach ${where}; check the endpoint, network and proxy settings`,
    };
    const last = lastError === undefined ? "none (the deadline passed before the call)" : kafkaConnectErrorLine(lastError);
    return new ConnectorHealthError(
        kind,
        `${call.action}${call.resource === "*" ? "" : ` on ${call.resource}`} did not succeed within the check's ${api.timeoutSeconds} s deadline: ${lead[kind]}. Last error: ${last}.`,
        { lastError: last },
    );
}

const REQUIRED_ACTIONS =
    "kafkaconnect:ListConnectors, kafkaconnect:DescribeConnector, kafkaconnect:ListConnectorOperations and kafkaconnect:DescribeConnectorOperation";

/** An error waiting will not fix, as a message that says what to do. */
export function explainKafkaConnectError(err: unknown, api: KafkaConnectContext, call: KafkaConnectCall): ConnectorHealthError {
    const e = (err ?? {}) as ApiErrorLike;
    const status = e.$metadata?.httpStatusCode;
    const line = kafkaConnectErrorLine(err);
    if (e.name === "CredentialsProviderError") {
        const source = api.withProfile
            ? "the AWS profile the stack names (aws:profile): check that it exists in ~/.aws/config and is signed in (aws sso login --profile …)"
            : "an AWS profile (AWS_PROFILE), environment variables (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY) or an instance role";
        return new ConnectorHealthError(
            "credentials",
            `no AWS credentials for ${call.action} on ${kafkaConnectWhere(api)}: ${e.message}. The check takes them from ${source}.`,
            { lastError: line },
        );
    }
    if (status === 401 || status === 403 || /Forbidden|Unauthorized|AccessDenied|UnrecognizedClient/.test(e.name ?? "")) {
        return new ConnectorHealthError(
            "access-denied",
            `access denied: the identity running the check needs kafkaconnect:${call.action} on ${call.resource} (${line}). The check uses ${REQUIRED_ACTIONS}; grant them, or run it as an identity that has them.`,
            { lastError: line },
        );
    }
    if ((status === 404 || e.name === "NotFoundException") && call.action !== "DescribeConnectorOperation") {
        return new ConnectorHealthError(
            "connector-not-found",
            `no connector ${call.resource} in ${kafkaConnectWhere(api)} (${line}). Check the connector's ARN and the region${api.managedByStack === false ? "" : "; if it was deleted outside Pulumi, run `pulumi refresh`"}.`,
            { connectorArn: call.resource, lastError: line },
        );
    }
    return new ConnectorHealthError("api-error", `${call.action} on ${call.resource} failed in ${kafkaConnectWhere(api)}: ${line}`, {
        lastError: line,
    });
}

function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Exponential backoff with jitter, from a fraction of the poll interval up to 20 s (or the poll interval). */
function backoffMs(attempt: number, pollMs: number): number {
    const base = Math.min(pollMs, 1000);
    const cap = Math.max(pollMs, 20000);
    return Math.min(cap, base * 2 ** Math.min(attempt - 1, 16)) * (0.5 + Math.random() / 2);
}

/**
 * Run one API call: each attempt with a time-out of at most the time left, transient errors retried with
 * backoff until the deadline. `onDeadline` may name the deadline's error itself (a wait that has already
 * seen a state says so); it gets the last error's line, if any.
 */
export async function callKafkaConnect<T>(
    api: KafkaConnectContext,
    call: KafkaConnectCall,
    run: (abortSignal: AbortSignal) => Promise<T>,
    onDeadline?: (lastError: string | undefined) => Error | undefined,
): Promise<T> {
    let lastError: unknown;
    let refused = 0;
    for (let attempt = 1; ; attempt++) {
        const remaining = api.deadline - Date.now();
        if (remaining <= 0) {
            throw (
                onDeadline?.(lastError === undefined ? undefined : kafkaConnectErrorLine(lastError)) ??
                kafkaConnectDeadlineError(api, call, lastError)
            );
        }
        const budget = Math.min(api.requestTimeoutMs, remaining);
        try {
            return await run(AbortSignal.timeout(budget));
        } catch (err) {
            const kind = kafkaConnectTransientKind(err);
            if (!kind) throw explainKafkaConnectError(err, api, call);
            // An attempt the deadline cut short says nothing new: keep the error before it to name.
            if (!(kind === "api-timeout" && budget < api.requestTimeoutMs && lastError !== undefined)) lastError = err;
            refused = REFUSED_CODES.includes(networkCode(err) ?? "") ? refused + 1 : 0;
            if (refused >= HEALTH_DEFAULTS.refusedAttempts) throw refusedError(api, call, err, refused);
            const wait = Math.min(backoffMs(attempt, api.pollMs), Math.max(0, api.deadline - Date.now()));
            api.onProgress?.(`${call.action}: ${kafkaConnectErrorLine(err)}; retrying in ${formatSeconds(wait)}`);
            await sleep(wait);
        }
    }
}

/** Refused connections (or a name that does not resolve) several times in a row: no point waiting. */
function refusedError(api: KafkaConnectContext, call: KafkaConnectCall, err: unknown, times: number): ConnectorHealthError {
    const line = kafkaConnectErrorLine(err);
    return new ConnectorHealthError(
        "unreachable",
        `cannot reach ${kafkaConnectWhere(api)} for ${call.action} (${line}, ${times} times in a row): check the endpoint, region, network and proxy settings.`,
        { lastError: line },
    );
}

/**
 * Look with `observe` until `settled` says the wait is over (it throws for a failure); between looks wait
 * the poll interval. When the deadline passes, `timedOut` names what was last seen (and the last API
 * error, if the last look itself failed).
 */
export async function pollKafkaConnect<T>(
    api: KafkaConnectContext,
    o: {
        observe: (onDeadline: (lastError: string | undefined) => Error | undefined) => Promise<T>;
        settled: (seen: T) => boolean;
        /** The error for the deadline (a ConnectorHealthError, or another room's own error). */
        timedOut: (seen: T, lastError?: string) => Error;
        waiting: (seen: T, look: number, nextMs: number) => string;
    },
): Promise<T> {
    let last: { seen: T } | undefined;
    const onDeadline = (lastError: string | undefined) => (last ? o.timedOut(last.seen, lastError) : undefined);
    for (let look = 1; ; look++) {
        const seen = await o.observe(onDeadline);
        last = { seen };
        if (o.settled(seen)) return seen;
        const remaining = api.deadline - Date.now();
        if (remaining <= 0) throw o.timedOut(seen);
        const wait = Math.min(api.pollMs, remaining);
        api.onProgress?.(o.waiting(seen, look, wait));
        await sleep(wait);
    }
}

/** The items of every page of a list call, following nextToken (each page a call with its own retries). */
export async function allKafkaConnectPages<T>(
    api: KafkaConnectContext,
    call: KafkaConnectCall,
    page: (nextToken: string | undefined, abortSignal: AbortSignal) => Promise<{ items?: T[]; nextToken?: string }>,
): Promise<T[]> {
    const all: T[] = [];
    let nextToken: string | undefined;
    do {
        const token = nextToken;
        const answer = await callKafkaConnect(api, call, (abortSignal) => page(token, abortSignal));
        all.push(...(answer.items ?? []));
        nextToken = answer.nextToken;
    } while (nextToken);
    return all;
}
