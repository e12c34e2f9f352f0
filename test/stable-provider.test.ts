// Refresh and destroy run the `__provider` stored in the state. It must not change when
// the implementation does, so that they run the installed code rather than a frozen copy:
// two builds whose implementation differs must serialize to the very same text.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { REPO_ROOT } from "./helpers/host";
import { serializedProvider } from "./helpers/program";
import { runNode } from "./helpers/spawn";
import { tempDir } from "./helpers/temp";

async function serializeIn(root: string): Promise<string> {
    const script = `require(${JSON.stringify(path.join(root, "dist", "test", "helpers", "program.js"))}).serializedProvider().then((t) => process.stdout.write(t))`;
    const { code, stdout, stderr } = await runNode(["-e", script], { cwd: root });
    if (code !== 0) throw new Error(stderr);
    return stdout;
}

describe("__provider across builds", function () {
    this.timeout(60_000);

    it("is the same text when the implementation differs", async () => {
        const other = tempDir("bitsight-build-");
        fs.cpSync(path.join(REPO_ROOT, "dist"), path.join(other, "dist"), { recursive: true });
        fs.copyFileSync(path.join(REPO_ROOT, "package.json"), path.join(other, "package.json"));
        fs.symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(other, "node_modules"));
        // Another version: different hooks, client and diff code.
        for (const file of ["resource/hooks.js", "client/http.js", "resource/diff.js"]) {
            fs.appendFileSync(path.join(other, "dist", "provider", file), `\nexports.__anotherVersion = ${JSON.stringify(file)};\n`);
        }
        const [here, there] = await Promise.all([serializedProvider(), serializeIn(other)]);
        assert.ok(here.length > 0);
        assert.equal(there, here);
    });
});
