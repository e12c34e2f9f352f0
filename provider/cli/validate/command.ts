// `validate [FILE...]`: the users files checked offline, no token, no request.
import { GUID } from "../../model/user-model";
import { expiryWarnings, todayUtc } from "../../usersfile/expiry";
import { readUsersFile } from "../../usersfile/load";
import { said, usersFileArg } from "../run";
import { defineCommand, STACK_OPTION } from "../options";

export const validate = defineCommand({
    operands: "[FILE...]",
    about: "Check users files offline: schema, duplicate users and keys, and the policy: rules that need no account. No token needed (pre-commit hooks, pull-request checks).",
    options: { stack: STACK_OPTION },
    run(_values, files, io) {
        let failed = 0;
        const today = todayUtc();
        for (const file of usersFileArg(files, io, "validate")) {
            try {
                const parsed = readUsersFile(file, undefined, today);
                const named = new Set(parsed.users.map((u) => u.args.group).filter((g): g is string => !!g && !GUID.test(g)));
                const note = named.size ? `; ${named.size} access group name${named.size === 1 ? "" : "s"} to check against the account (plan does)` : "";
                io.stdout.write(`${parsed.file}: valid, ${parsed.users.length} user${parsed.users.length === 1 ? "" : "s"}${note}\n`);
                // An expiry that has passed is news, not an error: the file must not turn red on the day.
                for (const w of expiryWarnings(parsed, today)) io.stderr.write(`Warning: ${w}\n`);
            } catch (err) {
                failed++;
                io.stderr.write(`${said(err)}\n`);
            }
        }
        return failed ? 1 : 0;
    },
});
