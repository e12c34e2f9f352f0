// How export and pull write an account's company API token under `apiTokens:`. Bitsight
// keeps no person for a token: `for:` is the user named as its creator, when exactly one
// user has that name. A token whose creator is nobody's (or several users') name, or whose
// description another token shares (the file knows a token by it), is not written: why, instead.
import type { ApiToken } from "../account/api-tokens";
import type { AccessGroups } from "../account/users-api";
import type { ApiUser } from "../model/wire";
import { forTerminal as t } from "../escape/terminal";

export interface TokenEntry {
    description: string;
    for: string;
    group?: string;
    reason: string;
}

/** Said above each written entry. */
export function tokenComment(tok: ApiToken): string {
    return ` guid ${t(tok.guid)}, token ${t(tok.token)}; for: is its creator, as Bitsight keeps no person for a token: correct it if another holds it`;
}

/** The entry, or why the token cannot be written. `all`: every token of the account; `people`: its users. */
export function tokenEntry(tok: ApiToken, all: ApiToken[], people: ApiUser[], groups: AccessGroups): TokenEntry | { left: string } {
    const named = `token ${t(tok.description)} (${tok.token})`;
    if (all.filter((o) => o.description === tok.description).length > 1) {
        return { left: `${named}: another token has the same description, and the file knows a token by it; revoke one in the Bitsight UI` };
    }
    const creators = people.filter((u) => !u.is_company_api_token && tok.creatorName !== null && u.formal_name === tok.creatorName);
    if (creators.length !== 1) {
        return { left: `${named}: its creator (${t(tok.creatorName ?? "not given")}) is ${creators.length ? "the name of several users" : "no user's name"}, so nobody can be written as for:; declare it by hand` };
    }
    const entry: TokenEntry = { description: tok.description, for: creators[0]!.email, reason: `created ${tok.createdDate.slice(0, 10)} by ${tok.creatorName} in the account; say what uses it` };
    // By name where it names one group, and only when not the default: the file's default.
    const group = tok.group === null ? [] : groups.groups.filter((g) => g.name === tok.group);
    if (group.length === 1 && group[0]!.guid.toLowerCase() !== groups.defaultGroup?.toLowerCase()) entry.group = tok.group!;
    return { description: entry.description, for: entry.for, ...(entry.group ? { group: entry.group } : {}), reason: entry.reason };
}
