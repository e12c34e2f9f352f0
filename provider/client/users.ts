// The Bitsight Users API, one method a call. Answers are checked for the documented
// shape before use: a surprise becomes a clear error, never a wrong change.
import type { ApiUser, ApiUserWrite } from "../types";
import { BitsightApiError, UnexpectedResponseError } from "./errors";
import type { HttpClient, Recover } from "./http";

const USERS = "/ratings/v2/users";

export interface ListFilters {
    email?: string;
    email_q?: string;
    guid?: string[];
    "group.guid"?: string[];
    "roles.slug"?: string[];
    status?: string[];
    is_available_for_contact?: boolean;
    is_company_api_token?: boolean;
    sort?: string;
    /** Page size. Default 100 (the API's own default). */
    limit?: number;
}

/** Who the API token belongs to, from GET /ratings/v1/users/current. */
export interface TokenOwner {
    guid?: string;
    email?: string;
}

export interface AccessGroups {
    groups: { guid: string; name: string }[];
    defaultGroup?: string;
}

/**
 * Page size for listing the whole account (refresh, plan, export). The API documents no
 * maximum; a server that uses less is followed (see `list`).
 */
export const ACCOUNT_PAGE_SIZE = 1000;

/** Guards against a server whose `next` links never end. */
const MAX_PAGES = 10_000;

export class UsersApi {
    private readonly writeListeners: (() => void)[] = [];

    constructor(readonly http: HttpClient) {}

    /** Hears every change this client makes to the account (so cached reads can be retired). */
    onWrite(listener: () => void): void {
        this.writeListeners.push(listener);
    }

    private wrote(): void {
        for (const l of this.writeListeners) l();
    }

    /**
     * Every page of the listing. Once the first page gives `count`, the other pages are
     * fetched at once (the client's concurrency limit applies), at the page size the
     * server really used. If the pages do not add up to `count` (a server that pages
     * otherwise, an account that changed meanwhile), the `next` links are followed one by
     * one instead: the shortcut never decides the answer. `onPage` hears the progress.
     */
    async list(filters: ListFilters = {}, onPage?: (received: number, count: number | undefined) => void): Promise<ApiUser[]> {
        const query: Record<string, string | undefined> = { limit: String(filters.limit ?? 100), offset: "0" };
        for (const [k, v] of Object.entries(filters)) {
            if (k === "limit" || v === undefined) continue;
            query[k] = Array.isArray(v) ? v.join(",") : String(v);
        }
        const firstUrl = this.http.url(USERS, query);
        const first = parsePage((await this.http.sendUrl("GET", firstUrl)).body);
        onPage?.(first.results.length, first.count);
        if (!first.next) return first.results;
        const size = first.results.length;
        if (first.count !== undefined && size > 0 && first.count / size <= MAX_PAGES) {
            let received = size;
            const offsets: number[] = [];
            for (let o = size; o < first.count; o += size) offsets.push(o);
            const pages = await Promise.all(
                offsets.map(async (offset) => {
                    const page = parsePage((await this.http.sendUrl("GET", this.http.url(USERS, { ...query, offset: String(offset) }))).body);
                    received += page.results.length;
                    onPage?.(received, first.count);
                    return page.results;
                }),
            );
            const all = unique([first.results, ...pages].flat());
            if (all.length >= first.count) return all;
        }
        return this.followNext(first.results, new URL(first.next, firstUrl), firstUrl, onPage);
    }

    /** Pages after the first, one `next` link at a time. */
    private async followNext(
        users: ApiUser[],
        next: URL,
        firstUrl: URL,
        onPage?: (received: number, count: number | undefined) => void,
    ): Promise<ApiUser[]> {
        const seen = new Set<string>([firstUrl.href]);
        let url: URL | undefined = next;
        users = [...users];
        while (url) {
            if (seen.has(url.href) || seen.size >= MAX_PAGES) {
                throw new UnexpectedResponseError(`The Bitsight API's pagination of GET ${USERS} does not end (page ${url.search} again).`);
            }
            seen.add(url.href);
            const page = parsePage((await this.http.sendUrl("GET", url)).body);
            users.push(...page.results);
            onPage?.(users.length, page.count);
            url = page.next ? new URL(page.next, url) : undefined;
        }
        return unique(users);
    }

    /** Every user of the account: company-API-token users are hidden from a plain listing, so they are listed too. */
    async listEveryone(onPage?: (received: number, count: number | undefined) => void): Promise<ApiUser[]> {
        const [people, tokens] = await Promise.all([
            this.list({ limit: ACCOUNT_PAGE_SIZE }, onPage),
            this.list({ is_company_api_token: true, limit: ACCOUNT_PAGE_SIZE }),
        ]);
        return [...people, ...tokens];
    }

    /**
     * The user with this email, compared case-insensitively. Company-API-token users are
     * hidden from a plain listing (the filter defaults to false), so both kinds are asked for.
     */
    async findByEmail(email: string): Promise<ApiUser | undefined> {
        const wanted = email.toLowerCase();
        const found = new Map<string, ApiUser>();
        for (const tokenUsers of [false, true]) {
            const filters: ListFilters = { email };
            if (tokenUsers) filters.is_company_api_token = true;
            for (const u of await this.list(filters)) {
                if (u.email.toLowerCase() === wanted) found.set(u.guid, u);
            }
            if (found.size > 0) break;
        }
        if (found.size > 1) {
            throw new UnexpectedResponseError(
                `Bitsight holds ${found.size} users with the email ${email} (${[...found.keys()].join(", ")}); resolve that in the Bitsight UI first.`,
            );
        }
        return found.values().next().value;
    }

    async get(guid: string): Promise<ApiUser | undefined> {
        try {
            const res = await this.http.send({ method: "GET", path: `${USERS}/${encodeURIComponent(guid)}` });
            return parseUser(res.body, `GET ${USERS}/${guid}`);
        } catch (err) {
            if (err instanceof BitsightApiError && err.status === 404) return undefined;
            throw err;
        }
    }

    /** `recover` decides, after an ambiguous failure, whether the user was created after all. */
    async create(body: ApiUserWrite, recover?: Recover): Promise<ApiUser> {
        try {
            const res = await this.http.send({ method: "POST", path: USERS, body }, recover);
            return parseUser(res.body, `POST ${USERS}`);
        } finally {
            this.wrote();
        }
    }

    /** PATCH answers 200 with an undocumented body: callers read the user again. */
    async update(guid: string, body: ApiUserWrite): Promise<void> {
        try {
            await this.http.send({ method: "PATCH", path: `${USERS}/${encodeURIComponent(guid)}`, body });
        } finally {
            this.wrote();
        }
    }

    async delete(guid: string): Promise<"deleted" | "absent"> {
        try {
            await this.http.send({ method: "DELETE", path: `${USERS}/${encodeURIComponent(guid)}` });
            return "deleted";
        } catch (err) {
            if (err instanceof BitsightApiError && err.status === 404) return "absent";
            throw err;
        } finally {
            this.wrote();
        }
    }

    async tokenOwner(): Promise<TokenOwner> {
        const res = await this.http.send({ method: "GET", path: "/ratings/v1/users/current" });
        const body = asObject(res.body, "GET /ratings/v1/users/current");
        const owner: TokenOwner = {};
        if (typeof body["guid"] === "string") owner.guid = body["guid"];
        if (typeof body["email"] === "string") owner.email = body["email"];
        return owner;
    }

    async accessGroups(): Promise<AccessGroups> {
        const res = await this.http.send({ method: "GET", path: "/ratings/v1/access-groups" });
        const body = asObject(res.body, "GET /ratings/v1/access-groups");
        if (!Array.isArray(body["groups"])) {
            throw new UnexpectedResponseError("GET /ratings/v1/access-groups answered without a `groups` list.");
        }
        const groups = body["groups"].map((g) => {
            const o = asObject(g, "GET /ratings/v1/access-groups");
            if (typeof o["guid"] !== "string" || typeof o["name"] !== "string") {
                throw new UnexpectedResponseError("GET /ratings/v1/access-groups answered a group without guid or name.");
            }
            return { guid: o["guid"], name: o["name"] };
        });
        const result: AccessGroups = { groups };
        if (typeof body["default_group"] === "string") result.defaultGroup = body["default_group"];
        return result;
    }
}

function unique(users: ApiUser[]): ApiUser[] {
    return [...new Map(users.map((u) => [u.guid, u])).values()];
}

function asObject(v: unknown, what: string): Record<string, unknown> {
    if (typeof v !== "object" || v === null || Array.isArray(v)) {
        throw new UnexpectedResponseError(`${what} answered ${v === undefined ? "an empty body" : "something other than a JSON object"}.`);
    }
    return v as Record<string, unknown>;
}

function parsePage(v: unknown): { results: ApiUser[]; next: string | null; count: number | undefined } {
    const body = asObject(v, `GET ${USERS}`);
    if (!Array.isArray(body["results"])) {
        throw new UnexpectedResponseError(`GET ${USERS} answered without a \`results\` list.`);
    }
    const links = body["links"] as Record<string, unknown> | undefined;
    const next = typeof links?.["next"] === "string" && links["next"] !== "" ? links["next"] : null;
    const count = typeof body["count"] === "number" ? body["count"] : undefined;
    return { results: body["results"].map((u) => parseUser(u, `GET ${USERS}`)), next, count };
}

/** Checks the fields this provider relies on; fills documented nullables. */
export function parseUser(v: unknown, what: string): ApiUser {
    const o = asObject(v, what);
    for (const key of ["guid", "email"]) {
        if (typeof o[key] !== "string" || o[key] === "") {
            throw new UnexpectedResponseError(`${what} answered a user without \`${key}\`.`);
        }
    }
    if (!Array.isArray(o["roles"])) {
        throw new UnexpectedResponseError(`${what} answered user ${String(o["guid"])} without a \`roles\` list.`);
    }
    const group = o["group"] as { guid?: unknown; name?: unknown } | null | undefined;
    return {
        guid: o["guid"] as string,
        email: o["email"] as string,
        formal_name: typeof o["formal_name"] === "string" ? o["formal_name"] : "",
        friendly_name: typeof o["friendly_name"] === "string" ? o["friendly_name"] : "",
        group: group && typeof group.guid === "string" ? { guid: group.guid, name: typeof group.name === "string" ? group.name : "" } : null,
        status: typeof o["status"] === "string" ? o["status"] : "",
        last_login_time: typeof o["last_login_time"] === "string" ? o["last_login_time"] : null,
        joined_time: typeof o["joined_time"] === "string" ? o["joined_time"] : null,
        roles: (o["roles"] as { name?: unknown; slug?: unknown }[])
            .filter((r) => typeof r?.slug === "string")
            .map((r) => ({ slug: r.slug as string, name: typeof r.name === "string" ? r.name : "" })),
        is_available_for_contact: o["is_available_for_contact"] === true,
        is_company_api_token: o["is_company_api_token"] === true,
        features: Array.isArray(o["features"])
            ? (o["features"] as { slug?: unknown; value?: unknown; can_update?: unknown }[])
                  .filter((f) => typeof f?.slug === "string")
                  .map((f) => ({
                      slug: f.slug as string,
                      value: typeof f.value === "string" ? f.value : f.value === true,
                      can_update: f.can_update !== false,
                  }))
            : [],
        mfa_status: typeof o["mfa_status"] === "string" ? o["mfa_status"] : null,
    };
}
