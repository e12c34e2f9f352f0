// `pull [FILE]`: what was changed in the Bitsight UI, written into the users file (../../usersfile/pull
// decides the edits). The file is read once, and written only if it is still that text.
// The result is read back before it is written: a file the loader refuses, for its schema
// or its policy, is never written. A user whose account values it would refuse (an Admin
// made in the UI, without the reason the policy wants) is left as the file has it, and
// named: a hand edit decides.
import { readUsersText } from "../../usersfile/load";
import { parseUsersFile } from "../../usersfile/parse";
import { writeFileAtomic } from "../../files/write-file";
import { pullReadable } from "../../usersfile/pull";
import { oneUsersFile, readAccount } from "../run";
import { defineCommand, STACK_OPTION } from "../options";
import { escapeUnsafe } from "../../escape/terminal";
import { identityKeys } from "../../usersfile/model";
import { apiTokensOrFail } from "../../account/api-tokens";
import { companiesOfDeclared } from "../../account/access-groups";

export const pull = defineCommand({
    operands: "[FILE]",
    about: "Write what was changed in the Bitsight UI into the users file, in place: only the fields that differ, where they are written; comments, order, anchors, teams and defaults are kept; plan is then in sync. Exit 2 when the account has users (or, for a file with apiTokens: or groups:, company API tokens or access groups) the file does not declare.",
    options: {
        "include-undeclared": { type: "boolean", help: "also append users (and company API tokens, access groups) the file does not declare" },
        stack: STACK_OPTION,
    },
    async run(values, files, io) {
        const file = oneUsersFile(files, io, "pull");
        const { text, shown } = readUsersText(file);
        const parsed = parseUsersFile(text, shown);
        const readAccountContext = await readAccount(io, { declared: parsed.users.flatMap(identityKeys), shortfall: "fail" });
        const { account } = readAccountContext;
        if (account.partialView) io.stderr.write(`Note: ${escapeUnsafe(account.partialView)}\n`);
        const { ctx } = readAccountContext;
        const apiTokens = parsed.declaresApiTokens ? { apiTokens: await apiTokensOrFail(ctx.api.http) } : {};
        const groupCompanies = parsed.declaresGroups ? { groupCompanies: await companiesOfDeclared(ctx.api.http, parsed.groups, account.groups) } : {};
        const result = pullReadable(text, parsed, account.users, account.groups, { includeUndeclared: values["include-undeclared"], ...apiTokens, ...groupCompanies });
        if (result.text !== text) writeFileAtomic(file, result.text, { unchangedFrom: text });
        const n = result.changes.length;
        const undeclared = result.undeclared.length;
        const tokens = result.undeclaredTokens.length;
        const groups = result.undeclaredGroups.length;
        const matches = result.skipped.length ? "gets nothing pulled: each user the account has changed is named below, for a hand edit" : undeclared || tokens || groups ? "matches the account for everything it declares" : "already matches the account";
        io.stdout.write(n ? `Pulled ${n} change${n === 1 ? "" : "s"} from the account into ${parsed.file}:\n${result.changes.map((c) => `  ${c}\n`).join("")}` : `${parsed.file} ${matches}.\n`);
        if (undeclared) {
            const it = undeclared === 1 ? "it" : "them";
            io.stdout.write(
                `The account has ${undeclared} user${undeclared === 1 ? "" : "s"} the file does not declare, not written:\n${result.undeclared.map((u) => `  ? ${u}\n`).join("")}` +
                    `Run pull --include-undeclared to add ${it} to users:, or list ${it} under unmanaged: with a reason.\n`,
            );
        }
        if (tokens) {
            io.stdout.write(
                `The account has ${tokens} company API token${tokens === 1 ? "" : "s"} the file does not declare, not written:\n${result.undeclaredTokens.map((u) => `  ? ${u}\n`).join("")}` +
                    "Run pull --include-undeclared to add them to apiTokens:, or revoke them in the Bitsight UI.\n",
            );
        }
        if (groups) {
            io.stdout.write(
                `The account has ${groups} access group${groups === 1 ? "" : "s"} the file does not declare, not written:\n${result.undeclaredGroups.map((u) => `  ? ${u}\n`).join("")}` +
                    "Run pull --include-undeclared to add them to groups:, or delete them in the Bitsight UI.\n",
            );
        }
        for (const s of result.skipped) io.stderr.write(`Not pulled: ${s}\n`);
        return result.skipped.length ? 1 : undeclared || tokens || groups ? 2 : 0;
    },
});
