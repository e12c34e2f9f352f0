// An in-memory Bitsight account that answers the Users API as its reference pages
// (../shared/seeds) show it: v2 users (list with filters and pagination, get, create,
// edit, delete), v1 current user, quota, access groups and company API tokens (list,
// create, revoke); the one-role-per-request rule,
// users holding several roles, features that cannot be changed, duplicate emails refused
// case-insensitively, the monthly creation limit, admin-only writes.
//
// Where the pages are silent, the emulator does not pick the answer our code expects:
// each plausible behaviour is a switch in `Quirks`, and the tests that depend on it run
// under every value (test/helpers/quirks).
import { randomBytes } from "crypto";
import { groupView } from "./access-groups";

export interface StoredFeature {
    value: boolean | string;
    can_update: boolean;
}

export interface StoredUser {
    guid: string;
    email: string;
    formal_name: string;
    friendly_name: string;
    group: string;
    status: "Created" | "Activated" | "Deactivated";
    /** Slugs, in the order the API lists them. Usually one; a user may hold several (a ratings and a VRM role). */
    roles: string[];
    is_available_for_contact: boolean;
    is_company_api_token: boolean;
    features: Record<string, StoredFeature>;
    joined_time: string;
    last_login_time: string | null;
    mfa_status: "enabled" | "not_enabled" | "pending";
    landing_page: "DEFAULT" | "SPM" | "TPRM";
}

export interface Group {
    guid: string;
    name: string;
    allow_bundled_companies?: boolean;
    can_set_tier_scope?: boolean;
    /** The built-in group that sees every company; by default the one named "All Companies". */
    all_companies?: boolean;
    /** The GUIDs of the companies of the portfolio the group sees (…/companies/guids). */
    companies?: string[];
}

export interface Reply {
    status: number;
    body?: unknown;
    /** Raw text instead of JSON (HTML error pages). */
    text?: string;
    headers?: Record<string, string>;
}

export const ROLE_NAMES: Record<string, string> = {
    customer_admin: "Admin",
    customer_group_admin: "Group Admin",
    customer_portfolio_manager: "Portfolio Manager",
    customer_user: "User",
    vrm_admin: "VRM Admin",
    vrm_operations: "VRM Operations",
    vrm_view_only: "VRM View Only",
    vrm_internal_business_user: "VRM Internal Business User",
    vulnerability_response_outreach: "Vulnerability Response Outreach",
    trust_management_admin: "TMH Admin",
    trust_management_sales_operations: "TMH Sales Operations",
};

/** Which product a role belongs to: the platform's (customer_*), Vendor Risk Management's or Trust Management Hub's. */
export function productOf(slug: string): string {
    if (slug.startsWith("customer_")) return "platform";
    if (slug.startsWith("vrm_") || slug === "vulnerability_response_outreach") return "vrm";
    if (slug.startsWith("trust_management_")) return "tmh";
    return slug;
}

/** v1 (`/ratings/v1/users/current`) names a role by an internal name and a presentation, not a slug. */
export const V1_ROLE_NAMES: Record<string, string> = {
    customer_admin: "Customer Admin",
    customer_group_admin: "Customer Group Admin",
    customer_portfolio_manager: "Customer Portfolio Manager",
    customer_user: "Customer User",
};

/**
 * What the reference pages leave open. Each field is one question; the first value listed
 * is the default (what the pages suggest most), the others are plausible answers a test
 * suite must also survive.
 */
export interface Quirks {
    /**
     * GET /ratings/v1/users/current. `documented`: as the reference page shows it, with no
     * `guid` and no `email`. `identified`: with both, as the OpenAPI excerpt's schema has them.
     */
    currentUser: "documented" | "identified";
    /** The `email` filter of GET /ratings/v2/users: `exact` (as written, case included) or `caseInsensitive`. */
    emailFilter: "exact" | "caseInsensitive";
    /** The `email_q` search ("search by the user's email address"): a contains-search, `caseInsensitive` or `caseSensitive`. */
    emailSearch: "caseInsensitive" | "caseSensitive";
    /**
     * PATCH `roles` on a user who holds several: `replace` leaves only the given role; `add`
     * keeps the others; `perProduct` replaces the user's role of the same product and keeps
     * the roles of other products (a VRM role beside the platform role).
     */
    patchRoles: "replace" | "add" | "perProduct";
    /** The `guid` filter: `list` takes several, comma separated (OpenAPI); `single` takes one (the reference page). */
    guidFilter: "list" | "single";
    /**
     * `is_company_api_token`. `tokensOnly`: absent or false lists people, true lists token
     * users only. `everyone`: absent or false lists people, true lists everyone (the
     * reference page's "true = include"). `noDefault`: absent lists everyone, true token
     * users only, false people only.
     */
    tokenFilter: "tokensOnly" | "everyone" | "noDefault";
    /** A listing without `status`: `all` statuses (v2 says nothing), or `activeOnly` (v1's page: inactive users hidden by default). */
    statusDefault: "all" | "activeOnly";
    /** The `status` and `roles.slug` filters: `applied`, or accepted and `ignored`. */
    roleStatusFilters: "applied" | "ignored";
    /** A listing without `sort`: `stable` (by guid), or `unordered` (each page drawn from a differently ordered account). */
    pageOrder: "stable" | "unordered";
    /** POST's 201: the created `user` (reference page), `empty` (the OpenAPI documents no body), or `partial` (its guid alone). */
    postBody: "user" | "empty" | "partial";
    /** PATCH `features`: `merge`d into the user's features, or `replace`s them (an unnamed changeable feature goes back to false). */
    patchFeatures: "merge" | "replace";
    /** `features[].value`: `boolean` everywhere, or `string` for fq-access (the OpenAPI types it boolean or string). */
    featureValues: "boolean" | "string";
    /**
     * Times: `iso` with a Z (reference pages), `zoneless` as the OpenAPI's examples write
     * them (`2024-04-01 12:34:56`), or `mixed`: zoneless in v1 answers, ISO in v2's.
     */
    timeFormat: "iso" | "zoneless" | "mixed";
    /** v1 current user's joined time: `date_joined` (reference page) or `joined_date` (the OpenAPI's v1 schema). */
    joinedField: "date_joined" | "joined_date";
    /** A role of VRM or TMH in POST or PATCH: `settable` through the Users API, or `refused` (assigned in those apps only). */
    productRoles: "settable" | "refused";
    /**
     * GET /ratings/v1/users/current for a company API token, whose user is hidden from the
     * UI: `answered` as for a person (under `currentUser`); `refused` (403: there is no
     * person behind the token); or `bare` (200 with the customer alone: no roles, group or
     * joined date). The pages show a person's answer only; the v2 page says "unknown".
     */
    companyTokenCurrent: "answered" | "refused" | "bare";
    /** POST and PATCH …/access-groups: a `flat` body (the help pages), or one `wrapped` in `{"body": …}` (the OpenAPI); the other is a 400. */
    groupBody: "flat" | "wrapped";
    /** POST …/access-groups with another group's name: `repeated` (accepted: names are not documented as unique), or `unique` (400). */
    groupNames: "repeated" | "unique";
    /** DELETE of a group that still has users: `refused` (400), or `moved` (its users silently land in the default group). */
    groupDelete: "refused" | "moved";
    /** GET …/access-groups/{guid}?expand=users: `users` lists the group's users; `ignored` answers the group alone (its user_count). */
    groupExpand: "users" | "ignored";
    /** GET and PUT …/access-groups/{guid}/companies/guids: `{"guids": […]}` (`object`) or a bare list (`array`); a PUT of the other is a 400. */
    groupCompanies: "object" | "array";
    /** What a PUT of companies does: `replace` the group's companies with those sent, or `add` them to those it has. */
    groupCompaniesPut: "replace" | "add";
    /** What a token that is not an Admin's (a Group Admin's) lists: `ownGroup`, the users of its group, or `everyone` (it may still edit only its group's). */
    groupAdminListing: "ownGroup" | "everyone";
    /** POST …/require-mfa for a user whose 2FA is already `pending`: `accepted` (200, it stays pending) or `refused` (400, as for `enabled`). The pages say neither. */
    requireMfaPending: "accepted" | "refused";
    /** POST …/api-tokens' 201: the token's whole value (the OpenAPI: "only fully displayed on the post response"), `masked` as the listing shows it, or `empty` (no body). */
    tokenCreated: "full" | "masked" | "empty";
    /** POST …/api-tokens with another token's description: `repeated` (accepted: two tokens share it), or `unique` (400). The pages say neither. */
    tokenDescriptions: "repeated" | "unique";
    /** POST …/api-tokens' `group` ("Acess Control Group to relate token to", a string): a group's `guid`, or its `name` (as the listing shows it); the other is a 400. */
    tokenGroup: "guid" | "name";
}

/** A company API token as GET /ratings/v1/customers/current/api-tokens lists it (the OpenAPI's APIToken). */
export interface StoredApiToken {
    guid: string;
    description: string;
    /** The whole token; listed masked but its last four. */
    token: string;
    created_date: string;
    creator_name: string;
    /** The access group's name. */
    group: string;
    roles: { display_name: string; slug: string }[];
    /** The hidden user the token authenticates as, when the emulator made it (POST). */
    user?: string;
}

export const QUIRK_VALUES: { readonly [K in keyof Quirks]: readonly Quirks[K][] } = {
    currentUser: ["documented", "identified"],
    emailFilter: ["exact", "caseInsensitive"],
    emailSearch: ["caseInsensitive", "caseSensitive"],
    patchRoles: ["replace", "add", "perProduct"],
    guidFilter: ["list", "single"],
    tokenFilter: ["tokensOnly", "everyone", "noDefault"],
    statusDefault: ["all", "activeOnly"],
    roleStatusFilters: ["applied", "ignored"],
    pageOrder: ["stable", "unordered"],
    postBody: ["user", "empty", "partial"],
    patchFeatures: ["merge", "replace"],
    featureValues: ["boolean", "string"],
    timeFormat: ["iso", "zoneless", "mixed"],
    joinedField: ["date_joined", "joined_date"],
    productRoles: ["settable", "refused"],
    requireMfaPending: ["accepted", "refused"],
    tokenCreated: ["full", "masked", "empty"],
    tokenDescriptions: ["repeated", "unique"],
    tokenGroup: ["guid", "name"],
    groupBody: ["flat", "wrapped"],
    groupNames: ["repeated", "unique"],
    groupDelete: ["refused", "moved"],
    groupExpand: ["users", "ignored"],
    groupCompanies: ["object", "array"],
    groupCompaniesPut: ["replace", "add"],
    companyTokenCurrent: ["answered", "refused", "bare"],
    groupAdminListing: ["ownGroup", "everyone"],
};

export function defaultQuirks(): Quirks {
    return Object.fromEntries(Object.entries(QUIRK_VALUES).map(([k, v]) => [k, v[0]])) as unknown as Quirks;
}

export const FEATURES = ["wfh-ro", "fq-access"];
/** Roles that can add, change and delete users (Bitsight's "VRM & TMH user roles" page). */
const USER_MANAGERS = ["customer_admin", "vrm_admin", "trust_management_admin"];
export const STATUSES: readonly StoredUser["status"][] = ["Created", "Activated", "Deactivated"];
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export interface AccountOptions {
    customer?: { guid: string; name: string };
    groups?: Group[];
    defaultGroup?: string;
    monthlyCreationLimit?: number;
    totalActiveQuota?: number;
    clock?: () => Date;
    quirks?: Partial<Quirks>;
}

export class Account {
    readonly users = new Map<string, StoredUser>();
    readonly tokens = new Map<string, string>();
    /** The company API tokens the account lists (their hidden users are in `users`). */
    readonly apiTokens: StoredApiToken[] = [];
    /** The token retrieval emails POST …/api-tokens sent: the value goes to the person, nowhere else. */
    readonly retrievalEmails: { to: string; description: string; token: string }[] = [];
    readonly groups: Group[];
    defaultGroup: string;
    /** The GUIDs of the companies in the account's portfolio: what a group may be given. */
    readonly portfolio: string[] = ["f0000000-0000-4000-8000-000000000001", "f0000000-0000-4000-8000-000000000002", "f0000000-0000-4000-8000-000000000003"];
    readonly customer: { guid: string; name: string };
    monthlyCreationLimit: number;
    totalActiveQuota: number;
    createdThisMonth = 0;
    /** How GET /ratings/v1/users/quota answers: 200 (default), or 403 / 404 as some tokens or accounts may get. */
    quotaStatus: 200 | 403 | 404 = 200;
    /** The most rows a page holds whatever `limit` asks (the real maximum is not documented). */
    pageCap = Infinity;
    quirks: Quirks;
    /** The `name` the API gives each role slug (the hostile account renames one). */
    readonly roleNames: Record<string, string> = { ...ROLE_NAMES };
    private readonly clock: () => Date;
    private nextId = 1;
    /** Listings answered without `sort`, each shuffled its own way under `pageOrder: unordered`. */
    private unsortedListings = 0;

    constructor(opts: AccountOptions = {}) {
        this.customer = opts.customer ?? { guid: "c0000000-0000-4000-8000-000000000001", name: "Example Corp" };
        this.groups = opts.groups ?? [{ guid: "a0000000-0000-4000-8000-000000000001", name: "All Companies" }];
        this.defaultGroup = opts.defaultGroup ?? this.groups[0]!.guid;
        this.monthlyCreationLimit = opts.monthlyCreationLimit ?? 300;
        this.totalActiveQuota = opts.totalActiveQuota ?? 99999;
        this.clock = opts.clock ?? (() => new Date("2026-11-01T09:00:00Z"));
        this.quirks = { ...defaultQuirks(), ...opts.quirks };
    }

    private now(): string {
        return this.clock().toISOString().replace(/\.\d{3}Z$/, "Z");
    }

    newGuid(): string {
        return `e0000000-0000-4000-8000-${(this.nextId++).toString(16).padStart(12, "0")}`;
    }

    /** Test set-up: add a user directly, bypassing the API's limits. `role` is a shorthand for `roles: [role]`. */
    addUser(u: Partial<StoredUser> & { email: string; role?: string }): StoredUser {
        const user: StoredUser = {
            guid: u.guid ?? this.newGuid(),
            formal_name: u.formal_name ?? u.email.split("@")[0]!,
            friendly_name: u.friendly_name ?? u.email.split("@")[0]!,
            group: u.group ?? this.defaultGroup,
            status: u.status ?? "Activated",
            roles: u.roles ?? [u.role ?? "customer_user"],
            is_available_for_contact: u.is_available_for_contact ?? false,
            is_company_api_token: u.is_company_api_token ?? false,
            features: u.features ?? defaultFeatures(),
            joined_time: u.joined_time ?? this.now(),
            last_login_time: u.last_login_time ?? null,
            mfa_status: u.mfa_status ?? "not_enabled",
            landing_page: u.landing_page ?? "DEFAULT",
            email: u.email,
        };
        this.users.set(user.guid, user);
        return user;
    }

    /** Test set-up: a token that authenticates as this user. */
    addToken(token: string, userGuid: string): void {
        this.tokens.set(token, userGuid);
    }

    /** Test set-up and the tests' view: the user with this email, compared case-insensitively. */
    findByEmail(email: string): StoredUser | undefined {
        const wanted = email.toLowerCase();
        return [...this.users.values()].find((u) => u.email.toLowerCase() === wanted);
    }

    toApi(u: StoredUser): Record<string, unknown> {
        const group = this.groups.find((g) => g.guid === u.group);
        return {
            guid: u.guid,
            friendly_name: u.friendly_name,
            formal_name: u.formal_name,
            email: u.email,
            group: group ? { guid: group.guid, name: group.name } : null,
            landing_page: u.landing_page,
            status: u.status,
            last_login_time: this.time(u.last_login_time),
            joined_time: this.time(u.joined_time),
            roles: u.roles.map((slug) => ({ name: this.roleNames[slug] ?? slug, slug })),
            is_available_for_contact: u.is_available_for_contact,
            is_company_api_token: u.is_company_api_token,
            features: Object.entries(u.features).map(([slug, f]) => ({ slug, value: this.featureValue(slug, f.value), can_update: f.can_update })),
            preferred_contact_for_entities: [],
            mfa_status: u.mfa_status,
        };
    }

    /** A stored time (ISO, Z) as the API's `version` writes it under `timeFormat`. */
    time(t: string | null, version: "v1" | "v2" = "v2"): string | null {
        const format = this.quirks.timeFormat;
        if (t === null || format === "iso" || (format === "mixed" && version === "v2")) return t;
        return t.replace("T", " ").replace(/(\.\d+)?Z$/, "");
    }

    private featureValue(slug: string, value: boolean | string): boolean | string {
        return this.quirks.featureValues === "string" && slug === "fq-access" ? String(value) : value;
    }

    // ---- v2 users -------------------------------------------------------------------

    /** `caller`: the token's user; a Group Admin sees only the users of their own group. */
    list(query: URLSearchParams, selfUrl: URL, caller?: string): Reply {
        const asked = intParam(query, "limit", 100, 1);
        const offset = intParam(query, "offset", 0, 0);
        if (typeof asked === "string") return bad({ limit: [asked] });
        const limit = Math.min(asked, this.pageCap);
        if (typeof offset === "string") return bad({ offset: [offset] });
        let users = [...this.users.values()];
        const me = caller === undefined ? undefined : this.users.get(caller);
        if (me && !this.isAdmin(me.guid) && this.quirks.groupAdminListing === "ownGroup") users = users.filter((u) => u.group === me.group);
        const list = (k: string) => query.get(k)?.split(",").map((s) => s.trim()).filter(Boolean);
        const bool = (k: string) => (query.has(k) ? query.get(k) === "true" : undefined);
        const fold = (s: string, caseInsensitive: boolean) => (caseInsensitive ? s.toLowerCase() : s);
        const email = query.get("email");
        if (email !== null) {
            const ci = this.quirks.emailFilter === "caseInsensitive";
            users = users.filter((u) => fold(u.email, ci) === fold(email, ci));
        }
        const emailQ = query.get("email_q");
        if (emailQ !== null) {
            const ci = this.quirks.emailSearch === "caseInsensitive";
            users = users.filter((u) => fold(u.email, ci).includes(fold(emailQ, ci)));
        }
        const nameQ = query.get("formal_name_q");
        if (nameQ !== null) users = users.filter((u) => u.formal_name.toLowerCase().includes(nameQ.toLowerCase()));
        const guids = this.quirks.guidFilter === "list" ? list("guid") : query.has("guid") ? [query.get("guid")!] : undefined;
        if (guids) users = users.filter((u) => guids.includes(u.guid));
        const groups = list("group.guid");
        if (groups) users = users.filter((u) => groups.includes(u.group));
        const applied = this.quirks.roleStatusFilters === "applied";
        const roles = list("roles.slug");
        if (roles && applied) users = users.filter((u) => u.roles.some((r) => roles.includes(r)));
        const statuses = list("status");
        if (statuses && applied) users = users.filter((u) => statuses.includes(u.status));
        if (!statuses && this.quirks.statusDefault === "activeOnly") users = users.filter((u) => u.status !== "Deactivated");
        const contact = bool("is_available_for_contact");
        if (contact !== undefined) users = users.filter((u) => u.is_available_for_contact === contact);
        const token = bool("is_company_api_token");
        const tokenFilter = this.quirks.tokenFilter;
        if (token === true && tokenFilter !== "everyone") users = users.filter((u) => u.is_company_api_token);
        if (token === false || (token === undefined && tokenFilter !== "noDefault")) users = users.filter((u) => !u.is_company_api_token);
        const sort = query.get("sort");
        if (sort === null && this.quirks.pageOrder === "unordered") {
            shuffle(users, ++this.unsortedListings);
        } else {
            const by = sort ?? "guid";
            const desc = by.startsWith("-");
            const key = desc ? by.slice(1) : by;
            const value = (u: StoredUser) =>
                String(key === "group.name" ? (this.groups.find((g) => g.guid === u.group)?.name ?? "") : ((u as unknown as Record<string, unknown>)[key] ?? ""));
            users.sort((a, b) => (desc ? -1 : 1) * value(a).localeCompare(value(b)) || a.guid.localeCompare(b.guid));
        }
        const page = users.slice(offset, offset + limit);
        const link = (o: number) => {
            const u = new URL(selfUrl.href);
            u.searchParams.set("limit", String(limit));
            u.searchParams.set("offset", String(o));
            return u.href;
        };
        return {
            status: 200,
            body: {
                links: {
                    next: offset + limit < users.length ? link(offset + limit) : null,
                    previous: offset > 0 ? link(Math.max(0, offset - limit)) : null,
                },
                count: users.length,
                results: page.map((u) => this.toApi(u)),
            },
        };
    }

    get(guid: string): Reply {
        const u = this.users.get(guid);
        return u ? { status: 200, body: this.toApi(u) } : notFound();
    }

    create(body: unknown): Reply {
        if (!isObject(body)) return bad({ detail: "JSON object expected." });
        const errors: Record<string, string[]> = {};
        for (const k of ["email", "formal_name", "friendly_name", "roles"]) {
            if (body[k] === undefined || body[k] === "") errors[k] = ["This field is required."];
        }
        this.validateWrite(body, errors, undefined);
        if (body["status"] !== undefined && !(STATUSES as readonly string[]).includes(String(body["status"]))) {
            errors["status"] = [`"${String(body["status"])}" is not a valid choice.`];
        }
        if (Object.keys(errors).length > 0) return bad(errors);
        if (this.createdThisMonth >= this.monthlyCreationLimit) {
            return { status: 403, body: { detail: `Monthly limit of ${this.monthlyCreationLimit} new users reached for this account.` } };
        }
        if (this.activeCount() >= this.totalActiveQuota) {
            return { status: 402, body: { detail: "No remaining active user quota. Contact your Bitsight account manager." } };
        }
        const features = defaultFeatures();
        for (const f of (body["features"] as { slug: string; value: boolean }[] | undefined) ?? []) {
            features[f.slug] = { value: f.value, can_update: true };
        }
        const user = this.addUser({
            email: String(body["email"]),
            formal_name: String(body["formal_name"]),
            friendly_name: String(body["friendly_name"]),
            roles: [(body["roles"] as { slug: string }[])[0]!.slug],
            group: typeof body["group"] === "string" ? body["group"] : this.defaultGroup,
            status: (body["status"] as StoredUser["status"] | undefined) ?? "Created",
            is_available_for_contact: body["is_available_for_contact"] === true,
            is_company_api_token: body["is_company_api_token"] === true,
            features,
            last_login_time: null,
        });
        this.createdThisMonth++;
        if (this.quirks.postBody === "empty") return { status: 201 };
        if (this.quirks.postBody === "partial") return { status: 201, body: { guid: user.guid } };
        return { status: 201, body: this.toApi(user) };
    }

    edit(guid: string, body: unknown): Reply {
        const user = this.users.get(guid);
        if (!user) return notFound();
        if (!isObject(body)) return bad({ detail: "JSON object expected." });
        const errors: Record<string, string[]> = {};
        if (body["status"] !== undefined) errors["status"] = ["This field cannot be changed."];
        this.validateWrite(body, errors, guid);
        if (Object.keys(errors).length > 0) return bad(errors);
        if (typeof body["email"] === "string") user.email = body["email"];
        if (typeof body["formal_name"] === "string") user.formal_name = body["formal_name"];
        if (typeof body["friendly_name"] === "string") user.friendly_name = body["friendly_name"];
        if (Array.isArray(body["roles"])) {
            const slug = (body["roles"][0] as { slug: string }).slug;
            const others = user.roles.filter((r) => productOf(r) !== productOf(slug));
            user.roles =
                this.quirks.patchRoles === "replace" ? [slug]
                : this.quirks.patchRoles === "perProduct" ? [...others, slug].sort((a, b) => rank(a) - rank(b))
                : user.roles.includes(slug) ? user.roles
                : [...user.roles, slug];
        }
        if (typeof body["group"] === "string") user.group = body["group"];
        if (typeof body["is_available_for_contact"] === "boolean") user.is_available_for_contact = body["is_available_for_contact"];
        if (typeof body["is_company_api_token"] === "boolean") user.is_company_api_token = body["is_company_api_token"];
        const sent = body["features"] as { slug: string; value: boolean }[] | undefined;
        if (sent && this.quirks.patchFeatures === "replace") {
            // The array is the user's features now: a changeable one it does not name goes back to off.
            for (const [slug, f] of Object.entries(user.features)) if (f.can_update && !sent.some((x) => x.slug === slug)) f.value = false;
        }
        for (const f of sent ?? []) {
            const current = user.features[f.slug];
            // A feature the user may not change keeps its value, silently, as the real API may.
            if (current && !current.can_update) continue;
            user.features[f.slug] = { value: f.value, can_update: true };
        }
        return { status: 200, body: {} };
    }

    remove(guid: string): Reply {
        if (!this.users.delete(guid)) return notFound();
        return { status: 204 };
    }

    private validateWrite(body: Record<string, unknown>, errors: Record<string, string[]>, self: string | undefined): void {
        const email = body["email"];
        if (email !== undefined) {
            if (typeof email !== "string" || !EMAIL.test(email)) errors["email"] = ["Enter a valid email address."];
            else {
                const other = this.findByEmail(email);
                if (other && other.guid !== self) errors["email"] = ["A user with this email already exists."];
            }
        }
        for (const k of ["formal_name", "friendly_name"]) {
            if (body[k] !== undefined && (typeof body[k] !== "string" || body[k] === "")) errors[k] = ["Not a valid string."];
        }
        const roles = body["roles"];
        if (roles !== undefined) {
            if (!Array.isArray(roles) || roles.length !== 1) errors["roles"] = ["Exactly one role must be given per request."];
            else {
                const slug = (roles[0] as { slug?: unknown } | undefined)?.slug;
                if (typeof slug !== "string" || !(slug in ROLE_NAMES)) errors["roles"] = [`Invalid role slug "${String(slug)}".`];
                else if (productOf(slug) !== "platform" && this.quirks.productRoles === "refused") {
                    errors["roles"] = [`"${slug}" is assigned in its application, not through the Users API.`];
                }
            }
        }
        const group = body["group"];
        if (group !== undefined && !this.groups.some((g) => g.guid === group)) {
            errors["group"] = [`Access group "${String(group)}" does not exist.`];
        }
        const features = body["features"];
        if (features !== undefined) {
            const ok =
                Array.isArray(features) &&
                features.every(
                    (f: { slug?: unknown; value?: unknown }) =>
                        FEATURES.includes(String(f?.slug)) && (typeof f?.value === "boolean" || (this.quirks.featureValues === "string" && typeof f?.value === "string")),
                );
            if (!ok) errors["features"] = [`Features must be a list of {"slug": one of ${FEATURES.join(", ")}, "value": true|false}.`];
        }
        for (const k of ["is_available_for_contact", "is_company_api_token"]) {
            if (body[k] !== undefined && typeof body[k] !== "boolean") errors[k] = ["Must be a valid boolean."];
        }
    }

    private activeCount(): number {
        return [...this.users.values()].filter((u) => u.status !== "Deactivated" && !u.is_company_api_token).length;
    }

    // ---- v1 -------------------------------------------------------------------------

    current(callerGuid: string): Reply {
        const u = this.users.get(callerGuid);
        if (!u) return { status: 401, body: { detail: "Invalid token." } };
        if (u.is_company_api_token && this.quirks.companyTokenCurrent === "refused") return { status: 403, body: { detail: "You do not have permission to perform this action." } };
        if (u.is_company_api_token && this.quirks.companyTokenCurrent === "bare") {
            return { status: 200, body: { customer: { guid: this.customer.guid, name: this.customer.name }, roles: [], group: null, features: {}, permissions: [] } };
        }
        const group = this.groups.find((g) => g.guid === u.group);
        // The reference page's example, field for field: no guid, no email, roles without slugs.
        const body: Record<string, unknown> = {
            [this.quirks.joinedField]: this.time(u.joined_time, "v1"),
            product_access: [],
            customer: {
                guid: this.customer.guid,
                name: this.customer.name,
                my_company_guid: "aaaabbbb-1122-3344-cccc-dddd55555eee",
                my_company_subsidiaries: [],
                show_partner_logo: false,
                partner: null,
                sales_manager: null,
                has_mobile_risk: false,
                is_federal_agency: false,
                has_accepted_federal_agency_disclaimer: false,
            },
            group: group ? { guid: group.guid, name: group.name } : null,
            last_login: this.time(u.last_login_time, "v1"),
            last_login_excluding_current: u.last_login_time ? { ipaddress: "198.51.100.7", time: this.time(u.last_login_time, "v1") } : null,
            features: {},
            roles: u.roles.map((slug) => ({ name: V1_ROLE_NAMES[slug] ?? ROLE_NAMES[slug] ?? slug, presentation: ROLE_NAMES[slug] ?? slug, permissions: [] })),
            permissions: [],
            has_accepted_darkweb: false,
            release_notes_unseen_count: 0,
            country_entities_count: 25,
            homepage_url: "/dashboard/",
        };
        if (this.quirks.currentUser === "identified") {
            body["guid"] = u.guid;
            body["email"] = u.email;
        }
        return { status: 200, body };
    }

    quota(): Reply {
        if (this.quotaStatus !== 200) return { status: this.quotaStatus, body: { detail: this.quotaStatus === 403 ? "You do not have permission to perform this action." : "Not found." } };
        const all = [...this.users.values()].filter((u) => !u.is_company_api_token);
        const active = this.activeCount();
        return {
            status: 200,
            body: {
                active_user_count: active,
                inactive_user_count: all.length - active,
                remaining_active_quota: Math.max(0, this.totalActiveQuota - active),
                total_active_quota: this.totalActiveQuota,
                total_user_count: all.length,
            },
        };
    }

    accessGroups(): Reply {
        return { status: 200, body: { groups: this.groups.map((g) => groupView(this, g)), default_group: this.defaultGroup } };
    }

    /** POST …/require-mfa (Admin only): `not_enabled` becomes `pending`; 400 where 2FA is enabled (and, per the quirk, pending). */
    requireMfa(caller: string, guid: string): Reply {
        if (!this.isPlatformAdmin(caller)) return { status: 403, body: { detail: "You do not have permission to perform this action." } };
        const u = this.users.get(guid);
        if (!u) return { status: 404, body: { detail: "Not found." } };
        if (u.mfa_status === "enabled" || (u.mfa_status === "pending" && this.quirks.requireMfaPending === "refused")) {
            return { status: 400, body: { detail: u.mfa_status === "enabled" ? "User already has 2FA enabled." : "2FA is already required for this user." } };
        }
        u.mfa_status = "pending";
        return { status: 200 };
    }

    /** POST …/reset-mfa (Admin only), as an Admin resets a user's 2FA in the UI: `enabled` becomes `not_enabled`; 400 otherwise. */
    resetMfa(caller: string, guid: string): Reply {
        if (!this.isPlatformAdmin(caller)) return { status: 403, body: { detail: "You do not have permission to perform this action." } };
        const u = this.users.get(guid);
        if (!u) return { status: 404, body: { detail: "Not found." } };
        if (u.mfa_status !== "enabled") return { status: 400, body: { detail: "2FA is not enabled for this user." } };
        u.mfa_status = "not_enabled";
        return { status: 200 };
    }

    /** GET /ratings/v1/customers/current/api-tokens (Admin only): a bare array, each token masked but its last four. */
    apiTokenList(caller: string): Reply {
        if (!this.isPlatformAdmin(caller)) return { status: 403, body: { detail: "You do not have permission to perform this action." } };
        return { status: 200, body: this.apiTokens.map(({ user: _user, ...t }) => ({ ...t, token: `********${t.token.slice(-4)}`, created_date: this.time(t.created_date, "v1") })) };
    }

    /**
     * POST /ratings/v1/customers/current/api-tokens (Admin only): a token with Admin rights,
     * its hidden user listed as a company API token user. Its value is sent to `email` when
     * `send_token_retrieval_email` is true, and is in the 201 only under `tokenCreated: full`.
     */
    apiTokenCreate(caller: string, body: unknown): Reply {
        if (!this.isPlatformAdmin(caller)) return { status: 403, body: { detail: "You do not have permission to perform this action." } };
        const b = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
        const bad = (field: string, message: string): Reply => ({ status: 400, body: { [field]: [message] } });
        if (typeof b["description"] !== "string" || !b["description"].trim()) return bad("description", "This field is required.");
        const description = b["description"];
        if (this.quirks.tokenDescriptions === "unique" && this.apiTokens.some((t) => t.description === description)) return bad("description", "An api-token with this description already exists.");
        const send = b["send_token_retrieval_email"] === true;
        const email = b["email"];
        if (email !== undefined && (typeof email !== "string" || !EMAIL.test(email))) return bad("email", "Enter a valid email address.");
        if (send && email === undefined) return bad("email", "An email is required to send the token retrieval email.");
        let group = this.groups.find((g) => g.guid === this.defaultGroup)!;
        if (b["group"] !== undefined) {
            const named = this.groups.find((g) => (this.quirks.tokenGroup === "guid" ? g.guid : g.name) === b["group"]);
            if (!named) return bad("group", `Group ${JSON.stringify(b["group"])} not found.`);
            group = named;
        }
        const value = randomBytes(20).toString("hex");
        const user = this.addUser({ email: `api-token+${this.apiTokens.length + 1}@${this.customer.name.toLowerCase().replace(/\W+/g, "")}.invalid`, role: "customer_admin", is_company_api_token: true, group: group.guid });
        this.addToken(value, user.guid);
        const creator = this.users.get(caller);
        const token: StoredApiToken = {
            guid: this.newGuid(),
            description,
            token: value,
            created_date: this.now(),
            creator_name: creator?.formal_name ?? "",
            group: group.name,
            roles: [{ display_name: "Customer Admin", slug: "customer_admin" }],
            user: user.guid,
        };
        this.apiTokens.push(token);
        if (send) this.retrievalEmails.push({ to: email as string, description, token: value });
        if (this.quirks.tokenCreated === "empty") return { status: 201 };
        const shown = this.quirks.tokenCreated === "full" ? value : `********${value.slice(-4)}`;
        return { status: 201, body: { ...token, user: undefined, token: shown, created_date: this.time(token.created_date, "v1") } };
    }

    /** DELETE /ratings/v1/customers/current/api-tokens/{guid} (Admin only): revoked at once; its requests answer 401 from then on. */
    apiTokenRevoke(caller: string, guid: string): Reply {
        if (!this.isPlatformAdmin(caller)) return { status: 403, body: { detail: "You do not have permission to perform this action." } };
        const i = this.apiTokens.findIndex((t) => t.guid === guid);
        if (i < 0) return { status: 404, body: { detail: "Not found." } };
        const [token] = this.apiTokens.splice(i, 1);
        this.tokens.delete(token!.token);
        if (token!.user) this.users.delete(token!.user);
        return { status: 204 };
    }

    /** The calls the pages mark "Admin only": an Admin, or a company API token (which has Admin rights). */
    isPlatformAdmin(guid: string): boolean {
        const u = this.users.get(guid);
        return !!u && (u.roles.includes("customer_admin") || u.is_company_api_token);
    }

    /** Who may manage every user: Admins, VRM and TMH Admins, and company API tokens. */
    isAdmin(guid: string): boolean {
        const u = this.users.get(guid);
        return !!u && (u.roles.some((r) => USER_MANAGERS.includes(r)) || u.is_company_api_token);
    }

    /** Whether `caller` may write to `target` (a user, or for a POST the group it names): a Group Admin edits the users of their own group. */
    mayWrite(caller: string, target: { user?: string; group?: unknown }): boolean {
        if (this.isAdmin(caller)) return true;
        const me = this.users.get(caller);
        if (!me?.roles.includes("customer_group_admin")) return false;
        const group = target.user !== undefined ? this.users.get(target.user)?.group : target.group;
        return group === me.group;
    }
}

export function defaultFeatures(): Record<string, StoredFeature> {
    return Object.fromEntries(FEATURES.map((slug) => [slug, { value: false, can_update: true }]));
}

/** The API lists a user's platform role first. */
function rank(slug: string): number {
    return productOf(slug) === "platform" ? 0 : 1;
}

/** A deterministic shuffle, its own for each `seed`: pages of one listing overlap and miss users, as an unordered query's would. */
function shuffle<T>(items: T[], seed: number): void {
    let x = (seed * 2654435761) >>> 0 || 1;
    for (let i = items.length - 1; i > 0; i--) {
        x = (x * 1103515245 + 12345) >>> 0;
        const j = x % (i + 1);
        [items[i], items[j]] = [items[j]!, items[i]!];
    }
}

function isObject(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

function bad(body: unknown): Reply {
    return { status: 400, body };
}

export function notFound(): Reply {
    return { status: 404, body: { detail: "Not found." } };
}

function intParam(q: URLSearchParams, name: string, dflt: number, min: number): number | string {
    const raw = q.get(name);
    if (raw === null || raw === "") return dflt;
    const n = Number(raw);
    return Number.isInteger(n) && n >= min ? n : `A valid integer >= ${min} is required.`;
}
