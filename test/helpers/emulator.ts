// One seeded emulator per test, and a connection to it.
import type { Connection } from "../../provider/config";
import type { Quirks } from "../emulator/account";
import { seededAccount, SEED_TOKEN } from "../emulator/seed";
import { BitsightEmulator } from "../emulator/server";
import { ProviderHost } from "./host";

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

/**
 * An emulator for the suite, reset to the sample account before each test, and a provider
 * host per test (as each `pulumi up` starts its own: what one process listed of the account
 * must not answer for the next test), configured against it.
 */
export function useHostAndEmulator(): { emu: BitsightEmulator; host: ProviderHost } {
    const running = {} as { emu: BitsightEmulator; host: ProviderHost };
    before(async () => {
        running.emu = await BitsightEmulator.start();
    });
    beforeEach(async () => {
        running.emu.reset(seededAccount());
        running.host = await ProviderHost.start();
        await running.host.configure({ "bitsight:apiToken": SEED_TOKEN, "bitsight:apiUrl": running.emu.url });
    });
    afterEach(async () => {
        await running.host.stop();
    });
    after(async () => {
        await running.emu.stop();
    });
    return running;
}
