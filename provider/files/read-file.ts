// Reading a file a user named: opened without blocking and checked on the open descriptor,
// so that a FIFO, a device (/dev/zero, /dev/urandom) or a folder is refused at once instead
// of read forever, a file cannot be swapped for one between the check and the read, and a
// file over the limit is refused before it is read. Links are followed.
import * as fs from "fs";
import { FileReadError } from "../base/errors";

/** `what` names the kind of file in the size message: "a users file may be at most 10 MiB". */
export function readRegularFile(file: string, maxBytes: number, what: string): string {
    let fd: number | undefined;
    try {
        fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
        const stat = fs.fstatSync(fd);
        if (!stat.isFile()) throw new FileReadError(`is ${kindOf(stat)}, not a regular file`);
        if (stat.size > maxBytes) throw new FileReadError(`is ${(stat.size / 1048576).toFixed(1)} MiB; ${what} may be at most ${maxBytes / 1048576} MiB`);
        return fs.readFileSync(fd, "utf8");
    } catch (err) {
        if (err instanceof FileReadError) throw err;
        const code = (err as NodeJS.ErrnoException).code;
        throw new FileReadError(`cannot be read (${code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a folder" : (err as Error).message})`);
    } finally {
        if (fd !== undefined) fs.closeSync(fd);
    }
}

function kindOf(stat: fs.Stats): string {
    if (stat.isDirectory()) return "a folder";
    if (stat.isFIFO()) return "a named pipe (FIFO)";
    if (stat.isCharacterDevice()) return "a character device";
    if (stat.isBlockDevice()) return "a block device";
    if (stat.isSocket()) return "a socket";
    return "not a regular file";
}
