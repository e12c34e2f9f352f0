// A group the file stops declaring is deleted by pulumi up: never while someone would still
// be in it, nor the default or All Companies group. Decided here once, for the program
// (which refuses the run before anything registers) and for plan (which shows it blocked);
// free of the Pulumi SDK, which the CLI does not load.
import { inGroup, type AccessGroup } from "../account/access-groups";
import { emailKey } from "../model/user-model";
import type { ApiUser } from "../model/wire";

/** Who a group would still hold after this run: the account's users in it, but those the file moves out or this run deletes. */
export function stayingMembers(group: { guid: string }, everyone: ApiUser[], declaredUsers: Map<string, unknown>, deleting: Set<string>): string[] {
    const guid = group.guid.toLowerCase();
    return everyone
        .filter((u) => inGroup(u, guid))
        .filter((u) => {
            const key = emailKey(u.email);
            if (deleting.has(key)) return false;
            const to = declaredUsers.get(key);
            return to === undefined || String(to).toLowerCase() === guid;
        })
        .map((u) => u.email)
        .sort();
}

/** Why a group leaving the file cannot be deleted by this run, or undefined. */
export function leavingProblem(g: AccessGroup, staying: string[]): string | undefined {
    if (g.allCompanies) return `"${g.name}" is the account's All Companies group: keep it in the file`;
    if (g.isDefault) return `"${g.name}" is the account's default group: set \`isDefault: true\` on another group in the same change`;
    if (!staying.length) return undefined;
    return `"${g.name}" would still hold ${staying.length} user${staying.length === 1 ? "" : "s"} (${staying.slice(0, 20).join(", ")}${staying.length > 20 ? `, and ${staying.length - 20} more` : ""}): give them another \`group:\` in the file, or keep the group`;
}

