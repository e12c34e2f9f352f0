// The workflows `init` wrote, run as GitHub would run them on this machine: each
// `pulumi/actions` step as the `pulumi` command line the action runs, each `run:` step as
// written (the GitHub CLI stood in for), through the real engine, in the team's repository.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { GROUPS, seededAccount, SEEDED, SEED_TOKEN } from "../emulator/seed";
import { BitsightEmulator } from "../emulator/server";
import { type Engine, expectExit, needEngine } from "./engine";
import { team, type Team } from "./team";
import { actionCommand, GH_STAND_IN, readWorkflow, runStep } from "./workflow";

describe("the real engine: the workflows init wrote, as their own command lines", function () {
    this.timeout(300_000);
    let engine: Engine;
    let emu: BitsightEmulator;
    let t: Team;
    let github: Record<string, string>;

    /** What a job's environment holds: the secrets, and the files GitHub gives a step. */
    const jobEnv = () => ({ BITSIGHT_API_TOKEN: SEED_TOKEN, BITSIGHT_API_URL: emu.url, PR: "7", GITHUB_REPOSITORY: "example/access", ...github });

    before(async () => {
        engine = needEngine();
        emu = await BitsightEmulator.start({ account: seededAccount() });
        t = await team(engine, emu.url);
        fs.writeFileSync(path.join(engine.bin, "gh"), GH_STAND_IN, { mode: 0o755 });
        // The first apply, by hand (workflow_dispatch): adopts everyone.
        expectExit(await engine.pulumi(actionCommand(readWorkflow(t.dir, "bitsight-apply.yml"), "up", "workflow_dispatch"), t.dir), 0);
    });
    beforeEach(() => {
        github = Object.fromEntries(["GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY", "GH_COMMENT"].map((k) => [k, path.join(engine.root, k.toLowerCase())]));
        for (const f of Object.values(github)) fs.writeFileSync(f, "");
        engine.takeProviderStarts();
        emu.clearLog();
    });
    after(async () => {
        await emu?.stop();
        engine?.remove();
    });

    it("the pull request: the preview job's pulumi preview and its plan comment say who gains Admin, and write nothing", async () => {
        t.writeUsers(t.readUsers().replace("    role: customer_user\n    group: Security Operations\n", "    role: customer_admin\n    group: Security Operations\n    reason: on call lead, SEC-202\n"));
        const pr = readWorkflow(t.dir, "bitsight-pull-request.yml");
        const preview = await engine.pulumi(actionCommand(pr, "preview", "pull_request_target"), t.dir, jobEnv());
        expectExit(preview, 0);
        assert.match(preview.stdout, /~ {2}pulumi-nodejs:dynamic\/bitsight:User bob@example\.com update \[diff: ~role\]/);
        const comment = await engine.shell(runStep(pr, "preview", "Access changes, as the pull request's comment"), t.dir, jobEnv());
        expectExit(comment, 0, "the comment step");
        const posted = fs.readFileSync(github["GH_COMMENT"]!, "utf8");
        assert.match(posted, /^<!-- bitsight-users plan -->\n/);
        assert.match(posted, /<code>bob\\@example\\\.com<\/code> \| \*\*Admin granted\*\*/);
        assert.deepEqual(emu.writes(), []);
        for (const f of ["state.json", "plan.md", "plan.json", "comment.md"]) fs.rmSync(path.join(t.dir, f), { force: true });
    });

    it("the merge: the apply job's pulumi up --refresh applies it, in two provider processes (a refresh and an update)", async () => {
        const apply = readWorkflow(t.dir, "bitsight-apply.yml");
        const line = actionCommand(apply, "up", "push");
        assert.deepEqual(line, ["up", "--yes", "--skip-preview", "--refresh", "--stack", "prod"]);
        expectExit(await engine.pulumi(line, t.dir, jobEnv()), 0);
        assert.deepEqual(emu.account.users.get(SEEDED.bob)!.roles, ["customer_admin"]);
        assert.equal(engine.takeProviderStarts().length, 2);
        assert.deepEqual(emu.writes().map((w) => `${w.method} ${w.path}`), [`PATCH /ratings/v2/users/${SEEDED.bob}`]);
    });

    it("a change in the UI: the drift job's preview exits 7, its plan says drift, and its verdict fails the run", async () => {
        emu.account.users.get(SEEDED.carol)!.group = GROUPS.all.guid;
        const drift = readWorkflow(t.dir, "bitsight-drift.yml");
        const preview = await engine.pulumi(actionCommand(drift, "drift", "schedule"), t.dir, jobEnv());
        expectExit(preview, 7);
        const plan = await engine.shell(runStep(drift, "drift", "plan"), t.dir, jobEnv());
        expectExit(plan, 0, "the drift job's plan step");
        assert.match(fs.readFileSync(github["GITHUB_OUTPUT"]!, "utf8"), /^drift=true$/m);
        const verdict = await engine.shell(runStep(drift, "drift", "The verdict"), t.dir, { ...jobEnv(), DRIFT: "true", PREVIEW: "failure" });
        expectExit(verdict, 1, "the verdict");
        assert.match(verdict.stdout, /::error::The account differs from users\.yaml/);
        assert.deepEqual(emu.writes(), [], "a drift check changes nothing");
        fs.rmSync(path.join(t.dir, "plan.md"), { force: true });
    });

    it("an expiry: the pull request's check refuses it under init's onDelete: demote; with onDelete: delete, the daily apply deletes the user on the day and leaves the UI change for a reviewer; a run by hand puts the account back", async () => {
        const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
        const original = t.readUsers();
        const expiring = (date: string, onDelete?: string) =>
            original.replace("    reason: on call lead, SEC-202\n", `    reason: on call lead, SEC-202\n${onDelete ? `    onDelete: ${onDelete}\n` : ""}    expires: ${date}\n`);
        const check = runStep(readWorkflow(t.dir, "bitsight-validate.yml"), "validate", "validate");
        const apply = readWorkflow(t.dir, "bitsight-apply.yml");
        // init --from-account wrote defaults: { onDelete: demote }, which would keep bob's login after the day.
        t.writeUsers(expiring(day(7)));
        const refused = await engine.shell(check, t.dir, {});
        expectExit(refused, 1, "the pull request's validate check");
        assert.match(refused.stderr, /users\[1\]\.expires: this is the first day without access, but the user's onDelete: demote \(from defaults\.onDelete, line \d+\) demotes the user and leaves its login\. Add `onDelete: delete`/);
        // Written as a past date with onDelete: delete in one change: the stack recorded demote, which is what the engine would apply.
        t.writeUsers(expiring(day(-1), "delete"));
        const blocked = await engine.pulumi(actionCommand(apply, "up", "push"), t.dir, jobEnv());
        expectExit(blocked, 1);
        assert.match(blocked.stdout + blocked.stderr, /bob@example\.com's access expired, but the stack recorded onDelete: demote for bob@example\.com/);
        assert.deepEqual(emu.writes(), [], "nothing was changed");
        // As a team does it: merged with a date to come (the stack records onDelete: delete), then the day comes.
        t.writeUsers(expiring(day(7), "delete"));
        expectExit(await engine.shell(check, t.dir, {}), 0, "the pull request's validate check");
        expectExit(await engine.pulumi(actionCommand(apply, "up", "push"), t.dir, jobEnv()), 0);
        assert.deepEqual(emu.writes().filter((w) => w.path.includes(SEEDED.bob)), [], "recording onDelete: delete sends nothing");
        t.writeUsers(expiring(day(-1), "delete"));
        emu.account.users.get(SEEDED.carol)!.group = GROUPS.all.guid;
        emu.clearLog();
        const daily = actionCommand(apply, "up", "schedule");
        assert.deepEqual(daily, ["up", "--yes", "--skip-preview", "--stack", "prod"]);
        expectExit(await engine.pulumi(daily, t.dir, jobEnv()), 0);
        assert.equal(emu.account.users.get(SEEDED.bob), undefined, "from the first day without access, bob holds no login");
        // bob is an Admin since the merge above: the delete takes the role away first, as for any Admin (docs/how-it-works.md).
        assert.deepEqual(emu.writes().map((w) => `${w.method} ${w.path}`), [`PATCH /ratings/v2/users/${SEEDED.bob}`, `DELETE /ratings/v2/users/${SEEDED.bob}`]);
        assert.equal(emu.account.users.get(SEEDED.carol)!.group, GROUPS.all.guid, "the daily run reverts no UI change nobody reviewed");
        expectExit(await engine.pulumi(actionCommand(apply, "up", "workflow_dispatch"), t.dir, jobEnv()), 0);
        assert.equal(emu.account.users.get(SEEDED.carol)!.group, GROUPS.vendor.guid);
        expectExit(await engine.pulumi(actionCommand(readWorkflow(t.dir, "bitsight-drift.yml"), "drift", "schedule"), t.dir, jobEnv()), 0);
    });

    it("a pull request that adds an access group, a user in it and a company API token: the plan comment lists each; the merge's apply makes the group first and has the token's value emailed", async () => {
        const before = t.readUsers();
        const added = before
            .replace("\ngroups:\n", "\ngroups:\n  - name: Third parties\n    reason: vendor analysts (SEC-40)\n")
            .replace("\napiTokens:\n", "\napiTokens:\n  - description: Vendor feed\n    for: carol@example.com\n    group: Third parties\n    reason: the vendor-risk feed (SEC-12)\n");
        assert.ok(added.includes("- name: Third parties") && added.includes("- description: Vendor feed"), added);
        t.writeUsers(`${added}  - email: erin@example.com\n    formalName: Erin Novak\n    role: customer_user\n    group: Third parties\n    reason: vendor analyst (SEC-40)\n`);
        const pr = readWorkflow(t.dir, "bitsight-pull-request.yml");
        const preview = await engine.pulumi(actionCommand(pr, "preview", "pull_request_target"), t.dir, jobEnv());
        expectExit(preview, 0);
        for (const line of [/\+ {2}pulumi-nodejs:dynamic\/bitsight:AccessGroup Third parties create/, /\+ {2}pulumi-nodejs:dynamic\/bitsight:ApiToken Vendor feed create/, /\+ {2}pulumi-nodejs:dynamic\/bitsight:User erin@example\.com create/]) assert.match(preview.stdout, line);
        expectExit(await engine.shell(runStep(pr, "preview", "Access changes, as the pull request's comment"), t.dir, jobEnv()), 0, "the comment step");
        const posted = fs.readFileSync(github["GH_COMMENT"]!, "utf8");
        assert.match(posted, /^#### Access groups to create \(1\)$/m);
        assert.match(posted, /^#### Company API tokens to create \(1\)$/m);
        assert.match(posted, /<code>Third parties \(new group\)<\/code>/);
        assert.deepEqual(emu.writes(), []);
        for (const f of ["state.json", "plan.md", "plan.json", "comment.md"]) fs.rmSync(path.join(t.dir, f), { force: true });
        expectExit(await engine.pulumi(actionCommand(readWorkflow(t.dir, "bitsight-apply.yml"), "up", "push"), t.dir, jobEnv()), 0);
        const made = emu.account.groups.find((g) => g.name === "Third parties")!;
        const writes = emu.writes();
        assert.deepEqual(writes[0] && [writes[0].method, writes[0].path], ["POST", "/ratings/v1/access-groups"], "the group first");
        assert.equal((writes.find((w) => w.path === "/ratings/v2/users")!.body as { group?: string }).group, made.guid);
        assert.equal((writes.find((w) => w.path.endsWith("/api-tokens"))!.body as { group?: string }).group, made.guid);
        assert.deepEqual(emu.account.retrievalEmails.map((e) => [e.to, e.description]), [["carol@example.com", "Vendor feed"]]);
        expectExit(await engine.pulumi(actionCommand(readWorkflow(t.dir, "bitsight-drift.yml"), "drift", "schedule"), t.dir, jobEnv()), 0);
    });
});
