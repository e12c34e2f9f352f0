// `npm run demo` with the engine built: every apply is `pulumi` itself (test/demo.test.ts
// runs the branch without it). The expiry merged with `onDelete: demote` in one change is
// the case the engine showed deleting the user.
import { strict as assert } from "assert";
import * as path from "path";
import { runNode } from "../helpers/spawn";
import { findEngine } from "./engine";

describe("the real engine: npm run demo applies through pulumi", function () {
    this.timeout(180_000);

    it("applies, finds no drift, demotes the expired contractor (never deletes her) and undoes a grant made in the UI", async () => {
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
            "up --yes --skip-preview --refresh --stack demo -> 0",
        ]);
        assert.match(stdout, /^ {2}v erin\.novak@example\.com {5}demoted: customer_user, features on: none, still in the account, kept demoted$/m);
        assert.match(stdout, /^ {2}~ erin\.novak@example\.com {5}demoted again: customer_user, features on: none \(a removal stays removed\)$/m);
        assert.doesNotMatch(stdout, /no engine built yet/);
    });
});
