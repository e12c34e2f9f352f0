// Every folder a test makes in the temporary directory is made here, and removed after
// its file's tests (./suite-hooks): one run of the suite leaves nothing behind.
// test/temp.test.ts keeps it so.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const made: string[] = [];

/** A new folder in the temporary directory (its real path), removed after this file's tests. */
export function tempDir(prefix: string): string {
    const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
    made.push(dir);
    return dir;
}

/** Removes every folder tempDir made. */
export function removeTempDirs(): void {
    for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}
