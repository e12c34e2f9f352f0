// What every command runs with: the output streams and environment, the stack file when
// one was read, a client built from them, and the two reads most commands start with
// (the users file, then the whole account).
import * as fs from "fs";
import * as path from "path";
import { makeContext, type Context } from "../account/context";
import { assertUniqueEmails, type AccessGroups, type OddRow, type Shortfall } from "../account/users-api";
import { UnexpectedResponseError } from "../client/errors";
import { partialView } from "../account/token-reach";
import { forTerminal } from "../escape/terminal";
import { CONFIG_ATTEMPT_TIMEOUT, CONFIG_CONCURRENCY, CONFIG_DEMOTE_ROLE, CONFIG_MAX_REMOVAL_SHARE, CONFIG_MAX_RESPONSE, CONFIG_URL, CONFIG_USERS_FILE, DEFAULT_USERS_FILE, ENV_TOKEN, resolveConnection, resolvePolicy, type ConfigSource } from "../config/settings";
import { describeProblems, UsersFileError } from "../usersfile/problems";
import type { ApiUser } from "../model/wire";
import { progressTo, type Progress } from "./render/progress";
import type { Clock } from "../client/http";
import type { RequestLog } from "../client/log";
import type { StackConfig } from "./stack-config";
import { UsageError } from "../base/errors";
import { emailKey } from "../model/user-model";
import { holdsProject, projectRoot } from "../program/project-root";

export interface Io {
    stdout: NodeJS.WritableStream;
    stderr: NodeJS.WriteStream;
    env: NodeJS.ProcessEnv;
    /** Time, for tests that must not wait (the real clock otherwise). */
    clock?: Clock;
}

/** The output streams and environment, the stack file when one was read, and the request log. */
export type Run = Io & { stack?: StackConfig | undefined; log: RequestLog };

/** What the CLI says about an error: a users file's problems without "nothing was applied" (it never applies anything). */
export function said(err: unknown): string {
    return err instanceof UsersFileError ? describeProblems(err.file, err.problems) : (err as Error).message;
}

/** Without a stack file, the environment only. */
const ENV_ONLY: ConfigSource = {
    get: () => undefined,
    missingToken: `No Bitsight API token: set the ${ENV_TOKEN} environment variable (bitsight-users never reads stack secrets).`,
};

/** Where settings come from: the stack file when one was read, else the environment only. */
export function configSource(io: Run): ConfigSource {
    return io.stack ?? ENV_ONLY;
}

export function context(io: Run): { ctx: Context; api: string } {
    const source = configSource(io);
    const conn = resolveConnection(source, io.env);
    if (io.stack) {
        const read = [CONFIG_URL, CONFIG_CONCURRENCY, CONFIG_ATTEMPT_TIMEOUT, CONFIG_MAX_RESPONSE, CONFIG_DEMOTE_ROLE, CONFIG_MAX_REMOVAL_SHARE].filter((k) => io.stack!.get(k) !== undefined);
        io.stderr.write(`Settings from ${io.stack.file}: ${read.length ? read.join(", ") : "none that apply"}; the token from ${ENV_TOKEN}.\n`);
    }
    // A person at a terminal should see why it is waiting; a CI log gets only the outcome.
    const onRetry = io.stderr.isTTY ? (m: string) => void io.stderr.write(`bitsight-users: retrying: ${m}\n`) : undefined;
    const onWarning = (m: string) => void io.stderr.write(`Warning: ${m}\n`);
    const options = { policy: resolvePolicy(source, io.env), onWarning, log: io.log, ...(onRetry ? { onRetry } : {}), ...(io.clock ? { clock: io.clock } : {}) };
    return { ctx: makeContext(conn, options), api: conn.baseUrl };
}

/**
 * The users file, found as the program finds it: as given, else `bitsight:usersFile` of the
 * stack file, else users.yaml, each relative to the project root (the folder of Pulumi.yaml
 * at or above the working directory).
 */
export function usersFileArg(files: string[], io: Run, command: string): string[] {
    if (files.length) return files.map((f) => path.resolve(f));
    const named = io.stack?.get(CONFIG_USERS_FILE);
    if (named) return [path.resolve(io.stack!.root, named)];
    // "" names no engine root: the CLI never loads the SDK to find a file.
    const root = io.stack?.root ?? projectRoot(process.cwd(), "");
    const fallback = path.join(root, DEFAULT_USERS_FILE);
    if (holdsProject(root) && fs.existsSync(fallback)) return [fallback];
    throw new UsageError(`${command} needs a users file: give its path, run it in a Pulumi project that has ${DEFAULT_USERS_FILE}, or set ${CONFIG_USERS_FILE} in Pulumi.<stack>.yaml and pass --stack NAME`);
}

/** The one users file a command takes. */
export function oneUsersFile(files: string[], io: Run, command: string): string {
    if (files.length > 1) throw new UsageError(`${command} takes one users file`);
    return usersFileArg(files, io, command)[0]!;
}

export interface Account {
    users: ApiUser[];
    groups: AccessGroups;
    /** What the token cannot see of the account, when it is not an Admin's (../account/token-reach); null otherwise. */
    partialView: string | null;
}

/**
 * How a command reads the account. `declared`: the emails the users file declares; a
 * row the provider cannot read is shown and skipped, unless it is one of them (the
 * command would then decide about that user from nothing). `shortfall`: what a listing
 * that does not add up does (plan and pull decide from it: `fail`).
 */
export interface AccountRead {
    declared?: Iterable<string>;
    shortfall: Shortfall;
}

/** Every user of the account, and its groups. */
export async function loadAccount(ctx: Context, progress: Progress, how: AccountRead, warn: (m: string) => void): Promise<Account> {
    const odd: OddRow[] = [];
    const [users, groups, partial] = await Promise.all([
        ctx.api.listEveryone({ onPage: (n, total) => progress(n, total, "Reading users"), shortfall: how.shortfall, onOdd: (row) => odd.push(row) }),
        ctx.api.accessGroups(),
        partialView(ctx.api),
    ]);
    const declared = new Set([...(how.declared ?? [])].map(emailKey));
    for (const row of odd) {
        const who = `${row.email !== undefined ? forTerminal(row.email) : "a user"}${row.guid !== undefined ? ` (${forTerminal(row.guid)})` : ""}`;
        if (row.email !== undefined && declared.has(emailKey(row.email))) {
            throw new UnexpectedResponseError(`${row.problem} ${who} is declared in the users file, so nothing about it can be decided.`);
        }
        warn(`skipped ${who}, which the Bitsight API listed in a shape the provider cannot read: ${row.problem}`);
    }
    // Plan, review, pull and export match the file to the account by email.
    assertUniqueEmails(users);
    // What else needs the account (export's token owner) is answered from this listing.
    ctx.account.prime(users);
    return { users, groups, partialView: partial };
}

/** The client, the API's address and the whole account, with a progress line at a terminal. */
export async function readAccount(io: Run, how: AccountRead): Promise<{ ctx: Context; api: string; account: Account }> {
    const { ctx, api } = context(io);
    return { ctx, api, account: await loadAccount(ctx, progressTo(io.stderr), how, (m) => void io.stderr.write(`Warning: ${m}\n`)) };
}
