// Writing a file the user owns (users.yaml, a scaffolded repository): never in place. The
// text goes to a temporary file in the same folder, is flushed to disk, and is renamed
// over the target, so a crash or a kill -9 leaves the old file or the new one, never a
// truncated mix. The target keeps its mode. `unchangedFrom` makes the write conditional:
// if the file no longer holds that text (an editor saved it, a rebase rewrote it while
// the account was being read), nothing is written.
import { randomBytes } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { FileChangedError, FileExistsError } from "../base/errors";

export interface AtomicWrite {
    /** The text the file must still hold; otherwise FileChangedError and nothing written. */
    unchangedFrom?: string;
}

export function writeFileAtomic(file: string, text: string, opts: AtomicWrite = {}): void {
    // A link is followed: the file it points at is replaced, the link stays.
    const target = realTarget(file);
    const existing = statOrUndefined(target);
    const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
    let fd: number | undefined;
    try {
        fd = fs.openSync(tmp, "wx", existing ? existing.mode & 0o7777 : 0o666);
        if (existing) fs.fchmodSync(fd, existing.mode & 0o7777);
        fs.writeFileSync(fd, text);
        fs.fsyncSync(fd);
        fs.closeSync(fd);
        fd = undefined;
        if (opts.unchangedFrom !== undefined) {
            const now = existing ? fs.readFileSync(target, "utf8") : undefined;
            if (now !== opts.unchangedFrom) {
                throw new FileChangedError(`${file} changed on disk while the account was being read; nothing was written. Run the command again.`);
            }
        }
        fs.renameSync(tmp, target);
        syncFolder(path.dirname(target));
    } catch (err) {
        if (fd !== undefined) fs.closeSync(fd);
        fs.rmSync(tmp, { force: true });
        throw err;
    }
}

/** Refuses, before anything is read or written, to replace files that exist (unless --force). */
export function refuseExisting(files: string[], command: string, advice: string): void {
    const existing = files.filter((f) => fs.existsSync(f));
    if (existing.length) {
        throw new FileExistsError(`${command} would overwrite ${existing.join(", ")}; nothing was written. ${advice}`);
    }
}

function realTarget(file: string): string {
    try {
        return fs.realpathSync(file);
    } catch {
        return path.resolve(file);
    }
}

function statOrUndefined(file: string): fs.Stats | undefined {
    try {
        return fs.statSync(file);
    } catch {
        return undefined;
    }
}

/** Makes the rename itself durable; a folder that cannot be opened for that is not an error. */
function syncFolder(dir: string): void {
    let fd: number | undefined;
    try {
        fd = fs.openSync(dir, "r");
        fs.fsyncSync(fd);
    } catch {
        // Some file systems refuse to fsync a folder; the rename is still atomic.
    } finally {
        if (fd !== undefined) fs.closeSync(fd);
    }
}
