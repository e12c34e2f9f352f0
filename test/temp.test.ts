// One run of the suite leaves nothing in the temporary directory: every folder a test
// makes comes from test/helpers/temp.ts, whose root hook removes it. The few that manage
// their own (the engine's, a team's repository, the demo and the bench) remove it themselves.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { REPO_ROOT } from "./helpers/host";
import { removeTempDirs, tempDir } from "./helpers/temp";

const OWN_CLEANUP = ["test/helpers/temp.ts", "test/engine/engine.ts", "test/engine/team.ts", "test/user-repository.test.ts", "test/fresh-clone.test.ts", "test/demo/main.ts", "test/bench/main.ts"];

function sources(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const p = path.join(dir, e.name);
        return e.isDirectory() ? sources(p) : e.name.endsWith(".ts") ? [p] : [];
    });
}

describe("the suite leaves nothing behind", () => {
    it("no test makes a temporary folder but through tempDir", () => {
        const makers = [...sources(path.join(REPO_ROOT, "test")), ...sources(path.join(REPO_ROOT, "provider"))]
            .filter((f) => /mkdtemp(Sync)?\(/.test(fs.readFileSync(f, "utf8")))
            .map((f) => path.relative(REPO_ROOT, f));
        assert.deepEqual(makers.filter((f) => !OWN_CLEANUP.includes(f) && f !== "test/temp.test.ts"), []);
    });

    it("tempDir's folders are gone after the file's tests", () => {
        const dir = tempDir("bitsight-temp-");
        fs.writeFileSync(path.join(dir, "x"), "x");
        removeTempDirs();
        assert.equal(fs.existsSync(dir), false);
    });
});
