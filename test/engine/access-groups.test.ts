// Access groups through `pulumi` itself, on one stack, in order: the groups init wrote are
// adopted with nothing sent; a user naming a group the same change creates lands in it,
// the group made first (the engine's dependency order); a change that would delete a group
// someone is still in is refused before anything of the run is applied; moved out in the
// same change, the user's update comes before the group's delete. The drift job's preview
// then sees nothing to do.
import { strict as assert } from "assert";
import { GROUPS, seededAccount } from "../emulator/seed";
import { BitsightEmulator } from "../emulator/server";
import { type Engine, expectExit, needEngine } from "./engine";
import { exportState, resourcesOf } from "./state";
import { STACK, team, type Team } from "./team";

const GROUP = "pulumi-nodejs:dynamic/bitsight:AccessGroup";
const USERS = "/ratings/v2/users";
const GROUPS_PATH = "/ratings/v1/access-groups";

describe("the real engine: access groups, through pulumi itself", function () {
    this.timeout(300_000);
    let engine: Engine;
    let emu: BitsightEmulator;
    let t: Team;
    let written: string;
    const up = () => engine.pulumi(["up", "--yes", "--skip-preview", "--stack", STACK], t.dir);
    const noDrift = async () => expectExit(await engine.pulumi(["preview", "--refresh", "--expect-no-changes", "--stack", STACK], t.dir), 0);
    const C1 = "f0000000-0000-4000-8000-000000000001";
    const THIRD = `  - name: Third parties\n    reason: vendor analysts (SEC-40)\n    companies: [${C1}]\n`;
    const ERIN = "  - email: erin@example.com\n    formalName: Erin Novak\n    role: customer_user\n    group: Third parties\n    reason: vendor analyst (SEC-40)\n";
    /** The file init wrote, with `edit` applied to the text between `groups:` and the next section. */
    const withGroups = (text: string, edit: (groups: string) => string) => {
        const at = text.indexOf("\ngroups:\n") + 1;
        const end = text.indexOf("\napiTokens:\n", at) + 1;
        assert.ok(at > 0 && end > at, text);
        return text.slice(0, at) + edit(text.slice(at, end)) + text.slice(end);
    };

    before(async () => {
        engine = needEngine();
        emu = await BitsightEmulator.start({ account: seededAccount() });
        t = await team(engine, emu.url);
        written = t.readUsers();
        // init --from-account wrote the account's groups, All Companies aside, before its tokens and users.
        assert.match(written, /\ngroups:\n(?: {2}#.*\n)? {2}- name: Security Operations\n(?: {4}.*\n)*(?: {2}#.*\n)? {2}- name: Vendor Risk\n/);
        assert.doesNotMatch(withGroups(written, (g) => g), /- name: All Companies/);
        expectExit(await up(), 0);
        assert.deepEqual(emu.writes(), [], "the first apply adopts the groups, and everyone");
        assert.deepEqual(resourcesOf(await exportState(engine, t.dir), GROUP).map((r) => [r.outputs["name"], r.outputs["adopted"]]).sort(), [["Security Operations", true], ["Vendor Risk", true]]);
    });
    beforeEach(() => emu.clearLog());
    after(async () => {
        await emu?.stop();
        engine?.remove();
    });

    it("creates a group, with the companies it sees, before the user the same change puts in it", async () => {
        t.writeUsers(withGroups(written, (g) => g + THIRD) + ERIN);
        const preview = await engine.pulumi(["preview", "--stack", STACK], t.dir);
        expectExit(preview, 0);
        assert.match(preview.stdout, /\+ {2}pulumi-nodejs:dynamic\/bitsight:AccessGroup Third parties create/);
        expectExit(await up(), 0);
        const made = emu.account.groups.find((g) => g.name === "Third parties")!;
        assert.deepEqual(
            emu.writes().map((w) => [w.method, w.path]),
            [
                ["POST", GROUPS_PATH],
                ["PUT", `${GROUPS_PATH}/${made.guid}/companies/guids`],
                ["POST", USERS],
            ],
        );
        assert.deepEqual(made.companies, [C1]);
        assert.equal((emu.writes()[2]!.body as { group?: string }).group, made.guid, "the user is created in the new group");
        await noDrift();
    });

    it("refuses a change that would delete a group someone is still in, applying nothing; moved out in the same change, the user goes first", async () => {
        const base = withGroups(written, (g) => g + THIRD) + ERIN;
        const vendorDropped = (text: string) => withGroups(text, (g) => g.replace(/(?: {2}#.*\n)? {2}- name: Vendor Risk\n(?: {4}.*\n)*/, ""));
        const bobPromoted = base.replace("    role: customer_user\n    group: Security Operations\n", "    role: customer_admin\n    group: Security Operations\n    reason: on call lead, SEC-202\n");
        assert.notEqual(bobPromoted, base);
        t.writeUsers(vendorDropped(bobPromoted));
        const refused = await up();
        expectExit(refused, 1);
        assert.match(refused.stdout, /users\.yaml: pulumi up would delete access groups it cannot: "Vendor Risk" would still hold 1 user \(carol@example\.com\): give them another `group:` in the file, or keep the group\. Nothing was applied\./);
        assert.deepEqual(emu.writes(), [], "neither the delete nor bob's promotion");
        const carolMoved = base.replace("    group: Vendor Risk\n", "    group: Third parties\n");
        assert.notEqual(carolMoved, base);
        t.writeUsers(vendorDropped(carolMoved));
        expectExit(await up(), 0);
        const carol = [...emu.account.users.values()].find((u) => u.email === "carol@example.com")!;
        assert.deepEqual(
            emu.writes().map((w) => `${w.method} ${w.path}`),
            [`PATCH ${USERS}/${carol.guid}`, `DELETE ${GROUPS_PATH}/${GROUPS.vendor.guid}`],
        );
        assert.ok(!emu.account.groups.some((g) => g.guid === GROUPS.vendor.guid));
        assert.deepEqual(resourcesOf(await exportState(engine, t.dir), GROUP).map((r) => r.outputs["name"]).sort(), ["Security Operations", "Third parties"]);
        await noDrift();
    });

    it("renames a group in place under formerNames: one PATCH of its name, its users untouched, no create and no delete", async () => {
        const base = t.readUsers();
        const renamed = withGroups(base, (g) => g.replace("  - name: Security Operations\n", "  - name: SecOps\n    formerNames: [Security Operations]\n")).replace("    group: Security Operations\n", "    group: SecOps\n");
        assert.notEqual(renamed, base);
        t.writeUsers(renamed);
        const preview = await engine.pulumi(["preview", "--stack", STACK], t.dir);
        expectExit(preview, 0);
        assert.doesNotMatch(preview.stdout, /AccessGroup \S+ (create|delete|replace)/);
        expectExit(await up(), 0);
        assert.deepEqual(emu.writes().map((w) => [w.method, w.path, w.body]), [["PATCH", `${GROUPS_PATH}/${GROUPS.secops.guid}`, { name: "SecOps" }]]);
        assert.deepEqual(resourcesOf(await exportState(engine, t.dir), GROUP).map((r) => [r.outputs["name"], r.id]).sort(), [["SecOps", GROUPS.secops.guid], ["Third parties", emu.account.groups.find((g) => g.name === "Third parties")!.guid]]);
        await noDrift();
    });
});
