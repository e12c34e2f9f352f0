// The provider process dies after its POST reached Bitsight and before Pulumi recorded the
// user: the next `pulumi up` (a new host, nothing in the state) must not create a second
// user, and says in one message what happened and what to do.
import { strict as assert } from "assert";
import { seededAccount, SEED_TOKEN } from "./emulator/seed";
import { BitsightEmulator } from "./emulator/server";
import { ProviderHost, urn, type Props } from "./helpers/host";
import { serializedProvider } from "./helpers/program";

describe("a provider host that dies after sending a create", function () {
    this.timeout(60_000);
    let providerText: string;
    let emu: BitsightEmulator;
    before(async () => {
        providerText = await serializedProvider();
    });
    beforeEach(async () => {
        emu = await BitsightEmulator.start({ account: seededAccount() });
    });
    afterEach(async () => {
        await emu.stop();
    });

    const URN = urn("erin");
    const declared = (extra: Props = {}): Props => ({
        email: "erin.novak@example.com",
        formalName: "Erin Novak",
        friendlyName: "Erin",
        role: "customer_user",
        ...extra,
        __provider: providerText,
    });

    async function started(): Promise<ProviderHost> {
        const host = await ProviderHost.start();
        await host.configure({ "bitsight:apiToken": SEED_TOKEN, "bitsight:apiUrl": emu.url });
        return host;
    }

    /** Runs a create whose POST Bitsight applies but never answers, and kills the host once the user exists. */
    async function crashAfterPost(): Promise<string> {
        emu.inject({ method: "POST", path: "/ratings/v2/users", hang: "after" });
        const posted = emu.applied((r) => r.method === "POST" && r.path === "/ratings/v2/users");
        const host = await started();
        const { inputs } = await host.check(URN, {}, declared());
        const create = host.create(URN, inputs).then(
            () => assert.fail("the create must not complete"),
            (err: Error) => err,
        );
        await posted;
        const erin = emu.account.findByEmail("erin.novak@example.com");
        assert.ok(erin, "the POST reached the account");
        await host.kill();
        assert.match(String(await create), /UNAVAILABLE|CANCELLED|ECONNRESET|Connection dropped/i);
        return erin.guid;
    }

    async function nextUp(extra: Props = {}): Promise<{ id: string; outs: Props }> {
        const host = await started();
        try {
            const { inputs, failures } = await host.check(URN, {}, declared(extra));
            assert.deepEqual(failures, []);
            return await host.create(URN, inputs);
        } finally {
            await host.stop();
        }
    }

    it("the next run creates no second user and says the user matches, and how to take it over", async () => {
        const guid = await crashAfterPost();
        emu.clearLog();
        const erin = emu.account.users.get(guid)!;
        await assert.rejects(nextUp(), (err: Error) => {
            assert.equal(
                err.message,
                `A Bitsight user with the email erin.novak@example.com already exists and already matches this declaration (guid ${guid}, role customer_user, joined ${erin.joined_time}, never logged in). ` +
                    "If an earlier `pulumi up` was interrupted while creating it (Pulumi then warns of a pending create operation), this is that user. " +
                    "Either way, set `adopt: true` on this resource and run again: taking it over changes nothing in Bitsight. " +
                    "The provider does not take it over by itself, because Bitsight records nothing that proves who created the user, and a managed user is deleted when its declaration is removed.",
            );
            return true;
        });
        assert.deepEqual(emu.writes(), []);
        assert.equal([...emu.account.users.values()].filter((u) => u.email === "erin.novak@example.com").length, 1);
    });

    it("with adopt: true the run after that takes the user over without a write", async () => {
        const guid = await crashAfterPost();
        emu.clearLog();
        const { id, outs } = await nextUp({ adopt: true });
        assert.equal(id, guid);
        assert.equal(outs["adopted"], true);
        assert.deepEqual(emu.writes(), []);
    });

    it("a user changed since (not the declaration any more) gets the plain already-exists message", async () => {
        const guid = await crashAfterPost();
        emu.account.users.get(guid)!.roles = ["customer_portfolio_manager"];
        await assert.rejects(nextUp(), /^Error: A Bitsight user with the email erin.novak@example.com already exists \(guid .+, role customer_portfolio_manager, status Created\)\. To manage it with Pulumi, set `adopt: true`/);
        assert.equal(emu.writes().filter((w) => w.method === "POST").length, 1, "only the crashed run's POST");
    });
});
