// Words shared by the text and markdown renderings of a plan. Account strings in them are
// shown by the caller's renderer (`show`: ../../escape/terminal or ../../escape/markdown).
import type { FieldChange, Grants, GroupRef, Plan, Privilege, Why } from "../plan/shape";
import type { Ending } from "../../usersfile/ending";
import type { OnDelete } from "../../model/user-model";

export const PRIVILEGE_WORDS: Record<Privilege["kind"], string> = {
    "admin-granted": "Admin granted",
    "admin-removed": "Admin removed",
    raised: "role raised",
    lowered: "role lowered",
};

export type Show = (s: string) => string;

export function privilegeLine(p: Privilege, show: Show): string {
    // What was found (the account) and what applying does (the file), apart: in a drift
    // check, "Admin removed" is what pulumi up would do to an Admin granted in the UI.
    return `${PRIVILEGE_WORDS[p.kind]} by pulumi up (${p.from ? `the account holds ${show(p.from)}` : "a new user"}; the file declares ${show(p.to)})`;
}

export function groupLabel(g: GroupRef | null): string {
    if (!g) return "default group";
    return g.guid === "" ? `${g.name} (new group)` : (g.name ?? g.guid);
}

export function valueLabel(c: FieldChange, v: unknown, show: Show): string {
    if (c.field === "group") return show(groupLabel(v as GroupRef | null));
    return v === undefined ? "(not set)" : typeof v === "string" ? show(v) : JSON.stringify(v);
}

export function lastLogin(t: string | null, show: Show): string {
    return t ? `last login ${show(t.slice(0, 10))}` : "never logged in";
}

/** A new user's grants beyond role and group, one `field: value` each: `features.wfh-ro: true`. */
export function grantLines(g: Grants): string[] {
    return [
        ...Object.entries(g.features ?? {}).map(([slug, on]) => `features.${slug}: ${String(on)}`),
        ...(g.isAvailableForContact !== undefined ? [`isAvailableForContact: ${String(g.isAvailableForContact)}`] : []),
        ...(g.isCompanyApiToken !== undefined ? [`isCompanyApiToken: ${String(g.isCompanyApiToken)}`] : []),
        ...(g.status !== undefined ? [`status: ${g.status}`] : []),
    ];
}

/** Existing users declared without `adopt: true`, in a stack that does not manage them (checked with --state). */
export const NOT_ADOPTED = {
    title: "In the account already, declared without `adopt: true`, not in the stack",
    fix: "`pulumi up` would fail to create them: add `adopt: true` to take them over",
} as const;

/**
 * What to tell about existing users declared without `adopt: true`: a difference with
 * `--state`; without, a caution, and only on a plan with differences (a pull request's):
 * after an apply every declared user exists, and the note would follow every in-sync plan.
 */
export function notAdoptedWords(plan: Plan): { title: string; fix: string } | { note: string } | undefined {
    const { checked, emails } = plan.notAdopted;
    // Unchecked, it matters only beside a change about to be applied: after an onboarding
    // every user the provider created exists without `adopt: true`, and says nothing wrong.
    if (emails.length === 0 || (!checked && plan.create.length + plan.change.length === 0)) return undefined;
    if (checked) return NOT_ADOPTED;
    const n = emails.length;
    return {
        note:
            `${n} declared user${n === 1 ? " exists" : "s exist"} in the account without \`adopt: true\`: fine where the stack already manages ` +
            `${n === 1 ? "it" : "them"}, but \`pulumi up\` on a stack that does not fails to create ${n === 1 ? "it" : "them"}. ` +
            "Pass `--state` with the output of `pulumi stack export` to check.",
    };
}

/** Every privilege change of the plan, new Admins included. */
export function privileges(plan: Plan): { email: string; privilege: Privilege; why: Why }[] {
    return [
        ...plan.create.filter((c) => c.privilege).map((c) => ({ email: c.email, privilege: c.privilege!, why: c.why })),
        ...plan.change.filter((c) => c.privilege).map((c) => ({ email: c.email, privilege: c.privilege!, why: c.why })),
    ].sort((a, b) => a.email.localeCompare(b.email));
}

/** What the file says of the access, one `field: value` each: `reason: …`, `expires: …` (the first day without it). */
export function whyLines(w: Why, show: Show): string[] {
    return [...(w.reason !== null ? [`reason: ${show(w.reason)}`] : []), ...(w.expires !== null ? [`expires: ${w.expires} (the first day without access)`] : [])];
}

/** The file's `reason:` and `expires:` in one cell, or "-": a reviewer reads why beside what. */
export function whyCell(w: Why, show: Show): string {
    return whyLines(w, (s) => s).map(show).join("; ") || "-";
}

/** What becomes, or became, of a user whose access ended (expired, or removed on purpose): what pulumi up does, or what the account holds. */
export function endingWords(r: Ending & { onDelete: OnDelete }, demoteRole: string, show: Show): string {
    const detail = r.detail === null ? "" : ` (${show(r.detail)})`;
    switch (r.state) {
        case "to-delete":
            return `pulumi up deletes it${detail}`;
        case "to-demote":
            return `pulumi up demotes it to ${demoteRole}${detail}`;
        case "to-retain":
            return "pulumi up stops managing it and leaves it as it is";
        case "done":
            return r.onDelete === "demote" ? `done: demoted (${demoteRole})` : "done: kept as it is, not managed";
        case "gone":
            return "not in the account: the entry can go";
        case "changed":
            return `CHANGED since its access ended: ${show(r.detail ?? "")}`;
        case "blocked":
            return `cannot be applied as written: ${show(r.detail ?? "")}`;
    }
}
