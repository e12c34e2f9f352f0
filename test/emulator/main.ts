// `npm run emulator [-- --account FILE]`: a local Bitsight Users API, until Ctrl-C, with
// the sample account or one from a file (./account-file). It behaves like a service a
// newcomer points things at: the same address every time (BITSIGHT_EMULATOR_PORT,
// default 8430), today's date (BITSIGHT_EMULATOR_DATE fixes one, as the tests do), and it
// says where its data lives.
import * as path from "path";
import { AccountFileError, readAccountFile, type LoadedAccount } from "./account-file";
import { SAMPLE_ACCOUNT_FILE } from "./seed";
import { BitsightEmulator } from "./server";

const USAGE = "usage: npm run emulator [-- --account FILE]   (FILE: an account in YAML or JSON; test/emulator/sample-account.yaml by default)";

/** Where `npm run emulator` listens unless BITSIGHT_EMULATOR_PORT says otherwise (0: any free port). */
export const DEFAULT_EMULATOR_PORT = 8430;

/** The port `npm run emulator` listens on: BITSIGHT_EMULATOR_PORT, else the documented one. */
export function emulatorPort(env: NodeJS.ProcessEnv): number {
    return Number(env["BITSIGHT_EMULATOR_PORT"] ?? DEFAULT_EMULATOR_PORT);
}

/** The file `--account` names, as the user wrote it and resolved from where they ran npm (npm runs a script in the package's root). */
function accountArg(args: string[]): { shown: string; file: string } | string | undefined {
    const [flag, value, ...rest] = args;
    if (flag === undefined) return undefined;
    const given = flag.startsWith("--account=") ? flag.slice("--account=".length) : flag === "--account" ? value : undefined;
    if (given === undefined || given === "" || rest.length > 0 || (flag.startsWith("--account=") && value !== undefined)) return USAGE;
    return { shown: given, file: path.resolve(process.env["INIT_CWD"] ?? process.cwd(), given) };
}

async function main(args: string[]): Promise<void> {
    if (args.length === 1 && ["--help", "-h"].includes(args[0]!)) return void process.stdout.write(`${USAGE}\nSee docs/emulator.md.\n`);
    const arg = accountArg(args);
    if (typeof arg === "string") return fail(arg);
    const port = emulatorPort(process.env);
    const fixed = process.env["BITSIGHT_EMULATOR_DATE"];
    if (fixed !== undefined && Number.isNaN(Date.parse(fixed))) return fail(`BITSIGHT_EMULATOR_DATE must be a date like 2026-11-01, not ${JSON.stringify(fixed)}`);
    const clock = fixed === undefined ? () => new Date() : () => new Date(fixed);
    let loaded: LoadedAccount;
    try {
        loaded = readAccountFile(arg?.file ?? SAMPLE_ACCOUNT_FILE, arg?.shown ?? "test/emulator/sample-account.yaml", { clock });
    } catch (err) {
        if (!(err instanceof AccountFileError)) throw err;
        for (const w of err.warnings) process.stderr.write(`emulator: warning: ${w}\n`);
        return fail(`${err.message}\nNothing was started: correct the file and start again.`);
    }
    for (const w of loaded.warnings) process.stderr.write(`emulator: warning: ${w}\n`);
    let emu: BitsightEmulator;
    try {
        emu = await BitsightEmulator.start({ account: loaded.account, port });
    } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "EADDRINUSE") throw err;
        return fail(`port ${port} is in use (another emulator?); stop it, or set BITSIGHT_EMULATOR_PORT to another port (0: any free one)`);
    }
    process.stdout.write(
        [
            `Bitsight API emulator listening on ${emu.url}`,
            `API token (${arg ? "from the account file" : "sample account"}, not a secret): ${loaded.token}, as ${loaded.tokenUser}${loaded.addedTokenUser ? " (added: the file has no Activated Admin company API token user)" : ""}`,
            `Data: in memory, starting from ${arg ? arg.shown : "the sample account"} (${count(loaded.account.users.size, "user")}, ${count(loaded.account.groups.length, "access group")}); a restart starts from it again. Date: ${fixed === undefined ? "today" : clock().toISOString().slice(0, 10)}.`,
            ``,
            `Point the provider at it:`,
            `  export BITSIGHT_API_URL=${emu.url}`,
            `  export BITSIGHT_API_TOKEN=${loaded.token}`,
            `Try it: curl -u ${loaded.token}: ${emu.url}/ratings/v2/users`,
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

const count = (n: number, what: string) => `${n} ${what}${n === 1 ? "" : "s"}`;

function fail(message: string): void {
    process.stderr.write(`emulator: ${message}\n`);
    process.exitCode = 1;
}

if (require.main === module) void main(process.argv.slice(2));
