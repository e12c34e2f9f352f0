// The house as docs/development.md draws it: rooms on floors, imports that only point
// down (or across a floor), and no file that imports, however indirectly, itself. Read
// from the sources' import statements, so a cycle or a climbing import fails here the
// day it is written.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { REPO_ROOT } from "./helpers/host";

const PROVIDER = path.join(REPO_ROOT, "provider");

/** Top to bottom. A room is a folder of provider/, or a file at its top. */
export const FLOORS: readonly (readonly string[])[] = [
    ["index"],
    ["cli"],
    ["program"],
    ["resource"],
    ["config"],
    ["usersfile"],
    ["account"],
    ["client"],
    ["files", "package"],
    ["model"],
    ["escape", "base"],
];

type Graph = Map<string, Set<string>>;

function sources(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) return sources(p);
        return e.name.endsWith(".ts") && !e.name.endsWith(".test.ts") && !e.name.endsWith(".d.ts") ? [p] : [];
    });
}

function importGraph(): Graph {
    const graph: Graph = new Map();
    const statement = /^\s*(?:import|export)\s[^'"]*?from\s+["'](\.[^"']+)["']/gm;
    for (const file of sources(PROVIDER)) {
        const deps = new Set<string>();
        for (const m of fs.readFileSync(file, "utf8").matchAll(statement)) {
            const target = path.resolve(path.dirname(file), m[1]!);
            const resolved = [`${target}.ts`, path.join(target, "index.ts")].find((f) => fs.existsSync(f));
            assert.ok(resolved, `${path.relative(REPO_ROOT, file)} imports ${m[1]}, which is no source file`);
            deps.add(resolved);
        }
        graph.set(file, deps);
    }
    return graph;
}

/** The strongly connected components of more than one file (Tarjan): each is a cycle of imports. */
export function cycles(graph: Graph): string[][] {
    const index = new Map<string, number>();
    const low = new Map<string, number>();
    const stack: string[] = [];
    const found: string[][] = [];
    let next = 0;
    const visit = (v: string): void => {
        index.set(v, next);
        low.set(v, next++);
        stack.push(v);
        for (const w of graph.get(v) ?? []) {
            if (!index.has(w)) {
                visit(w);
                low.set(v, Math.min(low.get(v)!, low.get(w)!));
            } else if (stack.includes(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
        }
        if (low.get(v) === index.get(v)) {
            const component: string[] = [];
            let w: string;
            do component.push((w = stack.pop()!));
            while (w !== v);
            if (component.length > 1 || graph.get(v)?.has(v)) found.push(component.sort());
        }
    };
    for (const v of graph.keys()) if (!index.has(v)) visit(v);
    return found;
}

function roomOf(file: string): string {
    const parts = path.relative(PROVIDER, file).split(path.sep);
    return parts.length > 1 ? parts[0]! : parts[0]!.replace(/\.ts$/, "");
}

describe("the house: layers that only point down", () => {
    const graph = importGraph();
    const shown = (f: string) => path.relative(PROVIDER, f);

    it("finds a cycle where there is one (the check itself)", () => {
        const g: Graph = new Map([
            ["a", new Set(["b"])],
            ["b", new Set(["c"])],
            ["c", new Set(["a"])],
            ["d", new Set(["a"])],
        ]);
        assert.deepEqual(cycles(g), [["a", "b", "c"]]);
    });

    it("has no import cycle between files, type-only imports included", () => {
        assert.deepEqual(cycles(graph).map((c) => c.map(shown)), []);
    });

    it("puts every room on a floor, and every import points down or across", () => {
        const floor = new Map(FLOORS.flatMap((rooms, i) => rooms.map((r) => [r, i] as const)));
        const climbing: string[] = [];
        for (const [file, deps] of graph) {
            const from = roomOf(file);
            assert.ok(floor.has(from), `${shown(file)}: the room ${from} is on no floor of FLOORS; add it where it belongs`);
            for (const dep of deps) {
                const to = roomOf(dep);
                if (from !== to && floor.get(to)! < floor.get(from)!) climbing.push(`${shown(file)} -> ${shown(dep)}`);
            }
        }
        assert.deepEqual(climbing, []);
    });
});

/** Node's modules that reach outside the process: a file that decides or shows imports none. */
const IO_MODULES = /^(?:node:)?(?:fs|fs\/promises|child_process|net|http|https|dgram|dns|tls|readline)$/;

describe("the CLI's rooms: a folder per command, that decides, does and shows apart", () => {
    const graph = importGraph();
    const CLI = path.join(PROVIDER, "cli");
    const shown = (f: string) => path.relative(CLI, f);
    const folderOf = (f: string) => path.relative(CLI, f).split(path.sep).slice(0, -1).join("/");
    /** Folders of the CLI that are no command: what every command shows with, and the team's repository that init writes and check checks. */
    const SHARED = ["render", "team"];
    const commands = fs.readdirSync(CLI, { withFileTypes: true }).filter((e) => e.isDirectory() && !SHARED.includes(e.name)).map((e) => e.name);

    it("each command is a folder with its command.ts, and the command table names each folder", () => {
        assert.deepEqual(commands.filter((c) => !fs.existsSync(path.join(CLI, c, "command.ts"))), []);
        const main = fs.readFileSync(path.join(CLI, "main.ts"), "utf8");
        assert.deepEqual(commands.filter((c) => !main.includes(`"./${c}/command"`)), []);
    });

    it("what decides (decide.ts) and what shows (render*.ts) does no I/O and runs no command", () => {
        const wrong: string[] = [];
        for (const [file, deps] of graph) {
            const base = path.basename(file);
            if (!file.startsWith(CLI + path.sep) || !(base === "decide.ts" || base.startsWith("render"))) continue;
            const text = fs.readFileSync(file, "utf8");
            for (const m of text.matchAll(/^\s*import\s[^'"]*?from\s+["']([^"']+)["']/gm)) if (IO_MODULES.test(m[1]!)) wrong.push(`${shown(file)} imports ${m[1]}`);
            for (const dep of deps) {
                if (path.basename(dep) === "command.ts" || dep === path.join(CLI, "run.ts")) wrong.push(`${shown(file)} imports ${shown(dep)}`);
            }
        }
        assert.deepEqual(wrong, []);
    });

    it("no command's folder imports another command's folder", () => {
        const crossing: string[] = [];
        for (const [file, deps] of graph) {
            const from = folderOf(file);
            if (!file.startsWith(CLI + path.sep) || !commands.includes(from)) continue;
            for (const dep of deps) {
                const to = dep.startsWith(CLI + path.sep) ? folderOf(dep) : "";
                if (commands.includes(to) && to !== from) crossing.push(`${shown(file)} -> ${shown(dep)}`);
            }
        }
        assert.deepEqual(crossing, []);
    });
});
