import { strict as assert } from "assert";
import { parseUsersFile } from "./parse";
import { planResources } from "./resources";

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
