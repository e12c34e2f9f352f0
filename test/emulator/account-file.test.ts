// An account file is how a newcomer starts the emulator from an account like their own:
// the sample is one, a capture of GET /ratings/v2/users is one as it is, and a wrong
// value stops the start at its line before anything listens.
import { strict as assert } from "assert";
import * as fs from "fs";
import { QUIRK_VALUES, type Quirks } from "./account";
import { accountFromText, AccountFileError, DEFAULT_TOKEN } from "./account-file";
import { GROUPS, SAMPLE_ACCOUNT_FILE, seededAccount, SEEDED, SEED_TOKEN } from "./seed";
import { BitsightEmulator } from "./server";

async function get(emu: BitsightEmulator, token: string, path: string): Promise<{ status: number; body: unknown }> {
    const res = await fetch(`${emu.url}${path}`, { headers: { Authorization: `Basic ${Buffer.from(`${token}:`).toString("base64")}` } });
    return { status: res.status, body: (await res.json()) as unknown };
}

function problemsOf(text: string): { problems: string[]; warnings: string[] } {
    try {
        accountFromText(text, "acct.yaml");
    } catch (err) {
        if (err instanceof AccountFileError) return { problems: err.problems, warnings: err.warnings };
        throw err;
    }
    assert.fail("the file was accepted");
}

describe("the emulator's account file", () => {
    it("the sample file is the account the tests name: its token, its users' guids, its groups", () => {
        const loaded = accountFromText(fs.readFileSync(SAMPLE_ACCOUNT_FILE, "utf8"), "sample");
        assert.equal(loaded.token, SEED_TOKEN);
        assert.equal(loaded.tokenUser, "api-token@example.com");
        assert.equal(loaded.addedTokenUser, false);
        assert.deepEqual(loaded.warnings, []);
        const byEmail = Object.fromEntries([...loaded.account.users.values()].map((u) => [u.email.split(/[@.]/)[0], u.guid]));
        assert.deepEqual(byEmail, { "api-token": SEEDED.tokenUser, alice: SEEDED.alice, bob: SEEDED.bob, carol: SEEDED.carol, dave: SEEDED.dave });
        assert.deepEqual(loaded.account.groups, Object.values(GROUPS));
        assert.equal(loaded.account.tokens.get(SEED_TOKEN), SEEDED.tokenUser);
    });

    const readings: Partial<Quirks>[] = [{}, { timeFormat: "zoneless", featureValues: "string" }, ...QUIRK_VALUES.tokenFilter.map((tokenFilter) => ({ tokenFilter }))];
    for (const quirks of readings) {
        it(`a capture of GET /ratings/v2/users starts an emulator that lists the same users (${JSON.stringify(quirks)})`, async () => {
            const original = await BitsightEmulator.start({ account: seededAccount(quirks) });
            let capture: { results: Record<string, unknown>[] };
            try {
                capture = (await get(original, SEED_TOKEN, "/ratings/v2/users?limit=1000")).body as typeof capture;
            } finally {
                await original.stop();
            }
            const loaded = accountFromText(JSON.stringify(capture, null, 2), "capture.json", { quirks });
            assert.deepEqual(loaded.warnings, []);
            const again = await BitsightEmulator.start({ account: loaded.account });
            try {
                const listed = (await get(again, loaded.token, "/ratings/v2/users?limit=1000")).body as typeof capture;
                const people = (l: typeof capture) => l.results.filter((u) => u["email"] !== "api-token@emulator.invalid");
                assert.deepEqual(people(listed), people(capture));
                // Whether the capture held the token's user depends on the token filter's reading; it is there either way.
                assert.equal(loaded.addedTokenUser, !capture.results.some((u) => u["is_company_api_token"] === true));
            } finally {
                await again.stop();
            }
        });
    }

    it("a capture of one page of several says that the next pages' users are missing", async () => {
        const emu = await BitsightEmulator.start({ account: seededAccount() });
        try {
            const page = (await get(emu, SEED_TOKEN, "/ratings/v2/users?limit=2&sort=guid")).body;
            const loaded = accountFromText(JSON.stringify(page, null, 1), "page.json");
            assert.equal(loaded.warnings.length, 1);
            assert.match(loaded.warnings[0]!, /^page\.json:\d+:\d+: links\.next: this listing is one page of several: the users of the next pages are not in it \(put every page's `results` in one list\)$/);
        } finally {
            await emu.stop();
        }
    });

    it("a user is only an email: the rest is what a new user gets, and the token works as the Admin token user added for it", async () => {
        const loaded = accountFromText("users:\n  - email: zoe@corp.example\n  - email: yann@corp.example\n    group: { name: Red Team }\n", "acct.yaml");
        assert.equal(loaded.token, DEFAULT_TOKEN);
        assert.deepEqual([loaded.tokenUser, loaded.addedTokenUser], ["api-token@emulator.invalid", true]);
        assert.deepEqual(loaded.account.groups.map((g) => g.name), ["Red Team"]);
        const emu = await BitsightEmulator.start({ account: loaded.account });
        try {
            const zoe = ((await get(emu, DEFAULT_TOKEN, "/ratings/v2/users?email=zoe@corp.example")).body as { results: Record<string, unknown>[] }).results[0]!;
            assert.deepEqual(
                [zoe["status"], zoe["roles"], zoe["group"], zoe["features"], zoe["mfa_status"], zoe["last_login_time"], zoe["is_company_api_token"]],
                [
                    "Activated",
                    [{ name: "User", slug: "customer_user" }],
                    { guid: loaded.account.groups[0]!.guid, name: "Red Team" },
                    [
                        { slug: "wfh-ro", value: false, can_update: true },
                        { slug: "fq-access", value: false, can_update: true },
                    ],
                    "not_enabled",
                    null,
                    false,
                ],
            );
            assert.equal((await get(emu, "another-token", "/ratings/v2/users")).status, 401);
        } finally {
            await emu.stop();
        }
    });

    it("two users naming one group by name share it; a group named by guid is the declared one; a zoneless time is UTC", () => {
        const { account } = accountFromText(
            [
                "token: my-rehearsal-token",
                "groups: [{ guid: g-1, name: Vendor Risk }]",
                "users:",
                "  - { email: a@x.example, group: { name: Red Team } }",
                "  - { email: b@x.example, group: { name: red team } }",
                "  - { email: c@x.example, group: { guid: g-1 }, last_login_time: '2026-11-30 10:00:00' }",
                "  - { email: d@x.example }",
            ].join("\n"),
            "acct.yaml",
        );
        const group = (email: string) => account.findByEmail(email)!.group;
        assert.equal(group("a@x.example"), group("b@x.example"));
        assert.equal(group("c@x.example"), "g-1");
        assert.equal(group("d@x.example"), "g-1", "without default_group, the first group is the default");
        assert.equal(account.findByEmail("c@x.example")!.last_login_time, "2026-11-30T10:00:00Z");
        assert.equal(account.tokens.has("my-rehearsal-token"), true);
    });

    it("a wrong value stops the start, naming the file, line, field and what to write, every problem at once", () => {
        const { problems, warnings } = problemsOf(
            [
                "default_group: Nowhere",
                "users:",
                "  - email: zoe@corp.example",
                "    roles: [{ slug: customer_admn }]",
                "    mfa_stauts: enabled",
                "  - { email: Zoe@corp.example, status: Gone, joined_time: yesterday }",
                "  - { guid: u-1, email: a@x.example, features: [{ slug: wfh-ro, value: yes }] }",
                "  - { guid: u-1, email: b@x.example, is_available_for_contact: 'no' }",
                "  - formal_name: No Email",
            ].join("\n"),
        );
        assert.deepEqual(problems, [
            "acct.yaml:1:16: default_group: names no group of the file (it names none): name one of them, or declare it under `groups:`",
            'acct.yaml:4:21: users[0].roles[0].slug: "customer_admn" is not a role the emulator knows (did you mean customer_admin?); use one of customer_admin, customer_group_admin, customer_portfolio_manager, customer_user, vrm_admin, vrm_operations, vrm_view_only, vrm_internal_business_user, vulnerability_response_outreach, trust_management_admin, trust_management_sales_operations',
            'acct.yaml:6:40: users[1].status: must be one of Created, Activated, Deactivated, not "Gone"',
            'acct.yaml:6:59: users[1].joined_time: must be a time like 2026-11-01T09:00:00Z, not "yesterday"',
            'acct.yaml:7:72: users[2].features[0].value: must be true or false, not "yes"',
            'acct.yaml:8:64: users[3].is_available_for_contact: must be true or false, not "no"',
            "acct.yaml:8:13: users[3].guid: is also users[2]'s guid; give each user its own, or leave guid out",
            "acct.yaml:9:5: users[4]: needs an `email:`",
        ]);
        assert.deepEqual(warnings, [
            "acct.yaml:5:5: users[0].mfa_stauts: not a field the emulator knows, ignored (did you mean mfa_status? it knows guid, email, formal_name, friendly_name, group, status, roles, is_available_for_contact, is_company_api_token, features, joined_time, last_login_time, mfa_status, landing_page, preferred_contact_for_entities)",
            "acct.yaml:6:14: users[1].email: Zoe@corp.example is also users[0]'s email (case aside), which Bitsight refuses to create; both are kept, as an odd account the provider must survive",
        ]);
    });

    it("a file that is not an account says what one is", () => {
        assert.deepEqual(problemsOf("- email: a@x.example\n").problems, ["acct.yaml:1:1: must be a mapping with `users:` (or a GET /ratings/v2/users listing with `results:`)"]);
        assert.deepEqual(problemsOf("token: t\n").problems, ["acct.yaml:1:1: (top): has no `users:` list; write one (each user needs at least `email:`)"]);
        assert.match(problemsOf("users: [\n").problems[0]!, /^acct\.yaml:2:1: not valid YAML or JSON: /);
    });
});
