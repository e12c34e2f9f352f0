import { strict as assert } from "assert";
import type { ApiUser } from "../model/wire";
import { parseUsersFile } from "./parse";
import { checkPolicyAgainstAccount } from "./policy";
import { formatProblem, UsersFileError } from "./problems";

/** The file's problems as a user reads them, or [] when it parses. */
function problems(text: string): string[] {
    try {
        parseUsersFile(text, "users.yaml");
        return [];
    } catch (err) {
        if (!(err instanceof UsersFileError)) throw err;
        return err.problems.map(formatProblem);
    }
}

const file = (policy: string, users: string) => `policy:\n${policy}\nusers:\n${users}`;
const user = (email: string, role = "customer_user", extra = "") => `  - { email: ${email}, formalName: A Person, role: ${role}${extra} }`;

interface Case {
    rule: string;
    policy: string;
    violating: string[];
    messages: string[];
    passing: string[];
}

// One row a rule: a file that breaks it, with the exact messages, and the fix that passes.
const CASES: Case[] = [
    {
        rule: "allowedEmailDomains",
        policy: "  allowedEmailDomains: [example.com, Example.co.uk]",
        violating: [user("ana@example.com"), user("bob@gmail.com"), user("cy@sub.example.com")],
        messages: [
            "users.yaml:5:14: users[1].email: policy.allowedEmailDomains: gmail.com is not an allowed domain (example.com, example.co.uk); use the person's address at an allowed domain, or add gmail.com to policy.allowedEmailDomains",
            "users.yaml:6:14: users[2].email: policy.allowedEmailDomains: sub.example.com is not an allowed domain (example.com, example.co.uk); use the person's address at an allowed domain, or add sub.example.com to policy.allowedEmailDomains",
        ],
        passing: [user("ana@example.com"), user("Bob@EXAMPLE.co.uk")],
    },
    {
        rule: "allowedEmailDomains, a typo",
        policy: "  allowedEmailDomains: [example.com]",
        violating: [user("ana@exmaple.com")],
        messages: ["users.yaml:4:14: users[0].email: policy.allowedEmailDomains: exmaple.com is not an allowed domain: did you mean example.com? Correct the address (its domain is one of example.com)"],
        passing: [user("ana@example.com")],
    },
    {
        rule: "maxAdmins",
        policy: "  maxAdmins: 1",
        violating: [user("a@example.com", "customer_admin"), user("b@example.com", "customer_admin"), user("c@example.com", "customer_admin", ", status: Deactivated")],
        messages: [
            "users.yaml:2:14: policy.maxAdmins: policy.maxAdmins is 1, but the file declares 2 Admins (a role that manages users: customer_admin, vrm_admin or a TMH Admin; not deactivated): a@example.com, b@example.com; give 1 of them another role, or raise policy.maxAdmins",
        ],
        passing: [user("a@example.com", "customer_admin"), user("c@example.com", "customer_admin", ", status: Deactivated"), user("t@example.com", "customer_admin", ", isCompanyApiToken: true")],
    },
    {
        rule: "minAdmins",
        policy: "  minAdmins: 2",
        violating: [user("a@example.com", "customer_admin"), user("b@example.com", "customer_admin", ", status: Deactivated")],
        messages: [
            "users.yaml:2:14: policy.minAdmins: policy.minAdmins is 2, but the file declares 1 Admin (customer_admin, not deactivated): a@example.com; declare 1 more, so that nobody locks the account, or lower policy.minAdmins",
        ],
        passing: [user("a@example.com", "customer_admin"), user("b@example.com", "customer_admin")],
    },
    {
        rule: "forbiddenRoles",
        policy: "  forbiddenRoles: [vrm_admin]",
        violating: [user("a@example.com", "vrm_admin")],
        messages: ["users.yaml:4:57: users[0].role: policy.forbiddenRoles: the role vrm_admin is forbidden in this account; choose another role, or remove vrm_admin from policy.forbiddenRoles"],
        passing: [user("a@example.com", "customer_user")],
    },
    {
        rule: "companyApiTokenUsers",
        policy: "  companyApiTokenUsers: forbid",
        violating: [user("svc@example.com", "customer_user", ", isCompanyApiToken: true")],
        messages: [
            "users.yaml:4:93: users[0].isCompanyApiToken: policy.companyApiTokenUsers is forbid: this account declares no company API token users; remove the user or `isCompanyApiToken: true`, or set the policy to allow",
        ],
        passing: [user("svc@example.com", "customer_user", ", isCompanyApiToken: false")],
    },
    {
        rule: "requireReason",
        policy: "  requireReason: [customer_admin]",
        violating: [user("a@example.com", "customer_admin"), user("b@example.com", "customer_user")],
        messages: [
            "users.yaml:4:5: users[0]: policy.requireReason: a user with the role customer_admin needs a `reason:` saying why (who asked, what for); add one to this entry",
        ],
        passing: [user("a@example.com", "customer_admin", ", reason: \"SOC lead, approved in SEC-142\""), user("b@example.com", "customer_user")],
    },
];

describe("users file policy: each rule, offline", () => {
    for (const c of CASES) {
        it(`${c.rule}: refuses the violating file with the exact messages, passes the fixed one`, () => {
            assert.deepEqual(problems(file(c.policy, c.violating.join("\n"))), c.messages);
            assert.deepEqual(problems(file(c.policy, c.passing.join("\n"))), []);
        });
    }

    it("names the field where a default put the value, not the user that inherited it", () => {
        const text = "policy:\n  forbiddenRoles: [vrm_admin]\ndefaults:\n  role: vrm_admin\nusers:\n" + user("a@example.com").replace(", role: customer_user", "");
        assert.deepEqual(problems(text), [
            "users.yaml:4:9: defaults.role: policy.forbiddenRoles: the role vrm_admin is forbidden in this account; choose another role, or remove vrm_admin from policy.forbiddenRoles",
        ]);
    });

    it("refuses a minimum above the maximum", () => {
        assert.deepEqual(problems(file("  minAdmins: 3\n  maxAdmins: 2", [1, 2, 3].map((i) => user(`a${i}@example.com`, "customer_admin")).join("\n"))), [
            "users.yaml:2:14: policy.minAdmins: policy.minAdmins (3) is more than policy.maxAdmins (2); no file can satisfy both",
            "users.yaml:3:14: policy.maxAdmins: policy.maxAdmins is 2, but the file declares 3 Admins (a role that manages users: customer_admin, vrm_admin or a TMH Admin; not deactivated): a1@example.com, a2@example.com, a3@example.com; give 1 of them another role, or raise policy.maxAdmins",
        ]);
    });

    it("keeps reason out of what is sent to Bitsight", () => {
        const parsed = parseUsersFile(file("  requireReason: [customer_admin]", user("a@example.com", "customer_admin", ", reason: on call")), "users.yaml");
        assert.equal(parsed.users[0]!.reason, "on call");
        assert.equal("reason" in parsed.users[0]!.args, false);
    });
});

describe("users file policy: the rules that need the account", () => {
    const person = (email: string, role: string, extra: Partial<ApiUser> = {}): ApiUser =>
        ({ guid: `g-${email}`, email, roles: [{ slug: role, name: role }], status: "Activated", is_company_api_token: false, ...extra }) as ApiUser;
    const account = [
        person("a@example.com", "customer_admin"),
        person("other.admin@example.com", "customer_admin"),
        person("new.admin@example.com", "customer_admin", { status: "Created" }),
        person("gone.admin@example.com", "customer_admin", { status: "Deactivated" }),
        person("api-token@example.com", "customer_admin", { is_company_api_token: true }),
    ];
    const check = (policy: string, users: string, unmanaged = "") =>
        checkPolicyAgainstAccount(parseUsersFile(file(policy, users) + unmanaged, "users.yaml"), account).map(formatProblem);

    it("maxAdmins counts the account's Admins the file does not declare, active or not yet logged in", () => {
        assert.deepEqual(check("  maxAdmins: 2", user("a@example.com", "customer_admin")), [
            "users.yaml:2:14: policy.maxAdmins: policy.maxAdmins is 2, but the account would have 3 Admins: 1 declared in the file and 2 in the account that the file does not declare as Admins (other.admin@example.com, new.admin@example.com); remove the Admin role from some of them in Bitsight or declare them with another role, or raise policy.maxAdmins",
        ]);
        const demoted = [user("a@example.com", "customer_admin"), user("other.admin@example.com", "customer_user")].join("\n");
        assert.deepEqual(check("  maxAdmins: 2", demoted), []);
    });

    it("companyApiTokenUsers forbid refuses a token user the file does not acknowledge", () => {
        assert.deepEqual(check("  companyApiTokenUsers: forbid", user("a@example.com", "customer_admin")), [
            "users.yaml:2:25: policy.companyApiTokenUsers: policy.companyApiTokenUsers is forbid, but the account has 1 company API token user the file does not acknowledge: api-token@example.com; delete it in Bitsight, or list it under `unmanaged:` with the reason it is kept",
        ]);
        const acknowledged = "\nunmanaged:\n  - { email: api-token@example.com, reason: the token this stack runs with }\n";
        assert.deepEqual(check("  companyApiTokenUsers: forbid", user("a@example.com", "customer_admin"), acknowledged), []);
    });
});

describe("the loader's day", () => {
    const file = ["policy:", "  requireExpires: { outsideDomains: [example.com], maxDays: 90 }", "users:", "  - { email: ana@vendor.example, formalName: Ana Vendor, role: customer_user, expires: 2027-03-01 }"].join("\n");

    it("judges the policy's dates on the day it is given, not on the clock", () => {
        assert.doesNotThrow(() => parseUsersFile(file, "users.yaml", "2026-12-15"));
        assert.throws(
            () => parseUsersFile(file, "users.yaml", "2026-11-01"),
            (err: UsersFileError) => err.problems.some((p) => p.message.includes("at the latest, not 2027-03-01") && p.message.includes("until 2027-01-30")),
        );
    });
});
