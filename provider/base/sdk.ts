// The team's own @pulumi/pulumi, never a second copy. Node resolves a package's imports
// from its real path: installed from a folder (`npm install` of a checkout's folder makes a
// link), that is the checkout, whose node_modules holds an SDK of its own, and a resource
// built with that copy talks to the engine with another copy's protocol objects (the
// program failed with `resp.getResult is not a function`). The program's SDK is the one
// resolved from where the engine runs it (its working directory), or from the process's
// entry script; this package's own is only the last resort (the CLI outside a project).
import type * as Pulumi from "@pulumi/pulumi";
import { createRequire } from "module";
import * as path from "path";

let loaded: typeof Pulumi | undefined;

/** Loaded on first use: the CLI's commands that never touch the SDK do not pay its ~90 MB. */
export function sdk(): typeof Pulumi {
    return (loaded ??= load());
}

function load(): typeof Pulumi {
    const from = [path.join(process.cwd(), "program.js"), require.main?.filename].filter((f): f is string => f !== undefined);
    for (const file of from) {
        try {
            return createRequire(file)("@pulumi/pulumi") as typeof Pulumi;
        } catch {
            // No SDK reachable from there: try the next place.
        }
    }
    return require("@pulumi/pulumi") as typeof Pulumi;
}
