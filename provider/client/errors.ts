// The API's errors, under the package's one root (../base/errors). Every message says what
// failed, for which request, and what the API said; none ever holds the token or an
// Authorization header.
import { escapeUnsafe } from "../escape/terminal";
import { BitsightError } from "../base/errors";

/** Says, on the final error of a retried request, how many attempts were made and for how long: as fields, and in the message. */
export function noteAttempts<E extends BitsightError>(err: E, attempts: number, elapsedMs: number): E {
    err.attempts = attempts;
    err.elapsedMs = elapsedMs;
    err.message += ` (gave up after ${attempts} attempt${attempts === 1 ? "" : "s"} over ${formatDuration(elapsedMs)})`;
    return err;
}

export function formatDuration(ms: number): string {
    if (ms < 1000) return `${ms} ms`;
    const s = Math.round(ms / 1000);
    return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

/** The API answered with an error status. */
export class BitsightApiError extends BitsightError {
    override name = "BitsightApiError";
    constructor(
        readonly status: number,
        readonly method: string,
        readonly path: string,
        readonly apiMessage: string,
        /** From a Retry-After header, when the API sent one. */
        readonly retryAfterMs?: number,
    ) {
        super(`Bitsight API answered ${status}${reasonPhrase(status)} to ${method} ${path}${apiMessage ? `: ${apiMessage}` : ""}`);
    }
}

/**
 * A 403 or 404: this token may not ask, or this account has no such endpoint. For what is
 * only read to inform (seats, company tokens, who the token is), an answer, not a failure.
 */
export function isUnavailable(err: unknown): err is BitsightApiError {
    return err instanceof BitsightApiError && (err.status === 403 || err.status === 404);
}

/**
 * Network failures that another attempt cannot heal: the host name does not exist, or its
 * certificate is not to be trusted. Retrying them only made a mistyped URL wait 15 s in silence.
 */
const PERMANENT: Record<string, string> = {
    ENOTFOUND: "the host name does not exist; check bitsight:apiUrl / BITSIGHT_API_URL",
    CERT_HAS_EXPIRED: "the server's TLS certificate has expired",
    DEPTH_ZERO_SELF_SIGNED_CERT: "the server's TLS certificate is self-signed, so it is not trusted",
    SELF_SIGNED_CERT_IN_CHAIN: "the server's TLS certificate chain is self-signed, so it is not trusted (behind a TLS-inspecting proxy, set NODE_EXTRA_CA_CERTS to its CA)",
    UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "the server's TLS certificate is issued by an unknown authority (behind a TLS-inspecting proxy, set NODE_EXTRA_CA_CERTS to its CA)",
    UNABLE_TO_VERIFY_LEAF_SIGNATURE: "the server's TLS certificate cannot be verified",
    ERR_TLS_CERT_ALTNAME_INVALID: "the server's TLS certificate is for another host name",
};

/** No answer: connection refused or reset, DNS failure, time-out. */
export class BitsightNetworkError extends BitsightError {
    override name = "BitsightNetworkError";
    /** Another attempt would fail the same way (./policy does not retry it). */
    readonly permanent: boolean;
    constructor(
        readonly method: string,
        readonly path: string,
        readonly reason: string,
        /** What happened, in words, where the code alone does not say it. */
        explained?: string,
        /** The socket's or fetch's own error, for a debugger; its words are not shown (they may hold the URL's query). */
        options?: ErrorOptions,
    ) {
        const permanent = PERMANENT[reason];
        const why = permanent ?? explained;
        super(`No answer from the Bitsight API to ${method} ${path}: ${reason}${why ? ` (${why})` : ""}`, options);
        this.permanent = permanent !== undefined;
    }
}

/** No answer within the attempt's time-out. */
export class BitsightTimeoutError extends BitsightNetworkError {
    override name = "BitsightTimeoutError";
}

/** An answer that does not have the documented shape: refuse to guess. */
export class UnexpectedResponseError extends BitsightError {
    override name = "UnexpectedResponseError";
    constructor(
        message: string,
        /** True for a success whose body was cut or garbled in transit: asking again may help. */
        readonly transient = false,
    ) {
        super(message);
    }
}

/**
 * A 3xx. The client follows no redirect: the token (and a write's body) would go with it,
 * to an origin nobody configured, and that origin's answer would be taken as the account.
 */
export class RedirectRefusedError extends UnexpectedResponseError {
    override name = "RedirectRefusedError";
    constructor(
        readonly method: string,
        readonly path: string,
        readonly status: number,
        /** The Location's origin, as shown. */
        readonly target: string,
        origin: string,
    ) {
        super(
            `The Bitsight API answered ${method} ${path} with a redirect (${status}) to ${target}. ` +
                `The provider follows no redirect: the API token and the request stay with ${origin}, and nothing of that answer was used or sent again. ` +
                `Check bitsight:apiUrl / BITSIGHT_API_URL: it must be the Bitsight API's own origin (https://api.bitsighttech.com), not an address that forwards to it.`,
        );
    }
}

/** An answer larger than the client reads (`bitsight:maxResponseMiB`): refused while it streams. */
export class ResponseTooLargeError extends UnexpectedResponseError {
    override name = "ResponseTooLargeError";
    constructor(method: string, path: string, maxBytes: number, announced?: number) {
        const mib = (n: number) => `${Math.round((n / 1048576) * 10) / 10} MiB`;
        super(
            `The Bitsight API's answer to ${method} ${path} is larger than ${mib(maxBytes)}${announced !== undefined ? ` (it announced ${mib(announced)})` : ""}, ` +
                `the most the provider reads; it was not used. An account this large is unlikely: check bitsight:apiUrl, ` +
                `or raise the limit with bitsight:maxResponseMiB / BITSIGHT_MAX_RESPONSE_MIB.`,
        );
    }
}

const PHRASES: Record<number, string> = {
    400: "Bad Request",
    401: "Unauthorized (the API token is not valid)",
    402: "Payment Required",
    403: "Forbidden (the API token's user lacks the permission)",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    422: "Unprocessable Entity",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    524: "Edge Time-out",
};

function reasonPhrase(status: number): string {
    const p = PHRASES[status];
    return p ? ` ${p}` : "";
}

const EXCERPT = 200;

/**
 * The API's own words from an error body, whatever its shape: `{detail}`, `{detail,
 * status,title}`, `{message}`, field errors (`{"email": ["…"]}` or a list), or an HTML page.
 * `redact` runs before the excerpt is cut, so a cut never leaves part of a secret behind;
 * control and invisible characters are shown escaped.
 */
export function apiMessage(text: string, redact: (s: string) => string = (s) => s): string {
    const trimmed = text.trim();
    if (trimmed === "") return "";
    let parsed: unknown;
    try {
        parsed = JSON.parse(trimmed);
    } catch {
        return excerpt(escapeUnsafe(redact(stripHtml(trimmed))));
    }
    return excerpt(escapeUnsafe(redact(fromJson(parsed))));
}

function fromJson(v: unknown): string {
    if (typeof v === "string") return v;
    if (Array.isArray(v)) return v.map(fromJson).filter(Boolean).join("; ");
    if (v && typeof v === "object") {
        const o = v as Record<string, unknown>;
        for (const key of ["detail", "message", "error", "title"]) {
            if (typeof o[key] === "string") return o[key] as string;
        }
        return Object.entries(o)
            .map(([k, val]) => `${k}: ${fromJson(val)}`)
            .join("; ");
    }
    return JSON.stringify(v);
}

function stripHtml(s: string): string {
    return s
        .replace(/<(script|style)[\s\S]*?<\/\1>/gi, " ")
        .replace(/<[^>]+>/g, " ")
        .replace(/\s+/g, " ")
        .trim();
}

function excerpt(s: string): string {
    return s.length > EXCERPT ? `${s.slice(0, EXCERPT)}…` : s;
}

/** A run of this many characters of a secret is taken as the secret (shorter runs occur by chance). */
export const FRAGMENT = 8;

/**
 * Replaces each secret, its Basic-auth encoding, and any run of FRAGMENT or more
 * characters of either, wherever it stands in `text`: a server that echoes half the
 * token, or a message cut in the middle of it, leaves no usable part behind.
 */
export function redact(text: string, secrets: readonly string[]): string {
    const covered = new Uint8Array(text.length);
    let any = false;
    for (const s of secrets) {
        if (s.length < 4) continue;
        for (const form of [s, Buffer.from(`${s}:`).toString("base64")]) {
            const k = Math.min(FRAGMENT, form.length);
            for (let i = 0; i + k <= form.length; i++) {
                const piece = form.slice(i, i + k);
                for (let at = text.indexOf(piece); at >= 0; at = text.indexOf(piece, at + 1)) {
                    covered.fill(1, at, at + k);
                    any = true;
                }
            }
        }
    }
    if (!any) return text;
    let out = "";
    for (let i = 0; i < text.length; i++) {
        if (!covered[i]) out += text[i];
        else if (i === 0 || !covered[i - 1]) out += "[REDACTED]";
    }
    return out;
}

/** `work`'s answer, or "gone" where the API answered 404: what was asked about is not there (deleted in the UI, or by an earlier attempt). */
export async function unlessGone<T>(work: () => Promise<T>): Promise<T | "gone"> {
    try {
        return await work();
    } catch (err) {
        if (err instanceof BitsightApiError && err.status === 404) return "gone";
        throw err;
    }
}

/**
 * `first`, and after a 400 to it (refused whole: nothing was made), `then`: for a request
 * whose shape the pages leave open. `about`: only after a 400 whose words match it.
 */
export async function orAfter400<T>(first: () => Promise<T>, then: () => Promise<T>, about: RegExp = /[\s\S]*/): Promise<T> {
    try {
        return await first();
    } catch (err) {
        if (!(err instanceof BitsightApiError && err.status === 400 && about.test(err.apiMessage))) throw err;
        return then();
    }
}
