// The README and docs/ render on GitHub as written: a CommonMark parser (GitHub's tables
// included) finds every heading the author wrote, no relative link is dead, and every
// `npm run` it tells a reader to type exists.
import { strict as assert } from "assert";
import * as fs from "fs";
import MarkdownIt from "markdown-it";
import * as path from "path";
import { QUIRK_VALUES } from "./emulator/account";
import { REPO_ROOT } from "./helpers/host";

const DOCS = ["README.md", ...fs.readdirSync(path.join(REPO_ROOT, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];
const md = new MarkdownIt({ html: true });

/**
 * Headings as the author wrote them: `#` lines outside code blocks, where a block is
 * taken to end at any line that starts with its fence, as a person reading the source
 * would take it. CommonMark is stricter (a closing fence carries nothing after it), and
 * where the two disagree a section renders as code.
 */
function writtenHeadings(text: string): string[] {
    const out: string[] = [];
    let fence: string | undefined;
    for (const line of text.split("\n")) {
        const f = /^(`{3,}|~{3,})/.exec(line)?.[1];
        if (fence) {
            if (f && f[0] === fence[0] && f.length >= fence.length) fence = undefined;
        } else if (f) fence = f;
        else if (/^#{1,6} /.test(line)) out.push(line.replace(/^#+ /, "").trim());
    }
    return out;
}

function renderedHeadings(text: string): string[] {
    const tokens = md.parse(text, {});
    return tokens.flatMap((t, i) => (t.type === "heading_open" ? [tokens[i + 1]!.content.trim()] : []));
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
    return heading
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\s_-]/gu, "")
        .replace(/\s/g, "-");
}

function links(text: string): string[] {
    const found: string[] = [];
    const walk = (tokens: ReturnType<InstanceType<typeof MarkdownIt>["parse"]>) => {
        for (const t of tokens) {
            if (t.type === "link_open") found.push(String(t.attrGet("href") ?? ""));
            if (t.children) walk(t.children);
        }
    };
    walk(md.parse(text, {}));
    return found;
}

describe("the README and docs/ as GitHub renders them", () => {
    for (const doc of DOCS) {
        const text = fs.readFileSync(path.join(REPO_ROOT, doc), "utf8");

        it(`${doc}: every heading written renders as a heading`, () => {
            assert.deepEqual(renderedHeadings(text), writtenHeadings(text));
        });

        it(`${doc}: every \`npm run\` names a script of package.json`, () => {
            const { scripts } = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> };
            for (const [, name] of text.matchAll(/npm run ([\w:.-]+)/g)) assert.ok(name! in scripts, `${doc}: npm run ${name}: no such script`);
        });

        it(`${doc}: every relative link reaches a file, and its anchor a heading there`, () => {
            for (const href of links(text)) {
                if (/^[a-z]+:/i.test(href)) continue;
                const [target, anchor] = href.split("#") as [string, string | undefined];
                const file = target ? path.resolve(path.dirname(path.join(REPO_ROOT, doc)), target) : path.join(REPO_ROOT, doc);
                assert.ok(fs.existsSync(file), `${doc}: ${href} points at nothing`);
                if (anchor && file.endsWith(".md")) {
                    const anchors = renderedHeadings(fs.readFileSync(file, "utf8")).map(slug);
                    assert.ok(anchors.includes(anchor), `${doc}: ${href}: no heading with that anchor (${anchors.join(", ")})`);
                }
            }
        });
    }

    it("docs/development.md's switch table is the emulator's Quirks, switch for switch and value for value, in order", () => {
        const text = fs.readFileSync(path.join(REPO_ROOT, "docs", "development.md"), "utf8");
        const rows = [...text.matchAll(/^\| `(\w+)`[^|]*\| (.*) \|$/gm)].map(([, name, values]) => [name, [...values!.matchAll(/`(\w+)`/g)].map((m) => m[1])]);
        assert.deepEqual(rows, Object.entries(QUIRK_VALUES).map(([name, values]) => [name, [...values]]));
    });

    it("README.md is at most 25 KB: what a newcomer needs, the rest in docs/", () => {
        assert.ok(fs.statSync(path.join(REPO_ROOT, "README.md")).size <= 25 * 1024);
    });

    it("would have caught a fence that cannot close (the README of 0.1 rendered three sections as code)", () => {
        const broken = "## A\n\n```\ncode\n``` trailing words\n\n## B\n\ntext\n";
        assert.notDeepEqual(renderedHeadings(broken), writtenHeadings(broken));
    });
});
