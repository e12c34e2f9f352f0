// Characters a reviewer cannot see: control (Unicode category Cc), format (Cf) and the
// line and paragraph separators (Zl, Zp), which some editors show as a line break and
// others not at all. An email holding a zero-width space is another user than the one the pull
// request seems to show; a right-to-left override makes a name read backwards. None has
// a place in a users file or a declaration, in any string field.

// This file is the one home of both character classes; the JSON schemas' patterns are
// held to the ones below by ./invisible.test.ts, since a schema cannot import.

/** What a users file refuses in any string: control, format, line and paragraph separators. */
export const INVISIBLE_CLASS = "\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}";

/**
 * What every output escapes: the invisible, and also private-use characters (Co) and lone
 * surrogates (Cs), which a terminal draws as anything its font likes. Wider than what a file
 * refuses because the account's strings were never validated by us.
 */
export const UNSHOWABLE_CLASS = `${INVISIBLE_CLASS}\\p{Co}\\p{Cs}`;

/** The schemas' patterns (ajv compiles them with the `u` flag): no invisible character... */
export const INVISIBLE_PATTERN = `^[^${INVISIBLE_CLASS}]*$`;
/** ...and, for names, also not blank: at least one visible character that is not a space. */
export const VISIBLE_TEXT_PATTERN = `^[^${INVISIBLE_CLASS}]*[^\\s${INVISIBLE_CLASS}][^${INVISIBLE_CLASS}]*$`;

const INVISIBLE = new RegExp(`[${INVISIBLE_CLASS}]`, "u");
const INVISIBLE_ALL = new RegExp(INVISIBLE.source, "gu");

const NAMES: Record<number, string> = {
    0x00: "null",
    0x09: "tab",
    0x0a: "line feed",
    0x0d: "carriage return",
    0x1b: "escape",
    0x7f: "delete",
    0xad: "soft hyphen",
    0x200b: "zero width space",
    0x200c: "zero width non-joiner",
    0x200d: "zero width joiner",
    0x200e: "left-to-right mark",
    0x200f: "right-to-left mark",
    0x202a: "left-to-right embedding",
    0x202b: "right-to-left embedding",
    0x202c: "pop directional formatting",
    0x202d: "left-to-right override",
    0x202e: "right-to-left override",
    0x2028: "line separator",
    0x2029: "paragraph separator",
    0x2060: "word joiner",
    0x2066: "left-to-right isolate",
    0x2067: "right-to-left isolate",
    0x2068: "first strong isolate",
    0x2069: "pop directional isolate",
    0xfeff: "zero width no-break space (byte order mark)",
};

/** The first invisible character of `text`, with its index (in UTF-16 units). */
export function findInvisible(text: string): { char: string; index: number } | undefined {
    const m = INVISIBLE.exec(text);
    return m ? { char: m[0], index: m.index } : undefined;
}

/** Whether `text` holds any invisible character. */
export function hasInvisible(text: string): boolean {
    return INVISIBLE.test(text);
}

/** `text` with each invisible character written as its `\uXXXX` escape (`soc\u200d`). */
export function escapeInvisible(text: string): string {
    return text.replace(INVISIBLE_ALL, (c) => `\\u${c.codePointAt(0)!.toString(16).padStart(4, "0")}`);
}

/** `U+200B (zero width space, \u200b)` */
export function describeChar(char: string): string {
    const cp = char.codePointAt(0)!;
    const hex = cp.toString(16).padStart(4, "0");
    const name = NAMES[cp] ?? (/\p{Cc}/u.test(char) ? "a control character" : "a format character");
    return `U+${hex.toUpperCase()} (${name}, \\u${hex})`;
}

/** The message, with where the character is when known (a column in the file, or a character of the value). */
export function invisibleMessage(char: string, where: string): string {
    return `contains an invisible character ${describeChar(char)}${where}: a reviewer cannot see it, and the value is not what it looks like; remove it`;
}
