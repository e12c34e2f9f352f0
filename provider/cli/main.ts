#!/usr/bin/env node
// bitsight-users: review and drift tooling around a users file. This file parses the
// command line and hands it to one command (./<command>/command.ts); the commands reuse the
// provider's client, schema, loader and diff, none of which has a second implementation.
import { parseArgs } from "util";
import { logLevel, RequestLog } from "../client/log";
import { ownPackage } from "../installed-name";
import { check } from "./check/command";
import { exportCommand } from "./export/command";
import { init } from "./init/command";
import { plan } from "./plan/command";
import { pull } from "./pull/command";
import { review } from "./review/command";
import { validate } from "./validate/command";
import { said, type Command, type Io, type Run, type Values } from "./run";
import { readStackConfig } from "./stack-config";
import { commandUsage, USAGE } from "./usage";
import { UsageError } from "../errors";

export { USAGE } from "./usage";
export type { Io } from "./run";

const COMMANDS: Record<string, Command> = { validate, plan, review, pull, export: exportCommand, init, check };
/** Options every command takes. */
const GLOBAL_OPTIONS = ["version", "help", "verbose"];

export async function main(argv: string[], io: Io): Promise<number> {
    const say = (s: string) => io.stdout.write(s);
    try {
        const { values, positionals, tokens } = parseArgs({
            args: argv,
            allowPositionals: true,
            tokens: true,
            options: {
                format: { type: "string", default: "text" },
                adopt: { type: "boolean", default: false },
                output: { type: "string" },
                state: { type: "string" },
                "from-account": { type: "boolean", default: false },
                "package-spec": { type: "string" },
                force: { type: "boolean", default: false },
                "update-workflows": { type: "boolean", default: false },
                stack: { type: "string" },
                stale: { type: "string", default: "90d" },
                "as-of": { type: "string" },
                "include-undeclared": { type: "boolean", default: false },
                "expiring-days": { type: "string", default: "30" },
                verbose: { type: "boolean", default: false },
                "manage-roles": { type: "string" },
                version: { type: "boolean", short: "v", default: false },
                help: { type: "boolean", short: "h", default: false },
            },
        });
        const [name, ...files] = positionals;
        if (values.version) {
            const own = ownPackage();
            say(`bitsight-users ${own.version} (${own.name})\n`);
            return 0;
        }
        if (values.help || name === "help" || name === undefined) {
            say(USAGE);
            return name === undefined && !values.help ? 1 : 0;
        }
        const command = COMMANDS[name];
        if (!command) throw new UsageError(`unknown command "${name}"`);
        // An option of another command is refused, not ignored.
        const other = tokens.find((t) => t.kind === "option" && !command.options.includes(t.name) && !GLOBAL_OPTIONS.includes(t.name));
        if (other?.kind === "option") throw new UsageError(`${name} does not take ${other.rawName}`, name);
        const now = io.clock ? () => io.clock!.now() : Date.now;
        const level = values.verbose ? "debug" : logLevel(io.env);
        const log = new RequestLog(level, (line) => void io.stderr.write(`${line}\n`), now, "bitsight-users");
        const run: Run = { ...io, log, stack: name === "init" || name === "check" ? undefined : readStackConfig(process.cwd(), values.stack) };
        try {
            return await command.run(values as Values, files, run);
        } finally {
            if (values.verbose) io.stderr.write(`${log.summary()}\n`);
        }
    } catch (err) {
        const code = (err as { code?: string }).code;
        const usage = err instanceof UsageError || code?.startsWith("ERR_PARSE_ARGS");
        if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
            const option = /'([^']+)'/.exec((err as Error).message)?.[1] ?? "";
            err = new UsageError(`unknown option ${option}`);
        }
        if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
            // "Option '--format <value>' argument missing", or a value given to a flag.
            const option = /'(-[^' ]+)/.exec((err as Error).message)?.[1] ?? "an option";
            err = new UsageError((err as Error).message.includes("argument missing") ? `${option} needs a value` : `${option} takes no value`);
        }
        const shown = err instanceof UsageError && err.command ? commandUsage(err.command) : "";
        io.stderr.write(`bitsight-users: ${said(err)}\n${shown}${usage ? "Run `bitsight-users --help` for usage.\n" : ""}`);
        return 1;
    }
}

if (require.main === module) {
    void main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env }).then((code) => {
        process.exitCode = code;
    });
}
