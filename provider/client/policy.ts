// How the client treats a busy or failing Bitsight API, written as data. Bitsight accepts
// about 20 simultaneous requests and recommends at most 3; on 429 it asks for a wait of
// about a minute with exponential back-off. Pulumi sends up to 4 × CPUs operations at
// once to one provider process, so the limit is the client's, not Pulumi's.
import { BitsightApiError, BitsightNetworkError, UnexpectedResponseError } from "./errors";

export interface RetryPolicy {
    /** Requests in flight at once, for the whole provider process. Default 3 (config `bitsight:maxConcurrency`). */
    maxConcurrency: number;
    /** Attempts of one request, the first included. Default 5. */
    maxAttempts: number;
    /** Answers worth another attempt. Default 429, 500, 502, 503, 504 and 524 (an edge time-out). */
    retryStatuses: readonly number[];
    /** Back-off before the nth retry: baseDelayMs × 2^(n−1), jittered, at most maxDelayMs. Default 1 000. */
    baseDelayMs: number;
    /** First wait after a 429 that has no Retry-After (Bitsight asks for about a minute); doubles after. Default 60 000. */
    rateLimitDelayMs: number;
    /** Longest single wait, Retry-After included. Default 300 000 (5 minutes). */
    maxDelayMs: number;
    /** Time-out of one attempt, from sending to the answer's last byte. Default 30 000 (config `bitsight:attemptTimeout`, in seconds). */
    attemptTimeoutMs: number;
    /** The largest answer read; a larger one fails while it streams. Default 32 MiB (config `bitsight:maxResponseMiB`). */
    maxResponseBytes: number;
    /** Time one request may take in all, waits included; no retry starts that would end past it. Default 600 000. */
    totalBudgetMs: number;
    /** Share of each computed wait that is random, so parallel clients do not retry in step. Default 0.2 (±20 %). */
    jitter: number;
}

export const DEFAULT_POLICY: Readonly<RetryPolicy> = Object.freeze({
    maxConcurrency: 3,
    maxAttempts: 5,
    retryStatuses: [429, 500, 502, 503, 504, 524],
    baseDelayMs: 1_000,
    rateLimitDelayMs: 60_000,
    maxDelayMs: 300_000,
    attemptTimeoutMs: 30_000,
    maxResponseBytes: 32 * 1024 * 1024,
    totalBudgetMs: 600_000,
    jitter: 0.2,
});

/**
 * GET and DELETE are idempotent; so are this provider's PATCHes, which only ever set
 * absolute values. A POST is not: after an ambiguous failure it may have created the user.
 */
export function isIdempotent(method: string): boolean {
    return method !== "POST";
}

/**
 * - `retry`: safe to send again (the server did not act, or acting twice is harmless);
 * - `ambiguous`: a POST that may or may not have been applied: look before retrying;
 * - `fatal`: another attempt would get the same answer.
 */
export type Verdict = "retry" | "ambiguous" | "fatal";

export function classify(err: unknown, method: string, policy: RetryPolicy): Verdict {
    let transient: boolean;
    let refusedUnread = false;
    if (err instanceof BitsightApiError) {
        transient = policy.retryStatuses.includes(err.status);
        // A 429 is a refusal before any work: even a POST may simply be sent again.
        refusedUnread = err.status === 429;
    } else if (err instanceof BitsightNetworkError) {
        transient = !err.permanent;
        refusedUnread = err.reason === "ECONNREFUSED";
    } else if (err instanceof UnexpectedResponseError) {
        // A truncated or garbled success: the request itself went through.
        transient = err.transient;
    } else {
        transient = false;
    }
    if (!transient) return "fatal";
    if (isIdempotent(method) || refusedUnread) return "retry";
    return "ambiguous";
}

/**
 * The wait before retry number `retry` (1 for the first retry). Retry-After wins over the
 * computed back-off; both are capped at maxDelayMs.
 */
export function retryDelay(policy: RetryPolicy, retry: number, err: unknown, random: () => number): number {
    if (err instanceof BitsightApiError && err.retryAfterMs !== undefined) {
        return Math.min(policy.maxDelayMs, Math.max(0, err.retryAfterMs));
    }
    const rateLimited = err instanceof BitsightApiError && err.status === 429;
    const base = (rateLimited ? policy.rateLimitDelayMs : policy.baseDelayMs) * 2 ** (retry - 1);
    const jittered = base * (1 - policy.jitter + 2 * policy.jitter * random());
    return Math.round(Math.min(policy.maxDelayMs, jittered));
}

/** An HTTP date (RFC 9110: IMF-fixdate, or the obsolete RFC 850 and asctime forms), by its day name. */
const HTTP_DATE = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,? /;

/**
 * Retry-After as whole seconds or an HTTP date, in milliseconds from `now`. Anything else
 * (negative, fractional, malformed) and a date already past are undefined: the policy's
 * own back-off applies, so a server cannot talk the client out of waiting.
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
    if (!value) return undefined;
    const v = value.trim();
    if (/^\d{1,9}$/.test(v)) return Number(v) * 1000;
    if (!HTTP_DATE.test(v)) return undefined;
    const date = Date.parse(v);
    return Number.isNaN(date) || date <= now ? undefined : date - now;
}
