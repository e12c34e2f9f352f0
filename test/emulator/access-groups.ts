// The emulator's access-group writes (POST /ratings/v1/access-groups, GET with
// ?expand=users, PATCH and DELETE …/{guid}), as the OpenAPI excerpt describes them. Where
// the pages are silent (is the body flat or wrapped in `body`? may two groups share a name?
// what does deleting a group that has users do? is ?expand=users honoured?), a switch in
// ./account's Quirks answers each way. GET and PUT …/{guid}/companies/guids say which
// companies of the portfolio a group sees: an object or a bare list, replaced or added to.
import type { Account, Group, Reply } from "./account";

type Obj = Record<string, unknown>;
const FLAGS = ["is_default", "allow_bundled_companies", "can_set_tier_scope"] as const;
const FORBIDDEN: Reply = { status: 403, body: { detail: "You do not have permission to perform this action." } };
const NOT_FOUND: Reply = { status: 404, body: { detail: "Not found." } };

/** A group as the listing and the detail show it. */
export function groupView(a: Account, g: Group): Obj {
    return {
        guid: g.guid,
        name: g.name,
        is_default: g.guid === a.defaultGroup,
        all_companies: g.all_companies ?? g.name === "All Companies",
        allow_bundled_companies: g.allow_bundled_companies ?? false,
        can_set_tier_scope: g.can_set_tier_scope ?? false,
        user_count: members(a, g.guid).length,
    };
}

/** GET …/{guid}: `?expand=users` adds the group's users (guid, email, names), unless the switch says it is ignored. */
export function groupDetail(a: Account, guid: string, expand: string | null): Reply {
    const g = find(a, guid);
    if (!g) return NOT_FOUND;
    const view = groupView(a, g);
    if (expand === "users" && a.quirks.groupExpand === "users") {
        view["users"] = members(a, g.guid).map((u) => ({ guid: u.guid, email: u.email, formal_name: u.formal_name, friendly_name: u.friendly_name }));
    }
    return { status: 200, body: view };
}

/** POST (Admin only): 201 with the group; `is_default: true` makes it the account's default group. */
export function groupCreate(a: Account, caller: string, raw: unknown): Reply {
    if (!a.isPlatformAdmin(caller)) return FORBIDDEN;
    const { body, error } = unwrap(a, raw);
    if (error) return error;
    if (typeof body["name"] !== "string" || !body["name"].trim()) return bad("name", "This field is required.");
    const problem = invalid(a, body, undefined);
    if (problem) return problem;
    const g: Group = { guid: a.newGuid(), name: body["name"] as string };
    apply(a, g, body);
    a.groups.push(g);
    return { status: 201, body: groupView(a, g) };
}

/** PATCH (Admin only): a partial body; 200 with the group. The default group cannot be made not default (another is made default instead). */
export function groupEdit(a: Account, caller: string, guid: string, raw: unknown): Reply {
    if (!a.isPlatformAdmin(caller)) return FORBIDDEN;
    const g = find(a, guid);
    if (!g) return NOT_FOUND;
    const { body, error } = unwrap(a, raw);
    if (error) return error;
    if (body["name"] !== undefined && (typeof body["name"] !== "string" || !body["name"].trim())) return bad("name", "This field may not be blank.");
    const problem = invalid(a, body, g.guid);
    if (problem) return problem;
    if (body["is_default"] === false && a.defaultGroup === g.guid) return bad("is_default", "The default group cannot be unset; make another group the default.");
    if (typeof body["name"] === "string") g.name = body["name"];
    apply(a, g, body);
    return { status: 200, body: groupView(a, g) };
}

/** DELETE (Admin only): 204. Never the default or the All Companies group; one with users is refused, or its users moved to the default group, as the switch says. */
export function groupDelete(a: Account, caller: string, guid: string): Reply {
    if (!a.isPlatformAdmin(caller)) return FORBIDDEN;
    const g = find(a, guid);
    if (!g) return NOT_FOUND;
    if (g.guid === a.defaultGroup) return { status: 400, body: { detail: "The default group cannot be deleted." } };
    if (groupView(a, g)["all_companies"] === true) return { status: 400, body: { detail: "The All Companies group cannot be deleted." } };
    const inIt = members(a, g.guid);
    if (inIt.length > 0 && a.quirks.groupDelete === "refused") return { status: 400, body: { detail: "This group has users; move them to another group first." } };
    for (const u of inIt) u.group = a.defaultGroup;
    a.groups.splice(a.groups.indexOf(g), 1);
    return { status: 204 };
}

function members(a: Account, guid: string) {
    return [...a.users.values()].filter((u) => u.group === guid);
}

function find(a: Account, guid: string): Group | undefined {
    return a.groups.find((g) => g.guid.toLowerCase() === guid.toLowerCase());
}

/** The fields, from the body the switch accepts: flat (the help pages) or in `body` (the OpenAPI); the other is a 400 naming what is missing. */
function unwrap(a: Account, raw: unknown): { body: Obj; error?: Reply } {
    const o: Obj = typeof raw === "object" && raw !== null && !Array.isArray(raw) ? (raw as Obj) : {};
    if (a.quirks.groupBody === "flat") return "body" in o ? { body: {}, error: bad("name", "This field is required.") } : { body: o };
    const inner = o["body"];
    if (typeof inner !== "object" || inner === null || Array.isArray(inner)) return { body: {}, error: bad("body", "This field is required.") };
    return { body: inner as Obj };
}

function invalid(a: Account, body: Obj, self: string | undefined): Reply | undefined {
    for (const k of FLAGS) if (body[k] !== undefined && typeof body[k] !== "boolean") return bad(k, "Must be a valid boolean.");
    const name = body["name"];
    if (typeof name === "string" && a.quirks.groupNames === "unique" && a.groups.some((g) => g.name === name && g.guid !== self)) {
        return bad("name", "An access control group with this name already exists.");
    }
    return undefined;
}

function apply(a: Account, g: Group, body: Obj): void {
    if (typeof body["allow_bundled_companies"] === "boolean") g.allow_bundled_companies = body["allow_bundled_companies"];
    if (typeof body["can_set_tier_scope"] === "boolean") g.can_set_tier_scope = body["can_set_tier_scope"];
    if (body["is_default"] === true) a.defaultGroup = g.guid;
}

function bad(field: string, message: string): Reply {
    return { status: 400, body: { [field]: [message] } };
}

/** GET …/{guid}/companies/guids: the group's companies; All Companies sees the whole portfolio. */
export function groupCompaniesGet(a: Account, guid: string): Reply {
    const g = find(a, guid);
    if (!g) return NOT_FOUND;
    const guids = groupView(a, g)["all_companies"] === true ? [...a.portfolio] : [...(g.companies ?? [])];
    return { status: 200, body: a.quirks.groupCompanies === "object" ? { guids } : guids };
}

/** PUT …/{guid}/companies/guids (Admin only): the companies sent, replacing or added to the group's, as the switch says; 204. */
export function groupCompaniesPut(a: Account, caller: string, guid: string, raw: unknown): Reply {
    if (!a.isPlatformAdmin(caller)) return FORBIDDEN;
    const g = find(a, guid);
    if (!g) return NOT_FOUND;
    if (groupView(a, g)["all_companies"] === true) return { status: 400, body: { detail: "The All Companies group sees every company." } };
    const list = a.quirks.groupCompanies === "object" ? (typeof raw === "object" && raw !== null && !Array.isArray(raw) ? (raw as Obj)["guids"] : undefined) : raw;
    if (!Array.isArray(list)) return a.quirks.groupCompanies === "object" ? bad("guids", "This field is required.") : { status: 400, body: { detail: "Expected a list of items." } };
    const unknown = list.filter((x) => typeof x !== "string" || !a.portfolio.includes(x.toLowerCase()));
    if (unknown.length) return bad("guids", `Unknown companies: ${unknown.map(String).join(", ")}.`);
    const sent = (list as string[]).map((x) => x.toLowerCase());
    g.companies = [...new Set(a.quirks.groupCompaniesPut === "replace" ? sent : [...(g.companies ?? []), ...sent])].sort();
    return { status: 204 };
}
