/**
 * What a connector health check is asked (options), what it answers (result), how it fails, its defaults,
 * and how its messages name the connector and where to look.
 */
import { logGroupConsoleUrl } from "../common";

export interface ConnectorHealthOptions {
    /** The connector's ARN, or its exact name (then resolved with ListConnectors in `region`). */
    readonly connector: string;
    readonly region: string;
    /** URL of an MSK Connect-compatible server (the local stand-in in tests); AWS's endpoint when unset. */
    readonly endpoint?: string;
    /** A profile from the shared AWS config files; the ambient credential chain when unset. */
    readonly profile?: string;
    /**
     * The connector configuration this stack asked for. When unset the live configuration is not compared
     * and the result says `configuration.status: "not-checked"`.
     */
    readonly expectedConfiguration?: Readonly<Record<string, string>>;
    /**
     * Where the expected configuration came from when it is not a stack's (e.g. the file given to `npm run verify -- --expected-config`):
     * a drift message then names it and gives no stack advice. @default the stack
     */
    readonly expectedConfigurationSource?: string;
    /** Overall deadline for the whole check, every wait and retry included. @default 900 */
    readonly timeoutSeconds?: number;
    /** Time between two looks at a connector or operation still in progress; may be fractional. @default 15 */
    readonly pollIntervalSeconds?: number;
    /** Time-out of one API request (never beyond the overall deadline). @default 20 */
    readonly requestTimeoutSeconds?: number;
    /** Called with a line of progress (states seen, retries). */
    readonly onProgress?: (message: string) => void;
    /** For messages: the connector's log group (else the one DescribeConnector reports, if any). */
    readonly logGroupName?: string;
    /** For messages: the connector's Pulumi URN, to print the exact `pulumi up --replace` command. */
    readonly connectorUrn?: string;
}

/** The operation whose outcome the check judged. */
export interface CheckedOperation {
    readonly arn: string;
    /** e.g. UPDATE_CONNECTOR_CONFIGURATION, UPDATE_WORKER_SETTING. */
    readonly type: string;
    /** UPDATE_COMPLETE in a result; the failing state in an error's details. */
    readonly state: string;
    /** ISO 8601. */
    readonly creationTime: string;
    readonly endTime?: string;
}

export interface ConfigurationCheck {
    /** "matched": every key compared equal; "not-checked": no expected configuration was given. */
    readonly status: "matched" | "not-checked";
    /** Keys whose values were compared and equal. */
    readonly keysCompared: number;
    /** Keys whose live value AWS hid (redacted): present on both sides, value unknown, not compared. */
    readonly redactedByAws: string[];
}

export interface ConnectorHealthResult {
    readonly connectorArn: string;
    readonly connectorName: string;
    /** Always RUNNING in a result (any other state is an error). */
    readonly state: string;
    /** When the connector was created (ISO 8601), as DescribeConnector says; null when it does not say. */
    readonly createdAt: string | null;
    /** The newest update operation, which completed; null when the connector was never updated. */
    readonly operation: CheckedOperation | null;
    readonly configuration: ConfigurationCheck;
    readonly consoleUrl: string;
    readonly logGroupName: string | null;
    readonly logGroupUrl: string | null;
    /** One line saying what was checked and found. */
    readonly summary: string;
    /** Things a person should know that do not fail the check (e.g. values AWS hid). */
    readonly notes: string[];
    readonly checkedAt: string;
}

export type ConnectorHealthErrorKind =
    /** An option is missing or out of range. */
    | "bad-input"
    /** No connector with that ARN (404) or exactly that name. */
    | "connector-not-found"
    /** Two or more connectors carry exactly that name. */
    | "ambiguous-name"
    /** The connector is FAILED. */
    | "connector-failed"
    /** The connector is DELETING, PAUSING or PAUSED, or in a state this check does not know. */
    | "connector-not-running"
    /** Still CREATING/UPDATING/RESTARTING/RESUMING at the deadline. */
    | "connector-timeout"
    /** The newest update ended UPDATE_FAILED or ROLLBACK_FAILED (or another state that is not success). */
    | "update-failed"
    /** The newest update ended ROLLBACK_COMPLETE: the connector runs its previous configuration. */
    | "update-rolled-back"
    /** The newest update was still in progress at the deadline. */
    | "update-timeout"
    /** The live configuration differs from the expected one. */
    | "config-drift"
    /** 401/403: the identity may not make the call. */
    | "access-denied"
    /** No AWS credentials were found for the call. */
    | "credentials"
    /** The deadline passed while MSK Connect kept answering 429. */
    | "throttled"
    /** The deadline passed while MSK Connect kept answering 5xx. */
    | "service-error"
    /** The deadline passed while requests got no answer in time. */
    | "api-timeout"
    /** Connection refused, reset or name not resolved. */
    | "unreachable"
    /** Any other answer the check cannot act on (e.g. 400 BadRequestException). */
    | "api-error";

/** What the check knew when it failed; every field that was known is set. */
export interface ConnectorHealthDetails {
    readonly connectorArn?: string;
    readonly connectorName?: string;
    readonly state?: string;
    readonly stateDescription?: { code?: string; message?: string };
    readonly operation?: CheckedOperation;
    readonly errorInfo?: { code?: string; message?: string };
    readonly failedSteps?: string[];
    /** For config-drift: the differences, values of credential-like keys redacted. */
    readonly differences?: string[];
    /** The last API error, for throttled/service-error/api-timeout/unreachable. */
    readonly lastError?: string;
    readonly consoleUrl?: string;
    readonly logGroupName?: string;
}

/**
 * How the check fails. Serialized into a dynamic provider, a class that extends Error becomes a function
 * that calls `Error.call(this, message)`, which sets no `message` (and `instanceof Error` no longer holds):
 * so the message is assigned here as well, and `isConnectorHealthError` recognises one either way.
 */
export class ConnectorHealthError extends Error {
    constructor(
        readonly kind: ConnectorHealthErrorKind,
        message: string,
        readonly details: ConnectorHealthDetails = {},
    ) {
        super(message);
        this.message = message;
        this.name = "ConnectorHealthError";
    }
}

export function isConnectorHealthError(e: unknown): e is ConnectorHealthError {
    const x = e as Partial<ConnectorHealthError> | null | undefined;
    return (
        typeof x === "object" &&
        x !== null &&
        x.name === "ConnectorHealthError" &&
        typeof x.kind === "string" &&
        typeof x.message === "string"
    );
}

export const HEALTH_DEFAULTS = {
    timeoutSeconds: 900,
    pollIntervalSeconds: 15,
    requestTimeoutSeconds: 20,
    /** Connection set-up time-out of one request, at most the request time-out. */
    connectionTimeoutSeconds: 5,
    /** Connection refused / host not found this many times in a row is not transient: fail without waiting. */
    refusedAttempts: 3,
};

/** The connector as messages name it. */
export interface ConnectorRef {
    readonly arn: string;
    readonly name: string;
    readonly region: string;
    readonly consoleUrl: string;
    readonly logGroupName?: string;
    readonly urn?: string;
}

/** The sentence that ends a failure message: the console link and the log group (with its console link). */
export function whereToLook(ref: ConnectorRef): string {
    const logs = ref.logGroupName
        ? `its worker logs in the log group ${ref.logGroupName} (${logGroupConsoleUrl(ref.region, ref.logGroupName)})`
        : "its worker logs (the connector reports no CloudWatch log group)";
    return `Look at the connector in the console (${ref.consoleUrl}) and ${logs}.`;
}
