// Drift checks that stay green in an account provisioned by single sign-on: undeclared users
// acknowledged by rule, counted per rule; rules never hide privilege; a rule that matches
// nobody is a warning; export writes such a file.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { SSO_FILE, ssoAccount } from "./emulator/sso";
import { runCli } from "./helpers/cli";
import { useCliEmulator } from "./helpers/emulator";

describe("unmanaged users acknowledged by rule (accounts provisioned by SSO)", function () {
    this.timeout(30_000);
    const cli = useCliEmulator(ssoAccount, "bitsight-sso-");
    const { api, file } = cli;

    it("plan counts the users a rule acknowledges instead of listing them, and is in sync", async () => {
        assert.equal(cli.emu.account.users.size, 50);
        const r = await runCli(["plan", file(SSO_FILE)], api());
        assert.equal(r.code, 0, r.stdout);
        assert.ok(r.stdout.includes("Acknowledged by rule (not differences) (44):\n    44 acknowledged by rule 'SSO users': provisioned by Okta at first login; access reviewed in Okta\n"), r.stdout);
        assert.match(r.stdout, /^In sync: the account matches the file \(5 users; 44 acknowledged by rule\)\.$/m);
        const json = JSON.parse((await runCli(["plan", file(SSO_FILE), "--format", "json"], api())).stdout) as { acknowledgedByRule: { name: string; count: number; emails: string[] }[] };
        assert.deepEqual(json.acknowledgedByRule.map((a) => [a.name, a.count, a.emails.length]), [["SSO users", 44, 44]]);
        assert.ok(json.acknowledgedByRule[0]!.emails.includes("dave.contractor@example.com"));
    });

    it("an undeclared Admin is a difference whatever the rules say; so is a user of a role no rule names", async () => {
        cli.emu.account.addUser({ email: "mallory@example.com", role: "customer_admin" });
        cli.emu.account.addUser({ email: "pm@example.com", role: "customer_portfolio_manager" });
        const r = await runCli(["plan", file(SSO_FILE)], api());
        assert.equal(r.code, 2);
        assert.match(r.stdout, /In the account, not declared in the file \(2\):\n {2}\? mallory@example\.com +customer_admin .*\n {2}\? pm@example\.com +customer_portfolio_manager /);
    });

    it("validate refuses a rule that names the Admin role", async () => {
        const r = await runCli(["validate", file(SSO_FILE.replace("roles: [customer_user]", "roles: [customer_user, customer_admin]"))]);
        assert.equal(r.code, 1);
        assert.equal(
            r.stderr,
            `${cli.dir}/users.yaml has 1 problem:\n  ${cli.dir}/users.yaml:11:37: unmanaged[0].match.roles[1]: a rule cannot acknowledge Admins: an Admin the file does not declare is always a difference; declare Admins under users:, or acknowledge one by its email\n`,
        );
    });

    it("the policy still sees users acknowledged by rule", async () => {
        cli.emu.account.addUser({ email: "vrm@example.com", roles: ["customer_user", "vrm_admin"] });
        cli.emu.account.addUser({ email: "outsider@gmail.com", role: "customer_user" });
        const broad = SSO_FILE.replace("roles: [customer_user], domains: [example.com]", "roles: [customer_user, vrm_admin]").replace("policy:\n", "policy:\n  allowedEmailDomains: [example.com]\n");
        const r = await runCli(["plan", file(broad)], api());
        assert.equal(r.code, 1);
        assert.match(r.stderr, /unmanaged\[0\]: policy\.forbiddenRoles: the rule 'SSO users' acknowledges 1 user holding a forbidden role \(vrm@example\.com\); take the role away in Bitsight, or narrow the rule/);
        assert.match(r.stderr, /unmanaged\[0\]: policy\.allowedEmailDomains: the rule 'SSO users' acknowledges 1 user outside example\.com \(outsider@gmail\.com\); remove them in Bitsight, or narrow the rule with domains:/);
    });

    it("a rule that matches nobody is a warning, not a failure", async () => {
        const extra = SSO_FILE + "  - name: Contractors\n    match: { domains: [contractor.example] }\n    reason: vendor portal accounts\n";
        const r = await runCli(["plan", file(extra)], api());
        assert.equal(r.code, 0);
        assert.ok(r.stdout.includes(`Warning: ${cli.dir}/users.yaml:13: the unmanaged rule 'Contractors' matches no user the file does not declare; remove it if it was left behind\n`), r.stdout);
    });

    it("review lists every person a rule acknowledges, with the rule", async () => {
        const r = await runCli(["review", file(SSO_FILE), "--as-of", "2026-12-01"], api());
        assert.match(r.stdout, /Acknowledged as unmanaged \(44\):\n {4}email +role +reason\n {4}analyst01@example\.com +customer_user +by rule 'SSO users': provisioned by Okta at first login; access reviewed in Okta\n/);
    });

    it("export --manage-roles declares those roles (and every Admin), acknowledges the rest by one rule per role, and plans in sync", async () => {
        const out = path.join(cli.dir, "exported.yaml");
        const r = await runCli(["export", "--adopt", "--manage-roles", "customer_group_admin", "--output", out], api());
        assert.equal(r.code, 0, r.stderr);
        const text = fs.readFileSync(out, "utf8");
        assert.match(
            text,
            /\nunmanaged:\n {2}- name: customer_portfolio_manager users\n {4}match:\n {6}roles:\n {8}- customer_portfolio_manager\n {4}reason: provisioned outside this file \(single sign-on\); this file manages customer_admin, customer_group_admin\n {2}- name: customer_user users\n {4}match:\n {6}roles:\n {8}- customer_user\n/,
        );
        assert.deepEqual([...text.matchAll(/^ {2}- email: (\S+)/gm)].map((m) => m[1]), ["alice@example.com", "grace@example.com", "heidi@example.com"]);
        const plan = await runCli(["plan", out], api());
        assert.equal(plan.code, 0, plan.stdout);
        assert.match(plan.stdout, /In sync: the account matches the file \(3 users; 46 acknowledged by rule\)\./);
    });

    it("refuses an unknown role in --manage-roles before any request", async () => {
        const r = await runCli(["export", "--manage-roles", "admins"], api());
        assert.equal(r.code, 1);
        assert.match(r.stderr, /--manage-roles takes role slugs separated by commas/);
        assert.deepEqual(cli.emu.log, []);
    });
});
