// `review` as text (the default), markdown (for the audit ticket) and CSV (for the
// auditor's spreadsheet). JSON is the Review object itself (schema/review.schema.json).
// Every cell and message is shown through the renderer of its output kind (../../escape).
import { forCsv } from "../../escape/csv";
import { forMarkdown } from "../../escape/markdown";
import { escapeUnsafe, forTerminal } from "../../escape/terminal";
import { expiringSoon, type AttentionKind, type Review, type ReviewedUser } from "./decide";

export function attentionText(kind: AttentionKind, u: ReviewedUser, staleDays: number): string {
    switch (kind) {
        case "undeclared":
            return "not declared in the file, nor acknowledged under unmanaged:";
        case "admin-without-mfa":
            return `Admin without MFA (mfa ${u.mfaStatus ?? "unknown"})`;
        case "stale":
            return `no login for ${u.daysSinceLogin} days (${staleDays} allowed)`;
        case "never-logged-in":
            return `never logged in, joined ${u.daysSinceJoined} days ago (${staleDays} allowed)`;
        case "expired":
            return `access expired on ${u.expires}; the next pulumi up ${u.onDelete === "demote" ? "demotes it (onDelete: demote)" : "deletes it (onDelete: delete)"}`;
    }
}

const day = (t: string | null) => (t ? t.slice(0, 10) : "-");
const standingText = (u: ReviewedUser) => (u.standing === "declared" ? "declared" : u.standing === "unmanaged" ? "unmanaged (acknowledged)" : "NOT DECLARED");

interface Section {
    title: string;
    users: ReviewedUser[];
    /** The cells after the email. */
    cells: (u: ReviewedUser) => string[];
    headers: string[];
}

function sections(r: Review): Section[] {
    const person = (u: ReviewedUser) => !u.companyApiToken;
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
            title: "Admins and their MFA",
            users: r.users.filter((u) => u.admin),
            headers: ["MFA", "status", "last login"],
            cells: (u) => [u.mfaStatus ?? "unknown", u.status, day(u.lastLoginTime)],
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
            cells: (u) => [u.role, standingText(u), u.reason ?? "-"],
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
            cells: (u) => [u.undeclaredFeatures.join(", "), standingText(u)],
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
            cells: (u) => [u.role || "(no role)", u.group ?? "-", u.status, day(u.lastLoginTime), standingText(u), u.reason ?? "-"],
        },
    ];
}

function attention(r: Review): { email: string; what: string }[] {
    return r.users.flatMap((u) => u.attention.map((k) => ({ email: u.email, what: attentionText(k, u, r.staleDays) })));
}

export function summaryText(r: Review): string {
    const s = r.summary;
    const parts = [
        `${s.undeclared} not declared`,
        `${s.adminsWithoutMfa} of ${s.admins} Admins without MFA`,
        `${s.stale} stale`,
        `${s.neverLoggedIn} never logged in`,
        `${s.companyApiTokens} company API token`,
        `${s.unmanaged} acknowledged as unmanaged`,
        ...(s.expiringSoon ? [`${s.expiringSoon} expiring within ${r.expiringDays} days`] : []),
        ...(s.expired ? [`${s.expired} expired`] : []),
    ];
    const rules = r.policyViolations.length ? `${r.policyViolations.length} policy violation${r.policyViolations.length === 1 ? "" : "s"}; ` : "";
    const verdict = r.needsAttention ? `${rules}${s.attention} of ${s.users} users need attention` : `nothing needs attention (${s.users} users)`;
    return `${verdict}: ${parts.join(", ")}.`;
}

const header = (r: Review, api: string, show: (s: string) => string) =>
    `Access review of ${show(api)} against ${show(r.file)}, as of ${day(r.asOf)}; stale means no login for ${r.staleDays} days.`;

export function renderReviewText(r: Review, api: string): string {
    const out = [header(r, api, forTerminal), ""];
    const needs = attention(r);
    const width = Math.max(0, ...r.users.map((u) => forTerminal(u.email).length));
    if (r.partialView) out.push(`Note: ${escapeUnsafe(r.partialView)}`, "");
    if (r.policyViolations.length) out.push(`Policy violations (${r.policyViolations.length}):`, ...r.policyViolations.map((v) => `  ! ${escapeUnsafe(v)}`), "");
    if (needs.length) out.push(`Needs attention (${needs.length}):`, ...needs.map((n) => `  ! ${forTerminal(n.email).padEnd(width)}  ${escapeUnsafe(n.what)}`), "");
    for (const s of sections(r)) {
        if (s.users.length === 0) continue;
        const rows = [["email", ...s.headers], ...s.users.map((u) => [u.email, ...s.cells(u)].map(forTerminal))];
        const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
        out.push(`${s.title} (${s.users.length}):`, ...rows.map((row) => `    ${row.map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i]!))).join("  ")}`), "");
    }
    out.push(summaryText(r));
    return `${out.join("\n")}\n`;
}

export function renderReviewMarkdown(r: Review, api: string): string {
    const out = [`### Bitsight access review: ${r.needsAttention ? "needs attention" : "nothing needs attention"}`, "", header(r, api, forMarkdown), ""];
    const needs = attention(r);
    if (r.partialView) out.push(`> :warning: ${forMarkdown(r.partialView)}`, "");
    if (r.policyViolations.length) out.push(`**Policy violations (${r.policyViolations.length})**`, "", ...r.policyViolations.map((v) => `- ${forMarkdown(v)}`), "");
    if (needs.length) out.push(`**Needs attention (${needs.length})**`, "", ...needs.map((n) => `- ${forMarkdown(n.email)}: ${forMarkdown(n.what)}`), "");
    for (const s of sections(r)) {
        if (s.users.length === 0) continue;
        out.push(`**${s.title} (${s.users.length})**`, "", `| email | ${s.headers.join(" | ")} |`, `|---|${s.headers.map(() => "---").join("|")}|`);
        out.push(...s.users.map((u) => `| ${forMarkdown(u.email)} | ${s.cells(u).map(forMarkdown).join(" | ")} |`), "");
    }
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
        ].map(forCsv),
    );
    return [CSV_COLUMNS.join(","), ...rows.map((row) => row.join(","))].map((l) => `${l}\r\n`).join("");
}
