// The users file's own features through `pulumi` itself, on one stack, in order: the
// mass-removal guard reading the stack's last outputs on a file backend, a renamed email
// (formerEmails: an update, never a delete and a create), `mfa: required`, and `removed:`.
import { strict as assert } from "assert";
import { seededAccount, SEEDED } from "../emulator/seed";
import { BitsightEmulator } from "../emulator/server";
import { type Engine, expectExit, needEngine } from "./engine";
import { exportState, resourcesOf, USER } from "./state";
import { STACK, team, type Team } from "./team";
import { REMOVED_USER_TYPE } from "../../provider/resource/removed-user";

describe("the real engine: the users file's features, through pulumi itself", function () {
    this.timeout(300_000);
    let engine: Engine;
    let emu: BitsightEmulator;
    let t: Team;
    const up = (extra: NodeJS.ProcessEnv = {}) => engine.pulumi(["up", "--yes", "--skip-preview", "--stack", STACK], t.dir, extra);
    const edit = (from: string, to: string) => {
        const text = t.readUsers();
        assert.ok(text.includes(from), `users.yaml has no ${JSON.stringify(from)}`);
        t.writeUsers(text.replace(from, to));
    };

    before(async () => {
        engine = needEngine();
        emu = await BitsightEmulator.start({ account: seededAccount() });
        t = await team(engine, emu.url);
        // Deleting is what the guard counts: the file's removals delete, from here on.
        edit("defaults:\n  onDelete: demote\n", "defaults:\n  onDelete: delete\n");
        expectExit(await up(), 0);
    });
    beforeEach(() => emu.clearLog());
    after(async () => {
        await emu?.stop();
        engine?.remove();
    });

    it("the mass-removal guard: a file cut to one user is refused by pulumi up before anything is applied, even with another count allowed", async () => {
        // It reads the stack's last outputs on the file backend (organization/<project>/<stack>);
        // the first up of this new stack, in before(), had none and was let through.
        const whole = t.readUsers();
        t.writeUsers(whole.slice(0, whole.indexOf("  # guid b0000000-0000-4000-8000-000000000003")));
        const r = await up({ BITSIGHT_ALLOW_REMOVALS: "2" });
        expectExit(r, 1);
        assert.match(r.stdout, /users\.yaml would delete 3 of the 4 users this stack manages \(75 %\)/);
        assert.deepEqual(emu.writes(), []);
        assert.equal(resourcesOf(await exportState(engine, t.dir), USER).length, 4, "nothing left the state");
        t.writeUsers(whole);
        expectExit(await engine.pulumi(["preview", "--expect-no-changes", "--stack", STACK], t.dir), 0);
    });

    it("a renamed email listed under formerEmails is one update of the same user, never a delete and a create", async () => {
        edit("  - email: carol@example.com\n", "  - email: carol.vendor@example.com\n    formerEmails: [carol@example.com]\n");
        const preview = await engine.pulumi(["preview", "--stack", STACK], t.dir);
        expectExit(preview, 0);
        assert.match(preview.stdout, /~ {2}pulumi-nodejs:dynamic\/bitsight:User carol\.vendor@example\.com update \[diff: ~email\]/);
        assert.doesNotMatch(preview.stdout, /\bcreate\b|\bdelete\b/);
        expectExit(await up(), 0);
        assert.deepEqual(emu.writes().map((w) => `${w.method} ${w.path}`), [`PATCH /ratings/v2/users/${SEEDED.carol}`]);
        assert.equal(emu.account.users.get(SEEDED.carol)!.email, "carol.vendor@example.com");
        const carol = resourcesOf(await exportState(engine, t.dir), USER).find((r) => r.id === SEEDED.carol)!;
        assert.match(carol.urn, /::carol\.vendor@example\.com$/);
    });

    it("mfa: required asks Bitsight to require 2FA once, and the next preview is clean", async () => {
        edit("    formalName: Bob Analyst\n", "    formalName: Bob Analyst\n    mfa: required\n");
        expectExit(await up(), 0);
        assert.deepEqual(emu.writes().map((w) => `${w.method} ${w.path}`), [`POST /ratings/v2/users/${SEEDED.bob}/require-mfa`]);
        assert.equal(emu.account.users.get(SEEDED.bob)!.mfa_status, "pending");
        expectExit(await engine.pulumi(["preview", "--refresh", "--expect-no-changes", "--stack", STACK], t.dir), 0);
    });

    it("removed: with onDelete demote keeps the user, demoted, as a BitsightRemovedUser in the state", async () => {
        // The stack recorded delete for Dave: first the onDelete, applied, then the removal (the program refuses the two at once).
        edit("    formalName: Dave Contractor\n", "    formalName: Dave Contractor\n    onDelete: demote\n");
        expectExit(await up(), 0);
        const text = t.readUsers();
        const start = text.indexOf("  # guid b0000000-0000-4000-8000-000000000005");
        const end = text.indexOf("    adopt: true\n", start) + "    adopt: true\n".length;
        t.writeUsers(`${text.slice(0, start)}${text.slice(end)}removed:\n  - { email: dave.contractor@example.com, onDelete: demote, reason: "contract ended, SEC-300" }\n`);
        const r = await up();
        expectExit(r, 0);
        assert.ok(emu.account.users.has(SEEDED.dave), "still in the account");
        assert.deepEqual(emu.account.users.get(SEEDED.dave)!.roles, ["customer_user"]);
        const state = await exportState(engine, t.dir);
        assert.deepEqual(resourcesOf(state, REMOVED_USER_TYPE).map((k) => [k.id, k.outputs["demoted"]]), [[SEEDED.dave, true]]);
        assert.ok(!resourcesOf(state, USER).some((u) => u.id === SEEDED.dave));
        expectExit(await engine.pulumi(["preview", "--refresh", "--expect-no-changes", "--stack", STACK], t.dir), 0);
    });
});
