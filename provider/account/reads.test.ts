import { strict as assert } from "assert";
import { SEEDED } from "../../test/emulator/seed";
import { useEmulator } from "../../test/helpers/emulator";
import { HttpClient } from "../client/http";
import { AccountListing } from "./listing";
import { DEFAULT_READS, ReadCoalescer, type ReadOptions } from "./reads";
import { UsersApi } from "./users-api";

describe("ReadCoalescer when the guid filter takes one GUID only (the reference page's reading)", () => {
    const env = useEmulator({ guidFilter: "single" });
    const four = [SEEDED.alice, SEEDED.bob, SEEDED.carol, SEEDED.dave];

    it("still answers every read right: what the batch does not return is asked for alone", async () => {
        const api = new UsersApi(new HttpClient(env.conn));
        const users = await Promise.all(four.map((g) => new ReadCoalescer(api, new AccountListing(api, 60_000, () => 0)).get(g)));
        assert.deepEqual(users.map((u) => u?.guid), four);
    });
});

describe("ReadCoalescer", () => {
    const env = useEmulator();
    let api: UsersApi;
    let now = 0;
    const reads = (opts: Partial<ReadOptions> = {}) => {
        api = new UsersApi(new HttpClient(env.conn));
        const listing = new AccountListing(api, opts.snapshotTtlMs ?? DEFAULT_READS.snapshotTtlMs, () => now);
        return new ReadCoalescer(api, listing, opts);
    };
    const four = [SEEDED.alice, SEEDED.bob, SEEDED.carol, SEEDED.dave];
    const list = (guids: string[]) => `GET /ratings/v2/users?limit=${guids.length}&offset=0&guid=${guids.join("%2C")}`;

    it("answers reads that arrive together with one listing", async () => {
        const r = reads();
        const users = await Promise.all(four.map((g) => r.get(g)));
        assert.deepEqual(users.map((u) => u?.email), ["alice@example.com", "bob@example.com", "carol@example.com", "dave.contractor@example.com"]);
        assert.deepEqual(env.emu.requests(), [list(four)]);
    });

    it("sends a lone read as a plain GET", async () => {
        assert.equal((await reads().get(SEEDED.bob))?.email, "bob@example.com");
        assert.deepEqual(env.emu.requests(), [`GET /ratings/v2/users/${SEEDED.bob}`]);
    });

    it("asks alone for what a batch does not return: a token user, or a user that is gone", async () => {
        const gone = "e0000000-0000-4000-8000-00000000dead";
        const r = reads();
        const [bob, token, missing] = await Promise.all([r.get(SEEDED.bob), r.get(SEEDED.tokenUser), r.get(gone)]);
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
        const users = await Promise.all(four.map((g) => reads().get(g)));
        assert.equal(users.filter(Boolean).length, 4);
    });

    it("batches what arrives while a batch is out, up to maxBatch", async () => {
        const r = reads({ maxBatch: 2 });
        await Promise.all(four.map((g) => r.get(g)));
        assert.deepEqual(env.emu.requests(), [list(four.slice(0, 2)), list(four.slice(2))]);
    });

    it("after a run of reads, lists the whole account once and answers from it", async () => {
        const r = reads({ snapshotAfter: 3 });
        await Promise.all(four.slice(0, 2).map((g) => r.get(g)));
        await Promise.all(four.map((g) => r.get(g)));
        assert.equal((await r.get(SEEDED.tokenUser))?.email, "api-token@example.com");
        assert.deepEqual(env.emu.requests(), [
            list(four.slice(0, 2)),
            "GET /ratings/v2/users?limit=1000&offset=0",
            "GET /ratings/v2/users?limit=1000&offset=0&is_company_api_token=true",
        ]);
    });

    it("asks fresh for a user this process wrote to since the listing, and the listing still answers the others", async () => {
        const r = reads({ snapshotAfter: 1 });
        await r.get(SEEDED.bob);
        await api.update(SEEDED.bob, { formal_name: "Robert Analyst" });
        env.emu.account.users.get(SEEDED.alice)!.formal_name = "Changed Since The Listing";
        env.emu.clearLog();
        assert.equal((await r.get(SEEDED.bob))?.formal_name, "Robert Analyst");
        assert.equal((await r.get(SEEDED.alice))?.formal_name, "Alice Admin", "the listing, within its time to live");
        assert.deepEqual(env.emu.requests(), [`GET /ratings/v2/users/${SEEDED.bob}`]);
    });

    it("asks fresh for a user written to while the listing was being taken", async () => {
        const r = reads({ snapshotAfter: 1 });
        const [, before] = await Promise.all([api.update(SEEDED.bob, { formal_name: "Robert Analyst" }), r.get(SEEDED.carol)]);
        assert.ok(before);
        env.emu.clearLog();
        assert.equal((await r.get(SEEDED.bob))?.formal_name, "Robert Analyst");
        assert.deepEqual(env.emu.requests(), [`GET /ratings/v2/users/${SEEDED.bob}`]);
    });

    it("retires the account listing when it is older than its time to live", async () => {
        const r = reads({ snapshotAfter: 1, snapshotTtlMs: 1000 });
        await r.get(SEEDED.bob);
        env.emu.account.users.get(SEEDED.bob)!.roles = ["customer_admin"];
        now += 500;
        assert.equal((await r.get(SEEDED.bob))?.roles[0]?.slug, "customer_user", "still the listing");
        now += 501;
        assert.equal((await r.get(SEEDED.bob))?.roles[0]?.slug, "customer_admin", "listed again");
        assert.equal(env.emu.requests().length, 4);
    });

    it("sends one GET per read when batching is off", async () => {
        const r = reads({ batch: false });
        await Promise.all(four.map((g) => r.get(g)));
        assert.deepEqual(env.emu.requests().sort(), four.map((g) => `GET /ratings/v2/users/${g}`).sort());
    });
});
