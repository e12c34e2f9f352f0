// Company API tokens through `pulumi` itself, on one stack, in order: a declared token is
// created and its value emailed, never stored; the token the run holds is adopted, and never
// revoked when its expires: comes (refused before anything of the run is applied); an
// expired token is revoked; the drift job's preview then sees nothing to do.
import { strict as assert } from "assert";
import { GROUPS, seededAccount, SEED_TOKEN } from "../emulator/seed";
import { BitsightEmulator } from "../emulator/server";
import { type Engine, expectExit, needEngine } from "./engine";
import { exportState, resourcesOf } from "./state";
import { STACK, team, type Team } from "./team";

const TOKEN = "pulumi-nodejs:dynamic/bitsight:ApiToken";
const yesterday = () => new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

describe("the real engine: company API tokens, through pulumi itself", function () {
    this.timeout(300_000);
    let engine: Engine;
    let emu: BitsightEmulator;
    let t: Team;
    let users: string;
    const up = () => engine.pulumi(["up", "--yes", "--skip-preview", "--stack", STACK], t.dir);
    const withTokens = (...lines: string[]) => t.writeUsers(`${users}apiTokens:\n${lines.join("\n")}\n`);
    const CI = "  - { description: 'CI: pulumi up', for: alice@example.com, reason: the apply job's token }";
    const FEED = "  - { description: Vendor feed, for: bob@example.com, group: Security Operations, reason: the vendor-risk feed (SEC-12) }";
    /** Every value a token of the account ever had: none may be in what the engine stored. */
    const assertNoTokenValue = async () => {
        const state = JSON.stringify(await exportState(engine, t.dir));
        for (const v of [SEED_TOKEN, ...emu.account.retrievalEmails.map((e) => e.token)]) assert.ok(!state.includes(v), "a token's value is in the state");
    };

    before(async () => {
        engine = needEngine();
        emu = await BitsightEmulator.start({ account: seededAccount() });
        t = await team(engine, emu.url);
        // init --from-account wrote the account's token under apiTokens:, before users: the tests write their own.
        const written = t.readUsers();
        const section = /\napiTokens:\n(?:[ #].*\n)*/.exec(written);
        assert.ok(section && section[0].includes('  - description: "CI: pulumi up"\n'), written);
        users = written.replace(section[0], "\n");
        expectExit(await up(), 0);
        assert.deepEqual(emu.writes(), [], "the first apply adopts the token, and everyone");
    });
    beforeEach(() => emu.clearLog());
    after(async () => {
        await emu?.stop();
        engine?.remove();
    });

    it("creates a declared token, its value emailed to its person; keeps the one the run holds, adopted; the state keeps no value", async () => {
        withTokens(CI, FEED);
        const preview = await engine.pulumi(["preview", "--stack", STACK], t.dir);
        expectExit(preview, 0);
        assert.match(preview.stdout, /\+ {2}pulumi-nodejs:dynamic\/bitsight:ApiToken Vendor feed create/);
        expectExit(await up(), 0);
        assert.deepEqual(
            emu.writes().map((w) => [w.method, w.path, w.body]),
            [["POST", "/ratings/v1/customers/current/api-tokens", { description: "Vendor feed", email: "bob@example.com", send_token_retrieval_email: true, group: GROUPS.secops.guid }]],
        );
        assert.deepEqual(emu.account.retrievalEmails.map((e) => [e.to, e.description]), [["bob@example.com", "Vendor feed"]]);
        const tokens = resourcesOf(await exportState(engine, t.dir), TOKEN);
        assert.deepEqual(tokens.map((r) => [r.outputs["description"], r.outputs["adopted"]]).sort(), [["CI: pulumi up", true], ["Vendor feed", false]]);
        await assertNoTokenValue();
        const drift = await engine.pulumi(["preview", "--refresh", "--expect-no-changes", "--stack", STACK], t.dir);
        expectExit(drift, 0);
    });

    it("revokes a token on its expires: date, and refuses to revoke the one it runs with, revoking nothing else in that run", async () => {
        // With a change to a user in the same run: the engine deletes last, so a refusal at the
        // delete left the user's change applied and the revocation not. The program refuses first.
        const bobPromoted = users.replace("    role: customer_user\n    group: Security Operations\n", "    role: customer_admin\n    group: Security Operations\n    reason: on call lead, SEC-202\n");
        assert.notEqual(bobPromoted, users);
        t.writeUsers(`${bobPromoted}apiTokens:\n${CI.slice(0, -2)}, expires: ${yesterday()} }\n${FEED}\n`);
        const refused = await up();
        expectExit(refused, 1);
        assert.match(refused.stdout, /users\.yaml: pulumi up would revoke the company API token "CI: pulumi up" \(token \*{8}3c9a\), which ends as the token this run holds: revoking it would cut the run off mid-way\. .* Nothing was applied\./);
        assert.deepEqual(emu.writes(), [], "neither the revocation nor bob's promotion");
        withTokens(CI, `${FEED.slice(0, -2)}, expires: ${yesterday()} }`);
        const feed = emu.account.apiTokens.find((x) => x.description === "Vendor feed")!;
        expectExit(await up(), 0);
        assert.deepEqual(emu.writes().map((w) => `${w.method} ${w.path}`), [`DELETE /ratings/v1/customers/current/api-tokens/${feed.guid}`]);
        assert.equal(emu.account.apiTokens.find((x) => x.description === "Vendor feed"), undefined);
        assert.deepEqual(resourcesOf(await exportState(engine, t.dir), TOKEN).map((r) => r.outputs["description"]), ["CI: pulumi up"]);
        expectExit(await engine.pulumi(["preview", "--refresh", "--expect-no-changes", "--stack", STACK], t.dir), 0);
        await assertNoTokenValue();
    });
});
