// bitsight-users in this process: `main(argv, io)` with collected output, as a person at
// a non-terminal (CI) would see it. Spawned runs stay for the few smoke tests that need a
// real process (exit codes, the bin shim).
import { PassThrough } from "stream";
import { main } from "../../provider/cli/main";
import type { Clock } from "../../provider/client/http";
import type { Ran } from "./spawn";

function collector(): { stream: PassThrough; text: () => string } {
    const stream = new PassThrough();
    let text = "";
    stream.on("data", (d: Buffer) => (text += d.toString()));
    return { stream, text: () => text };
}

/**
 * Runs the CLI with only `env` for its environment (no BITSIGHT_ setting leaks in from the
 * test's). `clock`: an injected clock, so that retries and pauses never really wait.
 */
export async function runCli(args: string[], env: Record<string, string> = {}, clock?: Clock): Promise<Ran> {
    const out = collector();
    const err = collector();
    const stderr = Object.assign(err.stream, { isTTY: false }) as unknown as NodeJS.WriteStream;
    const code = await main(args, { stdout: out.stream, stderr, env, ...(clock ? { clock } : {}) });
    return { code, stdout: out.text(), stderr: err.text() };
}
