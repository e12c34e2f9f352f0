// How a string that came from outside (the Bitsight account, an API error) is shown on a
// terminal or in a log: as `git` shows an odd file name. A string with no character that
// a terminal would act on or hide is printed as it is; any other is quoted and escaped
// (`"Mallory\n  + eve@example.com"`, `"\u202eevil"`, `"\x1b[2J"`), so it stays one
// visible token on one line and cannot clear the screen, set the title, conceal text,
// read backwards or forge another line. A quote or backslash also forces the quoted form,
// so a name cannot imitate an escaped one.

import { UNSHOWABLE_CLASS as UNSAFE_CLASS } from "./invisible";

const UNSAFE = new RegExp(`[${UNSAFE_CLASS}]`, "u");
const UNSAFE_ALL = new RegExp(UNSAFE.source, "gu");
/** A quote or backslash also needs the quoted form. */
const NEEDS_QUOTES = new RegExp(`[${UNSAFE_CLASS}"\\\\]`, "u");
const QUOTED = new RegExp(NEEDS_QUOTES.source, "gu");

const SHORT: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t", '"': '\\"', "\\": "\\\\" };

/** `\x1b` below U+0100, `\u202e` in the BMP, `\u{e0001}` above it. */
export function escapeChar(c: string): string {
    const short = SHORT[c];
    if (short) return short;
    const cp = c.codePointAt(0)!;
    if (cp < 0x100) return `\\x${cp.toString(16).padStart(2, "0")}`;
    if (cp <= 0xffff) return `\\u${cp.toString(16).padStart(4, "0")}`;
    return `\\u{${cp.toString(16)}}`;
}

/**
 * Text already composed (a message that holds account strings), made safe as a whole:
 * each unsafe character escaped where it stands, a line break included, nothing quoted.
 */
export function escapeUnsafe(s: string): string {
    return s.replace(UNSAFE_ALL, escapeChar);
}

/** `s` as one safe token for a terminal, a log line or an error message. */
export function forTerminal(s: string): string {
    if (s === "") return '""';
    if (!NEEDS_QUOTES.test(s)) return s;
    return `"${s.replace(QUOTED, escapeChar)}"`;
}
