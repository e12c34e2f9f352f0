// `npm run demo` with the engine built: every apply is `pulumi` itself (test/demo.test.ts
// runs the branch without it). The expiry is applied by the engine's delete, with the
// onDelete its state recorded.
import { strict as assert } from "assert";
import * as path from "path";
import { runNode } from "../helpers/spawn";
import { findEngine } from "./engine";

describe("the real engine: npm run demo applies through pulumi", function () {
    this.timeout(180_000);

    it("applies, finds no drift, and deletes the contractor whose access expired", async () => {
        assert.ok(findEngine(), "no engine: npm run test:engine builds it first");
        const { code, stdout, stderr } = await runNode(["--no-deprecation", path.join(__dirname, "..", "demo", "main.js")]);
        assert.equal(code, 0, stderr);
        const ran = [...stdout.matchAll(/^\$ pulumi (.*?)(?: {4}#.*)?\n[\s\S]*?^\(exit code (\d+)\)$/gm)].map((m) => `${m[1]} -> ${m[2]}`);
        assert.deepEqual(ran, [
            "stack init demo -> 0",
            `config set bitsight:usersFile ${/config set bitsight:usersFile (\S+)/.exec(stdout)![1]} --stack demo -> 0`,
            "up --yes --skip-preview --stack demo -> 0",
            "preview --refresh --expect-no-changes --stack demo -> 0",
            "up --yes --skip-preview --stack demo -> 0",
        ]);
        assert.match(stdout, /^ {2}- erin\.novak@example\.com {5}deleted: no longer in the account, no login$/m);
        assert.match(stdout, /^ {2}x erin\.novak@example\.com {2}expired on \S+: not in the account: the entry can go$/m);
        assert.doesNotMatch(stdout, /no engine built yet/);
    });
});
