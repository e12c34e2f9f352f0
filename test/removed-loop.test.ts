// A removal that stays removed: the users file's `removed:` entries, through the loop a
// team runs. plan shows what `pulumi up` will do, the SDK's host applies it, plan and pull
// are quiet after it, and a change made in the UI to the removed user is caught.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { usersFromFile } from "../provider/program/users-file-resources";
import { USER_TYPE } from "../provider/user-model";
import { seededAccount, SEEDED, SEED_TOKEN } from "./emulator/seed";
import { runCli } from "./helpers/cli";
import { declareOne } from "./helpers/declare";
import { useCliEmulator } from "./helpers/emulator";
import { ProviderHost, urn, type Props } from "./helpers/host";
import { runProgram, serializedProvider } from "./helpers/program";

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

    it("planned, applied, quiet, and a UI change to the removed user caught", async () => {
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

            // The merge: the engine deletes the resource, with the onDelete its state recorded.
            await host.delete(urn(CAROL.email), carol.id, carol.outs);
            assert.deepEqual(cli.emu.account.users.get(SEEDED.carol)!.roles, ["customer_user"]);

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

            // Someone makes Carol an Admin again in the UI: a difference, with what to do.
            cli.emu.account.users.get(SEEDED.carol)!.roles = ["customer_admin"];
            const caught = await plan(file, stateWith([alice]));
            assert.equal(caught.code, 2);
            assert.equal(caught.plan.removed[0]!.state, "changed");
            assert.match(caught.plan.removed[0]!.detail!, /^holds customer_admin, where the entry leaves it customer_user; the stack no longer manages it: demote it again in the Bitsight UI, or declare it under users:$/);
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

    it("an entry that says another onDelete than the stack recorded is blocked in plan, and refused by the program before anything registers", async () => {
        const managed = [{ id: SEEDED.carol, outs: { email: "carol@example.com", onDelete: "delete" } }];
        const { plan: p } = await plan(["users:", ALICE_LINE, ...UNMANAGED, ...removedCarol], stateWith(managed));
        assert.equal(p.removed[0]!.state, "blocked");
        assert.match(p.removed[0]!.detail!, /^the stack recorded onDelete: delete for this user, and pulumi up applies what the stack recorded\. Declare the user again under users: with onDelete: demote, apply, then move it here$/);
        const file = cli.file(["users:", ALICE_LINE, ...removedCarol]);
        const registered: { name: string }[] = [];
        await assert.rejects(
            runProgram(async () => (await usersFromFile(file)).users, { "bitsight:apiToken": SEED_TOKEN, "bitsight:apiUrl": cli.emu.url }, [], registered as never, {
                userCount: 2,
                deletableUsers: ["alice@example.com", "carol@example.com"],
                demotableUsers: [],
            }),
            /removes carol@example\.com with onDelete: demote, but the stack recorded onDelete: delete for it, and that is what pulumi up would do\. Nothing was changed\./,
        );
        assert.deepEqual(registered, []);
    });
});

