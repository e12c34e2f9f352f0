// `plan --format markdown`: a pull-request comment. Privilege changes come first: they
// are what a reviewer of an access change must not miss. Every string from the account
// or the file is shown through ../../escape/markdown: none can add HTML, a link or an image.
import { forMarkdown as code } from "../../escape/markdown";
import type { Plan, Why } from "./shape";
import { grantLines, groupLabel, lastLogin, notAdoptedWords, PRIVILEGE_WORDS, privileges, endingWords, summaryLine, valueLabel, whyLines } from "../render/words";

function table(head: string[], rows: string[][]): string[] {
    return [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${r.join(" | ")} |`)];
}

export function renderMarkdown(plan: Plan): string {
    const out: string[] = [`### Bitsight users: ${code(plan.file)}`, "", `**${summaryLine(plan)}**`, ""];
    if (plan.partialView) out.push(`> :warning: ${code(plan.partialView)}`, "");
    if (plan.removal.message) out.push(`> :no_entry: **Refused.** ${code(plan.removal.message)}`, "");
    if (plan.seats.message) out.push(`> :no_entry: **Refused.** ${code(plan.seats.message)}`, "");
    const privs = privileges(plan);
    if (privs.length) {
        out.push(
            "#### :warning: Privilege changes",
            "",
            ...table(
                ["user", "change", "role", "why"],
                privs.map((p) => [code(p.email), `**${PRIVILEGE_WORDS[p.privilege.kind]}** by \`pulumi up\``, `${p.privilege.from ? `account ${code(p.privilege.from)} → ` : "new user → "}file ${code(p.privilege.to)}`, why(p.why)]),
            ),
            "",
        );
    }
    if (plan.create.length) {
        out.push(
            "#### To create",
            "",
            ...table(["user", "role", "group", "also declared", "why"], plan.create.map((c) => [code(c.email), code(c.role), code(groupLabel(c.group)), grantLines(c.grants).map(code).join(", ") || "-", why(c.why)])),
            "",
        );
    }
    if (plan.removal.removing.length) {
        out.push("#### To delete", "", "Removed from the file, `onDelete: delete`: deleting a user is irreversible.", "", ...plan.removal.removing.map((e) => `- ${code(e)}`), "");
    }
    if (plan.expired.length) {
        out.push(
            "#### Access expired",
            "",
            "From its `expires:` date the user holds no login: the next `pulumi up` deletes it.",
            "",
            ...table(["user", "expired on", "what pulumi up does"], plan.expired.map((e) => [code(e.email), e.expires, endingWords(e, code(plan.demoteRole), code)])),
            "",
        );
    }
    if (plan.removed.length) {
        out.push(
            "#### Removed on purpose",
            "",
            "Under `removed:` in the file: what `pulumi up` does to each, or what the account still holds.",
            "",
            ...table(["user", "onDelete", "what becomes of it", "reason"], plan.removed.map((r) => [code(r.email), code(r.onDelete), endingWords(r, code(plan.demoteRole), code), code(r.reason)])),
            "",
        );
    }
    if (plan.removal.demoting.length) {
        out.push(
            "#### To demote",
            "",
            `Removed from the file, \`onDelete: demote\`: kept in the account as ${code(plan.demoteRole)}, every feature and the contact flag off.`,
            "",
            ...plan.removal.demoting.map((e) => `- ${code(e)}`),
            "",
        );
    }
    if (plan.change.length) {
        const rows = plan.change.flatMap((c) => [
            ...c.changes.map((f) => [code(c.email), f.field, valueLabel(f, f.from, code), valueLabel(f, f.to, code)]),
            ...c.blocked.map((b) => [code(c.email), code(b.slice(0, b.indexOf(":"))), "cannot be applied", code(b)]),
        ]);
        out.push("#### To change", "", ...table(["user", "field", "from", "to"], rows), "");
    }
    if (plan.undeclared.length) {
        out.push(
            "#### In the account, not declared in the file",
            "",
            ...table(
                ["user", "role", "status", "group", "last login"],
                plan.undeclared.map((u) => [code(u.email), code(u.role), code(u.status), code(u.group ?? "-"), lastLogin(u.lastLoginTime, code)]),
            ),
            "",
        );
    }
    const adopt = notAdoptedWords(plan);
    if (adopt && "title" in adopt) {
        out.push(`#### ${adopt.title}`, "", `${adopt.fix}:`, "", ...plan.notAdopted.emails.map((e) => `- ${code(e)}`), "");
    }
    if (adopt && "note" in adopt) out.push(`> ${adopt.note}`, "");
    if (plan.companyApiTokens.length) {
        out.push(
            `<details><summary>Company API token users, not declared (${plan.companyApiTokens.length})</summary>`,
            "",
            ...table(["user", "role", "status"], plan.companyApiTokens.map((u) => [code(u.email), code(u.role), code(u.status)])),
            "",
            "</details>",
            "",
        );
    }
    if (plan.mfaToRequire.length) {
        out.push(
            `#### 2FA to require (${plan.mfaToRequire.length})`,
            "",
            "`pulumi up` asks Bitsight to require two-factor authentication at their next login:",
            "",
            ...table(["user", "2FA now", "why"], plan.mfaToRequire.map((m) => [code(m.email), m.mfaStatus === null ? "(new user)" : code(m.mfaStatus), code(m.why)])),
            "",
        );
    }
    if (plan.mfaKept.length) {
        out.push(`> Bitsight keeps 2FA required for ${plan.mfaKept.map(code).join(", ")} (\`pending\`), though the file does not require it: no API call lifts it, so nothing is sent.`, "");
    }
    if (plan.unmanaged.length) {
        out.push(
            `<details><summary>Acknowledged as unmanaged (${plan.unmanaged.length})</summary>`,
            "",
            ...table(["user", "role", "status", "reason"], plan.unmanaged.map((u) => [code(u.email), code(u.role), code(u.status), code(u.reason)])),
            "",
            "</details>",
            "",
        );
    }
    if (plan.ungoverned.length) {
        out.push(
            "#### Account state the file does not govern",
            "",
            "Not differences (`pulumi up` leaves them), but access nobody declared:",
            "",
            ...table(["user", "features on in the account, not declared"], plan.ungoverned.map((u) => [code(u.email), u.features.map(code).join(", ")])),
            "",
        );
    }
    const byRule = plan.acknowledgedByRule.filter((a) => a.count > 0);
    if (byRule.length) {
        out.push(
            `<details><summary>Acknowledged by rule (${byRule.reduce((n, a) => n + a.count, 0)})</summary>`,
            "",
            ...table(["rule", "users", "reason"], byRule.map((a) => [code(a.name), String(a.count), code(a.reason)])),
            "",
            "</details>",
            "",
        );
    }
    for (const w of plan.warnings) out.push(`> **Warning:** ${code(w)}`, "");
    if (plan.seats.warning) out.push(`> **Warning:** ${code(plan.seats.warning)}`, "");
    if (plan.seats.note) out.push(`> ${code(plan.seats.note)}`, "");
    return `${out.join("\n").trimEnd()}\n`;
}

/** The file's `reason:` and `expires:`, or "-": a reviewer reads why beside what. */
function why(w: Why): string {
    return whyLines(w, (s) => s).map(code).join("; ") || "-";
}
