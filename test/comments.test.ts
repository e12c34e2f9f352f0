// Words that are true: every relative path a comment names (`./guards`, `../escape/terminal`)
// is a file or folder that exists, from the commented file's folder. A file that moves
// leaves no comment pointing at where it was. `../shared/` names the project's shared
// folder, beside the repository, and is read from the repository's root.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { REPO_ROOT } from "./helpers/host";

const EXTENSIONS = ["", ".ts", ".js", ".json", ".md", ".yml", ".yaml"];

function sources(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) return e.name === "fixtures" ? [] : sources(p);
        return e.name.endsWith(".ts") ? [p] : [];
    });
}

/** The relative paths a line's comment names. */
export function namedPaths(line: string): string[] {
    const opens = [line.indexOf("//"), line.indexOf("/*")].filter((i) => i >= 0);
    const comment = opens.length ? line.slice(Math.min(...opens) + 2) : /^\s*\*/.test(line) ? line : "";
    return [...comment.matchAll(/(?<![\w/.])(\.\.?\/[\w./-]+)/g)].map((m) => m[1]!.replace(/[.,;:)]+$/, ""));
}

describe("comments name paths that exist", () => {
    it("reads a comment's paths (the check itself)", () => {
        assert.deepEqual(namedPaths("    // shown by ../../escape/terminal, or ./render/review."), ["../../escape/terminal", "./render/review"]);
        assert.deepEqual(namedPaths('    const x = "./not-a-comment";'), []);
        assert.deepEqual(namedPaths(" * the listing (./guid-batch)"), ["./guid-batch"]);
        assert.deepEqual(namedPaths("    /** The seats (../program/seats). */"), ["../program/seats"]);
    });

    it("every relative path named in a comment of provider/ and test/ resolves", () => {
        const missing: string[] = [];
        // This file's own examples name paths on purpose.
        const files = [...sources(path.join(REPO_ROOT, "provider")), ...sources(path.join(REPO_ROOT, "test"))].filter((f) => path.basename(f) !== "comments.test.ts");
        for (const file of files) {
            fs.readFileSync(file, "utf8")
                .split("\n")
                .forEach((line, i) => {
                    for (const ref of namedPaths(line)) {
                        if (ref.startsWith("../shared/")) continue;
                        const target = path.resolve(path.dirname(file), ref);
                        if (!EXTENSIONS.some((e) => fs.existsSync(`${target}${e}`))) missing.push(`${path.relative(REPO_ROOT, file)}:${i + 1}: ${ref}`);
                    }
                });
        }
        assert.deepEqual(missing, []);
    });
});
