#!/usr/bin/env node
// bitsight-users: review and drift tooling around a users file. This file parses the
// command line and hands it to one command (./<command>/command.ts); the commands reuse the
// provider's client, schema, loader and diff, none of which has a second implementation.
import { parseArgs } from "util";
import { logLevel, RequestLog } from "../client/log";
import { ownPackage } from "../package/installed-name";
import { exportCommand } from "./export/command";
import { init } from "./init/command";
import { plan } from "./plan/command";
import { pull } from "./pull/command";
import { review } from "./review/command";
import { validate } from "./validate/command";
import { said, type Io, type Run } from "./run";
import { readStackConfig } from "./stack-config";
import { commandUsage, GLOBAL_OPTIONS, usage } from "./usage";
import { parseConfig, refusedChoice, type Command, type OptionSpecs } from "./options";
import { check } from "./check/command";
import { UsageError } from "../base/errors";

export type { Io } from "./run";

export const COMMANDS: Readonly<Record<string, Command>> = { validate, plan, review, pull, export: exportCommand, init, check };

/** The help, printed from every command's own spec. */
export const USAGE = usage(COMMANDS);

export async function main(argv: string[], io: Io): Promise<number> {
    const say = (s: string) => io.stdout.write(s);
    try {
        const at = commandAt(argv);
        const name = at < 0 ? undefined : argv[at]!;
        const command = name === undefined || name === "help" ? undefined : COMMANDS[name];
        if (name !== undefined && name !== "help" && !command) throw new UsageError(`unknown command "${name}"`);
        const specs = { ...command?.options, ...GLOBAL_OPTIONS };
        const { values, positionals } = parseOptions(argv.filter((_a, i) => i !== at), specs, name);
        if (values["version"]) {
            const own = ownPackage();
            say(`bitsight-users ${own.version} (${own.name})\n`);
            return 0;
        }
        if (values["help"] || !command) {
            say(USAGE);
            return name === undefined && !values["help"] ? 1 : 0;
        }
        const refused = refusedChoice(specs, values);
        if (refused) throw new UsageError(refused, name);
        const now = io.clock ? () => io.clock!.now() : Date.now;
        const level = values["verbose"] ? "debug" : logLevel(io.env);
        const log = new RequestLog(level, (line) => void io.stderr.write(`${line}\n`), now, "bitsight-users");
        const stack = "stack" in command.options ? readStackConfig(process.cwd(), values["stack"] as string | undefined) : undefined;
        const run: Run = { ...io, log, stack };
        try {
            return await command.run(values as never, positionals, run);
        } finally {
            if (values["verbose"]) io.stderr.write(`${log.summary()}\n`);
        }
    } catch (err) {
        const code = (err as { code?: string }).code;
        const usageError = err instanceof UsageError || code?.startsWith("ERR_PARSE_ARGS");
        if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") err = new UsageError(`unknown option ${optionIn(err)}`);
        if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
            // "Option '--format <value>' argument missing", or a value given to a flag.
            const option = /'(-[^' ]+)/.exec((err as Error).message)?.[1] ?? "an option";
            err = new UsageError((err as Error).message.includes("argument missing") ? `${option} needs a value` : `${option} takes no value`);
        }
        const named = err instanceof UsageError && err.command ? COMMANDS[err.command] : undefined;
        const shown = err instanceof UsageError && named ? commandUsage(err.command!, named) : "";
        io.stderr.write(`bitsight-users: ${said(err)}\n${shown}${usageError ? "Run `bitsight-users --help` for usage.\n" : ""}`);
        return 1;
    }
}

/** The command's options and its operands. An option another command takes is refused naming the command, with its usage. */
function parseOptions(args: string[], specs: Parameters<typeof parseConfig>[0], name: string | undefined): { values: Record<string, unknown>; positionals: string[] } {
    try {
        return parseArgs({ args, allowPositionals: true, strict: true, options: parseConfig(specs) });
    } catch (err) {
        const option = (err as { code?: string }).code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" ? optionIn(err) : undefined;
        const known = option !== undefined && Object.values(COMMANDS).some((c) => option.replace(/^--/, "") in c.options);
        if (name !== undefined && known) throw new UsageError(`${name} does not take ${option}`, name);
        throw err;
    }
}

/** Where the command is: the first word that is neither an option nor the value of one (`--stack prod plan`). */
export function commandAt(argv: string[]): number {
    const specs = Object.values(COMMANDS).flatMap((c) => Object.entries(c.options as OptionSpecs));
    const takesValue = new Set(specs.filter(([, o]) => o.type === "string").flatMap(([name, o]) => [`--${name}`, ...(o.short ? [`-${o.short}`] : [])]));
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i]!;
        if (!a.startsWith("-")) return i;
        if (takesValue.has(a)) i++;
    }
    return -1;
}

function optionIn(err: unknown): string {
    return /'([^']+)'/.exec((err as Error).message)?.[1] ?? "";
}

if (require.main === module) {
    void main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env }).then((code) => {
        process.exitCode = code;
    });
}
