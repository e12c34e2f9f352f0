// How a string from outside is shown in markdown (a pull-request comment, an audit
// ticket): inside <code>, control and invisible characters shown as escapes, and every
// character markdown acts on inline backslash-escaped (HTML, links and images, emphasis,
// code, table cells, entities, math, and the `.`, `:` and `@` that autolinks look for).
// So no HTML, link, image, emphasis, table-cell break or autolink can come from the
// account, and GitHub's @-mentions and
// #-references, which it skips inside code, cannot ping anyone. A value already shown
// for the terminal (a message that quotes one) reads the same here.
import { escapeUnsafe } from "./terminal";

/** CommonMark lets any ASCII punctuation be escaped with a backslash; these are the ones that act inline. */
const PUNCTUATION = /[\\`*_[\]<>!|&~:.@$]/g;

export function forMarkdown(s: string): string {
    return `<code>${escapeUnsafe(s).replace(PUNCTUATION, "\\$&")}</code>`;
}
