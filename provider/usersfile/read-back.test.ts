import { strict as assert } from "assert";
import { InternalError } from "../base/errors";
import type { Problem } from "./problems";
import { writeReadable } from "./read-back";

const problem = (field: string, message: string): Problem => ({ file: "users.yaml", line: 3, col: 5, field, message });

/** A writer of two entries; the loader refuses what `refuses` says, for the entries still written. */
function writer(refuses: (written: string[]) => Problem[]) {
    const calls: string[][] = [];
    const write = (leftOut: ReadonlySet<string>) => {
        const keys = ["ana", "bob"].filter((k) => !leftOut.has(k));
        calls.push(keys);
        return { keys, owners: keys.map((key, i) => ({ field: `users[${i}]`, key })) };
    };
    return { calls, write, blocking: (w: { keys: string[] }) => refuses(w.keys) };
}

describe("writeReadable: what pull and export write reads back", () => {
    it("leaves out the user a problem belongs to, names it, and writes the rest", () => {
        const w = writer((keys) => (keys.includes("bob") ? [problem(`users[${keys.indexOf("bob")}].formalName`, "contains an invisible character\u202e")] : []));
        const { written, refused } = writeReadable(w.write, w.blocking, "pull");
        assert.deepEqual(written.keys, ["ana"]);
        assert.deepEqual(w.calls, [["ana", "bob"], ["ana"]]);
        assert.deepEqual(refused.map((r) => [r.owner.key, r.field, r.message]), [["bob", "formalName", "contains an invisible character\\u202e"]]);
    });

    it("names a problem with the whole entry as `entry`", () => {
        const w = writer((keys) => (keys.includes("ana") ? [problem("users[0]", "is a duplicate")] : []));
        assert.equal(writeReadable(w.write, w.blocking, "export").refused[0]!.field, "entry");
    });

    it("a problem no entry owns is the writer's bug: InternalError, and nothing is returned to write", () => {
        const w = writer(() => [problem("policy", "cannot be read")]);
        assert.throws(
            () => writeReadable(w.write, w.blocking, "export"),
            (err: unknown) => err instanceof InternalError && /^export made a file that does not read back \(users\.yaml:3:5: policy: cannot be read\); nothing was written\. This is a bug/.test(err.message),
        );
        assert.equal(w.calls.length, 1);
    });
});
