// The categories a plan counts, one row each, in the order a reader meets them: how the
// row is counted, whether it is a difference and how the summary line says it, and the
// section each rendering shows (./render-text and ./render-markdown loop over this table).
// A new category is its count and its list in ./shape, a row here, and what fills it in
// ./decide. Every string from the account or the file is shown through the view's `show`
// (../../escape/terminal or ../../escape/markdown).
import { CATEGORY_KEYS, type AccountUser, type CategoryKey, type ExpiredUser, type MfaToRequire, type Plan, type PlannedChange, type PlannedCreate, type PlannedRemovedUser, type RuleAcknowledgement, type PlannedApiToken, type RevokedApiToken, type AccountApiToken, type TimeBound, type Ungoverned, type UnmanagedAccountUser, type PlannedGroup, type ChangedGroup, type DeletedGroup, type AccountGroup } from "./shape";
import { endIsDifference } from "../../usersfile/ending";
import { GROUP_FLAGS } from "../../account/access-groups";
import { escapeUnsafe } from "../../escape/terminal";
import { endingWords, grantLines, groupLabel, lastLogin, NOT_ADOPTED, valueLabel, whyLines, whyCell, type Show } from "../render/words";

export interface TextView {
    plan: Plan;
    show: Show;
    /** A column `width` wide, and never less than one space from the next. */
    col(s: string, width: number): string;
    /** The email column, as wide as the plan's longest email (up to a limit). */
    email(s: string): string;
}

export interface MarkdownView {
    plan: Plan;
    show: Show;
}

/** What a category shows, in either rendering; no section: counted only (the summary line says it). */
export interface Section<T> {
    entries(plan: Plan): readonly T[];
    /** The number beside the title: the entries', unless said. */
    total?(plan: Plan): number;
    text: {
        title(plan: Plan): string;
        lines(entry: T, v: TextView): string[];
    };
    markdown: {
        title(plan: Plan): string;
        /** A sentence under the title. */
        intro?(v: MarkdownView): string;
        /** Folded (<details>): never a difference, read on demand. */
        folded?: true;
        /** The table's head; none: a list, one item per entry. */
        head?: string[];
        rows(entry: T, v: MarkdownView): string[][];
    };
}

interface Category {
    /** How many of the plan's entries are in it. */
    count(plan: Plan): number;
    /** How the summary line says a difference; absent: never a difference (counted, said apart). */
    differs?(n: number, plan: Plan): string | undefined;
    section?: Section<unknown>;
}

/** Keeps each row's entries typed: a section is written for the one list it shows. */
const section = <T>(s: Section<T>): Section<unknown> => s as Section<unknown>;

const accountLine = (u: AccountUser, v: TextView) =>
    `${v.email(u.email)}${v.col(v.show(u.role), 28)}${v.col(v.show(u.status), 12)}${v.col(u.group === null ? "-" : v.show(u.group), 22)}${lastLogin(u.lastLoginTime, v.show)}`;

export const CATEGORIES = {
    create: {
        count: (p) => p.create.length,
        differs: (n) => `${n} to create`,
        section: section<PlannedCreate>({
            entries: (p) => p.create,
            text: {
                title: () => "To create",
                lines: (c, v) => [`  + ${v.email(c.email)}${v.col(v.show(c.role), 28)}${v.show(groupLabel(c.group))}`, ...[...grantLines(c.grants), ...whyLines(c.why, v.show)].map((g) => `      ${g}`)],
            },
            markdown: {
                title: () => "To create",
                head: ["user", "role", "group", "also declared", "why"],
                rows: (c, { show }) => [[show(c.email), show(c.role), show(groupLabel(c.group)), grantLines(c.grants).map(show).join(", ") || "-", whyCell(c.why, show)]],
            },
        }),
    },
    apiTokensToCreate: {
        count: (p) => p.apiTokensToCreate.length,
        differs: (n) => `${n} API token${n === 1 ? "" : "s"} to create`,
        section: section<PlannedApiToken>({
            entries: (p) => p.apiTokensToCreate,
            text: {
                title: () => "Company API tokens to create (Admin rights; pulumi up emails each one's value to its person)",
                lines: (t, { show }) => [`  + ${show(t.description)}  for ${show(t.for)}  group ${t.group === null ? "default group" : show(t.group)}`, ...tokenWhy(t, show).map((w) => `      ${w}`)],
            },
            markdown: {
                title: () => "Company API tokens to create",
                intro: () => "Each has Admin rights to the whole account; `pulumi up` has Bitsight email its value to its person:",
                head: ["token", "for", "group", "why"],
                rows: (t, { show }) => [[show(t.description), show(t.for), t.group === null ? "default group" : show(t.group), tokenWhy(t, (x) => x).map(show).join("; ")]],
            },
        }),
    },
    apiTokensToRevoke: {
        count: (p) => p.apiTokensToRevoke.filter((t) => t.state !== "gone").length,
        differs: (n) => `${n} API token${n === 1 ? "" : "s"} to revoke`,
        section: section<RevokedApiToken>({
            entries: (p) => p.apiTokensToRevoke,
            text: {
                title: () => "Company API tokens to revoke (expired, or removed from the file)",
                lines: (t, { show }) => [`  ${t.state === "gone" ? " " : "-"} ${show(t.description)}${t.token ? ` (token ${show(t.token)})` : ""}  ${revokedWhy(t)}: ${revokeWords(t, show)}`],
            },
            markdown: {
                title: () => "Company API tokens to revoke",
                intro: () => "Revoking a token stops whatever uses it, at once.",
                head: ["token", "why", "what pulumi up does"],
                rows: (t, { show }) => [[`${show(t.description)}${t.token ? ` ${show(t.token)}` : ""}`, revokedWhy(t), revokeWords(t, show)]],
            },
        }),
    },
    groupsToCreate: {
        count: (p) => p.groupsToCreate.length,
        differs: (n) => `${n} access group${n === 1 ? "" : "s"} to create`,
        section: section<PlannedGroup>({
            entries: (p) => p.groupsToCreate,
            text: {
                title: () => "Access groups to create",
                lines: (g, { show }) => [`  + ${show(g.name)}${groupFlags(g)}  ${joiningWords(g.declaredUsers)}`, ...(g.reason !== null ? [`      reason: ${show(g.reason)}`] : [])],
            },
            markdown: {
                title: () => "Access groups to create",
                head: ["group", "declared", "users the file puts in it", "why"],
                rows: (g, { show }) => [[show(g.name), groupFlags(g).trim() || "-", String(g.declaredUsers), g.reason === null ? "-" : show(g.reason)]],
            },
        }),
    },
    delete: {
        count: (p) => p.removal.removing.length,
        differs: (n, p) => `${n} to delete${p.removal.refused ? " (refused: too many)" : ""}`,
        section: section<string>({
            entries: (p) => p.removal.removing,
            text: { title: () => "To delete (removed from the file; onDelete: delete)", lines: (e, v) => [`  - ${v.show(e)}`] },
            markdown: { title: () => "To delete", intro: () => "Removed from the file, `onDelete: delete`: deleting a user is irreversible.", rows: (e, { show }) => [[show(e)]] },
        }),
    },
    expired: {
        count: (p) => p.expired.filter(endIsDifference).length,
        differs: (n) => `${n} expired`,
        section: section<ExpiredUser>({
            entries: (p) => p.expired,
            text: {
                title: () => "Access expired (from its expires: date the user holds no login: the next pulumi up deletes it)",
                lines: (e, { plan, show }) => [`  x ${show(e.email)}  expired on ${e.expires}: ${endingWords(e, plan.demoteRole, show)}`],
            },
            markdown: {
                title: () => "Access expired",
                intro: () => "From its `expires:` date the user holds no login: the next `pulumi up` deletes it.",
                head: ["user", "expired on", "what pulumi up does"],
                rows: (e, { plan, show }) => [[show(e.email), e.expires, endingWords(e, show(plan.demoteRole), show)]],
            },
        }),
    },
    demote: {
        count: (p) => p.removal.demoting.length,
        differs: (n) => `${n} to demote`,
        section: section<string>({
            entries: (p) => p.removal.demoting,
            text: {
                title: (p) => `To demote (removed from the file; onDelete: demote: kept as ${p.demoteRole}, features and contact flag off)`,
                lines: (e, v) => [`  v ${v.show(e)}`],
            },
            markdown: {
                title: () => "To demote",
                intro: ({ plan, show }) => `Removed from the file, \`onDelete: demote\`: kept in the account as ${show(plan.demoteRole)}, every feature and the contact flag off.`,
                rows: (e, { show }) => [[show(e)]],
            },
        }),
    },
    removed: {
        count: (p) => p.removed.filter(endIsDifference).length,
        differs: (n) => `${n} removed to apply or to check`,
        section: section<PlannedRemovedUser>({
            entries: (p) => p.removed,
            text: {
                title: () => "Removed on purpose (removed:)",
                lines: (r, { plan, show }) => [`  ${endIsDifference(r) ? "-" : " "} ${show(r.email)}  onDelete ${r.onDelete}: ${endingWords(r, plan.demoteRole, show)}`, `      reason: ${show(r.reason)}`],
            },
            markdown: {
                title: () => "Removed on purpose",
                intro: () => "Under `removed:` in the file: what `pulumi up` does to each, or what the account still holds.",
                head: ["user", "onDelete", "what becomes of it", "reason"],
                rows: (r, { plan, show }) => [[show(r.email), show(r.onDelete), endingWords(r, show(plan.demoteRole), show), show(r.reason)]],
            },
        }),
    },
    groupsToDelete: {
        count: (p) => p.groupsToDelete.filter((g) => g.state !== "gone").length,
        differs: (n, p) => `${n} access group${n === 1 ? "" : "s"} to delete${p.groupsToDelete.some((g) => g.state === "blocked") ? " (refused: still in use)" : ""}`,
        section: section<DeletedGroup>({
            entries: (p) => p.groupsToDelete,
            text: {
                title: () => "Access groups to delete (removed from the file)",
                lines: (g, { show }) => [`  ${g.state === "gone" ? " " : "-"} ${show(g.name)}  ${g.members} user${g.members === 1 ? "" : "s"} now: ${deleteWords(g, escapeUnsafe)}`],
            },
            markdown: {
                title: () => "Access groups to delete",
                intro: () => "Removed from the file; a group is never deleted while someone is in it.",
                head: ["group", "users now", "what pulumi up does"],
                rows: (g, { show }) => [[show(g.name), String(g.members), deleteWords(g, show)]],
            },
        }),
    },
    change: {
        count: (p) => p.change.length,
        differs: (n) => `${n} to change`,
        section: section<PlannedChange>({
            entries: (p) => p.change,
            text: {
                title: () => "To change",
                lines: (c, { show }) => [
                    `  ~ ${show(c.email)}`,
                    ...c.changes.map((f) => `      ${f.field}: ${valueLabel(f, f.from, show)} -> ${valueLabel(f, f.to, show)}`),
                    ...c.blocked.map((b) => `      cannot be applied: ${escapeUnsafe(b)}`),
                ],
            },
            markdown: {
                title: () => "To change",
                head: ["user", "field", "from", "to"],
                rows: (c, { show }) => [
                    ...c.changes.map((f) => [show(c.email), f.field, valueLabel(f, f.from, show), valueLabel(f, f.to, show)]),
                    ...c.blocked.map((b) => [show(c.email), show(b.slice(0, b.indexOf(":"))), "cannot be applied", show(b)]),
                ],
            },
        }),
    },
    groupsToChange: {
        count: (p) => p.groupsToChange.length,
        differs: (n) => `${n} access group${n === 1 ? "" : "s"} to change`,
        section: section<ChangedGroup>({
            entries: (p) => p.groupsToChange,
            text: {
                title: () => "Access groups to change",
                lines: (g, { show }) => [
                    `  ~ ${show(g.name)}  (${g.members} user${g.members === 1 ? "" : "s"})`,
                    ...(g.renamedFrom !== null ? [`      name: ${show(g.renamedFrom)} -> ${show(g.name)}`] : []),
                    ...g.changes.map((c) => `      ${c.field}: ${c.from} -> ${c.to}`),
                    ...companyLines(g).map((l) => `      ${l}`),
                    ...g.blocked.map((b) => `      cannot be applied: ${escapeUnsafe(b)}`),
                ],
            },
            markdown: {
                title: () => "Access groups to change",
                head: ["group", "field", "from", "to"],
                rows: (g, { show }) => [
                    ...(g.renamedFrom !== null ? [[show(g.name), "name", show(g.renamedFrom), show(g.name)]] : []),
                    ...g.changes.map((c) => [show(g.name), c.field, String(c.from), String(c.to)]),
                    ...(companyLines(g).length ? [[show(g.name), "companies", `${g.companiesRemoved.length} to stop seeing`, `${g.companiesAdded.length} to see`]] : []),
                    ...g.blocked.map((b) => [show(g.name), show(b.slice(0, b.indexOf(":"))), "cannot be applied", show(b)]),
                ],
            },
        }),
    },
    mfaToRequire: {
        count: (p) => p.mfaToRequire.length,
        differs: (n) => `${n} 2FA to require`,
        section: section<MfaToRequire>({
            entries: (p) => p.mfaToRequire,
            text: {
                title: () => "2FA to require (pulumi up asks Bitsight to require it at next login)",
                lines: (m, v) => [`  ! ${v.email(m.email)}2FA ${v.col(m.mfaStatus === null ? "(new user)" : v.show(m.mfaStatus), 14)}why: ${v.show(m.why)}`],
            },
            markdown: {
                title: () => "2FA to require",
                intro: () => "`pulumi up` asks Bitsight to require two-factor authentication at their next login:",
                head: ["user", "2FA now", "why"],
                rows: (m, { show }) => [[show(m.email), m.mfaStatus === null ? "(new user)" : show(m.mfaStatus), show(m.why)]],
            },
        }),
    },
    undeclared: {
        count: (p) => p.undeclared.length,
        differs: (n) => `${n} not declared`,
        section: section<AccountUser>({
            entries: (p) => p.undeclared,
            text: { title: () => "In the account, not declared in the file", lines: (u, v) => [`  ? ${accountLine(u, v)}`] },
            markdown: {
                title: () => "In the account, not declared in the file",
                head: ["user", "role", "status", "group", "last login"],
                rows: (u, { show }) => [[show(u.email), show(u.role), show(u.status), show(u.group ?? "-"), lastLogin(u.lastLoginTime, show)]],
            },
        }),
    },
    apiTokensUndeclared: {
        count: (p) => p.apiTokensUndeclared.length,
        differs: (n, p) => (p.apiTokensDeclared ? `${n} API token${n === 1 ? "" : "s"} not declared` : undefined),
        section: section<AccountApiToken>({
            entries: (p) => p.apiTokensUndeclared,
            text: {
                title: () => "Company API tokens in the account, not declared in the file",
                lines: (t, v) => [`  ? ${v.col(`${v.show(t.description)} (token ${v.show(t.token)})`, 40)}created ${t.createdDate.slice(0, 10)}${t.creatorName ? ` by ${v.show(t.creatorName)}` : ""}, ${t.ageDays} days ago; group ${t.group === null ? "-" : v.show(t.group)}`],
            },
            markdown: {
                title: () => "Company API tokens in the account, not declared in the file",
                head: ["token", "created", "by", "group"],
                rows: (t, { show }) => [[`${show(t.description)} ${show(t.token)}`, `${t.createdDate.slice(0, 10)} (${t.ageDays} days ago)`, t.creatorName ? show(t.creatorName) : "-", t.group === null ? "-" : show(t.group)]],
            },
        }),
    },
    groupsUndeclared: {
        count: (p) => p.groupsUndeclared.length,
        differs: (n, p) => (p.groupsDeclared ? `${n} access group${n === 1 ? "" : "s"} not declared` : undefined),
        section: section<AccountGroup>({
            entries: (p) => p.groupsUndeclared,
            text: {
                title: () => "Access groups in the account, not declared in the file",
                lines: (g, v) => [`  ? ${v.col(v.show(g.name), 30)}${g.members} user${g.members === 1 ? "" : "s"}${g.isDefault ? ", the default group" : ""}`],
            },
            markdown: {
                title: () => "Access groups in the account, not declared in the file",
                head: ["group", "users", "default"],
                rows: (g, { show }) => [[show(g.name), String(g.members), g.isDefault ? "yes" : "-"]],
            },
        }),
    },
    companyApiTokens: {
        count: (p) => p.companyApiTokens.length,
        // Differences only once the file declares company API token users itself.
        differs: (n, p) => (p.companyApiTokensDeclared ? `${n} company API token users not declared` : undefined),
        section: section<AccountUser>({
            entries: (p) => p.companyApiTokens,
            text: {
                title: (p) => (p.companyApiTokensDeclared ? "Company API token users, not declared (the file manages token users)" : "Company API token users, not declared, listed apart"),
                lines: (u, v) => [`  ${v.plan.companyApiTokensDeclared ? "?" : " "} ${accountLine(u, v)}`],
            },
            markdown: {
                title: () => "Company API token users, not declared",
                folded: true,
                head: ["user", "role", "status"],
                rows: (u, { show }) => [[show(u.email), show(u.role), show(u.status)]],
            },
        }),
    },
    notAdopted: {
        count: (p) => (p.notAdopted.checked ? p.notAdopted.emails.length : 0),
        differs: (n) => `${n} to adopt`,
        // Unchecked, these are a note (each rendering's), not a section: see notAdoptedWords.
        section: section<string>({
            entries: (p) => (p.notAdopted.checked ? p.notAdopted.emails : []),
            text: { title: () => `${NOT_ADOPTED.title}; ${NOT_ADOPTED.fix}`, lines: (e, v) => [`  ! ${v.show(e)}`] },
            markdown: { title: () => NOT_ADOPTED.title, intro: () => `${NOT_ADOPTED.fix}:`, rows: (e, { show }) => [[show(e)]] },
        }),
    },
    unmanaged: {
        count: (p) => p.unmanaged.length,
        section: section<UnmanagedAccountUser>({
            entries: (p) => p.unmanaged,
            text: { title: () => "Acknowledged as unmanaged (not differences)", lines: (u, v) => [`    ${accountLine(u, v)}`, `      reason: ${escapeUnsafe(u.reason)}`] },
            markdown: {
                title: () => "Acknowledged as unmanaged",
                folded: true,
                head: ["user", "role", "status", "reason"],
                rows: (u, { show }) => [[show(u.email), show(u.role), show(u.status), show(u.reason)]],
            },
        }),
    },
    ungoverned: {
        count: (p) => p.ungoverned.length,
        section: section<Ungoverned>({
            entries: (p) => p.ungoverned,
            text: { title: () => "Account state the file does not govern (not differences)", lines: (u, { show }) => [`  * ${show(u.email)}: features on in the account, not declared: ${u.features.map(show).join(", ")}`] },
            markdown: {
                title: () => "Account state the file does not govern",
                intro: () => "Not differences (`pulumi up` leaves them), but access nobody declared:",
                head: ["user", "features on in the account, not declared"],
                rows: (u, { show }) => [[show(u.email), u.features.map(show).join(", ")]],
            },
        }),
    },
    timeBound: {
        count: (p) => p.timeBound.length,
        section: section<TimeBound>({
            entries: (p) => p.timeBound,
            text: {
                title: () => "Access with an end date (not differences; from expires: the next pulumi up deletes the user)",
                lines: (e, v) => [`  . ${v.email(e.email)}expires ${e.expires}, in ${e.daysLeft} day${e.daysLeft === 1 ? "" : "s"}`],
            },
            markdown: {
                title: () => "Access with an end date",
                folded: true,
                head: ["user", "expires (the first day without access)", "in days"],
                rows: (e, { show }) => [[show(e.email), e.expires, String(e.daysLeft)]],
            },
        }),
    },
    acknowledgedByRule: {
        count: (p) => p.acknowledgedByRule.reduce((n, a) => n + a.count, 0),
        section: section<RuleAcknowledgement>({
            entries: (p) => p.acknowledgedByRule.filter((a) => a.count > 0),
            total: (p) => p.acknowledgedByRule.reduce((n, a) => n + a.count, 0),
            text: {
                title: () => "Acknowledged by rule (not differences)",
                lines: (a, { show }) => [`    ${a.count} acknowledged by rule ${show(`'${a.name}'`)}${a.name === a.reason ? "" : `: ${escapeUnsafe(a.reason)}`}`],
            },
            markdown: { title: () => "Acknowledged by rule", folded: true, head: ["rule", "users", "reason"], rows: (a, { show }) => [[show(a.name), String(a.count), show(a.reason)]] },
        }),
    },
    unchanged: { count: (p) => p.unchanged.length },
} as const satisfies Record<CategoryKey, Category>;
/** In the summary's order (./shape): the order a reader meets the sections and the differences. */
const rows = CATEGORY_KEYS.map((key) => [key, CATEGORIES[key] as Category] as const);

/** Each section with its entries, in the table's order: the ones with none left out. */
export function sections(plan: Plan): { section: Section<unknown>; entries: readonly unknown[]; total: number }[] {
    return rows.flatMap(([, c]) => {
        const s = c.section;
        const entries = s?.entries(plan) ?? [];
        return s && entries.length ? [{ section: s, entries, total: s.total?.(plan) ?? entries.length }] : [];
    });
}

export function countAll(plan: Plan): Plan["summary"] {
    return Object.fromEntries(rows.map(([key, c]) => [key, c.count(plan)])) as Plan["summary"];
}

export function noneCounted(): Plan["summary"] {
    return Object.fromEntries(rows.map(([key]) => [key, 0])) as Plan["summary"];
}

/** The differences, as the summary line says them, in the table's order; empty when there are none. */
export function differences(plan: Plan): string[] {
    return rows.flatMap(([key, c]) => {
        const n = plan.summary[key];
        const said = n > 0 ? c.differs?.(n, plan) : undefined;
        return said === undefined ? [] : [said];
    });
}

export function summaryLine(plan: Plan): string {
    const apart =
        (plan.summary.unmanaged ? `; ${plan.summary.unmanaged} acknowledged as unmanaged` : "") +
        (plan.summary.acknowledgedByRule ? `; ${plan.summary.acknowledgedByRule} acknowledged by rule` : "");
    if (plan.inSync) return `In sync: the account matches the file (${plan.summary.unchanged} users${apart}).`;
    const parts = differences(plan);
    if (parts.length === 0 && plan.partialView) return `Not known to be in sync: the token sees only part of the account (${plan.summary.unchanged} users it sees unchanged${apart}).`;
    return `Differences: ${parts.join(", ")}; ${plan.summary.unchanged} unchanged${apart}.`;
}

function revokedWhy(t: RevokedApiToken): string {
    return t.why === "expired" ? `expired on ${t.expires}` : "removed from the file";
}

function revokeWords(t: RevokedApiToken, show: (s: string) => string): string {
    if (t.state === "gone") return "not in the account: the entry can go";
    if (t.state === "blocked") return `cannot be revoked by this run: ${show(t.detail ?? "")}`;
    return "pulumi up revokes it";
}

/** A token's `reason:` and `expires:`, as whyLines says a user's: the day it is revoked. */
function tokenWhy(t: PlannedApiToken, show: (s: string) => string): string[] {
    return [`reason: ${show(t.reason)}`, ...(t.expires !== null ? [`expires: ${t.expires} (revoked from that day)`] : [])];
}

/** A group's companies to see and to stop seeing, by GUID (the API names companies by GUID). */
function companyLines(g: ChangedGroup): string[] {
    return [...g.companiesAdded.map((c) => `companies: + ${c}`), ...g.companiesRemoved.map((c) => `companies: - ${c}`)];
}

/** The flags a group to create declares, as the file writes them. */
function groupFlags(g: PlannedGroup): string {
    const set = [
        ...GROUP_FLAGS.filter((k) => g[k] !== null).map((k) => `${k}: ${g[k]}`),
        ...(g.companies !== null ? [`${g.companies.length} compan${g.companies.length === 1 ? "y" : "ies"}`] : []),
    ];
    return set.length ? `  ${set.join(", ")}` : "";
}

function joiningWords(n: number): string {
    return n === 0 ? "no declared user in it yet" : `${n} declared user${n === 1 ? "" : "s"} land${n === 1 ? "s" : ""} in it`;
}

function deleteWords(g: DeletedGroup, show: (s: string) => string): string {
    if (g.state === "gone") return "not in the account: nothing to do";
    if (g.state === "blocked") return `pulumi up refuses the run: ${show(g.detail ?? "")}`;
    return g.members ? "its users move out first, then pulumi up deletes it" : "pulumi up deletes it";
}
