// plan and review with a groups: section, through the CLI against the emulator: a group
// declared but not yet made (with a user who lands in it), a declared flag that differs,
// groups the account has that the file does not declare (with their members), and with
// --state a group the stack manages that leaves the file: deleted once empty, blocked
// while someone would still be in it.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import Ajv from "ajv";
import { loadSchema } from "../provider/package/schema";
import { GROUPS } from "./emulator/seed";
import { runCli } from "./helpers/cli";
import { useCliEmulator } from "./helpers/emulator";

const GROUP_TYPE = "pulumi-nodejs:dynamic/bitsight:AccessGroup";

describe("plan and review: access groups", function () {
    this.timeout(30_000);
    const cli = useCliEmulator();
    const ACK = ["unmanaged:", ...["alice", "bob", "dave.contractor", "api-token"].map((n) => `  - { email: ${n}@example.com, reason: not in this test }`)];
    const CAROL = "  - { email: carol@example.com, formalName: Carol Vendor, role: customer_portfolio_manager, adopt: true, group: Vendor Risk }";
    const ERIN = "  - { email: erin@example.com, formalName: Erin Novak, role: customer_user, group: Third parties }";
    const file = (users: string[], groups: string[]) => cli.file(["users:", ...users, ...ACK, "groups:", ...groups]);
    beforeEach(() => {
        cli.emu.account.groups.push({ guid: "a0000000-0000-4000-8000-000000000009", name: "Red team" });
    });

    it("text: a group to create with who lands in it, a flag to change, undeclared groups with their members; exit 2, read-only", async () => {
        const f = file([CAROL, ERIN], ["  - { name: Third parties, canSetTierScope: false, reason: vendor analysts (SEC-40) }", "  - { name: Security Operations, allowBundledCompanies: true }", "  - { name: All Companies }"]);
        const r = await runCli(["plan", f], cli.api());
        assert.equal(r.code, 2, r.stderr);
        const section = (title: string) => r.stdout.slice(r.stdout.indexOf(title)).split("\n\n")[0]!;
        assert.match(r.stdout, /^ {2}\+ erin@example\.com +customer_user +Third parties \(new group\)$/m);
        assert.equal(section("Access groups to create"), "Access groups to create (1):\n  + Third parties  canSetTierScope: false  1 declared user lands in it\n      reason: vendor analysts (SEC-40)");
        assert.equal(section("Access groups to change"), "Access groups to change (1):\n  ~ Security Operations  (1 user)\n      allowBundledCompanies: false -> true");
        assert.match(section("Access groups in the account"), /^Access groups in the account, not declared in the file \(2\):\n {2}\? Red team +0 users\n {2}\? Vendor Risk +1 user$/);
        assert.match(r.stdout, /^Differences: 1 to create, 1 access group to create, 1 access group to change, 2 access groups not declared; 1 unchanged; 4 acknowledged as unmanaged\.$/m);
        assert.deepEqual(cli.emu.writes(), []);
    });

    it("json, valid against the schema; markdown; a file without the section counts no group as a difference", async () => {
        const f = file([CAROL], ["  - { name: Vendor Risk }", "  - { name: Security Operations }", "  - { name: Red team, reason: pen testers }"]);
        const json = JSON.parse((await runCli(["plan", f, "--format", "json"], cli.api())).stdout) as Record<string, unknown> & { summary: Record<string, number> };
        const validate = new Ajv({ allErrors: true, strict: false }).compile(loadSchema("plan.schema.json"));
        assert.ok(validate(json), JSON.stringify(validate.errors));
        assert.deepEqual([json["groupsDeclared"], json.summary["groupsToCreate"], json.summary["groupsToChange"], json.summary["groupsUndeclared"]], [true, 0, 0, 0], "All Companies is built in: never undeclared");
        assert.equal(json["inSync"], true);
        const md = (await runCli(["plan", file([CAROL, ERIN], ["  - { name: Third parties }"]), "--format", "markdown"], cli.api())).stdout;
        assert.match(md, /^#### Access groups to create \(1\)$/m);
        assert.match(md, /^\| <code>Third parties<\/code> \| - \| 1 \| - \|$/m);
        const without = await runCli(["plan", cli.file(["users:", CAROL, ...ACK]), "--format", "json"], cli.api());
        assert.equal((JSON.parse(without.stdout) as { summary: Record<string, number> }).summary["groupsUndeclared"], 0);
    });

    it("plan --state: a group the stack manages that leaves the file is deleted once empty, blocked while someone stays", async () => {
        const state = path.join(cli.dir, "state.json");
        const resource = (guid: string, name: string) => ({ type: GROUP_TYPE, id: guid, outputs: { name, guid } });
        fs.writeFileSync(state, JSON.stringify({ deployment: { resources: [resource(GROUPS.vendor.guid, "Vendor Risk"), resource("a0000000-0000-4000-8000-000000000009", "Red team")] } }));
        const staying = await runCli(["plan", file([CAROL], ["  - { name: Security Operations }"]), "--state", state], cli.api());
        const section = (out: string) => out.slice(out.indexOf("Access groups to delete")).split("\n\n")[0]!;
        assert.equal(
            section(staying.stdout),
            "Access groups to delete (removed from the file) (2):\n" +
                "  - Red team  0 users now: pulumi up deletes it\n" +
                '  - Vendor Risk  1 user now: pulumi up refuses the run: "Vendor Risk" would still hold 1 user (carol@example.com): give them another `group:` in the file, or keep the group',
        );
        assert.match(staying.stdout, /2 access groups to delete \(refused: still in use\)/);
        const moved = await runCli(["plan", file([CAROL.replace("Vendor Risk", "Security Operations")], ["  - { name: Security Operations }"]), "--state", state], cli.api());
        assert.match(section(moved.stdout), /\n {2}- Vendor Risk {2}1 user now: its users move out first, then pulumi up deletes it$/);
        assert.doesNotMatch(moved.stdout, /refused: still in use/);
    });

    it("review: each group with its members and whether the file declares it; an undeclared one needs attention", async () => {
        const r = await runCli(["review", file([CAROL], ["  - { name: Vendor Risk, reason: vendor analysts }", "  - { name: Security Operations }"]), "--as-of", "2026-12-07"], cli.api());
        assert.equal(r.code, 2);
        assert.match(r.stdout, /^ {2}! Red team \(access group\) +not declared under the file's groups:, holding 0 users: declare it with a reason: \(export --adopt writes it\), or delete it in the Bitsight UI$/m);
        const table = r.stdout.slice(r.stdout.indexOf("Access groups (4):")).split("\n\n")[0]!;
        assert.deepEqual(table.split("\n").slice(1).map((l) => l.trim().split(/ {2,}/)), [
            ["group", "users", "default", "in the file", "reason"],
            ["All Companies", "3", "yes", "built in", "-"],
            ["Red team", "0", "-", "NOT DECLARED", "-"],
            ["Security Operations", "1", "-", "declared", "-"],
            ["Vendor Risk", "1", "-", "declared", "vendor analysts"],
        ]);
        const json = JSON.parse((await runCli(["review", file([CAROL], ["  - { name: Vendor Risk }"]), "--format", "json"], cli.api())).stdout) as Record<string, unknown>;
        const validate = new Ajv({ allErrors: true, strict: false }).compile(loadSchema("review.schema.json"));
        assert.ok(validate(json), JSON.stringify(validate.errors));
        assert.deepEqual((json["summary"] as Record<string, number>)["groupsNeedingAttention"], 2);
    });

    it("export --adopt writes the account's groups but All Companies, the default marked, and names a name two share; plan is then in sync for groups", async () => {
        cli.emu.account.groups.push({ guid: "a0000000-0000-4000-8000-00000000000a", name: "Red team" });
        cli.emu.account.defaultGroup = GROUPS.secops.guid;
        cli.emu.account.groups.find((g) => g.guid === GROUPS.vendor.guid)!.allow_bundled_companies = true;
        const r = await runCli(["export", "--adopt"], cli.api());
        assert.equal(r.code, 1, "one was left out");
        assert.match(r.stderr, /^Not exported: access group Red team \(a0000000-0000-4000-8000-000000000009\): another group has the same name, and the file knows a group by it; rename one in the Bitsight UI$/m);
        const groups = r.stdout.slice(r.stdout.indexOf("groups:\n"), r.stdout.indexOf("apiTokens:\n"));
        assert.equal(
            groups,
            "groups:\n" +
                "  # guid a0000000-0000-4000-8000-000000000002, 1 user; say what it is for with reason:\n  - name: Security Operations\n    isDefault: true\n    allowBundledCompanies: false\n    canSetTierScope: false\n" +
                "  # guid a0000000-0000-4000-8000-000000000003, 1 user; say what it is for with reason:\n  - name: Vendor Risk\n    allowBundledCompanies: true\n    canSetTierScope: false\n",
        );
        cli.emu.account.groups.splice(-1, 1);
        const plan = JSON.parse((await runCli(["plan", cli.file(r.stdout), "--format", "json"], cli.api())).stdout) as { summary: Record<string, number> };
        assert.deepEqual([plan.summary["groupsToCreate"], plan.summary["groupsToChange"], plan.summary["groupsUndeclared"]], [0, 0, 1], "only the group left out is not declared");
    });

    it("pull writes a declared flag changed in the UI, lists a group made there, and with --include-undeclared appends it; plan is then in sync", async () => {
        const f = file([CAROL], ["  - name: Vendor Risk", "    allowBundledCompanies: false", "  - { name: Security Operations }", "  # groups below"]);
        cli.emu.account.groups.find((g) => g.guid === GROUPS.vendor.guid)!.allow_bundled_companies = true;
        const listed = await runCli(["pull", f], cli.api());
        assert.equal(listed.code, 2, listed.stderr);
        assert.match(listed.stdout, /^ {2}access group Vendor Risk: allowBundledCompanies false -> true$/m);
        assert.ok(listed.stdout.endsWith("The account has 1 access group the file does not declare, not written:\n  ? Red team (0 users)\nRun pull --include-undeclared to add them to groups:, or delete them in the Bitsight UI.\n"), listed.stdout);
        const pulled = await runCli(["pull", f, "--include-undeclared"], cli.api());
        assert.equal(pulled.code, 0, pulled.stderr);
        const text = fs.readFileSync(f, "utf8");
        assert.ok(text.includes("  - name: Vendor Risk\n    allowBundledCompanies: true\n  - { name: Security Operations }\n  - name: Red team\n    allowBundledCompanies: false\n    canSetTierScope: false\n  # groups below\n"), text);
        const plan = await runCli(["plan", f], cli.api());
        assert.equal(plan.code, 0, plan.stdout);
    });

    it("plan: the companies a declared group is to see and to stop seeing, asked only for groups that declare them", async () => {
        const [C1, C2, C3] = ["f0000000-0000-4000-8000-000000000001", "f0000000-0000-4000-8000-000000000002", "f0000000-0000-4000-8000-000000000003"];
        cli.emu.account.groups.find((g) => g.guid === GROUPS.vendor.guid)!.companies = [C1, C2];
        const f = file([CAROL], [`  - { name: Vendor Risk, companies: [${C2}, ${C3}] }`, "  - { name: Security Operations }", "  - { name: Red team }", "  - { name: Third parties, companies: [" + C1 + "] }"]);
        cli.emu.clearLog();
        const r = await runCli(["plan", f], cli.api());
        assert.equal(r.code, 2, r.stderr);
        const section = (title: string) => r.stdout.slice(r.stdout.indexOf(title)).split("\n\n")[0]!;
        assert.equal(section("Access groups to change"), `Access groups to change (1):\n  ~ Vendor Risk  (1 user)\n      companies: + ${C3}\n      companies: - ${C1}`);
        assert.match(section("Access groups to create"), /\n {2}\+ Third parties {2}1 company {2}no declared user in it yet$/);
        assert.deepEqual(cli.emu.requests().filter((q) => q.includes("/companies/guids")), [`GET /ratings/v1/access-groups/${GROUPS.vendor.guid}/companies/guids`]);
        assert.deepEqual(cli.emu.writes(), []);
        const pulled = await runCli(["pull", f], cli.api());
        assert.match(pulled.stdout + pulled.stderr, /^ {2}access group Vendor Risk: companies 2 -> 2 \(1 added, 1 removed in the UI\)$/m);
        assert.ok(fs.readFileSync(f, "utf8").includes(`companies: [ ${C1}, ${C2} ]`) || fs.readFileSync(f, "utf8").includes(`companies: [${C1}, ${C2}]`), fs.readFileSync(f, "utf8"));
        const after = JSON.parse((await runCli(["plan", f, "--format", "json"], cli.api())).stdout) as { groupsToChange: unknown[] };
        assert.deepEqual(after.groupsToChange, [], "plan is then in sync for the group's companies");
    });

    it("plan: a group renamed with formerNames is a change of name, not a group to create and one to delete", async () => {
        const state = path.join(cli.dir, "state.json");
        fs.writeFileSync(state, JSON.stringify({ deployment: { resources: [{ type: GROUP_TYPE, id: GROUPS.vendor.guid, outputs: { name: "Vendor Risk", guid: GROUPS.vendor.guid } }] } }));
        const f = file([CAROL.replace("group: Vendor Risk", "group: Vendors")], ["  - { name: Vendors, formerNames: [Vendor Risk] }", "  - { name: Security Operations }", "  - { name: Red team }"]);
        const r = await runCli(["plan", f, "--state", state], cli.api());
        assert.equal(r.code, 2, r.stderr);
        assert.equal(r.stdout.slice(r.stdout.indexOf("Access groups to change")).split("\n\n")[0], "Access groups to change (1):\n  ~ Vendors  (1 user)\n      name: Vendor Risk -> Vendors");
        assert.doesNotMatch(r.stdout, /Access groups to (create|delete)|not declared in the file \(\d+\):\n {2}\? Vendor/);
        assert.doesNotMatch(r.stdout, /~ carol@example\.com/, "carol keeps the group's GUID: no change");
    });
});
