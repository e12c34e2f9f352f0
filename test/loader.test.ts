// What `__provider` does in the host when it loads the real hooks (provider/resource/shim): a
// package it cannot find is one clear message on every hook, and a second `configure`
// (another `__provider` text, e.g. an older one from the state) keeps the client that
// operations in flight are using.
import { strict as assert } from "assert";
import { seededAccount, SEED_TOKEN } from "./emulator/seed";
import { BitsightEmulator } from "./emulator/server";
import { ProviderHost, urn, type Props } from "./helpers/host";
import { serializedProvider } from "./helpers/program";
import { tempDir } from "./helpers/temp";

describe("loading the hooks in the SDK's host", function () {
    this.timeout(60_000);
    let providerText: string;
    before(async () => {
        providerText = await serializedProvider();
    });

    it("says on every hook, without a stack trace, that the package is missing and where to install it", async () => {
        const dir = tempDir("no-package-");
        const host = await ProviderHost.start({}, dir);
        try {
            await host.configure({ "bitsight:apiToken": SEED_TOKEN });
            const said = `pulumi-bitsight: cannot load pulumi-bitsight/hooks from ${dir}: Cannot find module 'pulumi-bitsight/hooks'. Run \`npm install pulumi-bitsight\` in ${dir} or a folder above it.`;
            const props: Props = { email: "a@example.com", __provider: providerText };
            await assert.rejects(host.check(urn("a"), {}, props), (err: Error) => (assert.equal(err.message, said), true));
            // The host keeps the provider it deserialized: the later hooks (all the deletes of a destroy) must say the same.
            await assert.rejects(host.delete(urn("a"), "e0000000-0000-4000-8000-000000000001", props), (err: Error) => (assert.equal(err.message, said), true));
            await assert.rejects(host.read(urn("a"), "e0000000-0000-4000-8000-000000000001", props), (err: Error) => (assert.equal(err.message, said), true));
            assert.ok(!host.stderr.includes("Require stack"), host.stderr);
        } finally {
            await host.stop();
        }
    });

    it("falls back to the published name when the name captured at serialization is not installed any more", async () => {
        const renamed = providerText.replace('var __names = ["pulumi-bitsight"]', 'var __names = ["@acme/gone-since", "pulumi-bitsight"]');
        assert.notEqual(renamed, providerText, "the test must change the captured names");
        const host = await ProviderHost.start();
        try {
            await host.configure({ "bitsight:apiToken": SEED_TOKEN });
            const { failures } = await host.check(urn("a"), {}, { email: "a@example.com", formalName: "A", friendlyName: "A", role: "customer_user", __provider: renamed });
            assert.deepEqual(failures, []);
        } finally {
            await host.stop();
        }
    });

    it("keeps the client when configure runs again for another __provider text: the token's user is found once per process", async () => {
        const account = seededAccount();
        const admins = ["one", "two"].map((n) => account.addUser({ email: `${n}.admin@example.com`, role: "customer_admin", status: "Activated" }));
        const emu = await BitsightEmulator.start({ account });
        const host = await ProviderHost.start();
        try {
            await host.configure({ "bitsight:apiToken": SEED_TOKEN, "bitsight:apiUrl": emu.url });
            await host.delete(urn("one"), admins[0]!.guid, { email: admins[0]!.email, __provider: providerText });
            // A different text (as an older version's in the state would be) is deserialized and configured anew.
            await host.delete(urn("two"), admins[1]!.guid, { email: admins[1]!.email, __provider: `${providerText}\n` });
            assert.equal(account.users.size, 5);
            assert.equal(emu.requests().filter((r) => r === "GET /ratings/v1/users/current").length, 1);
        } finally {
            await host.stop();
            await emu.stop();
        }
    });
});
