// A v2 User object from the API, checked before anything is decided from it. A field the
// provider manages that is missing or of another type is an error naming the field and
// the request: a silent default (false, "", no role) would become a PATCH.
import { FEATURE_SLUGS } from "../user-model";
import type { ApiUser } from "../wire";
import { escapeUnsafe, forTerminal } from "../escape/terminal";
import { UnexpectedResponseError } from "../client/errors";

const KNOWN_FEATURES = new Set<string>(FEATURE_SLUGS);

export function asObject(v: unknown, what: string): Record<string, unknown> {
    if (typeof v !== "object" || v === null || Array.isArray(v)) {
        throw new UnexpectedResponseError(`${what} answered ${v === undefined ? "an empty body" : "something other than a JSON object"}.`);
    }
    return v as Record<string, unknown>;
}

function describe(v: unknown): string {
    if (v === undefined) return "missing";
    if (v === null) return "null";
    if (Array.isArray(v)) return "a list";
    return `${typeof v} ${escapeUnsafe(JSON.stringify(v).slice(0, 80))}`;
}

/** `what` is the request, e.g. `GET /ratings/v2/users/{guid}`. */
export function parseUser(v: unknown, what: string): ApiUser {
    const o = asObject(v, what);
    const who = () => `user ${typeof o["guid"] === "string" ? forTerminal(o["guid"]) : "(no guid)"}${typeof o["email"] === "string" ? ` (${forTerminal(o["email"])})` : ""}`;
    const fail = (field: string, expected: string, value: unknown): never => {
        throw new UnexpectedResponseError(
            `${what} answered ${who()} with \`${field}\` ${describe(value)}; expected ${expected}. ` +
                `The provider does not guess a value it would then write back; nothing was changed.`,
        );
    };
    const text = (field: string, nonEmpty = false): string => {
        const value = o[field];
        if (typeof value !== "string" || (nonEmpty && value === "")) fail(field, nonEmpty ? "a non-empty string" : "a string", value);
        return value as string;
    };
    const flag = (field: string): boolean => {
        const value = o[field];
        if (typeof value !== "boolean") fail(field, "true or false", value);
        return value as boolean;
    };
    const optionalText = (field: string): string | null => (typeof o[field] === "string" ? (o[field] as string) : null);

    const guid = text("guid", true);
    const email = text("email", true);
    if (!Array.isArray(o["roles"])) fail("roles", "a list of {name, slug}", o["roles"]);
    const roles = (o["roles"] as unknown[]).map((r, i) => {
        const slug = (r as { slug?: unknown } | null)?.slug;
        if (typeof slug !== "string" || slug === "") fail(`roles[${i}].slug`, "a role slug", slug);
        const name = (r as { name?: unknown }).name;
        return { slug: slug as string, name: typeof name === "string" ? name : (slug as string) };
    });
    const rawGroup = o["group"];
    let group: ApiUser["group"] = null;
    if (rawGroup !== null) {
        const g = rawGroup as { guid?: unknown; name?: unknown } | undefined;
        if (typeof g !== "object" || Array.isArray(g) || typeof g?.guid !== "string") fail("group", "{guid, name} or null", rawGroup);
        group = { guid: g!.guid as string, name: typeof g!.name === "string" ? g!.name : "" };
    }
    if (!Array.isArray(o["features"])) fail("features", "a list of {slug, value, can_update}", o["features"]);
    const features: ApiUser["features"] = [];
    (o["features"] as unknown[]).forEach((f, i) => {
        const entry = (f ?? {}) as { slug?: unknown; value?: unknown; can_update?: unknown };
        if (typeof entry.slug !== "string") fail(`features[${i}].slug`, "a feature slug", entry.slug);
        const slug = entry.slug as string;
        // Features this provider never writes are kept only when well formed, and never fail the answer.
        const known = KNOWN_FEATURES.has(slug);
        if (typeof entry.value !== "boolean") return known ? fail(`features[${i}].value (${slug})`, "true or false", entry.value) : undefined;
        if (typeof entry.can_update !== "boolean") return known ? fail(`features[${i}].can_update (${slug})`, "true or false", entry.can_update) : undefined;
        features.push({ slug, value: entry.value, can_update: entry.can_update });
    });
    return {
        guid,
        email,
        formal_name: text("formal_name"),
        friendly_name: text("friendly_name"),
        group,
        status: text("status", true),
        last_login_time: optionalText("last_login_time"),
        joined_time: optionalText("joined_time"),
        roles,
        is_available_for_contact: flag("is_available_for_contact"),
        is_company_api_token: flag("is_company_api_token"),
        features,
        mfa_status: optionalText("mfa_status"),
    };
}
