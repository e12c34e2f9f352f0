// `check [DIR]`: a team's repository against the setup list (../team/setup), offline and
// without a token: what the repository shows is checked; what only GitHub knows (its
// environments, secrets, settings and branch protection) is listed, to confirm there.
import * as fs from "fs";
import * as path from "path";
import { displayPath } from "../../usersfile/load";
import { UsageError } from "../../base/errors";
import { escapeUnsafe } from "../../escape/terminal";
import { gitRoot, scaffold } from "../team/scaffold";
import { setupItems } from "../team/setup";
import { defineCommand } from "../options";

export const check = defineCommand({
    operands: "[DIR]",
    about: "Check a team's repository (DIR, default here) against the setup its workflows need, offline, no token: the workflows as this version writes them, CODEOWNERS without the placeholder, no stack file with the token in plain text, the lock file, users.yaml valid. Lists what only GitHub knows (environments, secrets, settings). Exit 1 to fix.",
    options: {},
    run(_values, files, io) {
        if (files.length > 1) throw new UsageError("check takes at most one folder", "check");
        const dir = path.resolve(files[0] ?? ".");
        const where = displayPath(dir) || ".";
        if (!fs.existsSync(path.join(dir, "Pulumi.yaml"))) throw new UsageError(`${where} holds no Pulumi.yaml: run check in the folder init wrote, or name it`, "check");
        const workflows = scaffold({ dir, force: false }).filter((f) => f.workflow);
        const repo = { dir, root: gitRoot(dir) ?? dir, workflows };
        const items = setupItems(workflows.map((w) => w.text));
        const verdicts = items.flatMap((i) => (i.check ? [i.check(repo)] : []));
        io.stdout.write(
            `Checked in ${where}, offline:\n${verdicts.map((v) => `  ${v.ok ? "ok " : "FIX"} ${escapeUnsafe(v.said)}\n`).join("")}` +
                `Only GitHub knows these: confirm them in the repository's settings:\n${items.filter((i) => !i.check).map((i) => `  - ${i.line}\n`).join("")}`,
        );
        const failed = verdicts.filter((v) => !v.ok).length;
        if (failed) io.stderr.write(`${failed} of ${verdicts.length} checks to fix.\n`);
        return failed ? 1 : 0;
    },
});
