// How export and pull write an account's access group under `groups:`: by name, with the
// flags the account says it has (isDefault only when true). All Companies is built in, and
// never written. A group whose name another group shares (the file knows a group by its
// name) is not written: why, instead.
import { GROUP_FLAGS, type AccessGroup, type AccessGroups } from "../account/access-groups";
import { forTerminal as t } from "../escape/terminal";

export interface GroupEntry {
    name: string;
    isDefault?: true;
    allowBundledCompanies?: boolean;
    canSetTierScope?: boolean;
}

/** The groups a file would declare: every one but All Companies. */
export function writableGroups(all: AccessGroups): AccessGroup[] {
    return all.groups.filter((g) => !g.allCompanies).sort((a, b) => a.name.localeCompare(b.name) || a.guid.localeCompare(b.guid));
}

/** Said above each written entry. */
export function groupComment(g: AccessGroup): string {
    return ` guid ${t(g.guid)}${g.userCount !== undefined ? `, ${g.userCount} user${g.userCount === 1 ? "" : "s"}` : ""}; say what it is for with reason:`;
}

/** The entry, or why the group cannot be written. */
export function groupEntry(g: AccessGroup, all: AccessGroups): GroupEntry | { left: string } {
    if (all.groups.filter((o) => o.name.toLowerCase() === g.name.toLowerCase()).length > 1) {
        return { left: `access group ${t(g.name)} (${t(g.guid)}): another group has the same name, and the file knows a group by it; rename one in the Bitsight UI` };
    }
    // isDefault only where true: `false` is never sent (../resource/access-group), so never worth writing.
    const flags = GROUP_FLAGS.flatMap((k) => (g[k] === undefined || (k === "isDefault" && !g[k]) ? [] : [[k, g[k]]]));
    return { name: g.name, ...Object.fromEntries(flags) } as GroupEntry;
}
