// Bringing an existing account under management, and onboarding a team, through the SDK's
// host: look-ups by email cost the account's pages, not one or two requests a user.
import { strict as assert } from "assert";
import type { Quirks } from "./emulator/account";
import { GROUPS, seededAccount, SEED_TOKEN } from "./emulator/seed";
import { BitsightEmulator } from "./emulator/server";
import { declareAll } from "./helpers/declare";
import { ProviderHost, type Props } from "./helpers/host";
import { serializedProvider } from "./helpers/program";
import { underEach } from "./helpers/quirks";
import { ACCOUNT_LISTING } from "./helpers/requests";

describe("onboarding at scale, through the SDK's host", function () {
    this.timeout(120_000);
    let providerText: string;
    before(async () => {
        providerText = await serializedProvider();
    });

    const person = (i: number, extra: Props = {}): Props => ({
        email: `user${i}@example.com`,
        formalName: `User ${i}`,
        friendlyName: "User",
        role: "customer_user",
        group: GROUPS.secops.guid,
        ...extra,
    });

    async function up(emu: BitsightEmulator, declared: Props[]): Promise<string[]> {
        const host = await ProviderHost.start();
        try {
            await host.configure({ "bitsight:apiToken": SEED_TOKEN, "bitsight:apiUrl": emu.url });
            return await declareAll(host, declared, providerText);
        } finally {
            await host.stop();
        }
    }

    async function accountOf(n: number, quirks: Partial<Quirks>): Promise<{ emu: BitsightEmulator; guids: string[] }> {
        const account = seededAccount(quirks);
        const guids = Array.from({ length: n }, (_, i) => {
            const p = person(i);
            return account.addUser({ email: String(p["email"]), formal_name: String(p["formalName"]), friendly_name: "User", role: "customer_user", group: GROUPS.secops.guid }).guid;
        });
        return { emu: await BitsightEmulator.start({ account }), guids };
    }

    underEach("emailFilter", (emailFilter) => {
        it("adopts 1,000 users that already match from one listing per 5 s the run lasts, with no write", async () => {
            const { emu, guids } = await accountOf(1000, { emailFilter });
            try {
                // Some declared in another case than the account holds them: the listing compares without case.
                const started = Date.now();
                const ids = await up(emu, guids.map((_, i) => person(i, { adopt: true, ...(i % 7 === 0 ? { email: `User${i}@Example.com` } : {}) })));
                const seconds = (Date.now() - started) / 1000;
                assert.deepEqual(ids, guids);
                assert.deepEqual(emu.writes(), []);
                // An adoption decides from a listing at most ADOPT_MAX_AGE_MS (5 s) old: one
                // listing each 5 s the run lasts (two pages of people, and one page of each
                // other slice of the account), whatever the machine's speed, and nothing else.
                const listings = emu.requests().filter((r) => r === "GET /ratings/v2/users?limit=1000&offset=0&sort=guid&is_company_api_token=false").length;
                assert.ok(listings >= 1 && listings <= Math.ceil(seconds / 5) + 1, `${listings} listings in ${seconds} s`);
                assert.equal(emu.log.length, listings * (ACCOUNT_LISTING.length + 1), emu.requests().join("; "));
            } finally {
                await emu.stop();
            }
        });
    });

    it("adopts from the listing and PATCHes only the users that differ", async () => {
        const { emu, guids } = await accountOf(200, {});
        try {
            const ids = await up(emu, guids.map((_, i) => person(i, { adopt: true, ...(i % 50 === 1 ? { role: "customer_portfolio_manager" } : {}) })));
            assert.deepEqual(ids, guids);
            assert.deepEqual(
                emu.writes().map((w) => `${w.method} ${w.path}`).sort(),
                [1, 51, 101, 151].map((i) => `PATCH /ratings/v2/users/${guids[i]}`).sort(),
            );
        } finally {
            await emu.stop();
        }
    });

    it("creates 300 new users with 300 POSTs and at most 10 other requests", async () => {
        const { emu } = await accountOf(0, {});
        try {
            const ids = await up(emu, Array.from({ length: 300 }, (_, i) => person(i)));
            assert.equal(new Set(ids).size, 300);
            const posts = emu.requests().filter((r) => r === "POST /ratings/v2/users").length;
            assert.equal(posts, 300);
            assert.ok(emu.log.length - posts <= 10, `${emu.log.length - posts} other requests: ${emu.requests().filter((r) => !r.startsWith("POST")).join("; ")}`);
        } finally {
            await emu.stop();
        }
    });

    it("still refuses, from the listing, an existing user declared without adopt", async () => {
        const { emu, guids } = await accountOf(20, {});
        try {
            await assert.rejects(up(emu, guids.map((_, i) => person(i))), /A Bitsight user with the email user\d+@example.com already exists/);
            assert.deepEqual(emu.writes(), []);
        } finally {
            await emu.stop();
        }
    });
});
