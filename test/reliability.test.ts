// Giving up, limits and lockout guards, against the emulator with an injected clock.
import { strict as assert } from "assert";
import { checkUser } from "../provider/check";
import { makeContext, type Context } from "../provider/context";
import { createUser } from "../provider/create";
import { readUser } from "../provider/read";
import { SEEDED } from "./emulator/seed";
import { FakeClock } from "./helpers/clock";
import { useEmulator } from "./helpers/emulator";

describe("reliability", () => {
    const env = useEmulator();
    let clock: FakeClock;
    let ctx: Context;
    beforeEach(() => {
        clock = new FakeClock();
        ctx = makeContext(env.conn, { clock });
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
            ctx = makeContext(env.conn, { clock, policy: { totalBudgetMs: 90_000 } });
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
});
