// `plan` as readable text (the default format): the refusals, the privilege changes, then
// each category's section as ./categories writes it, the notes and the summary line. Every
// account string is shown through ../../escape/terminal, so none can move the cursor,
// hide text or forge a line.
import { escapeUnsafe, forTerminal as t } from "../../escape/terminal";
import type { Plan } from "./shape";
import { sections, summaryLine, type TextView } from "./categories";
import { notAdoptedWords, privilegeLine, privileges, whyLines } from "../render/words";

/** The widest the email column grows for the longest email. */
const EMAIL_COLUMN_MAX = 40;

/** A column `width` wide, and never less than one space from the next. */
const col = (s: string, width: number) => (s.length < width ? s.padEnd(width) : `${s} `);

export function renderText(plan: Plan, api: string): string {
    const out: string[] = [`Plan for ${plan.file} against ${api}`, ""];
    const section = (title: string, n: number, lines: string[]) => out.push(`${title} (${n}):`, ...lines, "");
    if (plan.partialView) out.push(`Note: ${escapeUnsafe(plan.partialView)}`, "");
    if (plan.removal.message) out.push(`REFUSED: ${escapeUnsafe(plan.removal.message)}`, "");
    if (plan.seats.message) out.push(`REFUSED: ${escapeUnsafe(plan.seats.message)}`, "");
    const privs = privileges(plan);
    if (privs.length) section("Privilege changes", privs.length, privs.flatMap((p) => [`  ! ${t(p.email)}: ${privilegeLine(p.privilege, t)}`, ...whyLines(p.why, t).map((w) => `      ${w}`)]));
    const shown = sections(plan);
    // One long email (anyone can be invited with one) widens only its own row.
    const width = Math.min(EMAIL_COLUMN_MAX, Math.max(0, ...shown.flatMap((s) => s.entries.map((e) => t(emailOf(e)).length))));
    const view: TextView = { plan, show: t, col, email: (s) => col(t(s), width + 2) };
    for (const { section: s, entries, total } of shown) section(s.text.title(plan), total, entries.flatMap((e) => s.text.lines(e, view)));
    for (const w of plan.warnings) out.push(`Warning: ${escapeUnsafe(w)}`, "");
    if (plan.seats.warning) out.push(`Warning: ${escapeUnsafe(plan.seats.warning)}`, "");
    if (plan.seats.note) out.push(`Note: ${escapeUnsafe(plan.seats.note)}`, "");
    if (plan.mfaKept.length) out.push(`Note: Bitsight keeps 2FA required for ${plan.mfaKept.map(t).join(", ")} (pending), though the file does not require it: no API call lifts it, so nothing is sent.`, "");
    const adopt = notAdoptedWords(plan);
    if (adopt && "note" in adopt) out.push(`Note: ${adopt.note}`, "");
    out.push(summaryLine(plan));
    return `${out.join("\n")}\n`;
}

/** The email an entry is about: most are objects with one, some (the removal lists) the email itself. */
function emailOf(entry: unknown): string {
    if (typeof entry === "string") return entry;
    const email = (entry as { email?: unknown }).email;
    return typeof email === "string" ? email : "";
}
