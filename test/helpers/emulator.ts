// One seeded emulator per test, and a connection to it.
import type { Connection } from "../../provider/config";
import type { Quirks } from "../emulator/account";
import { seededAccount, SEED_TOKEN } from "../emulator/seed";
import { BitsightEmulator } from "../emulator/server";

export interface Running {
    emu: BitsightEmulator;
    conn: Connection;
}

/** `quirks`: how the emulator answers where the reference pages are silent (./quirks). */
export function useEmulator(quirks: Partial<Quirks> = {}): Running {
    const running = {} as Running;
    beforeEach(async () => {
        running.emu = await BitsightEmulator.start({ account: seededAccount(quirks) });
        running.conn = { baseUrl: running.emu.url, token: SEED_TOKEN };
    });
    afterEach(async () => {
        await running.emu.stop();
    });
    return running;
}
