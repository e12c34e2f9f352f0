// What the engine does for new resources on `pulumi up`: check, then create, a few at a time.
import assert from "assert";
import { urn, type Props, type ProviderHost } from "./host";
import { pool } from "./pool";

/** Declares each user through the host, `parallel` at a time; the ids, in order. */
export function declareAll(host: ProviderHost, declared: Props[], providerText: string, parallel = 8): Promise<string[]> {
    return pool(declared, parallel, async (d) => {
        const name = urn(String(d["email"]));
        const { inputs, failures } = await host.check(name, {}, { ...d, __provider: providerText });
        assert.deepEqual(failures, []);
        return (await host.create(name, inputs)).id;
    });
}
