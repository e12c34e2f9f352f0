// How each part of an emulator account file is read (./account-file): a value of the
// wrong kind is reported at its path with what to write; a field the emulator does not
// know is reported apart, as a warning, and ignored.
import type { Path } from "../../provider/usersfile/positions";
import { closest } from "../../provider/package/schema";
import { defaultFeatures, ROLE_NAMES, STATUSES, type Group, type StoredApiToken, type StoredFeature, type StoredUser } from "./account";

type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

const MFA = ["enabled", "not_enabled", "pending"] as const;
const LANDING = ["DEFAULT", "SPM", "TPRM"] as const;
const USER_FIELDS = [
    "guid", "email", "formal_name", "friendly_name", "group", "status", "roles", "is_available_for_contact", "is_company_api_token",
    "features", "joined_time", "last_login_time", "mfa_status", "landing_page", "preferred_contact_for_entities",
];
const TOKEN_FIELDS = ["guid", "description", "token", "created_date", "creator_name", "group", "roles"];

const guessed = (v: unknown, values: readonly string[]) => {
    const guess = typeof v === "string" ? closest(v, values) : undefined;
    return guess ? ` (did you mean ${guess}?)` : "";
};

/** The access groups, named in `groups:` or only in the users; a group without a guid gets one. */
export class Groups {
    private readonly list: Group[] = [];
    private next = 1;

    declare(g: { guid?: string | undefined; name?: string | undefined } | undefined): void {
        if (!g || (g.guid !== undefined ? this.list.some((x) => x.guid === g.guid) : this.find(g.name!))) return;
        this.list.push({ guid: g.guid ?? `f0000000-0000-4000-8000-${(this.next++).toString(16).padStart(12, "0")}`, name: g.name ?? g.guid! });
    }

    /** By guid, or by name case aside. */
    find(ref: string): Group | undefined {
        return this.list.find((g) => g.guid === ref) ?? this.list.find((g) => g.name.toLowerCase() === ref.toLowerCase());
    }

    first(): Group {
        if (this.list.length === 0) this.declare({ name: "All Companies" });
        return this.list[0]!;
    }

    all(): Group[] {
        return this.list.length ? this.list : [this.first()];
    }

    names(): string {
        return this.list.length ? `its groups are ${this.list.map((g) => g.name).join(", ")}` : "it names none";
    }
}

/** Reads each part of the file, reporting a wrong value at its path and what to write instead. */
export class Checker {
    constructor(
        private readonly bad: (path: Path, message: string) => void,
        private readonly unknown: (path: Path, key: string, known: string[]) => void,
    ) {}

    fields(o: Obj, path: Path, known: string[]): void {
        for (const key of Object.keys(o)) if (!known.includes(key)) this.unknown(path, key, known);
    }

    private value(o: Obj, path: Path): unknown {
        return o[path[path.length - 1] as string];
    }

    list(o: Obj, path: Path): unknown[] | undefined {
        const v = this.value(o, path);
        if (v === undefined) return undefined;
        if (!Array.isArray(v)) return this.bad(path, "must be a list (each item starting with `- `)"), undefined;
        return v;
    }

    string(o: Obj, path: Path): string | undefined {
        const v = this.value(o, path);
        if (v === undefined) return undefined;
        if (typeof v !== "string" || v === "") return this.bad(path, `must be a text, not ${JSON.stringify(v)}`), undefined;
        return v;
    }

    private boolean(o: Obj, path: Path): boolean | undefined {
        const v = this.value(o, path);
        if (v === undefined) return undefined;
        if (typeof v !== "boolean") return this.bad(path, `must be true or false, not ${JSON.stringify(v)}`), undefined;
        return v;
    }

    private oneOf<T extends string>(o: Obj, path: Path, values: readonly T[]): T | undefined {
        const v = this.value(o, path);
        if (v === undefined) return undefined;
        if (!values.includes(v as T)) return this.bad(path, `must be one of ${values.join(", ")}, not ${JSON.stringify(v)}${guessed(v, values)}`), undefined;
        return v as T;
    }

    /** A time as the API writes one (ISO, or the OpenAPI's zoneless `2024-04-01 12:34:56`, taken as UTC), stored as ISO with a Z. */
    private time(o: Obj, path: Path): string | undefined {
        const v = this.value(o, path);
        if (v === undefined) return undefined;
        const zoneless = typeof v === "string" && /^\d{4}-\d\d-\d\d[ T]\d\d:\d\d(:\d\d(\.\d+)?)?$/.test(v);
        const iso = typeof v === "string" ? (zoneless ? `${v.replace(" ", "T")}Z` : v) : "";
        if (!/^\d{4}-\d\d-\d\d/.test(iso) || Number.isNaN(Date.parse(iso))) return this.bad(path, `must be a time like 2026-11-01T09:00:00Z, not ${JSON.stringify(v)}`), undefined;
        return /Z$/.test(iso) ? iso : new Date(iso).toISOString().replace(/\.000Z$/, "Z");
    }

    group(v: unknown, path: Path, inGroups: boolean): { guid?: string | undefined; name?: string | undefined } | undefined {
        if (!isObj(v)) return this.bad(path, `must be a group, \`{ name: Vendor Risk }\` or \`{ guid: …, name: … }\`, not ${JSON.stringify(v)}`), undefined;
        this.fields(v, path, ["guid", "name"]);
        const guid = this.string(v, [...path, "guid"]);
        const name = this.string(v, [...path, "name"]);
        if (guid === undefined && name === undefined) return this.bad(path, `needs a \`name:\`${inGroups ? "" : " (or the guid of a group under `groups:`)"}`), undefined;
        return { guid, name };
    }

    customer(v: unknown, path: Path): { guid: string; name: string } | undefined {
        if (v === undefined) return undefined;
        if (!isObj(v)) return this.bad(path, "must be `{ guid: …, name: … }`"), undefined;
        this.fields(v, path, ["guid", "name"]);
        return { guid: this.string(v, [...path, "guid"]) ?? "c0000000-0000-4000-8000-000000000001", name: this.string(v, [...path, "name"]) ?? "Example Corp" };
    }

    private roles(o: Obj, path: Path, known: string[]): string[] | undefined {
        const items = this.list(o, path);
        if (items === undefined) return undefined;
        if (items.length === 0) return this.bad(path, "lists no role; give one, as `[{ slug: customer_user }]`"), undefined;
        const slugs = items.map((r, i) => {
            const at = [...path, i];
            if (!isObj(r)) return this.bad(at, `must be \`{ slug: customer_user }\`, not ${JSON.stringify(r)}`), undefined;
            this.fields(r, at, known);
            const slug = this.string(r, [...at, "slug"]);
            if (slug === undefined) return this.bad(at, "needs a `slug:`, as `customer_user`"), undefined;
            if (!(slug in ROLE_NAMES)) return this.bad([...at, "slug"], `${JSON.stringify(slug)} is not a role the emulator knows${guessed(slug, Object.keys(ROLE_NAMES))}; use one of ${Object.keys(ROLE_NAMES).join(", ")}`), undefined;
            return slug;
        });
        return slugs.every((s) => s !== undefined) ? (slugs as string[]) : undefined;
    }

    private features(o: Obj, path: Path): Record<string, StoredFeature> | undefined {
        const items = this.list(o, path);
        if (items === undefined) return undefined;
        const features = defaultFeatures();
        items.forEach((f, i) => {
            const at = [...path, i];
            if (!isObj(f)) return this.bad(at, `must be \`{ slug: wfh-ro, value: true }\`, not ${JSON.stringify(f)}`);
            this.fields(f, at, ["slug", "value", "can_update"]);
            const slug = this.string(f, [...at, "slug"]);
            // fq-access comes as "true" or "false" under one reading of the API: a capture keeps it.
            const raw = f["value"] === "true" || f["value"] === "false" ? f["value"] === "true" : f["value"];
            if (typeof raw !== "boolean") return this.bad([...at, "value"], `must be true or false, not ${JSON.stringify(f["value"])}`);
            if (slug !== undefined) features[slug] = { value: raw, can_update: this.boolean(f, [...at, "can_update"]) ?? true };
        });
        return features;
    }

    user(row: unknown, path: Path, groups: Groups): (Partial<StoredUser> & { email: string }) | undefined {
        if (!isObj(row)) return this.bad(path, `must be a user (a mapping with at least \`email:\`), not ${JSON.stringify(row)}`), undefined;
        this.fields(row, path, USER_FIELDS);
        const email = this.string(row, [...path, "email"]);
        if (email === undefined) return this.bad(path, "needs an `email:`"), undefined;
        const g = row["group"];
        const group = g === null ? "" : isObj(g) ? groups.find(String(g["guid"] ?? g["name"]))?.guid : undefined;
        const picked = {
            guid: this.string(row, [...path, "guid"]),
            email,
            formal_name: this.string(row, [...path, "formal_name"]),
            friendly_name: this.string(row, [...path, "friendly_name"]),
            group,
            status: this.oneOf(row, [...path, "status"], STATUSES),
            roles: this.roles(row, [...path, "roles"], ["slug", "name"]),
            is_available_for_contact: this.boolean(row, [...path, "is_available_for_contact"]),
            is_company_api_token: this.boolean(row, [...path, "is_company_api_token"]),
            features: this.features(row, [...path, "features"]),
            joined_time: this.time(row, [...path, "joined_time"]),
            last_login_time: row["last_login_time"] === null ? null : this.time(row, [...path, "last_login_time"]),
            mfa_status: this.oneOf(row, [...path, "mfa_status"], MFA),
            landing_page: this.oneOf(row, [...path, "landing_page"], LANDING),
        };
        // Left out, a field is what Account.addUser gives a new user.
        return Object.fromEntries(Object.entries(picked).filter(([, v]) => v !== undefined)) as Partial<StoredUser> & { email: string };
    }

    apiToken(t: unknown, path: Path, groups: Groups, token: string): (Omit<StoredApiToken, "guid"> & { guid?: string | undefined }) | undefined {
        if (!isObj(t)) return this.bad(path, "must be a token, `{ description: …, created_date: …, roles: [{ slug: customer_admin }] }`"), undefined;
        this.fields(t, path, TOKEN_FIELDS);
        const roles = this.roles(t, [...path, "roles"], ["slug", "display_name"]) ?? ["customer_admin"];
        const groupName = this.string(t, [...path, "group"]);
        return {
            guid: this.string(t, [...path, "guid"]),
            description: this.string(t, [...path, "description"]) ?? "",
            token: this.string(t, [...path, "token"]) ?? token,
            created_date: this.time(t, [...path, "created_date"]) ?? "2026-01-01T00:00:00Z",
            creator_name: this.string(t, [...path, "creator_name"]) ?? "",
            group: groupName === undefined ? groups.first().name : (groups.find(groupName)?.name ?? groupName),
            roles: roles.map((slug) => ({ display_name: ROLE_NAMES[slug] ?? slug, slug })),
        };
    }
}
