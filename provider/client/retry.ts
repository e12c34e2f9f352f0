// The retry strategy around one request: what ./policy classifies as worth another
// attempt is sent again after its delay, an ambiguous POST is first recovered (did it
// create the user?), and no retry starts that would end past the request's budget. The
// budget runs from the request's first send, not from when it joined the queue: a request
// that waited out a rate-limit pause behind others still gets its attempts.
import { BitsightApiError, BitsightNetworkError, formatDuration, noteAttempts } from "./errors";
import type { RequestLog } from "./log";
import { classify, retryDelay, type RetryPolicy } from "./policy";
import type { ApiResponse, Method } from "./transport";
import { BitsightError } from "../base/errors";

/**
 * For a request that is not idempotent: after an ambiguous failure, finds out whether it
 * took effect. A value is taken as the answer; undefined means it did not, so it is sent again.
 */
export type Recover = (err: BitsightError) => Promise<unknown | undefined>;

export interface RetryContext {
    method: Method;
    path: string;
    /** Path and query, for the request log. */
    target?: string;
    /** A write's body field names, for the request log (never its values). */
    fields?: string[] | undefined;
    log?: RequestLog | undefined;
    policy: RetryPolicy;
    clock: { now(): number; sleep(ms: number): Promise<void>; random(): number };
    recover?: Recover | undefined;
    /** Hears each retry before its wait. */
    onRetry?: ((message: string) => void) | undefined;
    /** Hears each 429 with the wait it asks for (the gate pauses the process). */
    onRateLimited?: ((waitMs: number) => void) | undefined;
}

/** `send` makes one attempt and reports, through `sent`, when the first attempt really left. */
export async function withRetries(send: (sent: () => void) => Promise<ApiResponse>, c: RetryContext): Promise<ApiResponse> {
    let firstSend: number | undefined;
    const sent = () => void (firstSend ??= c.clock.now());
    const elapsed = () => (firstSend === undefined ? 0 : c.clock.now() - firstSend);
    const event = (attempt: number, outcome: number | string, since: number, extra: { bytes?: number; retryInMs?: number } = {}) => ({
        method: c.method,
        target: c.target ?? c.path,
        outcome,
        ms: c.clock.now() - since,
        attempt,
        of: c.policy.maxAttempts,
        ...(c.fields ? { fields: c.fields } : {}),
        ...extra,
    });
    for (let attempt = 1; ; attempt++) {
        let since = c.clock.now();
        try {
            const res = await send(() => {
                sent();
                since = c.clock.now();
            });
            c.log?.attempt(event(attempt, res.status, since, res.bytes !== undefined ? { bytes: res.bytes } : {}));
            return res;
        } catch (err) {
            if (!(err instanceof BitsightError)) throw err;
            const outcome = err instanceof BitsightApiError ? err.status : err instanceof BitsightNetworkError ? err.reason : err.name;
            const giveUp = (e: BitsightError): BitsightError => {
                c.log?.attempt(event(attempt, outcome, since));
                if (attempt > 1 || classify(e, c.method, c.policy) !== "fatal") c.log?.info(`gave up: ${e.message}`);
                return e;
            };
            const verdict = classify(err, c.method, c.policy);
            if (verdict === "fatal") throw giveUp(err);
            if (verdict === "ambiguous") {
                if (!c.recover) throw giveUp(noteAttempts(err, attempt, elapsed()));
                const found = await c.recover(err);
                if (found !== undefined) {
                    c.log?.attempt(event(attempt, outcome, since));
                    c.log?.info(`recovered: ${c.method} ${c.path} ${outcome}, and a look-up found what it had made`);
                    return { status: 200, body: found };
                }
            }
            const wait = retryDelay(c.policy, attempt, err, () => c.clock.random());
            const paused = err instanceof BitsightApiError && err.status === 429 && c.onRateLimited !== undefined;
            const last = attempt >= c.policy.maxAttempts || elapsed() + wait > c.policy.totalBudgetMs;
            if (!last) c.log?.attempt(event(attempt, outcome, since, { retryInMs: wait }));
            // The account's rate limit holds every request of the process, this one retried or not.
            if (paused) c.onRateLimited!(wait);
            if (last) throw giveUp(noteAttempts(err, attempt, elapsed()));
            const why =
                err instanceof BitsightApiError ? `answered ${err.status}` : err instanceof BitsightNetworkError ? `got no answer (${err.reason})` : `failed (${err.name})`;
            const retrying = `${c.method} ${c.path} ${why}; attempt ${attempt + 1} of ${c.policy.maxAttempts} in ${formatDuration(wait)}`;
            c.log?.info(`retrying: ${retrying}`);
            // A person at a terminal hears of every retry; elsewhere (a CI log) a long wait is
            // announced whatever the log level. (A 429's pause has said so already, for every request.)
            if (c.onRetry) c.onRetry(retrying);
            else if (!paused) c.log?.waiting(wait, `before attempt ${attempt + 1} of ${c.policy.maxAttempts} of ${c.method} ${c.path}, which ${why}`);
            await c.clock.sleep(wait);
        }
    }
}
