// One seeded emulator per test, and a connection to it.
import type { Connection } from "../../provider/config";
import { seededAccount, SEED_TOKEN } from "../emulator/seed";
import { BitsightEmulator } from "../emulator/server";

export interface Running {
    emu: BitsightEmulator;
    conn: Connection;
}

export function useEmulator(): Running {
    const running = {} as Running;
    beforeEach(async () => {
        running.emu = await BitsightEmulator.start({ account: seededAccount() });
        running.conn = { baseUrl: running.emu.url, token: SEED_TOKEN };
    });
    afterEach(async () => {
        await running.emu.stop();
    });
    return running;
}
