import { strict as assert } from "assert";
import { parseUsersFile } from "./parse";
import { planResources } from "./resources";
import { expiryWarnings } from "./expiry";

const FILE = `
defaults:
  role: customer_user
  group: All Companies
  features: { wfh-ro: false, fq-access: false }
users:
  - email: ana@example.com
    formalName: Ana Maria Lopez
teams:
  vendor-risk:
    defaults:
      group: Vendor Risk
      role: customer_portfolio_manager
      features: { wfh-ro: true }
    users:
      - email: Carol@Example.com
        formalName: Carol Vendor
        friendlyName: Caz
        role: vrm_admin
        formerEmails: [carol.v@example.com]
`;

describe("users file: defaults and merging", () => {
    const parsed = parseUsersFile(FILE, "users.yaml");
    const [ana, carol] = parsed.users;

    it("applies the file's defaults and derives friendlyName from the first word", () => {
        assert.deepEqual(ana!.args, {
            role: "customer_user",
            group: "All Companies",
            features: { "wfh-ro": false, "fq-access": false },
            email: "ana@example.com",
            formalName: "Ana Maria Lopez",
            friendlyName: "Ana",
        });
        assert.equal(ana!.team, undefined);
    });

    it("lets the user win over its team, and the team over the file; features merge slug by slug", () => {
        assert.deepEqual(carol!.args, {
            role: "vrm_admin",
            group: "Vendor Risk",
            features: { "wfh-ro": true, "fq-access": false },
            email: "Carol@Example.com",
            formalName: "Carol Vendor",
            friendlyName: "Caz",
        });
        assert.equal(carol!.team, "vendor-risk");
        assert.deepEqual(carol!.formerEmails, ["carol.v@example.com"]);
    });

    it("remembers where each inherited value is written", () => {
        assert.deepEqual(carol!.origin["group"], ["teams", "vendor-risk", "defaults", "group"]);
        assert.deepEqual(carol!.origin["role"], ["teams", "vendor-risk", "users", 0, "role"]);
        assert.deepEqual(ana!.origin["group"], ["defaults", "group"]);
        assert.deepEqual(parsed.locator.value(carol!.origin["group"]!), { line: 12, col: 14 });
    });

    it("names each resource after the lower-cased email, with former emails as aliases", () => {
        assert.deepEqual(
            planResources(parsed.users).map((r) => [r.name, r.aliases]),
            [
                ["ana@example.com", []],
                ["carol@example.com", ["carol.v@example.com"]],
            ],
        );
    });

    it("plans the same resources however the file is ordered or grouped", () => {
        const regrouped = `
defaults:
  features: { fq-access: false, wfh-ro: false }
  role: customer_user
users:
  - email: CAROL@example.com
    formalName: Carol Vendor
    friendlyName: Caz
    role: vrm_admin
    group: Vendor Risk
    features: { wfh-ro: true }
    formerEmails: [carol.v@example.com]
teams:
  everyone-else:
    defaults: { group: All Companies }
    users:
      - { formalName: Ana Maria Lopez, email: ana@example.com }
`;
        const byName = (text: string) =>
            Object.fromEntries(
                planResources(parseUsersFile(text, "u.yaml").users).map((r) => [r.name, { ...r.args, email: r.args.email.toString().toLowerCase() }]),
            );
        assert.deepEqual(byName(regrouped), byName(FILE));
    });

    it("accepts an explicitly empty list: it manages nobody", () => {
        assert.deepEqual(parseUsersFile("users: []\n", "u.yaml").users, []);
    });

    it("accepts YAML anchors and aliases, with top-level x- keys to hold them", () => {
        const text = "x-admin: &admin {role: customer_admin, isAvailableForContact: true}\nusers:\n  - {<<: *admin, email: a@example.com, formalName: A}\n";
        assert.throws(() => parseUsersFile(text, "u.yaml"), /users\[0\]\.<<: is not a known field/, "merge keys are not YAML 1.2");
        const shared = "x-admin: &admin customer_admin\nusers:\n  - {role: *admin, email: a@example.com, formalName: A}\n";
        assert.equal(parseUsersFile(shared, "u.yaml").users[0]!.args.role, "customer_admin");
        const ok = "defaults: &d {role: customer_admin}\nusers:\n  - {email: a@example.com, formalName: A}\nteams:\n  t:\n    defaults: *d\n    users: []\n";
        assert.equal(parseUsersFile(ok, "u.yaml").users[0]!.args.role, "customer_admin");
    });
});

describe("users file: apiTokens", () => {
    const parse = (lines: string[], today = "2026-12-07") => parseUsersFile(["users: []", ...lines].join("\n"), "users.yaml", today);
    const problems = (lines: string[]) => {
        try {
            parse(lines);
            return [];
        } catch (err) {
            return (err as { problems: { line: number; col: number; field: string; message: string }[] }).problems.map((p) => `${p.line}:${p.col}: ${p.field}: ${p.message}`);
        }
    };

    it("reads each token, and whether the section is there at all", () => {
        const parsed = parse(["apiTokens:", "  - { description: ' Vendor feed ', for: bob@example.com, group: Vendor Risk, reason: the feed, expires: 2027-03-01 }"]);
        assert.deepEqual(parsed.apiTokens, [{ description: "Vendor feed", for: "bob@example.com", group: "Vendor Risk", reason: "the feed", expires: "2027-03-01", path: ["apiTokens", 0] }]);
        assert.equal(parsed.declaresApiTokens, true);
        assert.equal(parse(["apiTokens: []"]).declaresApiTokens, true);
        assert.equal(parse([]).declaresApiTokens, false);
    });

    it("refuses a description used twice, a token without for: or reason:, and a date that is not one", () => {
        const found = problems(["apiTokens:", "  - { description: Feed, for: a@example.com, reason: r }", "  - { description: Feed, for: b@example.com, reason: r, expires: 2027-02-30 }", "  - { description: Other }"]);
        assert.ok(found.some((p) => /^4:20: apiTokens\[1\]\.description: "Feed" describes the token at line 3 too; a token is known by its description: give each its own$/.test(p)), found.join("\n"));
        assert.ok(found.some((p) => /^4:66: apiTokens\[1\]\.expires: "2027-02-30" is not a date/.test(p)), found.join("\n"));
        assert.ok(found.some((p) => /apiTokens\[2\].*for/.test(p)) && found.some((p) => /apiTokens\[2\].*reason/.test(p)), found.join("\n"));
    });

    it("policy.maxApiTokenAgeDays: each token needs an expires: within that many days of today", () => {
        const policy = ["policy:", "  maxApiTokenAgeDays: 90", "apiTokens:"];
        assert.deepEqual(problems([...policy, "  - { description: A, for: a@example.com, reason: r }", "  - { description: B, for: a@example.com, reason: r, expires: 2027-06-01 }", "  - { description: C, for: a@example.com, reason: r, expires: 2027-03-07 }"]), [
            "5:5: apiTokens[0]: policy.maxApiTokenAgeDays: a token may live 90 days; add `expires:` no later than 2027-03-07",
            "6:63: apiTokens[1].expires: policy.maxApiTokenAgeDays: a token may live 90 days; write a date no later than 2027-03-07, and a new token with a new description before then",
        ]);
    });

    it("validate and the program warn of a token whose expires: has come, at its line", () => {
        const parsed = parse(["apiTokens:", "  - { description: Old import, for: bob@example.com, reason: r, expires: 2026-06-01 }", "  - { description: Feed, for: bob@example.com, reason: r, expires: 2027-06-01 }"]);
        assert.deepEqual(expiryWarnings(parsed, "2026-12-07"), ['users.yaml:3:74: apiTokens[0].expires: the company API token "Old import" expired on 2026-06-01; the next pulumi up revokes it, if it has not already']);
    });

    it("policy.allowedEmailDomains holds for: too: a token's value, with Admin rights, is emailed there", () => {
        assert.deepEqual(problems(["policy:", "  allowedEmailDomains: [example.com]", "apiTokens:", "  - { description: Feed, for: someone@gmail.com, reason: r }"]), [
            "5:31: apiTokens[0].for: policy.allowedEmailDomains: gmail.com is not an allowed domain (example.com); use the person's address at an allowed domain, or add gmail.com to policy.allowedEmailDomains",
        ]);
    });
});
