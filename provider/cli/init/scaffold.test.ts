import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { parseUsersFile } from "../../usersfile/parse";
import { runCli } from "../../../test/helpers/cli";
import { REPO_ROOT } from "../../../test/helpers/host";
import { BitsightEmulator } from "../../../test/emulator/server";
import { seededAccount, SEED_TOKEN } from "../../../test/emulator/seed";
import { refuseOverwrite, writeScaffold } from "./command";
import { scaffold } from "../team/scaffold";
import { setupText } from "../team/setup";
import { tempDir } from "../../../test/helpers/temp";

type Workflow = { on: Record<string, { paths?: string[] }>; jobs: Record<string, { defaults?: unknown; steps: { uses?: string; with?: Record<string, unknown> }[] }> };

describe("init", () => {
    const tmp = () => tempDir("bitsight-init-");

    it("in a folder of a larger git repository, writes the workflows at its root, running in that folder", () => {
        const repo = tmp();
        fs.mkdirSync(path.join(repo, ".git"));
        const files = scaffold({ dir: path.join(repo, "infra", "bitsight"), force: false });
        writeScaffold(files);
        const wf = parse(fs.readFileSync(path.join(repo, ".github", "workflows", "bitsight-pull-request.yml"), "utf8")) as Workflow;
        const validate = parse(fs.readFileSync(path.join(repo, ".github", "workflows", "bitsight-validate.yml"), "utf8")) as Workflow;
        assert.deepEqual(validate.on["pull_request"]!.paths, ["infra/bitsight/users.yaml", "infra/bitsight/package.json", "infra/bitsight/package-lock.json"]);
        const job = wf.jobs["preview"]!;
        assert.deepEqual(job.defaults, { run: { "working-directory": "infra/bitsight" } });
        // The repository-secrets check checks nothing out: it runs where the runner starts.
        assert.equal(wf.jobs["repository-secrets"]!.defaults, undefined);
        assert.equal(job.steps.find((s) => s.uses?.startsWith("actions/setup-node"))!.with!["cache-dependency-path"], "infra/bitsight/package-lock.json");
        assert.equal(job.steps.find((s) => s.uses?.startsWith("pulumi/actions"))!.with!["work-dir"], "infra/bitsight");
        assert.ok(fs.existsSync(path.join(repo, "infra", "bitsight", "users.yaml")));
    });

    it("at a repository's root, writes the recipes as they are", () => {
        const dir = tmp();
        const files = scaffold({ dir, force: false });
        const drift = files.find((f) => f.path.endsWith("bitsight-drift.yml"))!;
        assert.equal(drift.path, path.join(dir, ".github", "workflows", "bitsight-drift.yml"));
        assert.equal(drift.text, fs.readFileSync(path.join(REPO_ROOT, "examples", "ci", "drift.yml"), "utf8"));
    });

    it("depends on the package spec it is given, and its starter users file validates", () => {
        const dir = tmp();
        const files = scaffold({ dir, force: false, packageSpec: "file:../pulumi-bitsight-0.1.0.tgz" });
        const pkg = JSON.parse(files.find((f) => f.path.endsWith("package.json"))!.text) as { dependencies: Record<string, string> };
        assert.equal(pkg.dependencies["pulumi-bitsight"], "file:../pulumi-bitsight-0.1.0.tgz");
        assert.ok(pkg.dependencies["@pulumi/pulumi"]);
        const starter = parseUsersFile(files.find((f) => f.path.endsWith("users.yaml"))!.text, "users.yaml");
        assert.deepEqual([starter.users.length, starter.unmanaged.length], [0, 0]);
    });

    it("the README's list of what init writes names every file it writes, and nothing else", () => {
        const readme = fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");
        const block = /`init \[DIR\]` writes[\s\S]*?```text\n([\s\S]*?)```/.exec(readme)![1]!;
        const braces = (name: string): string[] => {
            const m = /^(.*)\{([^}]+)\}(.*)$/.exec(name);
            return m ? m[2]!.split(",").map((part) => `${m[1]}${part}${m[3]}`) : [name];
        };
        const listed = block.split("\n").filter(Boolean).flatMap((l) => braces(l.split(/\s+/)[0]!));
        const dir = tmp();
        assert.deepEqual(listed.sort(), scaffold({ dir, force: false }).map((f) => path.relative(dir, f.path)).sort());
    });

    it("refuses when any file exists, naming it", () => {
        const dir = tmp();
        fs.writeFileSync(path.join(dir, "index.js"), "// ours\n");
        assert.throws(() => refuseOverwrite(scaffold({ dir, force: false })), { message: `init would overwrite ${path.join(dir, "index.js")}; nothing was written. Move them away, or pass --force to overwrite them.` });
    });

    describe("what init says next", () => {
        it("says what the workflows it wrote need from GitHub, from those workflows", async () => {
            const dir = path.join(tmp(), "access");
            const r = await runCli(["init", dir]);
            assert.equal(r.code, 0, r.stderr);
            const written = ["validate", "pull-request", "apply", "drift"].map((w) => fs.readFileSync(path.join(dir, ".github", "workflows", `bitsight-${w}.yml`), "utf8"));
            assert.ok(r.stdout.includes(`\n${setupText(written, "pulumi-bitsight")}\n`), r.stdout);
        });

        it("says to commit the lock file", async () => {
            const dir = path.join(tmp(), "access");
            const r = await runCli(["init", dir]);
            assert.equal(r.code, 0, r.stderr);
            assert.match(r.stdout, /git add \. && git commit {3}# package-lock\.json included: CI's npm ci installs exactly what it lists\n/);
            assert.equal(r.stderr, "");
        });

        it("says which command reads the token from where, and the commands it names find users.yaml without being told", async () => {
            const dir = path.join(tmp(), "access");
            const r = await runCli(["init", dir]);
            assert.match(r.stdout, /BITSIGHT_API_TOKEN=\.\.\. npx bitsight-users plan {3}# the CLI reads the token from BITSIGHT_API_TOKEN only\n/);
            assert.match(r.stdout, /pulumi config set --secret bitsight:apiToken <token> && pulumi up {3}# pulumi up from the stack's secret \(or BITSIGHT_API_TOKEN\)\n/);
            // As the program does: no file given, no stack naming one: the project's users.yaml.
            const here = process.cwd();
            try {
                process.chdir(dir);
                const validated = await runCli(["validate"]);
                assert.equal(validated.code, 0, validated.stderr);
                assert.match(validated.stdout, /users\.yaml/);
                const emu = await BitsightEmulator.start({ account: seededAccount() });
                try {
                    const planned = await runCli(["plan"], { BITSIGHT_API_URL: emu.url, BITSIGHT_API_TOKEN: SEED_TOKEN });
                    assert.ok(planned.code === 0 || planned.code === 2, planned.stderr);
                    assert.match(planned.stdout, /^Plan for \S*users\.yaml against http:\/\/127\.0\.0\.1:/);
                } finally {
                    await emu.stop();
                }
                process.chdir(path.dirname(dir));
                const outside = await runCli(["validate"]);
                assert.equal(outside.code, 1);
                assert.match(outside.stderr, /validate needs a users file: give its path, run it in a Pulumi project that has users\.yaml, or set bitsight:usersFile/);
            } finally {
                process.chdir(here);
            }
        });

        it("warns that CI cannot install a package spec that is a file outside the repository", async () => {
            const dir = path.join(tmp(), "access");
            const r = await runCli(["init", dir, "--package-spec", "file:../pulumi-bitsight-0.1.0.tgz"]);
            assert.equal(r.code, 0);
            assert.match(r.stderr, /^Warning: package\.json depends on pulumi-bitsight through file:\.\.\/pulumi-bitsight-0\.1\.0\.tgz, a file outside .*: npm install works here, but CI's npm ci cannot find it\. .* or copy it into the repository and depend on file:\.\/pulumi-bitsight-0\.1\.0\.tgz\.\n$/);
            const inside = await runCli(["init", path.join(tmp(), "access"), "--package-spec", "file:./vendor/pulumi-bitsight-0.1.0.tgz"]);
            assert.equal(inside.stderr, "");
        });
    });

    describe("the team's own files, and an upgrade", () => {
        const files = (dir: string) => fs.readdirSync(dir, { recursive: true }).map(String).filter((f) => !f.startsWith(".git/") && f !== ".git").sort();

        it("writes CODEOWNERS covering users.yaml, the code and the workflows, for a project in a subfolder", async () => {
            const repo = tmp();
            fs.mkdirSync(path.join(repo, ".git"));
            assert.equal((await runCli(["init", path.join(repo, "infra", "bitsight")])).code, 0);
            const owners = fs.readFileSync(path.join(repo, ".github", "CODEOWNERS"), "utf8").split("\n").filter((l) => l && !l.startsWith("#"));
            assert.deepEqual(owners.map((l) => l.split(" ")[0]), [
                "/infra/bitsight/users.yaml",
                "/infra/bitsight/package.json",
                "/infra/bitsight/package-lock.json",
                "/infra/bitsight/index.js",
                "/infra/bitsight/Pulumi*.yaml",
                "/.github/workflows/bitsight-*.yml",
                "/.github/CODEOWNERS",
            ]);
        });

        it("keeps a CODEOWNERS the repository has, and says which lines to add", async () => {
            const repo = tmp();
            fs.mkdirSync(path.join(repo, ".github"), { recursive: true });
            fs.writeFileSync(path.join(repo, ".github", "CODEOWNERS"), "* @acme/everyone\n");
            const r = await runCli(["init", repo]);
            assert.equal(r.code, 0, r.stderr);
            assert.equal(fs.readFileSync(path.join(repo, ".github", "CODEOWNERS"), "utf8"), "* @acme/everyone\n");
            assert.match(r.stderr, /^Kept \.github\/CODEOWNERS, which exists: add these lines to it, with your team:\n {2}\/users\.yaml @your-org\/bitsight-admins\n/);
        });

        it("--force keeps the team's package.json and Pulumi.yaml: their dependency and the project's name stay", async () => {
            const repo = tmp();
            assert.equal((await runCli(["init", repo])).code, 0);
            const pkg = `${JSON.stringify({ name: "acme-access", dependencies: { "@pulumi/pulumi": "3.276.0", "pulumi-bitsight": "file:vendor/pulumi-bitsight-0.1.0.tgz" } }, null, 2)}\n`;
            const project = "name: acme-bitsight\nruntime: nodejs\n";
            fs.writeFileSync(path.join(repo, "package.json"), pkg);
            fs.writeFileSync(path.join(repo, "Pulumi.yaml"), project);
            const r = await runCli(["init", repo, "--force"]);
            assert.equal(r.code, 0, r.stderr);
            assert.equal(fs.readFileSync(path.join(repo, "package.json"), "utf8"), pkg);
            assert.equal(fs.readFileSync(path.join(repo, "Pulumi.yaml"), "utf8"), project);
            assert.match(r.stderr, /^Kept package\.json, which exists: init never overwrites it\.$/m);
            assert.match(r.stderr, /^Kept Pulumi\.yaml, which exists: init never overwrites it\.$/m);
        });

        it("--force overwrites the scaffold but never users.yaml", async () => {
            const repo = tmp();
            assert.equal((await runCli(["init", repo])).code, 0);
            fs.writeFileSync(path.join(repo, "users.yaml"), "# ours\nusers: []\n");
            fs.writeFileSync(path.join(repo, "index.js"), "// changed\n");
            const r = await runCli(["init", repo, "--force"]);
            assert.equal(r.code, 0, r.stderr);
            assert.equal(fs.readFileSync(path.join(repo, "users.yaml"), "utf8"), "# ours\nusers: []\n");
            assert.notEqual(fs.readFileSync(path.join(repo, "index.js"), "utf8"), "// changed\n");
            assert.match(r.stderr, /Kept users\.yaml, which exists: init never overwrites it\./);
        });

        it("--update-workflows rewrites the workflows only", async () => {
            const repo = tmp();
            assert.equal((await runCli(["init", repo])).code, 0);
            const before = files(repo);
            const wf = path.join(repo, ".github", "workflows", "bitsight-apply.yml");
            fs.writeFileSync(wf, "# an old version\n");
            for (const f of ["users.yaml", "index.js", "package.json"]) fs.writeFileSync(path.join(repo, f), `// ${f}, the team's\n`);
            const r = await runCli(["init", repo, "--update-workflows"]);
            assert.equal(r.code, 0, r.stderr);
            assert.match(r.stdout, /^Rewrote 4 workflows:\n {2}\.github\/workflows\/bitsight-validate\.yml\n/);
            assert.notEqual(fs.readFileSync(wf, "utf8"), "# an old version\n");
            for (const f of ["users.yaml", "index.js", "package.json"]) assert.equal(fs.readFileSync(path.join(repo, f), "utf8"), `// ${f}, the team's\n`);
            assert.deepEqual(files(repo), before);
        });
    });
});
