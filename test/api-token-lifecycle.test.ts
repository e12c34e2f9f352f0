// BitsightApiToken through the SDK's dynamic-provider host: a declared token is created with
// its value emailed to its person and never in the state; an existing one is adopted, never
// re-created; a revoked one is gone; the token the run holds is never revoked. Under every
// reading of what the pages leave open: what the 201 carries, whether descriptions repeat,
// whether `group` is a guid or a name.
import { strict as assert } from "assert";
import { GROUPS, SEED_TOKEN } from "./emulator/seed";
import { useHostAndEmulator } from "./helpers/emulator";
import { urn, type Props } from "./helpers/host";
import { runProgram } from "./helpers/program";
import { underEach } from "./helpers/quirks";
import type { BitsightEmulator } from "./emulator/server";
import type { ProviderHost } from "./helpers/host";

const TOKENS = "/ratings/v1/customers/current/api-tokens";
const SEEDED_TOKEN_GUID = "d0000000-0000-4000-8000-000000000001";

async function tokenProvider(): Promise<string> {
    const { BitsightApiToken } = await import("../provider");
    const [reg] = await runProgram(() => [new BitsightApiToken("probe", { description: "probe", email: "probe@example.com", reason: "probe" })]);
    return reg!.inputs["__provider"] as string;
}

const DECLARED = { description: "Vendor feed", email: "bob@example.com", group: GROUPS.secops.guid, groupName: GROUPS.secops.name, reason: "the vendor-risk feed (ticket SEC-12)" };

function declare(env: { host: ProviderHost }, provider: string, props: Props): Promise<{ id: string; outs: Props }> {
    return (async () => {
        const name = urn(String(props["description"]));
        const { inputs, failures } = await env.host.check(name, {}, { ...props, __provider: provider });
        assert.deepEqual(failures, []);
        return env.host.create(name, inputs);
    })();
}

/** Every value the account ever gave out for a token: none may be in what the host returned. */
function assertNoValue(emu: BitsightEmulator, what: unknown): void {
    const text = JSON.stringify(what);
    for (const t of emu.account.apiTokens) assert.ok(!text.includes(t.token), "a token's value reached the state");
    for (const e of emu.account.retrievalEmails) assert.ok(!text.includes(e.token), "a token's value reached the state");
}

describe("BitsightApiToken, through the SDK's host", function () {
    this.timeout(60_000);
    let provider: string;
    before(async () => {
        provider = await tokenProvider();
    });

    underEach("tokenCreated", (tokenCreated) => {
        underEach("tokenGroup", (tokenGroup) => {
            const env = useHostAndEmulator({ tokenCreated, tokenGroup });
            it("creates a declared token: its value is emailed to its person, and is nowhere in the state", async () => {
                env.emu.clearLog();
                const { id, outs } = await declare(env, provider, DECLARED);
                const posts = env.emu.writes().filter((w) => w.method === "POST");
                const body = { description: "Vendor feed", email: "bob@example.com", send_token_retrieval_email: true };
                // The pages do not say whether group is a guid or a name: the guid first, then, after the 400, the name.
                assert.deepEqual(posts.map((p) => p.body), tokenGroup === "guid" ? [{ ...body, group: GROUPS.secops.guid }] : [{ ...body, group: GROUPS.secops.guid }, { ...body, group: GROUPS.secops.name }]);
                const made = env.emu.account.apiTokens.find((t) => t.description === "Vendor feed")!;
                assert.equal(id, made.guid);
                assert.equal(made.group, GROUPS.secops.name);
                assert.deepEqual(env.emu.account.retrievalEmails, [{ to: "bob@example.com", description: "Vendor feed", token: made.token }]);
                assert.equal(outs["token"], `********${made.token.slice(-4)}`);
                assert.equal(outs["adopted"], false);
                assertNoValue(env.emu, outs);
                const read = await env.host.read(urn("Vendor feed"), id, outs);
                assertNoValue(env.emu, read);
            });
        });
    });

    describe("an existing token", () => {
        const env = useHostAndEmulator();
        it("is adopted by its description: no POST, no email", async () => {
            env.emu.clearLog();
            const { id, outs } = await declare(env, provider, { description: "CI: pulumi up", email: "alice@example.com", reason: "the apply job" });
            assert.equal(id, SEEDED_TOKEN_GUID);
            assert.equal(outs["adopted"], true);
            assert.deepEqual(env.emu.requests(), [`GET ${TOKENS}`]);
            assert.deepEqual(env.emu.account.retrievalEmails, []);
        });

        it("whose group differs from the declared one is refused, not replaced", async () => {
            await assert.rejects(declare(env, provider, { description: "CI: pulumi up", email: "alice@example.com", reason: "r", group: GROUPS.vendor.guid, groupName: GROUPS.vendor.name }), /in the access group All Companies, the file declares Vendor Risk: a token's group cannot change\. Declare group: All Companies/);
            assert.deepEqual(env.emu.writes(), []);
        });

        it("is never revoked while it is the token the run holds", async () => {
            const { id, outs } = await declare(env, provider, { description: "CI: pulumi up", email: "alice@example.com", reason: "the apply job" });
            env.emu.clearLog();
            await assert.rejects(env.host.delete(urn("CI: pulumi up"), id, outs), /Refusing to revoke the company API token "CI: pulumi up" \(token \*{8}3c9a, created 2025-09-27\): it ends as the token pulumi up runs with does/);
            assert.deepEqual(env.emu.writes(), []);
            assert.ok(!JSON.stringify(env.emu.requests()).includes(SEED_TOKEN));
        });
    });

    describe("revoking", () => {
        const env = useHostAndEmulator();
        it("deletes a token: its requests are refused from then on; one already gone is not an error", async () => {
            const { id, outs } = await declare(env, provider, DECLARED);
            const value = env.emu.account.apiTokens.find((t) => t.guid === id)!.token;
            env.emu.clearLog();
            await env.host.delete(urn("Vendor feed"), id, outs);
            assert.deepEqual(env.emu.requests(), [`GET ${TOKENS}`, `DELETE ${TOKENS}/${id}`]);
            assert.equal(env.emu.account.apiTokens.find((t) => t.guid === id), undefined);
            const res = await fetch(`${env.emu.url}${TOKENS}`, { headers: { authorization: `Basic ${Buffer.from(`${value}:`).toString("base64")}` } });
            assert.equal(res.status, 401);
            await env.host.delete(urn("Vendor feed"), id, outs);
            const read = await env.host.read(urn("Vendor feed"), id, outs);
            assert.equal(read.id, "", "a refresh drops a token revoked in the UI");
        });

        it("a new description or group replaces the token; a new person, reason or expiry is recorded only", async () => {
            const { id, outs } = await declare(env, provider, DECLARED);
            const diff = (news: Props) => env.host.diff(urn("Vendor feed"), id, outs, { ...DECLARED, ...news, __provider: provider });
            assert.deepEqual(await diff({ email: "carol@example.com" }), { changes: "some", replaces: [] });
            assert.deepEqual((await diff({ group: GROUPS.vendor.guid, groupName: GROUPS.vendor.name })).replaces, ["group"]);
            assert.deepEqual((await diff({ description: "Vendor feed 2" })).replaces, ["description"]);
            assert.deepEqual(await diff({ reason: "another", expires: "2027-06-01" }), { changes: "some", replaces: [] });
            assert.deepEqual(await diff({}), { changes: "none", replaces: [] });
            env.emu.clearLog();
            const updated = await env.host.update(urn("Vendor feed"), id, outs, { ...DECLARED, email: "carol@example.com", reason: "another", expires: "2027-06-01", __provider: provider });
            assert.deepEqual([updated["email"], updated["reason"], updated["expires"], updated["guid"]], ["carol@example.com", "another", "2027-06-01", id]);
            assert.deepEqual(env.emu.requests(), [], "recorded only: no call");
        });
    });

    underEach("tokenDescriptions", (tokenDescriptions) => {
        const env = useHostAndEmulator({ tokenDescriptions });
        it("two tokens with the declared description: refused, naming both, nothing written", async () => {
            env.emu.account.apiTokens.push({ ...env.emu.account.apiTokens[0]!, guid: "d0000000-0000-4000-8000-0000000000ff", token: "other-token-77aa" });
            env.emu.clearLog();
            await assert.rejects(declare(env, provider, { description: "CI: pulumi up", email: "alice@example.com", reason: "r" }), /2 company API tokens are described "CI: pulumi up" \(token \*{8}3c9a, created 2025-09-27, token \*{8}77aa, created 2025-09-27\)/);
            assert.deepEqual(env.emu.writes(), []);
        });
    });
});
