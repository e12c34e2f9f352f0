// onDelete: "demote", through the SDK's dynamic-provider host: removing the resource keeps
// the user in Bitsight with the least-privileged role, every feature it may change off,
// and not a subscription contact; never the last Activated Admin nor the token's own user.
import { strict as assert } from "assert";
import { GROUPS, SEEDED, SEED_TOKEN } from "./emulator/seed";
import { declareOne } from "./helpers/declare";
import { useHostAndEmulator } from "./helpers/emulator";
import { ProviderHost, urn, type Props } from "./helpers/host";
import { serializedProvider } from "./helpers/program";

describe("onDelete: demote, through the SDK's host", function () {
    this.timeout(60_000);
    const env = useHostAndEmulator();
    let providerText: string;
    before(async () => {
        providerText = await serializedProvider();
    });

    const managed = (props: Props) => declareOne(env.host, props, providerText);

    it("never gives a user a role of a product they did not have: a VRM-only contractor keeps no platform role", async () => {
        const { id, outs } = await managed({ email: "contractor@example.com", formalName: "Cy Contractor", friendlyName: "Cy", role: "vrm_view_only", features: { "wfh-ro": true }, onDelete: "demote" });
        assert.deepEqual(env.emu.account.users.get(id)!.roles, ["vrm_view_only"]);
        env.emu.clearLog();
        await env.host.delete(urn("contractor@example.com"), id, outs);
        assert.deepEqual(env.emu.account.users.get(id)!.roles, ["vrm_view_only"], "not given customer_user");
        assert.deepEqual(env.emu.writes().map((w) => w.body), [{ features: [{ slug: "wfh-ro", value: false }] }]);
    });

    it("keeps the user, with customer_user, every feature off and no contact flag: one PATCH from a fresh read", async () => {
        const { id, outs } = await managed({
            email: "vendor@example.com",
            formalName: "Val Vendor",
            friendlyName: "Val",
            role: "customer_group_admin",
            group: GROUPS.vendor.guid,
            features: { "wfh-ro": true },
            isAvailableForContact: true,
            onDelete: "demote",
        });
        env.emu.account.users.get(id)!.features["fq-access"] = { value: true, can_update: true };
        env.emu.clearLog();
        await env.host.delete(urn("vendor@example.com"), id, outs);
        const user = env.emu.account.users.get(id)!;
        assert.ok(user, "still in the account");
        assert.deepEqual(user.roles, ["customer_user"]);
        assert.deepEqual(Object.entries(user.features).filter(([, f]) => f.value), []);
        assert.equal(user.is_available_for_contact, false);
        assert.equal(user.group, GROUPS.vendor.guid, "the group stays: it grants nothing by itself");
        assert.deepEqual(env.emu.requests(), [`GET /ratings/v2/users/${id}`, `PATCH /ratings/v2/users/${id}`, `GET /ratings/v2/users/${id}`]);
        assert.deepEqual(env.emu.writes()[0]!.body, {
            roles: [{ slug: "customer_user" }],
            features: [
                { slug: "wfh-ro", value: false },
                { slug: "fq-access", value: false },
            ],
            is_available_for_contact: false,
        });
    });

    it("sends nothing for a user that is demoted already, and nothing for one that is gone", async () => {
        const bob = { email: "bob@example.com", role: "customer_user", onDelete: "demote", __provider: providerText };
        env.emu.clearLog();
        await env.host.delete(urn("bob"), SEEDED.bob, bob);
        assert.deepEqual(env.emu.writes(), []);
        await env.host.delete(urn("gone"), "b0000000-0000-4000-8000-0000000000aa", { ...bob, email: "gone@example.com" });
        assert.deepEqual(env.emu.writes(), []);
    });

    it("never demotes the last Activated Admin, and says what to do", async () => {
        await assert.rejects(env.host.delete(urn("alice"), SEEDED.alice, { email: "alice@example.com", role: "customer_admin", onDelete: "demote", __provider: providerText }), (err: Error) => {
            assert.match(err.message, /^Refusing to demote alice@example\.com \(b0000000-0000-4000-8000-000000000002\) to customer_user: it is the last Activated Admin of the account.*Set `onDelete: "retain"` on this resource to stop managing the user without changing it\.$/);
            return true;
        });
        assert.deepEqual(env.emu.account.users.get(SEEDED.alice)!.roles, ["customer_admin"]);
        assert.deepEqual(env.emu.writes(), []);
    });

    for (const [role, demoted] of [["customer_portfolio_manager", true], ["customer_admin", false]] as const) {
        it(`${demoted ? "demotes to bitsight:demoteRole" : "refuses customer_admin as bitsight:demoteRole, before any request"} (${role})`, async () => {
            const host = await ProviderHost.start();
            try {
                await host.configure({ "bitsight:apiToken": SEED_TOKEN, "bitsight:apiUrl": env.emu.url, "bitsight:demoteRole": role });
                env.emu.clearLog();
                const removed = host.delete(urn("bob"), SEEDED.bob, { email: "bob@example.com", role: "customer_user", onDelete: "demote", __provider: providerText });
                if (demoted) {
                    await removed;
                    assert.deepEqual(env.emu.account.users.get(SEEDED.bob)!.roles, [role]);
                } else {
                    await assert.rejects(removed, /stack config bitsight:demoteRole must be a Bitsight role other than customer_admin/);
                    assert.deepEqual(env.emu.log, []);
                }
            } finally {
                await host.stop();
            }
        });
    }
});
