// JSON output (plan and review --format json). JSON.stringify already escapes control
// characters; the invisible ones it leaves raw (bidirectional overrides, zero-width
// characters, line separators) are escaped too, so a person reading the JSON in a log or
// a diff sees them. The data is the same once parsed.

const INVISIBLE = /[\p{Cf}\p{Zl}\p{Zp}\p{Co}]/gu;

function unicodeEscape(c: string): string {
    let out = "";
    for (let i = 0; i < c.length; i++) out += `\\u${c.charCodeAt(i).toString(16).padStart(4, "0")}`;
    return out;
}

/** Indented JSON with a final newline. */
export function toJson(value: unknown): string {
    return `${JSON.stringify(value, null, 2).replace(INVISIBLE, unicodeEscape)}\n`;
}
