import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { runProgram, type Registered } from "../../test/helpers/program";
import { BitsightUser } from "./user";
import { usersFromFile } from "../program/users-file-resources";
import { tempDir } from "../../test/helpers/temp";

const TOKEN = "plain-token-7f3a9c";
const ana = { email: "ana@example.com", formalName: "Ana Lopez", friendlyName: "Ana", role: "customer_user" as const };

describe("a token set as plain stack config (setMocks)", () => {
    it("is refused by a TypeScript program's first BitsightUser: nothing registers, and the message names the fix, not the token", async () => {
        const registered: Registered[] = [];
        await assert.rejects(runProgram(() => [new BitsightUser("ana", ana)], { "bitsight:apiToken": TOKEN }, [], registered), (err: Error) => {
            assert.equal(err.name, "ConfigurationError");
            assert.match(err.message, /bitsight:apiToken is set in plain text/);
            assert.match(err.message, /pulumi config set --secret bitsight:apiToken "\$\(pulumi config get bitsight:apiToken\)" --stack test/);
            assert.ok(!err.message.includes(TOKEN));
            return true;
        });
        assert.deepEqual(registered, []);
    });

    it("is refused by the users-file program before its first request or registration", async () => {
        const dir = tempDir("bitsight-plain-");
        try {
            const file = path.join(dir, "users.yaml");
            fs.writeFileSync(file, "users:\n  - {email: ana@example.com, formalName: Ana, role: customer_user}\n");
            const registered: Registered[] = [];
            // An address nothing answers: a request would fail otherwise than with the refusal.
            const config = { "bitsight:apiToken": TOKEN, "bitsight:apiUrl": "http://127.0.0.1:9" };
            await assert.rejects(runProgram(async () => (await usersFromFile(file)).users, config, [], registered), /bitsight:apiToken is set in plain text/);
            assert.deepEqual(registered, []);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("lets a secret token through, and a token from BITSIGHT_API_TOKEN", async () => {
        assert.equal((await runProgram(() => [new BitsightUser("ana", ana)], { "bitsight:apiToken": TOKEN }, ["bitsight:apiToken"])).length, 1);
        process.env["BITSIGHT_API_TOKEN"] = TOKEN;
        assert.equal((await runProgram(() => [new BitsightUser("ana", ana)], {}, [])).length, 1);
    });
});
