import { strict as assert } from "assert";
import type { ApiUser } from "../../model/wire";
import { parseUsersFile } from "../../usersfile/parse";
import { computeReview, parseStale, reviewExitCode } from "./decide";
import type { AttentionKind } from "./shape";
import { renderReviewCsv, renderReviewText } from "./render";

const NOW = new Date("2026-11-29T00:00:00Z");

function person(email: string, extra: Partial<ApiUser> = {}): ApiUser {
    return {
        guid: `g-${email}`,
        email,
        formal_name: email,
        friendly_name: email,
        group: { guid: "g1", name: "All Companies" },
        status: "Activated",
        last_login_time: "2026-11-20T00:00:00Z",
        joined_time: "2025-01-01T00:00:00Z",
        roles: [{ slug: "customer_user", name: "User" }],
        is_available_for_contact: false,
        is_company_api_token: false,
        features: [],
        mfa_status: "enabled",
        ...extra,
    };
}

const FILE = `users:
  - { email: a@example.com, formalName: A, role: customer_admin, reason: "SOC lead, SEC-142" }
  - { email: b@example.com, formalName: B, role: customer_user }
unmanaged:
  - { email: svc@example.com, reason: "SIEM integration, owned by the SOC" }
`;

function review(account: ApiUser[], staleDays = 90, file = FILE) {
    const parsed = parseUsersFile(file, "users.yaml");
    return computeReview({ file: "users.yaml", declared: parsed.users, unmanaged: parsed.unmanaged, account, now: NOW, staleDays });
}

const admin = { roles: [{ slug: "customer_admin", name: "Admin" }] };

describe("access review", () => {
    it("lists a privilege granted outside the file to a user it declares, with advice true for that file", () => {
        // Bob is declared customer_user; someone made him an Admin in the UI; the file requires 2FA of its Admins.
        const file = `policy:\n  requireMfa: [customer_admin]\n${FILE}`;
        const r = review([person("a@example.com", admin), person("b@example.com", { ...admin, mfa_status: "not_enabled" })], 90, file);
        const bob = r.users.find((u) => u.email === "b@example.com")!;
        assert.deepEqual([bob.standing, bob.declaredRole, bob.attention], ["declared", "customer_user", ["privilege-beyond-file", "admin-without-mfa"]]);
        assert.deepEqual([r.needsAttention, reviewExitCode(r)], [true, 2]);
        const text = renderReviewText(r, "http://127.0.0.1:1");
        assert.match(text, /! b@example\.com +holds customer_admin, more than the file declares \(customer_user\): granted outside the file, in the Bitsight UI\. The next pulumi up --refresh \(a merge, or a run by hand\) takes it away; to keep it, declare the role in the file, with a reason: line saying who asked/);
        assert.match(text, /Admin without 2FA \(not_enabled\), by a role the file does not grant \(it declares customer_user\): take the role away, or declare it and the file's 2FA rules apply/);
        assert.doesNotMatch(text, /add `mfa: required` to the user, or policy\.requireMfa/, "advice the file already follows");
        // A lower role than declared, or the declared one, is no finding; nor is a declaration whose access has expired.
        const lower = review([person("a@example.com", { roles: [{ slug: "customer_user", name: "User" }] }), person("b@example.com")]);
        assert.ok(lower.users.every((u) => !u.attention.includes("privilege-beyond-file")));
        const expired = review([person("a@example.com", admin), person("b@example.com", admin)], 90, FILE.replace("role: customer_user }", "role: customer_user, expires: 2026-11-01 }"));
        assert.deepEqual(expired.users.find((u) => u.email === "b@example.com")!.attention.includes("privilege-beyond-file"), false, "expired access is its own finding");
    });

    it("needs no attention (exit 0) when every user is declared or acknowledged, Admins have MFA, and logins are recent", () => {
        const r = review([person("a@example.com", admin), person("b@example.com"), person("svc@example.com", { is_company_api_token: true })]);
        assert.deepEqual([r.needsAttention, reviewExitCode(r), r.summary.attention], [false, 0, 0]);
        assert.deepEqual(r.users.map((u) => [u.email, u.standing, u.reason]), [
            ["a@example.com", "declared", "SOC lead, SEC-142"],
            ["b@example.com", "declared", null],
            ["svc@example.com", "unmanaged", "SIEM integration, owned by the SOC"],
        ]);
    });

    // Each rule that makes a user need attention, with a user that breaks it and one that does not.
    const RULES: { kind: AttentionKind; breaks: ApiUser; keeps: ApiUser }[] = [
        { kind: "undeclared", breaks: person("x@example.com"), keeps: person("b@example.com") },
        { kind: "admin-without-mfa", breaks: person("a@example.com", { ...admin, mfa_status: "not_enabled" }), keeps: person("a@example.com", { ...admin, mfa_status: "not_enabled", status: "Deactivated" }) },
        { kind: "stale", breaks: person("b@example.com", { last_login_time: "2026-08-31T00:00:00Z" }), keeps: person("b@example.com", { last_login_time: "2026-09-01T00:00:00Z" }) },
        {
            kind: "never-logged-in",
            breaks: person("b@example.com", { last_login_time: null, status: "Created", joined_time: "2026-08-01T00:00:00Z" }),
            keeps: person("b@example.com", { last_login_time: null, status: "Created", joined_time: "2026-11-01T00:00:00Z" }),
        },
    ];
    for (const rule of RULES) {
        it(`${rule.kind}: needs attention (exit 2) when broken, not otherwise`, () => {
            const broken = review([rule.breaks]);
            assert.deepEqual(broken.users[0]!.attention, [rule.kind]);
            assert.equal(reviewExitCode(broken), 2);
            assert.deepEqual(review([rule.keeps]).users[0]!.attention, []);
        });
    }

    it("an undeclared company API token user needs attention only once the file declares token users (as in plan)", () => {
        const token = person("other-token@example.com", { is_company_api_token: true });
        assert.deepEqual(review([token]).users[0]!.attention, []);
        const declaring = FILE.replace("role: customer_user }", "role: customer_user, isCompanyApiToken: true }");
        assert.deepEqual(review([token], 90, declaring).users[0]!.attention, ["undeclared"]);
    });

    it("counts days from the login, or from joining for who never logged in", () => {
        const [u] = review([person("b@example.com", { last_login_time: null, joined_time: "2026-11-19T12:00:00Z" })]).users;
        assert.deepEqual([u!.daysSinceLogin, u!.daysSinceJoined], [9, 9]);
    });

    it("writes CSV as RFC 4180: commas and quotes in a field are quoted", () => {
        const csv = renderReviewCsv(review([person("a@example.com", admin)]));
        assert.equal(csv.split("\r\n")[1], 'a@example.com,customer_admin,Admin,All Companies,Activated,2025-01-01T00:00:00Z,2026-11-20T00:00:00Z,9,enabled,false,declared,"SOC lead, SEC-142",,,,user,,,');
    });

    it("reads --stale as days or weeks", () => {
        assert.deepEqual(["90d", "12w", "30", " 7D "].map(parseStale), [90, 84, 30, 7]);
        assert.throws(() => parseStale("0d"), /--stale must be a number of days like 90d/);
    });
});
