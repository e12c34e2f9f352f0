import { strict as assert } from "assert";
import { SEEDED } from "../../test/emulator/seed";
import { useEmulator } from "../../test/helpers/emulator";
import { EmailLookups } from "./emails";
import { HttpClient } from "../client/http";
import { AccountListing } from "./listing";
import { UsersApi } from "./users-api";

describe("EmailLookups", () => {
    const env = useEmulator();
    let api: UsersApi;
    let now = 0;
    const lookups = (batch = true) => {
        api = new UsersApi(new HttpClient(env.conn));
        return new EmailLookups(api, new AccountListing(api, 60_000, () => now), batch);
    };
    const LISTING = ["GET /ratings/v2/users?limit=1000&offset=0", "GET /ratings/v2/users?limit=1000&offset=0&is_company_api_token=true"];
    const byFilter = (email: string) => `GET /ratings/v2/users?limit=100&offset=0&email=${encodeURIComponent(email)}`;

    it("sends a lone look-up as the email filter", async () => {
        assert.equal((await lookups().find("bob@example.com"))?.guid, SEEDED.bob);
        assert.deepEqual(env.emu.requests(), [byFilter("bob@example.com")]);
    });

    it("answers look-ups that come together from one listing: any case, token users, and nobody", async () => {
        const e = lookups();
        const found = await Promise.all(["BOB@example.com", "api-token@example.com", "new.person@example.com", "carol@example.com"].map((m) => e.find(m)));
        assert.deepEqual(found.map((u) => u?.guid), [SEEDED.bob, SEEDED.tokenUser, undefined, SEEDED.carol]);
        assert.deepEqual(env.emu.requests().sort(), [...LISTING].sort());
    });

    it("answers from the listing from the second look-up on, until it is older than its time to live", async () => {
        const e = lookups();
        await e.find("bob@example.com");
        await e.find("carol@example.com");
        await e.find("alice@example.com");
        now += 60_001;
        await e.find("dave.contractor@example.com");
        assert.deepEqual(env.emu.requests().sort(), [byFilter("bob@example.com"), ...LISTING, ...LISTING].sort());
    });

    it("refuses to choose between two users with one email", async () => {
        env.emu.account.addUser({ email: "Bob@Example.com", formal_name: "Bob Twin" });
        const e = lookups();
        const [bob] = await Promise.allSettled([e.find("bob@example.com"), e.find("carol@example.com")]);
        assert.equal(bob.status, "rejected");
        assert.match(String((bob as PromiseRejectedResult).reason), /Bitsight holds users whose emails differ only in case: bob@example.com \(b0000000-0000-4000-8000-000000000003\) and Bob@Example.com \(.+\)\. .* Delete or rename one of each in the Bitsight UI/);
    });

    it("asks fresh for an email this process created since the listing", async () => {
        const e = lookups();
        await Promise.all([e.find("carol@example.com"), e.find("dave.contractor@example.com")]);
        const created = await api.create({ email: "New.Person@example.com", formal_name: "New Person", friendly_name: "New", roles: [{ slug: "customer_user" }] });
        env.emu.clearLog();
        assert.equal((await e.find("new.person@example.com"))?.guid, created.guid);
        assert.equal((await e.find("bob@example.com"))?.guid, SEEDED.bob);
        const asked = env.emu.requests();
        assert.equal(asked[0], byFilter("new.person@example.com"));
        assert.ok(asked.every((r) => r.includes("new.person%40example.com")), `the listing answers bob: ${asked.join("; ")}`);
    });

    it("asks fresh for a user this process deleted since the listing", async () => {
        const e = lookups();
        await Promise.all([e.find("carol@example.com"), e.find("dave.contractor@example.com")]);
        await api.delete(SEEDED.bob);
        env.emu.clearLog();
        assert.equal(await e.find("bob@example.com"), undefined);
        assert.equal(env.emu.requests()[0], byFilter("bob@example.com"));
    });

    it("falls back to one look-up each when the listing fails", async () => {
        env.emu.inject({ path: "/ratings/v2/users", times: 2, reply: { status: 400, body: { detail: "no" } } });
        const e = lookups();
        const found = await Promise.all(["bob@example.com", "carol@example.com"].map((m) => e.find(m)));
        assert.deepEqual(found.map((u) => u?.guid), [SEEDED.bob, SEEDED.carol]);
        assert.deepEqual(env.emu.requests().slice(2).sort(), [byFilter("bob@example.com"), byFilter("carol@example.com")].sort());
    });

    it("looks every email up alone when batching is off", async () => {
        const e = lookups(false);
        await Promise.all(["bob@example.com", "carol@example.com"].map((m) => e.find(m)));
        assert.deepEqual(env.emu.requests().sort(), [byFilter("bob@example.com"), byFilter("carol@example.com")].sort());
    });
});
