// The loops a team runs, through `pulumi` itself, in a repository `init --from-account`
// wrote from the packed tarball, against the emulator: adoption, a pull request's preview
// (and the pull-request workflow's own command lines), the apply, a change made in the UI
// found by the drift commands and put back by `up --refresh`, the token kept encrypted,
// a plain-text token refused, a partial failure, and `destroy` stopping at the last Admin.
// The tests of one describe share one stack and run in order, as a month of work would.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { GROUPS, seededAccount, SEEDED, SEED_TOKEN } from "../emulator/seed";
import { BitsightEmulator } from "../emulator/server";
import { type Engine, expectExit, needEngine } from "./engine";
import { STACK, team, type Team } from "./team";
import { exportState, filesUnder, resourcesOf, USER } from "./state";

describe("the real engine: a month of a team's work, through pulumi itself", function () {
    this.timeout(300_000);
    let engine: Engine;
    let emu: BitsightEmulator;
    let t: Team;
    const api = () => ({ BITSIGHT_API_URL: emu.url, BITSIGHT_API_TOKEN: SEED_TOKEN });

    before(async () => {
        engine = needEngine();
        emu = await BitsightEmulator.start({ account: seededAccount() });
        t = await team(engine, emu.url);
    });
    after(async () => {
        await emu?.stop();
        engine?.remove();
    });

    it("the first pulumi up adopts every user the file declares and writes nothing to the account", async () => {
        emu.clearLog();
        expectExit(await engine.pulumi(["up", "--yes", "--stack", STACK], t.dir), 0);
        assert.deepEqual(emu.writes(), [], "adopting users as they are changes none of them");
        const users = resourcesOf(await exportState(engine, t.dir), USER);
        assert.deepEqual(users.map((r) => r.outputs["email"]).sort(), ["alice@example.com", "bob@example.com", "carol@example.com", "dave.contractor@example.com"]);
        assert.ok(users.every((r) => r.outputs["adopted"] === true));
        expectExit(await engine.pulumi(["preview", "--expect-no-changes", "--stack", STACK], t.dir), 0);
    });

    it("a pull request that grants Admin: the preview names the user and the property, and the account is untouched", async () => {
        t.writeUsers(t.readUsers().replace("    role: customer_user\n    group: Security Operations\n", "    role: customer_admin\n    group: Security Operations\n    reason: on call lead, SEC-202\n"));
        emu.clearLog();
        const preview = await engine.pulumi(["preview", "--diff", "--stack", STACK], t.dir);
        expectExit(preview, 0);
        assert.match(preview.stdout, /~ pulumi-nodejs:dynamic\/bitsight:User: \(update\)[\s\S]*?bob@example\.com[\s\S]*?~ role\s*: "customer_user" => "customer_admin"/);
        assert.match(preview.stdout, /1 to update/);
        assert.deepEqual(emu.writes(), []);
        // The pull-request workflow's own lines: the state as the engine exports it, read by plan.
        const plan = await engine.shell("pulumi stack export --stack prod --file state.json && npx bitsight-users plan users.yaml --state state.json --format markdown > plan.md || [ $? -eq 2 ]", t.dir, api());
        expectExit(plan, 0, "the pull-request workflow's plan");
        const md = fs.readFileSync(path.join(t.dir, "plan.md"), "utf8");
        assert.match(md, /Admin granted/i);
        assert.match(md, /<code>bob\\@example\\\.com<\/code> \| \*\*Admin granted\*\*/);
        fs.rmSync(path.join(t.dir, "plan.md"));
        fs.rmSync(path.join(t.dir, "state.json"));
    });

    it("the merge: pulumi up applies exactly that change", async () => {
        emu.clearLog();
        expectExit(await engine.pulumi(["up", "--yes", "--stack", STACK], t.dir), 0);
        assert.deepEqual(
            emu.writes().map((w) => `${w.method} ${w.path}`),
            [`PATCH /ratings/v2/users/${SEEDED.bob}`],
        );
        assert.deepEqual(emu.account.users.get(SEEDED.bob)!.roles, ["customer_admin"]);
    });

    it("right after an up that changed the stack's outputs, both drift commands find nothing", async () => {
        // The mass-removal guard reads the stack's last outputs: read as a resource, it was
        // stale after every up that changed them, and refresh reported it as drift.
        const refresh = await engine.pulumi(["refresh", "--preview-only", "--expect-no-changes", "--stack", STACK], t.dir);
        expectExit(refresh, 0);
        expectExit(await engine.pulumi(["preview", "--refresh", "--expect-no-changes", "--stack", STACK], t.dir), 0);
    });

    it("a change in the UI: refresh --preview-only and preview --refresh exit non-zero with --expect-no-changes, and change nothing", async () => {
        emu.account.users.get(SEEDED.carol)!.group = GROUPS.all.guid;
        const before = JSON.stringify(await exportState(engine, t.dir));
        emu.clearLog();
        const refresh = await engine.pulumi(["refresh", "--preview-only", "--expect-no-changes", "--stack", STACK], t.dir);
        // 7: --expect-no-changes found changes, which a scheduled job tells apart from a failure (1).
        expectExit(refresh, 7);
        assert.match(refresh.stdout, /~ 1 to update/);
        assert.match(refresh.stdout, /carol@example\.com/);
        const preview = await engine.pulumi(["preview", "--refresh", "--expect-no-changes", "--stack", STACK], t.dir);
        expectExit(preview, 7);
        assert.match(preview.stdout, /~ {2}pulumi-nodejs:dynamic\/bitsight:User carol@example\.com update \[diff: ~group\]/);
        assert.deepEqual(emu.writes(), [], "a drift check writes nothing to the account");
        assert.equal(JSON.stringify(await exportState(engine, t.dir)), before, "nor to the state");
        assert.equal(emu.account.users.get(SEEDED.carol)!.group, GROUPS.all.guid);
    });

    it("pulumi up --refresh puts the account back to the file, and the next drift check is clean", async () => {
        emu.clearLog();
        expectExit(await engine.pulumi(["up", "--refresh", "--yes", "--stack", STACK], t.dir), 0);
        assert.equal(emu.account.users.get(SEEDED.carol)!.group, GROUPS.vendor.guid);
        assert.deepEqual(emu.writes().map((w) => `${w.method} ${w.path}`), [`PATCH /ratings/v2/users/${SEEDED.carol}`]);
        expectExit(await engine.pulumi(["preview", "--refresh", "--expect-no-changes", "--stack", STACK], t.dir), 0);
    });

    it("keeps the token only encrypted: in pulumi stack export and in every file of the backend", async () => {
        const state = await exportState(engine, t.dir);
        assert.ok(!JSON.stringify(state).includes(SEED_TOKEN), "the token is in stack export");
        for (const file of filesUnder(engine.backend)) assert.ok(!fs.readFileSync(file, "utf8").includes(SEED_TOKEN), `the token is in ${file}`);
        // It is there, as the engine keeps the dynamic provider's config: as a secret.
        const provider = state.deployment.resources.find((r) => r.type === "pulumi:providers:pulumi-nodejs");
        const stored = provider?.inputs["bitsight:apiToken"] as Record<string, unknown> | undefined;
        assert.ok(stored && typeof stored["ciphertext"] === "string", `the provider's inputs keep the token as ${JSON.stringify(stored)}`);
    });

    it("refuses a token set without --secret before anything registers or is sent, saying the command that fixes it", async () => {
        const plain = "plain";
        expectExit(await engine.pulumi(["stack", "init", plain], t.dir), 0);
        try {
            expectExit(await engine.pulumi(["config", "set", "bitsight:apiUrl", emu.url, "--stack", plain], t.dir), 0);
            expectExit(await engine.pulumi(["config", "set", "--plaintext", "bitsight:apiToken", SEED_TOKEN, "--stack", plain], t.dir), 0);
            emu.clearLog();
            const up = await engine.pulumi(["up", "--yes", "--stack", plain], t.dir);
            assert.notEqual(up.code, 0, up.stdout);
            const said = up.stdout + up.stderr;
            assert.match(said, /bitsight:apiToken is set in plain text/);
            assert.match(said, /pulumi config set --secret bitsight:apiToken "\$\(pulumi config get bitsight:apiToken\)" --stack plain/);
            assert.ok(!said.includes(SEED_TOKEN), "the refusal prints the token");
            assert.deepEqual(emu.log, [], "no request was made");
            const state = await exportState(engine, t.dir, plain);
            assert.deepEqual(state.deployment.resources.filter((r) => r.type !== "pulumi:pulumi:Stack"), [], "nothing registered");
            for (const file of filesUnder(engine.backend)) assert.ok(!fs.readFileSync(file, "utf8").includes(SEED_TOKEN), `the token is in ${file}`);
        } finally {
            await engine.pulumi(["stack", "rm", plain, "--yes", "--force"], t.dir);
        }
    });

    it("a partial failure: the user is kept with its initErrors, and the next up converges it", async () => {
        t.writeUsers(`${t.readUsers()}  - email: grace@example.com\n    formalName: Grace Lead\n    role: customer_user\n    group: All Companies\n    mfa: required\n`);
        emu.inject({ method: "POST", path: /\/require-mfa$/, reply: { status: 503, body: { detail: "Service unavailable" } }, times: 100 });
        const failed = await engine.pulumi(["up", "--yes", "--stack", STACK], t.dir);
        assert.notEqual(failed.code, 0, failed.stdout);
        const kept = resourcesOf(await exportState(engine, t.dir), USER).find((r) => r.outputs["email"] === "grace@example.com");
        assert.ok(kept, "the user created before the failure is in the state");
        assert.ok((kept.initErrors ?? []).length > 0, "with the engine's initErrors");
        emu.reset(emu.account);
        const preview = await engine.pulumi(["preview", "--stack", STACK], t.dir);
        expectExit(preview, 0);
        assert.match(preview.stdout, /grace@example\.com/);
        emu.clearLog();
        expectExit(await engine.pulumi(["up", "--yes", "--stack", STACK], t.dir), 0);
        const grace = [...emu.account.users.values()].find((u) => u.email === "grace@example.com")!;
        assert.equal(grace.mfa_status, "pending", "2FA required on the second run");
        assert.equal(emu.writes().filter((w) => w.method === "POST" && w.path === "/ratings/v2/users").length, 0, "not created twice");
        const after = resourcesOf(await exportState(engine, t.dir), USER).find((r) => r.outputs["email"] === "grace@example.com")!;
        assert.deepEqual(after.initErrors ?? [], []);
    });

    it("pulumi destroy stops at the last Activated Admin, and says so", async () => {
        // Bob is an Admin since the merge: make him the account's only other one gone.
        t.writeUsers(t.readUsers().replace("    role: customer_admin\n    group: Security Operations\n    reason: on call lead, SEC-202\n", "    role: customer_user\n    group: Security Operations\n"));
        expectExit(await engine.pulumi(["up", "--yes", "--stack", STACK], t.dir), 0);
        const destroy = await engine.pulumi(["destroy", "--yes", "--stack", STACK], t.dir);
        assert.notEqual(destroy.code, 0, destroy.stdout);
        assert.match(destroy.stdout + destroy.stderr, /alice@example\.com[\s\S]*last Activated Admin|last Activated Admin[\s\S]*alice@example\.com/);
        assert.deepEqual(emu.account.users.get(SEEDED.alice)!.roles, ["customer_admin"]);
        const left = resourcesOf(await exportState(engine, t.dir), USER).map((r) => r.outputs["email"]);
        assert.deepEqual(left, ["alice@example.com"], "every other user was let go; the Admin stays managed");
    });
});
