// Users from a YAML file, registered by a real Pulumi program (setMocks); the emulator
// answers the access-group lookup the program makes.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { usersFromFile } from "../provider/program/users-file-resources";
import type { UsersFileOutputs } from "../provider/program/program";
import { GROUPS, SEED_TOKEN } from "./emulator/seed";
import { useEmulator } from "./helpers/emulator";
import { asTheEngineRuns, engineWorkingDir, REPO_ROOT } from "./helpers/host";
import { promiseOf, runProgram, type Registered } from "./helpers/program";
import { ACCOUNT_LISTING, listingInOrder } from "./helpers/requests";
import { tempDir } from "./helpers/temp";

const GITOPS = path.join(REPO_ROOT, "examples", "gitops", "users.yaml");

function tempFile(text: string): string {
    const dir = tempDir("bitsight-users-");
    const file = path.join(dir, "users.yaml");
    fs.writeFileSync(file, text);
    return file;
}

const plain = (regs: Registered[]) =>
    Object.fromEntries(regs.map((r) => [r.name, Object.fromEntries(Object.entries(r.inputs).filter(([k]) => k !== "__provider"))]));

describe("users from a YAML file (setMocks)", () => {
    const env = useEmulator();
    const config = () => ({ "bitsight:apiToken": SEED_TOKEN, "bitsight:apiUrl": env.emu.url });

    it("registers one BitsightUser per declared user, group names resolved to GUIDs", async () => {
        const regs = await runProgram(async () => (await usersFromFile(GITOPS)).users, config(), ["bitsight:apiToken"]);
        assert.deepEqual(regs.map((r) => r.name).sort(), [
            "alice@example.com",
            "bob@example.com",
            "carol@example.com",
            "erin.novak@example.com",
            "frank.osei@example.com",
        ]);
        assert.deepEqual(plain(regs)["erin.novak@example.com"], {
            email: "erin.novak@example.com",
            formalName: "Erin Novak",
            friendlyName: "Erin",
            role: "customer_user",
            group: GROUPS.secops.guid,
            features: { "wfh-ro": true },
            onDelete: "delete",
        });
        assert.equal(plain(regs)["frank.osei@example.com"]!["group"], GROUPS.vendor.guid);
        // The file's policy has maxAdmins, which counts the account's Admins: one listing; then the groups.
        assert.deepEqual(listingInOrder(env.emu.requests()), [
            ...ACCOUNT_LISTING,
            // The seats: the users to create against the account's active-user quota.
            "GET /ratings/v1/users/quota",
            "GET /ratings/v1/access-groups",
            // What the token sees: an Admin's, all of the account (said only when not).
            "GET /ratings/v1/users/current",
        ]);
        assert.ok(!JSON.stringify(regs).includes(SEED_TOKEN));
    });

    it("registers a BitsightApiToken per declared token, its group resolved; an expired one is left out (pulumi up revokes it)", async () => {
        const file = tempFile(
            [
                "users:",
                "  - { email: alice@example.com, formalName: Alice Admin, role: customer_admin, reason: the account's owner }",
                "apiTokens:",
                "  - { description: Vendor feed, for: bob@example.com, group: Security Operations, reason: the vendor-risk feed, expires: 2099-01-01 }",
                "  - { description: Old import, for: bob@example.com, reason: the 2025 import, expires: 2026-01-01 }",
            ].join("\n"),
        );
        const regs = await runProgram(async () => (await usersFromFile(file)).apiTokens, config(), ["bitsight:apiToken"]);
        assert.deepEqual(regs.map((r) => [r.type, r.name]), [["pulumi-nodejs:dynamic/bitsight:User", "alice@example.com"], ["pulumi-nodejs:dynamic/bitsight:ApiToken", "Vendor feed"]]);
        assert.deepEqual(plain(regs)["Vendor feed"], {
            description: "Vendor feed",
            email: "bob@example.com",
            group: GROUPS.secops.guid,
            groupName: GROUPS.secops.name,
            reason: "the vendor-risk feed",
            expires: "2099-01-01",
        });
    });

    it("refuses, before anything registers, a run that would revoke the token it holds (expired, or gone from the file)", async () => {
        const alice = "  - { email: alice@example.com, formalName: Alice Admin, role: customer_admin }";
        const expired = tempFile(["users:", alice, "apiTokens:", "  - { description: 'CI: pulumi up', for: alice@example.com, reason: r, expires: 2026-01-01 }"].join("\n"));
        const registered: Registered[] = [];
        await assert.rejects(runProgram(async () => (await usersFromFile(expired)).users, config(), ["bitsight:apiToken"], registered), {
            message: `${expired}: pulumi up would revoke the company API token "CI: pulumi up" (token ********3c9a), which ends as the token this run holds: revoking it would cut the run off mid-way. Run this change with another Admin's or company API token (BITSIGHT_API_TOKEN, or the stack's bitsight:apiToken). Nothing was applied.`,
        });
        assert.deepEqual(registered, []);
        const dropped = tempFile(["users:", alice, "apiTokens: []"].join("\n"));
        const lastUpdate = { userCount: 1, deletableUsers: ["alice@example.com"], apiTokens: ["CI: pulumi up"] };
        await assert.rejects(runProgram(async () => (await usersFromFile(dropped)).users, config(), ["bitsight:apiToken"], registered, lastUpdate), /would revoke the company API token "CI: pulumi up"/);
        assert.deepEqual(registered, []);
    });

    it("stops a token whose group the account does not have, naming its line, before anything registers", async () => {
        const file = tempFile(["users:", "  - { email: alice@example.com, formalName: Alice Admin, role: customer_admin }", "apiTokens:", "  - { description: Feed, for: bob@example.com, group: Vendor Risks, reason: r }"].join("\n"));
        const registered: Registered[] = [];
        await assert.rejects(runProgram(async () => (await usersFromFile(file)).apiTokens, config(), ["bitsight:apiToken"], registered), /users\.yaml:4:55: apiTokens\[0\]\.group: no access group is named "Vendor Risks" \(did you mean "Vendor Risk"\?\)/);
        assert.deepEqual(registered, [], "no user registered before the token's group was known");
    });

    it("registers the same resources however the file is reordered or regrouped", async () => {
        const original = await runProgram(async () => (await usersFromFile(GITOPS)).users, config());
        const reshuffled = tempFile(`
users:
  - { email: Frank.Osei@example.com, formalName: Frank Osei, role: customer_portfolio_manager, group: Vendor Risk, onDelete: retain }
  - { email: erin.novak@example.com, formalName: Erin Novak, group: Security Operations, features: { wfh-ro: true } }
teams:
  renamed-team:
    defaults: { role: customer_admin }
    users:
      - { email: alice@example.com, formalName: Alice Admin, isAvailableForContact: true, adopt: true }
  another:
    defaults: { group: "${GROUPS.secops.guid.toUpperCase()}" }
    users:
      - { email: bob@example.com, formalName: Bob Analyst, adopt: true }
      - { email: carol@example.com, formalName: Carol Vendor, role: customer_portfolio_manager, group: vendor risk, adopt: true }
defaults:
  role: customer_user
  group: All Companies
  onDelete: delete
  features: { wfh-ro: false }
`);
        const again = await runProgram(async () => (await usersFromFile(reshuffled)).users, config());
        const sorted = (regs: Registered[]) => Object.fromEntries(Object.entries(plain(regs)).sort(([a], [b]) => a.localeCompare(b)));
        const reshuffledUsers = sorted(again);
        assert.equal(reshuffledUsers["frank.osei@example.com"]!["email"], "Frank.Osei@example.com");
        reshuffledUsers["frank.osei@example.com"]!["email"] = "frank.osei@example.com"; // spelling only: compared case-insensitively
        assert.deepEqual(reshuffledUsers, sorted(original));
    });

    it("stops an invalid file before any resource registers or any request is made, with every problem", async () => {
        const file = tempFile("users:\n  - {email: ana@example.com, formalName: Ana, role: admin}\n  - {email: bob@example.com, formalName: Bob, role: customer_user, adopt: yes}\n");
        const registered: Registered[] = [];
        await assert.rejects(runProgram(async () => (await usersFromFile(file)).users, config(), undefined, registered), (err: Error) => {
            assert.equal(err.name, "UsersFileError");
            assert.match(err.message, /has 2 problems; nothing was applied:\n {2}.*users\.yaml:2:53: users\[0\]\.role: "admin" is not a Bitsight role/);
            assert.match(err.message, /users\.yaml:3:75: users\[1\]\.adopt: must be true or false, not string "yes"/);
            return true;
        });
        assert.deepEqual(registered, []);
        assert.equal(env.emu.log.length, 0);
    });

    describe("policy", () => {
        it("stops a guardrail the file breaks before any resource registers or any request", async () => {
            const file = tempFile("policy:\n  allowedEmailDomains: [example.com]\nusers:\n  - {email: ana@gmail.com, formalName: Ana, role: customer_user}\n");
            const registered: Registered[] = [];
            await assert.rejects(runProgram(async () => (await usersFromFile(file)).users, config(), undefined, registered), (err: Error) => {
                assert.equal(err.name, "UsersFileError");
                assert.match(err.message, /has 1 problem; nothing was applied:\n {2}.*users\.yaml:4:13: users\[0\]\.email: policy\.allowedEmailDomains: gmail\.com is not an allowed domain/);
                return true;
            });
            assert.deepEqual(registered, []);
            assert.equal(env.emu.log.length, 0);
        });

        it("lists the account for a rule that needs it, and stops before any resource registers", async () => {
            // Alice, an Admin in the account, is not declared: with Ana that makes two.
            const file = tempFile("policy:\n  maxAdmins: 1\nusers:\n  - {email: ana@example.com, formalName: Ana, role: customer_admin}\n");
            const registered: Registered[] = [];
            await assert.rejects(runProgram(async () => (await usersFromFile(file)).users, config(), undefined, registered), (err: Error) => {
                assert.match(err.message, /users\.yaml:2:14: policy\.maxAdmins: policy\.maxAdmins is 1, but the account would have 2 Admins: 1 declared in the file and 1 in the account that the file does not declare as Admins \(alice@example\.com\)/);
                return true;
            });
            assert.deepEqual(registered, []);
            assert.deepEqual(listingInOrder(env.emu.requests()), [...ACCOUNT_LISTING, "GET /ratings/v1/users/quota"]);
            const allowed = tempFile("policy:\n  maxAdmins: 2\nusers:\n  - {email: ana@example.com, formalName: Ana, role: customer_admin}\n");
            assert.equal((await runProgram(async () => (await usersFromFile(allowed)).users, config())).length, 1);
        });
    });

    it("makes no request for a file that names no group", async () => {
        const file = tempFile("users:\n  - {email: ana@example.com, formalName: Ana, role: customer_user}\n");
        const regs = await runProgram(async () => (await usersFromFile(file)).users, {});
        assert.equal(regs.length, 1);
        assert.equal(env.emu.log.length, 0);
    });

    it("says that group names need the API when no token is configured", async () => {
        const file = tempFile("users:\n  - {email: ana@example.com, formalName: Ana, role: customer_user, group: Vendor Risk}\n");
        await assert.rejects(
            runProgram(async () => (await usersFromFile(file)).users, { "bitsight:apiUrl": env.emu.url }),
            /users\.yaml names access groups; resolving them needs the Bitsight API: No Bitsight API token\. Set it with `pulumi config set --secret bitsight:apiToken <token>`/,
        );
    });

    describe("the mass-removal guard", () => {
        const lastUpdate = { userCount: 5, deletableUsers: ["alice@example.com", "bob@example.com", "carol@example.com", "erin.novak@example.com", "frank.osei@example.com"] };
        const run = (file: string, registered: Registered[] = [], cfg: Record<string, string> = config()) =>
            runProgram(async () => (await usersFromFile(file)).users, cfg, undefined, registered, lastUpdate);

        it("refuses `users: []` in a stack of 5, before any resource registers or any request", async () => {
            const file = tempFile("users: []\n");
            const registered: Registered[] = [];
            await assert.rejects(run(file, registered), {
                message:
                    `${file} would delete 5 of the 5 users this stack manages (100 %), more than the default share allows (25 %: at most 1). ` +
                    "Deleting a Bitsight user is irreversible and also deletes their shared folders. Nothing was applied. If the file was emptied or cut short by mistake, restore it. " +
                    "To delete them deliberately, run once with BITSIGHT_ALLOW_REMOVALS=5, or raise bitsight:maxRemovalShare (or policy.maxRemovalShare in the file); " +
                    'to stop managing them without deleting them, set `onDelete: "demote"` (or "retain") on them first. ' +
                    "Would delete: alice@example.com, bob@example.com, carol@example.com, erin.novak@example.com, frank.osei@example.com.",
            });
            assert.deepEqual(registered, []);
            assert.equal(env.emu.log.length, 0);
        });

        it("lets one removal through, and counts a former email as still declared", async () => {
            const file = tempFile(
                "users:\n  - {email: alice@example.com, formalName: Alice, role: customer_admin}\n  - {email: robert@example.com, formalName: Bob, role: customer_user, formerEmails: [bob@example.com]}\n" +
                    "  - {email: carol@example.com, formalName: Carol, role: customer_user}\n  - {email: erin.novak@example.com, formalName: Erin, role: customer_user}\n",
            );
            assert.equal((await run(file)).length, 4);
        });

        it("follows policy.maxRemovalShare, and bitsight:maxRemovalShare over it", async () => {
            const file = tempFile("policy: {maxRemovalShare: 0.5}\nusers:\n  - {email: alice@example.com, formalName: Alice, role: customer_admin}\n  - {email: bob@example.com, formalName: Bob, role: customer_user}\n  - {email: carol@example.com, formalName: Carol, role: customer_user}\n");
            assert.equal((await run(file)).length, 3, "2 of 5 is within 50 %");
            await assert.rejects(run(file, [], { ...config(), "bitsight:maxRemovalShare": "0.2" }), /more than bitsight:maxRemovalShare allows \(20 %: at most 1\)/);
        });

        it("holds the company API tokens the stack manages to the share on their own: a file that drops its tokens is refused", async () => {
            const users = "users:\n" + lastUpdate.deletableUsers.map((e) => `  - {email: ${e}, formalName: X, role: customer_user}\n`).join("");
            const withTokens = { ...lastUpdate, apiTokens: ["CI: pulumi up", "Vendor feed", "Nightly export", "Old import"] };
            const registered: Registered[] = [];
            const dropped = tempFile(`${users}apiTokens: []\n`);
            await assert.rejects(runProgram(async () => (await usersFromFile(dropped)).users, config(), undefined, registered, withTokens), {
                message:
                    `${dropped} would revoke 4 of the 4 company API tokens this stack manages, more than the default share allows (at most 1). Revoking a token stops whatever uses it, at once. ` +
                    "Nothing was applied. If apiTokens: was emptied or cut short by mistake, restore it; to revoke them deliberately, run once with BITSIGHT_ALLOW_REMOVALS=4, or raise bitsight:maxRemovalShare. " +
                    'Would revoke: "CI: pulumi up", "Nightly export", "Old import", "Vendor feed".',
            });
            assert.deepEqual(registered, []);
            // One token of four goes: within 25 %; and the users' share is not widened by the tokens.
            const kept = (n: number) => `apiTokens:\n${withTokens.apiTokens.slice(0, n).map((d) => `  - {description: "${d}", for: alice@example.com, reason: r}\n`).join("")}`;
            assert.equal((await runProgram(async () => (await usersFromFile(tempFile(`${users}${kept(3)}`))).apiTokens, config(), undefined, [], withTokens)).length, 8, "5 users and 3 tokens register");
            const twoUsersGo = "users:\n" + lastUpdate.deletableUsers.slice(0, 3).map((e) => `  - {email: ${e}, formalName: X, role: customer_user}\n`).join("");
            await assert.rejects(runProgram(async () => (await usersFromFile(tempFile(`${twoUsersGo}${kept(4)}`))).users, config(), undefined, [], withTokens), /would delete 2 of the 5 users this stack manages \(40 %\)/);
        });

        it("allows exactly the number given in BITSIGHT_ALLOW_REMOVALS, once", async () => {
            const file = tempFile("users: []\n");
            process.env["BITSIGHT_ALLOW_REMOVALS"] = "5";
            assert.deepEqual(await run(file), []);
            process.env["BITSIGHT_ALLOW_REMOVALS"] = "4";
            await assert.rejects(run(file), /\(BITSIGHT_ALLOW_REMOVALS=4 was set, but this run would delete 5\)/);
        });

        it("does nothing on a stack's first update (no outputs to compare with)", async () => {
            const file = tempFile("users: []\n");
            assert.deepEqual(await runProgram(async () => (await usersFromFile(file)).users, config(), undefined, [], {}), []);
        });
    });

    type RootOutputs = UsersFileOutputs;
    const rootProgram = require("../examples/gitops/program") as () => Promise<RootOutputs>;
    /** The root project's program, from the working directory the engine gives it (dist/examples/gitops). */
    async function runRoot(cfg: Record<string, string>): Promise<RootOutputs> {
        let outputs: RootOutputs | undefined;
        await asTheEngineRuns(REPO_ROOT, () =>
            runProgram(async () => {
                outputs = await rootProgram();
                return [];
            }, cfg),
        );
        return outputs!;
    }

    it("runs the root project from dist/examples/gitops, as the engine does (Pulumi.yaml's main is a file there)", () => {
        assert.equal(engineWorkingDir(REPO_ROOT), path.join(REPO_ROOT, "dist", "examples", "gitops"));
    });

    it("resolves bitsight:usersFile against the project root, not the engine's working directory", async () => {
        const outputs = await runRoot({ ...config(), "bitsight:usersFile": "examples/adopt-existing/users.yaml" });
        assert.equal(outputs.usersFile, path.join("examples", "adopt-existing", "users.yaml"));
        assert.equal(outputs.userCount, 4);
    });

    it("names a users file it cannot find relative to the project root", async () => {
        await assert.rejects(runRoot({ ...config(), "bitsight:usersFile": "users.yaml" }), {
            message: /^users\.yaml has 1 problem; nothing was applied:\n {2}users\.yaml:1:1: cannot be read \(no such file\)/,
        });
    });

    it("the root program reconciles bitsight:usersFile and exports the users by role", async () => {
        const outputs = await runRoot(config());
        assert.equal(outputs!.usersFile, path.join("examples", "gitops", "users.yaml"));
        assert.equal(outputs!.userCount, 5);
        // Read back by the next update's mass-removal guard; Frank is retained, so removing him deletes nobody.
        assert.deepEqual(outputs!.deletableUsers, ["alice@example.com", "bob@example.com", "carol@example.com", "erin.novak@example.com"]);
        assert.deepEqual(await promiseOf(outputs!.usersByRole), {
            customer_admin: ["alice@example.com"],
            customer_portfolio_manager: ["carol@example.com", "frank.osei@example.com"],
            customer_user: ["bob@example.com", "erin.novak@example.com"],
        });
    });
});
