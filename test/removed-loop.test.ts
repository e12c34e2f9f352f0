// A removal that stays removed: the users file's `removed:` entries, through the loop a
// team runs. plan shows what `pulumi up` will do, the SDK's host applies it, plan and pull
// are quiet after it, and a grant made in the UI to a demoted user is caught, then undone.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { usersFromFile } from "../provider/program/users-file-resources";
import { REMOVED_USER_TYPE as REMOVED_TYPE } from "../provider/resource/removed-user";
import { USER_TYPE } from "../provider/model/user-model";
import { seededAccount, SEEDED, SEED_TOKEN } from "./emulator/seed";
import { runCli } from "./helpers/cli";
import { declareOne } from "./helpers/declare";
import { useCliEmulator } from "./helpers/emulator";
import { ProviderHost, urn, type Props } from "./helpers/host";
import { runProgram, serializedProvider } from "./helpers/program";

const KEEPER = `urn:pulumi:test::bitsight-test::${REMOVED_TYPE}::carol@example.com`;
const CAROL = { email: "carol@example.com", formalName: "Carol Vendor", friendlyName: "Carol", role: "customer_portfolio_manager", group: "a0000000-0000-4000-8000-000000000003" };
const ALICE_LINE = "  - { email: alice@example.com, formalName: Alice Admin, friendlyName: Alice, role: customer_admin, isAvailableForContact: true }";
const UNMANAGED = ["unmanaged:", "  - { email: bob@example.com, reason: another team's }", "  - { email: dave.contractor@example.com, reason: another team's }"];

type PlanJson = { inSync: boolean; removed: { email: string; state: string; detail: string | null }[]; warnings: string[]; undeclared: { email: string }[] };

describe("removed: a removal that stays removed", function () {
    this.timeout(60_000);
    const cli = useCliEmulator(seededAccount, "bitsight-removed-");
    let providerText: string;
    before(async () => {
        providerText = await serializedProvider();
    });

    /** A stack export holding these users, as `pulumi stack export` writes it. */
    const stateWith = (users: { id: string; outs: Props }[]) => {
        const file = path.join(cli.dir, "state.json");
        const resources = users.map((u) => ({ urn: `urn:pulumi:prod::users::${USER_TYPE}::${String(u.outs["email"])}`, type: USER_TYPE, id: u.id, outputs: u.outs }));
        fs.writeFileSync(file, JSON.stringify({ deployment: { resources } }));
        return file;
    };
    const plan = async (lines: string[], state?: string) => {
        const r = await runCli(["plan", cli.file(lines), "--format", "json", ...(state ? ["--state", state] : [])], cli.api());
        assert.ok(r.code === 0 || r.code === 2, r.stderr);
        return { code: r.code, plan: JSON.parse(r.stdout) as PlanJson };
    };
    const removedCarol = ["removed:", "  - { email: carol@example.com, onDelete: demote, reason: \"moved to finance, SEC-214\" }"];

    it("a user whose state recorded onDelete: delete, now kept demoted by the file, is demoted by the engine's delete, never deleted", async () => {
        // As the engine runs a merge that adds onDelete: demote and expires: (or removed:) in one
        // change: the BitsightRemovedUser is created, then the BitsightUser deleted last, with
        // the onDelete its state recorded.
        const host = await ProviderHost.start();
        try {
            await host.configure({ "bitsight:apiToken": SEED_TOKEN, "bitsight:apiUrl": cli.emu.url });
            const carol = await declareOne(host, { ...CAROL, adopt: true, onDelete: "delete" }, providerText);
            const { inputs } = await host.check(KEEPER, {}, { email: CAROL.email, keep: "demoted", __provider: providerText });
            await host.create(KEEPER, inputs);
            cli.emu.clearLog();
            await host.delete(urn(CAROL.email), carol.id, carol.outs);
            assert.deepEqual(cli.emu.account.users.get(SEEDED.carol)?.roles, ["customer_user"], "still in the account, demoted");
            assert.deepEqual(cli.emu.writes(), [], "demoted already: nothing sent");
        } finally {
            await host.stop();
        }
    });

    it("planned, applied, quiet; a UI grant to the removed user caught, and undone by the next apply with refresh", async () => {
        const host = await ProviderHost.start();
        try {
            await host.configure({ "bitsight:apiToken": SEED_TOKEN, "bitsight:apiUrl": cli.emu.url });
            const alice = await declareOne(host, { email: "alice@example.com", formalName: "Alice Admin", friendlyName: "Alice", role: "customer_admin", isAvailableForContact: true, adopt: true }, providerText);
            const carol = await declareOne(host, { ...CAROL, adopt: true, onDelete: "demote" }, providerText);

            // The pull request: Carol moves from users: to removed:.
            const file = ["users:", ALICE_LINE, ...UNMANAGED, ...removedCarol];
            const planned = await plan(file, stateWith([alice, carol]));
            assert.equal(planned.code, 2);
            assert.deepEqual(planned.plan.removed, [{ email: "carol@example.com", onDelete: "demote", reason: "moved to finance, SEC-214", state: "to-demote", detail: "holds customer_portfolio_manager" }]);
            const text = await runCli(["plan", cli.file(file), "--state", stateWith([alice, carol])], cli.api());
            assert.match(text.stdout, /Removed on purpose \(removed:\) \(1\):\n {2}- carol@example\.com {2}onDelete demote: pulumi up demotes it to customer_user \(holds customer_portfolio_manager\)\n {6}reason: moved to finance, SEC-214\n/);

            // The merge. The program declares Carol a BitsightRemovedUser, on a provider of its own.
            const regs = await runProgram(async () => {
                const declared = await usersFromFile(cli.file(file));
                return [...declared.users, ...declared.removedUsers];
            }, { "bitsight:apiToken": SEED_TOKEN, "bitsight:apiUrl": cli.emu.url });
            const kept = regs.find((r) => r.type === REMOVED_TYPE)!;
            assert.deepEqual([kept.name, kept.inputs["email"], kept.inputs["keep"]], ["carol@example.com", "carol@example.com", "demoted"]);
            assert.notEqual(kept.inputs["__provider"], providerText, "a provider of its own");
            assert.match(String(kept.inputs["__provider"]), /removedUserProvider/);
            // The engine creates it (which demotes her), then deletes the BitsightUser with the onDelete its state recorded (nothing left to do).
            cli.emu.clearLog();
            const checked = await host.check(KEEPER, {}, kept.inputs as Props);
            assert.deepEqual(checked.failures, []);
            const keeper = await host.create(KEEPER, checked.inputs);
            await host.delete(urn(CAROL.email), carol.id, carol.outs);
            assert.deepEqual(cli.emu.account.users.get(SEEDED.carol)!.roles, ["customer_user"]);
            assert.deepEqual(cli.emu.writes().map((w) => `${w.method} ${w.path}`), [`PATCH /ratings/v2/users/${SEEDED.carol}`]);
            assert.deepEqual([keeper.id, keeper.outs["demoted"], keeper.outs["holds"]], [SEEDED.carol, true, "customer_user"]);

            // Applied: quiet, with the stack's state or without it; pull proposes nothing back.
            for (const state of [stateWith([alice]), undefined]) {
                const after = await plan(file, state);
                assert.deepEqual([after.code, after.plan.inSync, after.plan.removed[0]!.state], [0, true, "done"], JSON.stringify(after.plan));
                assert.deepEqual(after.plan.undeclared, []);
            }
            const pullFile = cli.file(file);
            const pulled = await runCli(["pull", pullFile, "--include-undeclared"], cli.api());
            assert.equal(pulled.code, 0, pulled.stderr);
            assert.doesNotMatch(fs.readFileSync(pullFile, "utf8"), /adopt: true/);

            // Someone makes Carol an Admin again in the UI: a difference, with what happens next.
            cli.emu.account.users.get(SEEDED.carol)!.roles = ["customer_admin"];
            const caught = await plan(file, stateWith([alice]));
            assert.equal(caught.code, 2);
            assert.equal(caught.plan.removed[0]!.state, "changed");
            assert.equal(caught.plan.removed[0]!.detail, "holds customer_admin, where onDelete: demote leaves it customer_user: the next pulumi up --refresh (a merge, or a run by hand) demotes it again");
            // The next apply with refresh: the read finds the grant, the diff is an update, the update demotes her again.
            const refreshed = await host.read(KEEPER, keeper.id, keeper.outs);
            assert.deepEqual([refreshed.props["demoted"], refreshed.props["holds"]], [false, "customer_admin"]);
            assert.equal((await host.diff(KEEPER, keeper.id, refreshed.props, checked.inputs)).changes, "some");
            cli.emu.clearLog();
            const outs = await host.update(KEEPER, keeper.id, refreshed.props, checked.inputs);
            assert.deepEqual([outs["demoted"], cli.emu.account.users.get(SEEDED.carol)!.roles], [true, ["customer_user"]]);
            assert.deepEqual(cli.emu.writes().map((w) => `${w.method} ${w.path}`), [`PATCH /ratings/v2/users/${SEEDED.carol}`]);
            assert.equal((await host.diff(KEEPER, keeper.id, outs, checked.inputs)).changes, "none");
            assert.equal((await plan(file, stateWith([alice]))).plan.removed[0]!.state, "done");
            // Taking the entry out of the file stops keeping her: the delete changes nothing.
            cli.emu.clearLog();
            await host.delete(KEEPER, keeper.id, outs);
            assert.deepEqual(cli.emu.writes(), []);
        } finally {
            await host.stop();
        }
    });

    it("the program keeps demoted the users the file demoted on purpose that the account holds; an expired one is deleted, never kept", async () => {
        const file = cli.file([
            "users:",
            ALICE_LINE,
            "  - { email: bob@example.com, formalName: Bob Analyst, role: customer_user, group: Security Operations, onDelete: delete, expires: 2026-01-31 }",
            "unmanaged:",
            "  - { email: dave.contractor@example.com, reason: another team's }",
            ...removedCarol,
            "  - { email: gone@example.com, onDelete: demote, reason: left in 2025 }",
            "  - { email: old@example.com, onDelete: delete, reason: left in 2024 }",
        ]);
        const program = async () => {
            const declared = await usersFromFile(file);
            return [...declared.users, ...declared.removedUsers];
        };
        const kept = (regs: { type: string; name: string }[]) => regs.filter((r) => r.type === REMOVED_TYPE).map((r) => r.name);
        // gone@example.com is not in the account: keeping it would mean creating it.
        assert.deepEqual(kept(await runProgram(program, { "bitsight:apiToken": SEED_TOKEN, "bitsight:apiUrl": cli.emu.url })), ["carol@example.com"]);
    });

    // Through BitsightUser's provider, as a state written by 0.1 (one provider for both kinds) calls it: routed by `keep`.
    it("keeping a user demoted obeys the lockout guards, and one the account does not hold is an error that writes nothing", async () => {
        const host = await ProviderHost.start();
        try {
            await host.configure({ "bitsight:apiToken": SEED_TOKEN, "bitsight:apiUrl": cli.emu.url });
            const keep = async (email: string) => {
                const name = `urn:pulumi:test::bitsight-test::${REMOVED_TYPE}::${email}`;
                const { inputs } = await host.check(name, {}, { email, keep: "demoted", __provider: providerText });
                return host.create(name, inputs);
            };
            cli.emu.account.users.get(SEEDED.bob)!.features["\x1b[2Jx"] = { value: true, can_update: true };
            cli.emu.clearLog();
            await assert.rejects(keep("alice@example.com"), /Refusing to demote alice@example\.com \(b0000000-0000-4000-8000-000000000002\) to customer_user: it is the last Activated Admin of the account/);
            await assert.rejects(keep("gone@example.com"), /gone@example\.com is to be kept demoted \(removed:, with onDelete: demote\), but the account has no user with that email: nothing was changed\. Remove the entry\./);
            assert.deepEqual(cli.emu.writes(), []);
            // What the state shows of the account is escaped: a preview prints it.
            const read = await host.read(`urn:pulumi:test::bitsight-test::${REMOVED_TYPE}::bob@example.com`, SEEDED.bob, { email: "bob@example.com", keep: "demoted", __provider: providerText });
            assert.deepEqual([read.props["demoted"], read.props["holds"]], [false, "customer_user; features on: \\x1b[2Jx"]);
        } finally {
            await host.stop();
        }
    });

    it("an entry whose user is gone can go, and is not a difference", async () => {
        const { code, plan: p } = await plan(["users:", ALICE_LINE, "  - { email: carol@example.com, formalName: Carol Vendor, friendlyName: Carol, role: customer_portfolio_manager, group: Vendor Risk }", ...UNMANAGED, "removed:", "  - { email: gone@example.com, onDelete: delete, reason: left in 2025 }"]);
        assert.deepEqual([code, p.removed[0]!.state], [0, "gone"]);
    });

    it("plan --state names a managed user the file drops without a removed: entry, and what to add", async () => {
        const managed = [
            { id: SEEDED.alice, outs: { email: "alice@example.com", onDelete: "delete" } },
            { id: SEEDED.carol, outs: { email: "carol@example.com", onDelete: "demote" } },
        ];
        const { plan: p } = await plan(["users:", ALICE_LINE, ...UNMANAGED], stateWith(managed));
        assert.deepEqual(p.warnings, [
            "carol@example.com is dropped from the file without a removed: entry: add `- { email: carol@example.com, onDelete: demote, reason: <why> }` under removed:, so that pull never proposes it back and plan checks what is left of it",
        ]);
    });

    it("an entry, or an expiry, that says another onDelete than the stack recorded is blocked in plan, and refused by the program before anything registers", async () => {
        const managed = [{ id: SEEDED.carol, outs: { email: "carol@example.com", onDelete: "delete" } }];
        const { plan: p } = await plan(["users:", ALICE_LINE, ...UNMANAGED, ...removedCarol], stateWith(managed));
        assert.equal(p.removed[0]!.state, "blocked");
        assert.equal(
            p.removed[0]!.detail,
            "the stack recorded onDelete: delete for carol@example.com, and pulumi up applies what the stack recorded, not the file's onDelete: demote. To apply the file's, declare carol@example.com again under users: with onDelete: demote, apply, then move it to removed:",
        );
        const run = async (lines: string[], outputs: Record<string, unknown>) => {
            const registered: { name: string }[] = [];
            const file = cli.file(lines);
            const failed = await runProgram(async () => (await usersFromFile(file)).users, { "bitsight:apiToken": SEED_TOKEN, "bitsight:apiUrl": cli.emu.url }, undefined, registered as never, outputs).then(
                () => assert.fail("the program ran"),
                (err: Error) => err.message,
            );
            assert.deepEqual(registered, []);
            return failed;
        };
        assert.match(
            await run(["users:", ALICE_LINE, ...removedCarol], { userCount: 2, deletableUsers: ["alice@example.com", "carol@example.com"], demotableUsers: [] }),
            /users\.yaml: carol@example\.com's access was removed, but the stack recorded onDelete: delete for carol@example\.com, and pulumi up applies what the stack recorded, not the file's onDelete: demote\. .* Nothing was changed\.$/,
        );
        // An expiry recorded as demote would keep the login: refused, with the way to apply it.
        const bobExpired = "  - { email: bob@example.com, formalName: Bob Analyst, role: customer_user, group: Security Operations, onDelete: delete, expires: 2026-01-31 }";
        assert.match(
            await run(["users:", ALICE_LINE, bobExpired], { userCount: 2, deletableUsers: ["alice@example.com"], demotableUsers: ["bob@example.com"] }),
            /users\.yaml: bob@example\.com's access expired, but the stack recorded onDelete: demote for bob@example\.com, .* To apply the file's, set bob@example\.com's expires: to a later day, apply \(the stack then records onDelete: delete\), then set the date back\. Nothing was changed\.$/,
        );
    });
});
