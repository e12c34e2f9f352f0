// The invisible-character class has one home (./invisible.ts). The JSON schemas cannot
// import it, so they are held to it here: a schema edited by hand to another class, or a
// class changed without its schemas, fails.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { escapeInvisible, hasInvisible, INVISIBLE_CLASS, INVISIBLE_PATTERN, VISIBLE_TEXT_PATTERN } from "./invisible";
import { toJson } from "./json";
import { escapeUnsafe } from "./terminal";

const SCHEMAS = path.join(__dirname, "..", "..", "..", "schema");

/** Every `pattern` of every schema, with where it stands. */
function patterns(): { where: string; pattern: string }[] {
    const found: { where: string; pattern: string }[] = [];
    const walk = (v: unknown, where: string): void => {
        if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${where}[${i}]`));
        else if (v && typeof v === "object") {
            for (const [k, x] of Object.entries(v)) {
                if (k === "pattern" && typeof x === "string") found.push({ where, pattern: x });
                else walk(x, `${where}.${k}`);
            }
        }
    };
    for (const file of fs.readdirSync(SCHEMAS).filter((f) => f.endsWith(".json"))) {
        walk(JSON.parse(fs.readFileSync(path.join(SCHEMAS, file), "utf8")), file);
    }
    return found;
}

describe("the invisible characters: one definition", () => {
    it("every schema pattern that names a Unicode class is one of the two built from it", () => {
        const unicode = patterns().filter((p) => p.pattern.includes("\\p{"));
        const strays = unicode.filter((p) => p.pattern !== INVISIBLE_PATTERN && p.pattern !== VISIBLE_TEXT_PATTERN);
        assert.deepEqual(strays, []);
        // Both are used, where the users file's strings and the user's names are checked.
        assert.ok(unicode.some((p) => p.pattern === INVISIBLE_PATTERN && p.where.startsWith("users-file")));
        assert.ok(unicode.some((p) => p.pattern === VISIBLE_TEXT_PATTERN && p.where.startsWith("user.schema")));
    });

    it("the schemas' patterns agree with the class on every kind it covers", () => {
        const [free, visible] = [new RegExp(INVISIBLE_PATTERN, "u"), new RegExp(VISIBLE_TEXT_PATTERN, "u")];
        for (const c of ["\u0000", "\u001b", "\u007f", "\u009b", "\u00ad", "\u200b", "\u202e", "\u2028", "\u2029", "\ufeff", "\u{e0001}"]) {
            assert.ok(hasInvisible(`a${c}b`), JSON.stringify(c));
            assert.ok(!free.test(`a${c}b`) && !visible.test(`a${c}b`), JSON.stringify(c));
        }
        for (const ok of ["Ana López", "株式会社", "O'Brien-Smith"]) assert.ok(free.test(ok) && visible.test(ok) && !hasInvisible(ok), ok);
        assert.ok(free.test("   ") && !visible.test("   "), "blank passes the free pattern only");
        assert.equal(INVISIBLE_CLASS, "\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}");
    });

    it("every output escapes what the file refuses: terminal, JSON and field names alike", () => {
        for (const c of ["\u007f", "\u009b", "\u200b", "\u202e", "\u2028"]) {
            const s = `x${c}y`;
            assert.ok(!escapeUnsafe(s).includes(c), `terminal: ${JSON.stringify(c)}`);
            assert.ok(!toJson({ s }).includes(c), `json: ${JSON.stringify(c)}`);
            assert.equal(JSON.parse(toJson({ s })).s, s, "the JSON's data is unchanged");
            assert.ok(!escapeInvisible(s).includes(c), `field name: ${JSON.stringify(c)}`);
        }
    });
});
