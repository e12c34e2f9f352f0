// What the CLI shows a reviewer: every grant of a new user, access the file does not
// govern, and a clear refusal for what it does not take.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { seededAccount, SEEDED } from "./emulator/seed";
import { runCli } from "./helpers/cli";
import { useCliEmulator } from "./helpers/emulator";

describe("what bitsight-users shows", function () {
    this.timeout(20_000);
    const cli = useCliEmulator(seededAccount, "bitsight-shows-");
    const { api, file } = cli;

    const NEW_USER = "unmanaged:\n  - { email: alice@example.com, reason: x }\n  - { email: bob@example.com, reason: x }\n  - { email: carol@example.com, reason: x }\n  - { email: dave.contractor@example.com, reason: x }\nusers:\n  - email: nia@example.com\n    formalName: Nia Obi\n    role: customer_user\n    features: { wfh-ro: true, fq-access: false }\n    isAvailableForContact: true\n";

    describe("every grant of a new user", () => {
        it("text", async () => {
            const r = await runCli(["plan", file(NEW_USER)], api());
            assert.equal(r.code, 2, r.stderr);
            assert.ok(
                r.stdout.includes("To create (1):\n  + nia@example.com              customer_user               default group\n      features.wfh-ro: true\n      features.fq-access: false\n      isAvailableForContact: true\n"),
                r.stdout,
            );
        });

        it("markdown", async () => {
            const r = await runCli(["plan", file(NEW_USER), "--format", "markdown"], api());
            assert.ok(
                r.stdout.includes(
                    "| <code>nia\\@example\\.com</code> | <code>customer\\_user</code> | <code>default group</code> | <code>features\\.wfh-ro\\: true</code>, <code>features\\.fq-access\\: false</code>, <code>isAvailableForContact\\: true</code> |",
                ),
                r.stdout,
            );
        });

        it("json", async () => {
            const r = await runCli(["plan", file(NEW_USER), "--format", "json"], api());
            const plan = JSON.parse(r.stdout) as { create: { email: string; grants: unknown }[] };
            assert.deepEqual(plan.create[0]!.grants, { features: { "wfh-ro": true, "fq-access": false }, isAvailableForContact: true });
        });
    });

    describe("a feature turned on in the UI that the file does not declare", () => {
        const BOB = "users:\n  - { email: bob@example.com, formalName: Bob Analyst, role: customer_user, group: Security Operations, adopt: true }\nunmanaged:\n  - { email: alice@example.com, reason: x }\n  - { email: carol@example.com, reason: x }\n  - { email: dave.contractor@example.com, reason: x }\n";
        beforeEach(() => (cli.emu.account.users.get(SEEDED.bob)!.features["fq-access"] = { value: true, can_update: true }));

        it("plan shows it as account state the file does not govern, not as a difference", async () => {
            const r = await runCli(["plan", file(BOB)], api());
            assert.equal(r.code, 0, r.stdout);
            assert.ok(r.stdout.includes("Account state the file does not govern (not differences) (1):\n  * bob@example.com: features on in the account, not declared: fq-access\n"), r.stdout);
            const json = JSON.parse((await runCli(["plan", file(BOB), "--format", "json"], api())).stdout) as { ungoverned: unknown };
            assert.deepEqual(json.ungoverned, [{ email: "bob@example.com", guid: SEEDED.bob, features: ["fq-access"] }]);
        });

        it("review lists it", async () => {
            const r = await runCli(["review", file(BOB), "--as-of", "2026-12-01"], api());
            assert.match(r.stdout, /Features on that the file does not declare \(1\):\n {4}email {12}features {3}in the file\n {4}bob@example\.com {2}fq-access {2}declared\n/);
        });
    });

    describe("refusals", () => {
        const cases: [string[], string, string][] = [
            [["validate", "users.yaml", "--format", "json"], "validate does not take --format", "Usage: bitsight-users validate [FILE...]"],
            [["review", "users.yaml", "--output", "x.csv"], "review does not take --output", "Usage: bitsight-users review [FILE]"],
            [["init", "somewhere", "--adopt"], "init does not take --adopt", "Usage: bitsight-users init [DIR]"],
            [["plan", "users.yaml", "--include-undeclared"], "plan does not take --include-undeclared", "Usage: bitsight-users plan [FILE]"],
        ];
        for (const [args, said, usage] of cases) {
            it(`${args.join(" ")}: refused with the command's usage, nothing done`, async () => {
                const r = await runCli(args.map((a) => (a === "users.yaml" ? file("users: []\n") : a === "somewhere" ? path.join(cli.dir, "new") : a)), api());
                assert.equal(r.code, 1);
                assert.ok(r.stderr.startsWith(`bitsight-users: ${said}\n${usage}`), r.stderr);
                assert.match(r.stderr, /Run `bitsight-users --help` for usage\.\n$/);
                assert.equal(r.stdout, "");
                assert.deepEqual(cli.emu.log, []);
                assert.ok(!fs.existsSync(path.join(cli.dir, "new")) && !fs.existsSync("x.csv"));
            });
        }

        it("--format without a value is said like every other error", async () => {
            const r = await runCli(["plan", "users.yaml", "--format"], api());
            assert.equal(r.stderr, "bitsight-users: --format needs a value\nRun `bitsight-users --help` for usage.\n");
        });

        it("an API URL with a path says that the URL is the origin only, before any request", async () => {
            const r = await runCli(["plan", file("users: []\n")], { ...api(), BITSIGHT_API_URL: `${cli.emu.url}/ratings/v2` });
            assert.equal(r.code, 1);
            assert.equal(
                r.stderr,
                `bitsight-users: the BITSIGHT_API_URL environment variable is the API's origin only, ${cli.emu.url}, not ${cli.emu.url}/ratings/v2: the provider adds /ratings/v2/users and the other paths itself.\n`,
            );
            assert.deepEqual(cli.emu.log, []);
        });
    });
});
