import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { parseUsersFile } from "../usersfile/parse";
import { refuseOverwrite, scaffold, writeScaffold } from "./init";

type Workflow = { on: Record<string, { paths?: string[] }>; jobs: Record<string, { defaults?: unknown; steps: { uses?: string; with?: Record<string, unknown> }[] }> };

describe("init", () => {
    const tmp = () => fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "bitsight-init-")));

    it("in a folder of a larger git repository, writes the workflows at its root, running in that folder", () => {
        const repo = tmp();
        fs.mkdirSync(path.join(repo, ".git"));
        const files = scaffold({ dir: path.join(repo, "infra", "bitsight"), force: false });
        writeScaffold(files);
        const wf = parse(fs.readFileSync(path.join(repo, ".github", "workflows", "bitsight-pull-request.yml"), "utf8")) as Workflow;
        assert.deepEqual(wf.on["pull_request"]!.paths, ["infra/bitsight/users.yaml", "infra/bitsight/Pulumi.yaml", "infra/bitsight/Pulumi.*.yaml"]);
        const job = wf.jobs["preview"]!;
        assert.deepEqual(job.defaults, { run: { "working-directory": "infra/bitsight" } });
        assert.equal(job.steps.find((s) => s.uses?.startsWith("actions/setup-node"))!.with!["cache-dependency-path"], "infra/bitsight/package-lock.json");
        assert.equal(job.steps.find((s) => s.uses?.startsWith("pulumi/actions"))!.with!["work-dir"], "infra/bitsight");
        assert.ok(fs.existsSync(path.join(repo, "infra", "bitsight", "users.yaml")));
    });

    it("at a repository's root, writes the recipes as they are", () => {
        const dir = tmp();
        const files = scaffold({ dir, force: false });
        const drift = files.find((f) => f.path.endsWith("bitsight-drift.yml"))!;
        assert.equal(drift.path, path.join(dir, ".github", "workflows", "bitsight-drift.yml"));
        assert.equal(drift.text, fs.readFileSync(path.join(__dirname, "..", "..", "..", "examples", "ci", "drift.yml"), "utf8"));
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

    it("refuses when any file exists, naming it", () => {
        const dir = tmp();
        fs.writeFileSync(path.join(dir, "index.js"), "// ours\n");
        assert.throws(() => refuseOverwrite(scaffold({ dir, force: false })), { message: `init would overwrite ${path.join(dir, "index.js")}; nothing was written. Move them away, or pass --force to overwrite them.` });
    });
});
