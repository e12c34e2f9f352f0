// This object is what Pulumi serializes into every resource's `__provider`; the state
// keeps it twice per user, and refresh and destroy run that stored copy, not the code
// installed now. So it holds nothing but a loader: the implementation is required at
// call time from the program's directory. That keeps `__provider` small, free of
// secrets, and identical from one version of this package to the next.
import type * as pulumi from "@pulumi/pulumi";
import type { provider } from "./hooks";

// Resolving from the program's directory finds node_modules/pulumi-bitsight, or this
// package itself when the program lives at its root (self-reference through "exports").
// No comments inside the functions below: their text is what gets serialized.
function impl(): typeof provider {
    const dir = process.cwd();
    try {
        return require("module").createRequire(require("path").join(dir, "index.js"))("pulumi-bitsight/hooks").provider;
    } catch (err) {
        throw new Error(`Cannot load pulumi-bitsight from ${dir}: install it in the Pulumi program's directory (npm install pulumi-bitsight). ${String(err)}`);
    }
}

export const shim: pulumi.dynamic.ResourceProvider = {
    configure: (req) => impl().configure(req),
    check: (olds, news) => impl().check(olds, news),
    diff: (id, olds, news) => impl().diff(id, olds, news),
    create: (inputs) => impl().create(inputs),
    read: (id, props) => impl().read(id, props),
    update: (id, olds, news) => impl().update(id, olds, news),
    delete: (id, props) => impl().delete(id, props),
};
