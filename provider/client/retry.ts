// The retry strategy around one request: what ./policy classifies as worth another
// attempt is sent again after its delay, an ambiguous POST is first recovered (did it
// create the user?), and no retry starts that would end past the request's budget. The
// budget runs from the request's first send, not from when it joined the queue: a request
// that waited out a rate-limit pause behind others still gets its attempts.
import { BitsightApiError, BitsightError, BitsightNetworkError, formatDuration, noteAttempts } from "./errors";
import { classify, retryDelay, type RetryPolicy } from "./policy";
import type { ApiResponse, Method } from "./transport";

/**
 * For a request that is not idempotent: after an ambiguous failure, finds out whether it
 * took effect. A value is taken as the answer; undefined means it did not, so it is sent again.
 */
export type Recover = (err: BitsightError) => Promise<unknown | undefined>;

export interface RetryContext {
    method: Method;
    path: string;
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
    for (let attempt = 1; ; attempt++) {
        try {
            return await send(sent);
        } catch (err) {
            if (!(err instanceof BitsightError)) throw err;
            const verdict = classify(err, c.method, c.policy);
            if (verdict === "fatal") throw err;
            if (verdict === "ambiguous") {
                if (!c.recover) throw noteAttempts(err, attempt, elapsed());
                const found = await c.recover(err);
                if (found !== undefined) return { status: 200, body: found };
            }
            const wait = retryDelay(c.policy, attempt, err, () => c.clock.random());
            if (err instanceof BitsightApiError && err.status === 429) c.onRateLimited?.(wait);
            if (attempt >= c.policy.maxAttempts || elapsed() + wait > c.policy.totalBudgetMs) throw noteAttempts(err, attempt, elapsed());
            if (c.onRetry) {
                const why = err instanceof BitsightApiError ? `answered ${err.status}` : err instanceof BitsightNetworkError ? err.reason : err.name;
                c.onRetry(`${c.method} ${c.path} ${why}; attempt ${attempt + 1} of ${c.policy.maxAttempts} in ${formatDuration(wait)}`);
            }
            await c.clock.sleep(wait);
        }
    }
}
