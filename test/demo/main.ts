// `npm run demo`: the main job on the embedded default, no account needed. The emulator
// starts with the sample account, someone changes two users "in the Bitsight UI", and
// then, on one working copy of the GitOps users file that every step reads and every
// pull request edits: validate it, plan it (as text and as the pull-request comment),
// apply it, plan again, let an access expire, and review. `pulumi up` is the real
// engine when test/tools/engine.js has built it (or one is on the PATH); otherwise the same program runs through
// Pulumi's SDK and its dynamic-provider host, with this script playing the engine's part.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { usersFromFile } from "../../provider/program/users-file-resources";
import { PRIVILEGE_WORDS } from "../../provider/cli/render/words";
import { privilegeChange } from "../../provider/model/roles";
import type { StoredUser } from "../emulator/account";
import { changeInTheUi, seededAccount, SEED_TOKEN } from "../emulator/seed";
import { BitsightEmulator } from "../emulator/server";
import { ProviderHost, REPO_ROOT, urn, type Props } from "../helpers/host";
import { runProgram } from "../helpers/program";
import { runNode } from "../helpers/spawn";
import { DEFAULT_EMULATOR_PORT } from "../emulator/main";
import { Engine, findEngine } from "../engine/engine";

const SOURCE = "examples/gitops/users.yaml";
/** The working copy's name, in its own folder: what every command below is given. */
const FILE = "users.yaml";
const CLI = path.join(REPO_ROOT, "dist", "provider", "cli", "main.js");
const say = (line = "") => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
    const emu = await BitsightEmulator.start({ account: seededAccount() });
    const env = { ...process.env, BITSIGHT_API_URL: emu.url, BITSIGHT_API_TOKEN: SEED_TOKEN };
    const repo = fs.mkdtempSync(path.join(os.tmpdir(), "bitsight-demo-repository-"));
    const file = path.join(repo, FILE);
    try {
        fs.copyFileSync(path.join(REPO_ROOT, SOURCE), file);
        say(`Bitsight API emulator on ${emu.url}, sample account of ${emu.account.users.size} users.`);
        say(`The team's repository: ${repo}, its ${FILE} a copy of ${SOURCE}. Every command below reads this file; the pull requests edit it.`);
        say(`Meanwhile, in the Bitsight UI: ${changeInTheUi(emu.account).join("; ")}.`);

        await cli(["validate", FILE], env, repo);
        await cli(["plan", FILE], env, repo);
        await cli(["plan", FILE, "--format", "markdown"], env, repo, "the pull-request comment");
        await guardrail(env, file);

        const found = findEngine();
        const engine = found && new DemoStack(new Engine(found), env, file);
        try {
            const applied = engine ? undefined : await withSdkHost(emu, file);
            if (engine) await engine.up();
            await cli(["plan", FILE], env, repo, "after the apply: only the user nobody declared is left");
            await expiry(env, emu, file, engine ?? applied);
        } finally {
            engine?.remove();
        }
        await cli(["review", FILE], env, repo, "the quarterly access review");
        const counts = new Map<string, number>();
        for (const r of emu.log) counts.set(r.method, (counts.get(r.method) ?? 0) + 1);
        say(`Requests to the Bitsight API in all: ${emu.log.length} (${[...counts].map(([m, n]) => `${m} ${n}`).join(", ")})`);
    } finally {
        await emu.stop();
        fs.rmSync(repo, { recursive: true, force: true });
    }
}

/** Runs the CLI as a user would. Asynchronously: the emulator answers from this very process. */
async function cli(args: string[], env: NodeJS.ProcessEnv, cwd: string, note?: string): Promise<void> {
    say(`\n$ bitsight-users ${args.join(" ")}${note ? `    # ${note}` : ""}`);
    const { code, stdout, stderr } = await runNode([CLI, ...args], { cwd, env });
    process.stdout.write(stdout + stderr);
    const two = args[0] === "review" ? "needs attention" : "differences";
    say(`(exit code ${code}${code === 2 ? `: ${two}` : code === 0 ? "" : ": error"})`);
}

/**
 * A pull request that adds an Admin at a personal address without a reason: the file's
 * policy stops it before anything runs, and the file is left as it was (not merged).
 */
async function guardrail(env: NodeJS.ProcessEnv, file: string): Promise<void> {
    const before = fs.readFileSync(file, "utf8");
    const added = ["  - email: mallory@gmail.com", "    formalName: Mallory Example", "    role: customer_admin"];
    fs.writeFileSync(file, before.replace("\nteams:\n", `${added.join("\n")}\n\nteams:\n`));
    say(`\nA pull request adds to ${FILE}:\n${added.map((l) => `+${l}`).join("\n")}`);
    try {
        await cli(["validate", FILE], env, path.dirname(file), "the pull request's check: the policy refuses it, offline");
    } finally {
        fs.writeFileSync(file, before);
    }
    say(`The pull request is not merged: ${FILE} is as it was.`);
}

/**
 * Erin was a contractor; a merged pull request gives her entry an `expires:` date that has
 * now passed: validate warns without failing, plan lists the expiry, and the apply (the
 * engine deleting the resource the program no longer declares) deletes her: from that day
 * she holds no login.
 */
async function expiry(env: NodeJS.ProcessEnv, emu: BitsightEmulator, file: string, applied: DemoStack | Map<string, { id: string; outs: Props }> | undefined): Promise<void> {
    const repo = path.dirname(file);
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const added = [`        expires: ${yesterday}   # the contract ended`];
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace("        formalName: Erin Novak\n", `        formalName: Erin Novak\n${added.join("\n")}\n`));
    say(`\nErin was a contractor; a merged pull request says in ${FILE} when the access ends:\n${added.map((l) => `+${l}`).join("\n")}`);
    await cli(["validate", FILE], env, repo, "an expiry is a warning, not a failure");
    await cli(["plan", FILE], env, repo, "the expiry is a difference until it is applied");
    const why = "the daily apply: Erin's access expired, and the engine deletes her BitsightUser";
    if (applied instanceof DemoStack) await applied.run(["up", "--yes", "--skip-preview", "--stack", "demo"], why);
    else {
        const erin = applied?.get("erin.novak@example.com");
        if (!erin) return;
        say(`\n$ pulumi up    # ${why}`);
        const host = await ProviderHost.start();
        try {
            await host.configure({ "bitsight:apiToken": SEED_TOKEN, "bitsight:apiUrl": emu.url });
            await host.delete(urn("erin.novak@example.com"), erin.id, erin.outs);
        } finally {
            await host.stop();
        }
    }
    say(`  - erin.novak@example.com     ${emu.account.findByEmail("erin.novak@example.com") ? "STILL IN THE ACCOUNT" : "deleted: no longer in the account, no login"}`);
    await cli(["plan", FILE], env, repo, "applied: the expiry is done");
}

/**
 * The real thing: `pulumi` itself (test/tools/engine.js builds it once per machine, or takes
 * one from the PATH), this repository's project, a throw-away file backend.
 */
class DemoStack {
    private readonly stackFile = path.join(REPO_ROOT, "Pulumi.demo.yaml");
    private readonly existed = fs.existsSync(this.stackFile);
    private started = false;

    constructor(
        private readonly engine: Engine,
        private readonly env: NodeJS.ProcessEnv,
        private readonly file: string,
    ) {}

    async run(args: string[], note?: string): Promise<void> {
        say(`\n$ pulumi ${args.join(" ")}${note ? `    # ${note}` : ""}`);
        const api = { BITSIGHT_API_URL: this.env["BITSIGHT_API_URL"], BITSIGHT_API_TOKEN: this.env["BITSIGHT_API_TOKEN"] };
        const r = await this.engine.pulumi(args, REPO_ROOT, api);
        process.stdout.write(r.stdout + r.stderr);
        say(`(exit code ${r.code})`);
    }

    /** The first apply, then the drift check. */
    async up(): Promise<void> {
        this.started = true;
        await this.run(["stack", "init", "demo"]);
        await this.run(["config", "set", "bitsight:usersFile", this.file, "--stack", "demo"]);
        await this.run(["up", "--yes", "--skip-preview", "--stack", "demo"]);
        await this.run(["preview", "--refresh", "--expect-no-changes", "--stack", "demo"]);
    }

    remove(): void {
        // The stack's state is in the engine's own temporary backend, removed with it.
        if (this.started && !this.existed) fs.rmSync(this.stackFile, { force: true });
        this.engine.remove();
    }
}

/** Without the CLI: the root program's resources, registered by the real SDK, applied through its host. What it made, by name. */
async function withSdkHost(emu: BitsightEmulator, file: string): Promise<Map<string, { id: string; outs: Props }>> {
    const made = new Map<string, { id: string; outs: Props }>();
    say("\n$ pulumi up    # no engine built yet (node test/tools/engine.js): the same program, run through Pulumi's SDK and its dynamic-provider host");
    const config = { "bitsight:apiToken": SEED_TOKEN, "bitsight:apiUrl": emu.url };
    const regs = await runProgram(async () => (await usersFromFile(file)).users, config, ["bitsight:apiToken"]);
    const host = await ProviderHost.start();
    try {
        await host.configure(config);
        for (const r of regs.sort((a, b) => a.name.localeCompare(b.name))) {
            const checked = await host.check(urn(r.name), {}, r.inputs as Props);
            if (checked.failures.length) throw new Error(`${r.name}: ${checked.failures.map((f) => `${f.property}: ${f.reason}`).join("; ")}`);
            const found = emu.account.findByEmail(r.name);
            const before = found && structuredClone(found);
            const { id, outs } = await host.create(urn(r.name), checked.inputs);
            made.set(r.name, { id, outs: { ...outs, __provider: r.inputs["__provider"] } });
            const done = outs["adopted"] ? `adopted ${id}: ${changed(emu, before!, emu.account.users.get(id)!)}` : `created ${id}`;
            say(`  + ${r.name.padEnd(26)} ${String(outs["role"]).padEnd(28)} ${done}`);
        }
    } finally {
        await host.stop();
    }
    say("To run pulumi itself here: node test/tools/engine.js (builds it once per machine, about 5 min), then npm run demo again.");
    say("With your own pulumi CLI:");
    say(`  npm run emulator                      # in another terminal: http://127.0.0.1:${DEFAULT_EMULATOR_PORT}`);
    say(`  export BITSIGHT_API_URL=http://127.0.0.1:${DEFAULT_EMULATOR_PORT} BITSIGHT_API_TOKEN=${SEED_TOKEN} PULUMI_CONFIG_PASSPHRASE=demo`);
    say("  pulumi login --local && pulumi stack init demo && pulumi up");
    say("  pulumi preview --refresh --expect-no-changes   # the drift check");
    return made;
}

/**
 * What an adoption did to a user, in the plan's words: Pulumi records it as a create, and
 * "adopted" alone would hide that it took Bob's Admin away.
 */
function changed(emu: BitsightEmulator, before: StoredUser, after: StoredUser): string {
    const group = (guid: string) => emu.account.groups.find((g) => g.guid === guid)?.name ?? guid;
    const out: string[] = [];
    const [from, to] = [before.roles.join(","), after.roles.join(",")];
    if (from !== to) {
        const p = privilegeChange(from, to);
        out.push(`${p ? `${PRIVILEGE_WORDS[p.kind]} ` : ""}(role ${from} -> ${to})`);
    }
    if (before.group !== after.group) out.push(`group ${group(before.group)} -> ${group(after.group)}`);
    for (const k of ["formal_name", "friendly_name", "is_available_for_contact"] as const) {
        if (before[k] !== after[k]) out.push(`${k} ${String(before[k])} -> ${String(after[k])}`);
    }
    for (const [slug, f] of Object.entries(after.features)) {
        if (before.features[slug]?.value !== f.value) out.push(`${slug} ${String(before.features[slug]?.value)} -> ${String(f.value)}`);
    }
    return out.length ? out.join(", ") : "unchanged";
}

main().catch((err: unknown) => {
    process.stderr.write(`demo failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
});
