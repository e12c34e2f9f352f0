#!/usr/bin/env node
// bitsight-users: review and drift tooling around a users file. It reuses the provider's
// client, schema, loader and diff; none of them has a second implementation here.
import * as path from "path";
import { parseArgs } from "util";
import { assertUniqueEmails, type AccessGroups } from "../account/users-api";
import { CONFIG_ATTEMPT_TIMEOUT, CONFIG_CONCURRENCY, CONFIG_MAX_RESPONSE, CONFIG_URL, CONFIG_USERS_FILE, ENV_TOKEN, resolveConnection, resolvePolicy, type ConfigSource } from "../config";
import { makeContext, type Context } from "../account/context";
import { SCHEMA_DIR } from "../schema";
import { GUID } from "../user-model";
import type { ApiUser } from "../wire";
import { resolveGroups } from "../usersfile/groups";
import { displayPath, readUsersFile, readUsersText } from "../usersfile/load";
import { parseUsersFile } from "../usersfile/parse";
import { refuseExisting, writeFileAtomic } from "../write-file";
import { checkPolicyAgainstAccount } from "../usersfile/policy";
import { renderExport, type Exported } from "./export";
import { refuseOverwrite, scaffold, schemaReference, writeScaffold, type InitOptions } from "./init";
import { installedName, ownPackage } from "../installed-name";
import { readStackConfig, type StackConfig } from "./stack-config";
import { describeProblems, formatProblem, UsersFileError } from "../usersfile/problems";
import { computeReview, parseStale, reviewExitCode } from "./review";
import { pullReadable } from "./pull";
import { renderReviewCsv, renderReviewMarkdown, renderReviewText } from "./render/review";
import { computePlan, planExitCode } from "./plan";
import { progressTo, type Progress } from "./render/progress";
import { resolveRemovalLimit } from "../program/removals";
import { readManaged } from "./state";
import { renderMarkdown } from "./render/plan-markdown";
import { renderText } from "./render/plan-text";
import { toJson } from "../escape/json";

export const USAGE = `Usage: bitsight-users <command> [options]

Commands:
  validate [FILE...] Check users files offline: schema, duplicate users and keys, and
                     the policy: rules that need no account. No token needed
                     (pre-commit hooks, pull-request checks).
  plan [FILE]        Compare a users file with the live account, read-only: users to
                     create, fields to change, privilege changes, undeclared users.
                       --format text|markdown|json   default text
                       --state FILE    the stack's \`pulumi stack export\`: also report
                                       existing users \`pulumi up\` cannot create
                                       because they are declared without adopt
  review [FILE]      An access review of the live account against a users file, read-only:
                     who never logged in, who has not for a while, Admins and their MFA,
                     company API token users, undeclared and acknowledged users, and
                     every user's role and group. Exit 2 when something needs attention.
                       --format text|markdown|json|csv   default text
                       --stale DAYS    no login for this long is stale (default 90d; 12w)
                       --as-of DATE    review as of this date (default now), e.g. 2026-12-31
  pull [FILE]        Write what was changed in the Bitsight UI into the users file, in
                     place: only the fields that differ, where they are written; comments,
                     order, anchors, teams and defaults are kept; plan is then in sync.
                     Exit 2 when the account has users the file does not declare.
                       --include-undeclared  also append users the file does not declare
  export             Write the live account as a users file.
                       --adopt         mark every user \`adopt: true\`
                       --output FILE   write to FILE instead of standard output (an
                                       existing FILE only with --force: pull updates one)
  init [DIR]         Start a team's repository in DIR (default: here): package.json,
                     Pulumi.yaml, index.js, users.yaml, .gitignore and GitHub workflows.
                       --from-account  write users.yaml from the live account (export --adopt)
                       --package-spec SPEC  what package.json depends on (default ^VERSION;
                                       a tarball or git URL until the package is published)
                       --force         overwrite files that exist

Options:
  --stack NAME       read bitsight:apiUrl, bitsight:usersFile and bitsight:maxConcurrency
                     from Pulumi.NAME.yaml (without it: from the only Pulumi.*.yaml, if
                     exactly one exists beside Pulumi.yaml). FILE defaults to bitsight:usersFile.
  --version, -v      print the version
  --help, -h         print this help

Environment:
  BITSIGHT_API_TOKEN        API token (plan, export, init --from-account). Stack secrets are
                            encrypted for the Pulumi CLI only: bitsight-users never reads them.
  BITSIGHT_API_URL          default https://api.bitsighttech.com (a stack file's wins)
  BITSIGHT_MAX_CONCURRENCY  requests in flight, default 3 (a stack file's wins)
  BITSIGHT_ATTEMPT_TIMEOUT  seconds one request attempt may take, default 30
  BITSIGHT_MAX_RESPONSE_MIB the largest answer read, default 32 (MiB)

Exit codes: 0 valid, in sync or nothing to review, 1 error (or, for pull and export,
users that could not be written: named on stderr, the rest written), 2 differences
(plan) or something needing attention (review).
`;

export interface Io {
    stdout: NodeJS.WritableStream;
    stderr: NodeJS.WriteStream;
    env: NodeJS.ProcessEnv;
}

class UsageError extends Error {
    /** The command whose usage to show with the error. */
    constructor(
        message: string,
        readonly command?: string,
    ) {
        super(message);
    }
}

/** The options each command takes; any other given to it is refused with that command's usage, not ignored. */
const COMMAND_OPTIONS: Record<string, readonly string[]> = {
    validate: ["stack"],
    plan: ["format", "state", "stack"],
    review: ["format", "stale", "as-of", "stack"],
    pull: ["include-undeclared", "stack"],
    export: ["adopt", "output", "force", "stack"],
    init: ["from-account", "package-spec", "force"],
};

/** The command's lines of USAGE. */
function commandUsage(command: string): string {
    const lines = USAGE.split("\n");
    const start = lines.findIndex((l) => l.startsWith(`  ${command} `));
    if (start < 0) return "";
    const end = lines.findIndex((l, i) => i > start && (/^ {2}\S/.test(l) || l === ""));
    return `Usage: bitsight-users ${lines.slice(start, end).map((l) => l.slice(2)).join("\n")}\n`;
}

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
                stack: { type: "string" },
                stale: { type: "string", default: "90d" },
                "as-of": { type: "string" },
                "include-undeclared": { type: "boolean", default: false },
                version: { type: "boolean", short: "v", default: false },
                help: { type: "boolean", short: "h", default: false },
            },
        });
        const [command, ...files] = positionals;
        if (values.version) {
            const own = ownPackage();
            say(`bitsight-users ${own.version} (${own.name})\n`);
            return 0;
        }
        if (values.help || command === "help" || command === undefined) {
            say(USAGE);
            return command === undefined && !values.help ? 1 : 0;
        }
        const allowed = COMMAND_OPTIONS[command];
        if (allowed) {
            const other = tokens.find((t) => t.kind === "option" && !allowed.includes(t.name) && t.name !== "version" && t.name !== "help");
            if (other?.kind === "option") throw new UsageError(`${command} does not take ${other.rawName}`, command);
        }
        const run: Run = { ...io, stack: command === "init" ? undefined : readStackConfig(process.cwd(), values.stack) };
        switch (command) {
            case "validate":
                return validate(usersFileArg(files, run, "validate"), run);
            case "plan": {
                if (files.length > 1) throw new UsageError("plan takes one users file");
                const format = values.format;
                if (format !== "text" && format !== "markdown" && format !== "json") throw new UsageError(`--format must be text, markdown or json, not ${format}`);
                return await plan(usersFileArg(files, run, "plan")[0]!, format, values.state, run);
            }
            case "review": {
                if (files.length > 1) throw new UsageError("review takes one users file");
                const format = values.format;
                if (!["text", "markdown", "json", "csv"].includes(format)) throw new UsageError(`--format must be text, markdown, json or csv, not ${format}`);
                const options = { format: format as ReviewFormat, staleDays: reviewStale(values.stale), now: asOf(values["as-of"]) };
                return await review(usersFileArg(files, run, "review")[0]!, options, run);
            }
            case "pull":
                if (files.length > 1) throw new UsageError("pull takes one users file");
                return await pull(usersFileArg(files, run, "pull")[0]!, values["include-undeclared"], run);
            case "export":
                if (files.length) throw new UsageError("export takes no file; use --output FILE");
                return await exportAccount(values.adopt, values.output, values.force, run);
            case "init":
                if (files.length > 1) throw new UsageError("init takes at most one folder");
                return await init({ dir: files[0] ?? ".", packageSpec: values["package-spec"], force: values.force }, values["from-account"], run);
            default:
                throw new UsageError(`unknown command "${command}"`);
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

/** What the CLI says about an error: a users file's problems without "nothing was applied" (it never applies anything). */
function said(err: unknown): string {
    return err instanceof UsersFileError ? describeProblems(err.file, err.problems) : (err as Error).message;
}

function validate(files: string[], io: Io): number {
    let failed = 0;
    for (const file of files) {
        try {
            const parsed = readUsersFile(file);
            const named = new Set(parsed.users.map((u) => u.args.group).filter((g): g is string => !!g && !GUID.test(g)));
            const note = named.size ? `; ${named.size} access group name${named.size === 1 ? "" : "s"} to check against the account (plan does)` : "";
            io.stdout.write(`${parsed.file}: valid, ${parsed.users.length} user${parsed.users.length === 1 ? "" : "s"}${note}\n`);
        } catch (err) {
            failed++;
            io.stderr.write(`${said(err)}\n`);
        }
    }
    return failed ? 1 : 0;
}

/** Without a stack file, the environment only. */
const ENV_ONLY: ConfigSource = {
    get: () => undefined,
    missingToken: `No Bitsight API token: set the ${ENV_TOKEN} environment variable (bitsight-users never reads stack secrets).`,
};

/** The output streams and environment, and the stack file when one was read. */
type Run = Io & { stack?: StackConfig | undefined };

function context(io: Run): { ctx: Context; api: string } {
    const source = io.stack ?? ENV_ONLY;
    const conn = resolveConnection(source, io.env);
    if (io.stack) {
        const read = [CONFIG_URL, CONFIG_CONCURRENCY, CONFIG_ATTEMPT_TIMEOUT, CONFIG_MAX_RESPONSE].filter((k) => io.stack!.get(k) !== undefined);
        io.stderr.write(`Settings from ${io.stack.file}: ${read.length ? read.join(", ") : "none that apply"}; the token from ${ENV_TOKEN}.\n`);
    }
    // A person at a terminal should see why it is waiting; a CI log gets only the outcome.
    const onRetry = io.stderr.isTTY ? (m: string) => void io.stderr.write(`bitsight-users: retrying: ${m}\n`) : undefined;
    const onWarning = (m: string) => void io.stderr.write(`Warning: ${m}\n`);
    return { ctx: makeContext(conn, { policy: resolvePolicy(source, io.env), onWarning, ...(onRetry ? { onRetry } : {}) }), api: conn.baseUrl };
}

/** The users file: as given, else `bitsight:usersFile` of the stack file (relative to the project root, as for the program). */
function usersFileArg(files: string[], io: Run, command: string): string[] {
    if (files.length) return files.map((f) => path.resolve(f));
    const named = io.stack?.get(CONFIG_USERS_FILE);
    if (named) return [path.resolve(io.stack!.root, named)];
    throw new UsageError(`${command} needs a users file: give its path, or set ${CONFIG_USERS_FILE} in Pulumi.<stack>.yaml and pass --stack NAME`);
}

/** Every user of the account, and its groups. */
async function loadAccount(ctx: Context, progress: Progress): Promise<{ users: ApiUser[]; groups: AccessGroups }> {
    const [users, groups] = await Promise.all([ctx.api.listEveryone((n, total) => progress(n, total, "Reading users")), ctx.api.accessGroups()]);
    // Plan, review, pull and export match the file to the account by email.
    assertUniqueEmails(users);
    // What else needs the account (export's token owner) is answered from this listing.
    ctx.listing.prime(users);
    return { users, groups };
}

async function plan(file: string, format: "text" | "markdown" | "json", state: string | undefined, io: Run): Promise<number> {
    // The files first: a broken one is reported without a token and without any request.
    const parsed = readUsersFile(file);
    const managed = state === undefined ? undefined : readManaged(state);
    const { ctx, api } = context(io);
    const account = await loadAccount(ctx, progressTo(io.stderr));
    const violations = checkPolicyAgainstAccount(parsed, account.users);
    if (violations.length > 0) throw new UsersFileError(parsed.file, violations);
    const removalLimit = resolveRemovalLimit(undefined, parsed.policy.maxRemovalShare, io.env);
    const unmanaged = parsed.unmanaged.map((u) => ({ email: u.email, reason: u.reason, line: parsed.locator.value(u.path).line }));
    const result = computePlan({ file: parsed.file, declared: resolveGroups(parsed, account.groups), account: account.users, groups: account.groups, managed, removalLimit, unmanaged });
    const rendered = format === "json" ? toJson(result) : format === "markdown" ? renderMarkdown(result) : renderText(result, api);
    io.stdout.write(rendered);
    return planExitCode(result);
}

type ReviewFormat = "text" | "markdown" | "json" | "csv";

function reviewStale(text: string): number {
    try {
        return parseStale(text);
    } catch (err) {
        throw new UsageError((err as Error).message);
    }
}

function asOf(text: string | undefined): Date {
    if (text === undefined) return new Date();
    const date = /^\d{4}-\d{2}-\d{2}$/.test(text) ? new Date(`${text}T00:00:00Z`) : new Date(text);
    if (Number.isNaN(date.getTime())) throw new UsageError(`--as-of must be a date like 2026-12-31, not ${JSON.stringify(text)}`);
    return date;
}

/** The users file, read first (a broken one costs no token and no request), then the account. */
async function fileAndAccount(file: string, io: Run) {
    const parsed = readUsersFile(file);
    const { ctx, api } = context(io);
    return { parsed, api, account: await loadAccount(ctx, progressTo(io.stderr)) };
}

async function review(file: string, opts: { format: ReviewFormat; staleDays: number; now: Date }, io: Run): Promise<number> {
    const { parsed, api, account } = await fileAndAccount(file, io);
    const policyViolations = checkPolicyAgainstAccount(parsed, account.users).map(formatProblem);
    const result = computeReview({ file: parsed.file, declared: parsed.users, unmanaged: parsed.unmanaged, account: account.users, now: opts.now, staleDays: opts.staleDays, policyViolations });
    const render = { text: () => renderReviewText(result, api), markdown: () => renderReviewMarkdown(result, api), csv: () => renderReviewCsv(result), json: () => toJson(result) };
    io.stdout.write(render[opts.format]());
    return reviewExitCode(result);
}

/**
 * Rewrites the file with the account's values. The result is parsed again before it is
 * written: a broken file is never written. One that only breaks a policy rule is (an Admin
 * made in the UI may lack the reason the policy wants): the pull request shows it, and
 * its validate check says what to add.
 */
async function pull(file: string, includeUndeclared: boolean, io: Run): Promise<number> {
    // Read once: the edits are made to this text, and it must still be on disk when they are written.
    const { text, shown } = readUsersText(file);
    const parsed = parseUsersFile(text, shown);
    const { ctx } = context(io);
    const account = await loadAccount(ctx, progressTo(io.stderr));
    const result = pullReadable(text, parsed, account.users, account.groups, { includeUndeclared });
    if (result.text !== text) writeFileAtomic(file, result.text, { unchangedFrom: text });
    const n = result.changes.length;
    const undeclared = result.undeclared.length;
    const matches = undeclared ? "matches the account for every user it declares" : "already matches the account";
    io.stdout.write(n ? `Pulled ${n} change${n === 1 ? "" : "s"} from the account into ${parsed.file}:\n${result.changes.map((c) => `  ${c}\n`).join("")}` : `${parsed.file} ${matches}.\n`);
    if (undeclared) {
        io.stdout.write(
            `The account has ${undeclared} user${undeclared === 1 ? "" : "s"} the file does not declare, not written:\n${result.undeclared.map((u) => `  ? ${u}\n`).join("")}` +
                `Run pull --include-undeclared to add ${undeclared === 1 ? "it" : "them"} to users:, or list ${undeclared === 1 ? "it" : "them"} under unmanaged: with a reason.\n`,
        );
    }
    for (const p of result.policy) io.stderr.write(`Warning: the pulled file breaks its policy: ${formatProblem(p)}\n`);
    for (const s of result.skipped) io.stderr.write(`Not pulled: ${s}\n`);
    return result.skipped.length ? 1 : undeclared ? 2 : 0;
}

/** The live account as a users file; users the file could not hold are named on stderr (`left`). */
async function exportText(adopt: boolean, schemaPath: string, io: Run): Promise<Exported> {
    const { ctx, api } = context(io);
    const account = await loadAccount(ctx, progressTo(io.stderr));
    const owner = await ctx.tokenOwner().then(
        (o) => o.email,
        (err: Error) => void io.stderr.write(`Note: ${err.message.split(". Set it")[0]}. If the token is a person's, move that user from users: to unmanaged:.\n`),
    );
    const exported = renderExport(account.users, account.groups, { adopt, schemaPath, source: api, ...(owner ? { tokenOwner: owner } : {}) });
    for (const l of exported.left) io.stderr.write(`Not exported: ${l}\n`);
    return exported;
}

async function exportAccount(adopt: boolean, output: string | undefined, force: boolean, io: Run): Promise<number> {
    // Refused before any request: an existing file holds a team's policy, reasons and comments.
    if (output && !force) refuseExisting([output], "export", "To bring an existing users file up to date, run `bitsight-users pull` on it; to replace it, pass --force.");
    const where = output ? path.dirname(path.resolve(output)) : process.cwd();
    const schemaPath = path.relative(where, path.join(SCHEMA_DIR, "users-file.schema.json")).split(path.sep).join("/");
    const { text, count, left } = await exportText(adopt, schemaPath, io);
    if (output) {
        writeFileAtomic(output, text);
        io.stderr.write(`Wrote ${count} users to ${displayPath(path.resolve(output))}${left.length ? `; ${left.length} left out (above)` : ""}\n`);
    } else io.stdout.write(text);
    // The file is written all the same: the users left out are undeclared in it, and plan lists them.
    return left.length ? 1 : 0;
}

async function init(opts: InitOptions, fromAccount: boolean, io: Run): Promise<number> {
    const dir = path.resolve(opts.dir);
    const files = scaffold(opts);
    // Refuse before reading the account: a refusal should cost no request.
    if (!opts.force) refuseOverwrite(files);
    let leftOut = 0;
    if (fromAccount) {
        const users = files.find((f) => path.basename(f.path) === "users.yaml")!;
        const exported = await exportText(true, schemaReference(installedName()), io);
        users.text = exported.text;
        leftOut = exported.left.length;
    }
    writeScaffold(files);
    const shown = (f: string) => path.relative(dir, f).split(path.sep).join("/");
    io.stdout.write(
        `Wrote ${files.length} files in ${dir}:\n${files.map((f) => `  ${shown(f.path)}`).join("\n")}\n\n` +
            `Next:\n  cd ${displayPath(dir) || "."}\n  npm install\n  npx bitsight-users validate users.yaml\n` +
            `  BITSIGHT_API_TOKEN=... npx bitsight-users plan users.yaml\n  pulumi stack init prod && pulumi config set --secret bitsight:apiToken <token> && pulumi up\n` +
            `  git add . && git commit   # package-lock.json included: CI's npm ci installs exactly what it lists\n`,
    );
    const local = localPackageSpec(opts.packageSpec, dir);
    if (local) {
        io.stderr.write(
            `Warning: package.json depends on pulumi-bitsight through ${opts.packageSpec}, a file outside ${displayPath(dir) || "."}: ` +
                `npm install works here, but CI's npm ci cannot find it. Put the tarball where CI can reach it (an internal registry), ` +
                `or copy it into the repository and depend on file:./${path.basename(local)}.\n`,
        );
    }
    return leftOut ? 1 : 0;
}

/** A `file:` package spec that points outside the repository folder: the path it names, else undefined. */
function localPackageSpec(spec: string | undefined, dir: string): string | undefined {
    if (!spec?.startsWith("file:")) return undefined;
    const target = path.resolve(dir, spec.slice("file:".length));
    const rel = path.relative(dir, target);
    return rel.startsWith("..") || path.isAbsolute(rel) ? target : undefined;
}

if (require.main === module) {
    void main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env }).then((code) => {
        process.exitCode = code;
    });
}
