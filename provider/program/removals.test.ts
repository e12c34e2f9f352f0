import { strict as assert } from "assert";
import { checkRemovals, removalMessage, resolveRemovalLimit, type RemovalLimit } from "./removals";

const stack = (n: number, retained = 0) => ({
    total: n,
    deletable: Array.from({ length: n - retained }, (_, i) => `u${i}@example.com`),
});
const keep = (n: number) => new Set(Array.from({ length: n }, (_, i) => `u${i}@example.com`));
const DEFAULT: RemovalLimit = { share: 0.25, source: "the default share" };

describe("the mass-removal guard", () => {
    const cases: [string, number, number, RemovalLimit, boolean][] = [
        ["users: [] in a stack of 8", 8, 0, DEFAULT, true],
        ["2 of 8 (25 %)", 8, 6, DEFAULT, false],
        ["3 of 8", 8, 5, DEFAULT, true],
        ["1 of 2: one removal is always allowed", 2, 1, DEFAULT, false],
        ["all 100 with the share raised to 1", 100, 0, { share: 1, source: "bitsight:maxRemovalShare" }, false],
        ["6 of 8 with exactly 6 allowed for this run", 8, 2, { ...DEFAULT, allowExactly: 6 }, false],
        ["6 of 8 with exactly 5 allowed for this run", 8, 2, { ...DEFAULT, allowExactly: 5 }, true],
    ];
    for (const [what, total, kept, limit, refused] of cases) {
        it(`${what}: ${refused ? "refused" : "allowed"}`, () => {
            assert.equal(checkRemovals(stack(total), keep(kept), limit).refused, refused);
        });
    }

    it("counts only users that would be deleted: retained ones and declared former emails are not removals", () => {
        const v = checkRemovals(stack(8, 4), new Set(["u0@example.com", "u1@example.com"]), DEFAULT);
        assert.deepEqual(v.removing, ["u2@example.com", "u3@example.com"]);
        assert.equal(v.refused, false);
    });

    it("says how many, out of how many, and how to allow it deliberately", () => {
        const v = checkRemovals(stack(5), new Set(["u4@example.com"]), DEFAULT);
        assert.equal(
            removalMessage("users.yaml", v, DEFAULT),
            "users.yaml would delete 4 of the 5 users this stack manages (80 %), more than the default share allows (25 %: at most 1). " +
                "Deleting a Bitsight user is irreversible and also deletes their shared folders. Nothing was applied. If the file was emptied or cut short by mistake, restore it. " +
                "To delete them deliberately, run once with BITSIGHT_ALLOW_REMOVALS=4, or raise bitsight:maxRemovalShare (or policy.maxRemovalShare in the file); " +
                'to stop managing them without deleting them, set `onDelete: "demote"` (or "retain") on them first. Would delete: u0@example.com, u1@example.com, u2@example.com, u3@example.com.',
        );
    });

    it("takes the stack config over the file's policy over the default, and checks both", () => {
        assert.deepEqual(resolveRemovalLimit(undefined, undefined, {}), DEFAULT);
        assert.deepEqual(resolveRemovalLimit(undefined, 0.5, {}), { share: 0.5, source: "policy.maxRemovalShare" });
        assert.deepEqual(resolveRemovalLimit("0.1", 0.5, { BITSIGHT_ALLOW_REMOVALS: "3" }), { share: 0.1, source: "bitsight:maxRemovalShare", allowExactly: 3 });
        assert.throws(() => resolveRemovalLimit("25%", undefined, {}), /bitsight:maxRemovalShare must be a share from 0 to 1 \(0\.25 is 25 %\), not "25%"\./);
        assert.throws(() => resolveRemovalLimit(undefined, undefined, { BITSIGHT_ALLOW_REMOVALS: "all" }), /BITSIGHT_ALLOW_REMOVALS must be the number of users this run may delete, not "all"\./);
    });
});
