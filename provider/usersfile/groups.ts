// Access groups by name as well as GUID, resolved against GET /ratings/v1/access-groups.
// Names are not documented as unique: no match or several matches is an error naming the candidates.
// A group the file's `groups:` declares resolves to the account's group of that exact name
// (pulumi up adopts it), or, where the account has none yet, stays its declared name: the
// program hands such a user the group resource's GUID, so the group is made first.
import type { AccessGroups } from "../account/users-api";
import { closest } from "../package/schema";
import { GUID } from "../model/user-model";
import type { DeclaredUser, ParsedUsersFile } from "./parse";
import type { DeclaredGroup } from "./model";
import { declaredGroupNamed } from "./declared-groups";
import { heldAs } from "../account/access-groups";
import { fieldName, UsersFileError, type Problem } from "./problems";


/** Whether a user names a group only the account can resolve: one the file's `groups:` does not declare. */
export function needsGroups(parsed: ParsedUsersFile): boolean {
    return parsed.users.some((u) => u.args.group !== undefined && !declaredGroupNamed(parsed.groups, String(u.args.group)));
}

/** Each user's `group` as a GUID of the account; throws UsersFileError naming every reference that does not resolve. */
export function resolveGroups(parsed: ParsedUsersFile, account: AccessGroups): DeclaredUser[] {
    const problems = new Map<string, Problem>();
    const resolved = parsed.users.map((u) => {
        const ref = u.args.group?.trim();
        if (ref === undefined) return u;
        const answer = resolveGroup(ref, account, parsed.groups);
        if (typeof answer === "string") return { ...u, args: { ...u.args, group: answer } };
        // A bad reference in defaults is shared by many users: report it once, where it is written.
        const path = u.origin["group"] ?? [...u.path, "group"];
        const where = parsed.locator.value(path);
        problems.set(`${where.line}:${where.col}`, { file: parsed.file, ...where, field: fieldName(path), message: answer.problem });
        return u;
    });
    if (problems.size > 0) throw new UsersFileError(parsed.file, [...problems.values()]);
    return resolved;
}

/** A group reference (name or GUID) as the account's lower-cased GUID; undefined when it matches no group or several. */
export function groupGuid(ref: unknown, account: AccessGroups): string | undefined {
    if (typeof ref !== "string") return undefined;
    const answer = resolve(ref.trim(), account);
    return typeof answer === "string" ? answer : undefined;
}

/** How a users file writes the group with this GUID: by name when no other group shares it (it would not resolve), else by GUID. */
export function groupReference(guid: string, account: AccessGroups): string {
    const g = account.groups.find((x) => x.guid.toLowerCase() === guid.toLowerCase());
    return g && account.groups.filter((x) => x.name === g.name).length === 1 ? g.name : guid;
}

/**
 * A group reference (name or GUID) as the account's lower-cased GUID, or what is wrong with
 * it; a group `declared` in the file that the account does not have yet, as its declared name.
 */
export function resolveGroup(ref: string, account: AccessGroups, declared: DeclaredGroup[] = []): string | { problem: string } {
    const mine = declaredGroupNamed(declared, ref);
    if (!mine) return resolve(ref, account);
    const held = heldAs(mine, account);
    if (held.length > 1) return { problem: `"${mine.name}" names ${held.length} access groups in the account (${held.map((g) => g.guid).join(", ")}): pulumi up cannot adopt one; rename or delete the extra ones in the Bitsight UI` };
    return held[0] ? held[0].guid.toLowerCase() : mine.name;
}

/** Whether a resolved `group` is a group the file creates (its name), not yet a GUID of the account. */
export function isGroupToCreate(resolved: unknown): resolved is string {
    return typeof resolved === "string" && !GUID.test(resolved);
}

function resolve(ref: string, account: AccessGroups): string | { problem: string } {
    const list = account.groups.map((g) => `"${g.name}"`).join(", ");
    if (GUID.test(ref)) {
        const g = account.groups.find((x) => x.guid.toLowerCase() === ref.toLowerCase());
        return g ? g.guid.toLowerCase() : { problem: `no access group has the GUID ${ref} in this account; its groups are ${list}` };
    }
    let matches = account.groups.filter((g) => g.name === ref);
    if (matches.length === 0) matches = account.groups.filter((g) => g.name.toLowerCase() === ref.toLowerCase());
    if (matches.length === 1) return matches[0]!.guid.toLowerCase();
    if (matches.length > 1) {
        return {
            problem: `"${ref}" names ${matches.length} access groups (${matches.map((g) => g.guid).join(", ")}); write the GUID of the one you mean`,
        };
    }
    const guess = closest(ref, account.groups.map((g) => g.name));
    return { problem: `no access group is named "${ref}"${guess ? ` (did you mean "${guess}"?)` : ""}; the account's groups are ${list}` };
}
