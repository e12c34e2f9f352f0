// From a path in the parsed data back to where it is written in the file.
import { isMap, isPair, isScalar, LineCounter, type Document, type Node } from "yaml";

export type Path = (string | number)[];

export interface Position {
    line: number;
    col: number;
}

export class Locator {
    constructor(
        private readonly doc: Document,
        private readonly lines: LineCounter,
    ) {}

    at(offset: number): Position {
        const { line, col } = this.lines.linePos(offset);
        return { line, col };
    }

    node(path: Path): Node | undefined {
        if (path.length === 0) return (this.doc.contents as Node | null) ?? undefined;
        const found = this.doc.getIn(path, true);
        return found && typeof found === "object" && "range" in (found as object) ? (found as Node) : undefined;
    }

    /** Where the value at `path` starts; for a path that does not exist, its nearest parent. */
    value(path: Path): Position {
        for (let n = path.length; n >= 0; n--) {
            const node = this.node(path.slice(0, n));
            if (node?.range) return this.at(node.range[0]);
        }
        return { line: 1, col: 1 };
    }

    /** Where the key `key` of the mapping at `path` is written. */
    key(path: Path, key: string): Position {
        const map = this.node(path);
        if (isMap(map)) {
            for (const pair of map.items) {
                if (isPair(pair) && isScalar(pair.key) && String(pair.key.value) === key && pair.key.range) {
                    return this.at(pair.key.range[0]);
                }
            }
        }
        return this.value(path);
    }
}

/** ajv paths are strings; sequence indexes must be numbers for the YAML lookup. */
export function toPath(segments: readonly string[]): Path {
    return segments.map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}
