// Users declared in a YAML file, registered as BitsightUser resources (and its company API
// tokens as BitsightApiToken resources: ./api-tokens). An invalid file
// throws before any resource registers, with every problem in it.
import type * as pulumi from "@pulumi/pulumi";
import { sdk } from "../base/sdk";
import * as path from "path";
import type { AccessGroups, UsersApi } from "../account/users-api";
import type { ApiUser } from "../model/wire";
import { CONFIG_MAX_REMOVAL_SHARE, CONFIG_TOKEN, ENV_TOKEN, resolveConnection } from "../config/settings";
import { checkSeats } from "./seats";
import { makeContext, type Context } from "../account/context";
import { partialView } from "../account/token-reach";
import { BitsightUser } from "../resource/user";
import { BitsightRemovedUser } from "../resource/removed-user-resource";
import type { BitsightApiToken } from "../resource/api-token-resource";
import { apiTokenResources, apiTokensToDeclare, ownTokenRevoked } from "./api-tokens";
import { accessGroupResources, asList, refuseLeavingGroups, wiredToGroup } from "./access-groups";
import type { BitsightAccessGroup } from "../resource/access-group-resource";
import { refusePlainTextToken } from "../resource/plain-token";
import { emailKey, type OnDelete } from "../model/user-model";
import { checkRemovals, READ_STACK_OUTPUTS, removalMessage, resolveRemovalLimit, heldRemovalMessage, type StackUsers } from "./removals";
import { activeUsers, expiryWarnings, isExpired, todayUtc } from "../usersfile/expiry";
import { needsGroups, resolveGroups } from "../usersfile/groups";
import { displayPath, readUsersFile } from "../usersfile/load";
import { checkPolicyAgainstAccount, needsAccount } from "../usersfile/policy";
import { UsersFileError } from "../usersfile/problems";
import type { ParsedUsersFile } from "../usersfile/parse";
import { groupNames } from "../usersfile/model";
import { recordedConflict, type Leaving } from "../usersfile/ending";
import { planResources, type PlannedResource } from "../usersfile/resources";
import { BitsightError } from "../base/errors";

export interface UsersFromFile {
    users: BitsightUser[];
    /** The users the file demoted on purpose (removed:, onDelete demote), kept demoted. */
    removedUsers: BitsightRemovedUser[];
    /** The company API tokens the file declares (apiTokens:), those whose expires: has not come. */
    apiTokens: BitsightApiToken[];
    /** The access groups the file declares (groups:). */
    accessGroups: BitsightAccessGroup[];
    /** Role slug → emails of the managed users that have it, as the account reports them. */
    usersByRole: pulumi.Output<Record<string, string[]>>;
    /**
     * Lower-cased emails of the declared users a later removal from the file would delete
     * (onDelete "delete"). Export it, with `userCount`, as a stack output: the next run reads
     * both back to guard against mass removal.
     */
    deletableUsers: string[];
    /** Those it would demote instead (onDelete "demote"): named by the guard, not counted. Export it too. */
    demotableUsers: string[];
    userCount: number;
    /** The descriptions of the company API tokens declared (not expired). Export it too: the guard counts a token that leaves. */
    apiTokenDescriptions: string[];
    /** The names of the access groups declared. Export it too: the next run deletes only the groups it managed, and checks they are empty first. */
    accessGroupNames: string[];
}

export interface UsersFromFileOptions {
    /** Where a relative `file` starts, and what messages name it relative to. Default: the working directory. */
    base?: string;
    /**
     * Refuse a run that would delete more than a share of the users the stack manages
     * (./removals), compared with the stack's own `deletableUsers` and `userCount`
     * outputs from its last update. Default true. Inactive while the program does not
     * export those two outputs; a program that reads several users files and exports
     * them for one should pass false for the others.
     */
    removalGuard?: boolean;
}

/**
 * A Pulumi program whose file is relative to its project should pass `base: projectRoot()`:
 * the engine runs a program whose `main` is a file from that file's folder.
 */
export async function usersFromFile(file: string, opts: pulumi.CustomResourceOptions = {}, settings: UsersFromFileOptions = {}): Promise<UsersFromFile> {
    // Before any request the program makes (seats, policy, groups) and before anything registers.
    refusePlainTextToken();
    const base = settings.base ?? process.cwd();
    const absolute = path.resolve(base, file);
    const shown = displayPath(absolute, base);
    // One day for the whole run: the loader's policy, the expiry warnings and the users declared.
    const today = todayUtc();
    const read = readUsersFile(absolute, base, today);
    // From its `expires:` date on, a user is not declared: its onDelete applies.
    for (const warning of expiryWarnings(read, today)) void sdk().log.warn(warning);
    const parsed = activeUsers(read, today);
    const planned = planResources(parsed.users);
    const liveTokens = read.apiTokens.filter((t) => !isExpired(t, today)).map((t) => t.description);
    const before = (settings.removalGuard ?? true) ? await stackUsersBefore() : undefined;
    if (before) guardRemovals(shown, before, planned, liveTokens, read.groups.flatMap(groupNames), parsed.policy.maxRemovalShare, leaversOf(read, today));
    const account = new ProgramAccount(shown);
    await guardSeats(account, shown, planned);
    // The tokens pulumi up would revoke: expired, or gone from the file since the last update.
    const declaredTokens = new Set(read.apiTokens.map((t) => t.description));
    const revoking = [...read.apiTokens.filter((t) => !liveTokens.includes(t.description)).map((t) => t.description), ...(before?.tokens ?? []).filter((d) => !declaredTokens.has(d))];
    if (revoking.length && tokenConfigured()) {
        const refused = await account.ask("checking it would not revoke its own token", "revokes company API tokens", (api, own) => ownTokenRevoked(shown, revoking, api, own));
        if (refused) throw refused;
    }
    if (needsAccount(parsed.policy, parsed.unmanagedRules)) {
        const violations = checkPolicyAgainstAccount(parsed, await account.ask("checking its policy", "has a policy", (api) => account.everyone(api)));
        if (violations.length > 0) throw new UsersFileError(parsed.file, violations);
    }
    let listing: Promise<AccessGroups> | undefined;
    const accountGroups = () => (listing ??= account.ask("resolving them", "names access groups", (api) => api.accessGroups()));
    // Without a token (a program run with mocks) a file that only declares groups asks nothing.
    const groups = needsGroups(parsed) || (read.declaresGroups && tokenConfigured()) ? await accountGroups() : undefined;
    // A group only the file names is one it makes, whatever the account holds (a program run with mocks).
    const declared = resolveGroups(parsed, groups ?? { groups: [] });
    const tokens = await apiTokensToDeclare(read, today, groups ? () => Promise.resolve(groups) : accountGroups);
    const plannedUsers = planResources(declared);
    const groupsBefore = before?.groups ?? [];
    if (groups && groupsBefore.length) {
        const everyone = await account.ask("checking the groups it deletes are empty", "deletes access groups", (api) => account.everyone(api));
        const deleting = new Set((before?.deletable ?? []).filter((e) => !plannedUsers.some((r) => [r.name, ...r.aliases].includes(e))));
        const declaredUsers = new Map(plannedUsers.map((r) => [emailKey(String(r.args.email)), r.args.group]));
        const refused = refuseLeavingGroups({ file: shown, before: groupsBefore, declared: read.groups, account: groups, everyone, declaredUsers, deleting });
        if (refused) throw refused;
    }
    await sayWhatTheTokenSees(account);
    const madeGroups = accessGroupResources(read.groups, groups, opts);
    const users = plannedUsers.map((r) => {
        const { args, dependsOn } = wiredToGroup(r, madeGroups);
        return new BitsightUser(r.name, args, { ...opts, aliases: [...(opts.aliases ?? []), ...r.aliases.map((name) => ({ name }))], ...(dependsOn.length ? { dependsOn: [...asList(opts.dependsOn), ...dependsOn] } : {}) });
    });
    const removedUsers = await keepDemoted(account, read, opts);
    const apiTokens = apiTokenResources(tokens, opts, madeGroups);
    const usersByRole = sdk().all(users.map((u) => sdk().all([u.email, u.role]))).apply(summariseByRole);
    const removedBy = (what: string) => planned.filter((r) => (r.args.onDelete ?? "delete") === what).map((r) => r.name).sort();
    return { users, removedUsers, apiTokens, usersByRole, deletableUsers: removedBy("delete"), demotableUsers: removedBy("demote"), userCount: planned.length, apiTokenDescriptions: liveTokens, accessGroups: [...new Set(madeGroups.values())], accessGroupNames: read.groups.map((g) => g.name) };
}

/** The users the file demoted on purpose: `removed:` with onDelete demote (an expiry always deletes: ../usersfile/ending). */
function demotedOnPurpose(read: ParsedUsersFile): string[] {
    return read.removed.filter((r) => r.onDelete === "demote").map((r) => r.email);
}

/**
 * One BitsightRemovedUser for each user demoted on purpose that the account still holds
 * (../resource/removed-user): a grant made in the UI afterwards is drift, undone by the next
 * apply. One the account no longer holds gets none: keeping it would mean creating it.
 */
async function keepDemoted(account: ProgramAccount, read: ParsedUsersFile, opts: pulumi.CustomResourceOptions): Promise<BitsightRemovedUser[]> {
    const emails = demotedOnPurpose(read);
    if (emails.length === 0) return [];
    const listed = tokenConfigured() ? await account.ask("keeping its removed users demoted", "demotes users on purpose", (api) => account.everyone(api)) : undefined;
    const held = listed && new Set(listed.map((u) => emailKey(u.email)));
    // The users' aliases name BitsightUsers: none of them may name one of these.
    const { aliases: _aliases, ...own } = opts;
    return emails.filter((e) => !held || held.has(emailKey(e))).map((email) => new BitsightRemovedUser(email, { email }, own));
}

/**
 * Before any resource registers and any API call: compare with what the stack managed at its
 * last update. Users, company API tokens and access groups are each held to the share on
 * their own: a stack's tokens never make room for more of its users to go, nor the other way round.
 */
function guardRemovals(file: string, before: StackUsers & { tokens?: string[]; groups?: string[] }, planned: PlannedResource[], tokens: string[], groups: string[], fromFile: number | undefined, leaving: Leaver[]): void {
    const recorded = (email: string): OnDelete | undefined => (before.deletable.includes(email) ? "delete" : before.demotable?.includes(email) ? "demote" : undefined);
    for (const l of leaving) {
        const conflict = recordedConflict(l.leaving, l.email, l.onDelete, recorded(l.email.toLowerCase()));
        if (conflict) throw new BitsightError(`${file}: ${l.email}'s access ${l.leaving === "expired" ? "expired" : "was removed"}, but ${conflict}. Nothing was changed.`);
    }
    const declared = new Set(planned.flatMap((r) => [r.name, ...r.aliases]));
    const limit = resolveRemovalLimit(sdk().runtime.getConfig(CONFIG_MAX_REMOVAL_SHARE), fromFile, process.env);
    const verdict = checkRemovals(before, declared, limit);
    if (verdict.refused) throw new BitsightError(removalMessage(file, verdict, limit));
    for (const [kind, was, now] of [["apiTokens", before.tokens ?? [], tokens], ["groups", before.groups ?? [], groups]] as const) {
        const held = checkRemovals({ total: was.length, deletable: [...was] }, new Set(now), limit);
        if (held.refused) throw new BitsightError(heldRemovalMessage(kind, file, held, limit));
    }
}

/** A user whose access the file ends: expired, or removed on purpose. */
interface Leaver {
    leaving: Leaving;
    email: string;
    onDelete: OnDelete;
}

function leaversOf(read: ParsedUsersFile, today: string): Leaver[] {
    const expired = read.users.filter((u) => isExpired(u, today)).map((u): Leaver => ({ leaving: "expired", email: String(u.args.email).trim(), onDelete: u.args.onDelete ?? "delete" }));
    return [...expired, ...read.removed.map((r): Leaver => ({ leaving: "removed", email: r.email, onDelete: r.onDelete }))];
}

/**
 * Before any resource registers: a change that needs more active-user seats than the
 * account has left is refused here, not halfway through `pulumi up`. Skipped when no token
 * is configured (a program run with mocks): the provider could create nobody anyway.
 */
async function guardSeats(account: ProgramAccount, file: string, planned: PlannedResource[]): Promise<void> {
    if (!tokenConfigured()) return;
    const [users, seats] = await account.ask("counting the seats it needs", "creates users", (api) => Promise.all([account.everyone(api), api.quota()]));
    const existing = new Set(users.map((u) => u.email.toLowerCase()));
    const needed = planned.filter((r) => r.args.status !== "Deactivated" && ![r.name, ...r.aliases].some((e) => existing.has(e.toLowerCase()))).length;
    const verdict = checkSeats(file, needed, seats);
    if (verdict.refused) throw new BitsightError(verdict.message!);
    for (const said of [verdict.warning, verdict.note]) if (said) void sdk().log.warn(said);
}

/**
 * A token that is not an Admin's sees part of the account: said once, as a warning, so that
 * a preview that shows no change is not read as "in sync". A note only: a failure to ask stops nothing.
 */
async function sayWhatTheTokenSees(account: ProgramAccount): Promise<void> {
    if (!tokenConfigured()) return;
    const note = await account.ask("saying what the token sees", "is applied", (api) => partialView(api)).catch(() => null);
    if (note) void sdk().log.warn(note);
}

/** A token in the stack or the environment: without one (a program run with mocks) the program asks the account nothing. */
function tokenConfigured(): boolean {
    return !!(sdk().runtime.getConfig(CONFIG_TOKEN) ?? process.env[ENV_TOKEN]);
}

/**
 * This stack's own outputs from its last update; undefined before the first update, or when
 * the program did not export them. Read with the engine's builtin invoke, not a
 * StackReference: a registered reference is kept in the state with the outputs it read,
 * which every update that changes them makes stale, so that the next
 * `pulumi refresh --preview-only --expect-no-changes` reported drift (seen through the real
 * engine: test/engine/loops.test.ts). An invoke leaves nothing in the state to refresh.
 */
async function stackUsersBefore(): Promise<(StackUsers & { tokens?: string[]; groups?: string[] }) | undefined> {
    const name = `${organization()}/${sdk().getProject()}/${sdk().getStack()}`;
    const read = (await sdk().runtime.invoke(READ_STACK_OUTPUTS, { name })) as { outputs?: Record<string, unknown> } | undefined;
    const outputs = read?.outputs ?? {};
    const [count, deletable, demotable, tokens, groups] = [outputs["userCount"], outputs["deletableUsers"], outputs["demotableUsers"], outputs["apiTokens"], outputs["accessGroups"]];
    if (typeof count !== "number" || !Array.isArray(deletable)) return undefined;
    const texts = (v: unknown) => (Array.isArray(v) ? v.filter((e): e is string => typeof e === "string") : []);
    const emails = (v: unknown) => texts(v).map((e) => e.toLowerCase());
    return { total: count, deletable: emails(deletable), demotable: emails(demotable), tokens: texts(tokens), groups: texts(groups) };
}

/** The engine names the organization; an SDK or backend that does not is the local backend's, "organization". */
function organization(): string {
    try {
        return sdk().getOrganization();
    } catch {
        return "organization";
    }
}

export function summariseByRole(pairs: [string, string][]): Record<string, string[]> {
    const byRole: Record<string, string[]> = {};
    for (const [email, role] of pairs) (byRole[role] ??= []).push(email);
    for (const list of Object.values(byRole)) list.sort();
    return Object.fromEntries(Object.entries(byRole).sort(([a], [b]) => a.localeCompare(b)));
}

/** What the program itself asks the account (read-only), with the provider's credentials: one client, one listing. */
class ProgramAccount {
    private ctx: Context | undefined;
    private listing: Promise<ApiUser[]> | undefined;

    constructor(private readonly file: string) {}

    /** `why` and `what` name the question in the error when the account cannot be asked; `own`: the last four of the token it asks with. */
    async ask<T>(why: string, what: string, question: (api: UsersApi, own: string) => Promise<T>): Promise<T> {
        try {
            this.ctx ??= makeContext(resolveConnection({ get: (k) => sdk().runtime.getConfig(k) }, process.env));
            return await question(this.ctx.api, this.ctx.ownTokenLastFour);
        } catch (err) {
            throw new BitsightError(`${this.file} ${what}; ${why} needs the Bitsight API: ${(err as Error).message}`, { cause: err });
        }
    }

    everyone(api: UsersApi): Promise<ApiUser[]> {
        return (this.listing ??= api.listEveryone());
    }
}

