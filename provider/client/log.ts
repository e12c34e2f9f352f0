// What the client did, for support: `BITSIGHT_LOG=debug` (or the CLI's --verbose) prints one
// line per HTTP attempt; `info` only retries, pauses and give-ups; unset, nothing. Never the
// token (it is only ever in a header), never a body's values: for a write, its field names.
// Every line goes through the terminal renderer, so nothing the API sent can forge one.
//
// Apart from the level: a wait of more than a few seconds (a 429 pause, a back-off, an
// answer slow to come) always says so in one line when it starts, terminal or CI log alike,
// so that a job never sits silent for minutes.
import { escapeUnsafe } from "../escape/terminal";
import { formatDuration } from "./errors";
import { ConfigurationError } from "../base/errors";

export type LogLevel = "off" | "info" | "debug";
export const LOG_LEVELS: readonly LogLevel[] = ["off", "info", "debug"];
export const ENV_LOG = "BITSIGHT_LOG";

/** A wait this long or longer is announced whatever the level. */
export const NOTICE_WAIT_MS = 5_000;

export interface AttemptEvent {
    method: string;
    /** Path and query, as sent. */
    target: string;
    /** The status, or the network error's code. */
    outcome: number | string;
    ms: number;
    attempt: number;
    of: number;
    bytes?: number;
    /** Field names of a write's body. */
    fields?: string[];
    /** The wait before the next attempt, when there is one. */
    retryInMs?: number;
}

export interface LogStats {
    requests: number;
    retries: number;
    rateLimited: number;
    bytes: number;
}

export class RequestLog {
    readonly stats: LogStats = { requests: 0, retries: 0, rateLimited: 0, bytes: 0 };
    private readonly started: number;

    constructor(
        readonly level: LogLevel,
        /** Where lines go (standard error, one line each, newline added). */
        private readonly write: (line: string) => void,
        private readonly now: () => number,
        /** What starts each line: "bitsight-users" or "pulumi-bitsight". */
        private readonly who: string,
    ) {
        this.started = now();
    }

    attempt(e: AttemptEvent): void {
        this.stats.requests++;
        if (e.outcome === 429) this.stats.rateLimited++;
        if (e.bytes) this.stats.bytes += e.bytes;
        if (e.retryInMs !== undefined) this.stats.retries++;
        if (this.level !== "debug") return;
        const parts = [`${e.method} ${e.target}`, String(e.outcome), `${e.ms} ms`];
        if (e.bytes !== undefined) parts.push(formatBytes(e.bytes));
        parts.push(`attempt ${e.attempt} of ${e.of}`);
        if (e.fields) parts.push(`body fields ${e.fields.join(",") || "none"}`);
        if (e.retryInMs !== undefined) parts.push(`retry in ${formatDuration(e.retryInMs)}`);
        this.line(parts.join("  "));
    }

    /** A retry, a pause or a give-up: said at info and debug. */
    info(message: string): void {
        if (this.level !== "off") this.line(message);
    }

    /** Said at every level: what would otherwise leave a person or a CI log waiting in silence. */
    notice(message: string): void {
        this.write(`${this.who}: ${escapeUnsafe(message)}`);
    }

    /** A wait that would otherwise be silent: said at every level once it reaches NOTICE_WAIT_MS. */
    waiting(ms: number, what: string): void {
        if (ms >= NOTICE_WAIT_MS) this.write(`${this.who}: waiting ${formatDuration(ms)}: ${escapeUnsafe(what)}`);
    }

    /** One line for the end of a CLI command. */
    summary(): string {
        const s = this.stats;
        const n = (k: number, one: string, many = `${one}s`) => `${k} ${k === 1 ? one : many}`;
        return `${this.who}: ${n(s.requests, "request")}, ${n(s.retries, "retry", "retries")}, ${s.rateLimited} answered 429, ${formatBytes(s.bytes)} received, ${formatDuration(this.now() - this.started)}`;
    }

    private line(message: string): void {
        this.write(`${new Date(this.now()).toISOString()} ${this.who} ${escapeUnsafe(message)}`);
    }
}

function formatBytes(n: number): string {
    if (n < 1024) return `${n} B`;
    if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
    return `${(n / 1048576).toFixed(1)} MB`;
}

/** The level from `BITSIGHT_LOG`; anything else is a mistake worth saying. */
export function logLevel(env: NodeJS.ProcessEnv): LogLevel {
    const raw = env[ENV_LOG]?.trim().toLowerCase();
    if (!raw) return "off";
    if ((LOG_LEVELS as readonly string[]).includes(raw)) return raw as LogLevel;
    throw new ConfigurationError(`${ENV_LOG} must be debug, info or off, not ${JSON.stringify(env[ENV_LOG])}.`);
}
