// `npm run package`: the package as it is published, in a tarball. The manifest in it is
// package.json without scripts and development dependencies: nothing runs when a team
// installs it (npm lists no install script to approve), and no script points at the
// tests, the emulator or the benchmark, which are not shipped. The files are those of
// package.json's `files`, from the dist/ that `npm run build` just made.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..", "..", "..");

export interface Packed {
    tarball: string;
    /** Paths inside the package, as npm lists them. */
    files: string[];
    /** The manifest as packed. */
    manifest: Record<string, unknown>;
}

/** The published manifest: package.json less what only this repository uses. */
export function publishedManifest(pkg: Record<string, unknown>): Record<string, unknown> {
    const { scripts: _scripts, devDependencies: _dev, ...published } = pkg;
    return published;
}

/** Packs into `destination`: a staging copy of what `files` names, with the published manifest. */
export function pack(destination: string): Packed {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as Record<string, unknown>;
    const stage = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-bitsight-pack-"));
    fs.mkdirSync(destination, { recursive: true });
    try {
        for (const file of listed(pkg["files"] as string[])) {
            fs.mkdirSync(path.join(stage, path.dirname(file)), { recursive: true });
            fs.copyFileSync(path.join(ROOT, file), path.join(stage, file));
        }
        const manifest = publishedManifest(pkg);
        fs.writeFileSync(path.join(stage, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
        const out = execFileSync("npm", ["pack", "--json", "--pack-destination", path.resolve(destination)], { cwd: stage, encoding: "utf8" });
        const [info] = JSON.parse(out) as [{ filename: string; files: { path: string }[] }];
        return { tarball: path.join(path.resolve(destination), info.filename), files: info.files.map((f) => f.path), manifest };
    } finally {
        fs.rmSync(stage, { recursive: true, force: true });
    }
}

/** The repository's files that `files` patterns name: `dir/**\/*.js`, `dir/*.json`, plain names, and `!` exclusions. */
function listed(patterns: string[]): string[] {
    const all = walk(ROOT, ["node_modules", ".git"]);
    const match = (p: string, f: string) => globToRegExp(p).test(f);
    return all.filter((f) => patterns.some((p) => !p.startsWith("!") && match(p, f)) && !patterns.some((p) => p.startsWith("!") && match(p.slice(1), f)) && !stale(f));
}

/** An output in dist/ whose source is gone (tsc never deletes one): not shipped. */
function stale(file: string): boolean {
    const m = /^dist\/(.+?)(\.d)?\.js$|^dist\/(.+?)\.d\.ts$/.exec(file);
    if (!m) return false;
    const source = (m[1] ?? m[3])!;
    return !fs.existsSync(path.join(ROOT, `${source}.ts`));
}

function globToRegExp(glob: string): RegExp {
    const re = glob
        .split("/")
        .map((part) => (part === "**" ? "(?:.*/)?" : `${part.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*")}/`))
        .join("")
        .replace(/\/$/, "")
        .replace(/\(\?:\.\*\/\)\?\//g, "(?:.*/)?");
    return new RegExp(`^${re}$`);
}

function walk(dir: string, skip: string[], prefix = ""): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        if (skip.includes(e.name)) return [];
        const rel = prefix ? `${prefix}/${e.name}` : e.name;
        return e.isDirectory() ? walk(path.join(dir, e.name), skip, rel) : e.isFile() ? [rel] : [];
    });
}

if (require.main === module) {
    const packed = pack(process.argv[2] ?? ROOT);
    process.stdout.write(`${packed.tarball}\n${packed.files.length} files; the manifest has no scripts and no devDependencies.\n`);
}
