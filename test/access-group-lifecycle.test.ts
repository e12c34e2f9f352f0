// BitsightAccessGroup through the SDK's dynamic-provider host: a declared group is created,
// or adopted by its name (several of that name: refused); its flags are set in place; a
// group that still has users, the default group and All Companies are never deleted. Under
// every reading the pages leave open: a flat or wrapped body, names unique or not, what a
// DELETE of a group with users does, whether ?expand=users is honoured.
import { strict as assert } from "assert";
import { GROUPS } from "./emulator/seed";
import { useHostAndEmulator } from "./helpers/emulator";
import { urn, type Props } from "./helpers/host";
import { runProgram } from "./helpers/program";
import { underEach } from "./helpers/quirks";
import type { ProviderHost } from "./helpers/host";

const GROUPS_PATH = "/ratings/v1/access-groups";

async function groupProvider(): Promise<string> {
    const { BitsightAccessGroup } = await import("../provider");
    const [reg] = await runProgram(() => [new BitsightAccessGroup("probe", { name: "probe" })]);
    return reg!.inputs["__provider"] as string;
}

async function declare(env: { host: ProviderHost }, provider: string, props: Props): Promise<{ id: string; outs: Props }> {
    const name = urn(String(props["name"]));
    const { inputs, failures } = await env.host.check(name, {}, { ...props, __provider: provider });
    assert.deepEqual(failures, []);
    return env.host.create(name, inputs);
}

describe("BitsightAccessGroup, through the SDK's host", function () {
    this.timeout(60_000);
    let provider: string;
    before(async () => {
        provider = await groupProvider();
    });

    underEach("groupBody", (groupBody) => {
        underEach("groupNames", (groupNames) => {
            const env = useHostAndEmulator({ groupBody, groupNames });
            it("creates a declared group with its flags, found again by listing; sends `is_default` only when true", async () => {
                env.emu.clearLog();
                const { id, outs } = await declare(env, provider, { name: "Third parties", allowBundledCompanies: true, isDefault: false, reason: "vendor analysts (SEC-40)" });
                const flat = { name: "Third parties", allow_bundled_companies: true };
                const posts = env.emu.writes().map((w) => w.body);
                // The help pages send it flat, the OpenAPI wrapped: flat first, wrapped after the 400 about `body`.
                assert.deepEqual(posts, groupBody === "flat" ? [flat] : [flat, { body: flat }]);
                const made = env.emu.account.groups.find((g) => g.name === "Third parties")!;
                assert.equal(id, made.guid);
                assert.equal(made.allow_bundled_companies, true);
                assert.equal(env.emu.account.defaultGroup, GROUPS.all.guid);
                assert.deepEqual([outs["guid"], outs["adopted"], outs["reason"]], [id, false, "vendor analysts (SEC-40)"]);
            });

            it("adopts the account's group of that name, setting only the flags that differ", async () => {
                env.emu.clearLog();
                const { id, outs } = await declare(env, provider, { name: GROUPS.vendor.name, canSetTierScope: true, allowBundledCompanies: false });
                assert.equal(id, GROUPS.vendor.guid);
                assert.equal(outs["adopted"], true);
                const patch = { can_set_tier_scope: true };
                assert.deepEqual(env.emu.writes().map((w) => [w.method, w.path, w.body]), [
                    ["PATCH", `${GROUPS_PATH}/${GROUPS.vendor.guid}`, patch],
                    ...(groupBody === "wrapped" ? [["PATCH", `${GROUPS_PATH}/${GROUPS.vendor.guid}`, { body: patch }]] : []),
                ]);
                assert.equal(env.emu.account.groups.find((g) => g.guid === GROUPS.vendor.guid)!.can_set_tier_scope, true);
            });

            it("changes its name and flags in place; `isDefault: true` moves the account's default", async () => {
                const { id, outs } = await declare(env, provider, { name: "Third parties" });
                const news = { name: "Vendors", isDefault: true, __provider: provider };
                assert.deepEqual(await env.host.diff(urn("Third parties"), id, outs, news), { changes: "some", replaces: [] });
                env.emu.clearLog();
                const updated = await env.host.update(urn("Third parties"), id, outs, news);
                assert.deepEqual(env.emu.writes().at(-1)!.body, groupBody === "flat" ? { name: "Vendors", is_default: true } : { body: { name: "Vendors", is_default: true } });
                assert.equal(env.emu.account.defaultGroup, id);
                assert.equal(updated["name"], "Vendors");
                assert.deepEqual(await env.host.diff(urn("Third parties"), id, updated, news), { changes: "none", replaces: [] });
            });
        });
    });

    underEach("groupNames", (groupNames) => {
        const env = useHostAndEmulator({ groupNames });
        it("several groups of the declared name: refused, naming them, nothing written", async () => {
            env.emu.account.groups.push({ guid: "a0000000-0000-4000-8000-0000000000f1", name: GROUPS.vendor.name });
            env.emu.clearLog();
            await assert.rejects(declare(env, provider, { name: GROUPS.vendor.name }), /2 access groups are named "Vendor Risk" \(a0000000-0000-4000-8000-000000000003, a0000000-0000-4000-8000-0000000000f1\): the file cannot tell which it declares/);
            assert.deepEqual(env.emu.writes(), []);
        });
    });

    describe("a refresh", () => {
        const env = useHostAndEmulator();
        it("reads the flags the declaration sets as the account has them; a group deleted in the UI is gone", async () => {
            const { id, outs } = await declare(env, provider, { name: "Third parties", allowBundledCompanies: true, reason: "vendor analysts" });
            const { __provider: _p, ...unchanged } = (await env.host.read(urn("Third parties"), id, outs)).inputs ?? {};
            assert.deepEqual(unchanged, { name: "Third parties", allowBundledCompanies: true, reason: "vendor analysts" }, "unchanged: the same inputs, the file's reason kept");
            env.emu.account.groups.find((g) => g.guid === id)!.allow_bundled_companies = false;
            env.emu.account.groups.find((g) => g.guid === id)!.can_set_tier_scope = true;
            const read = await env.host.read(urn("Third parties"), id, outs);
            assert.equal(read.props["allowBundledCompanies"], false, "drift in a declared flag is seen");
            assert.equal(read.props["canSetTierScope"], undefined, "a flag the file leaves alone stays out of the state");
            assert.deepEqual((await env.host.diff(urn("Third parties"), id, read.props, { name: "Third parties", allowBundledCompanies: true, reason: "vendor analysts", __provider: provider })).changes, "some");
            env.emu.account.groups.splice(env.emu.account.groups.findIndex((g) => g.guid === id), 1);
            assert.equal((await env.host.read(urn("Third parties"), id, outs)).id, "");
        });
    });

    underEach("groupDelete", (groupDelete) => {
        underEach("groupExpand", (groupExpand) => {
            const env = useHostAndEmulator({ groupDelete, groupExpand });
            it("never deletes a group that still has users: the error names them, and no DELETE is sent", async () => {
                const { id, outs } = await declare(env, provider, { name: GROUPS.vendor.name });
                env.emu.clearLog();
                await assert.rejects(env.host.delete(urn(GROUPS.vendor.name), id, outs), /Refusing to delete the access group "Vendor Risk" \(a0000000-0000-4000-8000-000000000003\): 1 user is still in it \(carol@example\.com\)\. Move them to another group/);
                assert.deepEqual(env.emu.writes(), []);
                assert.ok(env.emu.account.groups.some((g) => g.guid === id));
            });

            it("deletes an empty group; one already gone is not an error", async () => {
                const { id, outs } = await declare(env, provider, { name: "Third parties" });
                env.emu.clearLog();
                await env.host.delete(urn("Third parties"), id, outs);
                assert.deepEqual(env.emu.writes().map((w) => `${w.method} ${w.path}`), [`DELETE ${GROUPS_PATH}/${id}`]);
                assert.ok(!env.emu.account.groups.some((g) => g.guid === id));
                await env.host.delete(urn("Third parties"), id, outs);
            });
        });
    });

    describe("the account's own groups", () => {
        const env = useHostAndEmulator();
        it("never deletes the default group or All Companies", async () => {
            const made = await declare(env, provider, { name: "Third parties", isDefault: true });
            const all = await declare(env, provider, { name: GROUPS.all.name });
            env.emu.clearLog();
            await assert.rejects(env.host.delete(urn("Third parties"), made.id, made.outs), /it is the account's default group, where new users land\. Set `isDefault: true` on another group first/);
            await assert.rejects(env.host.delete(urn(GROUPS.all.name), all.id, all.outs), /it is the account's All Companies group/);
            assert.deepEqual(env.emu.writes(), []);
        });
    });

    underEach("groupCompanies", (groupCompanies) => {
        underEach("groupCompaniesPut", (groupCompaniesPut) => {
            const env = useHostAndEmulator({ groupCompanies, groupCompaniesPut });
            const [C1, C2, C3] = ["f0000000-0000-4000-8000-000000000001", "f0000000-0000-4000-8000-000000000002", "f0000000-0000-4000-8000-000000000003"];
            it("sets the companies a group sees, read back after; one it would still see is an error naming it, never taken as done", async () => {
                env.emu.clearLog();
                const { id, outs } = await declare(env, provider, { name: "Third parties", companies: [C2.toUpperCase(), C1] });
                const puts = env.emu.writes().filter((w) => w.method === "PUT");
                // The pages do not say the body's shape: an object first, a bare list after the 400.
                assert.deepEqual(puts.map((p) => p.body), groupCompanies === "object" ? [{ guids: [C1, C2] }] : [{ guids: [C1, C2] }, [C1, C2]]);
                assert.deepEqual(env.emu.account.groups.find((g) => g.guid === id)!.companies, [C1, C2]);
                assert.deepEqual(outs["companies"], [C1, C2]);
                const news = { name: "Third parties", companies: [C2, C3], __provider: provider };
                assert.equal((await env.host.diff(urn("Third parties"), id, outs, news)).changes, "some");
                const update = env.host.update(urn("Third parties"), id, outs, news);
                if (groupCompaniesPut === "replace") {
                    assert.deepEqual((await update)["companies"], [C2, C3]);
                    assert.deepEqual(env.emu.account.groups.find((g) => g.guid === id)!.companies, [C2, C3]);
                } else {
                    await assert.rejects(update, new RegExp(`the group then sees 3 companies, not the 2 sent; still sees ${C1} \\(Bitsight may add to a group's companies rather than replace them: remove them in the Bitsight UI\\)`));
                }
            });

            it("reads the companies as the account has them, where declared; never on All Companies", async () => {
                const { id, outs } = await declare(env, provider, { name: "Third parties", companies: [C1] });
                env.emu.account.groups.find((g) => g.guid === id)!.companies = [C1, C3];
                const read = await env.host.read(urn("Third parties"), id, outs);
                assert.deepEqual(read.props["companies"], [C1, C3], "a company given in the UI is drift");
                const plain = await declare(env, provider, { name: "Vendors" });
                assert.equal((await env.host.read(urn("Vendors"), plain.id, plain.outs)).props["companies"], undefined, "undeclared: not read, not recorded");
                env.emu.clearLog();
                await assert.rejects(declare(env, provider, { name: GROUPS.all.name, companies: [C1] }), /"All Companies" is the account's All Companies group: it sees every company\. Leave companies: out of its entry/);
                assert.deepEqual(env.emu.writes(), []);
            });
        });
    });

    describe("a group renamed in the file (formerNames)", () => {
        const env = useHostAndEmulator();
        it("is adopted under its former name and renamed in place: its GUID, users and companies kept", async () => {
            env.emu.account.groups.find((g) => g.guid === GROUPS.vendor.guid)!.companies = ["f0000000-0000-4000-8000-000000000001"];
            env.emu.clearLog();
            const { id, outs } = await declare(env, provider, { name: "Vendors", formerNames: ["Vendor Risk"] });
            assert.equal(id, GROUPS.vendor.guid);
            assert.equal(outs["adopted"], true);
            assert.deepEqual(env.emu.writes().map((w) => [w.method, w.path, w.body]), [["PATCH", `${GROUPS_PATH}/${GROUPS.vendor.guid}`, { name: "Vendors" }]]);
            const g = env.emu.account.groups.find((x) => x.guid === id)!;
            assert.deepEqual([g.name, g.companies], ["Vendors", ["f0000000-0000-4000-8000-000000000001"]]);
            const { __provider: _p, ...refreshed } = (await env.host.read(urn("Vendors"), id, outs)).inputs ?? {};
            assert.deepEqual(refreshed, { name: "Vendors", formerNames: ["Vendor Risk"] }, "a refresh keeps the former names: no drift");
        });
    });
});
