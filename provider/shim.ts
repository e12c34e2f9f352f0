// This object is what Pulumi serializes into every resource's `__provider`; the state
// keeps it twice per user, and refresh and destroy run that stored copy, not the code
// installed now. So it holds nothing but a loader, and the implementation is required
// at call time from the program's directory (node_modules/pulumi-bitsight, or this
// package itself through its "exports" when the program lives at its root). That keeps
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

function unconfigured(this: { loadError?: string }): never {
    throw new Error(this.loadError ?? "pulumi-bitsight: the dynamic-provider host called a hook before configure; use @pulumi/pulumi 3.216 or later");
}

export const shim = {
    configure(this: Record<string, unknown>, req: pulumi.dynamic.ConfigureRequest): Promise<void> {
        const d = process.cwd();
        let h: typeof provider;
        try {
            h = require("module").createRequire(d + "/")("pulumi-bitsight/hooks").provider;
        } catch (e) {
            throw new Error((this["loadError"] = `pulumi-bitsight: cannot load pulumi-bitsight/hooks from ${d}: ${String((e as Error).message).split("\n")[0]}. Run \`npm install pulumi-bitsight\` in ${d} or a folder above it.`));
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
