// `npm run emulator` as a newcomer meets it: the same documented address every start,
// today's date unless one is fixed, a clear line when the port is taken, no rebuild when
// the build is current; and `npm run emulator &` then `kill $!` (which signals npm, not
// the emulator) must not leave it serving, unseen, once the process that started it is gone.
import { strict as assert } from "assert";
import { spawn, spawnSync, type ChildProcess } from "child_process";
import * as fs from "fs";
import * as http from "http";
import * as path from "path";
import { DEFAULT_EMULATOR_PORT, emulatorPort } from "./main";
import { GROUPS, seededAccount, SEEDED, SEED_TOKEN } from "./seed";
import { BitsightEmulator } from "./server";
import { tempDir } from "../helpers/temp";

const MAIN = path.join(__dirname, "main.js");
const REPO_ROOT = path.resolve(__dirname, "..", "..", "..");

function answers(url: string): Promise<boolean> {
    return new Promise((resolve) => {
        const req = http.get(`${url}/ratings/v1/users/quota`, (res) => (res.resume(), resolve(true)));
        req.on("error", () => resolve(false));
    });
}

/** Starts the emulator; resolves with its first lines once it listens, or with its exit when it fails. */
function start(env: NodeJS.ProcessEnv, args: string[] = []): Promise<{ child: ChildProcess; out: string; code: number | null; err: string }> {
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("BITSIGHT_EMULATOR") && k !== "INIT_CWD"));
    // In the package's root, as npm runs a script; INIT_CWD is where the user typed the command.
    const child = spawn(process.execPath, [MAIN, ...args], { cwd: REPO_ROOT, env: { ...clean, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    return new Promise((resolve) => {
        child.stdout!.on("data", (d: Buffer) => {
            out += d.toString();
            if (out.includes("Try it:")) resolve({ child, out, code: null, err });
        });
        child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
        child.on("exit", (code) => resolve({ child, out, code, err }));
    });
}

function post(url: string, body: unknown, token = SEED_TOKEN): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
        const req = http.request(`${url}/ratings/v2/users`, { method: "POST", headers: { Authorization: `Basic ${Buffer.from(`${token}:`).toString("base64")}`, "Content-Type": "application/json" } }, (res) => {
            let text = "";
            res.on("data", (d: Buffer) => (text += d.toString()));
            res.on("end", () => resolve(JSON.parse(text) as Record<string, unknown>));
        });
        req.on("error", reject);
        req.end(JSON.stringify(body));
    });
}

/** Whether the emulator at `url` still answers after 4 s, asked every 100 ms. */
async function stillAnswersAfter4s(url: string): Promise<boolean> {
    let up = true;
    for (let i = 0; i < 40 && up; i++) {
        await new Promise((r) => setTimeout(r, 100));
        up = await answers(url);
    }
    return up;
}

describe("npm run emulator", function () {
    this.timeout(20_000);
    const running: ChildProcess[] = [];
    afterEach(async () => {
        await Promise.all(running.splice(0).map((c) => new Promise((done) => (c.exitCode !== null ? done(null) : (c.once("exit", done), c.kill())))));
    });

    it("stops when npm run emulator is stopped: the signal npm forwards reaches the emulator", async () => {
        const npm = spawn("npm", ["run", "--silent", "emulator"], { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, BITSIGHT_EMULATOR_PORT: "0" } });
        running.push(npm);
        const url = await new Promise<string>((resolve) => {
            let out = "";
            npm.stdout!.on("data", (d: Buffer) => {
                out += d.toString();
                const m = /listening on (\S+)/.exec(out);
                if (m) resolve(m[1]!);
            });
        });
        assert.equal(await answers(url), true);
        npm.kill("SIGTERM");
        assert.equal(await stillAnswersAfter4s(url), false, "the emulator outlived npm");
    });

    it("stops when the process that started it is killed outright", async () => {
        // A parent in the place of npm: starts the emulator, passes on its first line, then dies by SIGKILL.
        const parent = spawn(
            process.execPath,
            ["-e", `const c = require("child_process").spawn(process.execPath, [${JSON.stringify(MAIN)}], { stdio: ["ignore", "pipe", "inherit"] }); c.stdout.once("data", (d) => process.stdout.write(d));`],
            // Any free port: the documented one may be taken by the emulator a person is running.
            { stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, BITSIGHT_EMULATOR_PORT: "0" } },
        );
        const url = await new Promise<string>((resolve) => parent.stdout!.once("data", (d: Buffer) => resolve(/listening on (\S+)/.exec(d.toString())![1]!)));
        assert.equal(await answers(url), true);
        parent.kill("SIGKILL");
        assert.equal(await stillAnswersAfter4s(url), false, "the emulator still answers 4 s after its parent died");
    });

    it(`listens on the documented port ${DEFAULT_EMULATOR_PORT} unless BITSIGHT_EMULATOR_PORT names another`, () => {
        assert.equal(emulatorPort({}), DEFAULT_EMULATOR_PORT);
        assert.equal(emulatorPort({ BITSIGHT_EMULATOR_PORT: "0" }), 0);
        assert.equal(emulatorPort({ BITSIGHT_EMULATOR_PORT: "9123" }), 9123);
    });

    it("listens on its port, on today's date, and says where its data lives; a second start says the port is taken", async () => {
        // A port this machine just had free: the documented one may be taken by the emulator a person is running.
        const port = await new Promise<number>((resolve) => {
            const probe = http.createServer().listen(0, "127.0.0.1", () => {
                const p = (probe.address() as { port: number }).port;
                probe.close(() => resolve(p));
            });
        });
        const first = await start({ BITSIGHT_EMULATOR_PORT: String(port) });
        running.push(first.child);
        assert.match(first.out, new RegExp(`^Bitsight API emulator listening on http://127\\.0\\.0\\.1:${port}\\n`));
        assert.match(first.out, /^API token \(sample account, not a secret\): emulator-token-0f3c9a, as api-token@example\.com$/m);
        assert.match(first.out, /^Data: in memory, starting from the sample account \(5 users, 3 access groups\); a restart starts from it again\. Date: today\.$/m);
        const created = await post(`http://127.0.0.1:${port}`, { email: "new@example.com", formal_name: "New User", friendly_name: "New", roles: [{ slug: "customer_user" }] });
        assert.equal(String(created["joined_time"]).slice(0, 10), new Date().toISOString().slice(0, 10), "a user created today joined today");
        const second = await start({ BITSIGHT_EMULATOR_PORT: String(port) });
        running.push(second.child);
        assert.equal(second.code, 1);
        assert.equal(second.err, `emulator: port ${port} is in use (another emulator?); stop it, or set BITSIGHT_EMULATOR_PORT to another port (0: any free one)\n`);
    });

    it("takes another port, and a fixed date where one is asked for", async () => {
        const fixed = await start({ BITSIGHT_EMULATOR_PORT: "0", BITSIGHT_EMULATOR_DATE: "2026-11-01" });
        running.push(fixed.child);
        const url = /listening on (\S+)/.exec(fixed.out)![1]!;
        assert.notEqual(url, `http://127.0.0.1:${DEFAULT_EMULATOR_PORT}`);
        assert.match(fixed.out, /Date: 2026-11-01\.$/m);
        const created = await post(url, { email: "new@example.com", formal_name: "New User", friendly_name: "New", roles: [{ slug: "customer_user" }] });
        assert.equal(String(created["joined_time"]).slice(0, 10), "2026-11-01");
    });

    it("starts from an account file named from where the user ran npm, and refuses a wrong one before it listens", async () => {
        const dir = tempDir("emulator-account-");
        try {
            fs.writeFileSync(path.join(dir, "team.yaml"), "token: rehearsal\nusers:\n  - { email: zoe@corp.example, roles: [{ slug: customer_admin }], mfa_status: enabled }\n");
            const ok = await start({ BITSIGHT_EMULATOR_PORT: "0", INIT_CWD: dir }, ["--account", "team.yaml"]);
            running.push(ok.child);
            assert.match(ok.out, /^API token \(from the account file, not a secret\): rehearsal, as api-token@emulator\.invalid \(added: the file has no Activated Admin company API token user\)$/m);
            assert.match(ok.out, /^Data: in memory, starting from team\.yaml \(2 users, 1 access group\); a restart starts from it again\. Date: today\.$/m);
            const url = /listening on (\S+)/.exec(ok.out)![1]!;
            const created = await post(url, { email: "new@corp.example", formal_name: "New User", friendly_name: "New", roles: [{ slug: "customer_user" }] }, "rehearsal");
            assert.equal(created["email"], "new@corp.example", "the file's token is an Admin's");

            fs.writeFileSync(path.join(dir, "typo.yaml"), "users:\n  - email: zoe@corp.example\n    roles: [{ slug: admin }]\n");
            const refused = await start({ BITSIGHT_EMULATOR_PORT: "0", INIT_CWD: dir }, ["--account=typo.yaml"]);
            assert.equal(refused.code, 1);
            assert.equal(refused.out, "", "nothing listened");
            assert.match(refused.err, /^emulator: 1 problem in the account file:\n {2}typo\.yaml:3:21: users\[0\]\.roles\[0\]\.slug: "admin" is not a role the emulator knows \(did you mean customer_admin\?\); use one of customer_admin, /);
            assert.match(refused.err, /\nNothing was started: correct the file and start again\.\n$/);

            const missing = await start({ BITSIGHT_EMULATOR_PORT: "0", INIT_CWD: dir }, ["--account", "nowhere.yaml"]);
            assert.equal(missing.code, 1);
            assert.match(missing.err, /^emulator: 1 problem in the account file:\n {2}nowhere\.yaml: cannot be read \(ENOENT\); give the path of an account file, as test\/emulator\/sample-account\.yaml is one\n/);
            const help = await start({ BITSIGHT_EMULATOR_PORT: "0" }, ["--help"]);
            assert.deepEqual([help.code, help.out], [0, "usage: npm run emulator [-- --account FILE]   (FILE: an account in YAML or JSON; test/emulator/sample-account.yaml by default)\nSee docs/emulator.md.\n"]);
            const usage = await start({ BITSIGHT_EMULATOR_PORT: "0" }, ["--acount", "team.yaml"]);
            assert.equal(usage.err, "emulator: usage: npm run emulator [-- --account FILE]   (FILE: an account in YAML or JSON; test/emulator/sample-account.yaml by default)\n");
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("does not rebuild when the build is current", () => {
        const stamp = path.join(REPO_ROOT, "dist", ".built");
        const before = fs.statSync(stamp).mtimeMs;
        const r = spawnSync(process.execPath, [path.join(REPO_ROOT, "test", "tools", "fresh-build.js")], { encoding: "utf8" });
        assert.equal(r.status, 0, r.stderr);
        assert.equal(r.stderr, "dist/ is up to date: not rebuilt\n");
        assert.equal(fs.statSync(stamp).mtimeMs, before);
    });

    describe("npm run emulator:ui: a user changed as an Admin would in the Bitsight UI", () => {
        it("refuses a BITSIGHT_API_URL that is not on this machine, before any request: it never writes to a real account", async () => {
            const r = await ui({ url: "https://api.bitsighttech.com" }, ["bob@example.com", "role=customer_admin"]);
            assert.equal(r.code, 1);
            assert.equal(r.err, "emulator:ui: BITSIGHT_API_URL is https://api.bitsighttech.com, not the emulator on this machine: this command changes the emulator's users only\n");
        });

        /** Runs the command against `emu`; never spawnSync, which would stop the emulator in this process from answering. */
        const ui = (emu: BitsightEmulator | { url: string }, args: string[], env: NodeJS.ProcessEnv = {}) =>
            new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
                const child = spawn(process.execPath, [path.join(__dirname, "ui.js"), ...args], { env: { ...process.env, BITSIGHT_API_URL: emu.url, ...env } });
                let out = "";
                let err = "";
                child.stdout.on("data", (d: Buffer) => (out += d.toString()));
                child.stderr.on("data", (d: Buffer) => (err += d.toString()));
                child.on("exit", (code) => resolve({ code, out, err }));
            });

        it("changes role, group and a feature in one PATCH, and resets 2FA", async () => {
            const emu = await BitsightEmulator.start({ account: seededAccount() });
            try {
                const r = await ui(emu, ["bob@example.com", "role=customer_admin", "group=Vendor Risk", "wfh-ro=true"]);
                assert.equal(r.code, 0, r.err);
                assert.equal(r.out, "bob@example.com: role customer_admin, group Vendor Risk, wfh-ro true (as an Admin would in the Bitsight UI)\n");
                const bob = emu.account.users.get(SEEDED.bob)!;
                assert.deepEqual([bob.roles, bob.group, bob.features["wfh-ro"]!.value], [["customer_admin"], GROUPS.vendor.guid, true]);
                assert.deepEqual(emu.writes().map((w) => `${w.method} ${w.path}`), [`PATCH /ratings/v2/users/${SEEDED.bob}`]);
                assert.equal((await ui(emu, ["alice@example.com", "mfa=reset"])).code, 0);
                assert.equal(emu.account.users.get(SEEDED.alice)!.mfa_status, "not_enabled");
                const unknown = await ui(emu, ["nobody@example.com", "role=customer_user"]);
                assert.equal(unknown.code, 1);
                assert.equal(unknown.err, "emulator:ui: nobody@example.com is not in the emulator's account\n");
                const otherToken = await ui(emu, ["bob@example.com", "role=customer_user"], { BITSIGHT_API_TOKEN: "not-this-account" });
                assert.equal(otherToken.code, 1, "BITSIGHT_API_TOKEN is the token sent");
                assert.match(otherToken.err, /answered 401/);
                const usage = await ui(emu, ["bob@example.com"]);
                assert.match(usage.err, /^emulator:ui: usage: npm run emulator:ui -- EMAIL CHANGE\.\.\./);
                const help = await ui(emu, ["--help"]);
                assert.equal(help.code, 0);
                assert.match(help.out, /^usage: npm run emulator:ui -- EMAIL CHANGE\.\.\. .*\nSee docs\/emulator\.md\.\n$/);
            } finally {
                await emu.stop();
            }
        });
    });
});
