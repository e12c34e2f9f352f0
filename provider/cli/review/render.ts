// `review` as text (the default), markdown (for the audit ticket) and CSV (for the
// auditor's spreadsheet). JSON is the Review object itself (schema/review.schema.json).
// Every cell and message is shown through the renderer of its output kind (../../escape).
import { forCsv } from "../../escape/csv";
import { forMarkdown } from "../../escape/markdown";
import { escapeUnsafe, forTerminal } from "../../escape/terminal";
import { expiringSoon } from "./decide";
import type { AttentionKind, Review, ReviewedGroup, ReviewedToken, ReviewedUser } from "./shape";

export function attentionText(kind: AttentionKind, u: ReviewedUser, staleDays: number): string {
    switch (kind) {
        case "undeclared":
            return "not declared in the file, nor acknowledged under unmanaged:";
        case "privilege-beyond-file":
            return (
                `holds ${u.role}, more than the file declares (${u.declaredRole}): granted outside the file, in the Bitsight UI. ` +
                `The next pulumi up --refresh (a merge, or a run by hand) takes it away; to keep it, declare the role in the file, with a reason: line saying who asked`
            );
        case "admin-without-mfa":
            return adminMfaText(u);
        case "stale":
            return `no login for ${u.daysSinceLogin} days (${staleDays} allowed)`;
        case "never-logged-in":
            return `never logged in, joined ${u.daysSinceJoined} days ago (${staleDays} allowed)`;
        case "expired":
            return `access expired on ${u.expires}, and the account still holds the user: the next pulumi up deletes it, if the stack still manages it`;
    }
}

/** An Admin whose 2FA is not enabled: which state, and whether the file requires it (and so whether pulumi up fixes it). */
function adminMfaText(u: ReviewedUser): string {
    const required = u.mfaRequired ? `the file requires it (${u.mfaRequired === "declared" ? "declared" : `by ${u.mfaRequired}`})` : "the file does not require it";
    if (u.mfaStatus === "pending") return `Admin whose 2FA is required but not set up yet (pending); ${required}`;
    // The file's 2FA rules follow the role it declares: this Admin role is the finding above, not a missing rule.
    if (u.attention.includes("privilege-beyond-file")) return `Admin without 2FA (${u.mfaStatus ?? "unknown"}), by a role the file does not grant (it declares ${u.declaredRole}): take the role away, or declare it and the file's 2FA rules apply`;
    if (u.mfaRequired) return `Admin without 2FA (${u.mfaStatus ?? "unknown"}); ${required}: the next pulumi up asks Bitsight to require it`;
    return `Admin without 2FA (${u.mfaStatus ?? "unknown"}), and ${required}: add \`mfa: required\` to the user, or policy.requireMfa: [customer_admin]`;
}

function tokenAttentionText(t: ReviewedToken, maxDays: number | null): string {
    return t.attention.map((k) => TOKEN_ATTENTION[k](t, maxDays)).join("; ");
}

const TOKEN_ATTENTION: Record<ReviewedToken["attention"][number], (t: ReviewedToken, maxDays: number | null) => string> = {
    "token-rotation": (t, maxDays) => `created ${t.ageDays} days ago, more than policy.maxApiTokenAgeDays (${maxDays}): rotate it (declare a new token with a new description and an expires: for this one)`,
    "token-undeclared": () => "not declared under the file's apiTokens:, with Admin rights: declare it with a reason: (export --adopt writes it), or revoke it",
    "token-expired": (t) => `expired on ${t.expires}: the next pulumi up revokes it`,
};

/** How a token is named where an email names a user. */
const tokenName = (t: ReviewedToken) => `${t.description || "(no description)"} (token ${t.token})`;

const TOKEN_HEADERS = ["created by", "created", "age (days)", "group", "roles", "in the file", "expires"];
const tokenCells = (t: ReviewedToken) => [t.creatorName ?? "-", day(t.createdDate), String(t.ageDays), t.group ?? "-", t.roles.join(", ") || "-", t.inFile === null ? "-" : t.inFile === "declared" ? "declared" : "NOT DECLARED", t.expires ?? "-"];

/** How a group is named where an email names a user. */
const groupName = (g: ReviewedGroup) => `${g.name} (access group)`;

function groupAttentionText(g: ReviewedGroup): string {
    return g.attention.map(() => `not declared under the file's groups:, holding ${g.members} user${g.members === 1 ? "" : "s"}: declare it with a reason: (export --adopt writes it), or ${g.members ? "move its users out and " : ""}delete it in the Bitsight UI`).join("; ");
}

const GROUP_HEADERS = ["users", "default", "in the file", "reason"];
const groupCells = (g: ReviewedGroup) => [String(g.members), g.isDefault ? "yes" : g.allCompanies ? "all companies" : "-", g.inFile === null ? "-" : g.inFile === "declared" ? "declared" : g.allCompanies ? "built in" : "NOT DECLARED", g.reason ?? "-"];

const day = (t: string | null) => (t ? t.slice(0, 10) : "-");
/** `today`: the review's day; a declaration whose `expires:` has come no longer grants the access, and the column says so. */
function standingText(u: ReviewedUser, today: string): string {
    if (u.standing === "declared") return u.expires !== null && u.expires <= today ? `expired ${u.expires}` : "declared";
    return u.standing === "unmanaged" ? "unmanaged (acknowledged)" : "NOT DECLARED";
}

interface Section {
    title: string;
    users: ReviewedUser[];
    /** The cells after the email. */
    cells: (u: ReviewedUser) => string[];
    headers: string[];
}

function sections(r: Review): Section[] {
    const person = (u: ReviewedUser) => !u.companyApiToken;
    const today = r.asOf.slice(0, 10);
    return [
        {
            title: "Never logged in",
            users: r.users.filter((u) => !u.lastLoginTime && person(u)),
            headers: ["status", "joined", "days since joined"],
            cells: (u) => [u.status, day(u.joinedTime), u.daysSinceJoined === null ? "-" : String(u.daysSinceJoined)],
        },
        {
            title: `No login for ${r.staleDays} days or more`,
            users: r.users.filter((u) => u.attention.includes("stale")),
            headers: ["role", "last login", "days"],
            cells: (u) => [u.role, day(u.lastLoginTime), String(u.daysSinceLogin)],
        },
        {
            title: "Admins and their 2FA",
            users: r.users.filter((u) => u.admin),
            headers: ["2FA", "required by the file", "status", "last login"],
            cells: (u) => [u.mfaStatus ?? "unknown", u.mfaRequired ?? "no", u.status, day(u.lastLoginTime)],
        },
        {
            title: `Access expiring within ${r.expiringDays} days`,
            users: r.users.filter((u) => expiringSoon(u, day(r.asOf), r.expiringDays)),
            headers: ["expires", "role", "reason"],
            cells: (u) => [u.expires ?? "-", u.role, u.reason ?? "-"],
        },
        {
            title: "Company API token users",
            users: r.users.filter((u) => u.companyApiToken),
            headers: ["role", "in the file", "reason"],
            cells: (u) => [u.role, standingText(u, today), u.reason ?? "-"],
        },
        {
            title: "Not declared in the file",
            users: r.users.filter((u) => u.attention.includes("undeclared")),
            headers: ["role", "group", "last login"],
            cells: (u) => [u.role, u.group ?? "-", day(u.lastLoginTime)],
        },
        {
            title: "Features on that the file does not declare",
            users: r.users.filter((u) => u.undeclaredFeatures.length > 0),
            headers: ["features", "in the file"],
            cells: (u) => [u.undeclaredFeatures.join(", "), standingText(u, today)],
        },
        {
            title: "Acknowledged as unmanaged",
            users: r.users.filter((u) => u.standing === "unmanaged"),
            headers: ["role", "reason"],
            cells: (u) => [u.role, u.reason ?? "-"],
        },
        {
            title: "Every user",
            users: r.users,
            headers: ["role", "group", "status", "last login", "in the file", "reason"],
            cells: (u) => [u.role || "(no role)", u.group ?? "-", u.status, day(u.lastLoginTime), standingText(u, today), u.reason ?? "-"],
        },
    ];
}

/** A titled table of raw cells: each renderer escapes them for its output. */
interface Table {
    title: string;
    headers: string[];
    rows: string[][];
}

/** Every non-empty section, then the account's company API tokens: what text and markdown both show. */
function tables(r: Review): Table[] {
    const users = sections(r)
        .filter((s) => s.users.length > 0)
        .map((s) => ({ title: s.title, headers: ["email", ...s.headers], rows: s.users.map((u) => [u.email, ...s.cells(u)]) }));
    const tokens = r.apiTokens?.length ? [{ title: "Company API tokens", headers: ["token", ...TOKEN_HEADERS], rows: r.apiTokens.map((t) => [tokenName(t), ...tokenCells(t)]) }] : [];
    const groups = r.groups.length ? [{ title: "Access groups", headers: ["group", ...GROUP_HEADERS], rows: r.groups.map((g) => [g.name, ...groupCells(g)]) }] : [];
    return [...users, ...tokens, ...groups];
}

function attention(r: Review): { email: string; what: string }[] {
    return [
        ...r.users.flatMap((u) => u.attention.map((k) => ({ email: u.email, what: attentionText(k, u, r.staleDays) }))),
        ...(r.apiTokens ?? []).filter((t) => t.attention.length > 0).map((t) => ({ email: tokenName(t), what: tokenAttentionText(t, r.maxApiTokenAgeDays) })),
        ...r.groups.filter((g) => g.attention.length > 0).map((g) => ({ email: groupName(g), what: groupAttentionText(g) })),
    ];
}

/** What a reviewer should know of the tokens: how many need attention, how many end soon (revoked on their expires:). */
function tokenNotes(r: Review): string {
    const s = r.summary;
    const notes = [...(s.apiTokensToRotate ? [`${s.apiTokensToRotate} needing attention`] : []), ...(s.apiTokensExpiringSoon ? [`${s.apiTokensExpiringSoon} revoked within ${r.expiringDays} days`] : [])];
    return notes.length ? ` (${notes.join(", ")})` : "";
}

export function summaryText(r: Review): string {
    const s = r.summary;
    const parts = [
        `${s.undeclared} not declared`,
        `${s.adminsWithoutMfa} of ${s.admins} Admins without 2FA`,
        `${s.stale} stale`,
        `${s.neverLoggedIn} never logged in`,
        `${s.companyApiTokens} company API token user${s.companyApiTokens === 1 ? "" : "s"}`,
        ...(r.apiTokens ? [`${s.apiTokens} company API token${s.apiTokens === 1 ? "" : "s"}${tokenNotes(r)}`] : []),
        ...(r.groups.length ? [`${s.groups} access group${s.groups === 1 ? "" : "s"}${s.groupsNeedingAttention ? ` (${s.groupsNeedingAttention} not declared)` : ""}`] : []),
        `${s.unmanaged} acknowledged as unmanaged`,
        ...(s.expiringSoon ? [`${s.expiringSoon} expiring within ${r.expiringDays} days`] : []),
        ...(s.expired ? [`${s.expired} expired`] : []),
    ];
    const rules = r.policyViolations.length ? `${r.policyViolations.length} policy violation${r.policyViolations.length === 1 ? "" : "s"}; ` : "";
    const others = [
        ...(s.apiTokensToRotate ? [`${s.apiTokensToRotate} company API token${s.apiTokensToRotate === 1 ? "" : "s"}`] : []),
        ...(s.groupsNeedingAttention ? [`${s.groupsNeedingAttention} access group${s.groupsNeedingAttention === 1 ? "" : "s"}`] : []),
    ];
    const tokens = others.length ? `${others.join(", ")}${others.length ? " and " : ""}` : "";
    const verdict = r.needsAttention ? `${rules}${tokens}${s.attention} of ${s.users} users need attention` : `nothing needs attention (${s.users} users)`;
    return `${verdict}: ${parts.join(", ")}.`;
}

const header = (r: Review, api: string, show: (s: string) => string) =>
    `Access review of ${show(api)} against ${show(r.file)}, as of ${day(r.asOf)}; stale means no login for ${r.staleDays} days.`;

export function renderReviewText(r: Review, api: string): string {
    const out = [header(r, api, forTerminal), ""];
    const needs = attention(r);
    const width = Math.max(0, ...needs.map((n) => forTerminal(n.email).length));
    if (r.partialView) out.push(`Note: ${escapeUnsafe(r.partialView)}`, "");
    if (r.policyViolations.length) out.push(`Policy violations (${r.policyViolations.length}):`, ...r.policyViolations.map((v) => `  ! ${escapeUnsafe(v)}`), "");
    if (needs.length) out.push(`Needs attention (${needs.length}):`, ...needs.map((n) => `  ! ${forTerminal(n.email).padEnd(width)}  ${escapeUnsafe(n.what)}`), "");
    for (const t of tables(r)) {
        const rows = [t.headers, ...t.rows.map((row) => row.map(forTerminal))];
        const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
        out.push(`${t.title} (${t.rows.length}):`, ...rows.map((row) => `    ${row.map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i]!))).join("  ")}`), "");
    }
    if (r.apiTokensNote) out.push(`Note: ${escapeUnsafe(r.apiTokensNote)}`, "");
    out.push(summaryText(r));
    return `${out.join("\n")}\n`;
}

export function renderReviewMarkdown(r: Review, api: string): string {
    const out = [`### Bitsight access review: ${r.needsAttention ? "needs attention" : "nothing needs attention"}`, "", header(r, api, forMarkdown), ""];
    const needs = attention(r);
    if (r.partialView) out.push(`> :warning: ${forMarkdown(r.partialView)}`, "");
    if (r.policyViolations.length) out.push(`**Policy violations (${r.policyViolations.length})**`, "", ...r.policyViolations.map((v) => `- ${forMarkdown(v)}`), "");
    if (needs.length) out.push(`**Needs attention (${needs.length})**`, "", ...needs.map((n) => `- ${forMarkdown(n.email)}: ${forMarkdown(n.what)}`), "");
    for (const t of tables(r)) {
        out.push(`**${t.title} (${t.rows.length})**`, "", `| ${t.headers.join(" | ")} |`, `|${t.headers.map(() => "---").join("|")}|`);
        out.push(...t.rows.map((row) => `| ${row.map(forMarkdown).join(" | ")} |`), "");
    }
    if (r.apiTokensNote) out.push(`> ${forMarkdown(r.apiTokensNote)}`, "");
    out.push(summaryText(r));
    return `${out.join("\n")}\n`;
}

export const CSV_COLUMNS = [
    "email",
    "role",
    "role_name",
    "group",
    "status",
    "joined",
    "last_login",
    "days_since_login",
    "mfa_status",
    "company_api_token",
    "in_file",
    "reason",
    "expires",
    "undeclared_features",
    "attention",
    // Appended, so that a spreadsheet reading the columns above by position still works.
    "record",
    "token_description",
    "token_created_by",
    "token_age_days",
] as const;

export function renderReviewCsv(r: Review): string {
    const rows = r.users.map((u) =>
        [
            u.email,
            u.role,
            u.roleName,
            u.group,
            u.status,
            u.joinedTime,
            u.lastLoginTime,
            u.daysSinceLogin,
            u.mfaStatus,
            u.companyApiToken,
            u.standing,
            u.reason,
            u.expires,
            u.undeclaredFeatures.join(" "),
            u.attention.map((k) => attentionText(k, u, r.staleDays)).join("; "),
            "user",
            null,
            null,
            null,
        ].map(forCsv),
    );
    // A token is a row of its own, `record` api_token: its date in `joined`, its roles in `role`.
    const tokens = (r.apiTokens ?? []).map((t) =>
        [null, t.roles.join(" "), null, t.group, null, t.createdDate, null, null, null, true, null, null, null, null, t.attention.length ? tokenAttentionText(t, r.maxApiTokenAgeDays) : "", "api_token", `${t.description} (${t.token})`, t.creatorName, t.ageDays].map(forCsv),
    );
    rows.push(...tokens);
    // A group is a row of its own, `record` access_group: its name in `group`.
    rows.push(...r.groups.map((g) => [null, null, null, g.name, null, null, null, null, null, null, g.inFile, g.reason, null, null, groupAttentionText(g), "access_group", null, null, null].map(forCsv)));
    return [CSV_COLUMNS.join(","), ...rows.map((row) => row.join(","))].map((l) => `${l}\r\n`).join("");
}
