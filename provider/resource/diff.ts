// `diff`: the state (what the account had at the last read) against the checked declaration.
// Pure, so that `diff`, `update`, the post-update verification and later tools agree.
import type { FeatureSlug, UserInputs, UserOutputs } from "../model/user-model";
import type { ApiUser, ApiUserWrite } from "../model/wire";
import { isUnknown } from "./preview-unknown";

export interface FieldChange {
    /** `email`, `role`, `features.wfh-ro`, … */
    field: string;
    from: unknown;
    to: unknown;
    /** False for settings of the provider itself (adopt, onDelete): they need no API call. */
    api: boolean;
}

type Comparable = "email" | "formalName" | "friendlyName" | "role" | "group" | "isAvailableForContact" | "isCompanyApiToken" | "mfa";

const ALWAYS: Comparable[] = ["email", "formalName", "friendlyName", "role"];
// `mfa` is an API change (POST …/require-mfa, ./mfa), never part of a PATCH body.
const WHEN_DECLARED: Comparable[] = ["group", "isAvailableForContact", "isCompanyApiToken", "mfa"];
const CASE_INSENSITIVE = new Set<string>(["email", "group"]);

function same(field: string, a: unknown, b: unknown): boolean {
    if (isUnknown(b)) return false;
    if (CASE_INSENSITIVE.has(field) && typeof a === "string" && typeof b === "string") {
        return a.toLowerCase() === b.toLowerCase();
    }
    return a === b;
}

export function diffUser(olds: Partial<UserOutputs>, news: UserInputs): FieldChange[] {
    const changes: FieldChange[] = [];
    const compare = (field: string, from: unknown, to: unknown, api: boolean) => {
        if (!same(field, from, to)) changes.push({ field, from, to, api });
    };
    for (const f of ALWAYS) compare(f, olds[f], news[f], true);
    for (const f of WHEN_DECLARED) {
        if (news[f] !== undefined) compare(f, olds[f], news[f], true);
    }
    if (isUnknown(news.features)) {
        changes.push({ field: "features", from: olds.features, to: news.features, api: true });
    } else {
        for (const [slug, value] of Object.entries(news.features ?? {})) {
            compare(`features.${slug}`, olds.features?.[slug as FeatureSlug], value, true);
        }
    }
    compare("adopt", olds.adopt ?? false, news.adopt, false);
    compare("onDelete", olds.onDelete ?? "delete", news.onDelete, false);
    return changes;
}

/**
 * Bitsight cannot change a user's status after creation, and Created versus Activated
 * only says whether the user has logged in yet. What can conflict is Deactivated versus
 * active: report it, never ignore it, and never replace (delete) the user over it.
 */
export function statusConflict(observed: string | undefined, declared: string | undefined): string | undefined {
    if (declared === undefined || observed === undefined || isUnknown(declared)) return undefined;
    const wantsActive = declared !== "Deactivated";
    const isActive = observed !== "Deactivated";
    if (wantsActive === isActive) return undefined;
    const fix = wantsActive
        ? `reactivate the user in the Bitsight UI, or declare status "Deactivated"`
        : `deactivate the user in the Bitsight UI, or declare status "${observed}"`;
    return (
        `status: declared "${declared}" but the user is "${observed}" in Bitsight, and the Bitsight API ` +
        `cannot change the status of an existing user (status only applies when a user is created). ` +
        `To resolve it, ${fix}. Nothing was changed.`
    );
}

/**
 * A declared feature value the account says this user cannot change (`can_update: false`):
 * known from the last read, so the preview shows a difference and update refuses it before the write.
 */
export function lockedFeatureConflict(olds: Partial<UserOutputs>, news: UserInputs): string | undefined {
    if (isUnknown(news.features)) return undefined;
    const stuck = (olds.lockedFeatures ?? []).filter((slug) => {
        const wanted = news.features?.[slug];
        return wanted !== undefined && !isUnknown(wanted) && wanted !== olds.features?.[slug];
    });
    if (stuck.length === 0) return undefined;
    const unheld = stuck.filter((slug) => olds.features?.[slug] === undefined);
    if (unheld.length > 0) {
        return (
            `${unheld.map((slug) => `features.${slug}`).join(", ")}: Bitsight holds a value that is not true or false for this user, which the provider cannot manage. ` +
            `Leave ${unheld.length === 1 ? "it" : "them"} out of \`features\` (and change ${unheld.length === 1 ? "it" : "them"} in the Bitsight UI). Nothing was changed.`
        );
    }
    const what = stuck.map((slug) => `features.${slug}: declared ${String(news.features![slug])} but Bitsight has ${String(olds.features?.[slug])}`).join("; ");
    return (
        `${what}, and Bitsight does not let this user's ${stuck.length === 1 ? "feature" : "features"} be changed (can_update: false). ` +
        `Declare the value the account has, or leave ${stuck.length === 1 ? "it" : "them"} out of \`features\`. Nothing was changed.`
    );
}

/**
 * The PATCH body for the API-side changes: only the fields that differ. Whether a PATCH's
 * `features` is merged into the user's or replaces them is not documented, so when it
 * carries any, it carries every feature `current` says the user may change, each with
 * its declared value or else the one it has: right under both readings.
 */
export function toPatchBody(changes: FieldChange[], news: UserInputs, current: Pick<ApiUser, "features">): ApiUserWrite {
    const body: ApiUserWrite = {};
    const features: { slug: string; value: boolean }[] = [];
    for (const c of changes.filter((c) => c.api)) {
        if (c.field.startsWith("features.")) {
            features.push({ slug: c.field.slice("features.".length), value: c.to as boolean });
            continue;
        }
        switch (c.field) {
            case "email":
                body.email = news.email;
                break;
            case "formalName":
                body.formal_name = news.formalName;
                break;
            case "friendlyName":
                body.friendly_name = news.friendlyName;
                break;
            case "role":
                body.roles = [{ slug: news.role }];
                break;
            case "group":
                if (news.group !== undefined) body.group = news.group;
                break;
            case "isAvailableForContact":
                if (news.isAvailableForContact !== undefined) body.is_available_for_contact = news.isAvailableForContact;
                break;
            case "isCompanyApiToken":
                if (news.isCompanyApiToken !== undefined) body.is_company_api_token = news.isCompanyApiToken;
                break;
        }
    }
    if (features.length > 0) {
        for (const f of current.features) {
            if (f.can_update && !features.some((x) => x.slug === f.slug)) features.push({ slug: f.slug, value: f.value });
        }
        body.features = features;
    }
    return body;
}

/**
 * Features the user had before a write and the declaration does not name, whose value
 * the write changed anyway (an API whose PATCH replaces the list, or resets what it omits).
 */
export function undeclaredFeaturesMoved(before: Pick<ApiUser, "features">, after: Pick<ApiUser, "features">, news: UserInputs): string[] {
    return before.features
        .filter((f) => news.features?.[f.slug as FeatureSlug] === undefined)
        .filter((f) => {
            const now = after.features.find((x) => x.slug === f.slug);
            return now !== undefined && now.value !== f.value;
        })
        .map((f) => `${f.slug} (${String(f.value)} -> ${String(!f.value)})`);
}

export function describeChanges(changes: FieldChange[]): string {
    return changes.map((c) => `${c.field}: ${JSON.stringify(c.from)} -> ${JSON.stringify(c.to)}`).join(", ");
}
