// Users from a YAML file, registered by a real Pulumi program (setMocks); the emulator
// answers the access-group lookup the program makes.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type * as pulumi from "@pulumi/pulumi";
import { usersFromFile } from "../provider/gitops";
import { GROUPS, SEED_TOKEN } from "./emulator/seed";
import { useEmulator } from "./helpers/emulator";
import { asTheEngineRuns, engineWorkingDir, REPO_ROOT } from "./helpers/host";
import { promiseOf, runProgram, type Registered } from "./helpers/program";

const GITOPS = path.join(REPO_ROOT, "examples", "gitops", "users.yaml");

function tempFile(text: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bitsight-users-"));
    const file = path.join(dir, "users.yaml");
    fs.writeFileSync(file, text);
    return file;
}

const plain = (regs: Registered[]) =>
    Object.fromEntries(regs.map((r) => [r.name, Object.fromEntries(Object.entries(r.inputs).filter(([k]) => k !== "__provider"))]));

describe("users from a YAML file (setMocks)", () => {
    const env = useEmulator();
    const config = () => ({ "bitsight:apiToken": SEED_TOKEN, "bitsight:apiUrl": env.emu.url });

    it("registers one BitsightUser per declared user, group names resolved to GUIDs", async () => {
        const regs = await runProgram(async () => (await usersFromFile(GITOPS)).users, config(), ["bitsight:apiToken"]);
        assert.deepEqual(regs.map((r) => r.name).sort(), [
            "alice@example.com",
            "bob@example.com",
            "carol@example.com",
            "erin.novak@example.com",
            "frank.osei@example.com",
        ]);
        assert.deepEqual(plain(regs)["erin.novak@example.com"], {
            email: "erin.novak@example.com",
            formalName: "Erin Novak",
            friendlyName: "Erin",
            role: "customer_user",
            group: GROUPS.secops.guid,
            features: { "wfh-ro": true },
            onDelete: "delete",
        });
        assert.equal(plain(regs)["frank.osei@example.com"]!["group"], GROUPS.vendor.guid);
        assert.deepEqual(env.emu.requests(), ["GET /ratings/v1/access-groups"]);
        assert.ok(!JSON.stringify(regs).includes(SEED_TOKEN));
    });

    it("registers the same resources however the file is reordered or regrouped", async () => {
        const original = await runProgram(async () => (await usersFromFile(GITOPS)).users, config());
        const reshuffled = tempFile(`
users:
  - { email: Frank.Osei@example.com, formalName: Frank Osei, role: customer_portfolio_manager, group: Vendor Risk, onDelete: retain }
  - { email: erin.novak@example.com, formalName: Erin Novak, group: Security Operations, features: { wfh-ro: true } }
teams:
  renamed-team:
    defaults: { role: customer_admin }
    users:
      - { email: alice@example.com, formalName: Alice Admin, isAvailableForContact: true, adopt: true }
  another:
    defaults: { group: "${GROUPS.secops.guid.toUpperCase()}" }
    users:
      - { email: bob@example.com, formalName: Bob Analyst, adopt: true }
      - { email: carol@example.com, formalName: Carol Vendor, role: customer_portfolio_manager, group: vendor risk, adopt: true }
defaults:
  role: customer_user
  group: All Companies
  onDelete: delete
  features: { wfh-ro: false }
`);
        const again = await runProgram(async () => (await usersFromFile(reshuffled)).users, config());
        const sorted = (regs: Registered[]) => Object.fromEntries(Object.entries(plain(regs)).sort(([a], [b]) => a.localeCompare(b)));
        const reshuffledUsers = sorted(again);
        assert.equal(reshuffledUsers["frank.osei@example.com"]!["email"], "Frank.Osei@example.com");
        reshuffledUsers["frank.osei@example.com"]!["email"] = "frank.osei@example.com"; // spelling only: compared case-insensitively
        assert.deepEqual(reshuffledUsers, sorted(original));
    });

    it("stops an invalid file before any resource registers or any request is made, with every problem", async () => {
        const file = tempFile("users:\n  - {email: ana@example.com, formalName: Ana, role: admin}\n  - {email: bob@example.com, formalName: Bob, role: customer_user, adopt: yes}\n");
        const registered: Registered[] = [];
        await assert.rejects(runProgram(async () => (await usersFromFile(file)).users, config(), [], registered), (err: Error) => {
            assert.equal(err.name, "UsersFileError");
            assert.match(err.message, /has 2 problems; nothing was applied:\n {2}.*users\.yaml:2:53: users\[0\]\.role: "admin" is not a Bitsight role/);
            assert.match(err.message, /users\.yaml:3:75: users\[1\]\.adopt: must be true or false, not string "yes"/);
            return true;
        });
        assert.deepEqual(registered, []);
        assert.equal(env.emu.log.length, 0);
    });

    it("makes no request for a file that names no group", async () => {
        const file = tempFile("users:\n  - {email: ana@example.com, formalName: Ana, role: customer_user}\n");
        const regs = await runProgram(async () => (await usersFromFile(file)).users, {});
        assert.equal(regs.length, 1);
        assert.equal(env.emu.log.length, 0);
    });

    it("says that group names need the API when no token is configured", async () => {
        const file = tempFile("users:\n  - {email: ana@example.com, formalName: Ana, role: customer_user, group: Vendor Risk}\n");
        await assert.rejects(
            runProgram(async () => (await usersFromFile(file)).users, { "bitsight:apiUrl": env.emu.url }),
            /users\.yaml names access groups; resolving them needs the Bitsight API: No Bitsight API token\. Set it with `pulumi config set --secret bitsight:apiToken <token>`/,
        );
    });

    type RootOutputs = { usersFile: string; userCount: number; usersByRole: pulumi.Output<Record<string, string[]>> };
    const rootProgram = require("../provider/program") as () => Promise<RootOutputs>;
    /** The root project's program, from the working directory the engine gives it (dist/provider). */
    async function runRoot(cfg: Record<string, string>): Promise<RootOutputs> {
        let outputs: RootOutputs | undefined;
        await asTheEngineRuns(REPO_ROOT, () =>
            runProgram(async () => {
                outputs = await rootProgram();
                return [];
            }, cfg),
        );
        return outputs!;
    }

    it("runs the root project from dist/provider, as the engine does (Pulumi.yaml's main is a file there)", () => {
        assert.equal(engineWorkingDir(REPO_ROOT), path.join(REPO_ROOT, "dist", "provider"));
    });

    it("resolves bitsight:usersFile against the project root, not the engine's working directory", async () => {
        const outputs = await runRoot({ ...config(), "bitsight:usersFile": "examples/adopt-existing/users.yaml" });
        assert.equal(outputs.usersFile, path.join("examples", "adopt-existing", "users.yaml"));
        assert.equal(outputs.userCount, 4);
    });

    it("names a users file it cannot find relative to the project root", async () => {
        await assert.rejects(runRoot({ ...config(), "bitsight:usersFile": "users.yaml" }), {
            message: /^users\.yaml has 1 problem; nothing was applied:\n {2}users\.yaml:1:1: cannot be read \(no such file\)/,
        });
    });

    it("the root program reconciles bitsight:usersFile and exports the users by role", async () => {
        const outputs = await runRoot(config());
        assert.equal(outputs!.usersFile, path.join("examples", "gitops", "users.yaml"));
        assert.equal(outputs!.userCount, 5);
        assert.deepEqual(await promiseOf(outputs!.usersByRole), {
            customer_admin: ["alice@example.com"],
            customer_portfolio_manager: ["carol@example.com", "frank.osei@example.com"],
            customer_user: ["bob@example.com", "erin.novak@example.com"],
        });
    });
});
