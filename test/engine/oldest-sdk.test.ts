// The team's repository on the oldest @pulumi/pulumi the peer range admits, through the
// engine: what the program asks of the SDK (its builtin invoke for the stack's last outputs,
// which config keys are secret) answers there as on the newest.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { seededAccount, SEED_TOKEN } from "../emulator/seed";
import { BitsightEmulator } from "../emulator/server";
import { REPO_ROOT } from "../helpers/host";
import { run } from "../helpers/spawn";
import { type Engine, expectExit, needEngine } from "./engine";
import { STACK, team, type Team } from "./team";

const PEER = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { peerDependencies: Record<string, string> }).peerDependencies["@pulumi/pulumi"]!;
const OLDEST = /^>=(\d+\.\d+\.\d+) /.exec(PEER)![1]!;

describe(`the real engine: the team's program on the oldest SDK (${OLDEST})`, function () {
    this.timeout(300_000);
    let engine: Engine;
    let emu: BitsightEmulator;
    let t: Team;

    before(async () => {
        engine = needEngine();
        emu = await BitsightEmulator.start({ account: seededAccount() });
        t = await team(engine, emu.url);
        const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(BITSIGHT_|npm_)/.test(k)));
        expectExit(await run("npm", ["install", `@pulumi/pulumi@${OLDEST}`, "--prefer-offline", "--no-audit", "--no-fund"], { cwd: t.dir, env: clean }), 0, `npm install @pulumi/pulumi@${OLDEST}`);
        const sdk = JSON.parse(fs.readFileSync(path.join(t.dir, "node_modules", "@pulumi", "pulumi", "package.json"), "utf8")) as { version: string };
        assert.equal(sdk.version, OLDEST);
        expectExit(await engine.pulumi(["up", "--yes", "--skip-preview", "--stack", STACK], t.dir), 0);
    });
    after(async () => {
        await emu?.stop();
        engine?.remove();
    });

    it("reads the stack's last outputs for the mass-removal guard, and refuses a file cut short", async () => {
        const whole = t.readUsers().replace("defaults:\n  onDelete: demote\n", "defaults:\n  onDelete: delete\n");
        t.writeUsers(whole);
        expectExit(await engine.pulumi(["up", "--yes", "--skip-preview", "--stack", STACK], t.dir), 0);
        emu.clearLog();
        t.writeUsers(whole.slice(0, whole.indexOf("  # guid b0000000-0000-4000-8000-000000000003")));
        const cut = await engine.pulumi(["up", "--yes", "--skip-preview", "--stack", STACK], t.dir);
        expectExit(cut, 1);
        assert.match(cut.stdout, /would delete 3 of the 4 users this stack manages/);
        assert.deepEqual(emu.writes(), []);
        t.writeUsers(whole);
        expectExit(await engine.pulumi(["preview", "--refresh", "--expect-no-changes", "--stack", STACK], t.dir), 0);
    });

    it("tells a plain-text token from a secret one", async () => {
        expectExit(await engine.pulumi(["config", "set", "--plaintext", "bitsight:apiToken", SEED_TOKEN, "--stack", STACK], t.dir), 0);
        try {
            const r = await engine.pulumi(["preview", "--stack", STACK], t.dir);
            expectExit(r, 1);
            assert.match(r.stdout, /bitsight:apiToken is set in plain text/);
        } finally {
            expectExit(await engine.pulumi(["config", "set", "--secret", "bitsight:apiToken", SEED_TOKEN, "--stack", STACK], t.dir), 0);
        }
        expectExit(await engine.pulumi(["preview", "--expect-no-changes", "--stack", STACK], t.dir), 0);
    });
});
