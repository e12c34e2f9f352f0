import { strict as assert } from "assert";
import { resolveGroups } from "./groups";
import { parseUsersFile } from "./parse";

const ACCOUNT = {
    groups: [
        { guid: "A0000000-0000-4000-8000-000000000001", name: "All Companies" },
        { guid: "a0000000-0000-4000-8000-000000000002", name: "Security Operations" },
        { guid: "a0000000-0000-4000-8000-000000000003", name: "security operations" },
        { guid: "a0000000-0000-4000-8000-000000000004", name: "EMEA" },
        { guid: "a0000000-0000-4000-8000-000000000005", name: "EMEA" },
    ],
};

function groupOf(ref: string): string | undefined {
    const parsed = parseUsersFile(`users:\n  - {email: a@example.com, formalName: A, role: customer_user, group: "${ref}"}\n`, "u.yaml");
    return resolveGroups(parsed, ACCOUNT)[0]!.args.group;
}

describe("users file: access groups", () => {
    const table: [string, string][] = [
        ["All Companies", "a0000000-0000-4000-8000-000000000001"],
        ["all companies", "a0000000-0000-4000-8000-000000000001"],
        ["Security Operations", "a0000000-0000-4000-8000-000000000002"],
        ["security operations", "a0000000-0000-4000-8000-000000000003"],
        ["a0000000-0000-4000-8000-000000000001", "a0000000-0000-4000-8000-000000000001"],
        ["A0000000-0000-4000-8000-000000000005", "a0000000-0000-4000-8000-000000000005"],
    ];
    for (const [ref, guid] of table) it(`resolves "${ref}"`, () => assert.equal(groupOf(ref), guid));

    it("prefers the exact spelling when names differ only in case", () => {
        assert.equal(groupOf("Security Operations"), "a0000000-0000-4000-8000-000000000002");
    });

    it("refuses a name two groups share, naming both", () => {
        assert.throws(() => groupOf("EMEA"), /"EMEA" names 2 access groups \(a0000000-0000-4000-8000-000000000004, a0000000-0000-4000-8000-000000000005\); write the GUID/);
    });

    it("reports a bad group in defaults once, where it is written", () => {
        const text = "defaults: {role: customer_user, group: Nowhere}\nusers:\n  - {email: a@example.com, formalName: A}\n  - {email: b@example.com, formalName: B}\n";
        assert.throws(
            () => resolveGroups(parseUsersFile(text, "u.yaml"), ACCOUNT),
            (err: Error) => {
                assert.equal(err.message.split("\n").length, 2);
                assert.match(err.message, /u\.yaml:1:40: defaults\.group: no access group is named "Nowhere"/);
                return true;
            },
        );
    });
});
