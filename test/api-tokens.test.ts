// The review's 2FA and company-API-token sections, through the CLI against the emulator:
// enabled, pending and not_enabled told apart with whether the file requires each; the
// account's tokens in every format, an old one needing rotation under
// policy.maxApiTokenAgeDays; a token that may not list them gets a note, not a failure.
import { strict as assert } from "assert";
import Ajv from "ajv";
import { loadSchema } from "../provider/package/schema";
import { SEEDED } from "./emulator/seed";
import { runCli } from "./helpers/cli";
import { useCliEmulator } from "./helpers/emulator";

describe("review: 2FA and company API tokens", function () {
    this.timeout(30_000);
    const cli = useCliEmulator();
    const file = (maxAge = 365) =>
        cli.file([
            "policy:",
            `  maxApiTokenAgeDays: ${maxAge}`,
            "users:",
            "  - { email: alice@example.com, formalName: Alice Admin, role: customer_admin, isAvailableForContact: true }",
            "  - { email: bob@example.com, formalName: Bob Analyst, role: customer_admin, group: Security Operations, mfa: required }",
            "  - { email: carol@example.com, formalName: Carol Vendor, role: customer_admin, group: Vendor Risk }",
            "  - { email: dave.contractor@example.com, formalName: Dave Contractor, role: customer_user, status: Created }",
        ]);
    beforeEach(() => {
        const users = cli.emu.account.users;
        for (const [guid, mfa] of [[SEEDED.alice, "not_enabled"], [SEEDED.bob, "not_enabled"], [SEEDED.carol, "pending"]] as const) {
            users.get(guid)!.roles = ["customer_admin"];
            users.get(guid)!.mfa_status = mfa;
        }
        users.get(SEEDED.carol)!.last_login_time = "2026-10-30T00:00:00Z";
    });
    const review = (format: string, f = file()) => runCli(["review", f, "--format", format, "--as-of", "2026-11-01"], cli.api());

    it("text: each Admin's 2FA state and whether the file requires it; the 400-day-old token needs rotation", async () => {
        const r = await review("text");
        assert.equal(r.code, 2, r.stderr);
        assert.match(r.stdout, /! alice@example\.com +Admin without 2FA \(not_enabled\), and the file does not require it: add `mfa: required`/);
        assert.match(r.stdout, /! bob@example\.com +Admin without 2FA \(not_enabled\); the file requires it \(declared\): the next pulumi up asks Bitsight to require it/);
        assert.match(r.stdout, /! carol@example\.com +Admin whose 2FA is required but not set up yet \(pending\); the file does not require it/);
        assert.match(r.stdout, /! CI: pulumi up \(token \*{8}3c9a\) +created 400 days ago, more than policy\.maxApiTokenAgeDays \(365\): rotate it \(declare a new token with a new description and an expires: for this one\)/);
        assert.match(r.stdout, /^Admins and their 2FA \(3\):$/m);
        assert.match(r.stdout, /^ {4}bob@example\.com +not_enabled +declared +Activated/m);
        assert.match(r.stdout, /^Company API tokens \(1\):$/m);
        assert.match(r.stdout, /^ {4}CI: pulumi up \(token \*{8}3c9a\) +Alice Admin +2025-09-27 +400 +All Companies +customer_admin +- +-$/m);
        assert.match(r.stdout, /1 company API token \(1 needing attention\)/);
        assert.ok(!r.stdout.includes("emulator-token"), "the token itself is never shown");
    });

    it("a younger token, or no maxApiTokenAgeDays, needs no attention", async () => {
        const r = await review("json", file(500));
        const json = JSON.parse(r.stdout) as { apiTokens: { attention: string[] }[]; summary: { apiTokensToRotate: number } };
        assert.deepEqual(json.apiTokens[0]!.attention, []);
        assert.equal(json.summary.apiTokensToRotate, 0);
    });

    it("markdown, JSON (valid against the schema) and CSV carry the same", async () => {
        const md = await review("markdown");
        assert.match(md.stdout, /^\*\*Company API tokens \(1\)\*\*$/m);
        assert.match(md.stdout, /created 400 days ago, more than policy\\\.maxApiTokenAgeDays \(365\)/);
        const json = JSON.parse((await review("json")).stdout) as Record<string, unknown> & { users: { email: string; mfaStatus: string; mfaRequired: string | null }[] };
        const validate = new Ajv({ allErrors: true, strict: false }).compile(loadSchema("review.schema.json"));
        assert.ok(validate(json), JSON.stringify(validate.errors));
        assert.deepEqual(json["apiTokens"], [
            {
                guid: "d0000000-0000-4000-8000-000000000001",
                description: "CI: pulumi up",
                token: "********3c9a",
                createdDate: "2025-09-27T00:00:00Z",
                creatorName: "Alice Admin",
                group: "All Companies",
                roles: ["customer_admin"],
                ageDays: 400,
                inFile: null,
                expires: null,
                attention: ["token-rotation"],
            },
        ]);
        assert.deepEqual(
            json.users.filter((u) => u.email !== "api-token@example.com" && u.email !== "dave.contractor@example.com").map((u) => [u.email, u.mfaStatus, u.mfaRequired]),
            [
                ["alice@example.com", "not_enabled", null],
                ["bob@example.com", "not_enabled", "declared"],
                ["carol@example.com", "pending", null],
            ],
        );
        const csv = (await review("csv")).stdout.split("\r\n");
        const token = csv.find((l) => l.includes(",api_token,"));
        assert.equal(token, ",customer_admin,,All Companies,,2025-09-27T00:00:00Z,,,,true,,,,,\"created 400 days ago, more than policy.maxApiTokenAgeDays (365): rotate it (declare a new token with a new description and an expires: for this one)\",api_token,CI: pulumi up (********3c9a),Alice Admin,400");
    });

    it("a token that may not list the tokens (403) gets a one-line note; the review goes on", async () => {
        cli.emu.inject({ path: "/ratings/v1/customers/current/api-tokens", reply: { status: 403, body: { detail: "You do not have permission to perform this action." } } });
        const r = await review("text");
        assert.equal(r.code, 2, r.stderr);
        assert.match(r.stdout, /^Note: GET \/ratings\/v1\/customers\/current\/api-tokens answered 403: this token may not list the company API tokens \(an Admin's can\), so they are not reviewed\.$/m);
        assert.doesNotMatch(r.stdout, /Company API tokens \(/);
    });

    it("an odd row is named and skipped; the rest are reviewed", async () => {
        cli.emu.account.apiTokens.push({ guid: "d0000000-0000-4000-8000-000000000002", description: "old", token: "x", created_date: "not a date", creator_name: "x", group: "x", roles: [] });
        const r = await review("text");
        assert.match(r.stderr, /^Warning: skipped token 2 of GET \/ratings\/v1\/customers\/current\/api-tokens: d0000000-0000-4000-8000-000000000002: `created_date` is not a time \(not a date\)$/m);
        assert.match(r.stdout, /^Company API tokens \(1\):$/m);
    });
});

describe("export and pull write mfa: required only where the account shows it required", function () {
    this.timeout(30_000);
    const cli = useCliEmulator();
    beforeEach(() => {
        cli.emu.account.users.get(SEEDED.bob)!.mfa_status = "pending";
        cli.emu.account.users.get(SEEDED.carol)!.mfa_status = "enabled";
    });

    it("export: the pending user gets it, the enabled one (who may have set 2FA up unasked) does not", async () => {
        const r = await runCli(["export"], cli.api());
        assert.equal(r.code, 0, r.stderr);
        const entry = (email: string) => r.stdout.split("\n  - ").find((e) => e.startsWith(`email: ${email}`)) ?? "";
        assert.match(entry("bob@example.com"), /\n {4}mfa: required\n/);
        assert.doesNotMatch(entry("carol@example.com"), /mfa/);
        assert.doesNotMatch(entry("alice@example.com"), /mfa/);
    });

    it("pull: adds it to a declared user now pending, and to an appended one; leaves the enabled one alone", async () => {
        const f = cli.file([
            "users:",
            "  - email: bob@example.com",
            "    formalName: Bob Analyst",
            "    role: customer_user",
            "    group: Security Operations",
            "  - email: carol@example.com",
            "    formalName: Carol Vendor",
            "    role: customer_portfolio_manager",
            "    group: Vendor Risk",
        ]);
        cli.emu.account.users.get(SEEDED.dave)!.mfa_status = "pending";
        const r = await runCli(["pull", f, "--include-undeclared"], cli.api());
        assert.equal(r.code, 0, r.stderr);
        const text = (await import("fs")).readFileSync(f, "utf8");
        assert.match(text, /formalName: Bob Analyst\n {4}role: customer_user\n {4}group: Security Operations\n {4}mfa: required\n/);
        assert.doesNotMatch(text.slice(text.indexOf("carol@example.com"), text.indexOf("dave.contractor")), /mfa/);
        assert.match(text.slice(text.indexOf("dave.contractor")), /mfa: required/);
        assert.match(r.stderr + r.stdout, /bob@example\.com: mfa \(default\) -> required/);
    });
});
