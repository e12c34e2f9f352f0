// Runs a Pulumi program under pulumi.runtime.setMocks: the real SDK registers each
// resource, serializing its dynamic provider, and the mock records what it received.
import * as pulumi from "@pulumi/pulumi";

import { CONFIG_TOKEN } from "../../provider/config/settings";
import { recordingMocks, type Registered } from "./mocks";
export type { Registered };

export function promiseOf<T>(o: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => o.apply(resolve));
}

/** Runs `program`, waits for every resource it returns to register, and lists the registrations. */
export async function runProgram(
    program: () => pulumi.Resource[] | Promise<pulumi.Resource[]>,
    config: Record<string, string> = {},
    /** As a stack stores them: the token set with --secret (a plain one is refused). */
    secretKeys: string[] = [CONFIG_TOKEN],
    /** Filled as resources register, so a test can see what registered before a failure. */
    registered: Registered[] = [],
    /** What a stack reference reads: the outputs of the stack's last update. */
    stackOutputs: Record<string, unknown> = {},
): Promise<Registered[]> {
    pulumi.runtime.setAllConfig(config, secretKeys);
    await pulumi.runtime.setMocks(recordingMocks(registered, stackOutputs), "bitsight-test", "test", false);
    const resources = await program();
    await Promise.all(resources.map((r) => promiseOf(r.urn)));
    return registered;
}

/** The `__provider` text the SDK serializes for a BitsightUser, as the engine would send it. */
export async function serializedProvider(): Promise<string> {
    const { BitsightUser } = await import("../../provider");
    const [reg] = await runProgram(() => [
        new BitsightUser("probe", { email: "probe@example.com", formalName: "P", friendlyName: "P", role: "customer_user" }),
    ]);
    return reg!.inputs["__provider"] as string;
}
