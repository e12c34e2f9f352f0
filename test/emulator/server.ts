// The Bitsight emulator's HTTP side: node:http on 127.0.0.1 (port 0 by default), Basic
// auth with the token as user name, routing onto an Account, a request log for tests to
// assert exactly, and scripted replies for fault injection.
import * as http from "http";
import type { AddressInfo } from "net";
import { Account, notFound, type Reply } from "./account";
import { groupCompaniesGet, groupCompaniesPut, groupCreate, groupDelete, groupDetail, groupEdit } from "./access-groups";

export interface LoggedRequest {
    method: string;
    path: string;
    /** Query parameters in the order sent. */
    query: [string, string][];
    body?: unknown;
}

export interface Injection {
    method?: string;
    /** Exact path, or a pattern. */
    path?: string | RegExp;
    /** Text the query string must contain, e.g. `offset=100`, or a pattern it must match. */
    query?: string | RegExp;
    /** Answer this instead of the account (a scripted 429, an HTML page, malformed JSON…). */
    reply?: Reply;
    /**
     * Drop the connection without answering: `before` the account sees the request, or
     * `after` it applied it; `mid-body`: after the headers and half the body it announced.
     */
    reset?: "before" | "after" | "mid-body";
    /** Change the account's answer before it is sent (a lying count, an endless next link). */
    rewrite?: (reply: Reply, url: URL) => Reply;
    /** Answer 200 with a JSON body of this many bytes, sent in chunks; `announce`: with a Content-Length. */
    oversized?: { bytes: number; announce: boolean };
    /** Never answer (until the emulator stops): a client time-out. `after`: apply the request to the account first. */
    hang?: boolean | "after";
    /** How many matching requests it answers (default 1). */
    times?: number;
}

export interface EmulatorOptions {
    account?: Account;
    port?: number;
}

export class BitsightEmulator {
    readonly log: LoggedRequest[] = [];
    private readonly injections: (Injection & { times: number })[] = [];
    private server!: http.Server;
    url = "";
    /** Requests being handled right now, and the most there ever were at once. */
    inFlight = 0;
    peakInFlight = 0;
    /** When set, every request waits for it before being handled (tests hold requests to count them). */
    gate: (() => Promise<void>) | undefined;
    /**
     * A rate limiter under load: every `every`-th request admitted opens a window of
     * `retryAfterS` seconds in which every request (that one included) is refused with 429
     * and `Retry-After`. `refused` counts the 429s sent.
     */
    storm: { every: number; retryAfterS: number; refused: number } | undefined;
    private admitted = 0;
    private readonly watchers: { match: (r: LoggedRequest) => boolean; found: (r: LoggedRequest) => void }[] = [];

    /**
     * Resolves once a request that `match` accepts has been applied to the account (its
     * answer may still be held, cut or never sent, as a fault says): a test waits on the
     * event, not on a loop that looks.
     */
    applied(match: (r: LoggedRequest) => boolean): Promise<LoggedRequest> {
        return new Promise((found) => this.watchers.push({ match, found }));
    }
    private limitedUntil = 0;

    private constructor(public account: Account) {}

    /** A fresh account, an empty log, no scripted replies. */
    reset(account: Account): void {
        this.account = account;
        this.log.length = 0;
        this.injections.length = 0;
        this.peakInFlight = this.inFlight;
        this.gate = undefined;
        this.storm = undefined;
    }

    static async start(opts: EmulatorOptions = {}): Promise<BitsightEmulator> {
        const emu = new BitsightEmulator(opts.account ?? new Account());
        emu.server = http.createServer((req, res) => {
            emu.handle(req, res).catch((err: unknown) => {
                res.writeHead(500, { "Content-Type": "application/json" });
                res.end(JSON.stringify({ detail: `emulator error: ${String(err)}` }));
            });
        });
        await new Promise<void>((resolve, reject) => {
            emu.server.once("error", reject);
            emu.server.listen(opts.port ?? 0, "127.0.0.1", resolve);
        });
        emu.url = `http://127.0.0.1:${(emu.server.address() as AddressInfo).port}`;
        return emu;
    }

    async stop(): Promise<void> {
        this.server.closeAllConnections();
        await new Promise<void>((resolve) => this.server.close(() => resolve()));
    }

    /** The log as one line a request: `GET /ratings/v2/users?email=a%40b.com`, bodies left out. */
    requests(): string[] {
        return this.log.map((r) => `${r.method} ${r.path}${r.query.length ? `?${new URLSearchParams(r.query).toString()}` : ""}`);
    }

    /** Requests that change the account (POST, PATCH, DELETE). */
    writes(): LoggedRequest[] {
        return this.log.filter((r) => r.method !== "GET");
    }

    clearLog(): void {
        this.log.length = 0;
    }

    /**
     * A gate that holds requests until `size` are held at once, then lets them all through:
     * a client that keeps `size` requests in flight is seen doing so, whatever the machine's
     * load, and one that keeps more shows more. Requests held while nothing else arrives
     * for `idleMs` go through too, so a client with fewer to send is not stalled; that
     * delay decides only how long a test takes, never what it sees.
     */
    holdInGroups(size: number, idleMs = 25): void {
        let held: (() => void)[] = [];
        let idle: NodeJS.Timeout | undefined;
        const release = () => {
            clearTimeout(idle);
            const go = held;
            held = [];
            go.forEach((r) => r());
        };
        this.gate = () =>
            new Promise<void>((resolve) => {
                held.push(resolve);
                clearTimeout(idle);
                if (held.length >= size) release();
                else idle = setTimeout(release, idleMs);
            });
    }

    inject(injection: Injection): void {
        this.injections.push({ times: 1, ...injection });
    }

    private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
        this.inFlight++;
        this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
        res.once("close", () => this.inFlight--);
        if (this.gate) await this.gate();
        const url = new URL(req.url ?? "/", `http://${req.headers.host ?? "127.0.0.1"}`);
        const text = await readBody(req);
        const method = req.method ?? "GET";
        const entry: LoggedRequest = { method, path: url.pathname, query: [...url.searchParams.entries()] };
        let body: unknown;
        let malformed = false;
        if (text !== "") {
            try {
                body = JSON.parse(text);
            } catch {
                malformed = true;
            }
            entry.body = malformed ? text : body;
        }
        this.log.push(entry);
        if (this.rateLimited()) {
            return send(res, { status: 429, body: { detail: "Request was throttled." }, headers: { "Retry-After": String(this.storm!.retryAfterS) } });
        }
        const fault = this.injected(method, url.pathname, url.search);
        if (fault?.hang === true) return;
        if (fault?.reset === "before") return void req.socket.destroy();
        if (fault?.oversized) return sendOversized(res, fault.oversized);
        let reply = fault?.reply ?? (malformed ? { status: 400, body: { detail: "JSON parse error." } } : this.route(req, method, url, body));
        if (fault?.rewrite) reply = fault.rewrite(reply, url);
        for (const w of this.watchers.filter((w) => w.match(entry))) {
            this.watchers.splice(this.watchers.indexOf(w), 1);
            w.found(entry);
        }
        if (fault?.hang === "after") return;
        if (fault?.reset === "after") return void req.socket.destroy();
        if (fault?.reset === "mid-body") return sendHalf(res, reply);
        send(res, reply);
    }

    private rateLimited(): boolean {
        if (!this.storm) return false;
        const now = Date.now();
        if (now >= this.limitedUntil && ++this.admitted % this.storm.every === 0) this.limitedUntil = now + this.storm.retryAfterS * 1000;
        if (now >= this.limitedUntil) return false;
        this.storm.refused++;
        return true;
    }

    private injected(method: string, path: string, search: string): Injection | undefined {
        const i = this.injections.findIndex(
            (x) =>
                (!x.method || x.method === method) &&
                (!x.path || (typeof x.path === "string" ? x.path === path : x.path.test(path))) &&
                (!x.query || (typeof x.query === "string" ? search.includes(x.query) : x.query.test(search))),
        );
        if (i < 0) return undefined;
        const hit = this.injections[i]!;
        if (--hit.times <= 0) this.injections.splice(i, 1);
        return hit;
    }

    private route(req: http.IncomingMessage, method: string, url: URL, body: unknown): Reply {
        const caller = this.authenticate(req.headers.authorization);
        if (typeof caller !== "string") return caller;
        const path = url.pathname.replace(/\/+$/, "");
        const a = this.account;
        const write = (target: { user?: string; group?: unknown }) =>
            a.mayWrite(caller, target) ? undefined : { status: 403, body: { detail: "You do not have permission to perform this action." } };
        const one = /^\/ratings\/v2\/users\/([^/]+)$/.exec(path);
        if (path === "/ratings/v2/users") {
            if (method === "GET") return a.list(url.searchParams, url, caller);
            if (method === "POST") return write({ group: (body as { group?: unknown } | undefined)?.group }) ?? a.create(body);
            return notAllowed(method);
        }
        const mfa = /^\/ratings\/v2\/users\/([^/]+)\/(require-mfa|reset-mfa)$/.exec(path);
        if (mfa) {
            if (method !== "POST") return notAllowed(method);
            const guid = decodeURIComponent(mfa[1]!);
            return mfa[2] === "require-mfa" ? a.requireMfa(caller, guid) : a.resetMfa(caller, guid);
        }
        if (one && !["current", "query"].includes(one[1]!)) {
            const guid = decodeURIComponent(one[1]!);
            if (method === "GET") return a.get(guid);
            if (method === "PATCH") return write({ user: guid }) ?? a.edit(guid, body);
            if (method === "DELETE") return write({ user: guid }) ?? a.remove(guid);
            return notAllowed(method);
        }
        if (path === "/ratings/v1/customers/current/api-tokens" && method === "POST") return a.apiTokenCreate(caller, body);
        const token = /^\/ratings\/v1\/customers\/current\/api-tokens\/([^/]+)$/.exec(path);
        if (token) return method === "DELETE" ? a.apiTokenRevoke(caller, decodeURIComponent(token[1]!)) : notAllowed(method);
        if (path === "/ratings/v1/access-groups" && method === "POST") return groupCreate(a, caller, body);
        const companies = /^\/ratings\/v1\/access-groups\/([^/]+)\/companies\/guids$/.exec(path);
        if (companies) {
            const guid = decodeURIComponent(companies[1]!);
            if (method === "GET") return groupCompaniesGet(a, guid);
            if (method === "PUT") return groupCompaniesPut(a, caller, guid, body);
            return notAllowed(method);
        }
        const group = /^\/ratings\/v1\/access-groups\/([^/]+)$/.exec(path);
        if (group) {
            const guid = decodeURIComponent(group[1]!);
            if (method === "GET") return groupDetail(a, guid, url.searchParams.get("expand"));
            if (method === "PATCH") return groupEdit(a, caller, guid, body);
            if (method === "DELETE") return groupDelete(a, caller, guid);
            return notAllowed(method);
        }
        if (method !== "GET") return path.startsWith("/ratings/") ? notAllowed(method) : notFound();
        if (path === "/ratings/v1/users/current") return a.current(caller);
        if (path === "/ratings/v1/users/quota") return a.quota();
        if (path === "/ratings/v1/access-groups") return a.accessGroups();
        if (path === "/ratings/v1/customers/current/api-tokens") return a.apiTokenList(caller);
        return notFound();
    }

    private authenticate(header: string | undefined): string | Reply {
        const m = /^Basic (.+)$/.exec(header ?? "");
        if (!m) return { status: 401, body: { detail: "Authentication credentials were not provided." } };
        const decoded = Buffer.from(m[1]!, "base64").toString("utf8");
        const token = decoded.endsWith(":") ? decoded.slice(0, -1) : decoded.split(":")[0]!;
        const guid = this.account.tokens.get(token);
        if (!guid || !this.account.users.has(guid)) return { status: 401, body: { detail: "Invalid token." } };
        return guid;
    }
}

function notAllowed(method: string): Reply {
    return { status: 405, body: { detail: `Method "${method}" not allowed.` } };
}

function readBody(req: http.IncomingMessage): Promise<string> {
    return new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
        req.on("error", reject);
    });
}

/** The headers and the first half of the body, then the connection is destroyed. */
function sendHalf(res: http.ServerResponse, reply: Reply): void {
    const payload = Buffer.from(JSON.stringify(reply.body ?? {}));
    res.writeHead(reply.status, { "Content-Type": "application/json", "Content-Length": String(payload.length) });
    res.write(payload.subarray(0, payload.length >> 1), () => setTimeout(() => res.socket?.destroy(), 20));
}

/** A JSON listing of `bytes` bytes, streamed in 64 KiB chunks; stops when the client goes away. */
function sendOversized(res: http.ServerResponse, o: { bytes: number; announce: boolean }): void {
    const head = '{"links":{"next":null},"count":1,"results":[],"padding":"';
    const tail = '"}';
    const headers: Record<string, string> = { "Content-Type": "application/json" };
    if (o.announce) headers["Content-Length"] = String(o.bytes);
    res.writeHead(200, headers);
    let left = o.bytes - head.length - tail.length;
    res.write(head);
    const chunk = Buffer.alloc(64 * 1024, "x");
    const more = (): void => {
        while (left > 0 && !res.destroyed) {
            const n = Math.min(left, chunk.length);
            left -= n;
            if (!res.write(chunk.subarray(0, n))) return void res.once("drain", more);
        }
        if (!res.destroyed) res.end(tail);
    };
    res.on("error", () => undefined);
    more();
}

function send(res: http.ServerResponse, reply: Reply): void {
    const headers: Record<string, string> = { ...(reply.headers ?? {}) };
    let payload = "";
    if (reply.text !== undefined) {
        payload = reply.text;
        headers["Content-Type"] ??= "text/html; charset=utf-8";
    } else if (reply.body !== undefined && reply.status !== 204) {
        payload = JSON.stringify(reply.body);
        headers["Content-Type"] = "application/json";
    }
    res.writeHead(reply.status, headers);
    res.end(payload);
}
