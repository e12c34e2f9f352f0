// Giving up, limits and lockout guards, against the emulator with an injected clock.
import { strict as assert } from "assert";
import { checkUser } from "../provider/resource/check";
import nodeFetch from "node-fetch";
import * as sinon from "sinon";
import { BitsightApiError } from "../provider/client/errors";
import type { FetchLike } from "../provider/client/http";
import { PartialFailureError } from "../provider/resource/partial-failure";
import { makeContext, type Context } from "../provider/account/context";
import { createUser } from "../provider/resource/create";
import { readUser } from "../provider/resource/read";
import { SEEDED } from "./emulator/seed";
import { FakeClock, quietLog } from "./helpers/clock";
import { useEmulator } from "./helpers/emulator";
import { BitsightError } from "../provider/base/errors";

describe("reliability", () => {
    const env = useEmulator();
    let clock: FakeClock;
    let ctx: Context;
    beforeEach(() => {
        clock = new FakeClock();
        ctx = makeContext(env.conn, { clock, log: quietLog(clock) });
    });

    const newUser = (email: string, extra: Record<string, unknown> = {}) =>
        checkUser({ email, formalName: "New User", friendlyName: "New", role: "customer_user", ...extra }).inputs;

    describe("giving up", () => {
        it("says how many attempts were made and what the last answer was", async () => {
            env.emu.inject({ path: `/ratings/v2/users/${SEEDED.bob}`, reply: { status: 503, body: { detail: "Maintenance" } }, times: 5 });
            await assert.rejects(readUser(ctx, SEEDED.bob, {}), {
                message: `Bitsight API answered 503 Service Unavailable to GET /ratings/v2/users/${SEEDED.bob}: Maintenance (gave up after 5 attempts over 15 s)`,
            });
            assert.equal(env.emu.log.length, 5);
            assert.deepEqual(clock.sleeps, [1000, 2000, 4000, 8000]);
        });

        it("starts no retry that would end past the total budget", async () => {
            ctx = makeContext(env.conn, { clock, log: quietLog(clock), policy: { totalBudgetMs: 90_000 } });
            env.emu.inject({ reply: { status: 429, body: { detail: "Slow down" } }, times: 10 });
            await assert.rejects(readUser(ctx, SEEDED.bob, {}), /Slow down \(gave up after 2 attempts over 1 min 0 s\)$/);
            assert.deepEqual(clock.sleeps, [60_000]);
        });

        it("honours Retry-After given as an HTTP date", async () => {
            const at = new Date(clock.now() + 42_000).toUTCString();
            env.emu.inject({ reply: { status: 429, body: {}, headers: { "Retry-After": at } } });
            await readUser(ctx, SEEDED.bob, {});
            assert.equal(clock.sleeps.length, 1);
            assert.ok(clock.sleeps[0]! > 41_000 && clock.sleeps[0]! <= 42_000, String(clock.sleeps[0]));
        });

        for (const value of ["-5", "1e3", "soon", new Date(1_600_000_000_000).toUTCString()]) {
            it(`falls back to the policy's back-off for Retry-After: ${value} (negative, malformed or past)`, async () => {
                env.emu.inject({ reply: { status: 429, body: {}, headers: { "Retry-After": value } }, times: 2 });
                await readUser(ctx, SEEDED.bob, {});
                assert.deepEqual(clock.sleeps, [60_000, 120_000]);
            });
        }

        it("explains an ambiguous create whose lookup fails too", async () => {
            // Scripted replies answer in the order given: the four lookups before the POST find
            // nobody, the POST gets no clear answer, and the lookup after it fails.
            env.emu.inject({ method: "GET", path: "/ratings/v2/users", reply: { status: 200, body: { links: { next: null }, count: 0, results: [] } }, times: 4 });
            env.emu.inject({ method: "POST", reply: { status: 502, text: "Bad gateway" } });
            env.emu.inject({ method: "GET", path: "/ratings/v2/users", reply: { status: 401, body: { detail: "Invalid token." } } });
            const first = env.emu.account.users.size;
            await assert.rejects(
                createUser(ctx, newUser("x@example.com")),
                { message: /^Creating x@example\.com got no clear answer \(Bitsight API answered 502 Bad Gateway to POST \/ratings\/v2\/users: Bad gateway\), and looking the email up failed too \(Bitsight API answered 401 .*\)\. The user may or may not exist now\. Run again: if Pulumi then reports that x@example\.com already exists, it is this user; set `adopt: true` to take it over\.$/ },
            );
            assert.equal(env.emu.account.users.size, first);
        });
    });

    describe("one rate-limit pause for the whole process", () => {
        // The injected FakeClock jumps ahead on every sleep, which would hide a request sent
        // during a pause; these run the real clock on sinon's fake timers instead.
        let timers: sinon.SinonFakeTimers;
        beforeEach(() => (timers = sinon.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] })));
        afterEach(() => timers.restore());

        /** Every request as sent, with the (fake) time and whether the client had begun a pause before it. */
        function traced() {
            const said: string[] = [];
            const sends: { at: number; after429: boolean }[] = [];
            const refusals: number[] = [];
            const fetch: FetchLike = async (url, init) => {
                sends.push({ at: Date.now(), after429: said.length > 0 });
                const res = await nodeFetch(url, init as never);
                if (res.status === 429) refusals.push(Date.now());
                return res as never;
            };
            return { ctx: makeContext(env.conn, { fetch, onPause: (m) => said.push(m), reads: { batch: false } }), said, sends, refusals };
        }
        // Not a wait for an event: these tests assert that nothing is sent during a pause,
        // and an absence has no event. Time is faked, so this lets every promise and socket
        // callback that can run do so (a bounded number of turns), and then looks.
        const settle = async () => {
            for (let i = 0; i < 2_000; i++) await new Promise((r) => setImmediate(r));
        };

        it("after a 429 with Retry-After: 2, no request of the process reaches the server for 2 seconds, and says so once", async () => {
            const { ctx, said, sends, refusals } = traced();
            // Hold the first answers until all three slots are taken, so that the 429 meets requests in flight and queued.
            let waiting = 3;
            let release: () => void = () => undefined;
            const full = new Promise<void>((r) => (release = r));
            env.emu.gate = async () => {
                if (waiting > 0 && --waiting === 0) release();
                await full;
            };
            env.emu.inject({ path: `/ratings/v2/users/${SEEDED.alice}`, reply: { status: 429, body: { detail: "Slow down" }, headers: { "Retry-After": "2" } } });
            const reads = Promise.all([SEEDED.alice, SEEDED.bob, SEEDED.carol, SEEDED.dave, SEEDED.alice, SEEDED.bob].map((g) => readUser(ctx, g, {})));
            await settle();
            assert.equal(refusals.length, 1);
            assert.deepEqual(sends.filter((s) => s.after429), [], "nothing was sent while paused");
            await timers.tickAsync(2000);
            assert.equal((await reads).filter((u) => u.id).length, 6);
            const after = sends.filter((s) => s.after429);
            assert.equal(sends.length, 7, "six reads, and the refused one again");
            assert.ok(after.length >= 1 && after.every((s) => s.at >= refusals[0]! + 2000), JSON.stringify(sends));
            assert.deepEqual(said, [`Bitsight's rate limit was reached (429 to GET /ratings/v2/users/${SEEDED.alice}): every request waits 2 s.`]);
        });

        it("says it once a pause when several requests are refused within it", async () => {
            const { ctx, said, refusals } = traced();
            env.emu.inject({ method: "GET", reply: { status: 429, body: {}, headers: { "Retry-After": "5" } }, times: 2 });
            const both = Promise.all([readUser(ctx, SEEDED.bob, {}), readUser(ctx, SEEDED.carol, {})]);
            await settle();
            assert.equal(refusals.length, 2, "both requests were refused before any time passed");
            await timers.tickAsync(5000);
            await both;
            assert.equal(said.length, 1, said.join("\n"));
            assert.equal(env.emu.log.length, 4);
        });
    });

    describe("account limits", () => {
        it("says plainly that the monthly creation limit is reached", async () => {
            env.emu.account.createdThisMonth = 300;
            await assert.rejects(
                createUser(ctx, newUser("late@example.com")),
                { message: /^Bitsight refused to create late@example\.com: the account reached Bitsight's limit of 300 new users a month; the rest can be created next month\. Nothing was created\. \(Bitsight API answered 403 / },
            );
            assert.equal(env.emu.account.findByEmail("late@example.com"), undefined);
        });

        it("says plainly that the user quota is used up", async () => {
            env.emu.account.totalActiveQuota = 3;
            await assert.rejects(createUser(ctx, newUser("extra@example.com")), { message: /^Bitsight refused to create extra@example\.com: the account has no user quota left/ });
        });
    });

    describe("errors keep their cause", () => {
        it("a refusal explained in words still carries the API's answer, status and all", async () => {
            env.emu.account.totalActiveQuota = 3;
            const err = await createUser(ctx, newUser("extra@example.com")).catch((e: Error) => e);
            assert.ok(err instanceof BitsightError);
            assert.ok(err.cause instanceof BitsightApiError);
            assert.equal(err.cause.status, 402);
        });

        it("a partial failure is a BitsightError, and its cause is the failed PATCH", async () => {
            env.emu.inject({ method: "PATCH", reply: { status: 400, body: { detail: "No." } } });
            const err = await createUser(ctx, newUser("bob@example.com", { formalName: "Robert", adopt: true })).catch((e: Error) => e);
            assert.ok(err instanceof PartialFailureError && err instanceof BitsightError);
            assert.equal(err.id, SEEDED.bob);
            assert.ok(err.cause instanceof BitsightApiError);
            assert.equal(err.cause.status, 400);
        });
    });
});
