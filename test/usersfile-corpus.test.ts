// Malformed users files, each with the exact message a user sees (`*.expected` beside it).
// Regenerate after a deliberate wording change with UPDATE_GOLDEN=1, then review the diff.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import type { AccessGroups } from "../provider/account/users-api";
import { resolveGroups } from "../provider/usersfile/groups";
import { MAX_USERS, parseUsersFile } from "../provider/usersfile/parse";
import { UsersFileError } from "../provider/usersfile/problems";
import { GROUPS } from "./emulator/seed";

const DIR = path.join(__dirname, "..", "..", "test", "fixtures", "users-files", "invalid");

/** The sample account's groups, plus two that share a name (names are not unique in Bitsight). */
export const CORPUS_GROUPS: AccessGroups = {
    groups: [
        ...Object.values(GROUPS),
        { guid: "d0000000-0000-4000-8000-000000000001", name: "EMEA" },
        { guid: "d0000000-0000-4000-8000-000000000002", name: "EMEA" },
    ],
};

function messageFor(text: string, file: string): string {
    try {
        resolveGroups(parseUsersFile(text, file), CORPUS_GROUPS);
    } catch (err) {
        assert.ok(err instanceof UsersFileError, `not a UsersFileError: ${String(err)}`);
        return err.message;
    }
    return "(no error)";
}

describe("malformed users files", () => {
    const files = fs.readdirSync(DIR).filter((f) => f.endsWith(".yaml")).sort();

    it("has a corpus of at least 25 files", () => assert.ok(files.length >= 25, `${files.length} files`));

    for (const f of files) {
        it(f.replace(/\.yaml$/, ""), () => {
            const got = messageFor(fs.readFileSync(path.join(DIR, f), "utf8"), f);
            const expectedFile = path.join(DIR, f.replace(/\.yaml$/, ".expected"));
            if (process.env["UPDATE_GOLDEN"]) fs.writeFileSync(expectedFile, `${got}\n`);
            assert.equal(got, fs.readFileSync(expectedFile, "utf8").trimEnd());
        });
    }

    it("a file over the user limit", () => {
        const lines = ["defaults:", "  role: customer_user", "users:"];
        for (let i = 0; i <= MAX_USERS; i++) lines.push(`  - {email: u${i}@example.com, formalName: User ${i}}`);
        assert.equal(
            messageFor(lines.join("\n"), "huge.yaml"),
            "huge.yaml has 1 problem; nothing was applied:\n  huge.yaml:1:1: declares 10001 users; a users file may declare at most 10000",
        );
    });

    it("a file over the size limit", () => {
        const text = `# ${"x".repeat(11 * 1024 * 1024)}\nusers: []\n`;
        assert.equal(messageFor(text, "big.yaml"), "big.yaml has 1 problem; nothing was applied:\n  big.yaml:1:1: is 11.0 MiB; a users file may be at most 10 MiB");
    });
});
