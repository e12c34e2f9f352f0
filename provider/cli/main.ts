#!/usr/bin/env node
// bitsight-users: review and drift tooling around a users file. It reuses the provider's
// client, schema, loader and diff; none of them has a second implementation here.
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import type { AccessGroups } from "../client/users";
import { resolveConnection, resolvePolicy } from "../config";
import { makeContext, type Context } from "../context";
import { SCHEMA_DIR } from "../schema";
import { GUID, type ApiUser } from "../types";
import { resolveGroups } from "../usersfile/groups";
import { displayPath, readUsersFile } from "../usersfile/load";
import { renderExport, unexportable } from "./export";
import { refuseOverwrite, scaffold, schemaReference, writeScaffold, type InitOptions } from "./init";
import { installedName } from "../installed-name";
import { computePlan, planExitCode } from "./plan";
import { progressTo, type Progress } from "./progress";
import { resolveRemovalLimit } from "../removals";
import { readManaged } from "./state";
import { renderMarkdown } from "./render-markdown";
import { renderText } from "./render-text";

export const USAGE = `Usage: bitsight-users <command> [options]

Commands:
  validate FILE...   Check users files offline: schema, duplicate users and keys.
                     No token needed (pre-commit hooks, pull-request checks).
  plan FILE          Compare a users file with the live account, read-only: users to
                     create, fields to change, privilege changes, undeclared users.
                       --format text|markdown|json   default text
                       --state FILE    the stack's \`pulumi stack export\`: also report
                                       existing users \`pulumi up\` cannot create
                                       because they are declared without adopt
  export             Write the live account as a users file.
                       --adopt         mark every user \`adopt: true\`
                       --output FILE   write to FILE instead of standard output
  init [DIR]         Start a team's repository in DIR (default: here): package.json,
                     Pulumi.yaml, index.js, users.yaml, .gitignore and GitHub workflows.
                       --from-account  write users.yaml from the live account (export --adopt)
                       --package-spec SPEC  what package.json depends on (default ^VERSION;
                                       a tarball or git URL until the package is published)
                       --force         overwrite files that exist

Environment:
  BITSIGHT_API_TOKEN        API token (plan, export)
  BITSIGHT_API_URL          default https://api.bitsighttech.com
  BITSIGHT_MAX_CONCURRENCY  requests in flight, default 3

Exit codes: 0 valid or in sync, 1 error, 2 differences (plan).
`;

export interface Io {
    stdout: NodeJS.WritableStream;
    stderr: NodeJS.WriteStream;
    env: NodeJS.ProcessEnv;
}

class UsageError extends Error {}

export async function main(argv: string[], io: Io): Promise<number> {
    const say = (s: string) => io.stdout.write(s);
    try {
        const { values, positionals } = parseArgs({
            args: argv,
            allowPositionals: true,
            options: {
                format: { type: "string", default: "text" },
                adopt: { type: "boolean", default: false },
                output: { type: "string" },
                state: { type: "string" },
                "from-account": { type: "boolean", default: false },
                "package-spec": { type: "string" },
                force: { type: "boolean", default: false },
                help: { type: "boolean", short: "h", default: false },
            },
        });
        const [command, ...files] = positionals;
        if (values.help || command === "help" || command === undefined) {
            say(USAGE);
            return command === undefined && !values.help ? 1 : 0;
        }
        switch (command) {
            case "validate":
                if (files.length === 0) throw new UsageError("validate needs at least one users file");
                return validate(files, io);
            case "plan": {
                if (files.length !== 1) throw new UsageError("plan needs exactly one users file");
                const format = values.format;
                if (format !== "text" && format !== "markdown" && format !== "json") throw new UsageError(`--format must be text, markdown or json, not ${format}`);
                return await plan(files[0]!, format, values.state, io);
            }
            case "export":
                if (files.length) throw new UsageError("export takes no file; use --output FILE");
                return await exportAccount(values.adopt, values.output, io);
            case "init":
                if (files.length > 1) throw new UsageError("init takes at most one folder");
                return await init({ dir: files[0] ?? ".", packageSpec: values["package-spec"], force: values.force }, values["from-account"], io);
            default:
                throw new UsageError(`unknown command "${command}"`);
        }
    } catch (err) {
        const usage = err instanceof UsageError || (err as { code?: string }).code?.startsWith("ERR_PARSE_ARGS");
        io.stderr.write(`bitsight-users: ${(err as Error).message}\n${usage ? "Run `bitsight-users --help` for usage.\n" : ""}`);
        return 1;
    }
}

function validate(files: string[], io: Io): number {
    let failed = 0;
    for (const file of files) {
        try {
            const parsed = readUsersFile(path.resolve(file));
            const named = new Set(parsed.users.map((u) => u.args.group).filter((g): g is string => !!g && !GUID.test(g)));
            const note = named.size ? `; ${named.size} access group name${named.size === 1 ? "" : "s"} to check against the account (plan does)` : "";
            io.stdout.write(`${parsed.file}: valid, ${parsed.users.length} user${parsed.users.length === 1 ? "" : "s"}${note}\n`);
        } catch (err) {
            failed++;
            io.stderr.write(`${(err as Error).message}\n`);
        }
    }
    return failed ? 1 : 0;
}

function context(env: NodeJS.ProcessEnv): { ctx: Context; api: string } {
    const conn = resolveConnection(undefined, env);
    return { ctx: makeContext(conn, { policy: resolvePolicy(undefined, env) }), api: conn.baseUrl };
}

/** Every user of the account, and its groups. */
async function loadAccount(ctx: Context, progress: Progress): Promise<{ users: ApiUser[]; groups: AccessGroups }> {
    const [users, groups] = await Promise.all([ctx.api.listEveryone((n, total) => progress(n, total, "Reading users")), ctx.api.accessGroups()]);
    return { users, groups };
}

async function plan(file: string, format: "text" | "markdown" | "json", state: string | undefined, io: Io): Promise<number> {
    // The files first: a broken one is reported without a token and without any request.
    const parsed = readUsersFile(path.resolve(file));
    const managed = state === undefined ? undefined : readManaged(state);
    const { ctx, api } = context(io.env);
    const account = await loadAccount(ctx, progressTo(io.stderr));
    const removalLimit = resolveRemovalLimit(undefined, parsed.policy.maxRemovalShare, io.env);
    const result = computePlan({ file: parsed.file, declared: resolveGroups(parsed, account.groups), account: account.users, groups: account.groups, managed, removalLimit });
    const rendered = format === "json" ? `${JSON.stringify(result, null, 2)}\n` : format === "markdown" ? renderMarkdown(result) : renderText(result, api);
    io.stdout.write(rendered);
    return planExitCode(result);
}

/** The live account as a users file; says on stderr who was left out, and why. */
async function exportText(adopt: boolean, schemaPath: string, io: Io): Promise<{ text: string; count: number }> {
    const { ctx, api } = context(io.env);
    const account = await loadAccount(ctx, progressTo(io.stderr));
    const text = renderExport(account.users, account.groups, { adopt, schemaPath, source: api });
    const skipped = unexportable(account.users);
    for (const u of skipped) {
        const held = u.roles.length ? `holds ${u.roles.length} roles (${u.roles.map((r) => r.slug).join(", ")})` : "holds no role";
        io.stderr.write(`Not exported: ${u.email} ${held}; a users file declares exactly one. Decide which, then add the user by hand.\n`);
    }
    return { text, count: account.users.filter((u) => !u.is_company_api_token).length - skipped.length };
}

async function exportAccount(adopt: boolean, output: string | undefined, io: Io): Promise<number> {
    const where = output ? path.dirname(path.resolve(output)) : process.cwd();
    const schemaPath = path.relative(where, path.join(SCHEMA_DIR, "users-file.schema.json")).split(path.sep).join("/");
    const { text, count } = await exportText(adopt, schemaPath, io);
    if (output) {
        fs.writeFileSync(output, text);
        io.stderr.write(`Wrote ${count} users to ${displayPath(path.resolve(output))}\n`);
    } else io.stdout.write(text);
    return 0;
}

async function init(opts: Omit<InitOptions, "usersFile">, fromAccount: boolean, io: Io): Promise<number> {
    const dir = path.resolve(opts.dir);
    // Refuse before reading the account: a refusal should cost no request.
    if (!opts.force) refuseOverwrite(scaffold(opts));
    const usersFile = fromAccount ? (await exportText(true, schemaReference(installedName()), io)).text : undefined;
    const files = scaffold({ ...opts, usersFile });
    writeScaffold(files);
    const shown = (f: string) => path.relative(dir, f).split(path.sep).join("/");
    io.stdout.write(
        `Wrote ${files.length} files in ${dir}:\n${files.map((f) => `  ${shown(f.path)}`).join("\n")}\n\n` +
            `Next:\n  cd ${displayPath(dir) || "."}\n  npm install\n  npx bitsight-users validate users.yaml\n` +
            `  BITSIGHT_API_TOKEN=... npx bitsight-users plan users.yaml\n  pulumi stack init prod && pulumi config set --secret bitsight:apiToken <token> && pulumi up\n`,
    );
    return 0;
}

if (require.main === module) {
    void main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env }).then((code) => {
        process.exitCode = code;
    });
}
