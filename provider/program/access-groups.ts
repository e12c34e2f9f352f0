// The file's `groups:`, registered as BitsightAccessGroup resources, and the users and
// tokens that name them wired to them: a group the account lacks is made before anyone
// lands in it (its id, the GUID once made, is their `group`), and one that leaves the file is
// deleted after its users moved out. A group that would be left holding someone is
// refused before anything registers: the engine deletes last, so a refusal at delete
// would leave the rest of the run applied.
import type * as pulumi from "@pulumi/pulumi";
import { GROUP_FLAGS, heldAs, type AccessGroups } from "../account/access-groups";
import { leavingProblem, stayingMembers } from "../usersfile/leaving-groups";
import { BitsightError } from "../base/errors";
import type { ApiUser } from "../model/wire";
import { BitsightAccessGroup } from "../resource/access-group-resource";
import { isGroupToCreate } from "../usersfile/groups";
import { groupNames, type DeclaredGroup } from "../usersfile/model";
import type { PlannedResource } from "../usersfile/resources";

/** The declared groups' resources, by lower-cased name and by the account's GUID of each one it already has. */
export type GroupResources = Map<string, BitsightAccessGroup>;

export function accessGroupResources(groups: DeclaredGroup[], account: AccessGroups | undefined, opts: pulumi.CustomResourceOptions): GroupResources {
    // The users' aliases name BitsightUsers: none of them may name a group.
    const { aliases: _aliases, ...own } = opts;
    const made: GroupResources = new Map();
    for (const g of groups) {
        const flags = Object.fromEntries(GROUP_FLAGS.flatMap((k) => (g[k] === undefined ? [] : [[k, g[k]]])));
        const args = { name: g.name, ...flags, ...(g.companies ? { companies: g.companies } : {}), ...(g.reason ? { reason: g.reason } : {}) };
        // A former name is the same resource: renamed in place, its GUID, users and companies kept.
        const aliases = (g.formerNames ?? []).map((name) => ({ name }));
        const r = new BitsightAccessGroup(g.name, { ...args, ...(g.formerNames?.length ? { formerNames: g.formerNames } : {}) }, { ...own, ...(aliases.length ? { aliases } : {}) });
        made.set(g.name.toLowerCase(), r);
        for (const held of account ? heldAs(g, account) : []) made.set(held.guid.toLowerCase(), r);
    }
    return made;
}

/** The group resource a resolved `group` (a GUID, or the name of a group to create) stands for. */
export function groupResourceFor(resolved: unknown, made: GroupResources): BitsightAccessGroup | undefined {
    return typeof resolved === "string" ? made.get(resolved.toLowerCase()) : undefined;
}

/** A user's args and options with its group wired: a group to create is its resource's id (its GUID); a declared one, a dependency. */
export function wiredToGroup(r: PlannedResource, made: GroupResources): { args: PlannedResource["args"]; dependsOn: BitsightAccessGroup[] } {
    const group = groupResourceFor(r.args.group, made);
    if (!group) return { args: r.args, dependsOn: [] };
    return { args: isGroupToCreate(r.args.group) ? { ...r.args, group: group.id } : r.args, dependsOn: [group] };
}

export interface LeavingGroups {
    file: string;
    /** The names of the groups the stack managed at its last update. */
    before: string[];
    declared: DeclaredGroup[];
    account: AccessGroups;
    everyone: ApiUser[];
    /** Lower-cased email → the group GUID (or name to create) the file gives each declared user. */
    declaredUsers: Map<string, unknown>;
    /** Lower-cased emails of the users this run deletes. */
    deleting: Set<string>;
}

/** The groups this run deletes (the stack's, gone from the file): refused whole when one would still hold someone, or is the default. */
export function refuseLeavingGroups(x: LeavingGroups): BitsightError | undefined {
    const names = new Set(x.declared.flatMap(groupNames).map((n) => n.toLowerCase()));
    const leaving = x.account.groups.filter((g) => x.before.some((b) => b.toLowerCase() === g.name.toLowerCase()) && !names.has(g.name.toLowerCase()));
    const problems = leaving.flatMap((g) => leavingProblem(g, stayingMembers(g, x.everyone, x.declaredUsers, x.deleting)) ?? []);
    if (!problems.length) return undefined;
    return new BitsightError(`${x.file}: pulumi up would delete access groups it cannot: ${problems.join("; ")}. Nothing was applied.`);
}

/** The caller's own dependsOn, as a list to add to. */
export function asList(v: pulumi.CustomResourceOptions["dependsOn"]): pulumi.Input<pulumi.Resource>[] {
    return Array.isArray(v) ? v : v === undefined ? [] : [v as pulumi.Input<pulumi.Resource>];
}
