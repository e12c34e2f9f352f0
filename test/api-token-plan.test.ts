// plan with an apiTokens: section, through the CLI against the emulator: a token declared
// but not yet created, one whose expires: has come, the token the plan runs with (never
// revoked), and one the account has that the file does not declare.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import Ajv from "ajv";
import { loadSchema } from "../provider/package/schema";
import { runCli } from "./helpers/cli";
import { useCliEmulator } from "./helpers/emulator";

const TOKENS = "GET /ratings/v1/customers/current/api-tokens";

describe("plan and review: company API tokens", function () {
    this.timeout(30_000);
    const cli = useCliEmulator();
    const ACK = ["unmanaged:", ...["alice", "bob", "carol", "dave.contractor", "api-token"].map((n) => `  - { email: ${n}@example.com, reason: not in this test }`)];
    const file = (tokens: string[]) => cli.file(["users: []", ...ACK, "apiTokens:", ...tokens]);
    beforeEach(() => {
        const seeded = cli.emu.account.apiTokens[0]!;
        cli.emu.account.apiTokens.push(
            { ...seeded, guid: "d0000000-0000-4000-8000-000000000002", description: "Old import", token: "old-import-token-5e1f", created_date: "2025-01-15T00:00:00Z" },
            { ...seeded, guid: "d0000000-0000-4000-8000-000000000003", description: "Nightly export", token: "nightly-export-token-9b2d", created_date: "2026-03-01T00:00:00Z" },
        );
    });
    const TOKENS_DECLARED = [
        "  - { description: 'CI: pulumi up', for: alice@example.com, reason: the apply job, expires: 2026-01-01 }",
        "  - { description: Old import, for: bob@example.com, reason: the 2025 import, expires: 2026-06-01 }",
        "  - { description: Vendor feed, for: bob@example.com, group: Security Operations, reason: the vendor-risk feed (SEC-12), expires: 2099-01-01 }",
    ];

    it("text: to create, to revoke, blocked for the token it runs with, and not declared; exit 2", async () => {
        cli.emu.clearLog();
        const r = await runCli(["plan", file(TOKENS_DECLARED)], cli.api());
        assert.equal(r.code, 2, r.stderr);
        const section = (title: string) => r.stdout.slice(r.stdout.indexOf(title)).split("\n\n")[0]!;
        assert.equal(
            section("Company API tokens to create"),
            "Company API tokens to create (Admin rights; pulumi up emails each one's value to its person) (1):\n" +
                "  + Vendor feed  for bob@example.com  group Security Operations\n" +
                "      reason: the vendor-risk feed (SEC-12)\n" +
                "      expires: 2099-01-01 (revoked from that day)",
        );
        assert.equal(
            section("Company API tokens to revoke"),
            "Company API tokens to revoke (expired, or removed from the file) (2):\n" +
                '  - CI: pulumi up (token ********3c9a)  expired on 2026-01-01: cannot be revoked by this run: it ends as the token this plan runs with: run pulumi up with another Admin\'s or company API token\n' +
                "  - Old import (token ********5e1f)  expired on 2026-06-01: pulumi up revokes it",
        );
        assert.match(section("Company API tokens in the account"), /\n {2}\? Nightly export \(token \*{8}9b2d\) +created 2026-03-01 by Alice Admin, \d+ days ago; group All Companies$/);
        assert.match(r.stdout, /^Differences: 1 API token to create, 2 API tokens to revoke, 1 API token not declared; 0 unchanged; 5 acknowledged as unmanaged\.$/m);
        assert.equal(cli.emu.requests().filter((q) => q === TOKENS).length, 1, "the tokens are listed once");
        assert.deepEqual(cli.emu.writes(), [], "read-only");
        for (const t of cli.emu.account.apiTokens) assert.ok(!r.stdout.includes(t.token), "no token's value is shown");
    });

    it("json, valid against the schema; markdown", async () => {
        const json = JSON.parse((await runCli(["plan", file(TOKENS_DECLARED), "--format", "json"], cli.api())).stdout) as Record<string, unknown> & { summary: Record<string, number> };
        const validate = new Ajv({ allErrors: true, strict: false }).compile(loadSchema("plan.schema.json"));
        assert.ok(validate(json), JSON.stringify(validate.errors));
        assert.deepEqual([json.summary["apiTokensToCreate"], json.summary["apiTokensToRevoke"], json.summary["apiTokensUndeclared"]], [1, 2, 1]);
        assert.deepEqual(json["apiTokensToCreate"], [{ description: "Vendor feed", for: "bob@example.com", group: "Security Operations", reason: "the vendor-risk feed (SEC-12)", expires: "2099-01-01" }]);
        const md = (await runCli(["plan", file(TOKENS_DECLARED), "--format", "markdown"], cli.api())).stdout;
        assert.match(md, /^#### Company API tokens to create \(1\)$/m);
        assert.match(md, /^\| <code>Vendor feed<\/code> \| <code>bob\\@example\\\.com<\/code> \| <code>Security Operations<\/code> \|/m);
    });

    it("every token declared and held: in sync; a file without the section lists none", async () => {
        const held = ["  - { description: 'CI: pulumi up', for: alice@example.com, reason: the apply job }", "  - { description: Old import, for: bob@example.com, reason: r }", "  - { description: Nightly export, for: bob@example.com, reason: r }"];
        const r = await runCli(["plan", file(held)], cli.api());
        assert.equal(r.code, 0, r.stdout);
        cli.emu.clearLog();
        const without = await runCli(["plan", cli.file(["users: []", ...ACK])], cli.api());
        assert.equal(without.code, 0, without.stdout);
        assert.ok(!cli.emu.requests().includes(TOKENS), "not listed for a file about people only");
    });

    it("review: a token the file does not declare, and one whose expires: has come, need attention; the table says which the file declares", async () => {
        const r = await runCli(["review", file(TOKENS_DECLARED), "--as-of", "2026-12-07"], cli.api());
        assert.equal(r.code, 2, r.stderr);
        assert.match(r.stdout, /^ {2}! Nightly export \(token \*{8}9b2d\) +not declared under the file's apiTokens:, with Admin rights: declare it with a reason: \(export --adopt writes it\), or revoke it$/m);
        assert.match(r.stdout, /^ {2}! Old import \(token \*{8}5e1f\) +expired on 2026-06-01: the next pulumi up revokes it$/m);
        assert.match(r.stdout, /^ {4}Nightly export \(token \*{8}9b2d\) +Alice Admin +2026-03-01 +281 +All Companies +customer_admin +NOT DECLARED +-$/m);
        assert.match(r.stdout, /^ {4}Old import \(token \*{8}5e1f\) +Alice Admin +2025-01-15 +691 +All Companies +customer_admin +declared +2026-06-01$/m);
        assert.match(r.stdout, /3 company API tokens \(3 needing attention\)/);
        // Vendor feed's expires: comes within --expiring-days of the review's day: said, not an attention.
        const soon = await runCli(["review", file([...TOKENS_DECLARED.slice(0, 2), "  - { description: Nightly export, for: bob@example.com, reason: r, expires: 2026-12-20 }"]), "--as-of", "2026-12-07", "--expiring-days", "30"], cli.api());
        assert.match(soon.stdout, /3 company API tokens \(2 needing attention, 1 revoked within 30 days\)/);
        const later = await runCli(["review", file([...TOKENS_DECLARED.slice(0, 2), "  - { description: Nightly export, for: bob@example.com, reason: r, expires: 2026-12-20 }"]), "--as-of", "2026-12-07", "--expiring-days", "7"], cli.api());
        assert.match(later.stdout, /3 company API tokens \(2 needing attention\)/);
    });

    it("export --adopt writes the account's tokens, and names those it cannot: no known creator, or a description two share", async () => {
        const seeded = cli.emu.account.apiTokens[0]!;
        cli.emu.account.apiTokens.push(
            { ...seeded, guid: "d0000000-0000-4000-8000-000000000004", description: "Legacy", token: "legacy-token-0a0a", creator_name: "Somebody Gone" },
            { ...seeded, guid: "d0000000-0000-4000-8000-000000000005", description: "Nightly export", token: "twin-token-1b1b" },
        );
        const r = await runCli(["export", "--adopt"], cli.api());
        assert.equal(r.code, 1, "some were left out");
        assert.match(r.stderr, /^Not exported: token Legacy \(\*{8}0a0a\): its creator \(Somebody Gone\) is no user's name, so nobody can be written as for:; declare it by hand$/m);
        assert.match(r.stderr, /^Not exported: token Nightly export \(\*{8}9b2d\): another token has the same description, and the file knows a token by it; revoke one in the Bitsight UI$/m);
        assert.deepEqual([...r.stdout.matchAll(/^ {2}- description: (.*)$/gm)].map((m) => m[1]), ['"CI: pulumi up"', "Old import"]);
        for (const t of cli.emu.account.apiTokens) assert.ok(!r.stdout.includes(t.token), "no token's value is written");
        const out = cli.file(r.stdout);
        const plan = await runCli(["plan", out], cli.api());
        assert.equal(plan.code, 2, "the tokens left out are not declared");
        assert.match(plan.stdout, /Differences: 3 API tokens not declared; 4 unchanged/);
    });

    it("pull lists the tokens made in the UI; with --include-undeclared it appends them, and plan is then in sync", async () => {
        const f = file(["  - { description: 'CI: pulumi up', for: alice@example.com, reason: the apply job }", "  # tokens below"]);
        const listed = await runCli(["pull", f], cli.api());
        assert.equal(listed.code, 2, listed.stderr);
        assert.ok(listed.stdout.endsWith("The account has 2 company API tokens the file does not declare, not written:\n  ? Nightly export (token ********9b2d)\n  ? Old import (token ********5e1f)\nRun pull --include-undeclared to add them to apiTokens:, or revoke them in the Bitsight UI.\n"), listed.stdout);
        const pulled = await runCli(["pull", f, "--include-undeclared"], cli.api());
        assert.equal(pulled.code, 0, pulled.stderr);
        assert.match(pulled.stdout, /^ {2}token Nightly export \(\*{8}9b2d\): added, for alice@example\.com$/m);
        const text = fs.readFileSync(f, "utf8");
        assert.ok(
            text.endsWith(
                "  - { description: 'CI: pulumi up', for: alice@example.com, reason: the apply job }\n" +
                    "  - description: Nightly export\n    for: alice@example.com\n    reason: created 2026-03-01 by Alice Admin in the account; say what uses it\n" +
                    "  - description: Old import\n    for: alice@example.com\n    reason: created 2025-01-15 by Alice Admin in the account; say what uses it\n" +
                    "  # tokens below\n",
            ),
            text,
        );
        const plan = await runCli(["plan", f], cli.api());
        assert.equal(plan.code, 0, plan.stdout);
    });

    it("plan --state: a token the stack manages that the file no longer declares is to revoke, not undeclared", async () => {
        const state = path.join(cli.dir, "state.json");
        const resource = (guid: string, description: string) => ({ urn: `urn:pulumi:prod::access::pulumi-nodejs:dynamic/bitsight:ApiToken::${description}`, type: "pulumi-nodejs:dynamic/bitsight:ApiToken", id: guid, outputs: { description, guid } });
        fs.writeFileSync(state, JSON.stringify({ deployment: { resources: [resource("d0000000-0000-4000-8000-000000000003", "Nightly export"), resource("d0000000-0000-4000-8000-000000000001", "CI: pulumi up")] } }));
        const f = file(["  - { description: Old import, for: bob@example.com, reason: the 2025 import }"]);
        const r = await runCli(["plan", f, "--state", state], cli.api());
        assert.equal(r.code, 2, r.stderr);
        assert.ok(
            r.stdout.includes(
                "Company API tokens to revoke (expired, or removed from the file) (2):\n" +
                    "  - CI: pulumi up (token ********3c9a)  removed from the file: cannot be revoked by this run: it ends as the token this plan runs with: run pulumi up with another Admin's or company API token\n" +
                    "  - Nightly export (token ********9b2d)  removed from the file: pulumi up revokes it\n",
            ),
            r.stdout,
        );
        assert.doesNotMatch(r.stdout, /not declared in the file \(\d+\):\n {2}\? Nightly export/);
        assert.match(r.stdout, /Differences: 2 API tokens to revoke;/);
    });
});
