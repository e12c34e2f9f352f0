// What pull and export both promise: a file they write reads back with the loader. Both
// write from the account, whose strings nobody validated; a user whose values the loader
// would refuse (an invisible character in a name, a role the schema does not know) is left
// out of the next attempt and reported, and the rest is written. A problem no user owns
// means the writer itself is wrong: that is a bug, and nothing is written.
import { InternalError } from "../base/errors";
import { escapeUnsafe } from "../escape/terminal";
import { formatProblem, type Problem } from "./problems";

/** Which user an entry of the written text is: its field path (`users[3]`), and the key it is left out by. */
export interface Owner {
    field: string;
    key: string;
}

/** A user left out, and the first thing the loader refused in its entry. */
export interface Refusal<O extends Owner> {
    owner: O;
    /** The field within the entry (`formalName`), or `entry` for the entry as a whole; escaped. */
    field: string;
    /** The loader's words, escaped. */
    message: string;
}

/**
 * Writes with `write(leftOut)` until `blocking` finds nothing in what it wrote, leaving
 * out, each round, every user a problem belongs to. `command` names the writer in the
 * bug report.
 */
export function writeReadable<R extends { owners: readonly Owner[] }>(
    write: (leftOut: ReadonlySet<string>) => R,
    blocking: (written: R) => Problem[],
    command: string,
    leftOut: Set<string> = new Set(),
): { written: R; refused: Refusal<R["owners"][number]>[] } {
    const refused: Refusal<R["owners"][number]>[] = [];
    for (;;) {
        const written = write(leftOut);
        const problems = blocking(written);
        if (problems.length === 0) return { written, refused };
        const before = leftOut.size;
        for (const p of problems) {
            const owner = written.owners.find((o) => p.field === o.field || p.field.startsWith(`${o.field}.`));
            if (!owner || leftOut.has(owner.key)) continue;
            leftOut.add(owner.key);
            refused.push({ owner, field: escapeUnsafe(p.field.slice(owner.field.length + 1) || "entry"), message: escapeUnsafe(p.message) });
        }
        if (leftOut.size === before) {
            throw new InternalError(`${command} made a file that does not read back (${problems.map((p) => escapeUnsafe(formatProblem(p))).join("; ")}); nothing was written.`);
        }
    }
}
