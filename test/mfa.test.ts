// `mfa: required` and `policy.requireMfa`, through the SDK's dynamic-provider host (the
// serialized provider the engine runs) and through the CLI: a user whose 2FA is
// `not_enabled` is required to set it up; `pending` and `enabled` satisfy it; a reset in
// the UI is drift that the next update requires again; leaving `mfa` out sends nothing and
// is never a difference. Run under both readings of require-mfa on a pending user.
import { strict as assert } from "assert";
import Ajv from "ajv";
import { loadSchema } from "../provider/package/schema";
import { SEEDED, SEED_TOKEN } from "./emulator/seed";
import { runCli } from "./helpers/cli";
import { declareOne } from "./helpers/declare";
import { useCliEmulator, useHostAndEmulator } from "./helpers/emulator";
import { urn, type HostError, type Props } from "./helpers/host";
import { runProgram, serializedProvider } from "./helpers/program";
import { usersFromFile } from "../provider/program/users-file-resources";
import { underEach } from "./helpers/quirks";

const REQUIRE = (guid: string) => `POST /ratings/v2/users/${guid}/require-mfa`;
const bob = { email: "bob@example.com", formalName: "Bob Analyst", friendlyName: "Bob", role: "customer_user", adopt: true };

describe("2FA required as code", function () {
    this.timeout(60_000);
    let providerText: string;
    before(async () => {
        providerText = await serializedProvider();
    });

    underEach("requireMfaPending", (requireMfaPending) => {
        describe("through the SDK's host", () => {
            const env = useHostAndEmulator({ requireMfaPending });
            const managed = (props: Props) => declareOne(env.host, props, providerText);
            const mfaOf = (guid: string) => env.emu.account.users.get(guid)!.mfa_status;

            it("a created user with mfa: required is required to set up 2FA, and the state says required", async () => {
                const { id, outs } = await managed({ email: "new.analyst@example.com", formalName: "New Analyst", friendlyName: "New", role: "customer_user", mfa: "required" });
                assert.equal(mfaOf(id), "pending");
                assert.equal(outs["mfa"], "required");
                const requests = env.emu.requests();
                assert.equal(requests[requests.length - 1], REQUIRE(id));
                assert.equal(requests.filter((r) => r.endsWith("/require-mfa")).length, 1);
            });

            it("a created user is required 2FA even where the API's answers leave mfa_status out: a new user has none", async () => {
                const strip = (body: unknown) => {
                    for (const u of Array.isArray((body as { results?: unknown[] })?.results) ? (body as { results: Record<string, unknown>[] }).results : [body as Record<string, unknown>]) {
                        if (u && typeof u === "object") delete u["mfa_status"];
                    }
                };
                env.emu.inject({ path: /^\/ratings\/v2\/users/, times: Infinity, rewrite: (reply) => (strip(reply.body), reply) });
                const { id } = await managed({ email: "new.analyst@example.com", formalName: "New Analyst", friendlyName: "New", role: "customer_user", mfa: "required" });
                assert.equal(mfaOf(id), "pending");
                assert.equal(env.emu.requests().filter((r) => r === REQUIRE(id)).length, 1);
            });

            it("an adopted user whose 2FA is not_enabled gets one require-mfa call and no PATCH", async () => {
                env.emu.clearLog();
                const { id, outs } = await managed({ ...bob, mfa: "required" });
                assert.equal(id, SEEDED.bob);
                assert.equal(mfaOf(SEEDED.bob), "pending");
                assert.equal(outs["mfa"], "required");
                assert.deepEqual(env.emu.writes().map((w) => `${w.method} ${w.path}`), [REQUIRE(SEEDED.bob)]);
            });

            it("enabled and pending satisfy it: nothing is sent", async () => {
                env.emu.account.users.get(SEEDED.bob)!.mfa_status = "pending";
                env.emu.clearLog();
                const { outs } = await managed({ ...bob, mfa: "required" });
                assert.equal(outs["mfa"], "required");
                const alice = await managed({ email: "alice@example.com", formalName: "Alice Admin", friendlyName: "Alice", role: "customer_admin", isAvailableForContact: true, adopt: true, mfa: "required" });
                assert.equal(alice.outs["mfa"], "required");
                assert.deepEqual(env.emu.writes(), []);
            });

            it("a reset in the UI is drift: read sees it, diff reports an update (no replace), and the update requires it again", async () => {
                const { id, outs } = await managed({ ...bob, mfa: "required" });
                env.emu.account.users.get(id)!.mfa_status = "not_enabled"; // an Admin reset it in the UI
                const read = await env.host.read(urn(bob.email), id, outs);
                assert.equal(read.props["mfa"], "not_enabled");
                assert.equal(read.inputs?.["mfa"], "required", "the declaration, restated");
                const news = (await env.host.check(urn(bob.email), read.inputs ?? {}, { ...bob, mfa: "required", __provider: providerText })).inputs;
                const diff = await env.host.diff(urn(bob.email), id, read.props, news);
                assert.deepEqual(diff, { changes: "some", replaces: [] });
                env.emu.clearLog();
                const after = await env.host.update(urn(bob.email), id, read.props, news);
                assert.equal(after["mfa"], "required");
                assert.equal(mfaOf(id), "pending");
                assert.deepEqual(env.emu.writes().map((w) => `${w.method} ${w.path}`), [REQUIRE(id)]);
            });

            it("no longer declaring it sends nothing and is no difference, whatever the account's 2FA", async () => {
                const { id, outs } = await managed({ ...bob, mfa: "required" });
                for (const status of ["pending", "not_enabled"] as const) {
                    env.emu.account.users.get(id)!.mfa_status = status;
                    const read = await env.host.read(urn(bob.email), id, outs);
                    const news = (await env.host.check(urn(bob.email), {}, { ...bob, __provider: providerText })).inputs;
                    assert.deepEqual(await env.host.diff(urn(bob.email), id, read.props, news), { changes: "none", replaces: [] }, status);
                }
            });

            it("a 400 is judged from the user's own 2FA: enabled since is success, still not_enabled fails and keeps the user", async () => {
                env.emu.inject({ method: "POST", path: `/ratings/v2/users/${SEEDED.bob}/require-mfa`, reply: { status: 400, body: { detail: "User already has 2FA enabled." } } });
                // The user set 2FA up between the listing and the call.
                void env.emu.applied((r) => r.path.endsWith("/require-mfa")).then(() => (env.emu.account.users.get(SEEDED.bob)!.mfa_status = "enabled"));
                const { outs } = await managed({ ...bob, mfa: "required" });
                assert.equal(outs["mfa"], "required");

                env.emu.account.users.get(SEEDED.carol)!.mfa_status = "not_enabled";
                env.emu.inject({ method: "POST", path: `/ratings/v2/users/${SEEDED.carol}/require-mfa`, reply: { status: 400, body: { detail: "Something else." } } });
                const carol = { email: "carol@example.com", formalName: "Carol Vendor", friendlyName: "Carol", role: "customer_portfolio_manager", adopt: true, mfa: "required" };
                const { inputs } = await env.host.check(urn(carol.email), {}, { ...carol, __provider: providerText });
                const err = (await env.host.create(urn(carol.email), inputs).then(
                    () => assert.fail("must fail"),
                    (e: HostError) => e,
                )) as HostError;
                assert.match(String(err.message), /Adopted carol@example\.com \(b0000000-0000-4000-8000-000000000004\) but could not require 2FA: Bitsight refused to require 2FA .*answered 400, and the user's 2FA is not_enabled/);
            });
        });
    });

    describe("through the CLI", () => {
        const cli = useCliEmulator();
        /** The sample account declared, Alice an Admin under policy.requireMfa, Bob with mfa: required, and `more`. */
        const file = (...more: string[]) =>
            cli.file([
                "policy:",
                "  requireMfa: [customer_admin]",
                "users:",
                "  - { email: alice@example.com, formalName: Alice Admin, role: customer_admin, isAvailableForContact: true }",
                "  - { email: bob@example.com, formalName: Bob Analyst, role: customer_user, group: Security Operations, mfa: required }",
                "  - { email: carol@example.com, formalName: Carol Vendor, role: customer_portfolio_manager, group: Vendor Risk }",
                "  - { email: dave.contractor@example.com, formalName: Dave Contractor, role: customer_user, status: Created }",
                ...more,
            ]);
        const ERIN = "  - { email: erin@example.com, formalName: Erin Admin, role: customer_admin }";
        const untouched = () => {
            cli.emu.account.users.get(SEEDED.alice)!.mfa_status = "not_enabled";
            cli.emu.account.users.get(SEEDED.carol)!.mfa_status = "pending";
        };

        it("the program registers mfa: required where the file or its policy requires it, and nothing where it does not", async () => {
            const registered = await runProgram(async () => (await usersFromFile(file(ERIN))).users, { "bitsight:apiToken": SEED_TOKEN, "bitsight:apiUrl": cli.emu.url });
            const mfa = Object.fromEntries(registered.map((r) => [r.name, r.inputs["mfa"] ?? null]));
            assert.deepEqual(mfa, { "alice@example.com": "required", "bob@example.com": "required", "carol@example.com": null, "dave.contractor@example.com": null, "erin@example.com": "required" });
        });

        it("validate accepts mfa and policy.requireMfa, and names a wrong value", async () => {
            assert.equal((await runCli(["validate", file(ERIN)])).code, 0);
            const bad = cli.file(["users:", "  - { email: a@example.com, formalName: A, role: customer_user, mfa: yes }"]);
            const r = await runCli(["validate", bad]);
            assert.equal(r.code, 1);
            assert.match(r.stderr, /users\[0\]\.mfa: "yes" is not an allowed value; use one of required/);
        });

        it("plan lists 2FA to require with why, in text, markdown and JSON, and says once what Bitsight keeps", async () => {
            untouched();
            const text = await runCli(["plan", file(ERIN)], cli.api());
            assert.equal(text.code, 2, text.stderr);
            assert.match(text.stdout, /^2FA to require \(pulumi up asks Bitsight to require it at next login\) \(3\):$/m);
            assert.match(text.stdout, /^ {2}! alice@example\.com +2FA not_enabled +why: policy\.requireMfa \(customer_admin\)$/m);
            assert.match(text.stdout, /^ {2}! bob@example\.com +2FA not_enabled +why: declared$/m);
            assert.match(text.stdout, /^ {2}! erin@example\.com +2FA \(new user\) +why: policy\.requireMfa \(customer_admin\)$/m);
            assert.match(text.stdout, /^Note: Bitsight keeps 2FA required for carol@example\.com \(pending\), though the file does not require it/m);
            assert.match(text.stdout, /3 2FA to require/);
            const md = await runCli(["plan", file(ERIN), "--format", "markdown"], cli.api());
            assert.match(md.stdout, /^#### 2FA to require \(3\)$/m);
            assert.match(md.stdout, /^\| <code>alice\\@example\\\.com<\/code> \| <code>not\\_enabled<\/code> \| <code>policy\\\.requireMfa \(customer\\_admin\)<\/code> \|$/m);
            const json = JSON.parse((await runCli(["plan", file(ERIN), "--format", "json"], cli.api())).stdout) as { mfaToRequire: unknown[]; mfaKept: string[]; summary: { mfaToRequire: number } };
            const validate = new Ajv({ allErrors: true, strict: true }).compile(loadSchema("plan.schema.json"));
            assert.ok(validate(json), JSON.stringify(validate.errors));
            assert.deepEqual(json.mfaToRequire, [
                { email: "alice@example.com", guid: SEEDED.alice, mfaStatus: "not_enabled", why: "policy.requireMfa (customer_admin)" },
                { email: "bob@example.com", guid: SEEDED.bob, mfaStatus: "not_enabled", why: "declared" },
                { email: "erin@example.com", guid: null, mfaStatus: null, why: "policy.requireMfa (customer_admin)" },
            ]);
            assert.deepEqual(json.mfaKept, ["carol@example.com"]);
            assert.equal(json.summary.mfaToRequire, 3);
        });

        it("a row that does not say the user's 2FA is a warning in plan, not a guess either way", async () => {
            cli.emu.inject({
                path: "/ratings/v2/users",
                times: Infinity,
                rewrite: (reply) => {
                    const bobRow = (reply.body as { results: Record<string, unknown>[] }).results.find((u) => u["guid"] === SEEDED.bob);
                    if (bobRow) delete bobRow["mfa_status"];
                    return reply;
                },
            });
            cli.emu.account.users.get(SEEDED.alice)!.mfa_status = "enabled";
            const r = await runCli(["plan", file(), "--format", "json"], cli.api());
            const json = JSON.parse(r.stdout) as { mfaToRequire: unknown[]; warnings: string[] };
            assert.deepEqual(json.mfaToRequire, []);
            assert.deepEqual(json.warnings, [
                'bob@example.com: the file requires 2FA, but Bitsight\'s answer does not say the user\'s 2FA (mfa_status null), so pulumi up sends nothing for it: check it in the Bitsight UI',
            ]);
            const text = await runCli(["plan", file()], cli.api());
            assert.match(text.stdout + text.stderr, /bob@example\.com: the file requires 2FA, but Bitsight's answer does not say the user's 2FA/);
        });

        it("a 2FA the account keeps is in sync: pending and enabled satisfy the file", async () => {
            for (const guid of [SEEDED.alice, SEEDED.bob]) cli.emu.account.users.get(guid)!.mfa_status = "pending";
            const r = await runCli(["plan", file()], cli.api());
            assert.equal(r.code, 0, r.stdout);
            assert.doesNotMatch(r.stdout, /2FA to require/);
        });
    });
});
