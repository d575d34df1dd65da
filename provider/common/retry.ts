/**
 * Retry in three small pieces: classify (is this failure worth another attempt?) → decide (attempts left,
 * deadline not passed?) → delay (exponential backoff with full jitter, honouring Retry-After). `withRetry`
 * composes them and adds a per-attempt timeout (an AbortSignal handed to the attempt) and an overall deadline,
 * so a hung socket never hangs a lookup.
 */
import { CloudPhoneError, type Cloud } from "./errors";

export interface RetryPolicy {
    /** Attempts in total, including the first. */
    readonly maxAttempts: number;
    /** Base of the exponential backoff, milliseconds. */
    readonly baseDelayMs: number;
    /** Cap of one backoff delay (and of an honoured Retry-After), milliseconds. */
    readonly maxDelayMs: number;
    /** One attempt may take at most this long before it is aborted and counted as a TIMEOUT. */
    readonly attemptTimeoutMs: number;
    /** The whole operation (all attempts and delays of one request) must end by then, milliseconds. */
    readonly deadlineMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
    maxAttempts: 6,
    baseDelayMs: 250,
    maxDelayMs: 8_000,
    attemptTimeoutMs: 20_000,
    deadlineMs: 120_000,
});

/** Short waits for tests and emulator demos: same logic, millisecond delays. */
export const FAST_RETRY_POLICY: RetryPolicy = Object.freeze({
    maxAttempts: 4,
    baseDelayMs: 1,
    maxDelayMs: 10,
    attemptTimeoutMs: 1_000,
    deadlineMs: 15_000,
});

/** `CLOUDPHONE_RETRY_PROFILE=fast` selects FAST_RETRY_POLICY (tests, offline demos). */
export function retryPolicyFromEnv(env: NodeJS.ProcessEnv = process.env, overrides: Partial<RetryPolicy> = {}): RetryPolicy {
    const base = env.CLOUDPHONE_RETRY_PROFILE === "fast" ? FAST_RETRY_POLICY : DEFAULT_RETRY_POLICY;
    return { ...base, ...overrides };
}

// ---- classify ---------------------------------------------------------------------------------------------

export function classify(err: unknown): "retry" | "fail" {
    if (err instanceof CloudPhoneError) return err.retryable ? "retry" : "fail";
    return "fail";
}

// ---- decide -----------------------------------------------------------------------------------------------

export interface RetryState {
    /** Attempts already made (≥ 1 when deciding). */
    readonly attempts: number;
    /** Epoch ms by which everything must be over. */
    readonly deadlineAt: number;
    readonly now: number;
}

export function decide(policy: RetryPolicy, state: RetryState, nextDelayMs: number): boolean {
    if (state.attempts >= policy.maxAttempts) return false;
    return state.now + nextDelayMs < state.deadlineAt;
}

// ---- delay ------------------------------------------------------------------------------------------------

/** Full jitter: uniform in [0, min(max, base·2^(attempt-1))]; a Retry-After hint is a floor (capped at max). */
export function backoffDelay(policy: RetryPolicy, attempts: number, retryAfterMs?: number, random: () => number = Math.random): number {
    const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempts - 1));
    const jittered = Math.floor(random() * ceiling);
    if (retryAfterMs !== undefined && retryAfterMs > 0) return Math.min(policy.maxDelayMs, Math.max(jittered, retryAfterMs));
    return jittered;
}

/** Parse an HTTP Retry-After header (seconds or HTTP date) into milliseconds. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
    const v = Array.isArray(value) ? value[0] : value;
    if (!v) return undefined;
    if (/^\d+(\.\d+)?$/.test(v.trim())) return Math.round(parseFloat(v) * 1000);
    const t = Date.parse(v);
    return Number.isNaN(t) ? undefined : Math.max(0, t - now);
}

// ---- compose ----------------------------------------------------------------------------------------------

export interface AttemptInfo {
    /** 1-based attempt number. */
    readonly attempt: number;
    /** Aborted when the attempt times out or the caller's signal aborts. */
    readonly signal: AbortSignal;
    /** Milliseconds this attempt may take. */
    readonly timeoutMs: number;
}

export interface RetryHooks {
    /** Called before each backoff sleep (for logs and adaptive concurrency). */
    onRetry?: (err: CloudPhoneError, attempt: number, delayMs: number) => void;
    signal?: AbortSignal;
    random?: () => number;
    /** The cloud named on the errors withRetry makes itself (attempt timeouts, deadline, unexpected failures). */
    cloud?: Cloud;
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
        if (signal?.aborted) return reject(abortError(signal));
        const t = setTimeout(() => {
            signal?.removeEventListener("abort", onAbort);
            resolve();
        }, ms);
        const onAbort = () => {
            clearTimeout(t);
            reject(abortError(signal!));
        };
        signal?.addEventListener("abort", onAbort, { once: true });
    });
}

function abortError(signal: AbortSignal): CloudPhoneError {
    const r: unknown = signal.reason;
    return r instanceof CloudPhoneError ? r : new CloudPhoneError("TIMEOUT", "the operation was cancelled", { retryable: false });
}

/**
 * Run `attempt` until it succeeds, fails with a non-retryable error, or the policy says stop. The attempt gets a
 * signal that aborts after `attemptTimeoutMs`; if it does not settle by then, withRetry stops waiting for it and
 * counts a retryable TIMEOUT. The error finally thrown carries the number of attempts made.
 */
export async function withRetry<T>(
    policy: RetryPolicy,
    what: string,
    attempt: (info: AttemptInfo) => Promise<T>,
    hooks: RetryHooks = {},
): Promise<T> {
    const start = Date.now();
    const deadlineAt = start + policy.deadlineMs;
    for (let n = 1; ; n++) {
        const remaining = deadlineAt - Date.now();
        const timeoutMs = Math.max(1, Math.min(policy.attemptTimeoutMs, remaining));
        const controller = new AbortController();
        // The attempt's signal follows the caller's through AbortSignal.any, which adds no listener to the caller's
        // signal: one signal shared by many lookups in flight (the plugin's) collects no listener per attempt.
        const signal = hooks.signal ? AbortSignal.any([hooks.signal, controller.signal]) : controller.signal;
        let timer: NodeJS.Timeout | undefined;
        let onAbort: (() => void) | undefined;
        const timedOut = new Promise<never>((_, reject) => {
            timer = setTimeout(() => {
                const e = new CloudPhoneError("TIMEOUT", `${what}: no answer within ${timeoutMs} ms`, { retryable: true, cloud: hooks.cloud });
                controller.abort(e);
                reject(e);
            }, timeoutMs);
            // The caller's cancellation ends the wait at once, whatever the attempt does with its signal.
            onAbort = () => reject(signal.reason);
            signal.addEventListener("abort", onAbort, { once: true });
        });
        timedOut.catch(() => undefined);
        try {
            return await Promise.race([attempt({ attempt: n, signal, timeoutMs }), timedOut]);
        } catch (raw) {
            // Whatever the failed attempt still has running (a request that lost the race to the timer) ends here.
            controller.abort();
            if (hooks.signal?.aborted) throw abortError(hooks.signal);
            const err =
                raw instanceof CloudPhoneError
                    ? raw
                    : new CloudPhoneError("INTERNAL", `${what}: ${raw instanceof Error ? raw.message : "unexpected failure"}`, { cloud: hooks.cloud });
            const delayMs = backoffDelay(policy, n, err.retryAfterMs, hooks.random);
            if (classify(err) === "fail" || !decide(policy, { attempts: n, deadlineAt, now: Date.now() }, delayMs)) {
                err.attempts = n;
                if (err.retryable && err.code !== "TIMEOUT" && Date.now() + delayMs >= deadlineAt && n < policy.maxAttempts) {
                    // ran out of time rather than attempts: say so
                    throw new CloudPhoneError("TIMEOUT", `${what}: gave up after ${n} attempts, the ${policy.deadlineMs} ms deadline would pass; last error: ${err.message}`, {
                        cloud: err.cloud ?? hooks.cloud, cloudCode: err.cloudCode, requestId: err.requestId, attempts: n,
                    });
                }
                throw err;
            }
            hooks.onRetry?.(err, n, delayMs);
            // A dependent signal of its own, so the sleep adds no listener to the caller's signal either.
            await sleep(delayMs, hooks.signal && AbortSignal.any([hooks.signal]));
        } finally {
            clearTimeout(timer);
            if (onAbort) signal.removeEventListener("abort", onAbort);
        }
    }
}
