// `validate [FILE...]`: the users files checked offline, no token, no request.
import { GUID } from "../../user-model";
import { expiryWarnings, todayUtc } from "../../usersfile/expiry";
import { readUsersFile } from "../../usersfile/load";
import { said, usersFileArg, type Command } from "../run";

export const validate: Command = {
    options: ["stack"],
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
};
