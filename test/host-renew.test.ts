// The suites share a provider host per file (./helpers/emulator); ProviderHost.renew makes it
// start over as a new process would. If it did not, what one test listed of its emulator
// would answer for the next, and the tests would pass on stale knowledge.
import { strict as assert } from "assert";
import { seededAccount, SEEDED, SEED_TOKEN } from "./emulator/seed";
import { BitsightEmulator } from "./emulator/server";
import { declareOne } from "./helpers/declare";
import { ProviderHost } from "./helpers/host";
import { serializedProvider } from "./helpers/program";

describe("a shared provider host, renewed", function () {
    this.timeout(20_000);

    it("asks the emulator it was renewed for, with nothing kept from the one before", async () => {
        const providerText = await serializedProvider();
        const host = await ProviderHost.start();
        const [first, second] = await Promise.all([BitsightEmulator.start({ account: seededAccount() }), BitsightEmulator.start({ account: seededAccount() })]);
        try {
            const bob = { email: "bob@example.com", formalName: "Bob Analyst", friendlyName: "Bob", role: "customer_user", adopt: true };
            await host.renew({ "bitsight:apiToken": SEED_TOKEN, "bitsight:apiUrl": first.url });
            assert.equal((await declareOne(host, bob, providerText)).id, SEEDED.bob);
            assert.ok(first.log.length > 0);
            second.account.users.get(SEEDED.bob)!.formal_name = "Robert Analyst";
            await host.renew({ "bitsight:apiToken": SEED_TOKEN, "bitsight:apiUrl": second.url });
            const { outs } = await declareOne(host, bob, providerText);
            assert.ok(second.log.length > 0, "the renewed host asked the second emulator");
            assert.equal(outs["__provider"], providerText, "what comes back carries the text the test sent");
            assert.deepEqual(second.writes().map((w) => w.method), ["PATCH"], "it adopted Bob as the second account has him, and put his name back");
        } finally {
            await host.stop();
            await Promise.all([first.stop(), second.stop()]);
        }
    });
});
