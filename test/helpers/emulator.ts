// The emulator as tests use it: one per test with a connection, one per suite with a
// provider host, or one per suite for the CLI.
import * as fs from "fs";
import * as path from "path";
import type { Connection } from "../../provider/config/settings";
import type { Account, Quirks } from "../emulator/account";
import { seededAccount, SEED_TOKEN } from "../emulator/seed";
import { BitsightEmulator } from "../emulator/server";
import { ProviderHost } from "./host";
import { tempDir } from "./temp";

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

/** Provider hosts shared by the suites of one test file, by the environment they started with (./suite-hooks stops them). */
const shared = new Map<string, Promise<ProviderHost>>();
/** The test the shared host was last renewed for. */
let renewedFor: Mocha.Test | undefined;

export async function stopSharedHosts(): Promise<void> {
    const hosts = await Promise.all([...shared.values()]);
    shared.clear();
    await Promise.all(hosts.map((h) => h.stop()));
}

/**
 * A provider host shared by the file's suites, and for each test an emulator of its own
 * with the sample account: before each test the host starts over as a new process would
 * (ProviderHost.renew), configured against that emulator, as each `pulumi up` starts its
 * own: what one process listed of the account must not answer for the next test. One per
 * suite: two in one suite would configure the shared host in turn, so it refuses that.
 */
export function useHostAndEmulator(quirks: Partial<Quirks> = {}, hostEnv: NodeJS.ProcessEnv = {}, config: Record<string, string> = {}): { emu: BitsightEmulator; host: ProviderHost } {
    const running = {} as { emu: BitsightEmulator; host: ProviderHost };
    beforeEach(async function () {
        // A second one in the same suite would configure the shared host for its own emulator, the last for both.
        if (renewedFor === this.currentTest) throw new Error("useHostAndEmulator is called twice for one test: give each its own describe");
        renewedFor = this.currentTest;
        const key = JSON.stringify(hostEnv);
        if (!shared.has(key)) shared.set(key, ProviderHost.start(hostEnv));
        running.host = await shared.get(key)!;
        running.emu = await BitsightEmulator.start({ account: seededAccount(quirks) });
        await running.host.renew({ "bitsight:apiToken": SEED_TOKEN, "bitsight:apiUrl": running.emu.url, ...config });
    });
    afterEach(async () => {
        await running.emu.stop();
    });
    return running;
}

export interface CliEmulator {
    readonly emu: BitsightEmulator;
    /** A folder of this test's own, for the files it writes. */
    readonly dir: string;
    /** The environment that points the CLI at the emulator, and `extra`. */
    api(extra?: Record<string, string>): Record<string, string>;
    /** `users.yaml` in `dir`, with this text (or these lines). */
    file(text: string | string[]): string;
}

/**
 * For tests of the CLI: one emulator for the suite, reset to `account()` before each test,
 * and a folder of its own for each test's files.
 */
export function useCliEmulator(account: () => Account = () => seededAccount(), prefix = "bitsight-cli-"): CliEmulator {
    const running = {} as { emu: BitsightEmulator; dir: string };
    before(async () => {
        running.emu = await BitsightEmulator.start();
    });
    beforeEach(() => {
        running.emu.reset(account());
        running.dir = tempDir(prefix);
    });
    after(async () => {
        await running.emu.stop();
    });
    return {
        get emu() {
            return running.emu;
        },
        get dir() {
            return running.dir;
        },
        api: (extra = {}) => ({ BITSIGHT_API_URL: running.emu.url, BITSIGHT_API_TOKEN: SEED_TOKEN, ...extra }),
        file(text) {
            const f = path.join(running.dir, "users.yaml");
            fs.writeFileSync(f, Array.isArray(text) ? `${text.join("\n")}\n` : text);
            return f;
        },
    };
}
