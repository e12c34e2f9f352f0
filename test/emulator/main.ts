// `npm run emulator`: a local Bitsight Users API with the sample account, until Ctrl-C.
// It behaves like a service a newcomer points things at: the same address every time
// (BITSIGHT_EMULATOR_PORT, default 8430), today's date (BITSIGHT_EMULATOR_DATE fixes one,
// as the tests do), and it says where its data lives.
import { seededAccount, SEED_TOKEN } from "./seed";
import { BitsightEmulator } from "./server";

/** Where `npm run emulator` listens unless BITSIGHT_EMULATOR_PORT says otherwise (0: any free port). */
export const DEFAULT_EMULATOR_PORT = 8430;

async function main(): Promise<void> {
    const port = Number(process.env["BITSIGHT_EMULATOR_PORT"] ?? DEFAULT_EMULATOR_PORT);
    const fixed = process.env["BITSIGHT_EMULATOR_DATE"];
    if (fixed !== undefined && Number.isNaN(Date.parse(fixed))) return fail(`BITSIGHT_EMULATOR_DATE must be a date like 2026-11-01, not ${JSON.stringify(fixed)}`);
    const clock = fixed === undefined ? () => new Date() : () => new Date(fixed);
    let emu: BitsightEmulator;
    try {
        emu = await BitsightEmulator.start({ account: seededAccount({}, clock), port });
    } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "EADDRINUSE") throw err;
        return fail(`port ${port} is in use (another emulator?); stop it, or set BITSIGHT_EMULATOR_PORT to another port (0: any free one)`);
    }
    process.stdout.write(
        [
            `Bitsight API emulator listening on ${emu.url}`,
            `API token (sample account, not a secret): ${SEED_TOKEN}`,
            `Data: in memory, starting from the sample account; a restart starts from it again. Date: ${fixed === undefined ? "today" : clock().toISOString().slice(0, 10)}.`,
            ``,
            `Point the provider at it:`,
            `  export BITSIGHT_API_URL=${emu.url}`,
            `  export BITSIGHT_API_TOKEN=${SEED_TOKEN}`,
            `Try it: curl -u ${SEED_TOKEN}: ${emu.url}/ratings/v2/users`,
            ``,
        ].join("\n"),
    );
    const stop = () => void emu.stop().then(() => process.exit(0));
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
    // `npm run emulator &` then `kill $!` signals npm, not this process; and a parent
    // killed outright forwards nothing. Once the parent is gone (this process is handed
    // to another), the emulator stops too instead of serving on, unseen.
    const parent = process.ppid;
    setInterval(() => {
        if (process.ppid !== parent) stop();
    }, 250).unref();
}

function fail(message: string): void {
    process.stderr.write(`emulator: ${message}\n`);
    process.exitCode = 1;
}

if (require.main === module) void main();
