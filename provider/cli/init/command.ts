// `init [DIR]`: a team's repository (../team/scaffold says what it holds), with --from-account the live
// account as its users file. Nothing is written when a file exists, unless --force.
import * as fs from "fs";
import * as path from "path";
import { installedName } from "../../package/installed-name";
import { displayPath } from "../../usersfile/load";
import { refuseExisting, writeFileAtomic } from "../../files/write-file";
import { scaffold, schemaReference, toWrite, type ScaffoldFile } from "../team/scaffold";
import { setupText } from "../team/setup";
import { defineCommand } from "../options";
import { exportAccount, manageRoles } from "../export-account";
import { UsageError } from "../../base/errors";

export const init = defineCommand({
    operands: "[DIR]",
    about: "Start a team's repository in DIR (default: here): package.json, Pulumi.yaml, index.js, users.yaml, .gitignore, GitHub workflows, CODEOWNERS lines and a README with the setup the workflows need.",
    options: {
        "from-account": { type: "boolean", help: "write users.yaml from the live account (export --adopt)" },
        "manage-roles": { type: "string", value: "ROLES", help: "with --from-account, as for export" },
        "package-spec": { type: "string", value: "SPEC", help: "what package.json depends on (default ^VERSION; a tarball or git URL until the package is published)" },
        force: { type: "boolean", help: "overwrite files that exist, except yours, never overwritten: package.json, Pulumi.yaml, users.yaml, CODEOWNERS and README.md" },
        "update-workflows": { type: "boolean", help: "rewrite only the workflows (after an upgrade)" },
    },
    async run(values, files, io) {
        if (files.length > 1) throw new UsageError("init takes at most one folder");
        const opts = { dir: files[0] ?? ".", packageSpec: values["package-spec"], force: values.force };
        const updateWorkflows = values["update-workflows"];
        if (updateWorkflows && values["from-account"]) throw new UsageError("--update-workflows rewrites the workflows only; it takes no --from-account");
        const dir = path.resolve(opts.dir);
        const { write: written, kept } = toWrite(scaffold(opts), { updateWorkflows });
        // Refuse before reading the account: a refusal should cost no request. An existing
        // CODEOWNERS is the repository's and is kept; an existing users.yaml is refused
        // without --force, and kept with it.
        const keptOwners = kept.filter((f) => path.basename(f.path) === "CODEOWNERS");
        if (!opts.force && !updateWorkflows) refuseOverwrite([...written, ...kept.filter((f) => !keptOwners.includes(f))]);
        let leftOut = 0;
        const users = written.find((f) => path.basename(f.path) === "users.yaml");
        if (values["from-account"] && users) {
            const exported = await exportAccount(true, schemaReference(installedName()), io, manageRoles(values["manage-roles"]));
            users.text = exported.text;
            leftOut = exported.left.length;
        }
        writeScaffold(written);
        const shown = (f: string) => path.relative(dir, f).split(path.sep).join("/");
        for (const f of kept) {
            io.stderr.write(
                path.basename(f.path) === "CODEOWNERS"
                    ? `Kept ${shown(f.path)}, which exists: add these lines to it, with your team:\n${f.text.split("\n").filter((l) => l && !l.startsWith("#")).map((l) => `  ${l}`).join("\n")}\n`
                    : `Kept ${shown(f.path)}, which exists: init never overwrites it${values["from-account"] && path.basename(f.path) === "users.yaml" ? "; to bring it up to date with the account, run `bitsight-users pull`" : ""}.\n`,
            );
        }
        if (updateWorkflows) {
            io.stdout.write(`Rewrote ${written.length} workflows:\n${written.map((f) => `  ${shown(f.path)}`).join("\n")}\nReview the diff, then commit it.\n`);
            return 0;
        }
        io.stdout.write(
            `Wrote ${written.length} files in ${dir}:\n${written.map((f) => `  ${shown(f.path)}`).join("\n")}\n\n` +
                `Next:\n  cd ${displayPath(dir) || "."}\n  npm install\n  npx bitsight-users validate users.yaml\n  npx bitsight-users check   # the setup below, as far as the repository shows it\n` +
                `  BITSIGHT_API_TOKEN=... npx bitsight-users plan   # the CLI reads the token from BITSIGHT_API_TOKEN only\n` +
                `  pulumi stack init prod && pulumi config set --secret bitsight:apiToken <token> && pulumi up   # pulumi up from the stack's secret (or BITSIGHT_API_TOKEN)\n` +
                `  git add . && git commit   # package-lock.json included: CI's npm ci installs exactly what it lists\n`,
        );
        const workflows = written.filter((f) => f.workflow);
        const readme = written.find((f) => f.path === path.join(dir, "README.md"));
        if (workflows.length > 0) io.stdout.write(`\n${setupText(workflows.map((f) => f.text), installedName())}\n${readme ? "  README.md keeps this list, to tick.\n" : ""}`);
        const vendored = written.find((f) => f.copyFrom !== undefined);
        if (vendored) {
            io.stdout.write(`\n${opts.packageSpec} was copied to ${shown(vendored.path)}, and package.json depends on file:${shown(vendored.path)}: commit it, so that CI's npm ci installs it.\n`);
        }
        const local = vendored ? undefined : localPackageSpec(opts.packageSpec, dir);
        if (local) {
            io.stderr.write(
                `Warning: package.json depends on pulumi-bitsight through ${opts.packageSpec}, a file outside ${displayPath(dir) || "."}: ` +
                    `npm install works here, but CI's npm ci cannot find it. Put the tarball where CI can reach it (an internal registry), ` +
                    `or copy it into the repository and depend on file:./${path.basename(local)}.\n`,
            );
        }
        return leftOut ? 1 : 0;
    },
});

/** A `file:` package spec that points outside the repository folder: the path it names, else undefined. */
function localPackageSpec(spec: string | undefined, dir: string): string | undefined {
    if (!spec?.startsWith("file:")) return undefined;
    const target = path.resolve(dir, spec.slice("file:".length));
    const rel = path.relative(dir, target);
    return rel.startsWith("..") || path.isAbsolute(rel) ? target : undefined;
}

/** Refuses, before anything is written, when any of the files exists already. */
export function refuseOverwrite(files: ScaffoldFile[]): void {
    refuseExisting(files.map((f) => f.path), "init", "Move them away, or pass --force to overwrite them.");
}

export function writeScaffold(files: ScaffoldFile[]): void {
    for (const f of files) {
        fs.mkdirSync(path.dirname(f.path), { recursive: true });
        if (f.copyFrom) fs.copyFileSync(f.copyFrom, f.path);
        else writeFileAtomic(f.path, f.text);
    }
}
