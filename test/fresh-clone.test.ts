// A newcomer's first hour, where a newcomer has it: a fresh clone of what is committed,
// `npm ci` from the npm registry (preferring the cache), then docs/emulator.md's
// commands as it writes them: start the emulator, plan, change a user as the UI would,
// plan and pull, and start again from a copy of the sample account. A checkout that has
// run other tests can hide what a clone lacks (the CLI's mode once did), so this runs in
// `npm run test:package`, beside the other installs.
import { strict as assert } from "assert";
import { spawn, type ChildProcess } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { REPO_ROOT } from "./helpers/host";
import { run as spawnRun, type Ran } from "./helpers/spawn";

const DOC = fs.readFileSync(path.join(REPO_ROOT, "docs", "emulator.md"), "utf8");

/** The line of docs/emulator.md that starts with `start`, as written (its comment dropped). */
function docLine(start: string): string {
    const line = DOC.split("\n").find((l) => l.startsWith(start));
    assert.ok(line, `docs/emulator.md has no line starting with ${start}`);
    return line.replace(/\s+#.*$/, "");
}

describe("a newcomer's first hour, on a fresh clone", function () {
    this.timeout(300_000);
    let clone: string;
    const running: ChildProcess[] = [];
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("BITSIGHT_") && !k.startsWith("npm_") && k !== "INIT_CWD"));
    const sh = (command: string, env: NodeJS.ProcessEnv = {}): Promise<Ran> => spawnRun("bash", ["-euo", "pipefail", "-c", command], { cwd: clone, env: { ...clean, ...env } });

    /** `command` (an `npm run emulator` line) in the background, on a free port; its URL once it listens. */
    function emulator(command: string): Promise<{ url: string; out: string }> {
        const child = spawn("bash", ["-c", command], { cwd: clone, env: { ...clean, BITSIGHT_EMULATOR_PORT: "0" }, stdio: ["ignore", "pipe", "pipe"] });
        running.push(child);
        let out = "";
        return new Promise((resolve, reject) => {
            child.stdout!.on("data", (d: Buffer) => {
                out += d.toString();
                const url = /listening on (\S+)/.exec(out)?.[1];
                if (url && out.includes("Try it:")) resolve({ url, out });
            });
            child.stderr!.on("data", (d: Buffer) => (out += d.toString()));
            child.on("exit", (code) => reject(new Error(`${command} exited ${code}:\n${out}`)));
        });
    }

    before(async () => {
        clone = path.join(fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "bitsight-clone-"))), "pulumi-bitsight");
        const cloned = await spawnRun("git", ["clone", "-q", REPO_ROOT, clone], { cwd: os.tmpdir(), env: clean });
        assert.equal(cloned.code, 0, cloned.stderr);
        const installed = await sh("npm ci --prefer-offline --no-audit --no-fund");
        assert.equal(installed.code, 0, installed.stdout + installed.stderr);
    });
    afterEach(async () => {
        // The emulator stops with the npm that started it.
        await Promise.all(running.splice(0).map((c) => new Promise((done) => (c.exitCode !== null ? done(null) : (c.once("exit", done), c.kill())))));
    });
    after(() => fs.rmSync(path.dirname(clone), { recursive: true, force: true }));

    it("starts the emulator, plans, changes a user as the UI would, plans it, and pull names what the policy keeps it from writing", async () => {
        const { url, out } = await emulator(docLine("npm run emulator "));
        assert.match(out, /^Data: in memory, starting from the sample account \(5 users, 3 access groups\)/m);
        // The doc's export names port 8430; this emulator took a free one.
        const api = { BITSIGHT_API_URL: url, BITSIGHT_API_TOKEN: /^ {2}export BITSIGHT_API_TOKEN=(\S+)$/m.exec(out)![1]! };
        const plan = docLine("npx bitsight-users plan");
        const before = await sh(plan, api);
        assert.equal(before.code, 2, before.stdout + before.stderr);
        assert.match(before.stdout, /^Differences: 2 to create, 1 not declared; 3 unchanged\.$/m);

        const ui = await sh(docLine("npm run emulator:ui -- bob@example.com"), api);
        assert.equal(ui.code, 0, ui.stderr);
        assert.match(ui.stdout, /^bob@example\.com: role customer_admin, group Vendor Risk \(as an Admin would in the Bitsight UI\)$/m);
        const after = await sh(plan, api);
        assert.match(after.stdout, /^ {2}! bob@example\.com: Admin removed by pulumi up \(the account holds customer_admin; the file declares customer_user\)$/m);
        assert.match(after.stdout, /^Differences: 2 to create, 1 to change, 1 not declared; 2 unchanged\.$/m);

        // The sample file's policy asks an Admin's entry for a reason: pull names bob for a hand edit, and writes nothing it would refuse.
        const pulled = await sh("cp examples/gitops/users.yaml users.yaml && npx bitsight-users pull users.yaml", api);
        assert.equal(pulled.code, 1, pulled.stdout + pulled.stderr);
        assert.match(pulled.stdout, /^users\.yaml gets nothing pulled: each user the account has changed is named below, for a hand edit\.$/m);
        assert.match(pulled.stderr, /^Not pulled: bob@example\.com: the file's policy refuses the account's values \(policy\.requireReason: /m);
        assert.equal(fs.readFileSync(path.join(clone, "users.yaml"), "utf8"), fs.readFileSync(path.join(clone, "examples", "gitops", "users.yaml"), "utf8"));
    });

    it("starts from a copy of the sample account, as the doc says to make one", async () => {
        const copied = await sh(docLine("cp test/emulator/sample-account.yaml"));
        assert.equal(copied.code, 0, copied.stderr);
        const { out } = await emulator(docLine("npm run emulator -- --account"));
        assert.match(out, /^Data: in memory, starting from my-account\.yaml \(5 users, 3 access groups\)/m);
    });
});
