// Examples are part of the product: every users file in examples/ is valid against the
// schema (and its group names exist in the sample account it is written for); every
// TypeScript example is compiled, strictly, by `npm run build`.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { parseDocument } from "yaml";
import { resolveGroups } from "../provider/usersfile/groups";
import { parseUsersFile } from "../provider/usersfile/parse";
import { GROUPS } from "./emulator/seed";
import { REPO_ROOT } from "./helpers/host";

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

    it("pull-request.yml previews with a comment and summarises access changes", () => {
        const w = load("pull-request.yml");
        assert.deepEqual(pulumi(w)?.with, { command: "preview", "stack-name": "prod", "comment-on-pr": true, "github-token": "${{ secrets.GITHUB_TOKEN }}" });
        const run = steps(w).map((s) => s.run ?? "").join("\n");
        assert.ok(run.includes("pulumi stack export --stack prod --file state.json"));
        assert.ok(run.includes("bitsight-users plan users.yaml --state state.json --format markdown"));
        assert.ok(run.includes("jq -e '.summary.notAdopted == 0' plan.json"), "an existing user declared without adopt fails the check");
        assert.ok(run.includes("jq -e '.removal.refused | not' plan.json"), "so does a mass removal");
        assert.ok("pull_request" in w.on);
    });

    it("drift.yml refreshes in a preview that expects no changes, on a schedule", () => {
        const w = load("drift.yml");
        assert.deepEqual(pulumi(w)?.with, { command: "preview", "stack-name": "prod", refresh: true, "expect-no-changes": true });
        assert.ok("schedule" in w.on);
        assert.ok(steps(w).some((s) => s.run?.includes("bitsight-users plan users.yaml --format markdown")));
    });

    it("drift.yml opens a pull request that accepts the drift, only when the check failed", () => {
        const w = load("drift.yml") as unknown as { jobs: Record<string, { needs?: string; if?: string; permissions?: Record<string, string>; steps: { run?: string; uses?: string }[] }> };
        const accept = w.jobs["accept"]!;
        assert.deepEqual([accept.needs, accept.if], ["drift", "${{ failure() }}"]);
        assert.deepEqual(accept.permissions, { contents: "write", "pull-requests": "write" });
        const runs = accept.steps.map((s) => s.run ?? s.uses ?? "");
        const pull = runs.findIndex((r) => r.includes("bitsight-users pull users.yaml"));
        assert.ok(pull > 0 && runs.slice(pull).some((r) => r.startsWith("peter-evans/create-pull-request@")), runs.join("; "));
    });

    it("applies never share a concurrency group with previews or drift, and are never cancelled", () => {
        type Concurrency = { group: string; "cancel-in-progress": boolean };
        const c = (f: string) => (load(f) as unknown as { concurrency: Concurrency }).concurrency;
        assert.deepEqual(c("apply.yml"), { group: "bitsight-users-apply", "cancel-in-progress": false });
        assert.deepEqual(c("drift.yml"), { group: "bitsight-users-drift", "cancel-in-progress": false });
        assert.deepEqual(c("pull-request.yml"), { group: "bitsight-users-preview-${{ github.event.pull_request.number }}", "cancel-in-progress": true });
        assert.deepEqual(c("validate.yml"), { group: "bitsight-users-validate-${{ github.event.pull_request.number }}", "cancel-in-progress": true });
    });

    for (const f of ["validate.yml", "pull-request.yml", "apply.yml"]) {
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
