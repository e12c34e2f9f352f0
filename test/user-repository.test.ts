// The user's path, end to end, from the packed tarball, in a folder outside this
// repository: `npm run package` → `npx --package <tarball> bitsight-users init --from-account` →
// `npm install` (from the npm registry, preferring the npm cache that `npm ci` filled) →
// `validate` → `plan` against the emulator → the team's program under setMocks with its
// own @pulumi/pulumi → create/read/update/delete through the SDK's host from *its*
// node_modules, with the working directory the engine uses; on this machine's Node and on
// Node 24, beside the SDK version a new team gets. Then the same package under an alias,
// in a monorepo, and missing.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { seededAccount, SEED_TOKEN } from "./emulator/seed";
import { BitsightEmulator } from "./emulator/server";
import { ProviderHost, REPO_ROOT, urn, USER_TYPE, type Props } from "./helpers/host";
import { NODE24, node24 } from "./helpers/node24";
import { run as spawnRun, type Ran } from "./helpers/spawn";
import { pack } from "./tools/pack";

const own = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { peerDependencies: Record<string, string>; devDependencies: Record<string, string> };
/** The SDK range the package admits, and the version its tests pin (today's newest). */
const PEER_RANGE = own.peerDependencies["@pulumi/pulumi"]!;
const TESTED_SDK = own.devDependencies["@pulumi/pulumi"]!;
const OLDEST_SDK = /^>=(\d+\.\d+\.\d+) /.exec(PEER_RANGE)![1]!;

const PROBE = path.join(__dirname, "helpers", "program-probe.js");

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Ran> {
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("BITSIGHT_") && !k.startsWith("npm_")));
    return spawnRun(cmd, args, { cwd, env: { ...clean, ...env } });
}

async function ok(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Ran> {
    const r = await run(cmd, args, cwd, env);
    assert.equal(r.code, 0, `${cmd} ${args.join(" ")} in ${cwd} exited ${r.code}:\n${r.stdout}\n${r.stderr}`);
    return r;
}

interface Probed {
    userCount: number;
    registered: { type: string; name: string; inputs: Props }[];
    /** The SDK copies the program's process loaded (their index.js). */
    sdks: string[];
}

/** A BitsightUser's serialized provider: the users file's tokens register too, in whatever order their inputs resolve. */
function userProvider(registered: Probed["registered"]): string {
    const user = registered.find((r) => r.type === USER_TYPE);
    assert.ok(user, "a BitsightUser registered");
    return user.inputs["__provider"] as string;
}

async function probe(cwd: string, env: NodeJS.ProcessEnv, node = process.execPath): Promise<Probed> {
    return JSON.parse((await ok(node, [PROBE], cwd, env)).stdout) as Probed;
}

/** Create, read, update and delete one user through the host installed in `repo`, started in `cwd`. */
async function lifecycle(repo: string, cwd: string, providerText: string, emu: BitsightEmulator, node = process.execPath): Promise<void> {
    const host = await ProviderHost.start({}, cwd, path.join(repo, "node_modules", "@pulumi", "pulumi", "cmd", "dynamic-provider", "index.js"), node);
    try {
        await host.configure({ "bitsight:apiToken": SEED_TOKEN, "bitsight:apiUrl": emu.url });
        const name = urn("new.analyst@example.com");
        const news: Props = { email: "new.analyst@example.com", formalName: "New Analyst", friendlyName: "New", role: "customer_user", __provider: providerText };
        const checked = await host.check(name, {}, news);
        assert.deepEqual(checked.failures, []);
        const { id, outs } = await host.create(name, checked.inputs);
        assert.equal(emu.account.users.get(id)?.email, "new.analyst@example.com");
        const read = await host.read(name, id, outs);
        assert.equal(read.props["role"], "customer_user");
        const changed = (await host.check(name, checked.inputs, { ...news, role: "customer_portfolio_manager" })).inputs;
        await host.update(name, id, outs, changed);
        assert.deepEqual(emu.account.users.get(id)?.roles, ["customer_portfolio_manager"]);
        await host.delete(name, id, { ...outs, role: "customer_portfolio_manager" });
        assert.equal(emu.account.users.get(id), undefined);
    } finally {
        await host.stop();
    }
}

describe("a team's own repository, from the packed tarball", function () {
    this.timeout(240_000);
    let work: string;
    let tarball: string;
    let packed: string[];
    let manifest: Record<string, unknown>;
    let repo: string;
    let emu: BitsightEmulator;
    let api: NodeJS.ProcessEnv;
    let initOut: Ran;

    before(async () => {
        work = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "bitsight-team-")));
        emu = await BitsightEmulator.start({ account: seededAccount() });
        api = { BITSIGHT_API_URL: emu.url, BITSIGHT_API_TOKEN: SEED_TOKEN };
        // dist/ is what `npm test` just built: `npm run package` without its build step.
        const release = pack(work);
        tarball = release.tarball;
        packed = release.files;
        manifest = release.manifest;
        repo = path.join(work, "access");
        initOut = await ok("npx", ["--yes", "--prefer-offline", "--package", tarball, "bitsight-users", "init", repo, "--from-account", "--package-spec", `file:${tarball}`], work, api);
        await ok("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund"], repo);
        // The SDK a team starting today has: the newest, which the tests pin (so the npm cache holds it).
        await ok("npm", ["install", `@pulumi/pulumi@${TESTED_SDK}`, "--prefer-offline", "--no-audit", "--no-fund"], repo);
    });
    after(async () => {
        await emu.stop();
        fs.rmSync(work, { recursive: true, force: true });
    });

    it("packs the runtime, the schemas and the CI recipes, and no test, emulator or benchmark", () => {
        for (const needed of ["dist/provider/resource/hooks.js", "dist/provider/program/program.js", "dist/provider/cli/main.js", "schema/users-file.schema.json", "examples/ci/drift.yml", "LICENSE", "README.md"]) {
            assert.ok(packed.includes(needed), `${needed} is not in the tarball`);
        }
        assert.deepEqual(packed.filter((f) => /(^|\/)test\/|\.test\.|^\.ci\/|bench|emulator/.test(f)), []);
    });

    it("ships a manifest with no script to run at install, prepare to build a git install, and the SDK as a peer", () => {
        const scripts = manifest["scripts"] as Record<string, string>;
        for (const hook of ["preinstall", "install", "postinstall"]) assert.equal(scripts[hook], undefined, `${hook}: a team's install runs nothing`);
        // That prepare builds a git install is shown by doing one (below).
        assert.ok(scripts["prepare"], "npm runs prepare for a git install, and before pack and publish");
        assert.deepEqual(manifest["peerDependencies"], { "@pulumi/pulumi": PEER_RANGE });
        assert.equal((manifest["dependencies"] as Record<string, string>)["@pulumi/pulumi"], undefined);
    });

    it("installs from a git URL: npm runs prepare, which builds dist/, and the CLI runs", async () => {
        const team = path.join(work, "from-git");
        fs.mkdirSync(team);
        fs.writeFileSync(path.join(team, "package.json"), JSON.stringify({ name: "from-git", private: true }));
        await ok("npm", ["install", `git+file://${REPO_ROOT}`, `@pulumi/pulumi@${TESTED_SDK}`, "--prefer-offline", "--no-audit", "--no-fund"], team);
        assert.ok(fs.existsSync(path.join(team, "node_modules", "pulumi-bitsight", "dist", "provider", "cli", "main.js")), "dist/ was built");
        assert.ok(!fs.existsSync(path.join(team, "node_modules", "pulumi-bitsight", "dist", "test")), "only what files names is installed");
        assert.match((await ok("npx", ["bitsight-users", "--version"], team)).stdout, /^bitsight-users \d+\.\d+\.\d+ \(pulumi-bitsight\)/);
    });

    it("installs beside the team's own SDK, the newest, with no second copy", async () => {
        const sdk = JSON.parse(fs.readFileSync(path.join(repo, "node_modules", "@pulumi", "pulumi", "package.json"), "utf8")) as { version: string };
        assert.equal(sdk.version, TESTED_SDK);
        assert.ok(!fs.existsSync(path.join(repo, "node_modules", "pulumi-bitsight", "node_modules", "@pulumi")), "no nested SDK under the package");
    });

    it(`works with the oldest SDK the peer range admits (${OLDEST_SDK})`, async () => {
        const old = path.join(work, "oldest-sdk");
        fs.cpSync(repo, old, { recursive: true, verbatimSymlinks: true });
        await ok("npm", ["install", `@pulumi/pulumi@${OLDEST_SDK}`, "--prefer-offline", "--no-audit", "--no-fund"], old);
        const sdk = JSON.parse(fs.readFileSync(path.join(old, "node_modules", "@pulumi", "pulumi", "package.json"), "utf8")) as { version: string };
        assert.equal(sdk.version, OLDEST_SDK);
        const { registered } = await probe(old, { ...api, PROBE_CONFIG: "{}" });
        await lifecycle(old, old, userProvider(registered), emu);
    });

    it(`runs the team's program and manages a user on Node ${NODE24} too`, async function () {
        const node = await node24();
        if (!node) return this.skip();
        const { registered } = await probe(repo, { ...api, PROBE_CONFIG: "{}" }, node);
        const providerText = userProvider(registered);
        await lifecycle(repo, repo, providerText, emu, node);
        const plan = await run(node, [path.join(repo, "node_modules", "pulumi-bitsight", "dist", "provider", "cli", "main.js"), "plan", "users.yaml"], repo, api);
        assert.equal(plan.code, 0, plan.stdout + plan.stderr);
    });

    it("scaffolds the repository and writes users.yaml from the account", () => {
        const files = initOut.stdout.split("\n").filter((l) => l.startsWith("  ") && !l.includes(" ", 2)).map((l) => l.trim());
        assert.deepEqual(files, [
            "package.json",
            "Pulumi.yaml",
            "index.js",
            "users.yaml",
            ".gitignore",
            "vendor/pulumi-bitsight-0.1.0.tgz",
            ".github/workflows/bitsight-validate.yml",
            ".github/workflows/bitsight-pull-request.yml",
            ".github/workflows/bitsight-apply.yml",
            ".github/workflows/bitsight-drift.yml",
            ".github/CODEOWNERS",
            "README.md",
        ]);
        const users = fs.readFileSync(path.join(repo, "users.yaml"), "utf8");
        assert.match(users, /^# yaml-language-server: \$schema=node_modules\/pulumi-bitsight\/schema\/users-file\.schema\.json\n/);
        assert.ok(fs.existsSync(path.join(repo, "node_modules", "pulumi-bitsight", "schema", "users-file.schema.json")), "the $schema line points at nothing");
        assert.match(users, /email: alice@example.com/);
    });

    it("vendors the tarball it was given, so that the repository's CI installs it with npm ci", async () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(repo, "package.json"), "utf8")) as { dependencies: Record<string, string> };
        assert.equal(pkg.dependencies["pulumi-bitsight"], "file:vendor/pulumi-bitsight-0.1.0.tgz");
        assert.deepEqual(fs.readFileSync(path.join(repo, "vendor", "pulumi-bitsight-0.1.0.tgz")), fs.readFileSync(tarball));
        await ok("npm", ["ci", "--prefer-offline", "--no-audit", "--no-fund"], repo);
    });

    it("runs the README's recipe as written, without a terminal, from a clone outside any repository", async () => {
        const readme = fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");
        const recipe = /\*\*Use it in your repository\*\*[\s\S]*?```sh\n([\s\S]*?)```/.exec(readme)![1]!.trimEnd().split("\n");
        // Its first line builds the tarball in the clone; the suite packed it already.
        assert.match(recipe[0]!, /^npm ci && npm run package +# in a clone: pulumi-bitsight-0\.1\.0\.tgz$/);
        const clone = path.join(work, "recipe", "pulumi-bitsight");
        fs.mkdirSync(clone, { recursive: true });
        fs.copyFileSync(tarball, path.join(clone, path.basename(tarball)));
        const r = await run("bash", ["-euo", "pipefail", "-c", recipe.slice(1).join("\n")], clone, { CI: "true" });
        assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
        const team = path.join(work, "recipe", "my-bitsight-access");
        assert.deepEqual(fs.readdirSync(clone), [path.basename(tarball)], "nothing written in the tool's clone");
        for (const f of ["vendor/pulumi-bitsight-0.1.0.tgz", ".github/workflows/bitsight-apply.yml", ".github/CODEOWNERS", ".git", "package-lock.json"]) assert.ok(fs.existsSync(path.join(team, f)), f);
        // As the team's CI runs it: not --prefer-offline. The recipe's npm install resolved the
        // registry's newest versions, which a metadata cache older than them does not list
        // (npm ci --prefer-offline failed so with ETARGET for a version published since).
        await ok("npm", ["ci", "--no-audit", "--no-fund"], team);
        await ok("npx", ["bitsight-users", "validate", "users.yaml"], team);
    });

    it("refuses to scaffold over existing files, and writes nothing", async () => {
        const before = fs.readFileSync(path.join(repo, "users.yaml"), "utf8");
        const r = await run(path.join(repo, "node_modules", ".bin", "bitsight-users"), ["init", "."], repo);
        assert.equal(r.code, 1);
        assert.match(r.stderr, /^bitsight-users: init would overwrite .*users\.yaml.*; nothing was written\. Move them away, or pass --force to overwrite them\.\n$/);
        assert.equal(fs.readFileSync(path.join(repo, "users.yaml"), "utf8"), before);
    });

    it("validates and plans from inside the repository, in sync with the account it was written from", async () => {
        const validated = await ok("npx", ["bitsight-users", "validate", "users.yaml"], repo);
        assert.match(validated.stdout, /^users\.yaml: valid, \d+ users/);
        const plan = await run("npx", ["bitsight-users", "plan", "users.yaml"], repo, api);
        assert.equal(plan.code, 0, plan.stdout + plan.stderr);
        assert.match(plan.stdout, /in sync/i);
        // The installed package checks the repository it wrote: only the placeholder team is left to the team.
        const checked = await run("npx", ["bitsight-users", "check"], repo);
        assert.equal(checked.code, 1, checked.stdout + checked.stderr);
        assert.deepEqual(checked.stdout.split("\n").filter((l) => l.startsWith("  FIX ")), ["  FIX .github/CODEOWNERS still names the placeholder @your-org/bitsight-admins: replace it with your team"]);
    });

    it("runs the team's program with its own @pulumi/pulumi, and the host from its node_modules manages a user", async () => {
        const { registered, userCount } = await probe(repo, { ...api, PROBE_CONFIG: "{}" });
        assert.equal(userCount, registered.filter((r) => r.type === USER_TYPE).length);
        assert.ok(registered.some((r) => r.name === "alice@example.com" && r.type === USER_TYPE));
        await lifecycle(repo, repo, userProvider(registered), emu);
    });

    it("works installed under another name (an npm alias or a scoped name): the loader uses the name the program required", async () => {
        const alias = path.join(work, "aliased");
        fs.cpSync(repo, alias, { recursive: true, verbatimSymlinks: true });
        fs.mkdirSync(path.join(alias, "node_modules", "@acme"));
        fs.renameSync(path.join(alias, "node_modules", "pulumi-bitsight"), path.join(alias, "node_modules", "@acme", "bitsight-users"));
        fs.writeFileSync(path.join(alias, "index.js"), 'module.exports = require("@acme/bitsight-users/program").usersFileProgram();\n');
        const { registered } = await probe(alias, { ...api, PROBE_CONFIG: "{}" });
        const text = userProvider(registered);
        assert.match(text, /"@acme\/bitsight-users", "pulumi-bitsight"/);
        await lifecycle(alias, alias, text, emu);
    });

    it("works in a monorepo: the program in a subfolder, node_modules at the top", async () => {
        const mono = path.join(work, "mono");
        fs.mkdirSync(path.join(mono, "infra", "bitsight"), { recursive: true });
        for (const f of ["Pulumi.yaml", "index.js", "users.yaml"]) fs.copyFileSync(path.join(repo, f), path.join(mono, "infra", "bitsight", f));
        fs.cpSync(path.join(repo, "node_modules"), path.join(mono, "node_modules"), { recursive: true, verbatimSymlinks: true });
        const program = path.join(mono, "infra", "bitsight");
        const { registered } = await probe(program, { ...api, PROBE_CONFIG: "{}" });
        await lifecycle(mono, program, userProvider(registered), emu);
    });

    it("installed from a folder (a checkout with its own node_modules), the program still has one SDK: its own", async () => {
        // What `npm install` of a checkout's folder makes: a link to a folder whose node_modules
        // holds the checkout's own (newer) SDK, which Node finds first from the package's real path.
        const checkout = path.join(work, "checkout");
        fs.mkdirSync(checkout);
        await ok("tar", ["-xzf", tarball, "-C", checkout, "--strip-components=1"], work);
        fs.symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(checkout, "node_modules"), "dir");
        const team = path.join(work, "folder-install");
        fs.cpSync(path.join(work, "oldest-sdk"), team, { recursive: true, verbatimSymlinks: true });
        fs.rmSync(path.join(team, "node_modules", "pulumi-bitsight"), { recursive: true, force: true });
        fs.symlinkSync(checkout, path.join(team, "node_modules", "pulumi-bitsight"), "dir");
        const { registered, sdks } = await probe(team, { ...api, PROBE_CONFIG: "{}" });
        assert.deepEqual(sdks, [path.join(team, "node_modules", "@pulumi", "pulumi", "index.js")]);
        assert.equal(registered.length > 0, true);
        await lifecycle(team, team, userProvider(registered), emu);
    });

    it("says what to install, without a stack trace, when the program's folder cannot reach the package", async () => {
        const { registered } = await probe(repo, { ...api, PROBE_CONFIG: "{}" });
        const bare = path.join(work, "bare");
        fs.mkdirSync(bare);
        fs.copyFileSync(path.join(repo, "Pulumi.yaml"), path.join(bare, "Pulumi.yaml"));
        const host = await ProviderHost.start({}, bare, path.join(repo, "node_modules", "@pulumi", "pulumi", "cmd", "dynamic-provider", "index.js"));
        try {
            await host.configure({ "bitsight:apiToken": SEED_TOKEN });
            const props: Props = { email: "a@example.com", __provider: userProvider(registered) };
            await assert.rejects(host.check(urn("a"), {}, props), (err: Error) => {
                assert.match(err.message, new RegExp(`cannot load pulumi-bitsight/hooks from ${bare}: Cannot find module 'pulumi-bitsight/hooks'\\. Run \`npm install pulumi-bitsight\` in ${bare} or a folder above it\\.$`));
                return true;
            });
            assert.doesNotMatch(host.stderr, /\n\s+at /, host.stderr);
        } finally {
            await host.stop();
        }
    });
});
