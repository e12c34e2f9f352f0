// What the CLI says about how it is called, printed from the commands' own specs
// (./<command>/command.ts) and the options every command takes: nothing here is written twice.
import { commandHelp, optionLines, type Command, type OptionSpecs } from "./options";

/** Options every command takes. */
export const GLOBAL_OPTIONS = {
    verbose: { type: "boolean", help: "log every request to the Bitsight API on stderr (as BITSIGHT_LOG=debug), and end with one line: requests, retries, 429s, bytes, time" },
    version: { type: "boolean", short: "v", help: "print the version" },
    help: { type: "boolean", short: "h", help: "print this help" },
} as const satisfies OptionSpecs;

const ENVIRONMENT = `Settings: bitsight:apiUrl, bitsight:usersFile (then FILE may be left out) and
bitsight:maxConcurrency from Pulumi.NAME.yaml beside Pulumi.yaml (--stack NAME, or the
only Pulumi.*.yaml there), else from the environment:
  BITSIGHT_API_TOKEN        API token (plan, review, pull, export, init --from-account).
                            Stack secrets are encrypted for the Pulumi CLI only:
                            bitsight-users never reads them.
  BITSIGHT_API_URL          default https://api.bitsighttech.com (a stack file's wins)
  BITSIGHT_MAX_CONCURRENCY  requests in flight, default 3 (a stack file's wins)
  BITSIGHT_LOG              debug: a line per request; info: retries, pauses, give-ups
  BITSIGHT_ATTEMPT_TIMEOUT  seconds one request attempt may take, default 30
  BITSIGHT_MAX_RESPONSE_MIB the largest answer read, default 32 (MiB)

Exit codes: 0 valid, in sync or nothing to review, 1 error (or, for pull and export,
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
        ENVIRONMENT,
    ].join("\n");
}

/** One command's usage, shown with an error in how it was called. */
export function commandUsage(name: string, command: Command): string {
    return `Usage: bitsight-users ${commandHelp(name, command).map((l) => l.slice(2)).join("\n")}\n`;
}
