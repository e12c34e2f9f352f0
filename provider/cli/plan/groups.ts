// The plan's access groups: the file's `groups:` against the account's listing, read-only.
// A declared group the account lacks is created; one it has (by exact name) is adopted,
// and its declared flags that differ are changed; with --state, a group the stack manages
// that the file no longer declares is deleted, unless it would still hold someone (as the
// program refuses: ../../usersfile/leaving-groups); once the file has the section, every other
// group of the account but All Companies is a difference, with how many users it holds.
import { GROUP_FLAGS as FLAGS, heldAs, memberCount, type AccessGroup, type AccessGroups } from "../../account/access-groups";
import type { ApiUser } from "../../model/wire";
import { emailKey } from "../../model/user-model";
import { leavingProblem, stayingMembers } from "../../usersfile/leaving-groups";
import type { DeclaredUser } from "../../usersfile/parse";
import { groupNames, type DeclaredGroup } from "../../usersfile/model";
import type { AccountGroup, ChangedGroup, DeletedGroup, PlannedGroup } from "./shape";

export interface GroupsInput {
    declared: DeclaredGroup[];
    account: AccessGroups;
    /** Every user of the account: who is in each group. */
    everyone: ApiUser[];
    /** The declared users, groups resolved (a group to create: its name). */
    users: DeclaredUser[];
    /** Lower-cased group GUID → the companies it sees now, for each declared group whose companies: the file declares. */
    companies?: ReadonlyMap<string, string[]>;
    /** With --state: the groups the stack manages, and the users it deletes. */
    managed?: { groups: { guid: string; name: string }[]; deleting: Set<string> };
}

export interface PlannedGroups {
    create: PlannedGroup[];
    change: ChangedGroup[];
    remove: DeletedGroup[];
    undeclared: AccountGroup[];
    warnings: string[];
}


export function planGroups({ declared, account, everyone, users, managed, companies }: GroupsInput): PlannedGroups {
    const out: PlannedGroups = { create: [], change: [], remove: [], undeclared: [], warnings: [] };
    const members = (g: AccessGroup) => memberCount(g, everyone);
    const joining = (name: string, guid: string | null) =>
        users.filter((u) => typeof u.args.group === "string" && (u.args.group.toLowerCase() === name.toLowerCase() || (guid !== null && u.args.group.toLowerCase() === guid.toLowerCase()))).length;
    const anotherDefault = (g: DeclaredGroup) => declared.some((d) => d !== g && d.isDefault === true);
    for (const d of declared) {
        const held = heldAs(d, account);
        if (held.length > 1) out.warnings.push(`${held.length} access groups are named "${d.name}" (${held.map((g) => g.guid).join(", ")}): pulumi up refuses to pick one; rename or delete the extra in the Bitsight UI`);
        const g = held[0];
        if (!g) {
            out.create.push({ name: d.name, isDefault: d.isDefault ?? null, allowBundledCompanies: d.allowBundledCompanies ?? null, canSetTierScope: d.canSetTierScope ?? null, reason: d.reason ?? null, companies: d.companies ?? null, declaredUsers: joining(d.name, null) });
            continue;
        }
        if (held.length > 1) continue;
        const changes = FLAGS.filter((k) => d[k] !== undefined && g[k] !== undefined && d[k] !== g[k]).map((k) => ({ field: k, from: g[k]!, to: d[k]! }));
        const blocked = changes.some((c) => c.field === "isDefault" && c.to === false) && !anotherDefault(d) ? [`isDefault: Bitsight unsets a default group only by making another the default: set \`isDefault: true\` on the group that should be`] : [];
        const applied = changes.filter((c) => !(c.field === "isDefault" && c.to === false));
        const sees = companies?.get(g.guid.toLowerCase());
        const companiesAdded = d.companies && sees ? d.companies.filter((c) => !sees.includes(c)) : [];
        const companiesRemoved = d.companies && sees ? sees.filter((c) => !d.companies!.includes(c)) : [];
        if (d.companies && g.allCompanies) blocked.push("companies: All Companies sees every company; leave companies: out of its entry");
        const renamedFrom = g.name !== d.name ? g.name : null;
        if (renamedFrom !== null || applied.length || blocked.length || companiesAdded.length || companiesRemoved.length) out.change.push({ name: d.name, guid: g.guid, renamedFrom, changes: applied, blocked, companiesAdded, companiesRemoved, members: members(g) });
    }
    const declaredNames = new Set(declared.flatMap(groupNames).map((n) => n.toLowerCase()));
    const dropped = new Set((managed?.groups ?? []).filter((m) => !declaredNames.has(m.name.toLowerCase())).map((m) => m.guid.toLowerCase()));
    const moving = new Map(users.map((u) => [emailKey(String(u.args.email)), u.args.group as unknown]));
    for (const g of account.groups) {
        if (declaredNames.has(g.name.toLowerCase())) continue;
        if (dropped.has(g.guid.toLowerCase())) {
            const staying = stayingMembers(g, everyone, moving, managed!.deleting);
            const problem = leavingProblem(g, staying);
            out.remove.push({ name: g.name, guid: g.guid, members: members(g), staying, state: problem ? "blocked" : "to-delete", detail: problem ?? null });
            continue;
        }
        if (g.allCompanies) continue;
        out.undeclared.push({ guid: g.guid, name: g.name, isDefault: g.isDefault ?? false, members: members(g) });
    }
    for (const m of managed?.groups ?? []) {
        if (dropped.has(m.guid.toLowerCase()) && !account.groups.some((g) => g.guid.toLowerCase() === m.guid.toLowerCase())) {
            out.remove.push({ name: m.name, guid: m.guid, members: 0, staying: [], state: "gone", detail: null });
        }
    }
    const order = <T extends { name: string }>(list: T[]) => list.sort((a, b) => a.name.localeCompare(b.name));
    order(out.create);
    order(out.change);
    order(out.remove);
    order(out.undeclared);
    return out;
}
