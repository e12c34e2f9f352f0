// A users file from disk: read, parse and check offline, then resolve group names when
// the account's groups are at hand.
import * as fs from "fs";
import * as path from "path";
import type { AccessGroups } from "../client/users";
import { needsGroups, resolveGroups } from "./groups";
import { parseUsersFile, type DeclaredUser, type ParsedUsersFile } from "./parse";
import { UsersFileError } from "./problems";

/** The path as shown in messages: relative to `base` (the working directory, or a Pulumi project's root) when inside it. */
export function displayPath(file: string, base: string = process.cwd()): string {
    const rel = path.relative(base, file);
    return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : file;
}

export function readUsersFile(file: string, base?: string): ParsedUsersFile {
    const shown = displayPath(file, base);
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (err) {
        const reason = (err as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (err as Error).message;
        throw new UsersFileError(shown, [
            { file: shown, line: 1, col: 1, field: "", message: `cannot be read (${reason}); point bitsight:usersFile at your users file` },
        ]);
    }
    return parseUsersFile(text, shown);
}

/** Reads the file and resolves its group references, asking for the account's groups only if it has any. */
export async function loadUsersFile(file: string, groups: () => Promise<AccessGroups>, base?: string): Promise<DeclaredUser[]> {
    const parsed = readUsersFile(file, base);
    return needsGroups(parsed) ? resolveGroups(parsed, await groups()) : parsed.users;
}
