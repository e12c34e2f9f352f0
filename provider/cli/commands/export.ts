// `export`: the live account as a users file (../export renders it). An existing --output
// file is replaced only with --force: it holds a team's policy, reasons and comments.
import * as path from "path";
import { SCHEMA_DIR } from "../../schema";
import { displayPath } from "../../usersfile/load";
import { refuseExisting, writeFileAtomic } from "../../write-file";
import { renderExport, type Exported } from "../export";
import { readAccount, type Command, type Run } from "../run";
import { ROLE_SLUGS } from "../../user-model";
import { escapeUnsafe } from "../../escape/terminal";
import { UsageError } from "../../errors";

export const exportCommand: Command = {
    options: ["adopt", "output", "force", "manage-roles", "stack"],
    async run(values, files, io) {
        if (files.length) throw new UsageError("export takes no file; use --output FILE");
        const output = values.output;
        // Refused before any request.
        if (output && !values.force) refuseExisting([output], "export", "To bring an existing users file up to date, run `bitsight-users pull` on it; to replace it, pass --force.");
        const where = output ? path.dirname(path.resolve(output)) : process.cwd();
        const schemaPath = path.relative(where, path.join(SCHEMA_DIR, "users-file.schema.json")).split(path.sep).join("/");
        const { text, count, left } = await exportAccount(values.adopt, schemaPath, io, manageRoles(values["manage-roles"]));
        if (output) {
            writeFileAtomic(output, text);
            io.stderr.write(`Wrote ${count} users to ${displayPath(path.resolve(output))}${left.length ? `; ${left.length} left out (above)` : ""}\n`);
        } else io.stdout.write(text);
        // The file is written all the same: the users left out are undeclared in it, and plan lists them.
        return left.length ? 1 : 0;
    },
};

/** `--manage-roles customer_admin,customer_group_admin`: role slugs, checked before any request. */
export function manageRoles(text: string | undefined): string[] | undefined {
    if (text === undefined) return undefined;
    const roles = text.split(",").map((r) => r.trim()).filter(Boolean);
    const unknown = roles.filter((r) => !(ROLE_SLUGS as readonly string[]).includes(r));
    if (roles.length === 0 || unknown.length) {
        throw new UsageError(`--manage-roles takes role slugs separated by commas (${ROLE_SLUGS.join(", ")}), not ${JSON.stringify(text)}`);
    }
    return roles;
}

/** The live account as a users file; users the file could not hold are named on stderr (`left`). */
export async function exportAccount(adopt: boolean, schemaPath: string, io: Run, manage?: string[]): Promise<Exported> {
    const { ctx, api, account } = await readAccount(io, { shortfall: "warn" });
    if (account.partialView) io.stderr.write(`Note: ${escapeUnsafe(account.partialView)}\n`);
    const owner = await ctx.tokenOwner().then(
        (o) => o.email,
        (err: Error) => void io.stderr.write(`Note: ${err.message.split(". Set it")[0]}. If the token is a person's, move that user from users: to unmanaged:.\n`),
    );
    const exported = renderExport(account.users, account.groups, { adopt, schemaPath, source: api, ...(owner ? { tokenOwner: owner } : {}), ...(manage ? { manageRoles: manage } : {}) });
    for (const l of exported.left) io.stderr.write(`Not exported: ${l}\n`);
    return exported;
}
