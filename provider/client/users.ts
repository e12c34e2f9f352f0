// The Bitsight Users API, one method a call. Answers are checked for the documented
// shape before use: a surprise becomes a clear error, never a wrong change.
import type { ApiUser, ApiUserWrite } from "../types";
import { BitsightApiError, UnexpectedResponseError } from "./errors";
import type { HttpClient, Recover } from "./http";
import { asObject, parseUser } from "./parse-user";

const USERS = "/ratings/v2/users";

/** What a write by this client touched, so that cached answers about it are retired. */
export interface Written {
    guid?: string;
    email?: string;
}

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

/** What GET /ratings/v1/users/current says of the caller (v1 shape: roles by presentation name, no slug). */
export interface CurrentUser {
    guid?: string;
    email?: string;
    dateJoined?: string;
    groupGuid?: string;
    /** The roles' `presentation` names ("Admin"), which match the v2 role `name`s. */
    roleNames?: string[];
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
    private readonly writeListeners: ((w: Written) => void)[] = [];

    constructor(readonly http: HttpClient) {}

    /** Hears every change this client makes to the account (so cached reads can be retired). */
    onWrite(listener: (w: Written) => void): void {
        this.writeListeners.push(listener);
    }

    private wrote(w: Written): void {
        for (const l of this.writeListeners) l(w);
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
     * The user with this email, compared case-insensitively. The `email` filter is only
     * documented as a filter (it may compare case and all), so when it finds nobody the
     * `email_q` search confirms it. Company-API-token users are hidden from a plain listing
     * (the filter defaults to false), so both kinds are asked for.
     */
    async findByEmail(email: string): Promise<ApiUser | undefined> {
        return (await this.lookUp(email, { email })) ?? (await this.lookUp(email, { email_q: email }));
    }

    private async lookUp(email: string, filter: ListFilters): Promise<ApiUser | undefined> {
        const wanted = email.toLowerCase();
        const found = new Map<string, ApiUser>();
        for (const tokenUsers of [false, true]) {
            const filters: ListFilters = { ...filter };
            if (tokenUsers) filters.is_company_api_token = true;
            for (const u of await this.list(filters)) {
                if (u.email.toLowerCase() === wanted) found.set(u.guid, u);
            }
            if (found.size > 0) break;
        }
        return oneUser(email, [...found.values()]);
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
        let created: ApiUser | undefined;
        try {
            const res = await this.http.send({ method: "POST", path: USERS, body }, recover);
            return (created = parseUser(res.body, `POST ${USERS}`));
        } finally {
            this.wrote(created ? { guid: created.guid, email: body.email } : { email: body.email });
        }
    }

    /** PATCH answers 200 with an undocumented body: callers read the user again. */
    async update(guid: string, body: ApiUserWrite): Promise<void> {
        try {
            await this.http.send({ method: "PATCH", path: `${USERS}/${encodeURIComponent(guid)}`, body });
        } finally {
            this.wrote({ guid, email: body.email });
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
            this.wrote({ guid });
        }
    }

    /**
     * The caller, from GET /ratings/v1/users/current. The reference page shows no `guid` and
     * no `email` in it (the OpenAPI excerpt has both): whatever is there is returned, and
     * ./token-owner decides who the caller is.
     */
    async currentUser(): Promise<CurrentUser> {
        const what = "GET /ratings/v1/users/current";
        const body = asObject((await this.http.send({ method: "GET", path: "/ratings/v1/users/current" })).body, what);
        const current: CurrentUser = {};
        if (typeof body["guid"] === "string" && body["guid"]) current.guid = body["guid"];
        if (typeof body["email"] === "string" && body["email"]) current.email = body["email"];
        if (typeof body["date_joined"] === "string") current.dateJoined = body["date_joined"];
        const group = body["group"] as { guid?: unknown } | null | undefined;
        if (group && typeof group.guid === "string") current.groupGuid = group.guid;
        if (Array.isArray(body["roles"])) {
            const names = body["roles"].map((r: { presentation?: unknown }) => r?.presentation);
            if (names.every((n): n is string => typeof n === "string")) current.roleNames = names;
        }
        return current;
    }

    /**
     * The user with this email, compared case-insensitively, from one listing of the whole
     * account: the last word when the filters may be case-sensitive.
     */
    async findInAccount(email: string): Promise<ApiUser | undefined> {
        const wanted = email.toLowerCase();
        return (await this.listEveryone()).find((u) => u.email.toLowerCase() === wanted);
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

/** The one user with this email among `found`, undefined for none; several is an account to fix first. */
export function oneUser(email: string, found: ApiUser[]): ApiUser | undefined {
    if (found.length > 1) {
        throw new UnexpectedResponseError(
            `Bitsight holds ${found.length} users with the email ${email} (${found.map((u) => u.guid).join(", ")}); resolve that in the Bitsight UI first.`,
        );
    }
    return found[0];
}

function unique(users: ApiUser[]): ApiUser[] {
    return [...new Map(users.map((u) => [u.guid, u])).values()];
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
