// The resource as a Pulumi program registers it: through the real SDK under setMocks.
import { strict as assert } from "assert";
import requireFromString = require("require-from-string");
import { BitsightRemovedUser } from "../provider/resource/removed-user-resource";
import { BitsightUser } from "../provider";
import { USER_TYPE } from "./helpers/host";
import { runProgram } from "./helpers/program";

const TOKEN = "program-test-token-7f2e";

describe("BitsightUser in a program (setMocks)", () => {
    // The one sandbox (./helpers/sandbox) puts the environment back after each test.
    beforeEach(() => (process.env["BITSIGHT_API_TOKEN"] = TOKEN));

    it("registers the declared inputs under the dynamic type token, and nothing more", async () => {
        const [reg, ...rest] = await runProgram(() => [
            new BitsightUser("ana", {
                email: "ana@example.com",
                formalName: "Ana Lopez",
                friendlyName: "Ana",
                role: "customer_user",
                features: { "wfh-ro": true },
                onDelete: "retain",
            }),
        ]);
        assert.equal(rest.length, 0);
        assert.equal(reg?.type, USER_TYPE);
        assert.equal(reg?.name, "ana");
        const { __provider, ...inputs } = reg!.inputs;
        assert.deepEqual(inputs, {
            email: "ana@example.com",
            formalName: "Ana Lopez",
            friendlyName: "Ana",
            role: "customer_user",
            features: { "wfh-ro": true },
            onDelete: "retain",
        });
        assert.equal(typeof __provider, "string");
    });

    it("keeps credentials out of the registered inputs, from config and from the environment", async () => {
        const regs = await runProgram(
            () => [new BitsightUser("bo", { email: "bo@example.com", formalName: "Bo", friendlyName: "Bo", role: "customer_admin" })],
            { "bitsight:apiToken": "config-secret-token-91ab", "bitsight:apiUrl": "https://api.bitsighttech.com" },
            ["bitsight:apiToken"],
        );
        const text = JSON.stringify(regs);
        assert.ok(!text.includes("config-secret-token-91ab"));
        assert.ok(!text.includes(TOKEN));
        assert.ok(!text.includes(Buffer.from(`${TOKEN}:`).toString("base64")));
    });

    it("serializes a small provider, identical for every user", async () => {
        const regs = await runProgram(() =>
            ["a", "b", "c"].map((n) => new BitsightUser(n, { email: `${n}@example.com`, formalName: n, friendlyName: n, role: "customer_user" })),
        );
        const texts = new Set(regs.map((r) => r.inputs["__provider"]));
        assert.equal(texts.size, 1);
        const text = [...texts][0] as string;
        // Stored twice per user: one shared function, not one per hook (1,519 bytes, with two providers to load; it was 1,877).
        assert.ok(Buffer.byteLength(text) < 1536, `__provider is ${Buffer.byteLength(text)} bytes`);
        // It is a loader, not a copy of the client: no HTTP code, no schema, no absolute paths.
        for (const absent of ["node-fetch", "Authorization", "ratings/v2", "ajv", __dirname]) {
            assert.ok(!text.includes(absent), `__provider mentions ${absent}`);
        }
    });

    it("deserializes, as the host does, into a provider with every hook, which configure makes real", async () => {
        const [reg] = await runProgram(() => [new BitsightUser("d", { email: "d@example.com", formalName: "D", friendlyName: "D", role: "customer_user" })]);
        type Hooks = Record<string, (...args: unknown[]) => Promise<unknown>>;
        const provider = (requireFromString(reg!.inputs["__provider"] as string) as { handler(): Hooks }).handler();
        assert.deepEqual(Object.keys(provider).sort(), ["check", "configure", "create", "delete", "diff", "loads", "read", "update"]);
        assert.throws(() => provider["check"]!({}, {}), /called a hook before configure; use @pulumi\/pulumi 3\.216 or later/);
        await provider["configure"]!({ config: { get: () => undefined } });
        const checked = (await provider["check"]!({}, { email: "x", role: "admin" })) as { failures: { property: string }[] };
        assert.deepEqual(checked.failures.map((f) => f.property), ["formalName", "friendlyName", "email", "role"]);
    });

    it("a BitsightRemovedUser deserializes into its own provider, which checks only what it keeps", async () => {
        const [reg] = await runProgram(() => [new BitsightRemovedUser("e@example.com", { email: "e@example.com" })]);
        type Hooks = Record<string, (...args: unknown[]) => Promise<unknown>>;
        const provider = (requireFromString(reg!.inputs["__provider"] as string) as { handler(): Hooks }).handler();
        await provider["configure"]!({ config: { get: () => undefined } });
        assert.deepEqual(await provider["check"]!({}, { email: " e@example.com " }), { inputs: { email: "e@example.com", keep: "demoted" }, failures: [] });
        assert.deepEqual(await provider["diff"]!("g", { email: "e@example.com", keep: "demoted", demoted: true }, { email: "e@example.com", keep: "demoted" }), { changes: false, replaces: [], deleteBeforeReplace: false });
    });
});
