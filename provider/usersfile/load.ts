// A users file from disk: read, parse and check offline, then resolve group names when
// the account's groups are at hand.
import * as path from "path";
import type { AccessGroups } from "../account/users-api";
import { readRegularFile } from "../files/read-file";
import { needsGroups, resolveGroups } from "./groups";
import { MAX_FILE_BYTES, parseUsersFile, type DeclaredUser, type ParsedUsersFile } from "./parse";
import { UsersFileError } from "./problems";

/** The path as shown in messages: relative to `base` (the working directory, or a Pulumi project's root) when inside it. */
export function displayPath(file: string, base: string = process.cwd()): string {
    const rel = path.relative(base, file);
    return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : file;
}

/** `today` (YYYY-MM-DD, UTC): the day the file's dates are judged on (../usersfile/parse). */
export function readUsersFile(file: string, base?: string, today?: string): ParsedUsersFile {
    const { text, shown } = readUsersText(file, base);
    return parseUsersFile(text, shown, today);
}

/** The file's text, read once, and its name as messages show it: a command that edits the file edits this very text. */
export function readUsersText(file: string, base?: string): { text: string; shown: string } {
    const shown = displayPath(file, base);
    try {
        return { text: readRegularFile(file, MAX_FILE_BYTES, "a users file"), shown };
    } catch (err) {
        const reason = (err as Error).message;
        const advice = reason.startsWith("cannot be read") ? `; give the path of your users file (${path.resolve(file)})` : reason.includes("regular file") ? "; give the path of a users file" : "";
        throw new UsersFileError(shown, [{ file: shown, line: 1, col: 1, field: "", message: `${reason}${advice}` }]);
    }
}

/** Reads the file and resolves its group references, asking for the account's groups only if it has any. */
export async function loadUsersFile(file: string, groups: () => Promise<AccessGroups>, base?: string): Promise<DeclaredUser[]> {
    const parsed = readUsersFile(file, base);
    return needsGroups(parsed) ? resolveGroups(parsed, await groups()) : parsed.users;
}
