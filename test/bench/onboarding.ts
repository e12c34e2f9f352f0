// The benchmark's second table: bringing an account under management, onboarding, a large
// refresh and a rate-limit storm, each next to the path before this release.
import { makeContext } from "../../provider/account/context";
import type { Account } from "../emulator/account";
import { seededAccount, SEED_TOKEN } from "../emulator/seed";
import { BitsightEmulator } from "../emulator/server";
import { declareAll } from "../helpers/declare";
import type { Props } from "../helpers/host";
import { pool } from "../helpers/pool";
import { bigAccount, peakRssMb, warmHost, type Figures } from "./common";

export interface Setting {
    latency: number;
    parallel: number;
    providerText: string;
}

async function emulated<T>(account: Account, latency: number, fn: (emu: BitsightEmulator) => Promise<T>): Promise<T> {
    const emu = await BitsightEmulator.start({ account });
    emu.gate = () => new Promise((resolve) => setTimeout(resolve, latency));
    try {
        return await fn(emu);
    } finally {
        await emu.stop();
    }
}

/** `declared` through check and create on a warm host; `naive`: each email looked up alone, as before. */
async function up(account: Account, declared: Props[], s: Setting, naive: boolean): Promise<Figures & { writes: number; posts: number }> {
    return emulated(account, s.latency, async (emu) => {
        const host = await warmHost(emu, s.providerText, s.parallel, naive);
        try {
            const start = Date.now();
            await declareAll(host, declared, s.providerText, s.parallel);
            const ms = Date.now() - start;
            const writes = emu.writes();
            return { requests: emu.log.length, ms, peakMb: peakRssMb(host.pid), writes: writes.length, posts: writes.filter((w) => w.method === "POST").length };
        } finally {
            await host.stop();
        }
    });
}

/** 1,000 existing users declared exactly as they are, with `adopt: true` (what `export --adopt` writes). */
export async function adoptExisting(n: number, s: Setting, naive: boolean): Promise<Figures & { writes: number }> {
    const { account } = bigAccount(n);
    const declared = [...account.users.values()]
        .filter((u) => u.email.startsWith("user"))
        .map((u) => ({ email: u.email, formalName: u.formal_name, friendlyName: u.friendly_name, role: u.roles[0], group: u.group, adopt: true }));
    return up(account, declared, s, naive);
}

/** `n` new users (300 is Bitsight's monthly limit). */
export async function createNew(n: number, s: Setting, naive: boolean): Promise<Figures & { posts: number }> {
    const declared = Array.from({ length: n }, (_, i) => ({ email: `new${i}@example.com`, formalName: `New ${i}`, friendlyName: "New", role: "customer_user" }));
    return up(seededAccount(), declared, s, naive);
}

/**
 * A refresh of `n` users while every 10th request opens a one-second rate-limit window;
 * reads one at a time unless `batch`, so that the storm has requests to refuse.
 */
export async function stormRefresh(n: number, s: Setting, batch = false): Promise<Figures & { refused: number; failed: number }> {
    const { account, guids } = bigAccount(n);
    return emulated(account, s.latency, async (emu) => {
        const storm = { every: 10, retryAfterS: 1, refused: 0 };
        emu.storm = storm;
        const ctx = makeContext({ baseUrl: emu.url, token: SEED_TOKEN }, { reads: { batch }, onPause: () => undefined });
        const start = Date.now();
        let failed = 0;
        await pool(guids, s.parallel, (g) =>
            ctx.account.read(g).then(
                (u) => {
                    if (u?.guid !== g) throw new Error("a read answered the wrong user");
                },
                () => void failed++,
            ),
        );
        return { requests: emu.log.length, ms: Date.now() - start, peakMb: process.memoryUsage().rss / 1048576, refused: storm.refused, failed };
    });
}
