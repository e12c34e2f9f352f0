// Runs a team's Pulumi program (the index.js `bitsight-users init` wrote) in its own
// repository, with that repository's own @pulumi/pulumi under setMocks, and prints what
// registered as JSON. Started with the working directory the engine would use, so the
// program and the serialized provider come from the repository's node_modules, not ours.
import * as path from "path";
import { createRequire } from "module";
import type * as Pulumi from "@pulumi/pulumi";
import { recordingMocks, type Registered } from "./mocks";

async function probe(): Promise<void> {
    const here = createRequire(path.join(process.cwd(), "index.js"));
    const pulumi = here("@pulumi/pulumi") as typeof Pulumi;
    const registered: Registered[] = [];
    pulumi.runtime.setAllConfig(JSON.parse(process.env["PROBE_CONFIG"] ?? "{}") as Record<string, string>);
    await pulumi.runtime.setMocks(recordingMocks(registered), "user-repo", "prod", false);
    const program = here(path.resolve(process.argv[2] ?? "index.js")) as () => Promise<{ usersByRole: Pulumi.Output<unknown>; userCount: number }>;
    const outputs = await program();
    await new Promise((resolve) => outputs.usersByRole.apply(resolve));
    // Every copy of the SDK this process loaded: the team's program must have exactly one.
    const sdks = Object.keys(require.cache).filter((f) => /[\\/]@pulumi[\\/]pulumi[\\/]index\.js$/.test(f));
    process.stdout.write(JSON.stringify({ userCount: outputs.userCount, registered, sdks }));
}

probe().catch((err: Error) => {
    process.stderr.write(`${err.message}\n`);
    process.exitCode = 1;
});
