// Every write is decided from what the account holds now, not from what the process
// remembers: the PATCH of an update and of an adoption, the existence check of an
// adoption, the read counter that decides when to list the whole account; and a request's
// retry budget runs from its first send, not from when it joined the queue.
import { strict as assert } from "assert";
import { checkUser } from "../provider/resource/check";
import { HttpClient } from "../provider/client/http";
import { makeContext, type Context } from "../provider/account/context";
import { createUser } from "../provider/resource/create";
import { readUser } from "../provider/resource/read";
import type { UserOutputs } from "../provider/model/user-model";
import { updateUser } from "../provider/resource/update";
import { GROUPS, SEEDED } from "./emulator/seed";
import { FakeClock } from "./helpers/clock";
import { useEmulator } from "./helpers/emulator";
import { ACCOUNT_LISTING } from "./helpers/requests";

const USERS = "/ratings/v2/users";

describe("decisions from a fresh read", () => {
    const env = useEmulator();
    let clock: FakeClock;
    let ctx: Context;
    beforeEach(() => {
        clock = new FakeClock();
        ctx = makeContext(env.conn, { clock });
    });

    const bobState = async (): Promise<UserOutputs> => {
        const r = await readUser(makeContext(env.conn), SEEDED.bob, { email: "bob@example.com", group: GROUPS.secops.guid, adopt: false, onDelete: "delete" });
        env.emu.clearLog();
        return r.props!;
    };

    it("1. an update's PATCH restores every declared field the account no longer holds, not only the ones the file changed", async () => {
        const olds = await bobState();
        // Moved in the UI after the last refresh; the file then renames Bob.
        env.emu.account.users.get(SEEDED.bob)!.group = GROUPS.vendor.guid;
        const outs = await updateUser(ctx, SEEDED.bob, olds, checkUser({ ...olds, formalName: "Robert Analyst" }).inputs);
        assert.deepEqual(env.emu.writes().map((w) => w.body), [{ formal_name: "Robert Analyst", group: GROUPS.secops.guid }]);
        assert.equal(outs.group, GROUPS.secops.guid);
        assert.equal(env.emu.account.users.get(SEEDED.bob)!.group, GROUPS.secops.guid);
    });

    describe("2. an adoption", () => {
        const declared = (email: string, extra: Record<string, unknown> = {}) =>
            checkUser({ email, formalName: "Late Arrival", friendlyName: "Late", role: "customer_user", adopt: true, ...extra }).inputs;

        it("does not decide from a listing older than a few seconds: a user added since is found, not POSTed again", async () => {
            // Two look-ups: the second takes the listing of the account.
            await ctx.account.find("carol@example.com");
            await ctx.account.find("dave.contractor@example.com");
            env.emu.account.addUser({ email: "late@example.com", formal_name: "Late Arrival", friendly_name: "Late", last_login_time: null });
            clock.time += 10_000;
            env.emu.clearLog();
            const { outs } = await createUser(ctx, declared("late@example.com"));
            assert.equal(outs.adopted, true);
            assert.deepEqual(
                env.emu.requests().filter((r) => !r.startsWith("GET")),
                [],
                "no POST refused as a duplicate: the decision came from a fresh listing",
            );
        });

        it("builds its PATCH from the user read fresh, not from the listing", async () => {
            await ctx.account.find("carol@example.com");
            await ctx.account.find("dave.contractor@example.com");
            // After the listing, within its few seconds, someone renames Bob in the UI.
            env.emu.account.users.get(SEEDED.bob)!.formal_name = "Renamed In The UI";
            env.emu.clearLog();
            await createUser(ctx, checkUser({ email: "bob@example.com", formalName: "Bob Analyst", friendlyName: "Bob", role: "customer_group_admin", group: GROUPS.secops.guid, adopt: true }).inputs);
            assert.deepEqual(env.emu.writes().map((w) => w.body), [{ formal_name: "Bob Analyst", roles: [{ slug: "customer_group_admin" }] }]);
            assert.equal(env.emu.account.users.get(SEEDED.bob)!.formal_name, "Bob Analyst");
        });
    });

    it("3. a request's retry budget starts at its first send: one queued behind a rate-limit pause still gets its retries", async () => {
        // Time moves only when the test says: Bob's request waits in the queue for real.
        const manual = new ManualClock();
        const http = new HttpClient(env.conn, { clock: manual, policy: { maxConcurrency: 1, totalBudgetMs: 90_000, jitter: 0 }, onPause: () => undefined });
        env.emu.inject({ method: "GET", path: new RegExp(`^${USERS}/`), reply: { status: 429, body: { detail: "Slow down" }, headers: { "Retry-After": "60" } }, times: 2 });
        // Alice is refused at 0 s: the process pauses 60 s, and Bob, asked for now, waits.
        const alice = http.send({ method: "GET", path: `${USERS}/${SEEDED.alice}` });
        await manual.until(1);
        const bob = http.send({ method: "GET", path: `${USERS}/${SEEDED.bob}` }).then(
            () => "answered",
            (err: Error) => err.message,
        );
        await manual.until(2);
        manual.advance(60_000);
        // Bob's first send, at 60 s, is refused too and asks for 60 s more: 60 s from its first send.
        await manual.until(1);
        manual.advance(60_000);
        await alice;
        assert.equal(await bob, "answered");
        assert.deepEqual(env.emu.requests().filter((r) => r.endsWith(SEEDED.bob)).length, 2);
    });

    describe("4. the account listing", () => {
        it("counts reads since the last write only: a read ten minutes after a write is one GET, not a listing", async () => {
            await Promise.all(Array.from({ length: 8 }, () => ctx.account.read(SEEDED.alice)));
            await ctx.api.update(SEEDED.carol, { formal_name: "Carol V." });
            clock.time += 10 * 60_000;
            env.emu.clearLog();
            await ctx.account.read(SEEDED.bob);
            assert.deepEqual(env.emu.requests(), [`GET ${USERS}/${SEEDED.bob}`]);
        });

        it("does not keep a failed listing: the next run of reads lists again instead of one GET per user for a minute", async () => {
            env.emu.inject({ method: "GET", path: USERS, query: "limit=1000", reply: { status: 400, body: { detail: "Bad filter" } } });
            const guids = [SEEDED.alice, SEEDED.bob, SEEDED.carol, SEEDED.dave];
            await Promise.all([...guids, ...guids, ...guids].map((g) => ctx.account.read(g)));
            env.emu.clearLog();
            await Promise.all(guids.map((g) => ctx.account.read(g)));
            const listings = env.emu.requests().filter((r) => r.startsWith(`GET ${USERS}?limit=1000`));
            assert.deepEqual(listings.sort(), [...ACCOUNT_LISTING].sort(), `a new listing of the whole account: ${env.emu.requests().join("; ")}`);
            assert.equal(env.emu.requests().filter((r) => r.startsWith(`GET ${USERS}/`)).length, 0);
        });
    });
});

/** A clock whose sleeps end only when the test advances it. */
class ManualClock {
    time = 1_700_000_000_000;
    private readonly sleepers: { at: number; wake: () => void }[] = [];

    now(): number {
        return this.time;
    }

    random(): number {
        return 0.5;
    }

    private readonly waiting: { n: number; done: () => void }[] = [];

    sleep(ms: number): Promise<void> {
        return new Promise((wake) => {
            this.sleepers.push({ at: this.time + ms, wake });
            for (const w of this.waiting.filter((w) => this.sleepers.length >= w.n)) {
                this.waiting.splice(this.waiting.indexOf(w), 1);
                w.done();
            }
        });
    }

    /** Resolves once `n` sleeps are pending: the requests before them went to the emulator and back. */
    async until(n: number): Promise<void> {
        if (this.sleepers.length >= n) return;
        let timer: NodeJS.Timeout | undefined;
        const reached = new Promise<void>((done) => this.waiting.push({ n, done }));
        // Not a poll: one real timer, so that a sleep that never comes fails with what is pending.
        const late = new Promise<void>((done) => (timer = setTimeout(done, 5_000)));
        await Promise.race([reached, late]);
        clearTimeout(timer);
        assert.ok(this.sleepers.length >= n, `${this.sleepers.length} sleeps pending, not ${n}: ${this.sleepers.map((s) => s.at - this.time).join(", ")}`);
    }

    advance(ms: number): void {
        this.time += ms;
        for (const s of this.sleepers.splice(0).filter((s) => s.at <= this.time || (this.sleepers.push(s), false))) s.wake();
    }
}
