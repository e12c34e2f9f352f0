// `plan --format markdown`: a pull-request comment. Privilege changes come first: they
// are what a reviewer of an access change must not miss; then each category's section as
// ./categories writes it. Every string from the account or the file is shown through
// ../../escape/markdown: none can add HTML, a link or an image.
import { forMarkdown as code } from "../../escape/markdown";
import type { Plan } from "./shape";
import { sections, summaryLine, type MarkdownView } from "./categories";
import { notAdoptedWords, PRIVILEGE_WORDS, privileges, whyCell } from "../render/words";

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
        const rows = privs.map((p) => [
            code(p.email),
            `**${PRIVILEGE_WORDS[p.privilege.kind]}** by \`pulumi up\``,
            `${p.privilege.from ? `account ${code(p.privilege.from)} → ` : "new user → "}file ${code(p.privilege.to)}`,
            whyCell(p.why, code),
        ]);
        out.push("#### :warning: Privilege changes", "", ...table(["user", "change", "role", "why"], rows), "");
    }
    const view: MarkdownView = { plan, show: code };
    for (const { section: { markdown: m }, entries, total } of sections(plan)) {
        const title = `${m.title(plan)} (${total})`;
        const rows = entries.flatMap((e) => m.rows(e, view));
        const body = [...(m.intro ? [m.intro(view), ""] : []), ...(m.head ? table(m.head, rows) : rows.map((r) => `- ${r.join(" ")}`)), ""];
        out.push(...(m.folded ? [`<details><summary>${title}</summary>`, "", ...body, "</details>", ""] : [`#### ${title}`, "", ...body]));
    }
    if (plan.mfaKept.length) {
        out.push(`> Bitsight keeps 2FA required for ${plan.mfaKept.map(code).join(", ")} (\`pending\`), though the file does not require it: no API call lifts it, so nothing is sent.`, "");
    }
    const adopt = notAdoptedWords(plan);
    if (adopt && "note" in adopt) out.push(`> ${adopt.note}`, "");
    for (const w of plan.warnings) out.push(`> **Warning:** ${code(w)}`, "");
    if (plan.seats.warning) out.push(`> **Warning:** ${code(plan.seats.warning)}`, "");
    if (plan.seats.note) out.push(`> ${code(plan.seats.note)}`, "");
    return `${out.join("\n").trimEnd()}\n`;
}
