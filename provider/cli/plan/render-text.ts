// `plan` as readable text (the default format). Every account string is shown through
// ../../escape/terminal, so none can move the cursor, hide text or forge a line.
import { escapeUnsafe, forTerminal as t } from "../../escape/terminal";
import type { AccountUser, Plan } from "./shape";
import { grantLines, groupLabel, lastLogin, notAdoptedWords, privilegeLine, privileges, endingWords, summaryLine, valueLabel, whyLines } from "../render/words";
import { endIsDifference } from "../../usersfile/ending";

/** The widest the email column grows for the longest email. */
const EMAIL_COLUMN_MAX = 40;

/** A column `width` wide, and never less than one space from the next. */
const col = (s: string, width: number) => (s.length < width ? s.padEnd(width) : `${s} `);

export function renderText(plan: Plan, api: string): string {
    const out: string[] = [`Plan for ${plan.file} against ${api}`, ""];
    const section = (title: string, n: number, lines: string[]) => {
        if (n === 0) return;
        out.push(`${title} (${n}):`, ...lines, "");
    };
    if (plan.partialView) out.push(`Note: ${escapeUnsafe(plan.partialView)}`, "");
    if (plan.removal.message) out.push(`REFUSED: ${escapeUnsafe(plan.removal.message)}`, "");
    if (plan.seats.message) out.push(`REFUSED: ${escapeUnsafe(plan.seats.message)}`, "");
    const privs = privileges(plan);
    section("Privilege changes", privs.length, privs.flatMap((p) => [`  ! ${t(p.email)}: ${privilegeLine(p.privilege, t)}`, ...whyLines(p.why, t).map((w) => `      ${w}`)]));
    // One long email (anyone can be invited with one) widens only its own row.
    const width = Math.min(
        EMAIL_COLUMN_MAX,
        Math.max(0, ...[...plan.create, ...plan.undeclared, ...plan.companyApiTokens, ...plan.unmanaged, ...plan.mfaToRequire].map((u) => t(u.email).length)),
    );
    section(
        "To create",
        plan.create.length,
        plan.create.flatMap((c) => [`  + ${col(t(c.email), width + 2)}${col(t(c.role), 28)}${t(groupLabel(c.group))}`, ...[...grantLines(c.grants), ...whyLines(c.why, t)].map((g) => `      ${g}`)]),
    );
    section("To delete (removed from the file; onDelete: delete)", plan.removal.removing.length, plan.removal.removing.map((e) => `  - ${t(e)}`));
    section(
        "Access expired (from its expires: date the user holds no login: the next pulumi up deletes it)",
        plan.expired.length,
        plan.expired.map((e) => `  x ${t(e.email)}  expired on ${e.expires}: ${endingWords(e, plan.demoteRole, t)}`),
    );
    section(
        `To demote (removed from the file; onDelete: demote: kept as ${plan.demoteRole}, features and contact flag off)`,
        plan.removal.demoting.length,
        plan.removal.demoting.map((e) => `  v ${t(e)}`),
    );
    section(
        "Removed on purpose (removed:)",
        plan.removed.length,
        plan.removed.flatMap((r) => [`  ${endIsDifference(r) ? "-" : " "} ${t(r.email)}  onDelete ${r.onDelete}: ${endingWords(r, plan.demoteRole, t)}`, `      reason: ${t(r.reason)}`]),
    );
    section(
        "To change",
        plan.change.length,
        plan.change.flatMap((c) => [
            `  ~ ${t(c.email)}`,
            ...c.changes.map((f) => `      ${f.field}: ${valueLabel(f, f.from, t)} -> ${valueLabel(f, f.to, t)}`),
            ...c.blocked.map((b) => `      cannot be applied: ${escapeUnsafe(b)}`),
        ]),
    );
    section(
        "2FA to require (pulumi up asks Bitsight to require it at next login)",
        plan.mfaToRequire.length,
        plan.mfaToRequire.map((m) => `  ! ${col(t(m.email), width + 2)}2FA ${col(m.mfaStatus === null ? "(new user)" : t(m.mfaStatus), 14)}why: ${t(m.why)}`),
    );
    if (plan.mfaKept.length) out.push(`Note: Bitsight keeps 2FA required for ${plan.mfaKept.map(t).join(", ")} (pending), though the file does not require it: no API call lifts it, so nothing is sent.`, "");
    const account = (u: AccountUser) =>
        `${col(t(u.email), width + 2)}${col(t(u.role), 28)}${col(t(u.status), 12)}${col(u.group === null ? "-" : t(u.group), 22)}${lastLogin(u.lastLoginTime, t)}`;
    section("In the account, not declared in the file", plan.undeclared.length, plan.undeclared.map((u) => `  ? ${account(u)}`));
    section(
        plan.companyApiTokensDeclared ? "Company API token users, not declared (the file manages token users)" : "Company API token users, not declared, listed apart",
        plan.companyApiTokens.length,
        plan.companyApiTokens.map((u) => `  ${plan.companyApiTokensDeclared ? "?" : " "} ${account(u)}`),
    );
    section("Acknowledged as unmanaged (not differences)", plan.unmanaged.length, plan.unmanaged.map((u) => `    ${account(u)}\n      reason: ${escapeUnsafe(u.reason)}`));
    section(
        "Account state the file does not govern (not differences)",
        plan.ungoverned.length,
        plan.ungoverned.map((u) => `  * ${t(u.email)}: features on in the account, not declared: ${u.features.map(t).join(", ")}`),
    );
    const byRule = plan.acknowledgedByRule.filter((a) => a.count > 0);
    section(
        "Acknowledged by rule (not differences)",
        byRule.reduce((n, a) => n + a.count, 0),
        byRule.map((a) => `    ${a.count} acknowledged by rule ${t(`'${a.name}'`)}${a.name === a.reason ? "" : `: ${escapeUnsafe(a.reason)}`}`),
    );
    for (const w of plan.warnings) out.push(`Warning: ${escapeUnsafe(w)}`, "");
    if (plan.seats.warning) out.push(`Warning: ${escapeUnsafe(plan.seats.warning)}`, "");
    if (plan.seats.note) out.push(`Note: ${escapeUnsafe(plan.seats.note)}`, "");
    const adopt = notAdoptedWords(plan);
    if (adopt && "title" in adopt) section(`${adopt.title}; ${adopt.fix}`, plan.notAdopted.emails.length, plan.notAdopted.emails.map((e) => `  ! ${t(e)}`));
    if (adopt && "note" in adopt) out.push(`Note: ${adopt.note}`, "");
    out.push(summaryLine(plan));
    return `${out.join("\n")}\n`;
}
