// What the engine does for new resources on `pulumi up`: check, then create, a few at a time.
import assert from "assert";
import { urn, type Props, type ProviderHost } from "./host";
import { pool } from "./pool";

/** Declares each user through the host, `parallel` at a time; the ids, in order. */
export function declareAll(host: ProviderHost, declared: Props[], providerText: string, parallel = 8): Promise<string[]> {
    return pool(declared, parallel, async (d) => (await declareOne(host, d, providerText)).id);
}

/** Declares one user through the host, named by its email: check (which must pass), then create. */
export async function declareOne(host: ProviderHost, declared: Props, providerText: string): Promise<{ id: string; outs: Props }> {
    const name = urn(String(declared["email"]));
    const { inputs, failures } = await host.check(name, {}, { ...declared, __provider: providerText });
    assert.deepEqual(failures, []);
    return host.create(name, inputs);
}
