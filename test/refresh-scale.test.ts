// A refresh of 1,000 users through the SDK's host costs pages, not users.
import { strict as assert } from "assert";
import type { Quirks } from "./emulator/account";
import { seededAccount, SEED_TOKEN } from "./emulator/seed";
import { BitsightEmulator } from "./emulator/server";
import { ProviderHost, urn } from "./helpers/host";
import { pool } from "./helpers/pool";
import { serializedProvider } from "./helpers/program";
import { underEach } from "./helpers/quirks";

describe("refresh at scale, through the SDK's host", function () {
    this.timeout(120_000);
    let providerText: string;
    before(async () => {
        providerText = await serializedProvider();
    });

    async function refresh(n: number, config: Record<string, string>, quirks: Partial<Quirks> = {}): Promise<{ requests: number; wrong: number }> {
        const account = seededAccount(quirks);
        const guids = Array.from({ length: n }, (_, i) => account.addUser({ email: `user${i}@example.com`, formal_name: `User ${i}` }).guid);
        const emu = await BitsightEmulator.start({ account });
        const host = await ProviderHost.start();
        try {
            await host.configure({ "bitsight:apiToken": SEED_TOKEN, "bitsight:apiUrl": emu.url, ...config });
            const results = await pool(guids, 8, (guid) => host.read(urn(guid), guid, { email: "x", __provider: providerText }));
            const wrong = results.filter((r, i) => r.id !== guids[i] || r.props["formalName"] !== `User ${i}`).length;
            return { requests: emu.log.length, wrong };
        } finally {
            await host.stop();
            await emu.stop();
        }
    }

    underEach("guidFilter", (guidFilter) => {
        // With one GUID a filter, the first wave's batch finds nobody and is asked for alone;
        // the account listing answers the rest either way.
        const most = guidFilter === "list" ? 15 : 25;
        it(`reads 1,000 users in at most ${most} requests, every answer right`, async () => {
            const { requests, wrong } = await refresh(1000, {}, { guidFilter });
            assert.equal(wrong, 0);
            assert.ok(requests <= most, `${requests} requests`);
        });
    });

    it("sends one GET per user with bitsight:batchReads false (the naive path)", async () => {
        const { requests, wrong } = await refresh(200, { "bitsight:batchReads": "false" });
        assert.equal(wrong, 0);
        assert.equal(requests, 200);
    });
});
