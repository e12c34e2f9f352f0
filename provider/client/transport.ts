// One attempt of one request, and nothing else: Basic auth with the token, a time-out, a
// cap on the answer's size, no redirect followed, JSON in and out, and every failure an
// error from ./errors with the token redacted. Retrying, pausing and limiting are the
// caller's (./http). What the server sends is not trusted: a 3xx is refused (following it
// would carry the token, and a write's body, to wherever it points), an answer larger
// than the cap is cut off while it streams, and a connection closed before the whole body
// arrived is noticed at once (node-fetch 2 would wait for the time-out).
import * as http from "http";
import * as https from "https";
import nodeFetch from "node-fetch";
import { forTerminal } from "../escape/terminal";
import { apiMessage, BitsightApiError, BitsightNetworkError, BitsightTimeoutError, RedirectRefusedError, ResponseTooLargeError, UnexpectedResponseError } from "./errors";
import { parseRetryAfter } from "./policy";

export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface ApiResponse {
    status: number;
    /** Parsed JSON, or undefined for an empty body. */
    body: unknown;
    /** The body's size as received, in bytes. */
    bytes?: number;
}

/** An answer not yet in after this long is announced (./log: no silent waits). */
export const SLOW_ANSWER_MS = 10_000;

/** The part of fetch this client uses (node-fetch by default; injectable for tests). */
export type FetchLike = (
    url: string,
    init: {
        method: string;
        headers: Record<string, string>;
        body?: string;
        signal?: AbortSignal;
        redirect: "manual";
        /** node-fetch: the most bytes of body read before it fails with type `max-size`. */
        size: number;
        agent?: http.Agent;
    },
) => Promise<{ status: number; headers: { get(name: string): string | null }; text(): Promise<string> }>;

export interface TransportOptions {
    origin: string;
    token: string;
    /** Time-out of the attempt, from sending to the last byte of the answer. */
    timeoutMs: number;
    /** The largest answer read; a larger one is an error, not a partial read. */
    maxResponseBytes: number;
    fetch?: FetchLike;
    now: () => number;
    redact: (text: string) => string;
    /** Hears, once, that an attempt has had no answer for SLOW_ANSWER_MS: what it waits for, and how much longer at most. */
    onSlow?: (what: string, leftMs: number) => void;
}

/** Hears the request node-fetch is about to send through this agent (the next one only). */
type Watch = (req: http.ClientRequest) => void;
type WatchingAgent = http.Agent & { watchNext?: Watch };

/**
 * A keep-alive agent that lets the transport see each request's response stream: the
 * only place where a connection closed mid-body shows (`complete` stays false).
 * node-fetch calls `http.request` synchronously inside `fetch()`, so the watch set just
 * before a call is the one its request picks up.
 */
function watchingAgent(origin: string): WatchingAgent {
    const agent: WatchingAgent = origin.startsWith("https:") ? new https.Agent({ keepAlive: true }) : new http.Agent({ keepAlive: true });
    const withAdd = agent as unknown as { addRequest(req: http.ClientRequest, options: unknown): void };
    const addRequest = withAdd.addRequest.bind(agent);
    withAdd.addRequest = (req, options) => {
        const watch = agent.watchNext;
        agent.watchNext = undefined;
        watch?.(req);
        addRequest(req, options);
    };
    return agent;
}

export class Transport {
    private readonly fetch: FetchLike;
    private readonly agent: WatchingAgent;

    constructor(private readonly o: TransportOptions) {
        this.fetch = o.fetch ?? (nodeFetch as unknown as FetchLike);
        this.agent = watchingAgent(o.origin);
    }

    async attempt(method: Method, url: URL, body: unknown): Promise<ApiResponse> {
        const shown = url.pathname;
        const headers: Record<string, string> = {
            Accept: "application/json",
            Authorization: `Basic ${Buffer.from(`${this.o.token}:`).toString("base64")}`,
            "User-Agent": "pulumi-bitsight",
        };
        if (body !== undefined) headers["Content-Type"] = "application/json";
        const abort = new AbortController();
        let why: "timeout" | "cut" | undefined;
        const stop = (reason: "timeout" | "cut") => {
            why ??= reason;
            abort.abort();
        };
        const timer = setTimeout(() => stop("timeout"), this.o.timeoutMs);
        const slow =
            this.o.onSlow && this.o.timeoutMs > SLOW_ANSWER_MS
                ? setTimeout(() => this.o.onSlow!(`${method} ${shown} has not answered in ${SLOW_ANSWER_MS / 1000} s (its time-out is ${this.o.timeoutMs / 1000} s)`, this.o.timeoutMs - SLOW_ANSWER_MS), SLOW_ANSWER_MS)
                : undefined;
        this.agent.watchNext = (req) =>
            req.on("response", (res: http.IncomingMessage) => res.on("close", () => void (res.complete || stop("cut"))));
        let status: number;
        let text: string;
        let retryAfter: string | null;
        let location: string | null = null;
        try {
            const init: Parameters<FetchLike>[1] = { method, headers, signal: abort.signal, redirect: "manual", size: this.o.maxResponseBytes, agent: this.agent };
            if (body !== undefined) init.body = JSON.stringify(body);
            const res = await this.fetch(url.toString(), init);
            status = res.status;
            retryAfter = res.headers.get("retry-after");
            if (status >= 300 && status < 400) {
                location = res.headers.get("location");
                text = "";
            } else {
                const announced = Number(res.headers.get("content-length") ?? "0");
                if (announced > this.o.maxResponseBytes) throw new ResponseTooLargeError(method, shown, this.o.maxResponseBytes, announced);
                text = await res.text();
            }
        } catch (err) {
            if (err instanceof ResponseTooLargeError) throw err;
            if ((err as { type?: string }).type === "max-size") throw new ResponseTooLargeError(method, shown, this.o.maxResponseBytes);
            if (why === "timeout") throw new BitsightTimeoutError(method, shown, `no answer within ${this.o.timeoutMs} ms`, undefined, { cause: err });
            if (why === "cut") throw new BitsightNetworkError(method, shown, "ECONNRESET", "the connection closed before the whole answer arrived", { cause: err });
            throw new BitsightNetworkError(method, shown, this.o.redact(errorText(err)), undefined, { cause: err });
        } finally {
            clearTimeout(timer);
            clearTimeout(slow);
            this.agent.watchNext = undefined;
            // Nothing more is read: a redirect's body or an unread rest goes with its connection.
            abort.abort();
        }
        if (status >= 300 && status < 400) throw new RedirectRefusedError(method, shown, status, locationOrigin(location, url), this.o.origin);
        if (status >= 400) {
            throw new BitsightApiError(status, method, shown, apiMessage(text, this.o.redact), parseRetryAfter(retryAfter, this.o.now()));
        }
        const bytes = Buffer.byteLength(text);
        if (text.trim() === "") return { status, body: undefined, bytes };
        try {
            return { status, body: JSON.parse(text) as unknown, bytes };
        } catch {
            throw new UnexpectedResponseError(
                `The Bitsight API answered ${method} ${url.pathname}${url.search} with a body that is not JSON: ${apiMessage(text, this.o.redact)}`,
                true,
            );
        }
    }
}

/** Where a redirect pointed, as an origin only (what a person needs to fix the URL); never the path or query. */
function locationOrigin(location: string | null, from: URL): string {
    if (location === null) return "(no Location header)";
    try {
        return forTerminal(new URL(location, from).origin);
    } catch {
        return `${forTerminal(location.slice(0, 80))} (not a URL)`;
    }
}

function errorText(err: unknown): string {
    if (err instanceof Error) return (err as NodeJS.ErrnoException).code ?? err.message;
    return String(err);
}
