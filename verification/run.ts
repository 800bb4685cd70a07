/**
 * One run of the check: its settings, its S3 client, and one deadline for everything it does. Every
 * request carries the deadline's abort signal, so nothing outlives it; transient errors are retried with
 * backoff until it passes; the time-out verdict names what the check was doing and the last error seen.
 */
import type { S3Client } from "@aws-sdk/client-s3";
import { describeCall, errorSummary, explainS3Error, isTransient, S3Api, S3Call, VerificationError } from "./errors";
import type { Baseline } from "./freshness";
import type { CheckSettings } from "./options";
import { CHECK_DEFAULTS } from "./types";

export interface Run {
    readonly o: CheckSettings;
    readonly client: S3Client;
    readonly startedAt: number;
    readonly deadlineAt: number;
    /** Aborted at the deadline: every request carries it. */
    readonly signal: AbortSignal;
    /** What the check is doing now, for progress and the time-out verdict. */
    doing: string;
    /** Advice for a time-out while doing it. */
    advice?: string;
    /** The last error that was retried (or that sent the check back to listing). */
    lastError?: string;
    /** The call the deadline cut short, if one was under way. */
    unfinished?: string;
    listings: number;
    /** Whether the user was told once that keys under the prefix are skipped. */
    noticedSkipped?: boolean;
    /** What was under the prefix before (fresh-data mode), once recorded. */
    baseline?: Baseline;
    /** Stop the deadline's timer. */
    end(): void;
}

export function startRun(o: CheckSettings, client: S3Client): Run {
    const controller = new AbortController();
    const startedAt = Date.now();
    const ms = o.timeoutSeconds * 1000;
    const timer = setTimeout(() => controller.abort(new Error(`the check's deadline of ${o.timeoutSeconds} s passed`)), ms);
    return {
        o,
        client,
        startedAt,
        deadlineAt: startedAt + ms,
        signal: controller.signal,
        doing: "starting",
        listings: 0,
        ...(o.fresh?.baseline ? { baseline: o.fresh.baseline } : {}),
        end: () => clearTimeout(timer),
    };
}

export function remainingMs(run: Run): number {
    return Math.max(0, run.deadlineAt - Date.now());
}

export function elapsedSeconds(run: Run): number {
    return Math.round((Date.now() - run.startedAt) / 1000);
}

export function progress(run: Run, message: string): void {
    run.o.onProgress?.(message);
}

/** Something the user should see even where progress is not shown (said once by the caller); progress otherwise. */
export function notice(run: Run, message: string): void {
    (run.o.onNotice ?? run.o.onProgress)?.(message);
}

/** The call a message names: this run's bucket, region and endpoint with the API and key. */
export function callOf(run: Run, api: S3Api, key: string): S3Call {
    return { api, bucket: run.o.bucket, key, region: run.o.region, ...(run.o.endpoint ? { endpoint: run.o.endpoint } : {}) };
}

/** The time-out verdict: what the check was doing, for how long, and the last error it saw. */
export function timedOut(run: Run): VerificationError {
    return new VerificationError(
        "timeout",
        `timed out after ${run.o.timeoutSeconds} s ${run.doing}` +
            `${run.advice ? `: ${run.advice}` : ""}` +
            `${run.unfinished ? `. ${run.unfinished} had not finished` : ""}` +
            `${run.lastError ? `. The last error was ${run.lastError.replace(/\.+$/, "")}` : ""}.`,
    );
}

/** Throw the time-out verdict once the deadline has passed. */
export function checkDeadline(run: Run): void {
    if (run.signal.aborted || Date.now() >= run.deadlineAt) throw timedOut(run);
}

/** Wait `ms`, or less when the deadline comes first. */
export function pause(run: Run, ms: number): Promise<void> {
    return new Promise((resolve) => {
        let timer: ReturnType<typeof setTimeout> | undefined = undefined;
        const done = (): void => {
            clearTimeout(timer);
            run.signal.removeEventListener("abort", done);
            resolve();
        };
        timer = setTimeout(done, Math.min(ms, remainingMs(run)));
        run.signal.addEventListener("abort", done, { once: true });
    });
}

/**
 * After a failed call: when the error is transient and both time and tries are left, note it, wait with
 * backoff and return, so the caller tries again. Otherwise throw: the time-out verdict once the deadline
 * has passed, else the error itself (a caller explains it, or falls back).
 */
export async function recover(
    run: Run,
    call: S3Call,
    err: unknown,
    attempt: number,
    maxAttempts = Number.POSITIVE_INFINITY,
): Promise<void> {
    if (run.signal.aborted && !(err instanceof VerificationError)) run.unfinished = describeCall(call);
    checkDeadline(run);
    if (err instanceof VerificationError || !isTransient(err)) throw err;
    run.lastError = `${describeCall(call)}: ${errorSummary(err)}`;
    if (attempt >= maxAttempts) throw err;
    const base = Math.min(CHECK_DEFAULTS.retryMaxDelayMs, CHECK_DEFAULTS.retryFirstDelayMs * 2 ** (attempt - 1));
    const delay = Math.round(base / 2 + (Math.random() * base) / 2);
    progress(
        run,
        `${run.lastError}; trying again in ${(delay / 1000).toFixed(1)} s (${elapsedSeconds(run)} s of ${run.o.timeoutSeconds} s)`,
    );
    await pause(run, delay);
    checkDeadline(run);
}

/** Call `fn` until it succeeds, retrying transient errors until the deadline (or `maxAttempts`). */
export async function retrying<T>(run: Run, call: S3Call, fn: () => Promise<T>, maxAttempts?: number): Promise<T> {
    for (let attempt = 1; ; attempt++) {
        checkDeadline(run);
        try {
            return await fn();
        } catch (err) {
            await recover(run, call, err, attempt, maxAttempts);
        }
    }
}

/** `retrying`, with any error left over explained as a verdict naming the call. */
export async function sendRetrying<T>(run: Run, call: S3Call, fn: () => Promise<T>): Promise<T> {
    try {
        return await retrying(run, call, fn);
    } catch (err) {
        throw explainS3Error(err, call);
    }
}
