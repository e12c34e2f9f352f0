// JSON output (plan and review --format json). JSON.stringify already escapes most control
// characters; the invisible ones it leaves raw (bidirectional overrides, zero-width
// characters, line separators) are escaped too, so a person reading the JSON in a log or
// a diff sees them. The data is the same once parsed.

import { UNSHOWABLE_CLASS } from "./invisible";

// Inside strings, controls below U+0020 and lone surrogates are already escaped by then;
// DEL and the C1 controls (U+007F to U+009F) are not, and are caught here with the rest.
// The line feeds left are the indentation's own.
const INVISIBLE = new RegExp(`(?!\\n)[${UNSHOWABLE_CLASS}]`, "gu");

function unicodeEscape(c: string): string {
    let out = "";
    for (let i = 0; i < c.length; i++) out += `\\u${c.charCodeAt(i).toString(16).padStart(4, "0")}`;
    return out;
}

/** Indented JSON with a final newline. */
export function toJson(value: unknown): string {
    return `${JSON.stringify(value, null, 2).replace(INVISIBLE, unicodeEscape)}\n`;
}
