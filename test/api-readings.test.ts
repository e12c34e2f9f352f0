// What the Bitsight API's pages leave open (../shared/bitsight-api.md marks each question
// "open"; docs/how-it-works.md "What the API leaves open" is the table). Each question is
// a switch of the emulator's, and each test here runs under every value of it, through the
// CLI or through the SDK's dynamic-provider host: the provider must be safe whichever
// reading the real service has.
import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import * as sinon from "sinon";
import { usersFromFile } from "../provider/program/users-file-resources";
import { GROUPS, seededAccount, SEEDED } from "./emulator/seed";
import { runCli } from "./helpers/cli";
import { declareOne } from "./helpers/declare";
import { useCliEmulator, useHostAndEmulator } from "./helpers/emulator";
import { urn, type HostError } from "./helpers/host";
import { runProgram, serializedProvider } from "./helpers/program";
import { underEach } from "./helpers/quirks";

import * as fs from "fs";
const GITOPS = "examples/gitops/users.yaml";
const USERS = "/ratings/v2/users";

let providerText: string;
before(async () => {
    providerText = await serializedProvider();
});

/** Alice as the seed account holds her: declaring her so adopts her without a write. */
const ALICE = { email: "alice@example.com", formalName: "Alice Admin", friendlyName: "Alice", role: "customer_admin", adopt: true };

describe("what the API leaves open", function () {
    this.timeout(60_000);

    describe("1. is_company_api_token: two listings merged by GUID, whatever absent and true mean", () => {
        underEach("tokenFilter", (tokenFilter) => {
            const cli = useCliEmulator(() => seededAccount({ tokenFilter }));

            for (const command of ["plan", "review", "pull"]) {
                it(`${command} reads the account once per user: no 'differ only in case' for a user listed twice`, async () => {
                    const file = cli.file(fs.readFileSync(GITOPS, "utf8"));
                    const r = await runCli([command, file, ...(command === "review" ? ["--format", "json"] : [])], cli.api());
                    assert.doesNotMatch(r.stderr, /differ only in case/);
                    assert.ok([0, 2].includes(r.code), `${r.code}: ${r.stderr}`);
                });
            }

            it("plan lists the token user apart, once, from its own field", async () => {
                const r = await runCli(["plan", GITOPS, "--format", "json"], cli.api());
                const plan = JSON.parse(r.stdout) as { companyApiTokens: { email: string }[]; undeclared: { email: string }[] };
                assert.deepEqual(plan.companyApiTokens.map((u) => u.email), ["api-token@example.com"]);
                assert.deepEqual(plan.undeclared.map((u) => u.email), ["dave.contractor@example.com"]);
            });

            it("export writes every person once, and the token user apart", async () => {
                const out = `${cli.dir}/exported.yaml`;
                const r = await runCli(["export", "--output", out], cli.api());
                assert.equal(r.code, 0, r.stderr);
                const text = fs.readFileSync(out, "utf8");
                assert.equal(text.match(/email: bob@example\.com/g)?.length, 1);
            });
        });
    });

    describe("2. the guards decide who is another Admin from each user's own fields, never from a filter", () => {
        underEach("roleStatusFilters", (roleStatusFilters) => {
            underEach("tokenFilter", (tokenFilter) => {
                const env = useHostAndEmulator({ roleStatusFilters, tokenFilter, currentUser: "identified" });

                it("refuses to delete the last Activated human Admin beside a Deactivated Admin and a token user (both customer_admin)", async () => {
                    env.emu.account.addUser({ email: "former.admin@example.com", role: "customer_admin", status: "Deactivated" });
                    env.emu.account.addUser({ email: "invited.admin@example.com", role: "customer_admin", status: "Created" });
                    const { id, outs } = await declareOne(env.host, ALICE, providerText);
                    const err = (await env.host.delete(urn(ALICE.email), id, outs).catch((e: unknown) => e)) as HostError;
                    assert.match(String(err?.message), /Refusing to delete alice@example\.com .*it is the last Activated Admin of the account/);
                    assert.deepEqual(env.emu.writes(), []);
                    assert.ok(env.emu.account.users.has(SEEDED.alice));
                });
            });
        });
    });

    describe("3. Deactivated users, which a listing may hide by default", () => {
        underEach("statusDefault", (statusDefault) => {
            underEach("roleStatusFilters", (roleStatusFilters) => {
                const cli = useCliEmulator(() => {
                    const a = seededAccount({ statusDefault, roleStatusFilters });
                    a.addUser({ email: "former.admin@example.com", role: "customer_admin", status: "Deactivated" });
                    return a;
                });

                it("plan and review show a Deactivated Admin", async () => {
                    const plan = JSON.parse((await runCli(["plan", GITOPS, "--format", "json"], cli.api())).stdout) as { undeclared: { email: string; status: string }[] };
                    assert.deepEqual(plan.undeclared.find((u) => u.email === "former.admin@example.com")?.status, "Deactivated");
                    const review = JSON.parse((await runCli(["review", GITOPS, "--format", "json"], cli.api())).stdout) as { users: { email: string }[] };
                    assert.ok(review.users.some((u) => u.email === "former.admin@example.com"));
                });
            });
        });
    });

    describe("4. page order: every paged listing asks for a stable sort", () => {
        underEach("pageOrder", (pageOrder) => {
            const DECLARED = 500;
            const cli = useCliEmulator(() => {
                const a = seededAccount({ pageOrder });
                for (let i = 0; i < 2_498; i++) a.addUser({ email: `user${String(i).padStart(4, "0")}@example.com` });
                return a;
            });

            it("plan on 2,503 users, 500 of them declared: nothing planned for creation, every page sorted", async () => {
                const lines = ["users:"];
                for (let i = 0; i < DECLARED; i++) {
                    const name = `user${String(i).padStart(4, "0")}`;
                    lines.push(`  - { email: ${name}@example.com, formalName: ${name}, friendlyName: ${name}, role: customer_user }`);
                }
                const r = await runCli(["plan", cli.file(lines), "--format", "json"], cli.api());
                const plan = JSON.parse(r.stdout) as { create: unknown[]; unchanged: string[]; undeclared: unknown[] };
                assert.equal(plan.create.length, 0, r.stderr);
                assert.equal(plan.unchanged.length, DECLARED);
                assert.equal(plan.undeclared.length, 2_503 - DECLARED - 1);
                const listings = cli.emu.requests().filter((q) => q.startsWith(`GET ${USERS}?`));
                assert.ok(listings.length > 4 && listings.every((q) => q.includes("&sort=guid")), listings.join("\n"));
            });
        });
    });

    describe("5. POST's 201: the user, no body, or a partial one", () => {
        underEach("postBody", (postBody) => {
            const env = useHostAndEmulator({ postBody });

            it("records the created user, read back once when the answer does not give it", async () => {
                const { id, outs } = await declareOne(env.host, { email: "nia@example.com", formalName: "Nia Obi", friendlyName: "Nia", role: "customer_user" }, providerText);
                const created = env.emu.account.findByEmail("nia@example.com")!;
                assert.equal(id, created.guid);
                assert.equal(outs["status"], "Created");
                const after = env.emu.requests().slice(env.emu.requests().indexOf(`POST ${USERS}`) + 1);
                if (postBody === "partial") assert.equal(after[0], `GET ${USERS}/${created.guid}`);
                if (postBody === "empty") assert.match(after[0]!, /^GET \/ratings\/v2\/users\?limit=100&offset=0&sort=guid&email=nia%40example\.com/);
                if (postBody === "user") assert.equal(after.length, 0);
                assert.equal(env.emu.writes().length, 1, "one POST");
            });
        });
    });

    describe("6. PATCH features: merged or replacing", () => {
        underEach("patchFeatures", (patchFeatures) => {
            const env = useHostAndEmulator({ patchFeatures });
            const bob = { email: "bob@example.com", formalName: "Bob Analyst", friendlyName: "Bob", role: "customer_user", adopt: true, features: { "wfh-ro": true } };

            it("changing wfh-ro leaves fq-access, set in the UI and not declared, as it was", async () => {
                env.emu.account.users.get(SEEDED.bob)!.features["fq-access"] = { value: true, can_update: true };
                const { outs } = await declareOne(env.host, bob, providerText);
                assert.deepEqual(outs["features"], { "wfh-ro": true });
                const features = env.emu.account.users.get(SEEDED.bob)!.features;
                assert.equal(features["wfh-ro"]!.value, true);
                assert.equal(features["fq-access"]!.value, true, "not switched off");
                assert.deepEqual(env.emu.writes()[0]!.body, { features: [{ slug: "wfh-ro", value: true }, { slug: "fq-access", value: true }] });
            });

            it("a write that moves an undeclared feature anyway is an error naming it, and the user is kept in the state", async () => {
                env.emu.account.users.get(SEEDED.bob)!.features["fq-access"] = { value: true, can_update: true };
                env.emu.inject({
                    method: "PATCH",
                    rewrite: (reply) => {
                        env.emu.account.users.get(SEEDED.bob)!.features["fq-access"]!.value = false;
                        return reply;
                    },
                });
                const err = (await declareOne(env.host, bob, providerText).catch((e: unknown) => e)) as HostError;
                assert.match(String(err?.message), /also changed a feature the declaration does not name: fq-access \(true -> false\)/);
                assert.equal(err.initFailed?.id, SEEDED.bob, "a partial failure: Pulumi keeps the user");
            });
        });
    });

    describe("7. a feature value that is not true or false, and any odd row", () => {
        underEach("featureValues", (featureValues) => {
            const cli = useCliEmulator(() => seededAccount({ featureValues }));

            it("plan, review and export read the whole account", async () => {
                for (const args of [["plan", GITOPS], ["review", GITOPS], ["export", "--output", `${cli.dir}/out.yaml`]]) {
                    const r = await runCli(args, cli.api());
                    assert.ok([0, 2].includes(r.code), `${args[0]}: ${r.code} ${r.stderr}`);
                }
            });

            it("plan refuses a declaration of that feature, naming it; the others are planned", async () => {
                const r = await runCli(["plan", cli.file(["users:", "  - { email: bob@example.com, formalName: Bob Analyst, friendlyName: Bob, role: customer_user, features: { fq-access: true } }"]), "--format", "json"], cli.api());
                const plan = JSON.parse(r.stdout) as { change: { email: string; blocked: string[] }[] };
                const bob = plan.change.find((c) => c.email === "bob@example.com")!;
                if (featureValues === "string") assert.match(bob.blocked.join(" "), /features\.fq-access: Bitsight holds a value that is not true or false/);
                else assert.deepEqual(bob.blocked, []);
            });
        });

        describe("through the host", () => {
            underEach("featureValues", (featureValues) => {
                const env = useHostAndEmulator({ featureValues });

                it("creates a user declaring wfh-ro; refuses to adopt one declaring fq-access only where its value is not a boolean", async () => {
                    const { outs } = await declareOne(env.host, { email: "nia@example.com", formalName: "Nia Obi", friendlyName: "Nia", role: "customer_user", features: { "wfh-ro": true } }, providerText);
                    assert.deepEqual(outs["features"], { "wfh-ro": true });
                    const bob = { email: "bob@example.com", formalName: "Bob Analyst", friendlyName: "Bob", role: "customer_user", adopt: true, features: { "fq-access": true } };
                    const adopted = await declareOne(env.host, bob, providerText).catch((e: unknown) => e as HostError);
                    if (featureValues === "string") assert.match(String((adopted as HostError).message), /Cannot adopt bob@example\.com: features\.fq-access: Bitsight holds a value that is not true or false/);
                    else assert.equal((adopted as { id: string }).id, SEEDED.bob);
                });
            });
        });

        describe("a row that is not a user the provider can read", () => {
            const cli = useCliEmulator();
            const oddDave = () =>
                cli.emu.inject({
                    path: USERS,
                    query: /is_company_api_token=false$/,
                    rewrite: (reply) => {
                        const page = reply.body as { results: Record<string, unknown>[] };
                        const dave = page.results.find((u) => u["guid"] === SEEDED.dave)!;
                        delete dave["status"];
                        return reply;
                    },
                });

            it("review shows and skips it with a warning; the rest of the account is reviewed", async () => {
                oddDave();
                const r = await runCli(["review", GITOPS, "--format", "json"], cli.api());
                assert.equal(r.code, 2, r.stderr);
                assert.match(r.stderr, /^Warning: skipped dave\.contractor@example\.com \(b0000000-0000-4000-8000-000000000005\), which the Bitsight API listed in a shape the provider cannot read: .*`status` missing/m);
                const users = (JSON.parse(r.stdout) as { users: { email: string }[] }).users.map((u) => u.email);
                assert.ok(users.includes("alice@example.com") && !users.includes("dave.contractor@example.com"));
            });

            it("plan fails on it only where the file declares that user", async () => {
                oddDave();
                assert.equal((await runCli(["plan", GITOPS], cli.api())).code, 2);
                oddDave();
                const declared = cli.file(["users:", "  - { email: dave.contractor@example.com, formalName: Dave Contractor, friendlyName: Dave, role: customer_user }"]);
                const r = await runCli(["plan", declared], cli.api());
                assert.equal(r.code, 1);
                assert.match(r.stderr, /dave\.contractor@example\.com \(b0000000-0000-4000-8000-000000000005\) is declared in the users file, so nothing about it can be decided/);
            });

            it("a user declared under a new email, its old one in formerEmails, counts as declared too", async () => {
                oddDave();
                const renamed = cli.file(["users:", "  - { email: dave@example.com, formerEmails: [Dave.Contractor@example.com], formalName: Dave Contractor, friendlyName: Dave, role: customer_user }"]);
                const r = await runCli(["plan", renamed], cli.api());
                assert.equal(r.code, 1, r.stderr);
                assert.match(r.stderr, /dave\.contractor@example\.com \(b0000000-0000-4000-8000-000000000005\) is declared in the users file, so nothing about it can be decided/);
            });
        });
    });

    describe("8. roles as Bitsight has them: the platform role, and product roles beside it", () => {
        underEach("patchRoles", (patchRoles) => {
            underEach("productRoles", (productRoles) => {
                const env = useHostAndEmulator({ patchRoles, productRoles });
                const bob = { email: "bob@example.com", formalName: "Bob Analyst", friendlyName: "Bob", role: "customer_user", adopt: true };

                it("a VRM role held beside the declared platform role is shown and never fought: no write, no error", async () => {
                    env.emu.account.users.get(SEEDED.bob)!.roles = ["customer_user", "vrm_view_only"];
                    const { id, outs } = await declareOne(env.host, bob, providerText);
                    assert.deepEqual([id, outs["role"], outs["otherRoles"]], [SEEDED.bob, "customer_user", "vrm_view_only"]);
                    assert.deepEqual(env.emu.writes(), []);
                    const read = await env.host.read(urn(bob.email), id, outs);
                    const { inputs } = await env.host.check(urn(bob.email), read.props, { ...bob, __provider: providerText });
                    assert.equal((await env.host.diff(urn(bob.email), id, read.props, inputs)).changes, "none");
                });

                it("declaring a VRM role: set where the Users API can, a clear error where it cannot", async () => {
                    const declared = { ...bob, role: "vrm_operations" };
                    env.emu.account.users.get(SEEDED.bob)!.roles = ["customer_user", "vrm_view_only"];
                    const result = await declareOne(env.host, declared, providerText).catch((e: unknown) => e as HostError);
                    if (productRoles === "refused") {
                        assert.match(String((result as HostError).message), /could not update it to the declared state: .*"vrm_operations" is assigned in its application, not through the Users API/);
                        assert.deepEqual(env.emu.account.users.get(SEEDED.bob)!.roles, ["customer_user", "vrm_view_only"], "nothing changed");
                    } else if (patchRoles === "replace") {
                        assert.match(String((result as HostError).message), /also took away the role customer_user/);
                    } else if (patchRoles === "add") {
                        assert.match(String((result as HostError).message), /Bitsight kept its other role \(vrm_view_only\)/);
                    } else {
                        assert.deepEqual(env.emu.account.users.get(SEEDED.bob)!.roles, ["customer_user", "vrm_operations"]);
                        assert.equal((result as { outs: Record<string, unknown> }).outs["otherRoles"], "customer_user");
                    }
                });
            });
        });

        describe("through the CLI", () => {
            const cli = useCliEmulator(() => {
                const a = seededAccount();
                a.users.get(SEEDED.bob)!.roles = ["customer_user", "vrm_admin"];
                a.addUser({ email: "tmh.sales@example.com", roles: ["customer_user", "trust_management_sales_operations"] });
                return a;
            });

            it("plan: a product role beside is no difference; declaring a VRM Admin is an Admin granted", async () => {
                const file = cli.file([
                    "users:",
                    "  - { email: bob@example.com, formalName: Bob Analyst, friendlyName: Bob, role: customer_user, group: Security Operations }",
                    "  - { email: nia@example.com, formalName: Nia Obi, friendlyName: Nia, role: vrm_admin }",
                ]);
                const plan = JSON.parse((await runCli(["plan", file, "--format", "json"], cli.api())).stdout) as {
                    unchanged: string[];
                    create: { email: string; privilege: { kind: string } | null }[];
                    undeclared: { email: string; role: string }[];
                };
                assert.ok(plan.unchanged.includes("bob@example.com"));
                assert.equal(plan.create.find((c) => c.email === "nia@example.com")?.privilege?.kind, "admin-granted");
                assert.equal(plan.undeclared.find((u) => u.email === "tmh.sales@example.com")?.role, "customer_user,trust_management_sales_operations", "a TMH role it does not know, shown as it is");
            });

            it("policy: a VRM Admin held beside counts towards maxAdmins, and requireReason for the Admin asks it of a VRM Admin", async () => {
                const held = cli.file([
                    "policy: { maxAdmins: 1 }",
                    "users:",
                    "  - { email: alice@example.com, formalName: Alice Admin, friendlyName: Alice, role: customer_admin, reason: lead }",
                    "  - { email: bob@example.com, formalName: Bob Analyst, friendlyName: Bob, role: customer_user }",
                ]);
                const r = await runCli(["plan", held], cli.api());
                assert.equal(r.code, 1);
                assert.match(r.stderr, /policy\.maxAdmins is 1, but the account would have 2 Admins: 1 declared in the file and 1 in the account that the file does not declare as Admins \(bob@example\.com\)/);
                const reason = cli.file(["policy: { requireReason: [customer_admin] }", "users:", "  - { email: nia@example.com, formalName: Nia Obi, role: vrm_admin }"]);
                const v = await runCli(["validate", reason]);
                assert.equal(v.code, 1);
                assert.match(v.stderr, /policy\.requireReason: a user with the role vrm_admin needs a `reason:`/);
            });

            it("review: a VRM Admin is among the Admins and their MFA", async () => {
                const review = JSON.parse((await runCli(["review", GITOPS, "--format", "json"], cli.api())).stdout) as { users: { email: string; admin: boolean; attention: string[] }[] };
                const bob = review.users.find((u) => u.email === "bob@example.com")!;
                assert.equal(bob.admin, true);
                assert.ok(bob.attention.includes("admin-without-mfa"));
            });
        });
    });

    describe("9. times without a zone, and joined_date", () => {
        underEach("timeFormat", (timeFormat) => {
            underEach("joinedField", (joinedField) => {
                for (const tokenUser of [undefined, "api-token@example.com"]) {
                    const how = tokenUser ? "named by bitsight:tokenUser" : "matched by its joined time";
                    // Each its own suite: a suite's host is configured for its own emulator before each test.
                    describe(how, () => {
                        // A machine far from UTC: a zoneless time read as local time is off by hours.
                        const env = useHostAndEmulator({ timeFormat, joinedField }, { TZ: "America/New_York" }, tokenUser ? { "bitsight:tokenUser": tokenUser } : {});

                        it(`finds the token's user (${how}) and lets a second Admin go`, async () => {
                            env.emu.account.addUser({ email: "second.admin@example.com", role: "customer_admin", status: "Activated", joined_time: "2025-01-01T00:00:00Z" });
                            const second = { email: "second.admin@example.com", formalName: "second.admin", friendlyName: "second.admin", role: "customer_admin", adopt: true };
                            const { id, outs } = await declareOne(env.host, second, providerText);
                            await env.host.delete(urn(second.email), id, outs);
                            assert.equal(env.emu.account.findByEmail(second.email), undefined);
                            assert.ok(env.emu.account.users.has(SEEDED.alice));
                        });
                    });
                }
            });
        });
    });

    describe("10. a token that is not an Admin's: a Group Admin's, which lists its group or everyone", () => {
        underEach("groupAdminListing", (groupAdminListing) => {
            const GROUP_TOKEN = "group-admin-token-7d1e";
            const cli = useCliEmulator(() => {
                const a = seededAccount({ groupAdminListing });
                const gina = a.addUser({ email: "gina@example.com", formal_name: "Gina Lead", friendly_name: "Gina", role: "customer_group_admin", group: GROUPS.secops.guid });
                a.addToken(GROUP_TOKEN, gina.guid);
                return a;
            });
            const asGina = () => ({ ...cli.api(), BITSIGHT_API_TOKEN: GROUP_TOKEN });
            // Everything a Group Admin of Security Operations sees, declared as it is.
            const visible = () =>
                cli.file([
                    "users:",
                    "  - { email: bob@example.com, formalName: Bob Analyst, friendlyName: Bob, role: customer_user, group: Security Operations }",
                    "  - { email: gina@example.com, formalName: Gina Lead, friendlyName: Gina, role: customer_group_admin, group: Security Operations }",
                ]);
            const NOTE = /The API token belongs to a user who is not an Admin \(Group Admin\): Bitsight may show such a token only part of the account/;

            it("plan says so in one line and never 'in sync', in every format", async () => {
                const text = await runCli(["plan", visible()], asGina());
                assert.equal(text.code, 2, text.stderr);
                assert.match(text.stdout, NOTE);
                assert.doesNotMatch(text.stdout, /In sync/);
                // Listing everyone, it finds the other groups' users undeclared; listing its group, nothing else: in sync is never said.
                assert.match(text.stdout, groupAdminListing === "ownGroup" ? /Not known to be in sync: the token sees only part of the account \(2 users it sees unchanged\)/ : /Differences: 3 not declared; 2 unchanged\./);
                const json = JSON.parse((await runCli(["plan", visible(), "--format", "json"], asGina())).stdout) as { inSync: boolean; partialView: string };
                assert.equal(json.inSync, false);
                assert.match(json.partialView, NOTE);
                assert.match((await runCli(["plan", visible(), "--format", "markdown"], asGina())).stdout, /^> :warning: <code>The API token belongs to a user who is not an Admin/m);
            });

            it("with an Admin's token, the same file is simply not in sync (the account has more users), and no note", async () => {
                const r = await runCli(["plan", visible(), "--format", "json"], cli.api());
                assert.equal((JSON.parse(r.stdout) as { partialView: unknown }).partialView, null);
            });

            it("review says so and needs attention", async () => {
                const r = await runCli(["review", visible()], asGina());
                assert.equal(r.code, 2);
                assert.match(r.stdout, NOTE);
            });

            it("the program warns once, before the resources register", async () => {
                const warn = sinon.stub(pulumi.log, "warn").resolves();
                try {
                    await runProgram(async () => (await usersFromFile(visible())).users, { "bitsight:apiToken": GROUP_TOKEN, "bitsight:apiUrl": cli.emu.url });
                    assert.equal(warn.args.filter((a) => NOTE.test(String(a[0]))).length, 1, warn.args.join("\n"));
                } finally {
                    warn.restore();
                }
            });
        });
    });

    describe("12. /v1/users/current for a company API token: as for a person, refused, or without roles", () => {
        underEach("companyTokenCurrent", (companyTokenCurrent) => {
            const cli = useCliEmulator(() => seededAccount({ companyTokenCurrent }));

            it("plan and review see the whole account: no partial-view note, the same findings", async () => {
                const plan = await runCli(["plan", GITOPS, "--format", "json"], cli.api());
                assert.equal(plan.code, 2, plan.stderr);
                const p = JSON.parse(plan.stdout) as { partialView: string | null; undeclared: { email: string }[]; companyApiTokens: { email: string }[] };
                assert.deepEqual([p.partialView, p.undeclared.map((u) => u.email), p.companyApiTokens.map((u) => u.email)], [null, ["dave.contractor@example.com"], ["api-token@example.com"]]);
                const review = await runCli(["review", GITOPS], cli.api());
                assert.equal(review.code, 2, review.stderr);
                assert.doesNotMatch(review.stdout + review.stderr, /only part of the account/);
            });

            it("export writes the account, and says once when it cannot tell whose the token is", async () => {
                const r = await runCli(["export", "--output", `${cli.dir}/exported.yaml`], cli.api());
                assert.equal(r.code, 0, r.stderr);
                const notes = r.stderr.split("\n").filter((l) => l.startsWith("Note: Cannot tell which Bitsight user the API token belongs to"));
                assert.equal(notes.length, companyTokenCurrent === "answered" ? 0 : 1, r.stderr);
                assert.equal(fs.readFileSync(`${cli.dir}/exported.yaml`, "utf8").match(/email: (alice|bob|carol|dave\.contractor)@example\.com/g)?.length, 4);
            });
        });
    });

    describe("11. empty pages with a next link", () => {
        const cli = useCliEmulator();

        it("count against the pages announced: a count of 2 reads three pages, not a thousand", async () => {
            let n = 0;
            cli.emu.inject({
                path: USERS,
                query: /is_company_api_token=false(&cursor=\d+)?$/,
                times: Infinity,
                rewrite: (reply, url) => {
                    const next = new URL(url.href);
                    next.searchParams.set("cursor", String(++n));
                    return { ...reply, body: { links: { next: next.href, previous: null }, count: 2, results: [] } };
                },
            });
            const r = await runCli(["plan", GITOPS], cli.api());
            assert.equal(r.code, 1);
            assert.match(r.stderr, /goes on past the 2 users its count announced: 3 pages read, 0 users, and still a next link/);
            assert.equal(n, 3);
        });
    });
});
