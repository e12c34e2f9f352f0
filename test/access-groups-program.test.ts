// The users file's `groups:` registered by a real Pulumi program (setMocks), the emulator
// answering the reads the program makes: a group is registered before the users and
// tokens that name it; one the account lacks gives them its id, one it has its GUID; a run
// that would delete a group still holding someone is refused before anything registers.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { usersFromFile } from "../provider/program/users-file-resources";
import { GROUPS, SEED_TOKEN } from "./emulator/seed";
import { useEmulator } from "./helpers/emulator";
import { runProgram, type Registered } from "./helpers/program";
import { tempDir } from "./helpers/temp";

const GROUP_TYPE = "pulumi-nodejs:dynamic/bitsight:AccessGroup";

function tempFile(lines: string[]): string {
    const file = path.join(tempDir("bitsight-groups-"), "users.yaml");
    fs.writeFileSync(file, lines.join("\n") + "\n");
    return file;
}

const ALICE = "  - { email: alice@example.com, formalName: Alice Admin, role: customer_admin }";

describe("access groups from a users file (setMocks)", () => {
    const env = useEmulator();
    const config = () => ({ "bitsight:apiToken": SEED_TOKEN, "bitsight:apiUrl": env.emu.url });
    const everything = async (file: string) => {
        const r = await usersFromFile(file);
        return [...r.accessGroups, ...r.users, ...r.apiTokens];
    };

    it("registers each group before the users and tokens that name it: a new group's id, an existing one's GUID", async () => {
        const file = tempFile([
            "groups:",
            "  - { name: Third parties, allowBundledCompanies: true, reason: vendor analysts, companies: [F0000000-0000-4000-8000-000000000002, f0000000-0000-4000-8000-000000000001] }",
            "  - { name: Vendor Risk, canSetTierScope: false }",
            "users:",
            ALICE,
            "  - { email: carol@example.com, formalName: Carol, role: customer_user, group: vendor risk }",
            "  - { email: erin@example.com, formalName: Erin, role: customer_user, group: Third parties }",
            "apiTokens:",
            "  - { description: Vendor feed, for: erin@example.com, group: Third parties, reason: the feed }",
        ]);
        const regs = await runProgram(() => everything(file), config(), ["bitsight:apiToken"]);
        const at = (name: string) => regs.findIndex((r) => r.name === name);
        const inputs = (name: string) => regs.find((r) => r.name === name)!.inputs;
        assert.deepEqual(regs.filter((r) => r.type === GROUP_TYPE).map((r) => r.name).sort(), ["Third parties", "Vendor Risk"]);
        assert.deepEqual([inputs("Third parties")["name"], inputs("Third parties")["allowBundledCompanies"], inputs("Third parties")["reason"]], ["Third parties", true, "vendor analysts"]);
        assert.deepEqual(inputs("Third parties")["companies"], ["f0000000-0000-4000-8000-000000000001", "f0000000-0000-4000-8000-000000000002"], "as a set: one case, one order");
        assert.ok(at("Third parties") < at("erin@example.com") && at("Third parties") < at("Vendor feed"), "the new group registers first");
        // Under the mocks a resource's id is its name and "-id": what the engine gives once the group is made.
        assert.equal(inputs("erin@example.com")["group"], "Third parties-id");
        assert.equal(inputs("Vendor feed")["group"], "Third parties-id");
        assert.equal(inputs("Vendor feed")["groupName"], "Third parties");
        assert.equal(inputs("carol@example.com")["group"], GROUPS.vendor.guid, "a group the account has: its GUID, known in the preview");
        assert.ok(at("Vendor Risk") < at("carol@example.com"), "and a dependency on it");
    });

    it("without a token (a team's program under mocks), a user in a group only the file names registers, and nothing is asked", async () => {
        const file = tempFile(["groups:", "  - { name: Third parties }", "users:", "  - { email: erin@example.com, formalName: Erin, role: customer_user, group: third parties }", "apiTokens:", "  - { description: Feed, for: erin@example.com, group: Third parties, reason: r }"]);
        const regs = await runProgram(() => everything(file), {}, []);
        const inputs = (name: string) => regs.find((r) => r.name === name)!.inputs;
        assert.deepEqual([inputs("erin@example.com")["group"], inputs("Feed")["group"], inputs("Feed")["groupName"]], ["Third parties-id", "Third parties-id", "Third parties"]);
        assert.equal(env.emu.log.length, 0);
    });

    it("refuses, before anything registers, a run that would delete a group still holding someone, naming them", async () => {
        const lastUpdate = { userCount: 1, deletableUsers: ["alice@example.com"], accessGroups: ["Vendor Risk", "Security Operations"] };
        const file = tempFile(["groups:", "  - { name: Security Operations }", "users:", ALICE]);
        const registered: Registered[] = [];
        await assert.rejects(runProgram(() => everything(file), config(), ["bitsight:apiToken"], registered, lastUpdate), {
            message: `${file}: pulumi up would delete access groups it cannot: "Vendor Risk" would still hold 1 user (carol@example.com): give them another \`group:\` in the file, or keep the group. Nothing was applied.`,
        });
        assert.deepEqual(registered, []);
        assert.deepEqual(env.emu.writes(), []);
        // Carol moves out in the same change: the group can go.
        const moved = tempFile(["groups:", "  - { name: Security Operations }", "users:", ALICE, "  - { email: carol@example.com, formalName: Carol, role: customer_user, group: Security Operations }"]);
        const regs = await runProgram(() => everything(moved), config(), ["bitsight:apiToken"], [], lastUpdate);
        assert.deepEqual(regs.filter((r) => r.type === GROUP_TYPE).map((r) => r.name), ["Security Operations"]);
    });

    it("a group renamed with formerNames is the same resource: not deleted, not counted as removed; its users keep its GUID", async () => {
        const lastUpdate = { userCount: 2, deletableUsers: ["alice@example.com", "carol@example.com"], accessGroups: ["Vendor Risk"] };
        const file = tempFile(["groups:", "  - { name: Vendors, formerNames: [Vendor Risk] }", "users:", ALICE, "  - { email: carol@example.com, formalName: Carol, role: customer_user, group: Vendors }"]);
        const regs = await runProgram(() => everything(file), config(), ["bitsight:apiToken"], [], lastUpdate);
        const inputs = (name: string) => regs.find((r) => r.name === name)!.inputs;
        assert.deepEqual([inputs("Vendors")["name"], inputs("Vendors")["formerNames"]], ["Vendors", ["Vendor Risk"]]);
        assert.equal(inputs("carol@example.com")["group"], GROUPS.vendor.guid);
        assert.deepEqual(env.emu.writes(), []);
    });

    it("refuses to delete the account's default group, or All Companies", async () => {
        env.emu.account.defaultGroup = GROUPS.vendor.guid;
        const lastUpdate = { userCount: 2, deletableUsers: ["alice@example.com", "carol@example.com"], accessGroups: ["Vendor Risk", "All Companies"] };
        const file = tempFile(["groups: []", "users:", ALICE, "  - { email: carol@example.com, formalName: Carol, role: customer_user, group: Security Operations }"]);
        await assert.rejects(runProgram(() => everything(file), config(), ["bitsight:apiToken"], [], { ...lastUpdate, accessGroups: ["Vendor Risk"] }), /"Vendor Risk" is the account's default group: set `isDefault: true` on another group in the same change\. Nothing was applied\./);
        env.emu.account.defaultGroup = GROUPS.secops.guid;
        await assert.rejects(runProgram(() => everything(file), config(), ["bitsight:apiToken"], [], { ...lastUpdate, accessGroups: ["All Companies"] }), /"All Companies" is the account's All Companies group: keep it in the file\. Nothing was applied\./);
    });

    it("holds the groups the stack manages to the share on their own", async () => {
        const groups = ["G1", "G2", "G3", "G4"];
        for (const name of groups) env.emu.account.groups.push({ guid: `a0000000-0000-4000-8000-0000000001${name.slice(1)}0`, name });
        const lastUpdate = { userCount: 1, deletableUsers: ["alice@example.com"], accessGroups: groups };
        await assert.rejects(runProgram(() => everything(tempFile(["groups: []", "users:", ALICE])), config(), ["bitsight:apiToken"], [], lastUpdate), {
            message: /would delete 4 of the 4 access groups this stack manages, more than the default share allows \(at most 1\)\. A deleted group's company scope is gone with it\. Nothing was applied\. If groups: was emptied or cut short by mistake, restore it; .* Would delete: "G1", "G2", "G3", "G4"\./,
        });
        const three = tempFile(["groups:", ...groups.slice(0, 3).map((g) => `  - { name: ${g} }`), "users:", ALICE]);
        assert.equal((await runProgram(() => everything(three), config(), ["bitsight:apiToken"], [], lastUpdate)).length, 4, "one of four goes: 3 groups and a user register");
    });

    it("stops a file that names one group twice, or declares two defaults, at their lines, before any request", async () => {
        const file = tempFile(["groups:", "  - { name: Vendors, isDefault: true }", "  - { name: vendors }", "  - { name: Others, isDefault: true, formerNames: [VENDORS] }", "users:", ALICE]);
        await assert.rejects(runProgram(() => everything(file), config(), ["bitsight:apiToken"]), (err: Error) => {
            assert.match(err.message, /users\.yaml:3:\d+: groups\[1\]\.name: "vendors" names the group at line 2 too; a group is known by its name: give each its own/);
            assert.match(err.message, /users\.yaml:4:\d+: groups\[2\]\.isDefault: the account has one default group, and "Vendors" \(line 2\) is declared it already/);
            assert.match(err.message, /users\.yaml:4:\d+: groups\[2\]\.formerNames\[0\]: "VENDORS" names the group at line 2: a former name is one no group of the file has now/);
            return true;
        });
        assert.equal(env.emu.log.length, 0);
    });
});
