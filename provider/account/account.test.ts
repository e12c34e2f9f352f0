import { strict as assert } from "assert";
import { SEEDED } from "../../test/emulator/seed";
import { useEmulator } from "../../test/helpers/emulator";
import { HttpClient } from "../client/http";
import { Account, type ReadOptions } from "./account";
import { UsersApi } from "./users-api";
import { ACCOUNT_LISTING, listingInOrder } from "../../test/helpers/requests";

describe("Account.read when the guid filter takes one GUID only (the reference page's reading)", () => {
    const env = useEmulator({ guidFilter: "single" });
    const four = [SEEDED.alice, SEEDED.bob, SEEDED.carol, SEEDED.dave];

    it("still answers every read right: what the batch does not return is asked for alone", async () => {
        const api = new UsersApi(new HttpClient(env.conn));
        const users = await Promise.all(four.map((g) => new Account(api, {}, () => 0).read(g)));
        assert.deepEqual(users.map((u) => u?.guid), four);
    });
});

describe("Account.read", () => {
    const env = useEmulator();
    let api: UsersApi;
    let now = 0;
    const reads = (opts: Partial<ReadOptions> = {}) => {
        api = new UsersApi(new HttpClient(env.conn));
        return new Account(api, opts, () => now);
    };
    const four = [SEEDED.alice, SEEDED.bob, SEEDED.carol, SEEDED.dave];
    const list = (guids: string[]) => `GET /ratings/v2/users?limit=${guids.length}&offset=0&sort=guid&guid=${guids.join("%2C")}`;

    it("answers reads that arrive together with one listing", async () => {
        const r = reads();
        const users = await Promise.all(four.map((g) => r.read(g)));
        assert.deepEqual(users.map((u) => u?.email), ["alice@example.com", "bob@example.com", "carol@example.com", "dave.contractor@example.com"]);
        assert.deepEqual(env.emu.requests(), [list(four)]);
    });

    it("sends a lone read as a plain GET", async () => {
        assert.equal((await reads().read(SEEDED.bob))?.email, "bob@example.com");
        assert.deepEqual(env.emu.requests(), [`GET /ratings/v2/users/${SEEDED.bob}`]);
    });

    it("asks alone for what a batch does not return: a token user, or a user that is gone", async () => {
        const gone = "e0000000-0000-4000-8000-00000000dead";
        const r = reads();
        const [bob, token, missing] = await Promise.all([r.read(SEEDED.bob), r.read(SEEDED.tokenUser), r.read(gone)]);
        assert.equal(bob?.email, "bob@example.com");
        assert.equal(token?.email, "api-token@example.com");
        assert.equal(missing, undefined);
        assert.deepEqual(env.emu.requests(), [
            list([SEEDED.bob, SEEDED.tokenUser, gone]),
            `GET /ratings/v2/users/${SEEDED.tokenUser}`,
            `GET /ratings/v2/users/${gone}`,
        ]);
    });

    it("falls back to one GET per read when the batch listing fails", async () => {
        env.emu.inject({ path: "/ratings/v2/users", reply: { status: 400, body: { guid: ["Too many values."] } } });
        const users = await Promise.all(four.map((g) => reads().read(g)));
        assert.equal(users.filter(Boolean).length, 4);
    });

    it("batches what arrives while a batch is out, up to maxBatch", async () => {
        const r = reads({ maxBatch: 2 });
        await Promise.all(four.map((g) => r.read(g)));
        assert.deepEqual(env.emu.requests(), [list(four.slice(0, 2)), list(four.slice(2))]);
    });

    it("after a run of reads, lists the whole account once and answers from it", async () => {
        const r = reads({ snapshotAfter: 3 });
        await Promise.all(four.slice(0, 2).map((g) => r.read(g)));
        await Promise.all(four.map((g) => r.read(g)));
        assert.equal((await r.read(SEEDED.tokenUser))?.email, "api-token@example.com");
        assert.deepEqual(listingInOrder(env.emu.requests()), [
            list(four.slice(0, 2)),
            ...ACCOUNT_LISTING,
        ]);
    });

    it("asks fresh for a user this process wrote to since the listing, and the listing still answers the others", async () => {
        const r = reads({ snapshotAfter: 1 });
        await r.read(SEEDED.bob);
        await api.update(SEEDED.bob, { formal_name: "Robert Analyst" });
        env.emu.account.users.get(SEEDED.alice)!.formal_name = "Changed Since The Listing";
        env.emu.clearLog();
        assert.equal((await r.read(SEEDED.bob))?.formal_name, "Robert Analyst");
        assert.equal((await r.read(SEEDED.alice))?.formal_name, "Alice Admin", "the listing, within its time to live");
        assert.deepEqual(env.emu.requests(), [`GET /ratings/v2/users/${SEEDED.bob}`]);
    });

    it("asks fresh for a user written to while the listing was being taken", async () => {
        const r = reads({ snapshotAfter: 1 });
        const [, before] = await Promise.all([api.update(SEEDED.bob, { formal_name: "Robert Analyst" }), r.read(SEEDED.carol)]);
        assert.ok(before);
        env.emu.clearLog();
        assert.equal((await r.read(SEEDED.bob))?.formal_name, "Robert Analyst");
        assert.deepEqual(env.emu.requests(), [`GET /ratings/v2/users/${SEEDED.bob}`]);
    });

    it("retires the account listing when it is older than its time to live", async () => {
        const r = reads({ snapshotAfter: 1, snapshotTtlMs: 1000 });
        await r.read(SEEDED.bob);
        env.emu.account.users.get(SEEDED.bob)!.roles = ["customer_admin"];
        now += 500;
        assert.equal((await r.read(SEEDED.bob))?.roles[0]?.slug, "customer_user", "still the listing");
        now += 501;
        assert.equal((await r.read(SEEDED.bob))?.roles[0]?.slug, "customer_admin", "listed again");
        assert.equal(env.emu.requests().length, 2 * ACCOUNT_LISTING.length);
    });

    it("sends one GET per read when batching is off", async () => {
        const r = reads({ batch: false });
        await Promise.all(four.map((g) => r.read(g)));
        assert.deepEqual(env.emu.requests().sort(), four.map((g) => `GET /ratings/v2/users/${g}`).sort());
    });
});

describe("Account.find, the one look-up by email", () => {
    const env = useEmulator();
    let api: UsersApi;
    let now = 0;
    const lookups = (batch = true) => {
        api = new UsersApi(new HttpClient(env.conn));
        return new Account(api, { batch }, () => now);
    };
    const LISTING = [...ACCOUNT_LISTING];
    const byFilter = (email: string) => `GET /ratings/v2/users?limit=100&offset=0&sort=guid&email=${encodeURIComponent(email)}&is_company_api_token=false`;

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
        env.emu.inject({ path: "/ratings/v2/users", times: ACCOUNT_LISTING.length, reply: { status: 400, body: { detail: "no" } } });
        const e = lookups();
        const found = await Promise.all(["bob@example.com", "carol@example.com"].map((m) => e.find(m)));
        assert.deepEqual(found.map((u) => u?.guid), [SEEDED.bob, SEEDED.carol]);
        assert.deepEqual(env.emu.requests().slice(ACCOUNT_LISTING.length).sort(), [byFilter("bob@example.com"), byFilter("carol@example.com")].sort());
    });

    it("looks every email up alone when batching is off", async () => {
        const e = lookups(false);
        await Promise.all(["bob@example.com", "carol@example.com"].map((m) => e.find(m)));
        assert.deepEqual(env.emu.requests().sort(), [byFilter("bob@example.com"), byFilter("carol@example.com")].sort());
    });
});
