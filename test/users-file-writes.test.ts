// The commands that write a team's users file (pull, export --output, init) never lose,
// overwrite or misplace its work: read once, checked unchanged, written atomically, an
// existing file replaced only with --force, nothing written that validate would refuse.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { changeInTheUi, seededAccount, SEEDED } from "./emulator/seed";
import { runCli } from "./helpers/cli";
import { useCliEmulator } from "./helpers/emulator";
import { REPO_ROOT } from "./helpers/host";

describe("writing a team's users file", function () {
    this.timeout(30_000);
    const cli = useCliEmulator(seededAccount, "bitsight-file-");
    const { api, file: fileWith } = cli;

    describe("pull", () => {
        it("refuses, and leaves the file alone, when it changed on disk while the account was being listed", async () => {
            const file = fileWith(fs.readFileSync(path.join(REPO_ROOT, "examples", "gitops", "users.yaml"), "utf8"));
            changeInTheUi(cli.emu.account);
            // The first listing request waits until the file has been edited, as by a rebase or an editor's save.
            let release!: () => void;
            const held = new Promise<void>((resolve) => (release = resolve));
            let first = true;
            cli.emu.gate = async () => {
                if (!first) return;
                first = false;
                fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace("# Bitsight users of Example Corp.", "# Edited meanwhile.\n# Bitsight users of Example Corp."));
                release();
            };
            const r = await runCli(["pull", file], api());
            await held;
            assert.equal(r.code, 1);
            assert.equal(r.stdout, "");
            assert.match(r.stderr, /^bitsight-users: .*users\.yaml changed on disk while the account was being read; nothing was written\. Run the command again\.\n$/);
            const now = fs.readFileSync(file, "utf8");
            assert.match(now, /# Edited meanwhile\./);
            assert.match(now, /- email: bob@example\.com\n {8}formalName: Bob Analyst\n {8}adopt: true\n {6}- email/, "Bob's entry is as it was: no role written anywhere");
        });

        it("keeps the file's mode", async () => {
            const file = fileWith("users:\n  - email: bob@example.com\n    formalName: Bob Analyst\n    role: customer_user\n    adopt: true\n");
            fs.chmodSync(file, 0o640);
            changeInTheUi(cli.emu.account);
            const r = await runCli(["pull", file], api());
            assert.equal(r.code, 2, r.stderr);
            assert.match(fs.readFileSync(file, "utf8"), /role: customer_admin/);
            assert.equal(fs.statSync(file).mode & 0o777, 0o640);
            assert.deepEqual(fs.readdirSync(path.dirname(file)), ["users.yaml"], "no temporary file left");
        });

        it("writes features inherited from defaults as one features: map, however many changed", async () => {
            const file = fileWith("defaults:\n  features: { wfh-ro: true, fq-access: true }\nusers:\n  - email: bob@example.com\n    formalName: Bob Analyst\n    role: customer_user\n    group: Security Operations\n    adopt: true\n");
            const bob = cli.emu.account.users.get(SEEDED.bob)!;
            // Changed in the UI: both turned off.
            bob.features = { "wfh-ro": { value: false, can_update: true }, "fq-access": { value: false, can_update: true } };
            const r = await runCli(["pull", file], api());
            assert.equal(r.stderr, "");
            assert.match(r.stdout, /bob@example\.com: features\.wfh-ro true -> false\n {2}bob@example\.com: features\.fq-access true -> false\n/);
            assert.equal(
                fs.readFileSync(file, "utf8"),
                "defaults:\n  features: { wfh-ro: true, fq-access: true }\nusers:\n  - email: bob@example.com\n    formalName: Bob Analyst\n    role: customer_user\n    group: Security Operations\n    adopt: true\n    features: { wfh-ro: false, fq-access: false }\n",
            );
            assert.equal((await runCli(["plan", file], api())).stdout.includes("~ bob@example.com"), false, "Bob is in sync");
        });

        it("removes the first key of a list entry without merging the entry into the one above", async () => {
            const file = fileWith("defaults:\n  role: customer_user\nusers:\n  - email: alice@example.com\n    formalName: Alice Admin\n    role: customer_admin\n    isAvailableForContact: true\n    adopt: true\n  - role: customer_admin   # made Admin for the audit\n    email: bob@example.com\n    formalName: Bob Analyst\n    group: Security Operations\n    adopt: true\n");
            const r = await runCli(["pull", file], api());
            assert.match(r.stdout, /bob@example\.com: role customer_admin -> customer_user/);
            assert.equal(
                fs.readFileSync(file, "utf8"),
                "defaults:\n  role: customer_user\nusers:\n  - email: alice@example.com\n    formalName: Alice Admin\n    role: customer_admin\n    isAvailableForContact: true\n    adopt: true\n  - email: bob@example.com\n    formalName: Bob Analyst\n    group: Security Operations\n    adopt: true\n",
            );
        });

        it("does not write a role the schema does not know, and names the user", async () => {
            const file = fileWith("users:\n  - email: bob@example.com\n    formalName: Bob Analyst\n    role: customer_user\n    group: Security Operations\n    adopt: true\n");
            const before = fs.readFileSync(file, "utf8");
            cli.emu.account.users.get(SEEDED.bob)!.roles = ["super_root"];
            const r = await runCli(["pull", file], api());
            assert.equal(r.code, 1);
            assert.match(r.stderr, /^Not pulled: bob@example\.com: the account's values would not pass validate \(role: "super_root" is not a Bitsight role.*\); fix the user in the Bitsight UI, then pull again\n/m);
            assert.equal(fs.readFileSync(file, "utf8"), before);
            assert.equal((await runCli(["validate", file])).code, 0);
        });
    });

    describe("export --output", () => {
        it("refuses an existing file without --force, before any request, and points to pull", async () => {
            const file = fileWith("# our policy, reasons and comments\nusers: []\n");
            const r = await runCli(["export", "--output", file], api());
            assert.equal(r.code, 1);
            assert.equal(
                r.stderr,
                `bitsight-users: export would overwrite ${file}; nothing was written. To bring an existing users file up to date, run \`bitsight-users pull\` on it; to replace it, pass --force.\n`,
            );
            assert.equal(fs.readFileSync(file, "utf8"), "# our policy, reasons and comments\nusers: []\n");
            assert.deepEqual(cli.emu.log, []);
        });

        it("replaces it with --force", async () => {
            const file = fileWith("users: []\n");
            const r = await runCli(["export", "--output", file, "--force"], api());
            assert.equal(r.code, 0, r.stderr);
            assert.match(fs.readFileSync(file, "utf8"), /- email: bob@example\.com/);
        });

        it("leaves out, naming it, a user whose role the schema does not know; the file validates", async () => {
            cli.emu.account.users.get(SEEDED.bob)!.roles = ["super_root"];
            const file = path.join(cli.dir, "users.yaml");
            const r = await runCli(["export", "--output", file], api());
            assert.equal(r.code, 1);
            assert.match(r.stderr, /^Not exported: bob@example\.com \(b0000000-0000-4000-8000-000000000003\): role: "super_root" is not a Bitsight role.*; fix the user in the Bitsight UI\n/m);
            assert.match(r.stderr, /Wrote 3 users to .*users\.yaml; 1 left out \(above\)\n$/);
            assert.doesNotMatch(fs.readFileSync(file, "utf8"), /bob@example\.com/);
            assert.equal((await runCli(["validate", file])).code, 0);
        });
    });
});
