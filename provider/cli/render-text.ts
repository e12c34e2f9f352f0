// `plan` as readable text (the default format).
import type { AccountUser, Plan } from "./plan";
import { groupLabel, lastLogin, notAdoptedWords, privilegeLine, privileges, summaryLine, valueLabel } from "./words";

export function renderText(plan: Plan, api: string): string {
    const out: string[] = [`Plan for ${plan.file} against ${api}`, ""];
    const section = (title: string, n: number, lines: string[]) => {
        if (n === 0) return;
        out.push(`${title} (${n}):`, ...lines, "");
    };
    if (plan.removal.message) out.push(`REFUSED: ${plan.removal.message}`, "");
    const privs = privileges(plan);
    section("Privilege changes", privs.length, privs.map((p) => `  ! ${p.email}: ${privilegeLine(p.privilege)}`));
    const width = Math.max(0, ...plan.create.map((c) => c.email.length), ...plan.undeclared.map((u) => u.email.length));
    section(
        "To create",
        plan.create.length,
        plan.create.map((c) => `  + ${c.email.padEnd(width)}  ${c.role.padEnd(28)}${groupLabel(c.group)}`),
    );
    section("To delete (removed from the file; onDelete: delete)", plan.removal.removing.length, plan.removal.removing.map((e) => `  - ${e}`));
    section(
        "To change",
        plan.change.length,
        plan.change.flatMap((c) => [
            `  ~ ${c.email}`,
            ...c.changes.map((f) => `      ${f.field}: ${valueLabel(f, f.from)} -> ${valueLabel(f, f.to)}`),
            ...c.blocked.map((b) => `      cannot be applied: ${b}`),
        ]),
    );
    const account = (u: AccountUser) => `${u.email.padEnd(width)}  ${u.role.padEnd(28)}${u.status.padEnd(12)}${(u.group ?? "-").padEnd(22)}${lastLogin(u.lastLoginTime)}`;
    section("In the account, not declared in the file", plan.undeclared.length, plan.undeclared.map((u) => `  ? ${account(u)}`));
    section(
        plan.companyApiTokensDeclared ? "Company API token users, not declared (the file manages token users)" : "Company API token users, not declared, listed apart",
        plan.companyApiTokens.length,
        plan.companyApiTokens.map((u) => `  ${plan.companyApiTokensDeclared ? "?" : " "} ${account(u)}`),
    );
    section("Acknowledged as unmanaged (not differences)", plan.unmanaged.length, plan.unmanaged.map((u) => `    ${account(u)}\n      reason: ${u.reason}`));
    for (const w of plan.warnings) out.push(`Warning: ${w}`, "");
    const adopt = notAdoptedWords(plan);
    if (adopt && "title" in adopt) section(`${adopt.title}; ${adopt.fix}`, plan.notAdopted.emails.length, plan.notAdopted.emails.map((e) => `  ! ${e}`));
    if (adopt && "note" in adopt) out.push(`Note: ${adopt.note}`, "");
    out.push(summaryLine(plan));
    return `${out.join("\n")}\n`;
}
