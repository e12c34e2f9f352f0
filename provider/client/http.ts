// One HTTP exchange with the Bitsight API: Basic auth with the token, JSON in and out,
// every failure turned into an error from ./errors with the token redacted.
import nodeFetch from "node-fetch";
import type { Connection } from "../config";
import { apiMessage, BitsightApiError, BitsightNetworkError, redact, UnexpectedResponseError } from "./errors";

export type Method = "GET" | "POST" | "PATCH" | "DELETE";

export interface ApiRequest {
    method: Method;
    /** Path below the base URL, e.g. `/ratings/v2/users`. */
    path: string;
    query?: Record<string, string | undefined>;
    body?: unknown;
}

export interface ApiResponse {
    status: number;
    /** Parsed JSON, or undefined for an empty body. */
    body: unknown;
}

/** The part of fetch this client uses (node-fetch by default; injectable for tests). */
export type FetchLike = (
    url: string,
    init: { method: string; headers: Record<string, string>; body?: string; signal?: AbortSignal },
) => Promise<{ status: number; text(): Promise<string> }>;

export interface HttpOptions {
    fetch?: FetchLike;
    /** Time-out of one request in milliseconds. Default 30 000. */
    timeoutMs?: number;
}

export class HttpClient {
    private readonly fetch: FetchLike;
    private readonly timeoutMs: number;
    private readonly origin: string;

    constructor(
        private readonly conn: Connection,
        options: HttpOptions = {},
    ) {
        this.fetch = options.fetch ?? (nodeFetch as unknown as FetchLike);
        this.timeoutMs = options.timeoutMs ?? 30_000;
        this.origin = new URL(conn.baseUrl).origin;
    }

    url(path: string, query: Record<string, string | undefined> = {}): URL {
        const url = new URL(this.conn.baseUrl + path);
        for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, v);
        return url;
    }

    send(req: ApiRequest): Promise<ApiResponse> {
        return this.sendUrl(req.method, this.url(req.path, req.query), req.body);
    }

    /**
     * Sends to an absolute URL, e.g. a pagination link the API returned. The token only
     * ever goes to the configured origin: a link elsewhere is refused, not followed.
     */
    async sendUrl(method: Method, url: URL, body?: unknown): Promise<ApiResponse> {
        const shown = url.pathname + url.search;
        if (url.origin !== this.origin) {
            throw new UnexpectedResponseError(
                `The Bitsight API pointed ${method} to another host (${url.origin}); the provider sends the API token only to ${this.origin}.`,
            );
        }
        const headers: Record<string, string> = {
            Accept: "application/json",
            Authorization: `Basic ${Buffer.from(`${this.conn.token}:`).toString("base64")}`,
            "User-Agent": "pulumi-bitsight",
        };
        if (body !== undefined) headers["Content-Type"] = "application/json";
        const abort = new AbortController();
        const timer = setTimeout(() => abort.abort(), this.timeoutMs);
        let status: number;
        let text: string;
        try {
            const init: Parameters<FetchLike>[1] = { method, headers, signal: abort.signal };
            if (body !== undefined) init.body = JSON.stringify(body);
            const res = await this.fetch(url.toString(), init);
            status = res.status;
            text = await res.text();
        } catch (err) {
            const reason = abort.signal.aborted ? `timed out after ${this.timeoutMs} ms` : errorText(err);
            throw new BitsightNetworkError(method, url.pathname, this.redact(reason));
        } finally {
            clearTimeout(timer);
        }
        if (status >= 400) {
            throw new BitsightApiError(status, method, url.pathname, this.redact(apiMessage(text)));
        }
        if (text.trim() === "") return { status, body: undefined };
        try {
            return { status, body: JSON.parse(text) as unknown };
        } catch {
            throw new UnexpectedResponseError(
                this.redact(`The Bitsight API answered ${method} ${shown} with a body that is not JSON: ${apiMessage(text)}`),
            );
        }
    }

    private redact(text: string): string {
        return redact(text, [this.conn.token]);
    }
}

function errorText(err: unknown): string {
    if (err instanceof Error) return (err as NodeJS.ErrnoException).code ?? err.message;
    return String(err);
}
