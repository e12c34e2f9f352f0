// A v2 User object from the API, checked before anything is decided from it. A field the
// provider manages that is missing or of another type is an error naming the field and
// the request: a silent default (false, "", no role) would become a PATCH.
import { FEATURE_SLUGS } from "../model/user-model";
import type { ApiUser } from "../model/wire";
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

const ZONELESS = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)$/;

/**
 * A Bitsight time as ISO 8601 in UTC. The reference pages write `2021-01-29T20:44:53Z`;
 * the OpenAPI's examples write `2024-04-01 12:34:56` with no zone, which `Date.parse`
 * would read as the machine's local time: a zoneless time is Bitsight's UTC. Anything
 * else is kept as it came.
 */
export function bitsightTime(text: string): string {
    const m = ZONELESS.exec(text.trim());
    return m ? `${m[1]}T${m[2]}Z` : text;
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
    const optionalTime = (field: string): string | null => {
        const t = optionalText(field);
        return t === null ? null : bitsightTime(t);
    };

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
    const unheld: NonNullable<ApiUser["unheldFeatures"]> = [];
    (o["features"] as unknown[]).forEach((f, i) => {
        const entry = (f ?? {}) as { slug?: unknown; value?: unknown; can_update?: unknown };
        if (typeof entry.slug !== "string") fail(`features[${i}].slug`, "a feature slug", entry.slug);
        const slug = entry.slug as string;
        if (typeof entry.value === "boolean" && typeof entry.can_update === "boolean") {
            features.push({ slug, value: entry.value, can_update: entry.can_update });
            return;
        }
        // The OpenAPI types a value boolean or string: one the provider cannot hold is shown
        // as it is and not managed (a declaration of it is refused); features this provider
        // never writes are not kept at all.
        if (KNOWN_FEATURES.has(slug)) unheld.push({ slug, value: escapeUnsafe(JSON.stringify(entry.value) ?? "missing").slice(0, 80) });
    });
    return {
        guid,
        email,
        formal_name: text("formal_name"),
        friendly_name: text("friendly_name"),
        group,
        status: text("status", true),
        last_login_time: optionalTime("last_login_time"),
        joined_time: optionalTime("joined_time"),
        roles,
        is_available_for_contact: flag("is_available_for_contact"),
        is_company_api_token: flag("is_company_api_token"),
        features,
        ...(unheld.length > 0 ? { unheldFeatures: unheld } : {}),
        mfa_status: optionalText("mfa_status"),
    };
}
