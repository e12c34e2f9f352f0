// Runs a command (a Node script, npm, npx) as its own process and collects what a person would see.
import { execFile } from "child_process";

export interface Ran {
    code: number;
    stdout: string;
    stderr: string;
}

export function runNode(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Ran> {
    return run(process.execPath, args, options);
}

export function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Ran> {
    return new Promise((resolve) =>
        execFile(command, args, { ...options, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) =>
            resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
        ),
    );
}
