// bitsight-users end to end: spawned processes against the emulator; stdout, stderr and
// exit codes asserted, plan outputs compared with goldens (UPDATE_GOLDEN=1 rewrites them).
import Ajv from "ajv";
import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { loadSchema } from "../provider/schema";
import { changeInTheUi, SEED_TOKEN } from "./emulator/seed";
import { useEmulator } from "./helpers/emulator";
import { REPO_ROOT } from "./helpers/host";
import { runNode, type Ran } from "./helpers/spawn";

const CLI = path.join(REPO_ROOT, "dist", "provider", "cli", "main.js");
const GOLDEN = path.join(REPO_ROOT, "test", "fixtures", "cli");
const GITOPS = "examples/gitops/users.yaml";

function cli(args: string[], env: Record<string, string> = {}): Promise<Ran> {
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
            const expected = fs.readFileSync(path.join(REPO_ROOT, bad.replace(/\.yaml$/, ".expected")), "utf8").replace(/33-many-problems-at-once\.yaml/g, bad);
            assert.equal(r.stderr, expected);
        });
    });

    describe("validate: paths that are not regular files", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bitsight-paths-"));
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
                assert.equal(r.stderr, `${file()} has 1 problem; nothing was applied:\n  ${file()}:1:1: ${said}\n`);
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
            assert.deepEqual(env.emu.requests().sort(), [
                "GET /ratings/v1/access-groups",
                "GET /ratings/v2/users?limit=1000&offset=0",
                "GET /ratings/v2/users?limit=1000&offset=0&is_company_api_token=true",
            ]);
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
            assert.match(r.stderr, /^bitsight-users: test\/fixtures\/users-files\/invalid\/16-unknown-role\.yaml has 1 problem; nothing was applied:\n {2}.*:4:11: users\[0\]\.role: "admin" is not a Bitsight role/);
            assert.equal(r.stdout, "");
            assert.equal(env.emu.log.length, 0);
        });

        it("says how to give it a token", async () => {
            const r = await cli(["plan", GITOPS], { BITSIGHT_API_URL: env.emu.url });
            assert.equal(r.code, 1);
            assert.match(r.stderr, /No Bitsight API token\. Set it with .* or the BITSIGHT_API_TOKEN environment variable\./);
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
            dir = fs.mkdtempSync(path.join(os.tmpdir(), "bitsight-state-"));
            fs.writeFileSync(path.join(dir, "users.yaml"), FILE);
        });

        it("without --state: in sync, with a note that a new stack would fail on them", async () => {
            const r = await cli(["plan", path.join(dir, "users.yaml")], api());
            assert.equal(r.code, 0, r.stdout);
            assert.match(
                r.stdout,
                /\nNote: 1 declared user exists in the account without `adopt: true`: fine where the stack already manages it, but `pulumi up` on a stack that does not fails to create it\. Pass `--state` with the output of `pulumi stack export` to check\.\n\nIn sync/,
            );
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
            assert.deepEqual(json.removal, { checked: true, removing: ["bob@example.com", "carol@example.com", "dave.contractor@example.com"], total: 4, allowed: 1, refused: false, message: null });
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
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bitsight-export-"));
            const out = path.join(dir, "users.yaml");
            const exported = await cli(["export", "--adopt", "--output", out], api());
            assert.equal(exported.code, 0, exported.stderr);
            assert.equal(exported.stdout, "");
            assert.match(exported.stderr, /^Wrote 4 users to .*users\.yaml\n$/);
            const text = fs.readFileSync(out, "utf8");
            const schemaLine = /^# yaml-language-server: \$schema=(\S+)\n/.exec(text);
            assert.ok(schemaLine);
            assert.equal(path.resolve(dir, schemaLine[1]!), path.join(REPO_ROOT, "schema", "users-file.schema.json"));
            assert.match(text, /# guid b0000000-0000-4000-8000-000000000002, last login 2026-11-20T08:15:02\.123456Z\n {2}- email: alice@example\.com/);
            assert.match(text, /Company API token users, not exported: api-token@example\.com/);
            assert.equal((text.match(/^ {4}adopt: true$/gm) ?? []).length, 4);
            const plan = await cli(["plan", out], api());
            assert.equal(plan.code, 0, plan.stdout);
            assert.match(plan.stdout, /In sync: the account matches the file \(4 users\)\.\n$/);
        });

        it("writes to standard output without --output", async () => {
            const r = await cli(["export"], api());
            assert.equal(r.code, 0);
            assert.match(r.stdout, /^# yaml-language-server: \$schema=schema\/users-file\.schema\.json\n/);
            assert.match(r.stdout, /add `adopt: true` \(or run export --adopt\) before the first `pulumi up`/);
        });
    });

    describe("usage", () => {
        it("prints help and exits 0", async () => {
            const r = await cli(["--help"]);
            assert.equal(r.code, 0);
            assert.match(r.stdout, /^Usage: bitsight-users <command> \[options\]/);
        });

        it("refuses an unknown command or format with exit 1", async () => {
            for (const args of [["deploy"], ["plan", GITOPS, "--format", "html"], ["plan"], ["validate"], ["plan", GITOPS, "--colour"]]) {
                const r = await cli(args, api());
                assert.equal(r.code, 1, args.join(" "));
                assert.match(r.stderr, /^bitsight-users: .*\nRun `bitsight-users --help` for usage\.\n$/, args.join(" "));
            }
        });
    });
});
