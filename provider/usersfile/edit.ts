// Minimal text edits to a YAML file, made at the source ranges of its parsed nodes: a
// value replaced, a key added or removed, an item appended. Everything not edited stays
// byte for byte as it was (comments, blank lines, quotes, flow style, anchors), which
// re-serialising the document would not keep.
import { isMap, isPair, isScalar, isSeq, stringify, type Node, type Pair, type YAMLMap, type YAMLSeq } from "yaml";
import { InternalError } from "../base/errors";
import { hasInvisible } from "../escape/invisible";

interface Edit {
    start: number;
    end: number;
    text: string;
    order: number;
    /**
     * For lines inserted at one place: their indentation. A key added to a nested map and
     * one added to the map around it can land at the same offset (the nested map ends the
     * outer one); the nested line must come first, or it would read as the outer key's.
     */
    depth: number;
}

/**
 * A scalar as YAML would write it on one line: plain where that reads back the same,
 * quoted where not. A string holding a line break or an invisible character is written
 * double-quoted with escapes, so that it stays on its line and the loader, reading it
 * back, names the character instead of failing on the file's shape.
 */
export function scalarText(value: unknown): string {
    if (typeof value === "string" && hasInvisible(value)) {
        const escaped = [...value].map((c) => {
            if (c === "\\" || c === '"') return `\\${c}`;
            if (!hasInvisible(c)) return c;
            const cp = c.codePointAt(0)!;
            return cp > 0xffff ? `\\U${cp.toString(16).padStart(8, "0")}` : `\\u${cp.toString(16).padStart(4, "0")}`;
        });
        return `"${escaped.join("")}"`;
    }
    // A list in flow style: it fits where a scalar stood, in a block or a flow mapping alike.
    if (Array.isArray(value)) return `[${value.map(scalarText).join(", ")}]`;
    return stringify(value, { lineWidth: 0 }).trimEnd();
}

export class TextEdits {
    private readonly edits: Edit[] = [];
    /** The file's own line ending: a CRLF file stays CRLF. */
    private readonly eol: string;

    constructor(readonly text: string) {
        this.eol = text.includes("\r\n") ? "\r\n" : "\n";
    }

    get count(): number {
        return this.edits.length;
    }

    replace(start: number, end: number, text: string, depth = 0): void {
        this.edits.push({ start, end, text, order: this.edits.length, depth });
    }

    /** The text with every edit made; inserts at one place go deepest first, then in the order they were asked in. */
    apply(): string {
        let out = this.text;
        // Applied last is written first: at one offset, shallow before deep, later before earlier.
        const sorted = [...this.edits].sort((a, b) => b.start - a.start || a.depth - b.depth || b.order - a.order);
        for (const e of sorted) out = out.slice(0, e.start) + e.text + out.slice(e.end);
        return out;
    }

    private lineStart(offset: number): number {
        return this.text.lastIndexOf("\n", offset - 1) + 1;
    }

    private pairOf(map: YAMLMap, key: string): Pair<Node, Node> | undefined {
        return map.items.find((p): p is Pair<Node, Node> => isPair(p) && isScalar(p.key) && String(p.key.value) === key);
    }

    /** Sets `key` in `map`: the value's text replaced where the key is written, else a new pair after the last one. */
    set(map: YAMLMap, key: string, value: unknown): void {
        const pair = this.pairOf(map, key);
        if (pair?.value?.range) {
            this.replace(pair.value.range[0], pair.value.range[1], scalarText(value));
            return;
        }
        this.add(map, `${scalarText(key)}: ${scalarText(value)}`);
    }

    /** Adds `line` (`key: value`, already written) as the mapping's last pair. */
    add(map: YAMLMap, line: string): void {
        const last = map.items[map.items.length - 1] as Pair<Node, Node> | undefined;
        if (map.flow || !last?.value?.range || !(last.key as Node | null)?.range) {
            // `{a: 1}` → `{a: 1, b: 2}`; `{}` → `{ b: 2 }`.
            const close = map.range![1] - 1;
            const tail = last?.value?.range ? last.value.range[1] : close;
            this.replace(tail, tail, last ? `, ${line}` : ` ${line} `);
            return;
        }
        const keyStart = (last.key as Node).range![0];
        const indent = " ".repeat(keyStart - this.lineStart(keyStart));
        const at = last.value.range[2];
        this.replace(at, at, `${this.text[at - 1] === "\n" ? "" : this.eol}${indent}${line}${this.eol}`, indent.length);
    }

    /** Removes `key` from `map`: its whole lines in block style, the pair and its comma in flow style. */
    delete(map: YAMLMap, key: string): void {
        const i = map.items.findIndex((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === key);
        if (i < 0) return;
        const pair = map.items[i] as Pair<Node, Node>;
        const keyStart = pair.key.range![0];
        if (map.flow) {
            const prev = map.items[i - 1] as Pair<Node, Node> | undefined;
            const next = map.items[i + 1] as Pair<Node, Node> | undefined;
            if (prev) this.replace(prev.value!.range![1], pair.value!.range![1], "");
            else if (next) this.replace(keyStart, next.key.range![0], "");
            else this.replace(map.range![0], map.range![1], "{}");
            return;
        }
        const lineStart = this.lineStart(keyStart);
        if (this.text.slice(lineStart, keyStart).trim() !== "") {
            // The first key of a list item (`- role: …`): the `- ` stays, the next key moves up to it.
            const next = map.items[i + 1] as Pair<Node, Node> | undefined;
            if (next?.key.range) this.replace(keyStart, next.key.range[0], "");
            else this.replace(keyStart, pair.value!.range![1], "{}");
            return;
        }
        this.replace(lineStart, pair.value!.range![2], "");
    }

    /** Appends `lines` (a block sequence item, its first line starting with `- `) to the block sequence `seq`. */
    append(seq: YAMLSeq, lines: string[]): void {
        const last = seq.items[seq.items.length - 1] as Node | undefined;
        if (seq.flow || !last?.range) throw new InternalError("only a block sequence with items can be appended to.");
        const indent = " ".repeat(last.range[0] - 2 - this.lineStart(last.range[0]));
        const at = last.range[2];
        const text = lines.map((l, n) => `${indent}${n === 0 ? "" : "  "}${l}`).join(this.eol);
        this.replace(at, at, `${this.text[at - 1] === "\n" ? "" : this.eol}${text}${this.eol}`, indent.length);
    }
}

export { isMap, isSeq };
