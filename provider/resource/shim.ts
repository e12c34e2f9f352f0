// This object is what Pulumi serializes into every resource's `__provider`; the state
// keeps it twice per user, and refresh and destroy run that stored copy, not the code
// installed now. So it holds nothing but a loader, and the implementation is required
// at call time from the program's directory, by the name the program reached this
// package by (../package/installed-name: "pulumi-bitsight", a scoped name or an npm alias, then
// the published name), or this package itself through its "exports" when the program
// lives in it. That keeps
// `__provider` small, free of secrets, and the same from one version to the next.
//
// Pulumi's dynamic-provider host calls `configure` on every provider it deserializes
// before any other hook (SDK 3.139 and later), so `configure` installs the real hooks
// onto this very object. Every key holds the same one function (each serialized function
// costs its text plus ~200 bytes of the SDK's wrapping, and a shared one is written once):
// called with a configure request it loads the hooks; called as any other hook, it can
// only mean that loading failed (the host caches the provider even when configure
// throws) or that the host never called configure, and it says which, every time.
// No comments inside the function: its text is what gets stored. Nor syntax newer than
// the SDK's closure parser reads (`||=` fails under the TypeScript that some SDK
// installs bundle): the team's own @pulumi/pulumi serializes it.
import type * as pulumi from "@pulumi/pulumi";
import type { provider } from "./hooks";
import { installedName, publishedName } from "../package/installed-name";

// Captured by value into `__provider` when a program serializes it.
const names = [...new Set([installedName(), publishedName()])];

/** Which provider of ./hooks a loader loads: its export's name. */
type Exported = "provider" | "removedUserProvider" | "apiTokenProvider" | "accessGroupProvider";

function hook(this: Record<string, unknown> & { loads: Exported }, req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    const d = process.cwd();
    const load = require("module").createRequire(d + "/");
    let h: typeof provider | undefined;
    let m = "";
    for (const n of names) {
        try {
            h = load(n + "/hooks")[this.loads];
            m = h ? "" : `pulumi-bitsight: upgrade ${n}`;
            break;
        } catch (e) {
            if (!m) m = `pulumi-bitsight: cannot load ${names.map((n) => n + "/hooks").join(" or ")} from ${d}: ${String((e as Error).message).split("\n")[0]}. Run \`npm install ${names[0]}\` in ${d} or a folder above it.`;
        }
    }
    if (h && typeof req?.config?.get !== "function") m = "pulumi-bitsight: the host called a hook before configure; use @pulumi/pulumi 3.216 or later";
    if (!h || m) {
        const e = new Error(m);
        e.stack = m;
        throw e;
    }
    Object.assign(this, h);
    return h.configure(req);
}

// Typed as any hook: it only ever throws when called as one.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const placeholder = hook as unknown as (...args: any[]) => Promise<never>;

/** A loader of one provider of ./hooks: what a resource's `__provider` holds; the host calls its hooks as its methods. */
function loaderOf(loads: Exported): pulumi.dynamic.ResourceProvider {
    const loader = { loads, configure: hook, check: placeholder, diff: placeholder, create: placeholder, read: placeholder, update: placeholder, delete: placeholder };
    return loader;
}

/** BitsightUser's. */
export const shim = loaderOf("provider");
/** BitsightRemovedUser's: its own provider (./removed-user). */
export const removedUserShim = loaderOf("removedUserProvider");
/** BitsightApiToken's: a company API token (./api-token). */
export const apiTokenShim = loaderOf("apiTokenProvider");
/** BitsightAccessGroup's: an access group (./access-group). */
export const accessGroupShim = loaderOf("accessGroupProvider");
