// The name a Pulumi program's `require` reaches this package by. It is usually
// "pulumi-bitsight", but a team may install it under a scoped name on an internal
// registry or as an npm alias (`"bitsight": "npm:pulumi-bitsight@1"`), and the folder
// under node_modules is then named after the alias while package.json keeps ours. The
// serialized provider loads its hooks by this name (../resource/shim), so it is read off the
// folder the package was loaded from, not off package.json.
import * as fs from "fs";
import * as path from "path";

export const PACKAGE_ROOT = path.resolve(__dirname, "..", "..", "..");

export interface OwnPackage {
    name: string;
    version: string;
    dependencies: Record<string, string>;
    /** `@pulumi/pulumi`: the team's program brings its own SDK; one copy in a program, never two. */
    peerDependencies: Record<string, string>;
    engines: Record<string, string>;
}

/** This package's package.json. */
export function ownPackage(root: string = PACKAGE_ROOT): OwnPackage {
    return JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as OwnPackage;
}

/** `name` from this package's package.json. */
export function publishedName(root: string = PACKAGE_ROOT): string {
    return ownPackage(root).name;
}

/**
 * `.../node_modules/@acme/bitsight` → "@acme/bitsight"; outside any node_modules (this
 * repository itself, a git checkout) the published name, which resolves through the
 * package's own "exports".
 */
export function installedName(root: string = PACKAGE_ROOT): string {
    const parts = root.split(path.sep);
    const at = parts.lastIndexOf("node_modules");
    const below = at < 0 ? [] : parts.slice(at + 1);
    if (below.length === 1 || (below.length === 2 && below[0]!.startsWith("@"))) return below.join("/");
    return publishedName(root);
}
