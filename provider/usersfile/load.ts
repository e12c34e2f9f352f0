// A users file from disk: read, parse and check offline, then resolve group names when
// the account's groups are at hand.
import * as fs from "fs";
import * as path from "path";
import type { AccessGroups } from "../client/users";
import { needsGroups, resolveGroups } from "./groups";
import { MAX_FILE_BYTES, parseUsersFile, type DeclaredUser, type ParsedUsersFile } from "./parse";
import { UsersFileError } from "./problems";

/** The path as shown in messages: relative to `base` (the working directory, or a Pulumi project's root) when inside it. */
export function displayPath(file: string, base: string = process.cwd()): string {
    const rel = path.relative(base, file);
    return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : file;
}

export function readUsersFile(file: string, base?: string): ParsedUsersFile {
    const shown = displayPath(file, base);
    const refuse = (message: string) => new UsersFileError(shown, [{ file: shown, line: 1, col: 1, field: "", message }]);
    let text: string;
    let fd: number | undefined;
    try {
        // Opened without blocking and checked on the open descriptor: a FIFO, a device
        // (/dev/zero, /dev/urandom) or a directory is refused at once, and a file cannot be
        // swapped for one between the check and the read. Links are followed.
        fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
        const stat = fs.fstatSync(fd);
        if (!stat.isFile()) throw refuse(`is ${kindOf(stat)}, not a regular file; give the path of a users file`);
        if (stat.size > MAX_FILE_BYTES) {
            throw refuse(`is ${(stat.size / 1048576).toFixed(1)} MiB; a users file may be at most ${MAX_FILE_BYTES / 1048576} MiB`);
        }
        text = fs.readFileSync(fd, "utf8");
    } catch (err) {
        if (err instanceof UsersFileError) throw err;
        const code = (err as NodeJS.ErrnoException).code;
        const reason = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a folder" : (err as Error).message;
        throw refuse(`cannot be read (${reason}); give the path of your users file (${path.resolve(file)})`);
    } finally {
        if (fd !== undefined) fs.closeSync(fd);
    }
    return parseUsersFile(text, shown);
}

function kindOf(stat: fs.Stats): string {
    if (stat.isDirectory()) return "a folder";
    if (stat.isFIFO()) return "a named pipe (FIFO)";
    if (stat.isCharacterDevice()) return "a character device";
    if (stat.isBlockDevice()) return "a block device";
    if (stat.isSocket()) return "a socket";
    return "not a regular file";
}

/** Reads the file and resolves its group references, asking for the account's groups only if it has any. */
export async function loadUsersFile(file: string, groups: () => Promise<AccessGroups>, base?: string): Promise<DeclaredUser[]> {
    const parsed = readUsersFile(file, base);
    return needsGroups(parsed) ? resolveGroups(parsed, await groups()) : parsed.users;
}
