// This object is what Pulumi serializes into every resource's `__provider`; the state
// keeps it twice per user, and refresh and destroy run that stored copy, not the code
// installed now. So it holds nothing but a loader, and the implementation is required
// at call time from the program's directory, by the name the program reached this
// package by (./installed-name: "pulumi-bitsight", a scoped name or an npm alias, then
// the published name), or this package itself through its "exports" when the program
// lives in it. That keeps
// `__provider` small, free of secrets, and the same from one version to the next.
//
// Pulumi's dynamic-provider host calls `configure` on every provider it deserializes
// before any other hook (SDK 3.139 and later), so `configure` installs the real hooks
// onto this very object; until then every other key holds one shared placeholder (a
// serialized function costs ~200 bytes, and a shared one is written once). If the hooks
// cannot be loaded, the reason is kept on the object and every later hook repeats it:
// the host caches the provider, so the same failure must not read as another one.
// No comments inside the functions: their text is what gets stored.
import type * as pulumi from "@pulumi/pulumi";
import type { provider } from "./hooks";
import { installedName, publishedName } from "./installed-name";

// Captured by value into `__provider` when a program serializes it.
const names = [...new Set([installedName(), publishedName()])];

function unconfigured(this: { loadError?: string }): never {
    const m = this.loadError ?? "pulumi-bitsight: the dynamic-provider host called a hook before configure; use @pulumi/pulumi 3.216 or later";
    const e = new Error(m);
    e.stack = m;
    throw e;
}

export const shim = {
    configure(this: Record<string, unknown>, req: pulumi.dynamic.ConfigureRequest): Promise<void> {
        const d = process.cwd();
        const load = require("module").createRequire(d + "/");
        let h: typeof provider | undefined;
        let first: unknown;
        for (const n of names) {
            try {
                h = load(n + "/hooks").provider;
                break;
            } catch (e) {
                first = first ?? e;
            }
        }
        if (!h) {
            const m = `pulumi-bitsight: cannot load ${names.map((n) => n + "/hooks").join(" or ")} from ${d}: ${String((first as Error).message).split("\n")[0]}. Run \`npm install ${names[0]}\` in ${d} or a folder above it.`;
            const e = new Error((this["loadError"] = m));
            e.stack = m;
            throw e;
        }
        Object.assign(this, h);
        return h.configure(req);
    },
    check: unconfigured,
    diff: unconfigured,
    create: unconfigured,
    read: unconfigured,
    update: unconfigured,
    delete: unconfigured,
} satisfies pulumi.dynamic.ResourceProvider;
