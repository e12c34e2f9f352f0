// The provider against the API as its reference pages show it (users holding several
// roles, features with can_update false, answers checked field by field), and under each
// plausible behaviour where the pages are silent (how PATCH treats a second role, whether
// the email filter and the email_q search compare case).
import { strict as assert } from "assert";
import { checkUser } from "../provider/resource/check";
import { renderExport } from "../provider/usersfile/export";
import { computePlan } from "../provider/cli/plan/decide";
import { resolveGroups } from "../provider/usersfile/groups";
import { parseUsersFile } from "../provider/usersfile/parse";
import { makeContext, type Context } from "../provider/account/context";
import { createUser } from "../provider/resource/create";
import { provider as hooks } from "../provider/resource/hooks";
import { readUser } from "../provider/resource/read";
import type { UserOutputs } from "../provider/model/user-model";
import { updateUser } from "../provider/resource/update";
import { GROUPS, SEEDED } from "./emulator/seed";
import { useEmulator } from "./helpers/emulator";
import { underEach } from "./helpers/quirks";

const bobDeclared = { email: "bob@example.com", formalName: "Bob Analyst", friendlyName: "Bob", role: "customer_user" };

describe("the documented API, and each behaviour it leaves open", () => {
    describe("a user who holds several roles", () => {
        underEach("patchRoles", (patchRoles) => {
            const env = useEmulator({ patchRoles });
            let ctx: Context;
            const stateOf = async (roles: string[]): Promise<UserOutputs> => {
                env.emu.account.users.get(SEEDED.bob)!.roles = roles;
                const olds = (await readUser(ctx, SEEDED.bob, { email: "bob@example.com", role: "customer_user", adopt: false, onDelete: "delete" })).props!;
                env.emu.clearLog();
                return olds;
            };
            beforeEach(() => (ctx = makeContext(env.conn)));

            it("a VRM role beside the platform role is shown, and never a difference", async () => {
                const olds = await stateOf(["customer_user", "vrm_view_only"]);
                assert.equal(olds.role, "customer_user");
                assert.equal(olds.otherRoles, "vrm_view_only");
                assert.equal((await hooks.diff(SEEDED.bob, olds, checkUser(bobDeclared).inputs)).changes, false);
            });

            it("two platform roles are PATCHed to the declared one; a role Bitsight keeps is an error saying what to do, not a silent perpetual diff", async () => {
                const olds = await stateOf(["customer_user", "customer_portfolio_manager"]);
                assert.equal((await hooks.diff(SEEDED.bob, olds, checkUser(bobDeclared).inputs)).changes, true, "access nobody declared");
                const news = checkUser({ ...bobDeclared, adopt: false }).inputs;
                if (patchRoles === "add") {
                    await assert.rejects(updateUser(ctx, SEEDED.bob, olds, news), (err: Error & { id?: string }) => {
                        assert.equal(
                            err.message,
                            `Bitsight updated user bob@example.com (${SEEDED.bob}) but did not apply role: "customer_user,customer_portfolio_manager" -> "customer_user". ` +
                                "The user holds customer_user but Bitsight kept its other role (customer_portfolio_manager): the API sets one role per request and did not remove the others. " +
                                "Remove it in the Bitsight UI, or declare the role Bitsight keeps.",
                        );
                        assert.equal(err.id, SEEDED.bob, "the state keeps what the account has");
                        return true;
                    });
                } else {
                    assert.equal((await updateUser(ctx, SEEDED.bob, olds, news)).role, "customer_user");
                    assert.deepEqual(env.emu.account.users.get(SEEDED.bob)!.roles, ["customer_user"]);
                }
                assert.deepEqual(
                    env.emu.writes().map((w) => w.body),
                    [{ roles: [{ slug: "customer_user" }] }],
                );
            });

            it("changing the platform role never silently takes the VRM role away", async () => {
                const olds = await stateOf(["customer_user", "vrm_view_only"]);
                const news = checkUser({ ...bobDeclared, role: "customer_portfolio_manager", adopt: false }).inputs;
                const updated = updateUser(ctx, SEEDED.bob, olds, news);
                const held = () => env.emu.account.users.get(SEEDED.bob)!.roles;
                if (patchRoles === "perProduct") {
                    assert.equal((await updated).otherRoles, "vrm_view_only");
                    assert.deepEqual(held(), ["customer_portfolio_manager", "vrm_view_only"]);
                } else if (patchRoles === "replace") {
                    await assert.rejects(updated, { message: /and the write also took away the role vrm_view_only, which the declaration does not govern .* Give it back there\.$/ });
                } else {
                    await assert.rejects(updated, { message: /Bitsight kept its other role \(customer_user\)/ });
                }
            });
        });

        const env = useEmulator();
        it("with two platform roles or none, is exported under `unmanaged:` with the reason (a users file declares one), so plan does not count it", () => {
            const users = [...env.emu.account.users.values()];
            env.emu.account.users.get(SEEDED.bob)!.roles = ["customer_admin", "customer_user"];
            env.emu.account.users.get(SEEDED.dave)!.roles = [];
            // A VRM role beside the platform role is exported as the platform role.
            env.emu.account.users.get(SEEDED.carol)!.roles = ["customer_portfolio_manager", "vrm_admin"];
            const { text } = renderExport(
                users.map((u) => env.emu.account.toApi(u)) as never,
                { groups: Object.values(GROUPS) },
                { adopt: true, schemaPath: "schema.json", source: "emulator" },
            );
            const parsed = parseUsersFile(text, "exported.yaml");
            assert.ok(!parsed.users.some((u) => /^(bob|dave)/.test(u.args.email)), "bob and dave are not declared");
            assert.match(
                text,
                /\nunmanaged:\n {2}- email: bob@example\.com\n {4}reason: "holds 2 roles \(customer_admin,customer_user\); a users file declares one platform role: decide which, then move the user to users:"\n {2}- email: dave\.contractor@example\.com\n {4}reason: "holds no role; a users file declares one platform role: decide which, then move the user to users:"\n/,
            );
            assert.match(text, /email: alice@example\.com/);
            assert.equal(parsed.users.find((u) => u.args.email === "carol@example.com")?.args.role, "customer_portfolio_manager");
            const unmanaged = parsed.unmanaged.map((u) => ({ ...u, line: 1 }));
            const apiUsers = users.map((u) => env.emu.account.toApi(u)) as never;
            const plan = computePlan({ file: "exported.yaml", declared: resolveGroups(parsed, { groups: Object.values(GROUPS) }), account: apiUsers, groups: { groups: Object.values(GROUPS) }, unmanaged });
            assert.deepEqual([plan.inSync, plan.unmanaged.map((u) => u.email)], [true, ["bob@example.com", "dave.contractor@example.com"]]);
        });
    });

    describe("answers checked field by field", () => {
        const env = useEmulator();
        const bobWith = (change: (u: Record<string, unknown>) => void) => {
            const u = env.emu.account.toApi(env.emu.account.users.get(SEEDED.bob)!);
            change(u);
            return u;
        };
        const read = () => readUser(makeContext(env.conn), SEEDED.bob, { email: "bob@example.com", isAvailableForContact: false, adopt: false, onDelete: "delete" });

        const cases: [string, (u: Record<string, unknown>) => void, string][] = [
            ["a missing contact flag", (u) => delete u["is_available_for_contact"], "`is_available_for_contact` missing; expected true or false"],
            ["a contact flag given as text", (u) => (u["is_available_for_contact"] = "false"), '`is_available_for_contact` string "false"; expected true or false'],
            ["a missing status", (u) => delete u["status"], "`status` missing; expected a non-empty string"],
            ["a missing name", (u) => delete u["formal_name"], "`formal_name` missing; expected a string"],
            ["a role without a slug", (u) => (u["roles"] = [{ name: "User" }]), "`roles[0].slug` missing; expected a role slug"],
            ["no features list", (u) => delete u["features"], "`features` missing; expected a list of {slug, value, can_update}"],
        ];
        for (const [what, change, said] of cases) {
            it(`refuses ${what}, naming the field and the request`, async () => {
                env.emu.inject({ path: `/ratings/v2/users/${SEEDED.bob}`, reply: { status: 200, body: bobWith(change) } });
                await assert.rejects(read(), {
                    name: "UnexpectedResponseError",
                    message: `GET /ratings/v2/users/${SEEDED.bob} answered user ${SEEDED.bob} (bob@example.com) with ${said}. The provider does not guess a value it would then write back; nothing was changed.`,
                });
            });
        }

        it("refuses to adopt a user whose answer lacks a managed field, before any write", async () => {
            env.emu.inject({ path: "/ratings/v2/users", reply: { status: 200, body: { links: { next: null }, count: 1, results: [bobWith((u) => delete u["is_company_api_token"])] } } });
            await assert.rejects(createUser(makeContext(env.conn), checkUser({ ...bobDeclared, adopt: true }).inputs), /`is_company_api_token` missing/);
            assert.deepEqual(env.emu.writes(), []);
        });

        it("keeps a feature it does not manage out of the way when it is odd", async () => {
            env.emu.inject({ path: `/ratings/v2/users/${SEEDED.bob}`, reply: { status: 200, body: bobWith((u) => (u["features"] = [{ slug: "beta-x", value: "on" }])) } });
            assert.equal((await read()).props!.formalName, "Bob Analyst");
        });
    });

    describe("a feature the account says the user cannot change (can_update: false)", () => {
        const env = useEmulator();
        beforeEach(() => (env.emu.account.users.get(SEEDED.bob)!.features["fq-access"] = { value: false, can_update: false }));
        const SAID =
            'features.fq-access: declared true but Bitsight has false, and Bitsight does not let this user\'s feature be changed (can_update: false). Declare the value the account has, or leave it out of `features`. Nothing was changed.';

        it("is a difference in the preview (diff), which update refuses before any write", async () => {
            const olds = (await readUser(makeContext(env.conn), SEEDED.bob, { email: "bob@example.com", features: { "fq-access": false }, adopt: false, onDelete: "delete" })).props!;
            assert.deepEqual(olds.lockedFeatures, ["fq-access"]);
            const locked = checkUser({ ...bobDeclared, features: { "fq-access": true } }).inputs;
            assert.equal((await hooks.diff(SEEDED.bob, olds, locked)).changes, true);
            await assert.rejects(updateUser(makeContext(env.conn), SEEDED.bob, olds, locked), { message: `bob@example.com: ${SAID}` });
            const same = await hooks.diff(SEEDED.bob, olds, checkUser({ ...bobDeclared, features: { "fq-access": false } }).inputs);
            assert.equal(same.changes, false, "declaring the value it has is fine");
            assert.deepEqual(env.emu.writes(), []);
        });

        it("refuses to adopt into it, before any write", async () => {
            await assert.rejects(createUser(makeContext(env.conn), checkUser({ ...bobDeclared, features: { "fq-access": true }, adopt: true }).inputs), {
                message: `Cannot adopt bob@example.com: ${SAID}`,
            });
            assert.deepEqual(env.emu.writes(), []);
        });

        it("is reported by plan as a change that cannot be applied", () => {
            const account = [...env.emu.account.users.values()].map((u) => env.emu.account.toApi(u)) as never;
            const declared = [{ args: { ...bobDeclared, group: GROUPS.secops.guid, features: { "fq-access": true } }, formerEmails: [] }] as never;
            const plan = computePlan({ file: "u.yaml", declared, account, groups: { groups: Object.values(GROUPS) } });
            assert.deepEqual(plan.change[0]!.blocked, [SAID]);
            assert.equal(plan.inSync, false);
        });
    });

    describe("an email that differs only in case from the one in the account", () => {
        underEach("emailFilter", (emailFilter) => {
            underEach("emailSearch", (emailSearch) => {
                const env = useEmulator({ emailFilter, emailSearch });
                beforeEach(() => (env.emu.account.users.get(SEEDED.bob)!.email = "Bob@Example.com"));
                const bobs = () => [...env.emu.account.users.values()].filter((u) => u.email.toLowerCase() === "bob@example.com").length;

                it("gets the adopt hint, never a duplicate or a bare 400", async () => {
                    await assert.rejects(createUser(makeContext(env.conn), checkUser(bobDeclared).inputs), {
                        message: new RegExp(`^A Bitsight user with the email Bob@Example\\.com already exists \\(guid ${SEEDED.bob}, role customer_user, status Activated\\)\\. To manage it with Pulumi, set \`adopt: true\``),
                    });
                    assert.equal(bobs(), 1);
                    // Only where both look-ups compare case does the POST go out, and Bitsight refuses it.
                    const posts = env.emu.writes().filter((w) => w.method === "POST").length;
                    assert.equal(posts, emailFilter === "exact" && emailSearch === "caseSensitive" ? 1 : 0);
                });

                it("is adopted with adopt: true", async () => {
                    const { id } = await createUser(makeContext(env.conn), checkUser({ ...bobDeclared, adopt: true }).inputs);
                    assert.equal(id, SEEDED.bob);
                    assert.equal(bobs(), 1);
                });
            });
        });
    });
});
