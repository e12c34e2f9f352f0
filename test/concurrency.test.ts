// Pulumi sends up to 4 × CPUs operations at once to the provider process; Bitsight
// recommends at most 3 requests in flight. Through the SDK's host, 200 concurrent hook
// calls must never put more than the limit on the wire.
import { strict as assert } from "assert";
import { seededAccount, SEEDED, SEED_TOKEN } from "./emulator/seed";
import { BitsightEmulator } from "./emulator/server";
import { ProviderHost, urn } from "./helpers/host";
import { serializedProvider } from "./helpers/program";

describe("concurrency through the SDK's host", function () {
    this.timeout(60_000);
    let providerText: string;
    before(async () => {
        providerText = await serializedProvider();
    });

    async function burst(config: Record<string, string>): Promise<{ emu: BitsightEmulator; failures: unknown[] }> {
        const emu = await BitsightEmulator.start({ account: seededAccount() });
        const host = await ProviderHost.start();
        try {
            await host.configure({ "bitsight:apiToken": SEED_TOKEN, "bitsight:apiUrl": emu.url, ...config });
            // Each request is held a moment, so that an unlimited client would pile them up.
            emu.gate = () => new Promise((resolve) => setTimeout(resolve, 2));
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
        const { emu, failures } = await burst({});
        assert.deepEqual(failures, []);
        const requests = emu.requests();
        assert.equal(requests.filter((r) => r === "POST /ratings/v2/users").length, 100);
        // The 100 look-ups by email and the 100 reads arrive together: one listing of the
        // account answers them (a read that came first may have gone alone).
        const others = requests.filter((r) => r !== "POST /ratings/v2/users");
        assert.deepEqual(
            others.filter((r) => r.includes("limit=1000")),
            ["GET /ratings/v2/users?limit=1000&offset=0", "GET /ratings/v2/users?limit=1000&offset=0&is_company_api_token=true"],
        );
        assert.ok(others.length <= 4, `look-ups and reads took ${others.length} requests: ${others.join("; ")}`);
        assert.equal([...emu.account.users.values()].filter((u) => u.email.startsWith("user")).length, 100);
        assert.ok(emu.peakInFlight <= 3, `peak ${emu.peakInFlight}`);
        assert.ok(emu.peakInFlight >= 2, `peak ${emu.peakInFlight}: the calls did overlap`);
    });

    it("follows bitsight:maxConcurrency", async () => {
        const { emu, failures } = await burst({ "bitsight:maxConcurrency": "8" });
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
