// The account's access groups, under /ratings/v1/access-groups: GET lists them (not
// paginated), POST creates one, PATCH and DELETE …/{guid} change and delete one, and
// GET …/{guid}?expand=users names its users. The help pages send a flat body; the
// OpenAPI wraps it in `{"body": …}`: the flat body is sent, and after a 400 about `body`
// (nothing was made), the wrapped one. Names are not documented as unique, so a group is
// known by its GUID, and a new one is found by listing, never from the 201.
import { orAfter400, unlessGone, UnexpectedResponseError } from "../client/errors";
import type { HttpClient } from "../client/http";
import type { Recover } from "../client/retry";
import { forTerminal } from "../escape/terminal";
import type { ApiUser } from "../model/wire";
import { asObject } from "./parse-user";

export const ACCESS_GROUPS_PATH = "/ratings/v1/access-groups";

type Http = Pick<HttpClient, "send">;

export interface AccessGroup {
    guid: string;
    name: string;
    isDefault?: boolean;
    /** The built-in group that sees every company: never deleted. */
    allCompanies?: boolean;
    allowBundledCompanies?: boolean;
    canSetTierScope?: boolean;
    userCount?: number;
}

export interface AccessGroups {
    groups: AccessGroup[];
    defaultGroup?: string;
}

/** What a file or a program sets on a group; an absent flag is left as the account has it. */
export interface GroupFields {
    name: string;
    isDefault?: boolean | undefined;
    allowBundledCompanies?: boolean | undefined;
    canSetTierScope?: boolean | undefined;
}

/** The group's fields in the API's words, and back. */
export const WIRE_FIELDS = { name: "name", isDefault: "is_default", allowBundledCompanies: "allow_bundled_companies", canSetTierScope: "can_set_tier_scope" } as const;

/** The flags a file may set on a group; one it leaves out stays as the account has it. */
export const GROUP_FLAGS = ["isDefault", "allowBundledCompanies", "canSetTierScope"] as const satisfies readonly Exclude<keyof typeof WIRE_FIELDS, "name">[];

/** Whether `u` is in the group with this GUID. */
export function inGroup(u: Pick<ApiUser, "group">, guid: string): boolean {
    return u.group?.guid.toLowerCase() === guid.toLowerCase();
}

/** How many users a group holds: the listing's `user_count`, else counted from the account's users. */
export function memberCount(g: AccessGroup, everyone: Pick<ApiUser, "group">[]): number {
    return g.userCount ?? everyone.filter((u) => inGroup(u, g.guid)).length;
}

export async function listAccessGroups(http: Http): Promise<AccessGroups> {
    const what = `GET ${ACCESS_GROUPS_PATH}`;
    const body = asObject((await http.send({ method: "GET", path: ACCESS_GROUPS_PATH })).body, what);
    if (!Array.isArray(body["groups"])) throw new UnexpectedResponseError(`${what} answered without a \`groups\` list.`);
    const groups = body["groups"].map((g) => parseGroup(g, what));
    const result: AccessGroups = { groups };
    if (typeof body["default_group"] === "string") result.defaultGroup = body["default_group"];
    // The listing says which is the default in two places; where it says so once, it is known for each.
    for (const g of groups) if (result.defaultGroup !== undefined) g.isDefault = g.guid.toLowerCase() === result.defaultGroup.toLowerCase();
    return result;
}

function parseGroup(g: unknown, what: string): AccessGroup {
    const o = asObject(g, what);
    if (typeof o["guid"] !== "string" || typeof o["name"] !== "string") throw new UnexpectedResponseError(`${what} answered a group without guid or name.`);
    const group: AccessGroup = { guid: o["guid"], name: o["name"] };
    const flag = (k: string) => (typeof o[k] === "boolean" ? (o[k] as boolean) : undefined);
    for (const field of GROUP_FLAGS) {
        const v = flag(WIRE_FIELDS[field]);
        if (v !== undefined) group[field] = v;
    }
    if (flag("all_companies") !== undefined) group.allCompanies = flag("all_companies")!;
    if (typeof o["user_count"] === "number" && Number.isInteger(o["user_count"]) && o["user_count"] >= 0) group.userCount = o["user_count"];
    return group;
}

/**
 * The account's groups a declared one is: those of its name, else those of a former name
 * (renamed in the file, not yet in the account). More than one is for the UI to sort out.
 */
export function heldAs(d: { name: string; formerNames?: string[] | undefined }, account: AccessGroups): AccessGroup[] {
    const named = account.groups.filter((g) => g.name === d.name);
    return named.length ? named : account.groups.filter((g) => (d.formerNames ?? []).includes(g.name));
}

/** POST a group; the new one is found by listing (also after an ambiguous failure, so that a retry cannot make two). */
export async function createAccessGroup(http: Http, fields: GroupFields): Promise<AccessGroup> {
    const before = new Set((await listAccessGroups(http)).groups.map((g) => g.guid));
    const made = async () => (await listAccessGroups(http)).groups.filter((g) => !before.has(g.guid) && g.name === fields.name);
    await sendFields(http, "POST", ACCESS_GROUPS_PATH, fields, async () => ((await made()).length ? {} : undefined));
    const found = await made();
    if (found.length !== 1) {
        throw new UnexpectedResponseError(
            `POST ${ACCESS_GROUPS_PATH} succeeded, but the listing then shows ${found.length} new groups named ${forTerminal(fields.name)}: check the account's access groups in the Bitsight UI before running again.`,
        );
    }
    return found[0]!;
}

/** PATCH what changed. */
export async function editAccessGroup(http: Http, guid: string, changes: Partial<GroupFields>): Promise<void> {
    await sendFields(http, "PATCH", `${ACCESS_GROUPS_PATH}/${encodeURIComponent(guid)}`, changes);
}

/** DELETE the group. `gone` when the account no longer had it. */
export function deleteAccessGroup(http: Http, guid: string): Promise<"deleted" | "gone"> {
    return unlessGone(async () => {
        await http.send({ method: "DELETE", path: `${ACCESS_GROUPS_PATH}/${encodeURIComponent(guid)}` });
        return "deleted" as const;
    });
}

export interface Members {
    /** The emails of the users known to be in the group. */
    emails: string[];
    /** How many the account says it has: at least as many as named. */
    count: number;
}

/**
 * Who is in the group: ?expand=users where it is honoured, the account's listing where it
 * is not, and never fewer than the group's own `user_count`. `gone`: no such group.
 */
export async function groupMembers(http: Http, guid: string, everyone: () => Promise<ApiUser[]>): Promise<Members | "gone"> {
    const path = `${ACCESS_GROUPS_PATH}/${encodeURIComponent(guid)}`;
    const body = await unlessGone(async () => asObject((await http.send({ method: "GET", path, query: { expand: "users" } })).body, `GET ${path}`));
    if (body === "gone") return "gone";
    const listed = Array.isArray(body["users"])
        ? body["users"].flatMap((u) => (typeof (u as { email?: unknown })?.email === "string" ? [(u as { email: string }).email] : []))
        : (await everyone()).filter((u) => inGroup(u, guid)).map((u) => u.email);
    const said = typeof body["user_count"] === "number" ? body["user_count"] : 0;
    const emails = [...new Set(listed)].sort();
    return { emails, count: Math.max(said, emails.length) };
}

/** Which body form the account took, per client: asked once, then kept. */
const FORMS = new WeakMap<object, "flat" | "wrapped">();

async function sendFields(http: Http, method: "POST" | "PATCH", path: string, fields: Partial<GroupFields>, made?: Recover): Promise<void> {
    const flat = Object.fromEntries(Object.entries(fields).flatMap(([k, v]) => (v === undefined ? [] : [[WIRE_FIELDS[k as keyof GroupFields], v]])));
    const send = async <F extends "flat" | "wrapped">(form: F): Promise<F> => {
        await http.send({ method, path, body: form === "flat" ? flat : { body: flat } }, made);
        return form;
    };
    const known = FORMS.get(http);
    FORMS.set(http, await (known ? send(known) : orAfter400(() => send("flat"), () => send("wrapped"), /\bbody\b/i)));
}

/** The companies a group sees, as GUIDs (lower-cased, sorted): …/companies/guids answers a list, or an object holding one. */
export async function groupCompanies(http: Http, guid: string): Promise<string[] | "gone"> {
    const path = `${ACCESS_GROUPS_PATH}/${encodeURIComponent(guid)}/companies/guids`;
    const body = await unlessGone(async () => (await http.send({ method: "GET", path })).body);
    if (body === "gone") return "gone";
    const o = typeof body === "object" && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
    const list = Array.isArray(body) ? body : (["guids", "companies", "results"].map((k) => o?.[k]).find(Array.isArray) as unknown[] | undefined);
    if (!list) throw new UnexpectedResponseError(`GET ${path} answered without a list of company GUIDs.`);
    return companySet(list.map((x) => (typeof x === "string" ? x : typeof (x as { guid?: unknown })?.guid === "string" ? (x as { guid: string }).guid : "")).filter(Boolean));
}

/**
 * PUTs the companies the group should see, then reads them back: the pages say neither the
 * body's shape (`{"guids": […]}`, else after a 400 a bare list, nothing applied) nor whether
 * a PUT replaces the group's companies or adds to them. A group that then sees other
 * companies than those sent is an error that names them, never taken as done.
 */
export async function setGroupCompanies(http: Http, guid: string, companies: string[]): Promise<void> {
    const path = `${ACCESS_GROUPS_PATH}/${encodeURIComponent(guid)}/companies/guids`;
    const wanted = companySet(companies);
    await orAfter400(
        () => http.send({ method: "PUT", path, body: { guids: wanted } }),
        () => http.send({ method: "PUT", path, body: wanted }),
    );
    const now = await groupCompanies(http, guid);
    if (now === "gone") throw new UnexpectedResponseError(`PUT ${path} succeeded, but the group is then gone.`);
    const extra = now.filter((c) => !wanted.includes(c));
    const missing = wanted.filter((c) => !now.includes(c));
    if (extra.length || missing.length) {
        throw new UnexpectedResponseError(
            `PUT ${path} succeeded, but the group then sees ${now.length} companies, not the ${wanted.length} sent` +
                `${extra.length ? `; still sees ${extra.join(", ")} (Bitsight may add to a group's companies rather than replace them: remove them in the Bitsight UI)` : ""}` +
                `${missing.length ? `; does not see ${missing.join(", ")}` : ""}.`,
        );
    }
}

/** GUIDs as a set: lower-cased, unique, sorted, so that two lists compare as one. */
export function companySet(list: string[]): string[] {
    return [...new Set(list.map((c) => c.trim().toLowerCase()))].sort();
}

/** The companies each declared group sees now, where it declares them and the account has it (by exact name, once, not All Companies): one request each. */
export async function companiesOfDeclared(http: Http, declared: { name: string; formerNames?: string[] | undefined; companies?: string[] | undefined }[], account: AccessGroups): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    for (const d of declared.filter((x) => x.companies !== undefined)) {
        const held = heldAs(d, account);
        if (held.length !== 1 || held[0]!.allCompanies) continue;
        const now = await groupCompanies(http, held[0]!.guid);
        if (now !== "gone") out.set(held[0]!.guid.toLowerCase(), now);
    }
    return out;
}
