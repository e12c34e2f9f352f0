// bitsight-users end to end: spawned processes against the emulator; stdout, stderr and
// exit codes asserted, plan outputs compared with goldens (UPDATE_GOLDEN=1 rewrites them).
import Ajv from "ajv";
import { strict as assert } from "assert";
import { execFile, execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parseDocument, type Document, type YAMLMap, type YAMLSeq } from "yaml";
import { PassThrough } from "stream";
import { main } from "../provider/cli/main";
import { loadSchema } from "../provider/package/schema";
import { changeInTheUi, GROUPS, SEEDED, SEED_TOKEN } from "./emulator/seed";
import { useEmulator } from "./helpers/emulator";
import { REPO_ROOT } from "./helpers/host";
import { runCli } from "./helpers/cli";
import { runNode, type Ran } from "./helpers/spawn";
import { ACCOUNT_LISTING } from "./helpers/requests";
import { starterUsersFile } from "../provider/cli/team/scaffold";
import { tempDir } from "./helpers/temp";

const CLI = path.join(REPO_ROOT, "dist", "provider", "cli", "main.js");
const GOLDEN = path.join(REPO_ROOT, "test", "fixtures", "cli");
const GITOPS = "examples/gitops/users.yaml";

/** The CLI in this process (the tests run from the repository root, as the spawned CLI did). */
function cli(args: string[], env: Record<string, string> = {}): Promise<Ran> {
    return runCli(args, env);
}

/** The CLI as its own process: for what only a real process shows (the bin, exit codes, what it loads). */
function spawned(args: string[], env: Record<string, string> = {}): Promise<Ran> {
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("BITSIGHT_")));
    return runNode([CLI, ...args], { cwd: REPO_ROOT, env: { ...clean, ...env } });
}

function golden(name: string, actual: string): void {
    const file = path.join(GOLDEN, name);
    if (process.env["UPDATE_GOLDEN"]) fs.writeFileSync(file, actual);
    assert.equal(actual, fs.readFileSync(file, "utf8"));
}

describe("bitsight-users CLI", function () {
    this.timeout(30_000);
    const env = useEmulator();
    const api = () => ({ BITSIGHT_API_URL: env.emu.url, BITSIGHT_API_TOKEN: SEED_TOKEN });

    describe("validate", () => {
        it("accepts valid files offline, without a token", async () => {
            const r = await cli(["validate", GITOPS, "examples/adopt-existing/users.yaml"]);
            assert.deepEqual(r, {
                code: 0,
                stdout:
                    "examples/gitops/users.yaml: valid, 5 users; 3 access group names to check against the account (plan does)\n" +
                    "examples/adopt-existing/users.yaml: valid, 4 users; 2 access group names to check against the account (plan does)\n",
                stderr: "",
            });
        });

        it("reports every problem of an invalid file on stderr and exits 1", async () => {
            const bad = "test/fixtures/users-files/invalid/33-many-problems-at-once.yaml";
            const r = await cli(["validate", GITOPS, bad]);
            assert.equal(r.code, 1);
            assert.equal(r.stdout, "examples/gitops/users.yaml: valid, 5 users; 3 access group names to check against the account (plan does)\n");
            // The golden is the program's message; validate applies nothing, so it does not say "nothing was applied".
            const expected = fs
                .readFileSync(path.join(REPO_ROOT, bad.replace(/\.yaml$/, ".expected")), "utf8")
                .replace(/33-many-problems-at-once\.yaml/g, bad)
                .replace("; nothing was applied:", ":");
            assert.equal(r.stderr, expected);
        });
    });

    describe("validate: paths that are not regular files", () => {
        const dir = tempDir("bitsight-paths-");
        const fifo = path.join(dir, "users.fifo");
        const linkToDevice = path.join(dir, "zero.yaml");
        const linkToFile = path.join(dir, "linked.yaml");
        before(() => {
            execFileSync("mkfifo", [fifo]);
            fs.symlinkSync("/dev/zero", linkToDevice);
            fs.symlinkSync(path.join(REPO_ROOT, GITOPS), linkToFile);
        });

        const refused: [string, () => string, string][] = [
            ["/dev/zero", () => "/dev/zero", "is a character device, not a regular file; give the path of a users file"],
            ["/dev/urandom", () => "/dev/urandom", "is a character device, not a regular file; give the path of a users file"],
            ["a named pipe", () => fifo, "is a named pipe (FIFO), not a regular file; give the path of a users file"],
            ["a link to /dev/zero", () => linkToDevice, "is a character device, not a regular file; give the path of a users file"],
            ["a folder", () => dir, "is a folder, not a regular file; give the path of a users file"],
        ];
        for (const [what, file, said] of refused) {
            it(`refuses ${what} at once, without reading it`, async () => {
                const r = await cli(["validate", file()]);
                assert.equal(r.code, 1);
                assert.equal(r.stderr, `${file()} has 1 problem:\n  ${file()}:1:1: ${said}\n`);
            });
        }

        it("follows a link to a regular file", async () => {
            const r = await cli(["validate", linkToFile]);
            assert.equal(r.code, 0, r.stderr);
        });
    });

    describe("plan", () => {
        beforeEach(() => changeInTheUi(env.emu.account));

        it("text: creations, changes, privilege changes and undeclared users; exit 2", async () => {
            const r = await cli(["plan", GITOPS], api());
            assert.equal(r.code, 2);
            assert.equal(r.stderr, "", "no progress when stderr is not a terminal");
            golden("plan.txt", r.stdout.replace(env.emu.url, "http://127.0.0.1:PORT"));
            assert.deepEqual(env.emu.requests().sort(), ["GET /ratings/v1/access-groups", "GET /ratings/v1/users/current", "GET /ratings/v1/users/quota", ...ACCOUNT_LISTING].sort());
            assert.equal(env.emu.writes().length, 0, "plan is read-only");
        });

        it("markdown, for a pull-request comment", async () => {
            const r = await cli(["plan", GITOPS, "--format", "markdown"], api());
            assert.equal(r.code, 2);
            golden("plan.md", r.stdout);
        });

        it("json, valid against schema/plan.schema.json", async () => {
            const r = await cli(["plan", GITOPS, "--format=json"], api());
            assert.equal(r.code, 2);
            golden("plan.json", r.stdout);
            const validate = new Ajv({ allErrors: true, strict: true }).compile(loadSchema("plan.schema.json"));
            assert.ok(validate(JSON.parse(r.stdout)), JSON.stringify(validate.errors));
        });

        it("stops on an invalid file before any request, even without a token", async () => {
            const r = await cli(["plan", "test/fixtures/users-files/invalid/16-unknown-role.yaml"]);
            assert.equal(r.code, 1);
            assert.match(r.stderr, /^bitsight-users: test\/fixtures\/users-files\/invalid\/16-unknown-role\.yaml has 1 problem:\n {2}.*:4:11: users\[0\]\.role: "admin" is not a Bitsight role/);
            assert.equal(r.stdout, "");
            assert.equal(env.emu.log.length, 0);
        });

        it("says how to give it a token", async () => {
            const r = await cli(["plan", GITOPS], { BITSIGHT_API_URL: env.emu.url });
            assert.equal(r.code, 1);
            assert.equal(r.stderr, "bitsight-users: No Bitsight API token: set the BITSIGHT_API_TOKEN environment variable (bitsight-users never reads stack secrets).\n");
        });

        it("reports a refused token and exits 1, without echoing it", async () => {
            const r = await cli(["plan", GITOPS], { ...api(), BITSIGHT_API_TOKEN: "not-the-token-5512" });
            assert.equal(r.code, 1);
            assert.match(r.stderr, /Bitsight API answered 401 Unauthorized \(the API token is not valid\) to GET/);
            assert.ok(!r.stderr.includes("not-the-token-5512"));
        });
    });

    describe("plan --state: users `pulumi up` cannot create because they exist and are not adopted", () => {
        // The whole account, declared; Bob without `adopt: true`.
        const FILE = [
            "defaults: { adopt: true }",
            "users:",
            "  - { email: alice@example.com, formalName: Alice Admin, role: customer_admin, group: All Companies, isAvailableForContact: true }",
            "  - { email: bob@example.com, formalName: Bob Analyst, role: customer_user, group: Security Operations, adopt: false }",
            "  - { email: carol@example.com, formalName: Carol Vendor, role: customer_portfolio_manager, group: Vendor Risk }",
            "  - { email: dave.contractor@example.com, formalName: Dave Contractor, role: customer_user }",
            "",
        ].join("\n");
        let dir: string;
        const stackExport = (emails: string[]) => {
            const file = path.join(dir, "state.json");
            const resources = emails.map((email) => ({ urn: `urn:pulumi:prod::users::pulumi-nodejs:dynamic/bitsight:User::${email}`, type: "pulumi-nodejs:dynamic/bitsight:User", id: `id-of-${email}`, outputs: { email } }));
            fs.writeFileSync(file, JSON.stringify({ version: 3, deployment: { manifest: {}, resources: [{ type: "pulumi:pulumi:Stack", urn: "urn:stack" }, ...resources] } }));
            return file;
        };
        beforeEach(() => {
            dir = tempDir("bitsight-state-");
            fs.writeFileSync(path.join(dir, "users.yaml"), FILE);
        });

        it("without --state: no note on an in-sync plan (after an apply every declared user exists); one note on a plan with differences", async () => {
            const synced = await cli(["plan", path.join(dir, "users.yaml")], api());
            assert.equal(synced.code, 0, synced.stdout);
            assert.doesNotMatch(synced.stdout, /Note:/);
            // A pull request that also adds a user: now the note can matter, and is said once.
            fs.appendFileSync(path.join(dir, "users.yaml"), "  - { email: new@example.com, formalName: New Analyst, role: customer_user }\n");
            const r = await cli(["plan", path.join(dir, "users.yaml")], api());
            assert.equal(r.code, 2, r.stdout);
            assert.match(
                r.stdout,
                /\nNote: 1 declared user exists in the account without `adopt: true`: fine where the stack already manages it, but `pulumi up` on a stack that does not fails to create it\. Pass `--state` with the output of `pulumi stack export` to check\.\n\nDifferences/,
            );
            assert.equal(r.stdout.split("Note:").length, 2, "once");
        });

        it("with a state that does not manage Bob: a difference that says to add adopt, exit 2", async () => {
            const r = await cli(["plan", path.join(dir, "users.yaml"), "--state", stackExport(["alice@example.com"])], api());
            assert.equal(r.code, 2, r.stdout);
            assert.match(
                r.stdout,
                /\nIn the account already, declared without `adopt: true`, not in the stack; `pulumi up` would fail to create them: add `adopt: true` to take them over \(1\):\n {2}! bob@example\.com\n\nDifferences: 1 to adopt; 4 unchanged\.\n$/,
            );
            const json = JSON.parse((await cli(["plan", path.join(dir, "users.yaml"), "--state", stackExport(["alice@example.com"]), "--format", "json"], api())).stdout);
            assert.deepEqual(json.notAdopted, { checked: true, emails: ["bob@example.com"] });
            assert.equal(json.summary.notAdopted, 1);
        });

        it("with a state that manages Bob: in sync, no note", async () => {
            const r = await cli(["plan", path.join(dir, "users.yaml"), "--state", stackExport(["BOB@example.com"])], api());
            assert.equal(r.code, 0, r.stdout);
            assert.ok(!r.stdout.includes("adopt"), r.stdout);
        });

        it("lists the users pulumi up would delete, and refuses as pulumi up would when they are too many", async () => {
            const state = stackExport(["alice@example.com", "bob@example.com", "carol@example.com", "dave.contractor@example.com"]);
            fs.writeFileSync(path.join(dir, "users.yaml"), "users:\n  - { email: alice@example.com, formalName: Alice Admin, role: customer_admin, group: All Companies, isAvailableForContact: true }\n");
            const r = await cli(["plan", path.join(dir, "users.yaml"), "--state", state], api());
            assert.equal(r.code, 2, r.stdout);
            assert.match(r.stdout, /\nREFUSED: .*users\.yaml would delete 3 of the 4 users this stack manages \(75 %\), more than the default share allows \(25 %: at most 1\)\./);
            assert.match(r.stdout, /\nTo delete \(removed from the file; onDelete: delete\) \(3\):\n {2}- bob@example\.com\n {2}- carol@example\.com\n {2}- dave\.contractor@example\.com\n/);
            assert.match(r.stdout, /Differences: 3 to delete \(refused: too many\); 1 unchanged\.\n$/);
            const allowed = await cli(["plan", path.join(dir, "users.yaml"), "--state", state, "--format", "json"], { ...api(), BITSIGHT_ALLOW_REMOVALS: "3" });
            const json = JSON.parse(allowed.stdout);
            assert.deepEqual(json.removal, { checked: true, removing: ["bob@example.com", "carol@example.com", "dave.contractor@example.com"], demoting: [], total: 4, allowed: 1, refused: false, message: null });
        });

        it("refuses a state path that is not a regular file at once", async () => {
            const r = await cli(["plan", path.join(dir, "users.yaml"), "--state", "/dev/zero"], api());
            assert.equal(r.code, 1);
            assert.equal(r.stderr, "bitsight-users: --state /dev/zero: is a character device, not a regular file; give the output of `pulumi stack export --file /dev/zero`.\n");
        });

        it("refuses a file that is not a stack export, before any request", async () => {
            fs.writeFileSync(path.join(dir, "state.json"), "{}");
            const r = await cli(["plan", path.join(dir, "users.yaml"), "--state", path.join(dir, "state.json")], api());
            assert.equal(r.code, 1);
            assert.match(r.stderr, /--state .*state\.json is not a Pulumi stack export \(no deployment\.resources\); give the output of `pulumi stack export --file .*state\.json`\./);
            assert.equal(env.emu.log.length, 0);
        });
    });

    describe("export", () => {
        it("writes the account as a valid users file that plans as in sync (exit 0)", async () => {
            const dir = tempDir("bitsight-export-");
            const out = path.join(dir, "users.yaml");
            const exported = await cli(["export", "--adopt", "--output", out], api());
            assert.equal(exported.code, 0, exported.stderr);
            assert.equal(exported.stdout, "");
            assert.match(exported.stderr, /^Wrote 4 users to .*users\.yaml\n$/);
            // The token's owner is matched against the listing the export made: the account is listed once.
            assert.deepEqual(env.emu.requests().sort(), ["GET /ratings/v1/access-groups", "GET /ratings/v1/customers/current/api-tokens", "GET /ratings/v1/users/current", ...ACCOUNT_LISTING].sort());
            const text = fs.readFileSync(out, "utf8");
            const schemaLine = /^# yaml-language-server: \$schema=(\S+)\n/.exec(text);
            assert.ok(schemaLine);
            assert.equal(path.resolve(dir, schemaLine[1]!), path.join(REPO_ROOT, "schema", "users-file.schema.json"));
            assert.match(text, /# guid b0000000-0000-4000-8000-000000000002, last login 2026-11-20T08:15:02\.123456Z\n {2}- email: alice@example\.com/);
            assert.match(text, /Company API token users, not exported: api-token@example\.com/);
            assert.equal((text.match(/^ {4}adopt: true$/gm) ?? []).length, 4);
            // Its company API tokens, each adopted by its description, before the users (a team appends people at the end); for: is the creator's email.
            assert.ok(
                text.includes(
                    "apiTokens:\n  # guid d0000000-0000-4000-8000-000000000001, token ********3c9a; for: is its creator, as Bitsight keeps no person for a token: correct it if another holds it\n" +
                        '  - description: "CI: pulumi up"\n    for: alice@example.com\n    reason: created 2025-09-27 by Alice Admin in the account; say what uses it\nusers:\n',
                ),
                text,
            );
            const plan = await cli(["plan", out], api());
            assert.equal(plan.code, 0, plan.stdout);
            assert.match(plan.stdout, /In sync: the account matches the file \(4 users\)\.\n$/);
        });

        it("runs as the starter users file of init writes it, and replaces that starter", async () => {
            const dir = tempDir("bitsight-export-");
            try {
                const file = path.join(dir, "users.yaml");
                const starter = starterUsersFile("pulumi-bitsight");
                fs.writeFileSync(file, starter);
                const said = /`npx bitsight-users (export [^`]*)`/.exec(starter)![1]!.split(" ");
                const r = await cli(said.map((a) => (a === "users.yaml" ? file : a)), api());
                assert.equal(r.code, 0, r.stderr);
                assert.match(fs.readFileSync(file, "utf8"), /- email: alice@example\.com/);
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });

        it("writes to standard output without --output", async () => {
            const r = await cli(["export"], api());
            assert.equal(r.code, 0);
            assert.match(r.stdout, /^# yaml-language-server: \$schema=schema\/users-file\.schema\.json\n/);
            assert.match(r.stdout, /add `adopt: true` \(or run export --adopt\) before the first `pulumi up`/);
        });
    });

    describe("plan: users the file acknowledges as unmanaged", () => {
        /** The account exported, then `edit`ed: the exported file is in sync to start with. */
        async function exported(edit: (doc: Document) => void): Promise<string> {
            const out = path.join(tempDir("bitsight-unmanaged-"), "users.yaml");
            assert.equal((await cli(["export", "--adopt", "--output", out], api())).code, 0);
            const doc = parseDocument(fs.readFileSync(out, "utf8"));
            edit(doc);
            fs.writeFileSync(out, doc.toString());
            return out;
        }
        const withoutDave = (doc: Document) => {
            const users = doc.get("users") as YAMLSeq;
            users.items = users.items.filter((u) => !String((u as YAMLMap).get("email")).startsWith("dave"));
        };
        const acknowledge = (email: string, reason: string) => (doc: Document) => {
            if (!doc.has("unmanaged")) doc.set("unmanaged", doc.createNode([]));
            (doc.get("unmanaged") as YAMLSeq).add(doc.createNode({ email, reason }));
        };

        it("still exits 2 on an undeclared user nobody acknowledged", async () => {
            const r = await cli(["plan", await exported(withoutDave)], api());
            assert.equal(r.code, 2, r.stdout);
            assert.match(r.stdout, /In the account, not declared in the file \(1\):\n {2}\? dave\.contractor@example\.com /);
        });

        it("lists an acknowledged user apart, with the reason, and exits 0", async () => {
            const file = await exported((d) => (withoutDave(d), acknowledge("Dave.Contractor@example.com", "contractor account owned by vendor risk")(d)));
            const r = await cli(["plan", file], api());
            assert.equal(r.code, 0, r.stdout);
            assert.match(r.stdout, /Acknowledged as unmanaged \(not differences\) \(1\):\n {4}dave\.contractor@example\.com .*\n {6}reason: contractor account owned by vendor risk\n/);
            assert.match(r.stdout, /In sync: the account matches the file \(3 users; 1 acknowledged as unmanaged\)\.\n$/);
            const json = JSON.parse((await cli(["plan", file, "--format", "json"], api())).stdout) as { summary: { unmanaged: number }; unmanaged: { email: string; reason: string }[] };
            assert.deepEqual([json.summary.unmanaged, json.unmanaged.map((u) => [u.email, u.reason])], [1, [["dave.contractor@example.com", "contractor account owned by vendor risk"]]]);
            const validate = new Ajv({ allErrors: true, strict: false }).compile(loadSchema("plan.schema.json"));
            assert.ok(validate(json), JSON.stringify(validate.errors));
        });

        it("warns about an acknowledged user who is not in the account, without failing", async () => {
            const file = await exported(acknowledge("left.last.year@example.com", "break-glass"));
            const r = await cli(["plan", file], api());
            assert.equal(r.code, 0, r.stdout);
            const line = fs.readFileSync(file, "utf8").split("\n").findIndex((l) => l.includes("left.last.year@")) + 1;
            assert.match(r.stdout, new RegExp(`Warning: ${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:${line}: left\\.last\\.year@example\\.com is listed under unmanaged but is not in the account; remove the entry\n`));
        });

        it("policy: validate passes what the file alone allows; plan refuses Admins the file does not declare, exit 1", async () => {
            const file = await exported((doc) => {
                doc.set("policy", doc.createNode({ maxAdmins: 1 }));
                const users = doc.get("users") as YAMLSeq;
                users.items = users.items.filter((u) => !String((u as YAMLMap).get("email")).startsWith("alice"));
                (users.items.find((u) => String((u as YAMLMap).get("email")).startsWith("bob")) as YAMLMap).set("role", "customer_admin");
            });
            const line = fs.readFileSync(file, "utf8").split("\n").findIndex((l) => l.startsWith("  maxAdmins:")) + 1;
            assert.equal((await cli(["validate", file])).code, 0, "one declared Admin: the file alone keeps the rule");
            env.emu.clearLog();
            const r = await cli(["plan", file], api());
            assert.deepEqual([r.code, r.stdout], [1, ""]);
            assert.equal(
                r.stderr,
                `bitsight-users: ${file} has 1 problem:\n  ${file}:${line}:14: policy.maxAdmins: policy.maxAdmins is 1, but the account would have 2 Admins: 1 declared in the file ` +
                    "and 1 in the account that the file does not declare as Admins (alice@example.com); remove the Admin role from some of them in Bitsight or declare them with another role, or raise policy.maxAdmins\n",
            );
            assert.deepEqual(env.emu.writes(), []);
        });

        it("counts undeclared company API token users only once the file declares a token user", async () => {
            env.emu.account.addUser({ email: "svc-siem@example.com", role: "customer_user", is_company_api_token: true });
            const declareToken = (doc: Document) =>
                (doc.get("users") as YAMLSeq).add(
                    doc.createNode({ email: "api-token@example.com", formalName: "Company API Token", friendlyName: "API Token", role: "customer_admin", group: "All Companies", isCompanyApiToken: true, adopt: true }),
                );
            assert.equal((await cli(["plan", await exported(() => undefined)], api())).code, 0, "token users apart while the file declares none");
            const r = await cli(["plan", await exported(declareToken)], api());
            assert.equal(r.code, 2, r.stdout);
            assert.match(r.stdout, /Company API token users, not declared \(the file manages token users\) \(1\):\n {2}\? svc-siem@example\.com/);
            assert.equal((await cli(["plan", await exported((d) => (declareToken(d), acknowledge("svc-siem@example.com", "the SIEM's token, owned by the SOC")(d)))], api())).code, 0);
        });
    });

    describe("review", () => {
        // The demo's account: Bob was made an Admin (no MFA) and Carol moved, in the UI.
        beforeEach(() => changeInTheUi(env.emu.account));
        for (const [format, ext] of [["text", "txt"], ["markdown", "md"], ["json", "json"], ["csv", "csv"]] as const) {
            it(`${format}: the golden report, exit 2 (something needs attention), read-only`, async () => {
                const r = await cli(["review", GITOPS, "--format", format, "--as-of", "2026-11-29"], api());
                assert.equal(r.code, 2, r.stderr);
                golden(`review.${ext}`, r.stdout.replace(env.emu.url, "http://127.0.0.1:PORT").replace(/127\\\.0\\\.0\\\.1\\:\d+/, "127\\.0\\.0\\.1\\:PORT"));
                assert.deepEqual(env.emu.writes(), []);
                if (format === "json") {
                    const validate = new Ajv({ allErrors: true, strict: false }).compile(loadSchema("review.schema.json"));
                    assert.ok(validate(JSON.parse(r.stdout)), JSON.stringify(validate.errors));
                }
            });
        }

        it("refuses a --stale it cannot read, before any request", async () => {
            const r = await cli(["review", GITOPS, "--stale", "three months"], api());
            assert.equal(r.code, 1);
            assert.match(r.stderr, /--stale must be a number of days like 90d \(or weeks like 12w\), not "three months"/);
            assert.equal(env.emu.log.length, 0);
        });
    });

    describe("pull", () => {
        const FIXTURE = path.join(REPO_ROOT, "test", "fixtures", "pull");

        it("writes the UI's changes into a file with comments, an anchor, flow maps, teams and defaults: a minimal diff, then in sync", async () => {
            const file = path.join(tempDir("bitsight-pull-"), "users.yaml");
            fs.copyFileSync(path.join(FIXTURE, "users.yaml"), file);
            // In the Bitsight UI: Bob and Carol moved to All Companies (the file's default),
            // Carol renamed and her wfh-ro turned off (the file's default), Dave given his
            // team's default role and group; Erin added.
            const a = env.emu.account;
            a.users.get(SEEDED.bob)!.group = GROUPS.all.guid;
            Object.assign(a.users.get(SEEDED.carol)!, { formal_name: "Carol Vendor-Smith", group: GROUPS.all.guid });
            Object.assign(a.users.get(SEEDED.dave)!, { roles: ["customer_portfolio_manager"], group: GROUPS.vendor.guid });
            a.addUser({ email: "erin.novak@example.com", formal_name: "Erin Novak", friendly_name: "Erin", role: "customer_user", group: GROUPS.secops.guid });
            const before = await cli(["plan", file], api());
            assert.equal(before.code, 2, before.stdout);
            env.emu.clearLog();

            const r = await cli(["pull", file, "--include-undeclared"], api());
            assert.deepEqual([r.code, r.stderr], [0, ""]);
            assert.equal(
                r.stdout,
                `Pulled 6 changes from the account into ${file}:\n` +
                    "  bob@example.com: group Security Operations -> All Companies\n" +
                    "  carol@example.com: formalName Carol Vendor -> Carol Vendor-Smith\n" +
                    "  carol@example.com: group Vendor Risk -> All Companies\n" +
                    "  carol@example.com: features.wfh-ro true -> false\n" +
                    "  dave.contractor@example.com: role customer_user -> customer_portfolio_manager\n" +
                    "  erin.novak@example.com: added (customer_user, Security Operations)\n",
            );
            assert.equal(fs.readFileSync(file, "utf8"), fs.readFileSync(path.join(FIXTURE, "users.pulled.yaml"), "utf8"));
            assert.deepEqual(env.emu.writes(), [], "pull only reads the account");

            const after = await cli(["plan", file], api());
            assert.equal(after.code, 0, after.stdout);
            const again = await cli(["pull", file], api());
            assert.deepEqual([again.code, again.stdout], [0, `${file} already matches the account.\n`]);
        });

        it("resolves group names as plan does (any case), so a matching file is left alone", async () => {
            const file = path.join(tempDir("bitsight-pull-"), "users.yaml");
            const text = "users:\n  - {email: bob@example.com, formalName: Bob Analyst, role: customer_user, group: security operations, adopt: true}\n";
            fs.writeFileSync(file, text);
            const r = await cli(["pull", file], api());
            // Bob matches; the account's other users are not in sync with the file either way: said, with exit 2.
            assert.deepEqual(
                [r.code, r.stdout],
                [
                    2,
                    `${file} matches the account for everything it declares.\n` +
                        "The account has 3 users the file does not declare, not written:\n" +
                        "  ? alice@example.com (customer_admin)\n  ? carol@example.com (customer_portfolio_manager)\n  ? dave.contractor@example.com (customer_user)\n" +
                        "Run pull --include-undeclared to add them to users:, or list them under unmanaged: with a reason.\n",
                ],
            );
            assert.equal(fs.readFileSync(file, "utf8"), text);
        });

        it("never writes a change the file's policy refuses: it names the user, writes the rest, and the file reads back for the next pull", async () => {
            const file = path.join(tempDir("bitsight-pull-"), "users.yaml");
            fs.copyFileSync(path.join(REPO_ROOT, GITOPS), file);
            changeInTheUi(env.emu.account);
            const r = await cli(["pull", file], api());
            assert.equal(r.code, 1, "a hand edit is needed");
            assert.match(r.stdout, /^Pulled 1 change from the account into .*:\n {2}carol@example\.com: group Vendor Risk -> All Companies\n/);
            assert.match(r.stderr, /^Not pulled: bob@example\.com: the file's policy refuses the account's values \(policy\.requireReason: a user with the role customer_admin needs a `reason:` saying why \(who asked, what for\); add one to this entry\); edit the entry by hand as the policy asks, or change the user in the Bitsight UI\n/m);
            const text = fs.readFileSync(file, "utf8");
            assert.match(text, /- email: bob@example\.com\n {8}formalName: Bob Analyst\n {8}adopt: true\n {6}- email/);
            for (const args of [["validate", file], ["pull", file, "--include-undeclared"]]) {
                const again = await cli(args, api());
                assert.doesNotMatch(again.stderr, /problem/, `${args[0]} reads the pulled file back`);
            }
        });

        it("a policy of the whole file (maxAdmins) is put on the pulled user it owes to, who is left out", async () => {
            const file = path.join(tempDir("bitsight-pull-"), "users.yaml");
            fs.writeFileSync(
                file,
                [
                    "policy: { maxAdmins: 1 }",
                    "users:",
                    "  - { email: alice@example.com, formalName: Alice Admin, role: customer_admin, isAvailableForContact: true, adopt: true }",
                    "  - { email: bob@example.com, formalName: Bob Analyst, role: customer_user, group: Security Operations, adopt: true }",
                    "  - { email: carol@example.com, formalName: Carol Vendor, friendlyName: Carol, role: customer_portfolio_manager, group: Vendor Risk, adopt: true }",
                    "unmanaged:",
                    "  - { email: dave.contractor@example.com, reason: another team's }",
                    "",
                ].join("\n"),
            );
            changeInTheUi(env.emu.account);
            const r = await cli(["pull", file], api());
            assert.equal(r.code, 1, r.stderr);
            assert.match(r.stderr, /^Not pulled: bob@example\.com: the file's policy refuses the account's values \(policy\.maxAdmins is 1, but the file declares 2 Admins/m);
            assert.match(fs.readFileSync(file, "utf8"), /group: All Companies/, "carol's change is pulled");
            assert.equal((await cli(["validate", file])).code, 0);
        });
    });

    describe("usage", () => {
        it("prints help and exits 0", async () => {
            const r = await spawned(["--help"]);
            assert.equal(r.code, 0);
            assert.match(r.stdout, /^Usage: bitsight-users <command> \[options\]/);
        });

        it("refuses an unknown command or format with exit 1", async () => {
            for (const args of [["deploy"], ["plan", GITOPS, "--format", "html"], ["plan"], ["validate"], ["plan", GITOPS, "--colour"]]) {
                const r = await spawned(args, api());
                assert.equal(r.code, 1, args.join(" "));
                assert.match(r.stderr, /^bitsight-users: .*\n(?:Usage: bitsight-users [\s\S]*)?Run `bitsight-users --help` for usage\.\n$/, args.join(" "));
            }
            const html = await spawned(["plan", GITOPS, "--format", "html"], api());
            assert.ok(html.stderr.startsWith("bitsight-users: --format must be text, markdown or json, not html\nUsage: bitsight-users plan [FILE]"), html.stderr);
        });

        it("names an unknown option plainly", async () => {
            assert.deepEqual(await cli(["plan", GITOPS, "--colour"]), {
                code: 1,
                stdout: "",
                stderr: "bitsight-users: unknown option --colour\nRun `bitsight-users --help` for usage.\n",
            });
        });

        it("tells a person at a terminal about each retry, and keeps a CI log to the outcome", async () => {
            for (const isTTY of [true, false]) {
                env.emu.inject({ method: "GET", path: "/ratings/v2/users", reply: { status: 503, text: "{}" } });
                let said = "";
                const stderr = Object.assign(new PassThrough(), { isTTY }) as unknown as NodeJS.WriteStream;
                stderr.on("data", (d: Buffer) => (said += d.toString()));
                const code = await main(["plan", GITOPS], { stdout: new PassThrough(), stderr, env: api() });
                assert.equal(code, 2);
                // The wait is about 1 s, jittered by ±20 %.
                assert.equal(/^bitsight-users: retrying: GET \/ratings\/v2\/users answered 503; attempt 2 of 5 in (\d{3} ms|1 s)$/m.test(said), isTTY, said);
            }
        });

        it("starts without loading the Pulumi SDK (about 90 MB; a pre-commit hook runs validate on every commit)", async () => {
            const probe = `require(${JSON.stringify(CLI)}); process.stdout.write(Object.keys(require.cache).filter((k) => k.includes("@pulumi")).join(","))`;
            const r = await runNode(["-e", probe], { cwd: REPO_ROOT });
            assert.deepEqual([r.code, r.stdout], [0, ""]);
        });

        it("runs as the bin npx finds in a clone (the build leaves it executable: npm ci links no bin of the root package)", async () => {
            // What `npx bitsight-users` runs in a fresh clone: the file itself, through its shebang.
            const r = await new Promise<{ code: number | null; out: string }>((resolve) => {
                execFile(CLI, ["--version"], { cwd: REPO_ROOT }, (err, stdout) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: stdout }));
            });
            assert.equal(r.code, 0);
            assert.match(r.out, /^bitsight-users \S+ \(pulumi-bitsight\)\n$/);
        });

        it("prints its version", async () => {
            const { version } = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { version: string };
            assert.deepEqual(await spawned(["--version"]), { code: 0, stdout: `bitsight-users ${version} (pulumi-bitsight)\n`, stderr: "" });
        });
    });

    describe("settings from the stack file, as the provider reads them", () => {
        /** A Pulumi project folder with the given stack files. */
        function project(stacks: Record<string, string>): string {
            const dir = tempDir("bitsight-stack-");
            fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: access\nruntime: nodejs\n");
            fs.copyFileSync(path.join(REPO_ROOT, GITOPS), path.join(dir, "people.yaml"));
            for (const [name, text] of Object.entries(stacks)) fs.writeFileSync(path.join(dir, `Pulumi.${name}.yaml`), text);
            return dir;
        }
        const inDir = (dir: string, args: string[], extra: Record<string, string> = {}) => {
            const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("BITSIGHT_")));
            return runNode([CLI, ...args], { cwd: dir, env: { ...clean, ...extra } });
        };

        it("reads bitsight:apiUrl and bitsight:usersFile from Pulumi.<stack>.yaml, and says so", async () => {
            const dir = project({ prod: `config:\n  bitsight:apiUrl: ${env.emu.url}\n  bitsight:usersFile: people.yaml\n`, dev: "config: {}\n" });
            const r = await inDir(dir, ["plan", "--stack", "prod"], { BITSIGHT_API_TOKEN: SEED_TOKEN });
            assert.equal(r.code, 2, r.stderr);
            assert.match(r.stdout, new RegExp(`^Plan for people\\.yaml against ${env.emu.url.replace(/\./g, "\\.")}\n`));
            assert.match(r.stderr, /^Settings from Pulumi\.prod\.yaml: bitsight:apiUrl; the token from BITSIGHT_API_TOKEN\.\n/);
        });

        it("plan --stack follows the stack's bitsight:maxRemovalShare, as pulumi up does", async () => {
            const dir = project({ prod: `config:\n  bitsight:apiUrl: ${env.emu.url}\n  bitsight:maxRemovalShare: "1"\n`, dev: `config:\n  bitsight:apiUrl: ${env.emu.url}\n` });
            fs.writeFileSync(path.join(dir, "empty.yaml"), "users: []\n");
            const resources = ["alice", "bob", "carol"].map((n) => ({ type: "pulumi-nodejs:dynamic/bitsight:User", id: n, outputs: { email: `${n}@example.com`, onDelete: "delete" } }));
            fs.writeFileSync(path.join(dir, "state.json"), JSON.stringify({ deployment: { resources } }));
            const allowed = await inDir(dir, ["plan", "empty.yaml", "--stack", "prod", "--state", "state.json", "--format", "json"], { BITSIGHT_API_TOKEN: SEED_TOKEN });
            assert.equal((JSON.parse(allowed.stdout) as { removal: { refused: boolean } }).removal.refused, false, allowed.stderr);
            assert.match(allowed.stderr, /^Settings from Pulumi\.prod\.yaml: bitsight:apiUrl, bitsight:maxRemovalShare; /);
            const refused = await inDir(dir, ["plan", "empty.yaml", "--stack", "dev", "--state", "state.json", "--format", "json"], { BITSIGHT_API_TOKEN: SEED_TOKEN });
            assert.equal((JSON.parse(refused.stdout) as { removal: { refused: boolean } }).removal.refused, true);
        });

        it("uses the only stack file without --stack, and names it in a wrong setting's message", async () => {
            const dir = project({ prod: "config:\n  bitsight:apiUrl: api.bitsighttech.com\n" });
            const r = await inDir(dir, ["plan", "people.yaml"], { BITSIGHT_API_TOKEN: SEED_TOKEN });
            assert.equal(r.stderr, 'bitsight-users: bitsight:apiUrl in Pulumi.prod.yaml is not a URL: "api.bitsighttech.com". Use e.g. https://api.bitsighttech.com.\n');
        });

        it("says that an encrypted stack token cannot be read, and what to set instead", async () => {
            const dir = project({ prod: `config:\n  bitsight:apiUrl: ${env.emu.url}\n  bitsight:apiToken:\n    secure: AAABAHx0k1c=\n` });
            const r = await inDir(dir, ["plan", "people.yaml"]);
            assert.equal(
                r.stderr,
                "bitsight-users: No Bitsight API token: set the BITSIGHT_API_TOKEN environment variable. Pulumi.prod.yaml holds bitsight:apiToken, but encrypted with the stack's key, which only the Pulumi CLI can decrypt.\n",
            );
            assert.equal(env.emu.log.length, 0);
        });

        it("names a stack that has no file", async () => {
            const r = await inDir(project({}), ["validate", "--stack", "prod"]);
            assert.equal(r.code, 1);
            assert.match(r.stderr, /^bitsight-users: --stack prod: there is no .*Pulumi\.prod\.yaml; run `pulumi stack init prod` there, or name another stack\n$/);
        });
    });
});
