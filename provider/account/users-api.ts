// The Bitsight Users API, one method a call. Answers are checked for the documented
// shape before use: a surprise becomes a clear error, never a wrong change.
import { listAccessGroups, type AccessGroups } from "./access-groups";
import type { ApiUser, ApiUserWrite } from "../model/wire";
import { BitsightApiError, isUnavailable, UnexpectedResponseError } from "../client/errors";
import type { HttpClient, Recover } from "../client/http";
import { forTerminal } from "../escape/terminal";
import { asObject, bitsightTime, parseUser } from "./parse-user";
import { listApiTokens, type ApiTokens } from "./api-tokens";

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

/** The account's active-user seats (GET /ratings/v1/users/quota), or why they could not be read. */
export type Seats = { remaining: number; total: number; active: number } | { unavailable: string };

export type { AccessGroups };

/**
 * Page size for listing the whole account (refresh, plan, export). The API documents no
 * maximum; a server that uses less is followed (see `list`).
 */
export const ACCOUNT_PAGE_SIZE = 1000;

/** The most users one listing may announce: a larger `count` is a server to distrust, not an account. */
export const MAX_ACCOUNT_USERS = 100_000;

/** Pages past what `count` needs that are still followed (an account that grew during the listing). */
const PAGE_SLACK = 2;

/**
 * Who is a person and who a company-API-token user, asked so that every reading of
 * `is_company_api_token` gives both: false (people) and true (token users, or everyone
 * where true means "include"). The two may overlap; they are merged by GUID
 * (`mergeByGuid`), and who is a token user is read from each user's own field.
 */
export const TOKEN_SLICES: readonly ListFilters[] = [{ is_company_api_token: false }, { is_company_api_token: true }];

/**
 * The whole account: each token slice as it lists by default, and again with
 * `status=Deactivated`, since v1's listing hides inactive users by default and v2's page
 * does not say it does not. Naming every documented status instead would hide a user
 * whose status is not documented (v1's enum adds `Deleted`).
 */
export const ACCOUNT_SLICES: readonly ListFilters[] = TOKEN_SLICES.flatMap((slice) => [slice, { ...slice, status: ["Deactivated"] }]);

/** The order every listing asks for: the API documents no default, and offset pages of an unordered query overlap. */
export const STABLE_SORT = "guid";

/** What a listing that does not add up to its `count` does: `warn` (a read-only view) or `fail` (anything that decides a write). */
export type Shortfall = "warn" | "fail";

/** A listed row that is not a user the provider can read (a field missing or of another type). */
export interface OddRow {
    guid?: string;
    email?: string;
    /** What is wrong with it, as parse-user says it. */
    problem: string;
}

export interface ListOptions {
    /** Progress: users received so far, and the count announced. */
    onPage?: (received: number, count: number | undefined) => void;
    shortfall?: Shortfall;
    /**
     * An odd row: without it, the listing fails naming the row; with it, the row is
     * handed here and skipped (a read-only view shows it and reads the rest of the account).
     */
    onOdd?: (row: OddRow) => void;
}

/** Pages asked for at once, by offset, once `count` is known. */
const PAGE_WAVE = 8;

/** The most pages one listing reads, whatever was announced (1,000 rows a page: a million users). */
const MAX_PAGES = 1_000;

export class UsersApi {
    private readonly writeListeners: ((w: Written) => void)[] = [];
    private current: Promise<CurrentUser> | undefined;

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
     *
     * What the server announced bounds what is read: no more pages than `count` needs
     * (and a little slack for an account that grew meanwhile), no `count` above
     * MAX_ACCOUNT_USERS; fewer users than announced is a warning or an error, as
     * `opts.shortfall` says; one user listed twice with different content is an error,
     * since which copy is true cannot be known. Every listing asks for STABLE_SORT.
     */
    async list(filters: ListFilters = {}, opts: ListOptions = {}): Promise<ApiUser[]> {
        const { onPage, shortfall = "warn" } = opts;
        const parsePage = (v: unknown) => readPage(v, opts.onOdd !== undefined);
        const limit = filters.limit ?? 100;
        const query: Record<string, string | undefined> = { limit: String(limit), offset: "0", sort: filters.sort ?? STABLE_SORT };
        for (const [k, v] of Object.entries(filters)) {
            if (k === "limit" || k === "sort" || v === undefined) continue;
            query[k] = Array.isArray(v) ? v.join(",") : String(v);
        }
        const firstUrl = this.http.url(USERS, query);
        const first = parsePage((await this.http.sendUrl("GET", firstUrl)).body);
        onPage?.(first.rows, first.count);
        const users = new Collected();
        users.add(first);
        const checked = (count: number | undefined) => users.checked(count, this.http, shortfall, opts.onOdd);
        if (!first.next) return checked(first.count);
        if (first.count !== undefined && first.count > MAX_ACCOUNT_USERS) {
            throw new UnexpectedResponseError(
                `GET ${USERS} announced ${first.count} users; the provider reads at most ${MAX_ACCOUNT_USERS} in one listing. Check bitsight:apiUrl: no Bitsight account is this large.`,
            );
        }
        const size = first.rows;
        if (first.count !== undefined && size > 0 && Math.ceil(first.count / size) > MAX_PAGES) {
            throw new UnexpectedResponseError(
                `GET ${USERS} announced ${first.count} users in pages of ${size}: more than the ${MAX_PAGES} pages the provider reads in one listing. Check bitsight:apiUrl.`,
            );
        }
        if (first.count !== undefined && size > 0) {
            const count = first.count;
            const offsets: number[] = [];
            for (let o = size; o < count; o += size) offsets.push(o);
            // In waves, so that a count that lies costs one wave, not every page it claims.
            for (let i = 0; i < offsets.length; i += PAGE_WAVE) {
                const wave = offsets.slice(i, i + PAGE_WAVE);
                const pages = await Promise.all(
                    wave.map(async (offset) => {
                        const page = parsePage((await this.http.sendUrl("GET", this.http.url(USERS, { ...query, offset: String(offset) }))).body);
                        users.add(page);
                        onPage?.(users.size, count);
                        return page.rows;
                    }),
                );
                if (pages.some((n, j) => n < size && wave[j]! + size < count)) break;
            }
            if (users.size >= count) return checked(count);
            users.reset(first);
        }
        // An empty page counts like any other: what the count announced, at the page size asked
        // for when the server sent none, bounds the pages followed.
        const pages = first.count !== undefined ? Math.ceil(first.count / (size > 0 ? size : limit)) + PAGE_SLACK : MAX_PAGES;
        await this.followNext(users, new URL(first.next, firstUrl), firstUrl, pages, first.count, parsePage, onPage);
        return checked(first.count);
    }

    /** Pages after the first, one `next` link at a time, at most `maxPages` in all. */
    private async followNext(
        users: Collected,
        next: URL,
        firstUrl: URL,
        maxPages: number,
        count: number | undefined,
        parsePage: (v: unknown) => Page,
        onPage?: (received: number, count: number | undefined) => void,
    ): Promise<void> {
        const seen = new Set<string>([firstUrl.href]);
        for (let url: URL | undefined = next; url; ) {
            if (seen.has(url.href)) {
                throw new UnexpectedResponseError(`The Bitsight API's pagination of GET ${USERS} does not end (page ${forTerminal(url.search)} again).`);
            }
            if (seen.size >= maxPages) {
                const announced = count === undefined ? "without announcing a count" : `past the ${count} users its count announced`;
                throw new UnexpectedResponseError(
                    `The Bitsight API's pagination of GET ${USERS} goes on ${announced}: ${seen.size} pages read, ${users.size} users, and still a next link. ` +
                        `Stopped there; nothing was decided from a listing that does not end. Run again later; if it persists, check bitsight:apiUrl.`,
                );
            }
            seen.add(url.href);
            const page = parsePage((await this.http.sendUrl("GET", url)).body);
            users.add(page);
            onPage?.(users.size, page.count);
            url = page.next ? new URL(page.next, url) : undefined;
        }
    }

    /**
     * Every user of the account (ACCOUNT_SLICES, merged by GUID). `shortfall`: a listing
     * that does not add up fails by default, since what is not listed would be planned
     * for creation; a read-only view may pass `warn`.
     */
    async listEveryone(opts: ListOptions = {}): Promise<ApiUser[]> {
        const { onPage, ...rest } = opts;
        const listed = await Promise.all(
            ACCOUNT_SLICES.map((slice, i) => this.list({ ...slice, limit: ACCOUNT_PAGE_SIZE }, { shortfall: "fail", ...rest, ...(i === 0 && onPage ? { onPage } : {}) })),
        );
        return mergeByGuid(listed);
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

    /**
     * `recover` decides, after an ambiguous failure, whether the user was created after all.
     * The OpenAPI documents no body for the 201, so a success that does not give the user is
     * followed by one read: of its GUID when the answer has one, else `lookUp` (by email).
     */
    async create(body: ApiUserWrite, recover?: Recover, lookUp?: () => Promise<ApiUser | undefined>): Promise<ApiUser> {
        let created: ApiUser | undefined;
        try {
            const res = await this.http.send({ method: "POST", path: USERS, body }, recover);
            return (created = await this.createdUser(res.body, lookUp));
        } finally {
            this.wrote(created ? { guid: created.guid, email: body.email } : { email: body.email });
        }
    }

    private async createdUser(answer: unknown, lookUp?: () => Promise<ApiUser | undefined>): Promise<ApiUser> {
        const what = `POST ${USERS}`;
        try {
            return parseUser(answer, what);
        } catch (err) {
            if (!(err instanceof UnexpectedResponseError)) throw err;
            const guid = (answer as { guid?: unknown } | null | undefined)?.guid;
            const user = typeof guid === "string" && guid !== "" ? await this.get(guid) : await lookUp?.();
            if (user) return user;
            throw new UnexpectedResponseError(
                `${what} succeeded without giving the user it created, and reading it back found nobody. The user may exist now: ` +
                    `run again; if the email then exists, set \`adopt: true\` to take it over.`,
            );
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

    /**
     * POST …/require-mfa: the user must set up 2FA at next login. The API answers 400 where
     * 2FA is enabled already (and, some readings say, where it is pending): that answer is
     * returned as "refused", for the caller to judge from the user's own mfa_status.
     */
    async requireMfa(guid: string): Promise<"required" | "refused"> {
        try {
            await this.http.send({ method: "POST", path: `${USERS}/${encodeURIComponent(guid)}/require-mfa` });
            return "required";
        } catch (err) {
            if (err instanceof BitsightApiError && err.status === 400) return "refused";
            throw err;
        } finally {
            this.wrote({ guid });
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
    currentUser(): Promise<CurrentUser> {
        // The caller does not change for a client's life: asked once (again after a failure).
        this.current ??= this.askCurrentUser().catch((err: unknown) => {
            this.current = undefined;
            throw err;
        });
        return this.current;
    }

    private async askCurrentUser(): Promise<CurrentUser> {
        const what = "GET /ratings/v1/users/current";
        const body = asObject((await this.http.send({ method: "GET", path: "/ratings/v1/users/current" })).body, what);
        const current: CurrentUser = {};
        if (typeof body["guid"] === "string" && body["guid"]) current.guid = body["guid"];
        if (typeof body["email"] === "string" && body["email"]) current.email = body["email"];
        // The reference page names it date_joined, the OpenAPI's v1 schema joined_date.
        const joined = body["date_joined"] ?? body["joined_date"];
        if (typeof joined === "string") current.dateJoined = bitsightTime(joined);
        const group = body["group"] as { guid?: unknown } | null | undefined;
        if (group && typeof group.guid === "string") current.groupGuid = group.guid;
        if (Array.isArray(body["roles"])) {
            const names = body["roles"].map((r: { presentation?: unknown }) => r?.presentation);
            if (names.every((n): n is string => typeof n === "string")) current.roleNames = names;
        }
        return current;
    }

    /** The seats left. A 403 or 404 (a token or an account without that endpoint) is an answer, not a failure. */
    async quota(): Promise<Seats> {
        const what = "GET /ratings/v1/users/quota";
        let body: Record<string, unknown>;
        try {
            body = asObject((await this.http.send({ method: "GET", path: "/ratings/v1/users/quota" })).body, what);
        } catch (err) {
            if (isUnavailable(err)) return { unavailable: `${what} answered ${err.status}` };
            throw err;
        }
        const num = (k: string) => {
            const v = body[k];
            if (typeof v !== "number" || !Number.isInteger(v) || v < 0) throw new UnexpectedResponseError(`${what} answered without a whole \`${k}\`.`);
            return v;
        };
        return { remaining: num("remaining_active_quota"), total: num("total_active_quota"), active: num("active_user_count") };
    }

    /** The company API tokens (./api-tokens): read only. */
    apiTokens(): Promise<ApiTokens> {
        return listApiTokens(this.http);
    }

    accessGroups(): Promise<AccessGroups> {
        return listAccessGroups(this.http);
    }
}

/** The one user with this email among `found`, undefined for none; several is an account to fix first. */
export function oneUser(found: ApiUser[]): ApiUser | undefined {
    if (found.length > 1) throw new CaseTwinsError([found]);
    return found[0];
}

/**
 * Users whose emails differ only in case. Bitsight compares emails case-insensitively
 * when it refuses a duplicate, so such users should not exist; where they do, which one a
 * declaration means cannot be decided, and choosing one would hide the other (an Admin,
 * perhaps) from every review.
 */
export class CaseTwinsError extends UnexpectedResponseError {
    override name = "CaseTwinsError";
    constructor(readonly twins: ApiUser[][]) {
        const groups = twins.map((g) => g.map((u) => `${forTerminal(u.email)} (${forTerminal(u.guid)})`).join(" and "));
        super(
            `Bitsight holds users whose emails differ only in case: ${groups.join("; ")}. Which one the users file means cannot be decided, ` +
                `so nothing was compared or written. Delete or rename one of each in the Bitsight UI, then run again.`,
        );
    }
}

/** Refuses an account in which two users' emails differ only in case (CaseTwinsError). */
export function assertUniqueEmails(users: ApiUser[]): void {
    const twins = [...byLowerEmail(users).values()].filter((g) => g.length > 1);
    if (twins.length > 0) throw new CaseTwinsError(twins);
}

/** Users by lower-cased email: Bitsight compares emails without case. */
export function byLowerEmail(users: Iterable<ApiUser>): Map<string, ApiUser[]> {
    const byEmail = new Map<string, ApiUser[]>();
    for (const u of users) {
        const key = u.email.toLowerCase();
        byEmail.set(key, [...(byEmail.get(key) ?? []), u]);
    }
    return byEmail;
}

/**
 * The users of a listing's pages, by GUID. The same user on two pages (an account that
 * shifted while it was listed) is kept once; listed twice with different content, it is
 * an error: which copy is the account's cannot be known.
 */
class Collected {
    private readonly byGuid = new Map<string, { user: ApiUser; text: string }>();
    /** Odd rows, by GUID where they have one: listed, so counted, but not users. */
    private readonly odd = new Map<string, OddRow>();

    /** Rows received: users and odd rows. */
    get size(): number {
        return this.byGuid.size + this.odd.size;
    }

    add(page: { results: ApiUser[]; odd?: OddRow[] }): void {
        for (const row of page.odd ?? []) this.odd.set(row.guid ?? `#${this.odd.size}`, row);
        for (const user of page.results) {
            const text = JSON.stringify(user);
            const before = this.byGuid.get(user.guid);
            if (before && before.text !== text) {
                throw new UnexpectedResponseError(
                    `The Bitsight API listed user ${forTerminal(user.guid)} twice with different content (GET ${USERS}); which is the account's cannot be known, so nothing was decided. ` +
                        `Run again; if it persists, the API's pagination is not to be trusted.`,
                );
            }
            this.byGuid.set(user.guid, { user, text });
        }
    }

    reset(page: { results: ApiUser[]; odd?: OddRow[] }): void {
        this.byGuid.clear();
        this.odd.clear();
        this.add(page);
    }

    get users(): ApiUser[] {
        return [...this.byGuid.values()].map((e) => e.user);
    }

    /** The users, with a warning (or, for `fail`, an error) when fewer arrived than the listing announced; odd rows go to `onOdd`. */
    checked(count: number | undefined, http: HttpClient, shortfall: Shortfall, onOdd?: (row: OddRow) => void): ApiUser[] {
        if (count !== undefined && this.size < count) {
            const said = `GET ${USERS} announced ${count} users but listed ${this.size}`;
            if (shortfall === "fail") {
                throw new UnexpectedResponseError(
                    `${said}: a user missing from the listing would be planned for creation, so nothing was decided from it. ` +
                        `Run again (an account that changed during the listing); if it persists, the API's count or pagination is not to be trusted.`,
                );
            }
            http.warn(`${said}; users may be missing from what follows (an account that changed during the listing, or an API that miscounts).`);
        }
        for (const row of this.odd.values()) onOdd?.(row);
        return this.users;
    }
}

/**
 * Listings of one account as one list, by GUID: the same user in two (the token filter
 * read another way) is one user; the same GUID with different content is an error.
 */
export function mergeByGuid(listings: ApiUser[][]): ApiUser[] {
    const all = new Collected();
    for (const l of listings) all.add({ results: l });
    return all.users;
}

interface Page {
    results: ApiUser[];
    odd: OddRow[];
    /** Rows listed, odd ones included: what counts against the announced `count`. */
    rows: number;
    next: string | null;
    count: number | undefined;
}

function readPage(v: unknown, skipOdd: boolean): Page {
    const what = `GET ${USERS}`;
    const body = asObject(v, what);
    if (!Array.isArray(body["results"])) {
        throw new UnexpectedResponseError(`${what} answered without a \`results\` list.`);
    }
    const links = body["links"] as Record<string, unknown> | undefined;
    const next = typeof links?.["next"] === "string" && links["next"] !== "" ? links["next"] : null;
    const count = typeof body["count"] === "number" ? body["count"] : undefined;
    const results: ApiUser[] = [];
    const odd: OddRow[] = [];
    for (const row of body["results"] as unknown[]) {
        try {
            results.push(parseUser(row, what));
        } catch (err) {
            if (!skipOdd || !(err instanceof UnexpectedResponseError)) throw err;
            odd.push(oddRow(row, err.message));
        }
    }
    return { results, odd, rows: body["results"].length, next, count };
}

function oddRow(row: unknown, problem: string): OddRow {
    const o = (typeof row === "object" && row !== null ? row : {}) as Record<string, unknown>;
    const odd: OddRow = { problem };
    if (typeof o["guid"] === "string") odd.guid = o["guid"];
    if (typeof o["email"] === "string") odd.email = o["email"];
    return odd;
}
