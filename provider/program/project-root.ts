// Where a Pulumi project's relative paths start. When `main` in Pulumi.yaml is a file, the
// engine runs the program (and the provider host) with the working directory set to that
// file's folder, `dist/provider` for this repository's own project, not the project root;
// settings such as `bitsight:usersFile` are written relative to the root.
import * as fs from "fs";
import * as path from "path";
import { sdk } from "../base/sdk";

const PROJECT_FILES = ["Pulumi.yaml", "Pulumi.yml"];

/** Whether `dir` holds a Pulumi project file (Pulumi.yaml or Pulumi.yml). */
export function holdsProject(dir: string): boolean {
    return PROJECT_FILES.some((f) => fs.existsSync(path.join(dir, f)));
}

/**
 * The folder holding Pulumi.yaml: the one the engine names (PULUMI_NODEJS_ROOT_DIRECTORY,
 * from SDKs that pass it), else the nearest one at or above the working directory, else
 * the working directory itself.
 */
export function projectRoot(cwd: string = process.cwd(), named: string | undefined = engineRoot()): string {
    if (named && path.isAbsolute(named) && holdsProject(named)) return named;
    for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
        if (holdsProject(dir)) return dir;
        if (dir === path.dirname(dir)) return cwd;
    }
}

/** Loaded here, not imported: the CLI reads stack files through this module, and the SDK costs it ~90 MB and a second to load. */
function engineRoot(): string | undefined {
    const runtime = sdk().runtime as { getRootDirectory?: () => string };
    return runtime.getRootDirectory?.();
}
