import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { runCli } from "../../../test/helpers/cli";
import { CODEOWNERS_PLACEHOLDER } from "../team/verdicts";
import { tempDir } from "../../../test/helpers/temp";

describe("check: a team's repository against the setup its workflows need, offline", () => {
    let root: string;
    let dir: string;
    beforeEach(async () => {
        root = tempDir("bitsight-check-");
        fs.mkdirSync(path.join(root, ".git"));
        dir = path.join(root, "access");
        assert.equal((await runCli(["init", dir])).code, 0);
    });
    afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

    const check = () => runCli(["check", dir]);
    const fixed = (r: { stdout: string }) => r.stdout.split("\n").filter((l) => l.startsWith("  FIX "));
    /** What init leaves to the team, done: the team named, the lock file committed. */
    const setUp = () => {
        const owners = path.join(root, ".github", "CODEOWNERS");
        fs.writeFileSync(owners, fs.readFileSync(owners, "utf8").replaceAll(CODEOWNERS_PLACEHOLDER, "@example/security"));
        fs.writeFileSync(path.join(dir, "package-lock.json"), "{}\n");
    };

    it("right after init: the placeholder team and the lock file to fix, and what only GitHub knows listed", async () => {
        const r = await check();
        assert.equal(r.code, 1);
        assert.deepEqual(fixed(r), [
            `  FIX ../.github/CODEOWNERS still names the placeholder ${CODEOWNERS_PLACEHOLDER}: replace it with your team`,
            "  FIX no package-lock.json: run npm install, and commit it",
        ]);
        assert.match(r.stdout, /^ {2}ok {2}4 workflows, as this version writes them$/m);
        assert.match(r.stdout, /^Only GitHub knows these: confirm them in the repository's settings:\n {2}- environment bitsight-pull-request \(required reviewers;/m);
        assert.equal(r.stderr, "2 of 5 checks to fix.\n");
    });

    it("passes once the team has done its part, and the README init wrote lists the same setup", async () => {
        setUp();
        const r = await check();
        assert.equal(r.code, 0, r.stdout);
        assert.deepEqual(fixed(r), []);
        const readme = fs.readFileSync(path.join(dir, "README.md"), "utf8");
        const listed = r.stdout.split("Only GitHub knows these")[1]!.split("\n").filter((l) => l.startsWith("  - ")).map((l) => l.slice(4));
        for (const line of listed) assert.ok(readme.includes(`- [ ] ${line}\n`), line);
    });

    it("finds a token kept in plain text in a stack file, and says how to store it as a secret", async () => {
        setUp();
        fs.writeFileSync(path.join(dir, "Pulumi.prod.yaml"), "config:\n  bitsight:apiToken: abc123\n");
        fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), "config:\n  bitsight:apiToken:\n    secure: v1:AAAA\n");
        const r = await check();
        assert.equal(r.code, 1);
        assert.deepEqual(fixed(r), [
            '  FIX Pulumi.prod.yaml holds bitsight:apiToken in plain text: pulumi config set --secret bitsight:apiToken "$(pulumi config get bitsight:apiToken --stack prod)" --stack prod; then rotate the token in Bitsight: git\'s history still holds it',
        ]);
        assert.doesNotMatch(r.stdout + r.stderr, /abc123/, "the token itself is never printed");
    });

    it("says where a stack file is not YAML, without quoting a line of it (it may hold the token)", async () => {
        setUp();
        fs.writeFileSync(path.join(dir, "Pulumi.prod.yaml"), "config:\n  bitsight:apiToken: abc123\n   bad: [\n");
        const r = await check();
        assert.equal(r.code, 1);
        assert.deepEqual(fixed(r), ["  FIX Pulumi.prod.yaml: not YAML (line 2, column 22): pulumi cannot read it either; correct the YAML there"]);
        assert.doesNotMatch(r.stdout + r.stderr, /abc123/);
    });

    it("finds a workflow edited or missing, a CODEOWNERS without users.yaml, and a users file that does not validate", async () => {
        setUp();
        const wf = path.join(root, ".github", "workflows");
        fs.appendFileSync(path.join(wf, "bitsight-apply.yml"), "# ours\n");
        fs.rmSync(path.join(wf, "bitsight-drift.yml"));
        fs.writeFileSync(path.join(root, ".github", "CODEOWNERS"), "* @example/everyone\n");
        fs.writeFileSync(path.join(dir, "users.yaml"), "users:\n  - { email: a@example.com }\n");
        const r = await check();
        assert.equal(r.code, 1);
        assert.deepEqual(fixed(r), [
            "  FIX ../.github/CODEOWNERS names no owner for /access/users.yaml: add `/access/users.yaml @your-team`",
            "  FIX missing: ../.github/workflows/bitsight-drift.yml; not as this version writes them (edited, or from another version): ../.github/workflows/bitsight-apply.yml; npx bitsight-users init --update-workflows rewrites them: review the diff",
            "  FIX users.yaml has 2 problems, the first: users.yaml:2:5: users[0].formalName: is required; npx bitsight-users validate users.yaml lists them all",
        ]);
    });

    it("refuses a folder init did not write, before reading anything", async () => {
        const r = await runCli(["check", root]);
        assert.equal(r.code, 1);
        assert.match(r.stderr, /holds no Pulumi\.yaml: run check in the folder init wrote, or name it/);
    });
});
