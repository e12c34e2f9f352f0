// What the engine does that the SDK's host does not show, one test each: the config a
// refresh runs with, the provider processes of one command and what they are given, the
// engine's parallelism against the client's limit, and a diff that throws during refresh.
import { strict as assert } from "assert";
import { GROUPS, seededAccount, SEEDED, SEED_TOKEN } from "../emulator/seed";
import { BitsightEmulator } from "../emulator/server";
import { type Engine, expectExit, needEngine } from "./engine";
import { STACK, team, type Team } from "./team";

describe("the real engine: what it does that the SDK's host did not show", function () {
    this.timeout(300_000);
    let engine: Engine;
    let emu: BitsightEmulator;
    let t: Team;

    beforeEach(async () => {
        engine = needEngine();
        emu = await BitsightEmulator.start({ account: seededAccount() });
        t = await team(engine, emu.url);
        expectExit(await engine.pulumi(["up", "--yes", "--stack", STACK], t.dir), 0);
        engine.takeProviderStarts();
        emu.clearLog();
    });
    afterEach(async () => {
        await emu?.stop();
        engine?.remove();
    });

    it("a rotated token: refresh runs with the token the state stored at the last up, and says what to do when it is refused", async () => {
        const rotated = "rotated-token-5d2e81";
        emu.account.addToken(rotated, SEEDED.tokenUser);
        emu.account.tokens.delete(SEED_TOKEN);
        expectExit(await engine.pulumi(["config", "set", "--secret", "bitsight:apiToken", rotated, "--stack", STACK], t.dir), 0);
        const refresh = await engine.pulumi(["refresh", "--preview-only", "--stack", STACK], t.dir);
        expectExit(refresh, 1);
        const said = refresh.stdout + refresh.stderr;
        assert.match(said, /401 Unauthorized \(the API token is not valid\)[^\n]*The token is stack config bitsight:apiToken; a refresh \(pulumi refresh, pulumi up --refresh, pulumi preview --refresh\) uses the token the state stored at the last pulumi up/);
        assert.match(said, /run pulumi up once without --refresh \(it stores the new one\), or add --run-program to the refresh/);
        assert.ok(!said.includes(rotated) && !said.includes(SEED_TOKEN), "a token is printed");
        // What the message says to do works: an up without refresh stores the new config.
        expectExit(await engine.pulumi(["up", "--yes", "--stack", STACK], t.dir), 0);
        expectExit(await engine.pulumi(["preview", "--refresh", "--expect-no-changes", "--stack", STACK], t.dir), 0);
    });

    it("a changed bitsight:apiUrl: refresh still reads the account the state was applied to", async () => {
        const other = await BitsightEmulator.start({ account: seededAccount() });
        try {
            expectExit(await engine.pulumi(["config", "set", "bitsight:apiUrl", other.url, "--stack", STACK], t.dir), 0);
            expectExit(await engine.pulumi(["refresh", "--preview-only", "--stack", STACK], t.dir), 0);
            assert.ok(emu.log.length > 0, "the refresh read the account of the last up");
            assert.deepEqual(other.log, [], "and not the one the config names now");
        } finally {
            await other.stop();
        }
    });

    it("add --run-program, and the refresh runs with the config as it is now", async () => {
        const rotated = "rotated-token-5d2e81";
        emu.account.addToken(rotated, SEEDED.tokenUser);
        emu.account.tokens.delete(SEED_TOKEN);
        expectExit(await engine.pulumi(["config", "set", "--secret", "bitsight:apiToken", rotated, "--stack", STACK], t.dir), 0);
        expectExit(await engine.pulumi(["preview", "--refresh", "--run-program", "--expect-no-changes", "--stack", STACK], t.dir), 0);
    });

    it("pulumi up --refresh --yes (with its preview) starts four provider processes, each in the program's folder, without PULUMI_NODEJS_STACK", async () => {
        expectExit(await engine.pulumi(["up", "--refresh", "--yes", "--stack", STACK], t.dir), 0);
        const starts = engine.takeProviderStarts();
        // The preview's refresh and plan, then the update's refresh and update: the account is read twice.
        assert.equal(starts.length, 4, JSON.stringify(starts));
        for (const s of starts) {
            assert.equal(s.cwd, t.dir);
            assert.equal(s.stack, "(unset)");
        }
    });

    it("a status the API cannot change: refresh records it as drift, the apply refuses it, and the file's fix converges", async () => {
        // A user deactivated in the UI while the file declares it: refresh calls diff with the
        // refreshed outputs against the last inputs. A diff that threw there failed every
        // refresh, and no command could converge (the conflict is refused by update instead).
        t.writeUsers(t.readUsers().replace("    formalName: Dave Contractor\n", "    formalName: Dave Contractor\n    status: Created\n"));
        expectExit(await engine.pulumi(["up", "--yes", "--stack", STACK], t.dir), 0);
        emu.account.users.get(SEEDED.dave)!.status = "Deactivated";
        const drift = await engine.pulumi(["refresh", "--preview-only", "--expect-no-changes", "--stack", STACK], t.dir);
        expectExit(drift, 7);
        assert.match(drift.stdout, /~ {2}pulumi-nodejs:dynamic\/bitsight:User dave\.contractor@example\.com update \[diff: [-~+]status\]/);
        // The apply refuses it, before any write, saying what to do.
        const up = await engine.pulumi(["up", "--yes", "--skip-preview", "--refresh", "--stack", STACK], t.dir);
        expectExit(up, 1);
        assert.match(up.stdout, /dave\.contractor@example\.com: status: declared "Created" but the user is "Deactivated" in Bitsight[^\n]*declare status "Deactivated"/);
        assert.deepEqual(emu.writes(), []);
        // Doing what it says converges, with the refresh.
        t.writeUsers(t.readUsers().replace("    status: Created\n", "    status: Deactivated\n"));
        expectExit(await engine.pulumi(["up", "--yes", "--skip-preview", "--refresh", "--stack", STACK], t.dir), 0);
        expectExit(await engine.pulumi(["preview", "--refresh", "--expect-no-changes", "--stack", STACK], t.dir), 0);
        assert.deepEqual(emu.writes(), []);
    });

    it("PULUMI_PARALLEL=32 and 200 creates: never more requests in flight than the client's limit", async () => {
        const lines = Array.from({ length: 200 }, (_, i) => `  - { email: new${i}@example.com, formalName: New ${i}, role: customer_user, group: ${GROUPS.all.name} }`);
        t.writeUsers(`${t.readUsers().replace(/\n$/, "")}\n${lines.join("\n")}\n`);
        emu.account.totalActiveQuota = 1000;
        emu.peakInFlight = 0;
        emu.holdInGroups(8);
        expectExit(await engine.pulumi(["up", "--yes", "--stack", STACK], t.dir, { PULUMI_PARALLEL: "32" }), 0);
        assert.equal(emu.writes().filter((w) => w.method === "POST").length, 200);
        assert.ok(emu.peakInFlight <= 3, `${emu.peakInFlight} requests in flight at once`);
        assert.equal(emu.peakInFlight, 3, "the engine sends enough at once to reach the limit");
    });

    it("PULUMI_PARALLEL=32 and 200 creates in a 429 storm: each limit is one pause for the process, not one per request", async () => {
        const lines = Array.from({ length: 200 }, (_, i) => `  - { email: new${i}@example.com, formalName: New ${i}, role: customer_user, group: ${GROUPS.all.name} }`);
        t.writeUsers(`${t.readUsers().replace(/\n$/, "")}\n${lines.join("\n")}\n`);
        emu.account.totalActiveQuota = 1000;
        const every = 60;
        emu.storm = { every, retryAfterS: 1, refused: 0 };
        expectExit(await engine.pulumi(["up", "--yes", "--skip-preview", "--stack", STACK], t.dir, { PULUMI_PARALLEL: "32" }), 0);
        assert.equal([...emu.account.users.values()].filter((u) => u.email.startsWith("new")).length, 200);
        const windows = Math.ceil(emu.log.length / every);
        // Only the requests already in flight when a limit opens meet it: at most the client's 3.
        assert.ok(emu.storm.refused <= 3 * windows, `${emu.storm.refused} requests refused in ${windows} limits`);
        assert.ok(emu.storm.refused > 0, "the storm was met");
    });
});
