// Access that expires, removals that demote, and plans that know the seats: through the
// CLI (in process) and the users-file program (under the SDK's mocks).
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as sinon from "sinon";
import { usersFromFile } from "../provider/program/users-file-resources";
import { USER_TYPE } from "../provider/model/user-model";
import { seededAccount, SEEDED, SEED_TOKEN } from "./emulator/seed";
import { runCli } from "./helpers/cli";
import { useCliEmulator } from "./helpers/emulator";
import { runProgram, type Registered } from "./helpers/program";

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const PAST = "2026-01-31";

describe("access that expires, demotions and seats", function () {
    this.timeout(30_000);
    const cli = useCliEmulator(seededAccount, "bitsight-expiry-");
    const { api, file } = cli;
    /** The sample account acknowledged, so that only what a test declares differs. */
    const ACK = ["unmanaged:", ...["alice", "carol", "dave.contractor"].map((n) => `  - { email: ${n}@example.com, reason: not in this test }`)];
    const bob = (extra: string) => [`users:`, `  - { email: bob@example.com, formalName: Bob Analyst, role: customer_user, group: Security Operations, adopt: true${extra} }`, ...ACK];


    describe("expires", () => {
        it("validate passes and warns, naming the user, the date and that the next pulumi up deletes it", async () => {
            const r = await runCli(["validate", file(bob(`, expires: ${PAST}, onDelete: delete`))]);
            assert.equal(r.code, 0);
            assert.equal(r.stderr, `Warning: ${cli.dir}/users.yaml:2:127: users[0].expires: bob@example.com's access expired on ${PAST}; from that day the user holds no login: the next pulumi up deletes it, if it has not already\n`);
        });

        it("refuses a date that does not exist", async () => {
            const r = await runCli(["validate", file(bob(", expires: 2027-02-30"))]);
            assert.equal(r.code, 1);
            assert.match(r.stderr, /users\[0\]\.expires: "2027-02-30" is not a date; write the first day without access as YYYY-MM-DD/);
        });

        // expires: is the first day without access; demote and retain keep a login after it.
        it("refuses an expiry under an onDelete that keeps a login, naming the line the onDelete comes from, before any API call", async () => {
            const fromDefaults = file(["defaults:", "  onDelete: demote", ...bob(`, expires: ${day(20)}`)]);
            cli.emu.clearLog();
            const r = await runCli(["plan", fromDefaults], api());
            assert.equal(r.code, 1, r.stdout);
            assert.equal(
                r.stderr.split("\n").find((l) => l.includes("users[0].expires")),
                `  ${cli.dir}/users.yaml:4:127: users[0].expires: this is the first day without access, but the user's onDelete: demote (from defaults.onDelete, line 2) demotes the user and leaves its login. ` +
                    "Add `onDelete: delete` to this user, so that pulumi up deletes it on that day; or, to keep it without privilege, remove expires: and, on that day, move the user to removed: with onDelete: demote",
            );
            assert.deepEqual(cli.emu.requests(), [], "refused before the account is asked");
            const own = await runCli(["validate", file(bob(`, expires: ${PAST}, onDelete: retain`))]);
            assert.equal(own.code, 1);
            assert.match(own.stderr, /users\[0\]\.expires: this is the first day without access, but the user's onDelete: retain leaves the user in the account as it is\. Add `onDelete: delete`/);
            const fine = await runCli(["validate", file(["defaults:", "  onDelete: demote", ...bob(`, expires: ${day(20)}, onDelete: delete`)])]);
            assert.equal(fine.code, 0, fine.stderr);
        });

        it("plan lists the expired user: pulumi up deletes it, a difference while the account holds it", async () => {
            const r = await runCli(["plan", file(bob(`, expires: ${PAST}, onDelete: delete`))], api());
            assert.equal(r.code, 2, r.stdout);
            assert.ok(r.stdout.includes(`Access expired (from its expires: date the user holds no login: the next pulumi up deletes it) (1):\n  x bob@example.com  expired on ${PAST}: pulumi up deletes it (if the stack still manages it; plan --state knows)\n`), r.stdout);
            assert.doesNotMatch(r.stdout, /not declared in the file/, "an expired user is not listed as undeclared");
            cli.emu.account.users.delete(SEEDED.bob);
            const gone = await runCli(["plan", file(bob(`, expires: ${PAST}, onDelete: delete`))], api());
            assert.equal(gone.code, 0, gone.stdout);
            assert.ok(gone.stdout.includes(`  x bob@example.com  expired on ${PAST}: not in the account: the entry can go\n`), gone.stdout);
        });

        it("plan lists access with an end date to come, soonest first, and it is never a difference", async () => {
            const users = [
                "users:",
                `  - { email: bob@example.com, formalName: Bob Analyst, role: customer_user, group: Security Operations, adopt: true, expires: ${day(40)}, onDelete: delete }`,
                `  - { email: carol@example.com, formalName: Carol Vendor, role: customer_portfolio_manager, group: Vendor Risk, adopt: true, expires: ${day(1)}, onDelete: delete }`,
                ...ACK.filter((l) => !l.includes("carol")),
            ];
            const r = await runCli(["plan", file(users)], api());
            assert.equal(r.code, 0, r.stdout);
            const section = r.stdout.slice(r.stdout.indexOf("Access with an end date")).split("\n").slice(0, 3);
            assert.equal(section[0], "Access with an end date (not differences; from expires: the next pulumi up deletes the user) (2):");
            assert.match(section[1]!, new RegExp(`^  \\. carol@example\\.com +expires ${day(1)}, in 1 day$`));
            assert.match(section[2]!, new RegExp(`^  \\. bob@example\\.com +expires ${day(40)}, in 40 days$`));
            const json = JSON.parse((await runCli(["plan", file(users), "--format", "json"], api())).stdout) as { timeBound: unknown; summary: { timeBound: number } };
            assert.deepEqual(json.timeBound, [{ email: "carol@example.com", expires: day(1), daysLeft: 1 }, { email: "bob@example.com", expires: day(40), daysLeft: 40 }]);
            assert.equal(json.summary.timeBound, 2);
            const markdown = (await runCli(["plan", file(users), "--format", "markdown"], api())).stdout;
            assert.match(markdown, /<details><summary>Access with an end date \(2\)<\/summary>/);
        });

        it("plan --state: an expired user the stack still manages is deleted; one back in the account is for the UI; one recorded as demote is blocked", async () => {
            const state = (emails: string[], onDelete = "delete") => {
                const f = path.join(cli.dir, "state.json");
                const resources = emails.map((email) => ({ urn: `urn:pulumi:prod::users::${USER_TYPE}::${email}`, type: USER_TYPE, id: SEEDED.bob, outputs: { email, onDelete } }));
                fs.writeFileSync(f, JSON.stringify({ deployment: { resources } }));
                return f;
            };
            const users = file(bob(`, expires: ${PAST}, onDelete: delete`));
            const managed = await runCli(["plan", users, "--state", state(["bob@example.com"])], api());
            assert.ok(managed.stdout.includes(`  x bob@example.com  expired on ${PAST}: pulumi up deletes it\n`), managed.stdout);
            const back = await runCli(["plan", users, "--state", state([]), "--format", "json"], api());
            assert.equal(back.code, 2);
            assert.deepEqual((JSON.parse(back.stdout) as { expired: unknown[] }).expired, [
                { email: "bob@example.com", expires: PAST, onDelete: "delete", state: "changed", detail: "back in the account, and the stack no longer manages it: delete it in the Bitsight UI, or declare it again" },
            ]);
            const text = await runCli(["plan", users, "--state", state([])], api());
            assert.ok(text.stdout.includes(`expired on ${PAST}: CHANGED since its access ended: back in the account, and the stack no longer manages it: delete it in the Bitsight UI, or declare it again\n`), text.stdout);
            // The engine would delete with the onDelete its state recorded: demote, which keeps the login.
            const blocked = await runCli(["plan", users, "--state", state(["bob@example.com"], "demote")], api());
            assert.equal(blocked.code, 2);
            assert.ok(
                blocked.stdout.includes(
                    `expired on ${PAST}: cannot be applied as written: the stack recorded onDelete: demote for bob@example.com, and pulumi up applies what the stack recorded, not the file's onDelete: delete. ` +
                        "To apply the file's, set bob@example.com's expires: to a later day, apply (the stack then records onDelete: delete), then set the date back\n",
                ),
                blocked.stdout,
            );
        });

        it("review lists access expiring within --expiring-days, and an expiry pulumi up has not applied yet as needing attention", async () => {
            const soon = day(10);
            const lines = [`users:`, `  - { email: bob@example.com, formalName: Bob Analyst, role: customer_user, group: Security Operations, expires: ${soon} }`, `  - { email: carol@example.com, formalName: Carol Vendor, role: customer_portfolio_manager, group: Vendor Risk, expires: ${PAST} }`, `unmanaged:`, `  - { email: alice@example.com, reason: x }`, `  - { email: dave.contractor@example.com, reason: x }`];
            const r = await runCli(["review", file(lines)], api());
            assert.match(r.stdout, new RegExp(`Access expiring within 30 days \\(1\\):\\n {4}email {12}expires {5}role {11}reason\\n {4}bob@example\\.com {2}${soon}`));
            assert.match(r.stdout, /! carol@example\.com +access expired on 2026-01-31, and the account still holds the user: the next pulumi up deletes it, if the stack still manages it\n/);
            // The file still names her, but no longer grants her access: "declared" would say it does.
            assert.match(r.stdout, /\n {4}carol@example\.com +customer_portfolio_manager +Vendor Risk +Activated +- +expired 2026-01-31 +-\n/);
            assert.match(r.stdout, /\n {4}bob@example\.com +customer_user +Security Operations +Activated +2026-11-18 +declared +-\n/);
            const narrow = await runCli(["review", file(lines), "--expiring-days", "5"], api());
            assert.doesNotMatch(narrow.stdout, /Access expiring within/);
        });

        it("policy.requireExpires: access outside the company's domains must end, and no later than maxDays", async () => {
            const policy = ["policy:", "  requireExpires: { outsideDomains: [example.com], maxDays: 90 }"];
            const r = await runCli(["validate", file([...policy, "users:", "  - { email: ana@vendor.example, formalName: Ana Vendor, role: customer_user }", `  - { email: bo@vendor.example, formalName: Bo Vendor, role: customer_user, expires: ${day(200)} }`, `  - { email: cy@example.com, formalName: Cy Staff, role: customer_user }`])]);
            assert.equal(r.code, 1);
            assert.match(r.stderr, /users\[0\]: policy\.requireExpires: ana@vendor\.example is not at example\.com, so its access must end: add `expires:` with the first day without it \(YYYY-MM-DD\)/);
            assert.match(r.stderr, new RegExp(`users\\[1\\]\\.expires: policy\\.requireExpires\\.maxDays is 90: access granted today may last until ${day(90)} at the latest, not ${day(200)}`));
            assert.doesNotMatch(r.stderr, /cy@example\.com/);
        });

        it("the program does not declare an expired user: the others register", async () => {
            const f = file([`users:`, `  - { email: bob@example.com, formalName: Bob Analyst, role: customer_user, expires: ${PAST} }`, `  - { email: new@example.com, formalName: New Analyst, role: customer_user, expires: ${day(30)} }`]);
            const warn = sinon.stub(pulumi.log, "warn").resolves();
            try {
                const regs = await runProgram(async () => (await usersFromFile(f)).users, { "bitsight:apiToken": SEED_TOKEN, "bitsight:apiUrl": cli.emu.url });
                assert.deepEqual(regs.map((r) => r.name), ["new@example.com"]);
                // The preview says why bob is no longer declared.
                assert.deepEqual(
                    warn.args.map((a) => a[0]),
                    [`${f}:2:86: users[0].expires: bob@example.com's access expired on ${PAST}; from that day the user holds no login: the next pulumi up deletes it, if it has not already`],
                );
            } finally {
                warn.restore();
            }
        });
    });

    describe("demote in plan --state", () => {
        it("lists a managed user with onDelete demote, removed from the file, apart from deletions", async () => {
            const state = path.join(cli.dir, "state.json");
            const resource = (email: string, onDelete: string) => ({ urn: `urn:pulumi:prod::u::pulumi-nodejs:dynamic/bitsight:User::${email}`, type: "pulumi-nodejs:dynamic/bitsight:User", id: email, outputs: { email, onDelete } });
            fs.writeFileSync(state, JSON.stringify({ deployment: { resources: [resource("bob@example.com", "delete"), resource("carol@example.com", "demote"), resource("alice@example.com", "delete"), resource("x@example.com", "delete")] } }));
            const f = file([`users:`, `  - { email: bob@example.com, formalName: Bob Analyst, role: customer_user, group: Security Operations }`, `  - { email: alice@example.com, formalName: Alice Admin, role: customer_admin, isAvailableForContact: true }`, `unmanaged:`, `  - { email: dave.contractor@example.com, reason: x }`]);
            const r = await runCli(["plan", f, "--state", state], api());
            assert.equal(r.code, 2);
            assert.ok(r.stdout.includes("To demote (removed from the file; onDelete: demote: kept as customer_user, features and contact flag off) (1):\n  v carol@example.com\n"), r.stdout);
            // Demotions are not deletions: the guard (one deletion of four allowed) counts only x@.
            assert.ok(r.stdout.includes("To delete (removed from the file; onDelete: delete) (1):\n  - x@example.com\n"), r.stdout);
            assert.match(r.stdout, /Differences: 1 to delete, 1 to demote; /);
            assert.doesNotMatch(r.stdout, /REFUSED/);
        });
    });

    describe("seats", () => {
        const newUsers = (n: number) => ["users:", ...Array.from({ length: n }, (_, i) => `  - { email: new${i}@example.com, formalName: New User, role: customer_user }`), ...["unmanaged:", ...["alice", "bob", "carol", "dave.contractor"].map((u) => `  - { email: ${u}@example.com, reason: x }`)]];

        it("plan refuses a change that needs more seats than are left: exit 1, saying how many", async () => {
            cli.emu.account.totalActiveQuota = 6; // 4 active people: 2 seats left
            const r = await runCli(["plan", file(newUsers(3))], api());
            assert.equal(r.code, 1);
            assert.ok(r.stdout.includes(`REFUSED: ${cli.dir}/users.yaml creates 3 users, but the account has 2 active-user seats left (of 6). Nothing was applied. Free seats (remove or deactivate users in Bitsight), ask Bitsight for more, or create fewer users in this change.\n`), r.stdout);
            const json = JSON.parse((await runCli(["plan", file(newUsers(3)), "--format", "json"], api())).stdout) as { seats: unknown };
            assert.deepEqual(json.seats, { checked: true, needed: 3, remaining: 2, total: 6, refused: true, message: (json.seats as { message: string }).message, warning: null, note: null });
            assert.equal((await runCli(["plan", file(newUsers(2))], api())).code, 2, "two fit");
        });

        it("plan warns past Bitsight's 300 new users a month", async () => {
            const r = await runCli(["plan", file(newUsers(301))], api());
            assert.equal(r.code, 2);
            assert.match(r.stdout, /Warning: .*users\.yaml creates 301 users; Bitsight creates at most 300 a month in an account, so creates past that fail until next month: split the change\./);
        });

        for (const status of [403, 404] as const) {
            it(`plan notes, without failing, a quota it cannot read (${status})`, async () => {
                cli.emu.account.quotaStatus = status;
                const r = await runCli(["plan", file(newUsers(1))], api());
                assert.equal(r.code, 2);
                assert.match(r.stdout, new RegExp(`Note: seats not checked: GET /ratings/v1/users/quota answered ${status}\\.`));
            });
        }

        it("the program refuses it before any resource registers", async () => {
            cli.emu.account.totalActiveQuota = 5;
            const registered: Registered[] = [];
            await assert.rejects(
                runProgram(async () => (await usersFromFile(file(newUsers(2)))).users, { "bitsight:apiToken": SEED_TOKEN, "bitsight:apiUrl": cli.emu.url }, undefined, registered),
                /creates 2 users, but the account has 1 active-user seat left \(of 5\)/,
            );
            assert.deepEqual(registered, []);
            assert.deepEqual(cli.emu.writes(), []);
        });
    });

});
