// `npm run emulator`: a local Bitsight Users API with the sample account, until Ctrl-C.
import { seededAccount, SEED_TOKEN } from "./seed";
import { BitsightEmulator } from "./server";

async function main(): Promise<void> {
    const port = Number(process.env["PORT"] ?? 0);
    const emu = await BitsightEmulator.start({ account: seededAccount(), port });
    process.stdout.write(
        [
            `Bitsight API emulator listening on ${emu.url}`,
            `API token (sample account, not a secret): ${SEED_TOKEN}`,
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

void main();
