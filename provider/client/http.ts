// One request to the Bitsight API: each attempt by ./transport (auth, time-out, size cap,
// no redirects, JSON), the retry policy of ./policy around it, and the concurrency limit
// and process-wide 429 pause in front of it.
import type { Connection } from "../config";
import { BitsightApiError, BitsightError, BitsightNetworkError, formatDuration, noteAttempts, redact, UnexpectedResponseError } from "./errors";
import { Limiter } from "./limiter";
import { classify, DEFAULT_POLICY, retryDelay, type RetryPolicy } from "./policy";
import { Transport, type ApiResponse, type FetchLike, type Method } from "./transport";

export type { ApiResponse, FetchLike, Method } from "./transport";

export interface ApiRequest {
    method: Method;
    /** Path below the base URL, e.g. `/ratings/v2/users`. */
    path: string;
    query?: Record<string, string | undefined>;
    body?: unknown;
}

/**
 * For a request that is not idempotent: after an ambiguous failure, finds out whether it
 * took effect. A value is taken as the answer; undefined means it did not, so it is sent again.
 */
export type Recover = (err: BitsightError) => Promise<unknown | undefined>;

/** Time, injectable so that retry tests never really wait. */
export interface Clock {
    now(): number;
    sleep(ms: number): Promise<void>;
    random(): number;
}

export const REAL_CLOCK: Clock = {
    now: () => Date.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    random: () => Math.random(),
};

export interface HttpOptions {
    fetch?: FetchLike;
    policy?: Partial<RetryPolicy>;
    clock?: Clock;
    /** Hears each pause a 429 starts, once a pause (default: a line on stderr). */
    onPause?: (message: string) => void;
    /** Hears each retry before its wait (the CLI prints it when stderr is a terminal). */
    onRetry?: (message: string) => void;
    /** Hears what the API answered that is doubtful but not wrong (default: a line on stderr). */
    onWarning?: (message: string) => void;
    /**
     * Who waits after a 429: `process` (default), every request not yet sent; `request`, only
     * the refused one, as before 0.2 (kept so that `npm run bench` can compare the two).
     */
    pauseScope?: "process" | "request";
}

export class HttpClient {
    readonly policy: RetryPolicy;
    private readonly transport: Transport;
    private readonly clock: Clock;
    private readonly origin: string;
    private readonly limiter: Limiter;
    private readonly onPause: (message: string) => void;
    private readonly onRetry: ((message: string) => void) | undefined;
    /** Says what the API answered that is doubtful but not wrong (fewer users listed than announced). */
    readonly warn: (message: string) => void;
    private readonly pauseScope: "process" | "request";
    /**
     * Until when (clock time) no request of this process is sent: a 429 says the account's
     * rate limit is reached, so every request waits, not only the one that was refused.
     */
    private pausedUntil = 0;

    constructor(
        private readonly conn: Connection,
        options: HttpOptions = {},
    ) {
        this.policy = { ...DEFAULT_POLICY, ...options.policy };
        this.clock = options.clock ?? REAL_CLOCK;
        this.origin = new URL(conn.baseUrl).origin;
        this.transport = new Transport({
            origin: this.origin,
            token: conn.token,
            timeoutMs: this.policy.attemptTimeoutMs,
            maxResponseBytes: this.policy.maxResponseBytes,
            now: () => this.clock.now(),
            redact: (text) => this.redact(text),
            ...(options.fetch ? { fetch: options.fetch } : {}),
        });
        this.limiter = new Limiter(this.policy.maxConcurrency);
        this.onPause = options.onPause ?? ((message) => process.stderr.write(`pulumi-bitsight: ${message}\n`));
        this.onRetry = options.onRetry;
        this.warn = options.onWarning ?? ((message) => process.stderr.write(`pulumi-bitsight: Warning: ${message}\n`));
        this.pauseScope = options.pauseScope ?? "process";
    }

    url(path: string, query: Record<string, string | undefined> = {}): URL {
        const url = new URL(this.conn.baseUrl + path);
        for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, v);
        return url;
    }

    send(req: ApiRequest, recover?: Recover): Promise<ApiResponse> {
        return this.sendUrl(req.method, this.url(req.path, req.query), req.body, recover);
    }

    /**
     * Sends to an absolute URL, e.g. a pagination link the API returned, retrying as the
     * policy says. The token only ever goes to the configured origin.
     */
    async sendUrl(method: Method, url: URL, body?: unknown, recover?: Recover): Promise<ApiResponse> {
        if (url.origin !== this.origin) {
            throw new UnexpectedResponseError(
                `The Bitsight API pointed ${method} to another host (${url.origin}); the provider sends the API token only to ${this.origin}.`,
            );
        }
        const start = this.clock.now();
        for (let attempt = 1; ; attempt++) {
            try {
                return await this.limiter.run(async () => {
                    // Checked right before sending, with no await in between: a pause that
                    // began a moment ago holds this request too.
                    for (let left = this.pauseLeft(); left > 0; left = this.pauseLeft()) await this.clock.sleep(left);
                    return this.transport.attempt(method, url, body);
                });
            } catch (err) {
                if (!(err instanceof BitsightError)) throw err;
                const verdict = classify(err, method, this.policy);
                if (verdict === "fatal") throw err;
                if (verdict === "ambiguous") {
                    if (!recover) throw noteAttempts(err, attempt, this.clock.now() - start);
                    const found = await recover(err);
                    if (found !== undefined) return { status: 200, body: found };
                }
                const wait = retryDelay(this.policy, attempt, err, () => this.clock.random());
                if (err instanceof BitsightApiError && err.status === 429 && this.pauseScope === "process") this.pause(wait, `${method} ${url.pathname}`);
                const elapsed = this.clock.now() - start;
                if (attempt >= this.policy.maxAttempts || elapsed + wait > this.policy.totalBudgetMs) {
                    throw noteAttempts(err, attempt, elapsed);
                }
                if (this.onRetry) {
                    const why = err instanceof BitsightApiError ? `answered ${err.status}` : err instanceof BitsightNetworkError ? err.reason : err.name;
                    this.onRetry(`${method} ${url.pathname} ${why}; attempt ${attempt + 1} of ${this.policy.maxAttempts} in ${formatDuration(wait)}`);
                }
                await this.clock.sleep(wait);
            }
        }
    }

    /** How long every request of the process must still wait for a rate-limit pause. */
    private pauseLeft(): number {
        return this.pausedUntil - this.clock.now();
    }

    /** Starts or lengthens the process-wide pause; says so once a pause, not once a request. */
    private pause(ms: number, request: string): void {
        const now = this.clock.now();
        const until = now + ms;
        if (until <= this.pausedUntil) return;
        const starts = this.pausedUntil <= now;
        this.pausedUntil = until;
        if (starts) this.onPause(`Bitsight's rate limit was reached (429 to ${request}): every request waits ${formatDuration(ms)}.`);
    }

    private redact(text: string): string {
        return redact(text, [this.conn.token]);
    }
}
