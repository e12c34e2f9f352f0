// The fault matrix: each fault the emulator can inject, against the request that defines
// each hook (POST for create, GET for read, PATCH for update, DELETE for delete). Every
// cell asserts the outcome, the exact request log, the waits, and that no user was
// duplicated or lost. Time is injected: nothing really sleeps.
import { strict as assert } from "assert";
import * as sinon from "sinon";
import { checkUser } from "../provider/resource/check";
import type { Reply } from "./emulator/account";
import { makeContext, type Context } from "../provider/account/context";
import { createUser } from "../provider/resource/create";
import { deleteUser } from "../provider/resource/delete";
import { readUser } from "../provider/resource/read";
import type { UserOutputs } from "../provider/model/user-model";
import { updateUser } from "../provider/resource/update";
import { SEEDED } from "./emulator/seed";
import type { Injection } from "./emulator/server";
import { FakeClock, quietLog } from "./helpers/clock";
import { useEmulator } from "./helpers/emulator";

/** `create, listed`: a create whose look-up the account listing answers (creates that come together). */
type Hook = "create" | "create, listed" | "read" | "update" | "delete";

interface Fault {
    name: string;
    injection: Omit<Injection, "method" | "path">;
    /** The attempt hangs until the client's time-out fires. */
    hangs?: boolean;
}

const html403 = "<!DOCTYPE html><html><head><title>403</title></head><body><h1>Forbidden</h1><p>Request blocked.</p></body></html>";

const FAULTS: Fault[] = [
    { name: "429 with Retry-After", injection: { reply: { status: 429, body: { detail: "Request was throttled." }, headers: { "Retry-After": "7" } } } },
    { name: "429 without Retry-After", injection: { reply: { status: 429, body: { message: "Too many requests" } } } },
    { name: "500", injection: { reply: { status: 500, body: { detail: "Internal error" } } } },
    { name: "502 HTML page", injection: { reply: { status: 502, text: "<html><body>Bad gateway</body></html>" } } },
    { name: "503", injection: { reply: { status: 503, body: { detail: "Service unavailable", status: 503, title: "Unavailable" } } } },
    { name: "524 edge time-out", injection: { reply: { status: 524, text: "A timeout occurred" } } },
    { name: "reset before the change", injection: { reset: "before" } },
    { name: "reset after the change", injection: { reset: "after" } },
    { name: "no answer (time-out)", injection: { hang: true }, hangs: true },
    { name: "malformed JSON", injection: { reply: { status: 200, text: '{"guid": "b0000000-0000-4000-8000-0000000' } } },
    { name: "HTML 403", injection: { reply: { status: 403, text: html403 } as Reply } },
];

const NEW_EMAIL = "new.user@example.com";
/** One look-up by email: the email filter or the email_q search, of people or of token users. */
const lookup = (filter: "email" | "email_q", tokenUsers: boolean) => `GET /ratings/v2/users?limit=100&offset=0&sort=guid&${filter}=new.user%40example.com&is_company_api_token=${tokenUsers}`;
const LOOKUP = lookup("email", false);
/** Looking an email up that nobody has: the email filter, then the email_q search, each for people and token users. */
const NOBODY = [LOOKUP, lookup("email", true), lookup("email_q", false), lookup("email_q", true)];
const POST = "POST /ratings/v2/users";
const GET_BOB = `GET /ratings/v2/users/${SEEDED.bob}`;
const PATCH_BOB = `PATCH /ratings/v2/users/${SEEDED.bob}`;
const DELETE_CAROL = `DELETE /ratings/v2/users/${SEEDED.carol}`;
/** Carol is no Admin: the guard's fresh read of her is all it needs. */
const GUARD = [`GET /ratings/v2/users/${SEEDED.carol}`];

/** What each hook's fault-free run sends, and which of its requests the fault hits. */
const TARGET: Record<Hook, { method: string; path: string }> = {
    create: { method: "POST", path: "/ratings/v2/users" },
    "create, listed": { method: "POST", path: "/ratings/v2/users" },
    read: { method: "GET", path: `/ratings/v2/users/${SEEDED.bob}` },
    update: { method: "PATCH", path: `/ratings/v2/users/${SEEDED.bob}` },
    delete: { method: "DELETE", path: `/ratings/v2/users/${SEEDED.carol}` },
};

interface Expected {
    log: string[];
    sleeps: number[];
    /** Undefined: the hook succeeds. */
    error?: RegExp;
}

const RETRIED_ONCE = (first: string[], again: string[], wait: number): Expected => ({ log: [...first, ...again], sleeps: [wait] });

/** The expectation of every cell, written out. */
function expected(hook: Hook, fault: string): Expected {
    const wait = fault === "429 with Retry-After" ? 7000 : fault === "429 without Retry-After" ? 60_000 : 1000;
    const fatal = fault === "HTML 403";
    switch (hook) {
        case "create":
            if (fatal) return { log: [...NOBODY, POST], sleeps: [], error: /^Bitsight API answered 403 Forbidden .* to POST \/ratings\/v2\/users: 403 Forbidden Request blocked\.$/ };
            if (fault.startsWith("429")) return RETRIED_ONCE([...NOBODY, POST], [POST], wait);
            // Applied, then the connection dropped: the lookup finds the user just created.
            if (fault === "reset after the change") return { log: [...NOBODY, POST, LOOKUP], sleeps: [] };
            // Not applied: the lookup finds nobody, so the POST is sent again.
            return RETRIED_ONCE([...NOBODY, POST, ...NOBODY], [POST], wait);
        case "create, listed": {
            // The listing answered the look-up: no request before the POST. The recovery
            // after an ambiguous failure still looks the email up fresh.
            const alone = expected("create", fault);
            const log = alone.log.slice(NOBODY.length);
            return { ...alone, log };
        }
        case "read":
            if (fatal) return { log: [GET_BOB], sleeps: [], error: /^Bitsight API answered 403 Forbidden .* to GET \/ratings\/v2\/users\/b0000000-0000-4000-8000-000000000003: 403 Forbidden Request blocked\.$/ };
            return RETRIED_ONCE([GET_BOB], [GET_BOB], wait);
        case "update":
            // The PATCH is built from a fresh read of the user, not from the state.
            if (fatal) return { log: [GET_BOB, PATCH_BOB], sleeps: [], error: /^Bitsight API answered 403 Forbidden .* to PATCH/ };
            return RETRIED_ONCE([GET_BOB, PATCH_BOB], [PATCH_BOB, GET_BOB], wait);
        case "delete":
            if (fatal) return { log: [...GUARD, DELETE_CAROL], sleeps: [], error: /^Bitsight API answered 403 Forbidden .* to DELETE/ };
            // After "reset after", the second DELETE meets a 404: already gone, which is success.
            return RETRIED_ONCE([...GUARD, DELETE_CAROL], [DELETE_CAROL], wait);
    }
}

describe("fault matrix (faults × hooks)", () => {
    const env = useEmulator();
    let clock: FakeClock;
    let ctx: Context;
    let timers: sinon.SinonFakeTimers | undefined;

    beforeEach(() => {
        clock = new FakeClock();
        ctx = makeContext(env.conn, { clock, log: quietLog(clock) });
    });
    afterEach(() => timers?.restore());

    const bob = async (): Promise<UserOutputs> => {
        const r = await readUser(makeContext(env.conn), SEEDED.bob, { email: "bob@example.com", adopt: false, onDelete: "delete" });
        env.emu.clearLog();
        return r.props!;
    };

    /** Set-up (reads the state it needs, before any fault), then the hook call itself. */
    const prepare: Record<Hook, () => Promise<() => Promise<unknown>>> = {
        create: async () => () => createUser(ctx, checkUser({ email: NEW_EMAIL, formalName: "New User", friendlyName: "New", role: "customer_user" }).inputs),
        "create, listed": async () => {
            // Two look-ups before: the second takes the listing of the account.
            await ctx.account.find("carol@example.com");
            await ctx.account.find("dave.contractor@example.com");
            env.emu.clearLog();
            return () => createUser(ctx, checkUser({ email: NEW_EMAIL, formalName: "New User", friendlyName: "New", role: "customer_user" }).inputs);
        },
        read: async () => {
            const olds = await bob();
            return () => readUser(ctx, SEEDED.bob, olds);
        },
        update: async () => {
            const olds = await bob();
            return () => updateUser(ctx, SEEDED.bob, olds, checkUser({ ...olds, formalName: "Robert Analyst" }).inputs);
        },
        delete: async () => () => deleteUser(ctx, SEEDED.carol, { email: "carol@example.com", role: "customer_portfolio_manager", onDelete: "delete" }),
    };

    /** What must hold in the account after a successful run. */
    const holds: Record<Hook, () => void> = {
        create: () => assert.equal([...env.emu.account.users.values()].filter((u) => u.email === NEW_EMAIL).length, 1, "exactly one user, never a duplicate"),
        "create, listed": () => holds.create(),
        read: () => undefined,
        update: () => assert.equal(env.emu.account.users.get(SEEDED.bob)!.formal_name, "Robert Analyst"),
        delete: () => assert.equal(env.emu.account.users.has(SEEDED.carol), false),
    };

    for (const hook of ["create", "create, listed", "read", "update", "delete"] as Hook[]) {
        for (const fault of FAULTS) {
            it(`${hook} × ${fault.name}`, async () => {
                const call = await prepare[hook]();
                env.emu.inject({ ...TARGET[hook], ...fault.injection });
                // Only the attempt time-out uses timers: fake them before the first request arms one.
                if (fault.hangs) timers = sinon.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
                const pending = call().then(
                    (value) => ({ value }),
                    (error: Error) => ({ error }),
                );
                if (timers) {
                    await waitFor(() => env.emu.log.some((r) => `${r.method} ${r.path}` === `${TARGET[hook].method} ${TARGET[hook].path}`));
                    await timers.tickAsync(ctx.api.http.policy.attemptTimeoutMs);
                    await waitFor(() => env.emu.log.filter((r) => r.method === TARGET[hook].method && r.path === TARGET[hook].path).length > 1);
                    timers.restore();
                    timers = undefined;
                }
                const outcome = await pending;
                const want = expected(hook, fault.name);
                assert.deepEqual(env.emu.requests(), want.log);
                assert.deepEqual(clock.sleeps, want.sleeps);
                if (want.error) {
                    assert.ok("error" in outcome, "expected an error");
                    assert.match(outcome.error.message, want.error);
                    assert.equal((outcome.error as { id?: string }).id, undefined, "nothing half-made to keep");
                    if (hook.startsWith("create")) assert.equal(env.emu.account.findByEmail(NEW_EMAIL), undefined, "nothing was created");
                } else {
                    assert.ok(!("error" in outcome), `unexpected error: ${"error" in outcome ? outcome.error.message : ""}`);
                    holds[hook]();
                }
            });
        }
    }
});

/** Polls the event loop (never a timer) until the condition holds. */
async function waitFor(cond: () => boolean): Promise<void> {
    for (let i = 0; i < 10_000 && !cond(); i++) await new Promise((r) => setImmediate(r));
    assert.ok(cond(), "condition never held");
}
