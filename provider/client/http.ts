// One request to the Bitsight API, in three layers with one job each: ./gate (the
// concurrency limit and the process-wide 429 pause), ./retry (what is sent again, and
// when), ./transport (one attempt: auth, time-out, size cap, no redirects, JSON).
import type { Connection } from "./connection";
import { redact, UnexpectedResponseError } from "./errors";
import { Gate } from "./gate";
import { logLevel, RequestLog } from "./log";
import { DEFAULT_POLICY, type RetryPolicy } from "./policy";
import { withRetries, type Recover } from "./retry";
import { Transport, type ApiResponse, type FetchLike, type Method } from "./transport";

export type { ApiResponse, FetchLike, Method } from "./transport";
export type { Recover } from "./retry";

export interface ApiRequest {
    method: Method;
    /** Path below the base URL, e.g. `/ratings/v2/users`. */
    path: string;
    query?: Record<string, string | undefined>;
    body?: unknown;
}

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
    /** The request log (./log); default: the level of BITSIGHT_LOG, lines on stderr as pulumi-bitsight. */
    log?: RequestLog;
}

export class HttpClient {
    readonly policy: RetryPolicy;
    /** Says what the API answered that is doubtful but not wrong (fewer users listed than announced). */
    readonly warn: (message: string) => void;
    readonly log: RequestLog;
    private readonly transport: Transport;
    private readonly gate: Gate;
    private readonly clock: Clock;
    private readonly origin: string;
    private readonly onRetry: ((message: string) => void) | undefined;

    constructor(
        private readonly conn: Connection,
        options: HttpOptions = {},
    ) {
        this.policy = { ...DEFAULT_POLICY, ...options.policy };
        this.clock = options.clock ?? REAL_CLOCK;
        this.log = options.log ?? new RequestLog(logLevel(process.env), (line) => process.stderr.write(`${line}\n`), () => this.clock.now(), "pulumi-bitsight");
        this.origin = new URL(conn.baseUrl).origin;
        this.transport = new Transport({
            origin: this.origin,
            token: conn.token,
            timeoutMs: this.policy.attemptTimeoutMs,
            maxResponseBytes: this.policy.maxResponseBytes,
            now: () => this.clock.now(),
            redact: (text) => redact(text, [this.conn.token]),
            onSlow: (what, leftMs) => this.log.waiting(leftMs, what),
            ...(options.fetch ? { fetch: options.fetch } : {}),
        });
        // A pause is a wait: announced whatever the log level (it is usually a minute), once:
        // as the log's line when there is a log, else as a notice (or to `onPause`, which takes its place).
        this.gate = new Gate(this.policy.maxConcurrency, this.clock, (message) => {
            if (this.log.level !== "off") this.log.info(`paused: ${message}`);
            else if (!options.onPause) this.log.notice(message);
            options.onPause?.(message);
        });
        this.onRetry = options.onRetry;
        this.warn = options.onWarning ?? ((message) => process.stderr.write(`pulumi-bitsight: Warning: ${message}\n`));
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
        const request = `${method} ${url.pathname}`;
        const fields = body !== null && typeof body === "object" ? Object.keys(body) : undefined;
        return withRetries(
            (sent) =>
                this.gate.run(() => {
                    sent();
                    return this.transport.attempt(method, url, body);
                }),
            {
                method,
                path: url.pathname,
                target: url.pathname + url.search,
                fields,
                log: this.log,
                policy: this.policy,
                clock: this.clock,
                recover,
                onRetry: this.onRetry,
                // A 429 is the account's limit, not the request's: every request not yet sent waits.
                onRateLimited: (wait) => this.gate.pause(wait, request),
            },
        );
    }
}
