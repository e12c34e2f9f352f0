// What the client did, for support: BITSIGHT_LOG=debug (--verbose on the CLI) logs one line
// per HTTP attempt, info only retries, pauses and give-ups; a long wait is said whatever the
// level; never the token, never a body's values, nothing the account can forge. Through the
// CLI (in process, with an injected clock) and the SDK's dynamic-provider host.
import { strict as assert } from "assert";
import { FRAGMENT } from "../provider/client/errors";
import { HOSTILE_STRINGS, hostileAccount } from "./emulator/hostile";
import { seededAccount, SEEDED, SEED_TOKEN } from "./emulator/seed";
import { runCli } from "./helpers/cli";
import { useCliEmulator } from "./helpers/emulator";
import { FakeClock } from "./helpers/clock";
import { ProviderHost, REPO_ROOT, urn } from "./helpers/host";
import { serializedProvider } from "./helpers/program";

const GITOPS = `${REPO_ROOT}/examples/gitops/users.yaml`;
/** FakeClock's time, as each line starts. */
const T0 = "2023-11-14T22:13:20.000Z";

describe("the request log", function () {
    this.timeout(30_000);
    const cli = useCliEmulator(seededAccount, "bitsight-log-");
    const { api } = cli;
    const lines = (text: string) => text.split("\n").filter(Boolean);


    describe("the CLI", () => {
        it("--verbose: a line per attempt, the 429's pause said once, and a summary", async () => {
            cli.emu.inject({ path: "/ratings/v1/access-groups", reply: { status: 429, body: { detail: "Request was throttled." }, headers: { "Retry-After": "7" } } });
            const r = await runCli(["plan", GITOPS, "--verbose"], api(), new FakeClock());
            assert.equal(r.code, 2);
            assert.deepEqual(lines(r.stderr).sort(), [
                `${T0} bitsight-users GET /ratings/v1/access-groups  429  0 ms  attempt 1 of 5  retry in 7 s`,
                `${T0} bitsight-users GET /ratings/v2/users?limit=1000&offset=0&sort=guid&is_company_api_token=false  200  0 ms  2.5 KB  attempt 1 of 5`,
                `${T0} bitsight-users GET /ratings/v2/users?limit=1000&offset=0&sort=guid&is_company_api_token=false&status=Deactivated  200  0 ms  62 B  attempt 1 of 5`,
                `${T0} bitsight-users GET /ratings/v2/users?limit=1000&offset=0&sort=guid&is_company_api_token=true  200  0 ms  679 B  attempt 1 of 5`,
                `${T0} bitsight-users GET /ratings/v2/users?limit=1000&offset=0&sort=guid&is_company_api_token=true&status=Deactivated  200  0 ms  62 B  attempt 1 of 5`,
                `${T0} bitsight-users paused: Bitsight's rate limit was reached (429 to GET /ratings/v1/access-groups): every request waits 7 s.`,
                `${T0} bitsight-users retrying: GET /ratings/v1/access-groups answered 429; attempt 2 of 5 in 7 s`,
                "2023-11-14T22:13:27.000Z bitsight-users GET /ratings/v1/access-groups  200  0 ms  627 B  attempt 2 of 5",
                // Sent with the listing, it waited out the 429's pause like every request.
                "2023-11-14T22:13:27.000Z bitsight-users GET /ratings/v1/users/current  200  7000 ms  741 B  attempt 1 of 5",
                "2023-11-14T22:13:27.000Z bitsight-users GET /ratings/v1/users/quota  200  0 ms  126 B  attempt 1 of 5",
                "bitsight-users: 8 requests, 1 retry, 1 answered 429, 4.7 KB received, 7 s",
            ]);
        });

        it("a retried read: the failed attempt with its back-off, then the one that answered", async () => {
            cli.emu.inject({ path: "/ratings/v2/users", query: /is_company_api_token=true$/, reply: { status: 503, text: "Maintenance" } });
            const r = await runCli(["plan", GITOPS], api({ BITSIGHT_LOG: "debug" }), new FakeClock());
            assert.deepEqual(
                lines(r.stderr).filter((l) => l.includes("is_company_api_token=true ")),
                [
                    `${T0} bitsight-users GET /ratings/v2/users?limit=1000&offset=0&sort=guid&is_company_api_token=true  503  0 ms  attempt 1 of 5  retry in 1 s`,
                    "2023-11-14T22:13:21.000Z bitsight-users GET /ratings/v2/users?limit=1000&offset=0&sort=guid&is_company_api_token=true  200  0 ms  679 B  attempt 2 of 5",
                ],
            );
        });

        it("BITSIGHT_LOG=info: the retry and the pause, no line per attempt", async () => {
            cli.emu.inject({ path: "/ratings/v1/access-groups", reply: { status: 429, body: {}, headers: { "Retry-After": "7" } } });
            const r = await runCli(["plan", GITOPS], api({ BITSIGHT_LOG: "info" }), new FakeClock());
            assert.deepEqual(lines(r.stderr), [
                `${T0} bitsight-users paused: Bitsight's rate limit was reached (429 to GET /ratings/v1/access-groups): every request waits 7 s.`,
                `${T0} bitsight-users retrying: GET /ratings/v1/access-groups answered 429; attempt 2 of 5 in 7 s`,
            ]);
        });

        it("unset: nothing, except a long wait, said once when it starts (no silent minute in a CI log)", async () => {
            assert.equal((await runCli(["plan", GITOPS], api(), new FakeClock())).stderr, "");
            cli.emu.inject({ path: "/ratings/v2/users", query: /is_company_api_token=true$/, reply: { status: 503, text: "" }, times: 4 });
            const r = await runCli(["plan", GITOPS], api(), new FakeClock());
            // Back-offs of 1, 2 and 4 s pass quietly; the 8 s one is said.
            assert.deepEqual(lines(r.stderr), ["bitsight-users: waiting 8 s: before attempt 5 of 5 of GET /ratings/v2/users, which answered 503"]);
        });

        it("unset: a 429's pause said once when it starts, as a notice", async () => {
            cli.emu.inject({ path: "/ratings/v1/access-groups", reply: { status: 429, body: {}, headers: { "Retry-After": "7" } } });
            const r = await runCli(["plan", GITOPS], api(), new FakeClock());
            assert.deepEqual(lines(r.stderr), ["bitsight-users: Bitsight's rate limit was reached (429 to GET /ratings/v1/access-groups): every request waits 7 s."]);
        });

        it("refuses a level it does not know", async () => {
            const r = await runCli(["plan", GITOPS], api({ BITSIGHT_LOG: "verbose" }));
            assert.deepEqual([r.code, r.stderr], [1, 'bitsight-users: BITSIGHT_LOG must be debug, info or off, not "verbose".\n']);
        });

        it("never shows the token, a body's values, or an account string raw", async () => {
            cli.emu.reset(hostileAccount());
            cli.emu.inject({ path: "/ratings/v1/access-groups", reply: { status: 400, body: { detail: `${HOSTILE_STRINGS.join(" ")} ${SEED_TOKEN}` } } });
            const r = await runCli(["plan", GITOPS, "--verbose"], api(), new FakeClock());
            assert.equal(r.code, 1);
            for (const s of HOSTILE_STRINGS.filter((h) => /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u.test(h))) assert.ok(!r.stderr.includes(s), `raw: ${JSON.stringify(s)}`);
            assert.doesNotMatch(r.stderr.replace(/\n/g, ""), /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u);
            for (const form of [SEED_TOKEN, Buffer.from(`${SEED_TOKEN}:`).toString("base64")]) {
                for (let i = 0; i + FRAGMENT <= form.length; i++) assert.ok(!r.stderr.includes(form.slice(i, i + FRAGMENT)), form.slice(i, i + FRAGMENT));
            }
        });
    });

    describe("the SDK's provider host (BITSIGHT_LOG=debug in the environment of pulumi up)", () => {
        let host: ProviderHost;
        let providerText: string;
        before(async () => {
            providerText = await serializedProvider();
        });
        beforeEach(async () => {
            host = await ProviderHost.start({ BITSIGHT_LOG: "debug" });
            await host.configure({ "bitsight:apiToken": SEED_TOKEN, "bitsight:apiUrl": cli.emu.url });
        });
        afterEach(async () => {
            await host.stop();
        });
        const logged = () => host.stderr.split("\n").filter((l) => l.includes(" pulumi-bitsight ") || l.startsWith("pulumi-bitsight:"));
        const TIME = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z";

        it("a create: the look-up, and the POST with its field names, never its values", async () => {
            const props = { email: "nia@example.com", formalName: "Nia Obi", friendlyName: "Nia", role: "customer_user", adopt: false, onDelete: "delete", __provider: providerText };
            await host.create(urn("nia"), props);
            const got = logged();
            // The look-up, alone: the email filter, then the email_q search that confirms a miss, each for people and token users.
            const queries = ["email", "email_q"].flatMap((f) => [false, true].map((t) => `sort=guid&${f}=nia%40example\\.com&is_company_api_token=${t}`));
            assert.equal(got.length, 5, got.join("\n"));
            queries.forEach((q, i) => assert.match(got[i]!, new RegExp(`^${TIME} pulumi-bitsight GET /ratings/v2/users\\?limit=100&offset=0&${q}  200  \\d+ ms  62 B  attempt 1 of 5$`)));
            assert.match(got[4]!, new RegExp(`^${TIME} pulumi-bitsight POST /ratings/v2/users  201  \\d+ ms  \\d+ B  attempt 1 of 5  body fields email,formal_name,friendly_name,roles$`));
            assert.ok(!host.stderr.includes("Nia Obi") && !host.stderr.includes(SEED_TOKEN));
        });

        it("a retried read, and a 429's pause", async () => {
            cli.emu.inject({ path: `/ratings/v2/users/${SEEDED.bob}`, reply: { status: 429, body: {}, headers: { "Retry-After": "1" } } });
            await host.read(urn("bob"), SEEDED.bob, { email: "bob@example.com", __provider: providerText });
            const got = logged();
            const path = `/ratings/v2/users/${SEEDED.bob}`;
            assert.equal(got.length, 4, got.join("\n"));
            assert.match(got[0]!, new RegExp(`^${TIME} pulumi-bitsight GET ${path}  429  \\d+ ms  attempt 1 of 5  retry in 1 s$`));
            assert.match(got[1]!, new RegExp(`^${TIME} pulumi-bitsight paused: Bitsight's rate limit was reached \\(429 to GET ${path}\\): every request waits 1 s\\.$`));
            assert.match(got[2]!, new RegExp(`^${TIME} pulumi-bitsight retrying: GET ${path} answered 429; attempt 2 of 5 in 1 s$`));
            assert.match(got[3]!, new RegExp(`^${TIME} pulumi-bitsight GET ${path}  200  \\d+ ms  \\d+ B  attempt 2 of 5$`));
        });
    });
});
