// `npm run bench`: what refresh, plan and export cost as the account grows, against the
// emulator with an injected latency, next to the naive path (one request per user).
// Prints its figures; it is not part of the test run and asserts nothing.
//
//   npm run bench -- --sizes 100,1000,5000 --latency 50 --parallel 8 --tables scale,onboarding,engine
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseArgs } from "util";
import type { Account } from "../emulator/account";
import { GROUPS, seededAccount, SEED_TOKEN } from "../emulator/seed";
import { BitsightEmulator } from "../emulator/server";
import { ProviderHost, REPO_ROOT, struct, urn } from "../helpers/host";
import { pool } from "../helpers/pool";
import { serializedProvider } from "../helpers/program";
import { runNode } from "../helpers/spawn";
import { bigAccount, GROUP_LIST, peakRssMb, secs, warmHost, type Figures } from "./common";
import { adoptExisting, createNew, stormRefresh, type Setting } from "./onboarding";
import { engineTable } from "./engine";

/** The users file declaring the bulk users: one in fifty with a different role, so plan has work. */
function usersFile(account: Account, dir: string): string {
    const lines = ["users:"];
    let i = 0;
    for (const u of account.users.values()) {
        if (!u.email.startsWith("user")) continue;
        const group = GROUP_LIST.find((g) => g.guid === u.group)!.name;
        const role = i++ % 50 === 0 ? "customer_user" : u.roles[0]!;
        lines.push(`  - {email: ${u.email}, formalName: ${u.formal_name}, friendlyName: ${u.friendly_name}, role: ${role}, group: ${group}}`);
    }
    const file = path.join(dir, "users.yaml");
    fs.writeFileSync(file, `${lines.join("\n")}\n`);
    return file;
}

async function refresh(emu: BitsightEmulator, guids: string[], providerText: string, parallel: number, naive: boolean): Promise<Figures> {
    const host = await warmHost(emu, providerText, parallel, naive);
    try {
        const start = Date.now();
        const props = struct({ email: "x", __provider: providerText });
        const ids = await pool(guids, parallel, (guid) => host.readId(urn(guid), guid, props));
        if (ids.some((id, i) => id !== guids[i])) throw new Error("a read answered the wrong user");
        return { requests: emu.log.length, ms: Date.now() - start, peakMb: peakRssMb(host.pid) };
    } finally {
        await host.stop();
    }
}

async function worker(emu: BitsightEmulator, mode: string, file: string): Promise<Figures> {
    emu.clearLog();
    const script = path.join(REPO_ROOT, "dist", "test", "bench", "worker.js");
    const env = { ...process.env, BITSIGHT_API_URL: emu.url, BITSIGHT_API_TOKEN: SEED_TOKEN };
    const { code, stdout, stderr } = await runNode([script, mode, file], { env });
    if (code !== 0) throw new Error(`${mode}: ${stderr}`);
    const last = JSON.parse(stdout.trim().split("\n").pop()!) as { ms: number; maxRssKb: number };
    return { requests: emu.log.length, ms: last.ms, peakMb: last.maxRssKb / 1024 };
}

async function main(): Promise<void> {
    const { values } = parseArgs({
        options: {
            sizes: { type: "string", default: "100,1000,5000" },
            latency: { type: "string", default: "50" },
            parallel: { type: "string", default: "8" },
            tables: { type: "string", default: "scale,onboarding,engine" },
        },
    });
    const tables = values.tables.split(",");
    const sizes = values.sizes.split(",").map(Number);
    const latency = Number(values.latency);
    const parallel = Number(values.parallel);
    const providerText = await serializedProvider();
    process.stdout.write(
        `Bitsight users benchmark: emulator on 127.0.0.1 answering after ${latency} ms a request, ` +
            `the client's default 3 requests in flight, reads sent ${parallel} at a time (Pulumi's 4 × CPUs here).\n` +
            `Peak memory: the process doing the work (the provider host for refresh, the CLI for plan and export).\n\n`,
    );
    const rows: string[] = [
        "| users | operation | requests | time | peak memory | naive requests | naive time | naive memory | faster |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|",
    ];
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bitsight-bench-"));
    for (const n of tables.includes("scale") ? sizes : []) {
        const { account, guids } = bigAccount(n);
        const emu = await BitsightEmulator.start({ account });
        emu.gate = () => new Promise((resolve) => setTimeout(resolve, latency));
        try {
            const file = usersFile(account, dir);
            const runs: [string, () => Promise<Figures>, () => Promise<Figures>][] = [
                ["refresh", () => refresh(emu, guids, providerText, parallel, false), () => refresh(emu, guids, providerText, parallel, true)],
                ["plan", () => worker(emu, "plan", file), () => worker(emu, "plan-naive", file)],
                ["export", () => worker(emu, "export", file), () => worker(emu, "export-naive", file)],
            ];
            for (const [name, fast, naive] of runs) {
                const a = await fast();
                const b = await naive();
                rows.push(
                    `| ${n} | ${name} | ${a.requests} | ${secs(a.ms)} | ${a.peakMb.toFixed(0)} MB | ${b.requests} | ${secs(b.ms)} | ${b.peakMb.toFixed(0)} MB | ${(b.ms / a.ms).toFixed(1)}× |`,
                );
                process.stderr.write(`${n} ${name}: done\n`);
            }
        } finally {
            await emu.stop();
        }
    }
    if (tables.includes("scale")) process.stdout.write(`${rows.join("\n")}\n\n`);
    if (tables.includes("onboarding")) await onboardingTable({ latency, parallel, providerText });
    if (tables.includes("engine")) await engineTable(latency);
    await stateFigures(providerText);
    fs.rmSync(dir, { recursive: true, force: true });
}

/** The second table: each operation next to the path before this release, measured in the same run. */
async function onboardingTable(s: Setting): Promise<void> {
    const rows = [
        "| operation | requests | time | before: requests | before: time | faster | also |",
        "|---|---:|---:|---:|---:|---:|---|",
    ];
    const row = (name: string, a: Figures, b: Figures | undefined, also: string) => {
        const before = b ? `| ${b.requests} | ${secs(b.ms)} | ${(b.ms / a.ms).toFixed(1)}× ` : "| — | — | — ";
        rows.push(`| ${name} | ${a.requests} | ${secs(a.ms)} ${before}| ${also} |`);
        process.stderr.write(`${name}: done\n`);
    };
    const adopt = await adoptExisting(1000, s, false);
    const adoptBefore = await adoptExisting(1000, s, true);
    // The same calls with the API answering at once: what the engine and the host cost alone.
    const floor = await adoptExisting(1000, { ...s, latency: 0 }, false);
    row("adopt 1,000 existing users that match", adopt, adoptBefore, `${adopt.writes} writes (before: ${adoptBefore.writes}); of the time, ${secs(floor.ms)} is the 2,000 check and create calls through gRPC (measured with the API answering at once)`);
    const create = await createNew(300, s, false);
    const createBefore = await createNew(300, s, true);
    row("create 300 new users", create, createBefore, `${create.posts} POSTs + ${create.requests - create.posts} other requests (before: + ${createBefore.requests - createBefore.posts})`);
    const { account, guids } = bigAccount(10_000);
    const emu = await BitsightEmulator.start({ account });
    emu.gate = () => new Promise((resolve) => setTimeout(resolve, s.latency));
    try {
        const big = await refresh(emu, guids, s.providerText, s.parallel, false);
        row("refresh 10,000 users", big, undefined, `host peak memory ${big.peakMb.toFixed(0)} MB; state per user below`);
    } finally {
        await emu.stop();
    }
    const storm = await stormRefresh(1000, s);
    const stormBatched = await stormRefresh(1000, s, true);
    row(
        "429 storm: refresh 1,000 users one read each, every 10th request opens a 1 s limit",
        storm,
        undefined,
        `429s sent: ${storm.refused}; reads failed: ${storm.failed}; the default batched refresh in the same storm: ${stormBatched.requests} requests, ${stormBatched.refused} 429s, ${secs(stormBatched.ms)}`,
    );
    process.stdout.write(
        `Onboarding, large accounts and rate limits (same emulator latency; "before" is the previous release's path: ` +
            `each email looked up alone):\n\n${rows.join("\n")}\n\n`,
    );
}

/** What one user costs in the state: its inputs and outputs, each holding `__provider`. */
async function stateFigures(providerText: string): Promise<void> {
    const emu = await BitsightEmulator.start({ account: seededAccount() });
    const host = await ProviderHost.start();
    try {
        await host.configure({ "bitsight:apiToken": SEED_TOKEN, "bitsight:apiUrl": emu.url });
        const u = urn("ana.lopez@example.com");
        const declared = { email: "ana.lopez@example.com", formalName: "Ana Lopez", friendlyName: "Ana", role: "customer_user", group: GROUPS.secops.guid, features: { "wfh-ro": true } };
        const { inputs } = await host.check(u, {}, { ...declared, __provider: providerText });
        const { id, outs } = await host.create(u, inputs);
        const entry = JSON.stringify({ urn: u, custom: true, id, type: "pulumi-nodejs:dynamic/bitsight:User", inputs, outputs: outs });
        const bytes = Buffer.byteLength(providerText);
        process.stdout.write(
            `__provider: ${bytes} bytes. State per user: ${Buffer.byteLength(entry)} bytes (its inputs and outputs, ` +
                `of which __provider twice: ${2 * bytes}); 1,000 users ≈ ${((Buffer.byteLength(entry) * 1000) / 1048576).toFixed(1)} MiB.\n`,
        );
    } finally {
        await host.stop();
        await emu.stop();
    }
}

main().catch((err: unknown) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
});
