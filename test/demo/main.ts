// `npm run demo`: the main job on the embedded default, no account needed. The emulator
// starts with the sample account, someone changes two users "in the Bitsight UI", and
// then: validate the GitOps users file, plan it (as text and as the pull-request
// comment), apply it, and plan again. `pulumi up` is the real CLI when one is on the
// PATH; otherwise the same program runs through Pulumi's SDK and its dynamic-provider
// host, with this script playing the engine's part.
import { execFile, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { usersFromFile } from "../../provider/program/users-file-resources";
import { changeInTheUi, seededAccount, SEED_TOKEN } from "../emulator/seed";
import { BitsightEmulator } from "../emulator/server";
import { ProviderHost, REPO_ROOT, urn, type Props } from "../helpers/host";
import { runProgram } from "../helpers/program";
import { runNode } from "../helpers/spawn";
import { DEFAULT_EMULATOR_PORT } from "../emulator/main";

const FILE = "examples/gitops/users.yaml";
const CLI = path.join(REPO_ROOT, "dist", "provider", "cli", "main.js");
const say = (line = "") => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
    const emu = await BitsightEmulator.start({ account: seededAccount() });
    const env = { ...process.env, BITSIGHT_API_URL: emu.url, BITSIGHT_API_TOKEN: SEED_TOKEN };
    try {
        say(`Bitsight API emulator on ${emu.url}, sample account of ${emu.account.users.size} users.`);
        say(`Meanwhile, in the Bitsight UI: ${changeInTheUi(emu.account).join("; ")}.`);

        await cli(["validate", FILE], env);
        await cli(["plan", FILE], env);
        await cli(["plan", FILE, "--format", "markdown"], env, "the pull-request comment");
        await guardrail(env);

        const pulumi = which("pulumi");
        const applied = pulumi ? undefined : await withSdkHost(emu);
        if (pulumi) await withPulumiCli(pulumi, env);

        await cli(["plan", FILE], env, "after the apply: only the user nobody declared is left");
        await expiry(env, emu, applied);
        await cli(["review", FILE], env, "the quarterly access review");
        const counts = new Map<string, number>();
        for (const r of emu.log) counts.set(r.method, (counts.get(r.method) ?? 0) + 1);
        say(`Requests to the Bitsight API in all: ${emu.log.length} (${[...counts].map(([m, n]) => `${m} ${n}`).join(", ")})`);
    } finally {
        await emu.stop();
    }
}

/** Runs the CLI as a user would. Asynchronously: the emulator answers from this very process. */
async function cli(args: string[], env: NodeJS.ProcessEnv, note?: string, cwd = REPO_ROOT): Promise<void> {
    say(`\n$ bitsight-users ${args.join(" ")}${note ? `    # ${note}` : ""}`);
    const { code, stdout, stderr } = await runNode([CLI, ...args], { cwd, env });
    process.stdout.write(stdout + stderr);
    const two = args[0] === "review" ? "needs attention" : "differences";
    say(`(exit code ${code}${code === 2 ? `: ${two}` : code === 0 ? "" : ": error"})`);
}

/** A pull request that adds an Admin at a personal address without a reason: the file's policy stops it before anything runs. */
async function guardrail(env: NodeJS.ProcessEnv): Promise<void> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bitsight-demo-pr-"));
    try {
        const added = ["  - email: mallory@gmail.com", "    formalName: Mallory Example", "    role: customer_admin"];
        const text = fs.readFileSync(path.join(REPO_ROOT, FILE), "utf8").replace("\nteams:\n", `${added.join("\n")}\n\nteams:\n`);
        fs.writeFileSync(path.join(dir, "users.yaml"), text);
        say(`\nA pull request adds to users.yaml:\n${added.map((l) => `+${l}`).join("\n")}`);
        await cli(["validate", "users.yaml"], env, "the pull request's check: the policy refuses it, offline", dir);
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

/**
 * Erin was a contractor, declared with `onDelete: demote` and an `expires:` date that has
 * now passed: validate warns without failing, plan lists the expiry, and the apply (the
 * engine deleting the resource the program no longer declares) demotes Erin, who stays.
 */
async function expiry(env: NodeJS.ProcessEnv, emu: BitsightEmulator, applied: Map<string, { id: string; outs: Props }> | undefined): Promise<void> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bitsight-demo-expiry-"));
    try {
        const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
        const added = ["        onDelete: demote", `        expires: ${yesterday}   # the contract ended`];
        const text = fs.readFileSync(path.join(REPO_ROOT, FILE), "utf8").replace("        formalName: Erin Novak\n", `        formalName: Erin Novak\n${added.join("\n")}\n`);
        fs.writeFileSync(path.join(dir, "users.yaml"), text);
        say(`\nErin was a contractor; the file says when the access ends:\n${added.map((l) => `+${l}`).join("\n")}`);
        await cli(["validate", "users.yaml"], env, "an expiry is a warning, not a failure", dir);
        await cli(["plan", "users.yaml"], env, "the expiry is a difference until it is applied", dir);
        const erin = applied?.get("erin.novak@example.com");
        if (erin) {
            say("\n$ pulumi up    # the program no longer declares Erin: the engine removes the resource, and onDelete: demote keeps the user");
            const host = await ProviderHost.start();
            try {
                await host.configure({ "bitsight:apiToken": SEED_TOKEN, "bitsight:apiUrl": emu.url });
                await host.delete(urn("erin.novak@example.com"), erin.id, { ...erin.outs, onDelete: "demote" });
                const user = emu.account.users.get(erin.id)!;
                const on = Object.entries(user.features).filter(([, f]) => f.value).map(([slug]) => slug);
                say(`  v erin.novak@example.com     demoted: ${user.roles.join(",")}, features on: ${on.length ? on.join(", ") : "none"}, still in the account`);
            } finally {
                await host.stop();
            }
            await cli(["plan", "users.yaml"], env, "applied: the expiry is done", dir);
        }
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

function which(cmd: string): string | undefined {
    for (const dir of (process.env["PATH"] ?? "").split(path.delimiter)) {
        const p = path.join(dir, cmd);
        try {
            fs.accessSync(p, fs.constants.X_OK);
            return p;
        } catch {
            // not here
        }
    }
    return undefined;
}

/** The real thing: `pulumi up`, then the drift check, with a throw-away local state backend. */
async function withPulumiCli(pulumi: string, env: NodeJS.ProcessEnv): Promise<void> {
    const state = fs.mkdtempSync(path.join(os.tmpdir(), "bitsight-demo-state-"));
    const stackFile = path.join(REPO_ROOT, "Pulumi.demo.yaml");
    const existed = fs.existsSync(stackFile);
    const penv = { ...env, PULUMI_BACKEND_URL: `file://${state}`, PULUMI_CONFIG_PASSPHRASE: "demo-only", PULUMI_SKIP_UPDATE_CHECK: "true" };
    const run = (args: string[]) =>
        new Promise<void>((resolve) => {
            say(`\n$ pulumi ${args.join(" ")}`);
            execFile(pulumi, [...args, "--non-interactive"], { cwd: REPO_ROOT, env: penv }, (err, stdout, stderr) => {
                process.stdout.write(stdout);
                process.stdout.write(stderr);
                say(`(exit code ${err ? String((err as { code?: number }).code ?? 1) : 0})`);
                resolve();
            });
        });
    try {
        await run(["stack", "init", "demo"]);
        await run(["up", "--yes", "--skip-preview", "--stack", "demo"]);
        await run(["preview", "--refresh", "--expect-no-changes", "--stack", "demo"]);
    } finally {
        spawnSync(pulumi, ["stack", "rm", "demo", "--yes", "--force", "--non-interactive"], { cwd: REPO_ROOT, env: penv, stdio: "ignore" });
        if (!existed) fs.rmSync(stackFile, { force: true });
        fs.rmSync(state, { recursive: true, force: true });
    }
}

/** Without the CLI: the root program's resources, registered by the real SDK, applied through its host. What it made, by name. */
async function withSdkHost(emu: BitsightEmulator): Promise<Map<string, { id: string; outs: Props }>> {
    const made = new Map<string, { id: string; outs: Props }>();
    say("\n$ pulumi up    # no pulumi CLI on the PATH: the same program, run through Pulumi's SDK and its dynamic-provider host");
    const config = { "bitsight:apiToken": SEED_TOKEN, "bitsight:apiUrl": emu.url };
    const regs = await runProgram(async () => (await usersFromFile(path.join(REPO_ROOT, FILE))).users, config, ["bitsight:apiToken"]);
    const host = await ProviderHost.start();
    try {
        await host.configure(config);
        for (const r of regs.sort((a, b) => a.name.localeCompare(b.name))) {
            const checked = await host.check(urn(r.name), {}, r.inputs as Props);
            if (checked.failures.length) throw new Error(`${r.name}: ${checked.failures.map((f) => `${f.property}: ${f.reason}`).join("; ")}`);
            const { id, outs } = await host.create(urn(r.name), checked.inputs);
            made.set(r.name, { id, outs: { ...outs, __provider: r.inputs["__provider"] } });
            say(`  + ${r.name.padEnd(26)} ${String(outs["role"]).padEnd(28)} ${outs["adopted"] ? "adopted" : "created"} ${id}`);
        }
    } finally {
        await host.stop();
    }
    say("With the Pulumi CLI installed, the real run is:");
    say(`  npm run emulator                      # in another terminal: http://127.0.0.1:${DEFAULT_EMULATOR_PORT}`);
    say(`  export BITSIGHT_API_URL=http://127.0.0.1:${DEFAULT_EMULATOR_PORT} BITSIGHT_API_TOKEN=${SEED_TOKEN} PULUMI_CONFIG_PASSPHRASE=demo`);
    say("  pulumi login --local && pulumi stack init demo && pulumi up");
    say("  pulumi preview --refresh --expect-no-changes   # the drift check");
    return made;
}

main().catch((err: unknown) => {
    process.stderr.write(`demo failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
});
