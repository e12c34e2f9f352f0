// Pulumi sends up to 4 × CPUs operations at once to the provider process; Bitsight
// recommends at most 3 requests in flight. Through the SDK's host, 200 concurrent hook
// calls must never put more than the limit on the wire.
import { strict as assert } from "assert";
import { seededAccount, SEEDED, SEED_TOKEN } from "./emulator/seed";
import { BitsightEmulator } from "./emulator/server";
import { ProviderHost, urn } from "./helpers/host";
import { serializedProvider } from "./helpers/program";
import { ACCOUNT_LISTING } from "./helpers/requests";

describe("concurrency through the SDK's host", function () {
    this.timeout(60_000);
    let providerText: string;
    before(async () => {
        providerText = await serializedProvider();
    });

    async function burst(config: Record<string, string>, hold: number): Promise<{ emu: BitsightEmulator; failures: unknown[] }> {
        const emu = await BitsightEmulator.start({ account: seededAccount() });
        const host = await ProviderHost.start();
        try {
            await host.configure({ "bitsight:apiToken": SEED_TOKEN, "bitsight:apiUrl": emu.url, ...config });
            // Requests are held until `hold` wait at once: the client's limit is reached
            // whatever the machine's load, and a client that sends more piles them up.
            emu.holdInGroups(hold);
            const calls = Array.from({ length: 200 }, (_, i) =>
                i % 2 === 0
                    ? host.create(urn(`u${i}`), {
                          email: `user${i}@example.com`,
                          formalName: `User ${i}`,
                          friendlyName: "User",
                          role: "customer_user",
                          adopt: false,
                          onDelete: "delete",
                          __provider: providerText,
                      })
                    : host.read(urn("bob"), SEEDED.bob, { email: "bob@example.com", __provider: providerText }),
            );
            const settled = await Promise.allSettled(calls);
            return { emu, failures: settled.filter((r) => r.status === "rejected").map((r) => (r as PromiseRejectedResult).reason) };
        } finally {
            await host.stop();
            await emu.stop();
        }
    }

    it("keeps at most 3 requests in flight by default, and completes all 200 calls", async () => {
        // Held until 4 wait at once: a client that ever sends a 4th is seen doing it.
        const { emu, failures } = await burst({}, 4);
        assert.deepEqual(failures, []);
        const requests = emu.requests();
        assert.equal(requests.filter((r) => r === "POST /ratings/v2/users").length, 100);
        assert.equal([...emu.account.users.values()].filter((u) => u.email.startsWith("user")).length, 100);
        assert.ok(emu.peakInFlight <= 3, `peak ${emu.peakInFlight}`);
        assert.equal(emu.peakInFlight, 3, "the calls did overlap, up to the limit");
        // The 100 look-ups by email and the 100 reads share one listing of the account.
        // Whatever the order the engine's calls arrive in, only these may go before it: the
        // process's first look-up alone (its filtered listings, for one email), and the
        // reads of a run shorter than `snapshotAfter` (8).
        const others = requests.filter((r) => r !== "POST /ratings/v2/users");
        const listing = others.filter((r) => r.includes("limit=1000"));
        const firstLookUp = others.filter((r) => /[?&]email(_q)?=/.test(r));
        const reads = others.filter((r) => r === `GET /ratings/v2/users/${SEEDED.bob}`);
        assert.deepEqual(listing.sort(), [...ACCOUNT_LISTING].sort());
        assert.ok(firstLookUp.length <= 4 && new Set(firstLookUp.map((r) => /email(?:_q)?=([^&]+)/.exec(r)![1])).size <= 1, firstLookUp.join("; "));
        assert.ok(reads.length <= 7, reads.join("; "));
        assert.deepEqual(others.filter((r) => !listing.includes(r) && !firstLookUp.includes(r) && !reads.includes(r)), []);
    });

    it("follows bitsight:maxConcurrency", async () => {
        const { emu, failures } = await burst({ "bitsight:maxConcurrency": "8" }, 9);
        assert.deepEqual(failures, []);
        assert.ok(emu.peakInFlight <= 8, `peak ${emu.peakInFlight}`);
        assert.ok(emu.peakInFlight > 3, `peak ${emu.peakInFlight}: the test can see more than 3`);
    });

    it("refuses a limit Bitsight would not serve, before any request", async () => {
        const emu = await BitsightEmulator.start({ account: seededAccount() });
        const host = await ProviderHost.start();
        try {
            await host.configure({ "bitsight:apiToken": SEED_TOKEN, "bitsight:apiUrl": emu.url, "bitsight:maxConcurrency": "50" });
            await assert.rejects(
                host.read(urn("bob"), SEEDED.bob, { __provider: providerText }),
                /^(Error: )?stack config bitsight:maxConcurrency must be a whole number from 1 to 20 \(Bitsight recommends 3\), not "50"/,
            );
            assert.equal(emu.log.length, 0);
        } finally {
            await host.stop();
            await emu.stop();
        }
    });
});
