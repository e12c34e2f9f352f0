// The package as npm packs and publishes it: `npm pack` from the repository, with the
// files package.json's `files` names and the manifest as it is. dist/ is what the last
// build made (the build empties it first, so no output of a deleted source ships);
// `prepare` builds it for `npm pack`, `npm publish` and git installs, and is skipped
// here, where the suite has just built.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..", "..", "..");

export interface Packed {
    tarball: string;
    /** Paths inside the package, as npm lists them. */
    files: string[];
    /** The manifest as packed. */
    manifest: Record<string, unknown>;
}

/** `npm pack` into `destination`, without running `prepare` again. */
export function pack(destination: string): Packed {
    fs.mkdirSync(destination, { recursive: true });
    const out = execFileSync("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", path.resolve(destination)], { cwd: ROOT, encoding: "utf8" });
    const [info] = JSON.parse(out) as [{ filename: string; files: { path: string }[] }];
    const tarball = path.join(path.resolve(destination), info.filename);
    const manifest = JSON.parse(execFileSync("tar", ["-xOzf", tarball, "package/package.json"], { encoding: "utf8" })) as Record<string, unknown>;
    return { tarball, files: info.files.map((f) => f.path), manifest };
}
