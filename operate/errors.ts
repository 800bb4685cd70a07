/**
 * How an operation on a connector fails: refused before AWS was called (with the reason and what to do),
 * failed in AWS (with its errorInfo and failed steps), still running at the deadline, or uncertain (the
 * call got no answer, so it may have started).
 */
export type OperateErrorKind =
    /** Refused before calling AWS: AWS would refuse it too (wrong state, version, another operation running). */
    | "refused"
    /** The operation ended `<KIND>_FAILED` (or another state that is not `<KIND>_COMPLETE`). */
    | "operation-failed"
    /** The operation was still in progress at the deadline. */
    | "operation-timeout"
    /** The connector (and its operations) disappeared while the operation was followed. */
    | "connector-deleted"
    /** The start call got no answer (time-out, 5xx, reset): the operation may or may not have started. */
    | "uncertain";

/** What was known when it failed; every field that was known is set. */
export interface OperateErrorDetails {
    readonly connectorArn?: string;
    readonly connectorName?: string;
    readonly state?: string;
    readonly operationArn?: string;
    readonly operationState?: string;
    readonly errorInfo?: { code?: string; message?: string };
    readonly failedSteps?: string[];
    readonly fix?: string;
    readonly consoleUrl?: string;
    readonly logGroupName?: string;
}

/**
 * Serialized into a dynamic provider or a Lambda, a class extending Error loses its `message` (see
 * ConnectorHealthError): it is assigned here as well, and `isOperateError` recognises one by its fields.
 */
export class OperateError extends Error {
    constructor(
        readonly kind: OperateErrorKind,
        message: string,
        readonly details: OperateErrorDetails = {},
    ) {
        super(message);
        this.message = message;
        this.name = "OperateError";
    }
}

export function isOperateError(e: unknown): e is OperateError {
    const x = e as Partial<OperateError> | null | undefined;
    return typeof x === "object" && x !== null && x.name === "OperateError" && typeof x.kind === "string" && typeof x.message === "string";
}
