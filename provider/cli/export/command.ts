// `export`: the live account as a users file (../../usersfile/export renders it). An existing --output
// file is replaced only with --force: it holds a team's policy, reasons and comments.
import * as path from "path";
import { SCHEMA_DIR } from "../../package/schema";
import { displayPath } from "../../usersfile/load";
import { refuseExisting, writeFileAtomic } from "../../files/write-file";
import { defineCommand, STACK_OPTION } from "../options";
import { exportAccount, manageRoles } from "../export-account";
import { UsageError } from "../../base/errors";

export const exportCommand = defineCommand({
    operands: "",
    about: "Write the live account as a users file.",
    options: {
        adopt: { type: "boolean", help: "mark every user `adopt: true`" },
        "manage-roles": { type: "string", value: "ROLES", help: "declare only users with these roles (and every Admin), acknowledging the rest by one rule per role" },
        output: { type: "string", value: "FILE", help: "write to FILE instead of standard output (an existing FILE only with --force: pull updates one)" },
        force: { type: "boolean", help: "replace an existing --output FILE" },
        stack: STACK_OPTION,
    },
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
});
