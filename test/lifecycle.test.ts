// The whole lifecycle as Pulumi runs it: the provider serialized by the real SDK, run by
// the SDK's own dynamic-provider host over gRPC, against the emulator on 127.0.0.1.
import { strict as assert } from "assert";
import { seededAccount, SEEDED, SEED_TOKEN } from "./emulator/seed";
import { BitsightEmulator } from "./emulator/server";
import { ProviderHost, urn, type HostError, type Props } from "./helpers/host";
import { useHostAndEmulator } from "./helpers/emulator";
import { serializedProvider } from "./helpers/program";
import { ACCOUNT_LISTING, listingInOrder } from "./helpers/requests";

let providerText: string;

before(async () => {
    providerText = await serializedProvider();
});

const declared = (extra: Props = {}): Props => ({
    email: "ana@example.com",
    formalName: "Ana Lopez",
    friendlyName: "Ana",
    role: "customer_user",
    ...extra,
    __provider: providerText,
});

function strip(p: Props): Props {
    const { __provider: _p, ...rest } = p;
    return rest;
}

describe("lifecycle through the SDK's dynamic-provider host", function () {
    this.timeout(60_000);
    let emu: BitsightEmulator;
    let host: ProviderHost;
    const URN = urn("ana");

    const env = useHostAndEmulator();
    beforeEach(() => ({ emu, host } = env));

    async function created(extra: Props = {}) {
        const checked = await host.check(URN, {}, declared(extra));
        assert.deepEqual(checked.failures, []);
        const { id, outs } = await host.create(URN, checked.inputs);
        return { checked: checked.inputs, id, outs };
    }

    it("creates, reads without drift, sees a change made behind its back, repairs it with one PATCH, and deletes", async () => {
        // A host of its own, so that the request log is the whole story (the token owner is asked once per process).
        const host = await ProviderHost.start();
        try {
            await host.configure({ "bitsight:apiToken": SEED_TOKEN, "bitsight:apiUrl": emu.url });
            await lifecycle(host);
        } finally {
            await host.stop();
        }
    });

    async function lifecycle(host: ProviderHost): Promise<void> {
        // check
        const checked = await host.check(URN, {}, declared({ email: " Ana@Example.com " }));
        assert.deepEqual(checked.failures, []);
        assert.deepEqual(strip(checked.inputs), {
            email: "Ana@Example.com",
            formalName: "Ana Lopez",
            friendlyName: "Ana",
            role: "customer_user",
            adopt: false,
            onDelete: "delete",
        });
        assert.equal(emu.log.length, 0, "check makes no API call");

        // create
        const { id, outs } = await host.create(URN, checked.inputs);
        const user = emu.account.findByEmail("ana@example.com")!;
        assert.equal(id, user.guid);
        assert.deepEqual(strip(outs), {
            email: "Ana@Example.com",
            formalName: "Ana Lopez",
            friendlyName: "Ana",
            role: "customer_user",
            adopt: false,
            onDelete: "delete",
            guid: id,
            status: "Created",
            groupName: "All Companies",
            roleName: "User",
            joinedTime: "2026-11-01T09:00:00Z",
            lastLoginTime: null,
            mfaStatus: "not_enabled",
            adopted: false,
        });
        assert.equal(outs["__provider"], providerText);

        // read: nothing changed, nothing to do
        const fresh = await host.read(URN, id, outs);
        assert.equal(fresh.id, id);
        assert.deepEqual(strip(fresh.props), strip(outs));
        assert.deepEqual(strip(fresh.inputs!), strip(checked.inputs));
        assert.equal((await host.diff(URN, id, fresh.props, checked.inputs)).changes, "none");

        // someone raises Ana to Admin in the Bitsight UI, and she logs in
        user.roles = ["customer_admin"];
        user.status = "Activated";
        const drifted = await host.read(URN, id, fresh.props);
        assert.equal(drifted.props["role"], "customer_admin");
        assert.equal(drifted.props["roleName"], "Admin");
        assert.equal(drifted.inputs!["role"], "customer_admin");
        assert.deepEqual(await host.diff(URN, id, drifted.props, checked.inputs), { changes: "some", replaces: [] });

        // update puts the declared role back with one PATCH of only that field. Ana is now an
        // active Admin, so the lockout guard reads her again under its lock, finds out whom the
        // token belongs to (the documented /v1/users/current names nobody: matched against the
        // account), checks that another Activated Admin remains, and checks again after the PATCH.
        const mark = emu.log.length;
        const updated = await host.update(URN, id, drifted.props, checked.inputs);
        const ADMINS = "GET /ratings/v2/users?limit=100&offset=0&sort=guid&roles.slug=customer_admin&status=Activated&is_company_api_token=false";
        assert.deepEqual(listingInOrder(emu.requests().slice(mark)), [
            `GET /ratings/v2/users/${id}`,
            `GET /ratings/v2/users/${id}`,
            "GET /ratings/v1/users/current",
            ...ACCOUNT_LISTING,
            ADMINS,
            `PATCH /ratings/v2/users/${id}`,
            ADMINS,
            `GET /ratings/v2/users/${id}`,
        ]);
        assert.deepEqual(emu.writes().at(-1)!.body, { roles: [{ slug: "customer_user" }] }, "only the changed field");
        assert.equal(updated["role"], "customer_user");
        assert.deepEqual(user.roles, ["customer_user"]);

        // delete
        await host.delete(URN, id, updated);
        assert.equal(emu.account.users.has(id), false);

        assert.deepEqual(emu.requests(), [
            "GET /ratings/v2/users?limit=100&offset=0&sort=guid&email=Ana%40Example.com&is_company_api_token=false",
            "GET /ratings/v2/users?limit=100&offset=0&sort=guid&email=Ana%40Example.com&is_company_api_token=true",
            "GET /ratings/v2/users?limit=100&offset=0&sort=guid&email_q=Ana%40Example.com&is_company_api_token=false",
            "GET /ratings/v2/users?limit=100&offset=0&sort=guid&email_q=Ana%40Example.com&is_company_api_token=true",
            "POST /ratings/v2/users",
            `GET /ratings/v2/users/${id}`,
            `GET /ratings/v2/users/${id}`,
            ...emu.requests().slice(mark, mark + 7 + ACCOUNT_LISTING.length),
            // delete: Ana is no Admin any more, so the guard's fresh read is all it needs
            `GET /ratings/v2/users/${id}`,
            `DELETE /ratings/v2/users/${id}`,
        ]);
        assert.deepEqual(emu.log[4]!.body, {
            email: "Ana@Example.com",
            formal_name: "Ana Lopez",
            friendly_name: "Ana",
            roles: [{ slug: "customer_user" }],
        });
    }

    it("sends every declared field on create and reads them back", async () => {
        const { outs } = await created({
            group: "a0000000-0000-4000-8000-000000000003",
            features: { "wfh-ro": true },
            isAvailableForContact: true,
            status: "Activated",
        });
        assert.deepEqual(emu.writes()[0]!.body, {
            email: "ana@example.com",
            formal_name: "Ana Lopez",
            friendly_name: "Ana",
            roles: [{ slug: "customer_user" }],
            group: "a0000000-0000-4000-8000-000000000003",
            features: [{ slug: "wfh-ro", value: true }],
            is_available_for_contact: true,
            status: "Activated",
        });
        assert.equal(outs["groupName"], "Vendor Risk");
        assert.deepEqual(outs["features"], { "wfh-ro": true });
        assert.equal(outs["status"], "Activated");
        assert.equal(outs["initialStatus"], "Activated");
    });

    it("refuses to create over an existing user unless told to adopt, and says how", async () => {
        const checked = await host.check(URN, {}, declared({ email: "BOB@example.com" }));
        await assert.rejects(host.create(URN, checked.inputs), (err: HostError) => {
            assert.equal(
                err.message,
                `A Bitsight user with the email bob@example.com already exists (guid ${SEEDED.bob}, role customer_user, status Activated). ` +
                    "To manage it with Pulumi, set `adopt: true` on this resource and run again: the provider then takes the user over " +
                    "and updates it to the declared state (`pulumi import` does not work for dynamic resources). " +
                    "If BOB@example.com was meant to be a new user, choose another email.",
            );
            assert.equal(err.initFailed, undefined, "nothing was created, so nothing is kept in the state");
            return true;
        });
        assert.deepEqual(emu.writes(), []);
    });

    it("adopts an existing user: takes it over and PATCHes it to the declared state", async () => {
        const { id, outs } = await created({ email: "bob@example.com", formalName: "Bob Analyst", friendlyName: "Bob", role: "customer_group_admin", adopt: true });
        assert.equal(id, SEEDED.bob);
        assert.equal(outs["adopted"], true);
        assert.equal(outs["role"], "customer_group_admin");
        // an adoption writes to the user it finds: the whole account says there is only one
        assert.deepEqual(emu.requests().slice(0, ACCOUNT_LISTING.length).sort(), [...ACCOUNT_LISTING].sort());
        assert.deepEqual(emu.requests().slice(ACCOUNT_LISTING.length), [
            // a new role that is not Admin: the guard reads Bob fresh, finds no Admin, lets it through
            `GET /ratings/v2/users/${SEEDED.bob}`,
            `PATCH /ratings/v2/users/${SEEDED.bob}`,
            `GET /ratings/v2/users/${SEEDED.bob}`,
        ]);
        assert.deepEqual(emu.writes()[0]!.body, { roles: [{ slug: "customer_group_admin" }] });
    });

    it("adopts a user already in the declared state without writing anything", async () => {
        const { outs } = await created({ email: "bob@example.com", formalName: "Bob Analyst", friendlyName: "Bob", adopt: true });
        assert.equal(outs["adopted"], true);
        assert.deepEqual(emu.writes(), []);
    });

    it("keeps an adopted user in the state when the PATCH that follows fails", async () => {
        emu.inject({ method: "PATCH", reply: { status: 403, text: "<html><body><h1>403 Forbidden</h1>Blocked by the web application firewall</body></html>" } });
        const checked = await host.check(URN, {}, declared({ email: "bob@example.com", role: "customer_admin", adopt: true }));
        await assert.rejects(host.create(URN, checked.inputs), (err: HostError) => {
            assert.match(err.message, /^Adopted bob@example\.com \(b0000000-0000-4000-8000-000000000003\) but could not update it to the declared state: Bitsight API answered 403 Forbidden \(the API token's user lacks the permission\) to PATCH \/ratings\/v2\/users\/b0000000-0000-4000-8000-000000000003: 403 Forbidden Blocked by the web application firewall$/);
            assert.equal(err.initFailed?.id, SEEDED.bob);
            assert.equal(err.initFailed?.properties["role"], "customer_user", "the state says what the account really has");
            assert.equal(err.initFailed?.properties["__provider"], providerText, "a later refresh or destroy can still run");
            return true;
        });
    });

    it("lets a refresh drop a user deleted out of band", async () => {
        const { id, outs } = await created();
        emu.account.users.delete(id);
        const r = await host.read(URN, id, outs);
        assert.equal(r.id, "");
        assert.deepEqual(strip(r.props), {});
    });

    it("treats a user already deleted as deleted", async () => {
        const { id, outs } = await created();
        emu.account.users.delete(id);
        await host.delete(URN, id, outs);
        assert.equal(emu.requests().at(-1), `DELETE /ratings/v2/users/${id}`);
    });

    it("retains the user on delete when onDelete is retain, with no API call", async () => {
        const { id, outs } = await created({ onDelete: "retain" });
        const mark = emu.log.length;
        await host.delete(URN, id, outs);
        assert.equal(emu.log.length, mark);
        assert.ok(emu.account.users.has(id));
    });

    it("changes onDelete without any API call", async () => {
        const { id, outs, checked } = await created();
        const news = { ...checked, onDelete: "retain" };
        assert.equal((await host.diff(URN, id, outs, news)).changes, "some");
        const mark = emu.log.length;
        const updated = await host.update(URN, id, outs, news);
        assert.equal(emu.log.length, mark);
        assert.equal(updated["onDelete"], "retain");
    });

    it("never deletes the user the API token belongs to", async () => {
        const { id, outs } = await created({
            email: "api-token@example.com",
            formalName: "Company API Token",
            friendlyName: "API Token",
            role: "customer_admin",
            adopt: true,
        });
        assert.equal(id, SEEDED.tokenUser);
        await assert.rejects(host.delete(URN, id, outs), /Refusing to delete api-token@example\.com \(b0000000-0000-4000-8000-000000000001\): it is the user the API token belongs to/);
        assert.ok(emu.account.users.has(id));
        assert.ok(!emu.requests().some((r) => r.startsWith("DELETE")));
    });

    it("rejects invalid input in check with zero API calls", async () => {
        const r = await host.check(URN, {}, declared({ role: "admin", email: "not-an-email", rol: "x" }));
        assert.deepEqual(r.failures.map((f) => f.property), ["rol", "email", "role"]);
        assert.equal(emu.log.length, 0);
    });

    it("reports a status change instead of applying or ignoring it, and never replaces", async () => {
        const { id, outs, checked } = await created();
        const news = { ...checked, status: "Deactivated" };
        // A difference in diff (so that refresh, which diffs too, still records the account), refused by update before any write.
        assert.deepEqual(await host.diff(URN, id, outs, news), { changes: "some", replaces: [] });
        emu.clearLog();
        await assert.rejects(
            host.update(URN, id, outs, news),
            /ana@example\.com: status: declared "Deactivated" but the user is "Created" in Bitsight, and the Bitsight API cannot change the status of an existing user/,
        );
        assert.deepEqual(emu.writes(), []);
        assert.ok(emu.account.users.has(id));
    });

    it("refuses a declared feature the account will not change, before any write, saying what to do", async () => {
        const { id, outs, checked } = await created({ features: { "wfh-ro": false } });
        emu.account.users.get(id)!.features["wfh-ro"] = { value: false, can_update: false };
        emu.clearLog();
        await assert.rejects(host.update(URN, id, outs, { ...checked, features: { "wfh-ro": true } }), (err: HostError) => {
            assert.match(err.message, /ana@example\.com: features\.wfh-ro: declared true but Bitsight has false, and Bitsight does not let this user's feature be changed \(can_update: false\)/);
            return true;
        });
        assert.deepEqual(emu.writes(), []);
        assert.deepEqual(emu.account.users.get(id)!.features["wfh-ro"], { value: false, can_update: false });
    });

    it("keeps the token out of __provider, the outputs, the inputs and the host's log", async () => {
        const { id, outs, checked } = await created();
        emu.inject({ reply: { status: 403, body: { detail: `token ${SEED_TOKEN} may not read this user` } } });
        await assert.rejects(host.read(URN, id, outs), /\[REDACTED\]/);
        for (const text of [providerText, JSON.stringify(outs), JSON.stringify(checked), host.stderr]) {
            assert.ok(!text.includes(SEED_TOKEN));
            assert.ok(!text.includes(Buffer.from(`${SEED_TOKEN}:`).toString("base64")));
        }
    });
});

describe("host configuration from the environment", function () {
    this.timeout(60_000);

    it("uses BITSIGHT_API_TOKEN and BITSIGHT_API_URL when the stack config has none", async () => {
        const emu = await BitsightEmulator.start({ account: seededAccount() });
        const host = await ProviderHost.start({ BITSIGHT_API_TOKEN: SEED_TOKEN, BITSIGHT_API_URL: emu.url });
        try {
            await host.configure({});
            const r = await host.read(urn("bob"), SEEDED.bob, { email: "bob@example.com", __provider: providerText });
            assert.equal(r.props["formalName"], "Bob Analyst");
        } finally {
            await host.stop();
            await emu.stop();
        }
    });

    it("says how to set the token when there is none, before any request", async () => {
        const emu = await BitsightEmulator.start({ account: seededAccount() });
        const host = await ProviderHost.start({ BITSIGHT_API_URL: emu.url });
        try {
            await host.configure({});
            await assert.rejects(host.read(urn("bob"), SEEDED.bob, { __provider: providerText }), /No Bitsight API token\. Set it with `pulumi config set --secret bitsight:apiToken <token>`/);
            assert.equal(emu.log.length, 0);
        } finally {
            await host.stop();
            await emu.stop();
        }
    });
});
