// The live account as a users file, for the two commands that write one: `export`, and
// `init --from-account`. Here, so that neither command imports the other.
import { escapeUnsafe } from "../escape/terminal";
import { UsageError } from "../base/errors";
import { ROLE_SLUGS } from "../model/user-model";
import { renderExport, type Exported } from "../usersfile/export";
import { readAccount, type Run } from "./run";

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
    // Adopting an account takes its company API tokens too: each written is adopted by its description.
    const listed = adopt ? await ctx.api.apiTokens() : undefined;
    if (listed && "unavailable" in listed) io.stderr.write(`Note: ${escapeUnsafe(listed.unavailable)}: this token may not list the company API tokens, so none are written.\n`);
    const apiTokens = listed && "tokens" in listed ? { apiTokens: listed.tokens } : {};
    const exported = renderExport(account.users, account.groups, { adopt, schemaPath, source: api, ...(owner ? { tokenOwner: owner } : {}), ...(manage ? { manageRoles: manage } : {}), ...apiTokens });
    for (const l of exported.left) io.stderr.write(`Not exported: ${l}\n`);
    return exported;
}
