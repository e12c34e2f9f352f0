// What the benchmark's measurements share: the account they run against, and a warm host.
import * as fs from "fs";
import { Account } from "../emulator/account";
import { GROUPS, seededAccount, SEED_TOKEN } from "../emulator/seed";
import type { BitsightEmulator } from "../emulator/server";
import { ProviderHost, urn } from "../helpers/host";
import { pool } from "../helpers/pool";

export interface Figures {
    requests: number;
    ms: number;
    peakMb: number;
}

const ROLES = ["customer_user", "customer_user", "customer_user", "customer_portfolio_manager", "customer_group_admin", "customer_admin"];
export const GROUP_LIST = Object.values(GROUPS);

/** The sample account plus `n` users of every role, spread over the groups. */
export function bigAccount(n: number): { account: Account; guids: string[] } {
    const account = seededAccount();
    const guids: string[] = [];
    for (let i = 0; i < n; i++) {
        const u = account.addUser({
            email: `user${String(i).padStart(5, "0")}@example.com`,
            formal_name: `User ${i}`,
            friendly_name: "User",
            role: ROLES[i % ROLES.length]!,
            group: GROUP_LIST[i % GROUP_LIST.length]!.guid,
        });
        guids.push(u.guid);
    }
    return { account, guids };
}

export function peakRssMb(pid: number | undefined): number {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

/**
 * A host configured for `emu`, its gRPC and protobuf paths warmed (JIT) with calls that
 * touch neither the API nor any cache, so that every path is measured warm, as in a long
 * deployment. `naive`: `bitsight:batchReads false`, one request per read and per look-up.
 */
export async function warmHost(emu: BitsightEmulator, providerText: string, parallel: number, naive: boolean): Promise<ProviderHost> {
    const host = await ProviderHost.start();
    const config: Record<string, string> = { "bitsight:apiToken": SEED_TOKEN, "bitsight:apiUrl": emu.url };
    if (naive) config["bitsight:batchReads"] = "false";
    await host.configure(config);
    const declared = { email: "warm@example.com", formalName: "W", friendlyName: "W", role: "customer_user", __provider: providerText };
    await pool(Array.from({ length: 400 }, (_, i) => i), parallel, (i) => host.check(urn(`warm${i}`), {}, declared));
    emu.clearLog();
    return host;
}

export const secs = (ms: number): string => (ms < 10_000 ? `${(ms / 1000).toFixed(2)} s` : `${(ms / 1000).toFixed(1)} s`);
