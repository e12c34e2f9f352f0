import { strict as assert } from "assert";
import { parseDocument, type YAMLMap, type YAMLSeq } from "yaml";
import { scalarText, TextEdits } from "./edit";

function edited(text: string, edit: (e: TextEdits, doc: ReturnType<typeof parseDocument>) => void): string {
    const doc = parseDocument(text);
    const e = new TextEdits(text);
    edit(e, doc);
    return e.apply();
}
const map = (doc: ReturnType<typeof parseDocument>, ...path: (string | number)[]) => doc.getIn(path, true) as YAMLMap;

describe("minimal YAML text edits", () => {
    it("replaces a value and keeps its quotes' neighbours, comments and spacing", () => {
        const text = "a:   1    # one\nb: 'x'\n";
        assert.equal(edited(text, (e, d) => e.set(map(d), "a", 2)), "a:   2    # one\nb: 'x'\n");
    });

    it("adds a key after the last one at the map's indentation, after its comment", () => {
        const text = "u:\n  - email: a@x.com   # first\n    role: r   # why\n\nnext: 1\n";
        assert.equal(edited(text, (e, d) => e.set(map(d, "u", 0), "group", "All Companies")), "u:\n  - email: a@x.com   # first\n    role: r   # why\n    group: All Companies\n\nnext: 1\n");
    });

    it("adds to and removes from flow maps, commas included", () => {
        const text = "- {a: 1, b: 2, c: 3}\n";
        assert.equal(edited(text, (e, d) => e.set(map(d, 0), "d", "x y")), "- {a: 1, b: 2, c: 3, d: x y}\n");
        assert.equal(edited(text, (e, d) => e.delete(map(d, 0), "a")), "- {b: 2, c: 3}\n");
        assert.equal(edited(text, (e, d) => e.delete(map(d, 0), "b")), "- {a: 1, c: 3}\n");
        assert.equal(edited("- {a: 1}\n", (e, d) => e.delete(map(d, 0), "a")), "- {}\n");
    });

    it("removes a block key with its lines, a nested map's included", () => {
        const text = "a: 1\nf:\n  x: true   # on\n  y: false\nb: 2\n";
        assert.equal(edited(text, (e, d) => e.delete(map(d), "f")), "a: 1\nb: 2\n");
    });

    it("appends an item to a block list, at its indentation", () => {
        const text = "users:\n  - {email: a@x.com}\n\nteams: {}\n";
        assert.equal(
            edited(text, (e, d) => e.append(d.get("users", true) as YAMLSeq, ["- email: b@x.com", "role: r"])),
            "users:\n  - {email: a@x.com}\n  - email: b@x.com\n    role: r\n\nteams: {}\n",
        );
    });

    it("keeps a CRLF file's line endings", () => {
        const text = "u:\r\n  - email: a@x.com\r\n    role: r\r\n";
        const out = edited(text, (e, d) => {
            e.set(map(d, "u", 0), "group", "G");
            e.append(d.get("u", true) as YAMLSeq, ["- email: b@x.com", "role: s"]);
        });
        assert.equal(out, "u:\r\n  - email: a@x.com\r\n    role: r\r\n    group: G\r\n  - email: b@x.com\r\n    role: s\r\n");
    });

    it("writes a scalar plain where it reads back the same (YAML 1.2: yes is text), quoted where not", () => {
        assert.deepEqual(["Vendor Risk", "yes", "a: b", "12", true].map(scalarText), ["Vendor Risk", "yes", '"a: b"', '"12"', "true"]);
    });
});
