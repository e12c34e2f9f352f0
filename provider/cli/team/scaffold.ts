// A team's own repository for its users file, as `init [DIR]` writes it and `check` checks it,
// calling this package rather than copying it. The layout is the one examples/ci assumes (users.yaml beside
// Pulumi.yaml); when DIR is a folder inside a git repository, the workflows go to that
// repository's .github/workflows (the only place GitHub reads them) and run in DIR.
import * as fs from "fs";
import * as path from "path";
import { isMap, isSeq, parseDocument, type Document } from "yaml";
import { installedName, ownPackage, PACKAGE_ROOT } from "../../package/installed-name";
import { teamReadme } from "./setup";
import { CODEOWNERS_PLACEHOLDER } from "./verdicts";

export interface InitOptions {
    dir: string;
    /** What package.json depends on: `^version` by default; a tarball path or git URL until the package is published. */
    packageSpec?: string;
    force: boolean;
}

export interface ScaffoldFile {
    /** Absolute. */
    path: string;
    text: string;
    /** The team's own once written (users.yaml, CODEOWNERS): never overwritten, --force or not. */
    theirs?: boolean;
    /** A GitHub workflow: what --update-workflows rewrites. */
    workflow?: boolean;
    /** Copied from this file instead of written from `text` (a vendored tarball). */
    copyFrom?: string;
}

/**
 * A `file:` tarball outside the repository (`npm run package`'s, in the tool's clone):
 * CI's `npm ci` could not reach it, so it is copied into `vendor/`, committed with the
 * repository, and depended on there. The path is read as npm reads it, from DIR, or else
 * from where `init` was run.
 */
export function vendoredTarball(spec: string | undefined, dir: string, cwd = process.cwd()): { spec: string; from: string; to: string } | undefined {
    if (!spec?.startsWith("file:") || !spec.endsWith(".tgz")) return undefined;
    const named = spec.slice("file:".length);
    const from = [path.resolve(dir, named), path.resolve(cwd, named)].find((p) => fs.existsSync(p));
    if (!from) return undefined;
    const inside = path.relative(dir, from);
    if (!inside.startsWith("..") && !path.isAbsolute(inside)) return undefined;
    const base = path.basename(from);
    return { spec: `file:vendor/${base}`, from, to: path.join(dir, "vendor", base) };
}

const WORKFLOWS = ["validate.yml", "pull-request.yml", "apply.yml", "drift.yml"];

/** The folder holding .git at or above `dir`, if any. */
export function gitRoot(dir: string): string | undefined {
    for (let d = path.resolve(dir); ; d = path.dirname(d)) {
        if (fs.existsSync(path.join(d, ".git"))) return d;
        if (d === path.dirname(d)) return undefined;
    }
}

/** Where the package's schema lies from `dir`, once installed there (the name `init` is run under, which is the one package.json gets). */
export function schemaReference(name: string): string {
    return `node_modules/${name}/schema/users-file.schema.json`;
}

export function starterUsersFile(name: string): string {
    return `# yaml-language-server: $schema=${schemaReference(name)}
#
# Who has access to Bitsight, declared. A pull request changes this file; merging it
# applies it (pulumi up). To start from the account as it is today instead, replace this
# file with it: \`npx bitsight-users export --adopt --output users.yaml --force\`
defaults:
  role: customer_user
users: []
# users:
#   - email: ana.lopez@example.com
#     formalName: Ana Lopez
#     role: customer_admin
#
# Users who exist in the account but are deliberately not managed here (a break-glass
# Admin, another team's service user): plan reports them apart and does not fail on them.
# unmanaged:
#   - email: break-glass@example.com
#     reason: emergency access, kept outside GitOps by the security team
`;
}

/** A workflow from examples/ci, made to run in `sub` (a folder of the git repository) when the project is not at its root. */
export function adaptWorkflow(text: string, sub: string): string {
    if (!sub) return text;
    const doc: Document = parseDocument(text);
    for (const trigger of ["pull_request", "push"]) {
        const paths = doc.getIn(["on", trigger, "paths"]);
        if (isSeq(paths)) {
            paths.items = paths.items.map((p) => doc.createNode(`${sub}/${String((p as { value: unknown }).value)}`));
            paths.flow = false;
        }
    }
    const jobs = doc.get("jobs");
    if (isMap(jobs)) {
        for (const job of jobs.items) {
            const name = String((job.key as { value: unknown }).value);
            const steps = doc.getIn(["jobs", name, "steps"]);
            if (!isSeq(steps)) continue;
            // A job that checks nothing out (the repository-secrets check) has no folder to run in.
            const checksOut = steps.items.some((_step, i) => String(doc.getIn(["jobs", name, "steps", i, "uses"]) ?? "").startsWith("actions/checkout"));
            if (!checksOut) continue;
            doc.setIn(["jobs", name, "defaults"], doc.createNode({ run: { "working-directory": sub } }));
            steps.items.forEach((_step, i) => {
                const uses = String(doc.getIn(["jobs", name, "steps", i, "uses"]) ?? "");
                if (uses.startsWith("actions/setup-node")) doc.setIn(["jobs", name, "steps", i, "with", "cache-dependency-path"], `${sub}/package-lock.json`);
                if (uses.startsWith("pulumi/actions")) doc.setIn(["jobs", name, "steps", i, "with", "work-dir"], sub);
            });
        }
    }
    return doc.toString();
}

/** Every file `init` writes, nothing written yet. */
export function scaffold(opts: InitOptions): ScaffoldFile[] {
    const dir = path.resolve(opts.dir);
    const own = ownPackage();
    const name = installedName();
    const vendored = vendoredTarball(opts.packageSpec, dir);
    const project = path.basename(dir).toLowerCase().replace(/[^a-z0-9._-]+/g, "-").replace(/^[._-]+/, "") || "bitsight-users";
    const packageJson = {
        name: project,
        private: true,
        description: "Bitsight user access as code: users.yaml, applied by Pulumi",
        main: "index.js",
        scripts: { validate: "bitsight-users validate users.yaml", plan: "bitsight-users plan users.yaml" },
        dependencies: { "@pulumi/pulumi": own.peerDependencies["@pulumi/pulumi"]!, [name]: vendored?.spec ?? opts.packageSpec ?? `^${own.version}` },
        engines: own.engines,
    };
    const files: ScaffoldFile[] = [
        // The team's once written: --force rewriting them pinned a version the registry may not
        // have, and renamed the project after the folder, away from its stacks.
        { path: path.join(dir, "package.json"), text: `${JSON.stringify(packageJson, null, 2)}\n`, theirs: true },
        {
            path: path.join(dir, "Pulumi.yaml"),
            text: `# \`pulumi up\` reconciles users.yaml (or the file \`bitsight:usersFile\` names) with the account.\nname: ${project}\ndescription: Bitsight user access as code\nruntime:\n  name: nodejs\n`,
            theirs: true,
        },
        {
            path: path.join(dir, "index.js"),
            text: `// The whole program: the users-file program of ${name}, with users.yaml as its file.\nmodule.exports = require("${name}/program").usersFileProgram({ usersFile: "users.yaml" });\n`,
        },
        { path: path.join(dir, "users.yaml"), text: starterUsersFile(name), theirs: true },
        // A write killed halfway leaves its temporary file (../../files/write-file): never to be committed.
        { path: path.join(dir, ".gitignore"), text: "node_modules/\n.*.tmp\n" },
    ];
    if (vendored) files.push({ path: vendored.to, text: "", copyFrom: vendored.from });
    const repo = gitRoot(dir) ?? dir;
    const sub = path.relative(repo, dir).split(path.sep).join("/");
    for (const wf of WORKFLOWS) {
        const text = fs.readFileSync(path.join(PACKAGE_ROOT, "examples", "ci", wf), "utf8");
        files.push({ path: path.join(repo, ".github", "workflows", `bitsight-${wf}`), text: adaptWorkflow(text, sub), workflow: true });
    }
    files.push({ path: path.join(repo, ".github", "CODEOWNERS"), text: codeOwners(sub), theirs: true });
    // The setup the workflows need, kept in the repository: the team's to edit once written.
    files.push({ path: path.join(dir, "README.md"), text: teamReadme(files.filter((f) => f.workflow).map((f) => f.text), name), theirs: true });
    return files;
}

/**
 * Who must review a change to access, the workflows and the code that applies it: GitHub
 * asks them when branch protection requires review from code owners.
 */
export function codeOwners(sub: string): string {
    const at = (f: string) => `/${sub ? `${sub}/` : ""}${f}`;
    const owner = CODEOWNERS_PLACEHOLDER;
    return [
        `# Who must approve a change to Bitsight access (users.yaml), to the code that applies it,`,
        `# and to its workflows. Replace ${owner} with your team, then turn on "Require review`,
        `# from Code Owners" in the main branch's protection rule.`,
        ...["users.yaml", "package.json", "package-lock.json", "index.js", "Pulumi*.yaml"].map((f) => `${at(f)} ${owner}`),
        `/.github/workflows/bitsight-*.yml ${owner}`,
        `/.github/CODEOWNERS ${owner}`,
        "",
    ].join("\n");
}

/** What `init` writes: with --update-workflows the workflows only; the team's own files (package.json, Pulumi.yaml, users.yaml, CODEOWNERS, README.md) only where they do not exist. */
export function toWrite(files: ScaffoldFile[], opts: { updateWorkflows: boolean }): { write: ScaffoldFile[]; kept: ScaffoldFile[] } {
    const chosen = opts.updateWorkflows ? files.filter((f) => f.workflow) : files;
    const kept = chosen.filter((f) => f.theirs && fs.existsSync(f.path));
    return { write: chosen.filter((f) => !kept.includes(f)), kept };
}
