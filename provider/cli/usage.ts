// What the CLI says about how it is called, printed from the commands' own specs
// (./<command>/command.ts) and the options every command takes: nothing here is written twice.
import { commandHelp, optionLines, wrap, type Command, type OptionSpecs } from "./options";
import { cliEnvironment } from "../config/settings";

/** Options every command takes. */
export const GLOBAL_OPTIONS = {
    verbose: { type: "boolean", help: "log every request to the Bitsight API on stderr (as BITSIGHT_LOG=debug), and end with one line: requests, retries, 429s, bytes, time" },
    version: { type: "boolean", short: "v", help: "print the version" },
    help: { type: "boolean", short: "h", help: "print this help" },
} as const satisfies OptionSpecs;

/** The settings the CLI reads, from the settings table (../config). */
function environment(): string[] {
    return [
        ...wrap("Settings: from Pulumi.NAME.yaml beside Pulumi.yaml (--stack NAME, or the only Pulumi.*.yaml there; its bitsight:usersFile is FILE when none is given), else from the environment:", 0),
        ...cliEnvironment().flatMap(([name, said]) => wrap(said, 28, `  ${name}`.padEnd(28))),
    ];
}

const EXIT_CODES = `Exit codes: 0 valid, in sync or nothing to review, 1 error (or, for pull and export,
users that could not be written: named on stderr, the rest written), 2 differences
(plan) or something needing attention (review).
`;

/** The whole help. */
export function usage(commands: Readonly<Record<string, Command>>): string {
    return [
        "Usage: bitsight-users <command> [options]",
        "",
        "Commands:",
        ...Object.entries(commands).flatMap(([name, c]) => commandHelp(name, c)),
        "",
        "Options of every command:",
        ...Object.entries(GLOBAL_OPTIONS).flatMap(([name, o]) => optionLines(name, o, 2)),
        "",
        ...environment(),
        "",
        EXIT_CODES,
    ].join("\n");
}

/** One command's usage, shown with an error in how it was called. */
export function commandUsage(name: string, command: Command): string {
    return `Usage: bitsight-users ${commandHelp(name, command).map((l) => l.slice(2)).join("\n")}\n`;
}
