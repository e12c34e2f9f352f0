// Giving up, limits and lockout guards, against the emulator with an injected clock.
import { strict as assert } from "assert";
import { checkUser } from "../provider/check";
import { makeContext, type Context } from "../provider/context";
import { createUser } from "../provider/create";
import { deleteUser } from "../provider/delete";
import { readUser } from "../provider/read";
import { updateUser } from "../provider/update";
import { SEEDED } from "./emulator/seed";
import { FakeClock } from "./helpers/clock";
import { useEmulator } from "./helpers/emulator";

const ADMINS = "GET /ratings/v2/users?limit=100&offset=0&roles.slug=customer_admin&status=Activated";

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
            // Scripted replies answer in the order given: the two lookups before the POST find
            // nobody, the POST gets no clear answer, and the lookup after it fails.
            env.emu.inject({ method: "GET", path: "/ratings/v2/users", reply: { status: 200, body: { links: { next: null }, count: 0, results: [] } }, times: 2 });
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

    describe("lockout guards", () => {
        const alice = { email: "alice@example.com", role: "customer_admin", onDelete: "delete" as const };

        it("refuses to delete the last active Admin, before any change", async () => {
            await assert.rejects(
                deleteUser(ctx, SEEDED.alice, alice),
                { message: /^Refusing to delete alice@example\.com \(b0000000-0000-4000-8000-000000000002\): it is the last active Admin of the account/ },
            );
            assert.deepEqual(env.emu.requests(), ["GET /ratings/v1/users/current", ADMINS]);
        });

        it("refuses to demote the last active Admin, before any change", async () => {
            const olds = (await readUser(ctx, SEEDED.alice, { email: "alice@example.com", adopt: false, onDelete: "delete" })).props!;
            await assert.rejects(
                updateUser(ctx, SEEDED.alice, olds, checkUser({ ...olds, role: "customer_user" }).inputs),
                { message: /^Refusing to change the role of alice@example\.com .*: it is the last active Admin of the account.* Keep its role customer_admin\.$/ },
            );
            assert.equal(env.emu.writes().length, 0);
        });

        it("lets an Admin go when another active Admin remains", async () => {
            env.emu.account.addUser({ email: "second.admin@example.com", role: "customer_admin", status: "Activated" });
            await deleteUser(ctx, SEEDED.alice, alice);
            assert.equal(env.emu.account.users.has(SEEDED.alice), false);
        });

        it("does not count an Admin who never logged in (Created) as active", async () => {
            env.emu.account.addUser({ email: "invited.admin@example.com", role: "customer_admin", status: "Created" });
            await assert.rejects(deleteUser(ctx, SEEDED.alice, alice), /last active Admin/);
        });

        it("lets only one of two parallel deletes of the last two Admins through", async () => {
            const second = env.emu.account.addUser({ email: "second.admin@example.com", role: "customer_admin", status: "Activated" });
            const results = await Promise.allSettled([
                deleteUser(ctx, SEEDED.alice, alice),
                deleteUser(ctx, second.guid, { ...alice, email: second.email }),
            ]);
            assert.deepEqual(results.map((r) => r.status).sort(), ["fulfilled", "rejected"]);
            assert.equal([...env.emu.account.users.values()].filter((u) => u.role === "customer_admin" && !u.is_company_api_token).length, 1);
        });

        it("refuses to demote the token's own user when adopting it, and does not adopt it", async () => {
            const inputs = newUser("api-token@example.com", { formalName: "Company API Token", friendlyName: "API Token", adopt: true });
            await assert.rejects(createUser(ctx, inputs), (err: Error & { id?: string }) => {
                assert.match(err.message, /^Refusing to change the role of api-token@example\.com \(b0000000-0000-4000-8000-000000000001\): it is the user the API token belongs to/);
                assert.equal(err.id, undefined);
                return true;
            });
            assert.equal(env.emu.writes().length, 0);
            assert.equal(env.emu.account.users.get(SEEDED.tokenUser)!.role, "customer_admin");
        });

        it("refuses to delete when it cannot tell whom the token belongs to", async () => {
            env.emu.inject({ path: "/ratings/v1/users/current", reply: { status: 200, body: { customer: { name: "x" } } } });
            await assert.rejects(deleteUser(ctx, SEEDED.bob, { email: "bob@example.com" }), /did not say which user the API token belongs to/);
            assert.equal(env.emu.writes().length, 0);
        });
    });
});
