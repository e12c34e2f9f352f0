// Each output kind's renderer against one corpus of hostile strings (test/emulator/hostile).
import { strict as assert } from "assert";
import MarkdownIt from "markdown-it";
import { HOSTILE, HOSTILE_STRINGS } from "../../test/emulator/hostile";
import { parseCsvLine } from "../../test/helpers/csv";
import { forCsv } from "./csv";
import { toJson } from "./json";
import { forMarkdown } from "./markdown";
import { escapeUnsafe, forTerminal } from "./terminal";

/** A CommonMark parser with GitHub's tables and autolinks, and raw HTML allowed, as GitHub's is before sanitizing. */
const md = new MarkdownIt({ html: true, linkify: true });

/** Anything a terminal or a reader would act on: every control or invisible character but none. */
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cs}]/u;

/** Undoes forTerminal, as a reader would: the escapes read back to the string. */
function unquote(shown: string): string {
    if (!shown.startsWith('"')) return shown;
    return JSON.parse(shown.replace(/\\x([0-9a-f]{2})/g, "\\u00$1").replace(/\\u\{([0-9a-f]+)\}/g, (_, h: string) => String.fromCodePoint(parseInt(h, 16)).split("").map((u) => `\\u${u.charCodeAt(0).toString(16)}`).join(""))) as string;
}

describe("renderers of untrusted strings", () => {
    describe("terminal", () => {
        it("leaves an ordinary name as it is", () => {
            assert.equal(forTerminal("Alice Admin"), "Alice Admin");
            assert.equal(forTerminal("Zoë O'Brien-Łukasz"), "Zoë O'Brien-Łukasz");
        });

        for (const s of HOSTILE_STRINGS) {
            it(`shows ${forTerminal(s)} on one line, with nothing a terminal acts on, and reads back`, () => {
                const shown = forTerminal(s);
                assert.doesNotMatch(shown, UNSAFE);
                assert.equal(unquote(shown), s);
            });
        }

        it("quotes like git: escapes visible, and a quote or backslash forces quoting so nothing imitates an escape", () => {
            assert.equal(forTerminal(HOSTILE.forgedLine), '"Mallory\\n  + mallory@example.com: Admin granted (customer_user -> customer_admin)"');
            assert.equal(forTerminal(HOSTILE.rightToLeft), '"\\u202emoc.elpmaxe\\u202c"');
            assert.equal(forTerminal(HOSTILE.setTitle), '"\\x1b]0;all reviewed\\x07Title"');
            assert.equal(forTerminal('Mallory\\n'), '"Mallory\\\\n"');
            assert.equal(forTerminal(""), '""');
        });
    });

    describe("markdown", () => {
        for (const s of HOSTILE_STRINGS) {
            it(`renders ${forTerminal(s)} as code text only: no HTML, link, image or table break`, () => {
                const cell = forMarkdown(s);
                const html = md.render(`| user | name |\n|---|---|\n| a | ${cell} |\n\nText ${cell} text.\n`);
                assert.doesNotMatch(html, /<(img|a|script|em|strong|del|br)\b/);
                assert.equal((html.match(/<td>/g) ?? []).length, 2, "one row of two cells");
                const inline = md.parseInline(`x ${cell} y`, {})[0]!.children!;
                assert.deepEqual(inline.map((t) => t.type), ["text", "html_inline", "text", "html_inline", "text"]);
                const text = inline[2]!.content;
                assert.doesNotMatch(text, UNSAFE);
                assert.equal(text, escapeUnsafe(s), "the reader sees the string, escapes visible");
            });
        }
    });

    describe("CSV", () => {
        const formulas = [HOSTILE.hyperlink, HOSTILE.dde, HOSTILE.formula, HOSTILE.plus, HOSTILE.minus, HOSTILE.tab, HOSTILE.carriageReturn];
        for (const s of formulas) {
            it(`writes ${forTerminal(s)} as text a spreadsheet will not evaluate (OWASP: a leading ')`, () => {
                const [cell] = parseCsvLine(forCsv(s));
                assert.equal(cell, `'${s}`);
            });
        }

        it("quotes commas, quotes and line breaks (RFC 4180), and leaves numbers and plain text alone", () => {
            assert.equal(forCsv('a,"b"\nc'), '"a,""b""\nc"');
            assert.equal(forCsv(-3), "-3");
            assert.equal(forCsv(null), "");
            assert.equal(forCsv("alice@example.com"), "alice@example.com");
        });
    });

    describe("JSON", () => {
        it("escapes every invisible character, and the data parses back the same", () => {
            const text = toJson({ names: HOSTILE_STRINGS, astral: "\u{e0041}" });
            assert.doesNotMatch(text.replace(/\n/g, ""), UNSAFE);
            assert.deepEqual(JSON.parse(text), { names: HOSTILE_STRINGS, astral: "\u{e0041}" });
        });
    });
});
