// `init [DIR]`: a team's repository (../init scaffolds it), with --from-account the live
// account as its users file. Nothing is written when a file exists, unless --force.
import * as path from "path";
import { installedName } from "../../installed-name";
import { displayPath } from "../../usersfile/load";
import { refuseOverwrite, scaffold, schemaReference, writeScaffold } from "../init";
import type { Command } from "../run";
import { UsageError } from "../usage";
import { exportAccount, manageRoles } from "./export";

export const init: Command = {
    options: ["from-account", "package-spec", "force", "manage-roles"],
    async run(values, files, io) {
        if (files.length > 1) throw new UsageError("init takes at most one folder");
        const opts = { dir: files[0] ?? ".", packageSpec: values["package-spec"], force: values.force };
        const dir = path.resolve(opts.dir);
        const written = scaffold(opts);
        // Refuse before reading the account: a refusal should cost no request.
        if (!opts.force) refuseOverwrite(written);
        let leftOut = 0;
        if (values["from-account"]) {
            const users = written.find((f) => path.basename(f.path) === "users.yaml")!;
            const exported = await exportAccount(true, schemaReference(installedName()), io, manageRoles(values["manage-roles"]));
            users.text = exported.text;
            leftOut = exported.left.length;
        }
        writeScaffold(written);
        const shown = (f: string) => path.relative(dir, f).split(path.sep).join("/");
        io.stdout.write(
            `Wrote ${written.length} files in ${dir}:\n${written.map((f) => `  ${shown(f.path)}`).join("\n")}\n\n` +
                `Next:\n  cd ${displayPath(dir) || "."}\n  npm install\n  npx bitsight-users validate users.yaml\n` +
                `  BITSIGHT_API_TOKEN=... npx bitsight-users plan users.yaml\n  pulumi stack init prod && pulumi config set --secret bitsight:apiToken <token> && pulumi up\n` +
                `  git add . && git commit   # package-lock.json included: CI's npm ci installs exactly what it lists\n`,
        );
        const local = localPackageSpec(opts.packageSpec, dir);
        if (local) {
            io.stderr.write(
                `Warning: package.json depends on pulumi-bitsight through ${opts.packageSpec}, a file outside ${displayPath(dir) || "."}: ` +
                    `npm install works here, but CI's npm ci cannot find it. Put the tarball where CI can reach it (an internal registry), ` +
                    `or copy it into the repository and depend on file:./${path.basename(local)}.\n`,
            );
        }
        return leftOut ? 1 : 0;
    },
};

/** A `file:` package spec that points outside the repository folder: the path it names, else undefined. */
function localPackageSpec(spec: string | undefined, dir: string): string | undefined {
    if (!spec?.startsWith("file:")) return undefined;
    const target = path.resolve(dir, spec.slice("file:".length));
    const rel = path.relative(dir, target);
    return rel.startsWith("..") || path.isAbsolute(rel) ? target : undefined;
}
