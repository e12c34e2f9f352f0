// Lockout guards, decided from the account as it is now: never delete or demote the token's
// own user or the last Activated Admin, whatever the state says, whatever roles a user holds,
// and however many runs act at once. Run under each way the emulator may answer
// /v1/users/current (the reference page names no user; the OpenAPI schema does).
import { strict as assert } from "assert";
import { checkUser } from "../provider/resource/check";
import { makeContext, type Context } from "../provider/account/context";
import { deleteUser } from "../provider/resource/delete";
import { readUser } from "../provider/resource/read";
import type { UserOutputs } from "../provider/model/user-model";
import { updateUser } from "../provider/resource/update";
import type { Account, StoredUser } from "./emulator/account";
import { GROUPS, SEEDED } from "./emulator/seed";
import { useEmulator } from "./helpers/emulator";
import { underEach } from "./helpers/quirks";

const ADMINS = "GET /ratings/v2/users?limit=100&offset=0&sort=guid&roles.slug=customer_admin&status=Activated&is_company_api_token=false";

/** People (not token users) who hold Admin and have logged in: who can still manage users in the UI. */
function activeAdmins(a: Account): string[] {
    return [...a.users.values()].filter((u) => u.roles.includes("customer_admin") && u.status === "Activated" && !u.is_company_api_token).map((u) => u.email);
}

const alice = { email: "alice@example.com", role: "customer_admin", onDelete: "delete" as const };

describe("lockout guards", () => {
    underEach("currentUser", (currentUser) => {
        const env = useEmulator({ currentUser });
        let ctx: Context;
        beforeEach(() => (ctx = makeContext(env.conn)));
        const stateOf = async (guid: string, email: string): Promise<UserOutputs> => {
            const outs = (await readUser(makeContext(env.conn), guid, { email, adopt: false, onDelete: "delete" })).props!;
            env.emu.clearLog();
            return outs;
        };
        const secondAdmin = () => env.emu.account.addUser({ email: "second.admin@example.com", role: "customer_admin", status: "Activated", joined_time: "2025-01-01T00:00:00Z" });

        it("refuses to delete the last Activated Admin, before any change", async () => {
            await assert.rejects(deleteUser(ctx, SEEDED.alice, alice), {
                message:
                    `Refusing to delete alice@example.com (${SEEDED.alice}): it is the last Activated Admin of the account, and nobody could manage users in the Bitsight UI afterwards. ` +
                    'Make another user Admin first (and let them log in once), then run again. Nothing was changed. Set `onDelete: "retain"` on this resource to stop managing the user without deleting it.',
            });
            assert.deepEqual(env.emu.writes(), []);
            assert.equal(env.emu.requests().at(-1), ADMINS);
        });

        it("refuses to demote the last Activated Admin, before any change", async () => {
            const olds = await stateOf(SEEDED.alice, "alice@example.com");
            await assert.rejects(updateUser(ctx, SEEDED.alice, olds, checkUser({ ...olds, role: "customer_user" }).inputs), {
                message: new RegExp(`^Refusing to change the role of alice@example\\.com \\(${SEEDED.alice}\\) to customer_user: it is the last Activated Admin of the account.* Keep its role customer_admin\\.$`),
            });
            assert.deepEqual(env.emu.writes(), []);
        });

        it("lets an Admin go when another Activated Admin remains: lowers its role, checks again, then deletes", async () => {
            secondAdmin();
            await deleteUser(ctx, SEEDED.alice, alice);
            assert.equal(env.emu.account.users.has(SEEDED.alice), false);
            assert.deepEqual(
                env.emu.writes().map((w) => [w.method, w.path, w.body]),
                [
                    ["PATCH", `/ratings/v2/users/${SEEDED.alice}`, { roles: [{ slug: "customer_user" }] }],
                    ["DELETE", `/ratings/v2/users/${SEEDED.alice}`, undefined],
                ],
            );
            assert.deepEqual(activeAdmins(env.emu.account), ["second.admin@example.com"]);
        });

        it("does not count an Admin who never logged in (Created) as active", async () => {
            env.emu.account.addUser({ email: "invited.admin@example.com", role: "customer_admin", status: "Created" });
            await assert.rejects(deleteUser(ctx, SEEDED.alice, alice), /it is the last Activated Admin/);
        });

        it("guards a demotion the state does not know about: made Admin in the UI after the last refresh", async () => {
            const olds = await stateOf(SEEDED.bob, "bob@example.com");
            assert.equal(olds.role, "customer_user");
            // In the UI, after the refresh: Bob becomes the Admin, Alice stops being one.
            env.emu.account.users.get(SEEDED.bob)!.roles = ["customer_admin"];
            env.emu.account.users.get(SEEDED.alice)!.roles = ["customer_user"];
            await assert.rejects(
                updateUser(ctx, SEEDED.bob, olds, checkUser({ ...olds, role: "customer_portfolio_manager" }).inputs),
                { message: /^Refusing to change the role of bob@example\.com .* to customer_portfolio_manager: it is the last Activated Admin of the account/ },
            );
            assert.deepEqual(env.emu.writes(), []);
            assert.deepEqual(activeAdmins(env.emu.account), ["bob@example.com"]);
        });

        it("guards a user who holds several roles, Admin among them", async () => {
            env.emu.account.users.get(SEEDED.bob)!.roles = ["customer_admin", "vrm_admin"];
            env.emu.account.users.get(SEEDED.alice)!.roles = ["customer_user"];
            const olds = await stateOf(SEEDED.bob, "bob@example.com");
            assert.deepEqual([olds.role, olds.otherRoles], ["customer_admin", "vrm_admin"]);
            // A VRM Admin can manage users, but is not what keeps the account manageable: not another Admin.
            await assert.rejects(updateUser(ctx, SEEDED.bob, olds, checkUser({ ...olds, role: "customer_user" }).inputs), /it is the last Activated Admin of the account/);
            assert.deepEqual(env.emu.writes(), []);
        });

        it("does not count an Admin this run is removing too", async () => {
            const second = secondAdmin();
            const results = await Promise.allSettled([
                deleteUser(ctx, SEEDED.alice, alice),
                deleteUser(ctx, second.guid, { ...alice, email: second.email }),
            ]);
            const refused = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
            assert.equal(refused.length, 1);
            assert.match(refused[0]!.reason.message, /^Refusing to delete alice@example\.com .*: it would be the last Activated Admin of the account: this run is also removing second\.admin@example\.com,/);
            assert.deepEqual(activeAdmins(env.emu.account), ["alice@example.com"]);
        });

        it("never deletes or demotes the user the API token belongs to", async () => {
            secondAdmin();
            env.emu.account.addToken("alice-own-token", SEEDED.alice);
            const asAlice = makeContext({ ...env.conn, token: "alice-own-token" });
            const how = currentUser === "documented" ? "matched" : "named by the API";
            await assert.rejects(deleteUser(asAlice, SEEDED.alice, alice), {
                message: new RegExp(`^Refusing to delete alice@example\\.com \\(${SEEDED.alice}\\): it is the user the API token belongs to \\(${how}\\), and the change would lock the token out\\. Nothing was changed\\.`),
            });
            const olds = await stateOf(SEEDED.alice, "alice@example.com");
            await assert.rejects(updateUser(asAlice, SEEDED.alice, olds, checkUser({ ...olds, role: "customer_user" }).inputs), /it is the user the API token belongs to/);
            assert.deepEqual(env.emu.writes(), []);
        });

        it("refuses a bitsight:tokenUser that names someone else", async () => {
            secondAdmin();
            const wrong = makeContext({ ...env.conn, tokenUser: "bob@example.com" });
            const said =
                currentUser === "documented"
                    ? "bitsight:tokenUser is bob@example.com, who joined at 2024-03-12T09:30:00Z, but the API token belongs to a user who joined at 2024-01-10T08:00:00Z. Set bitsight:tokenUser to the email of the token's own user."
                    : "bitsight:tokenUser is bob@example.com, but the API says the token belongs to api-token@example.com. Correct bitsight:tokenUser or remove it.";
            await assert.rejects(deleteUser(wrong, SEEDED.alice, alice), {
                message: `Refusing to delete alice@example.com (${SEEDED.alice}): it is an Admin, and the change might lock the API token out. ${said} Nothing was changed.`,
            });
            assert.deepEqual(env.emu.writes(), []);
        });
    });

    // A company API token has no person behind it: /v1/users/current may answer as for its
    // hidden user, refuse (403), or answer with no roles and no joined date.
    underEach("companyTokenCurrent", (companyTokenCurrent) => {
        const env = useEmulator({ companyTokenCurrent });
        beforeEach(() => env.emu.account.addUser({ email: "second.admin@example.com", role: "customer_admin", status: "Activated", joined_time: "2025-01-01T00:00:00Z" }));

        it("demotes an Admin once the token's user is known, and refuses, saying what to set, while it is not", async () => {
            const unknown = companyTokenCurrent !== "answered";
            if (unknown) {
                const said =
                    companyTokenCurrent === "refused"
                        ? "GET /ratings/v1/users/current answered 403 (as Bitsight may for a company API token), and nothing else names the token's user."
                        : "GET /ratings/v1/users/current does not name the user, and it does not say when its user joined either.";
                await assert.rejects(deleteUser(makeContext(env.conn), SEEDED.alice, alice), {
                    message:
                        `Refusing to delete alice@example.com (${SEEDED.alice}): it is an Admin, and the change might lock the API token out. ` +
                        `Cannot tell which Bitsight user the API token belongs to: ${said} ` +
                        "Set it: `pulumi config set bitsight:tokenUser <email of the token's user>` (or the BITSIGHT_TOKEN_USER environment variable; for a company API token, the token user's email as `bitsight-users export` lists it). Nothing was changed.",
                });
                assert.deepEqual(env.emu.writes(), []);
            }
            const ctx = makeContext(unknown ? { ...env.conn, tokenUser: "api-token@example.com" } : env.conn);
            await deleteUser(ctx, SEEDED.alice, alice);
            assert.equal(env.emu.account.users.has(SEEDED.alice), false);
            const how = unknown ? "bitsight:tokenUser" : "matched";
            await assert.rejects(deleteUser(ctx, SEEDED.tokenUser, { email: "api-token@example.com" }), new RegExp(`it is the user the API token belongs to \\(${how}\\)`));
            assert.ok(env.emu.account.users.has(SEEDED.tokenUser));
        });

        it("a bitsight:tokenUser the account does not hold is refused, whatever /v1/users/current says", async () => {
            await assert.rejects(deleteUser(makeContext({ ...env.conn, tokenUser: "nobody@example.com" }), SEEDED.alice, alice), /bitsight:tokenUser is nobody@example\.com, but the account has no user with that email\./);
            assert.deepEqual(env.emu.writes(), []);
        });
    });

    describe("when /v1/users/current names no user and several users match it (documented shape)", () => {
        const env = useEmulator({ currentUser: "documented" });
        let twin: StoredUser;
        beforeEach(() => {
            // Same joined second, same group, same role as the token's user: the match is ambiguous.
            twin = env.emu.account.addUser({ email: "twin@example.com", role: "customer_admin", status: "Activated", is_company_api_token: true, joined_time: "2024-01-10T08:00:00.5Z", group: GROUPS.all.guid });
            env.emu.account.addUser({ email: "second.admin@example.com", role: "customer_admin", status: "Activated" });
        });

        it("refuses, and says exactly what to set", async () => {
            await assert.rejects(deleteUser(makeContext(env.conn), SEEDED.alice, alice), {
                message:
                    `Refusing to delete alice@example.com (${SEEDED.alice}): it is an Admin, and the change might lock the API token out. ` +
                    "Cannot tell which Bitsight user the API token belongs to: GET /ratings/v1/users/current does not name the user, and 2 users (api-token@example.com, twin@example.com) of the account joined at 2024-01-10T08:00:00Z with the same group and roles. " +
                    "Set it: `pulumi config set bitsight:tokenUser <email of the token's user>` (or the BITSIGHT_TOKEN_USER environment variable; for a company API token, the token user's email as `bitsight-users export` lists it). Nothing was changed.",
            });
            assert.deepEqual(env.emu.writes(), []);
        });

        it("goes ahead once bitsight:tokenUser names the token's user, and still protects that user", async () => {
            const ctx = makeContext({ ...env.conn, tokenUser: "API-Token@example.com" });
            await deleteUser(ctx, SEEDED.alice, alice);
            assert.equal(env.emu.account.users.has(SEEDED.alice), false);
            await assert.rejects(deleteUser(ctx, SEEDED.tokenUser, { email: "api-token@example.com" }), /it is the user the API token belongs to \(bitsight:tokenUser\)/);
            assert.ok(env.emu.account.users.has(twin.guid));
        });
    });

    describe("across processes (two runs at the same moment)", () => {
        const env = useEmulator({ currentUser: "identified", patchRoles: "replace" });

        it("never lets two runs remove the last two Admins between them", async () => {
            const second = env.emu.account.addUser({ email: "second.admin@example.com", role: "customer_admin", status: "Activated" });
            // Both runs pass their first check before either changes anything: hold the first
            // two listings of active Admins until both have arrived.
            let arrived = 0;
            let open: () => void = () => undefined;
            const both = new Promise<void>((resolve) => (open = resolve));
            env.emu.gate = async () => {
                const last = env.emu.log.at(-1);
                if (last && `${last.method} ${last.path}` === "GET /ratings/v2/users" && last.query.some(([k]) => k === "roles.slug") && arrived < 2) {
                    if (++arrived === 2) open();
                    await both;
                }
            };
            const [a, b] = [makeContext(env.conn), makeContext(env.conn)];
            const results = await Promise.allSettled([deleteUser(a, SEEDED.alice, alice), deleteUser(b, second.guid, { ...alice, email: second.email })]);
            assert.equal(arrived, 2, "both runs checked before either acted");
            assert.ok(activeAdmins(env.emu.account).length >= 1, `active Admins left: ${activeAdmins(env.emu.account).join(", ")}`);
            const refused = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
            assert.ok(refused.length >= 1);
            for (const r of refused) {
                assert.match(r.reason.message, /once its role was lowered, the account had no other Activated Admin \(another run or a person removed one at the same moment\), so its role customer_admin was given back\./);
            }
        });
    });

    describe("when a step of removing an Admin fails", () => {
        const env = useEmulator();
        beforeEach(() => env.emu.account.addUser({ email: "second.admin@example.com", role: "customer_admin", status: "Activated" }));

        it("says so when lowering the role fails, and deletes nothing", async () => {
            env.emu.inject({ method: "PATCH", reply: { status: 403, body: { detail: "Not allowed." } } });
            await assert.rejects(deleteUser(makeContext(env.conn), SEEDED.alice, alice), {
                message: `Could not delete alice@example.com (${SEEDED.alice}): lowering its role to customer_user first, as the guards do for an Admin, failed: Bitsight API answered 403 Forbidden (the API token's user lacks the permission) to PATCH /ratings/v2/users/${SEEDED.alice}: Not allowed.`,
            });
            assert.deepEqual(env.emu.account.users.get(SEEDED.alice)!.roles, ["customer_admin"]);
        });

        it("gives the Admin role back when the delete after it fails", async () => {
            env.emu.inject({ method: "DELETE", reply: { status: 403, body: { detail: "Not allowed." } } });
            await assert.rejects(deleteUser(makeContext(env.conn), SEEDED.alice, alice), {
                message: /^Deleting alice@example\.com \(.*\) failed after its Admin role was lowered; its role customer_admin was given back\. Bitsight API answered 403/,
            });
            assert.deepEqual(env.emu.account.users.get(SEEDED.alice)!.roles, ["customer_admin"]);
        });
    });

    describe("when the API keeps the Admin role on a PATCH to another (patchRoles: add)", () => {
        const env = useEmulator({ patchRoles: "add" });

        it("still deletes an Admin while another Activated Admin remains", async () => {
            env.emu.account.addUser({ email: "second.admin@example.com", role: "customer_admin", status: "Activated" });
            await deleteUser(makeContext(env.conn), SEEDED.alice, alice);
            assert.equal(env.emu.account.users.has(SEEDED.alice), false);
        });
    });
});
