// The file's `apiTokens:`, registered as BitsightApiToken resources. From its `expires:`
// date a token is not declared, so pulumi up revokes it; each group named is resolved
// against the account before anything registers.
import type * as pulumi from "@pulumi/pulumi";
import type { AccessGroups, UsersApi } from "../account/users-api";
import { apiTokensOrFail, mayBeHeld } from "../account/api-tokens";
import { BitsightError } from "../base/errors";
import { BitsightApiToken, type BitsightApiTokenArgs } from "../resource/api-token-resource";
import { isExpired } from "../usersfile/expiry";
import { isGroupToCreate, resolveGroup } from "../usersfile/groups";
import { declaredGroupNamed } from "../usersfile/declared-groups";
import { asList, groupResourceFor, type GroupResources } from "./access-groups";
import type { ParsedUsersFile } from "../usersfile/parse";
import { fieldName, UsersFileError, type Problem } from "../usersfile/problems";

/**
 * Before anything registers: a run that would revoke the token it holds is refused whole.
 * The engine deletes last, after every other change of the run: refused there, as
 * ../resource/api-token does, the rest would be applied and the revocation not (seen
 * through pulumi: test/engine/api-tokens.test.ts). The refusal, or undefined.
 */
export async function ownTokenRevoked(file: string, revoking: string[], api: UsersApi, ownLastFour: string): Promise<BitsightError | undefined> {
    const own = (await apiTokensOrFail(api.http)).find((t) => revoking.includes(t.description) && mayBeHeld(t, ownLastFour));
    if (!own) return undefined;
    return new BitsightError(
        `${file}: pulumi up would revoke the company API token "${own.description}" (token ${own.token}), which ends as the token this run holds: revoking it would cut the run off mid-way. ` +
            "Run this change with another Admin's or company API token (BITSIGHT_API_TOKEN, or the stack's bitsight:apiToken). Nothing was applied.",
    );
}

/**
 * The tokens to declare, groups resolved: called before anything registers, so that a group
 * the account lacks stops the run with nothing applied. `groups` is asked only when a token names one.
 */
export async function apiTokensToDeclare(read: ParsedUsersFile, today: string, groups: () => Promise<AccessGroups>): Promise<BitsightApiTokenArgs[]> {
    const live = read.apiTokens.filter((t) => !isExpired(t, today));
    // Each expired one is warned of with the users (../usersfile/expiry).
    // A group the file declares resolves without the account; any other needs it.
    const account = live.some((t) => t.group !== undefined && !declaredGroupNamed(read.groups, t.group)) ? await groups() : { groups: [] };
    const problems: Problem[] = [];
    const resolved = live.map((t) => {
        if (t.group === undefined) return { t, group: undefined, groupName: undefined };
        const guid = resolveGroup(t.group, account, read.groups);
        if (typeof guid !== "string") {
            const at = [...t.path, "group"];
            problems.push({ file: read.file, ...read.locator.value(at), field: fieldName(at), message: guid.problem });
            return { t, group: undefined, groupName: undefined };
        }
        return { t, group: guid, groupName: isGroupToCreate(guid) ? guid : account.groups.find((g) => g.guid.toLowerCase() === guid)?.name };
    });
    if (problems.length) throw new UsersFileError(read.file, problems);
    return resolved.map(({ t, group, groupName }) => ({
        description: t.description,
        email: t.for,
        reason: t.reason,
        ...(group ? { group } : {}),
        ...(groupName ? { groupName } : {}),
        ...(t.expires ? { expires: t.expires } : {}),
    }));
}

/** A token in a group the file declares is made after it; in one the account lacks yet, with its GUID once made. */
export function apiTokenResources(declared: BitsightApiTokenArgs[], opts: pulumi.CustomResourceOptions, groups: GroupResources): BitsightApiToken[] {
    // The users' aliases name BitsightUsers: none of them may name a token.
    const { aliases: _aliases, ...own } = opts;
    return declared.map((args) => {
        const group = groupResourceFor(args.group, groups);
        if (!group) return new BitsightApiToken(String(args.description), args, own);
        const wired = isGroupToCreate(args.group) ? { ...args, group: group.id } : args;
        return new BitsightApiToken(String(args.description), wired, { ...own, dependsOn: [...asList(own.dependsOn), group] });
    });
}
