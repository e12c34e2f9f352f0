// delete → what the resource's onDelete says:
//   delete: DELETE /ratings/v2/users/{guid}: irreversible, and it also deletes the user's
//           shared folders. 404 means already gone.
//   retain: nothing; the user stays as it is, unmanaged.
//   demote: the user stays, with the least-privileged role (bitsight:demoteRole), every
//           feature it may change turned off and the contact flag off: one PATCH, decided
//           from a fresh read, then read back and checked.
// Neither a delete nor a demotion ever touches the user behind the API token, nor the last
// Activated Admin (./guards).
import type { Context } from "../account/context";
import type { UserOutputs } from "../model/user-model";
import { managesUsers, productOf } from "../model/roles";
import { demotion } from "../account/demotion";
import type { ApiUser } from "../model/wire";
import { withoutLockout } from "./guards";
import { BitsightError } from "../base/errors";

export async function deleteUser(ctx: Context, id: string, props: Partial<UserOutputs>): Promise<void> {
    if (props.onDelete === "retain") return;
    // The engine deletes with the onDelete the state recorded, and runs deletes last: a user
    // the file now keeps demoted (removed:, with onDelete: demote) was kept so by a
    // BitsightRemovedUser earlier in this run, and is demoted, never deleted. The program
    // refuses such a run when the stack exports its outputs (../program/users-file-resources);
    // this holds when it does not. Seen through pulumi: `onDelete: demote` and `expires:`
    // merged together deleted the user (an expiry now always deletes: ../usersfile/ending).
    if (props.onDelete === "demote" || ctx.keptDemoted.has(id.toLowerCase())) return void (await demoteUser(ctx, id));
    await withoutLockout(ctx, id, { kind: "delete" }, () => ctx.api.delete(id));
}

/**
 * Demotes the user (decided from a fresh read; nothing is sent when it is demoted already),
 * then checks what it kept. The user as it now is; undefined when it is gone.
 */
export async function demoteUser(ctx: Context, id: string): Promise<ApiUser | undefined> {
    const user = await ctx.api.get(id);
    if (!user) return undefined;
    const body = demotion(user, ctx.demoteRole);
    if (Object.keys(body).length === 0) return user;
    await withoutLockout(ctx, id, { kind: "demote", role: ctx.demoteRole }, () => ctx.api.update(id, body), user);
    const after = await ctx.api.get(id);
    if (!after) return undefined;
    const left = Object.keys(demotion(after, ctx.demoteRole));
    if (left.length > 0 || managersKept(after).length > 0) {
        throw new BitsightError(
            `Bitsight demoted ${after.email} (${after.guid}) but kept ${describe(after, ctx.demoteRole)}. Remove ${left.length === 1 ? "it" : "them"} in the Bitsight UI; the user stays in the account.`,
        );
    }
    return after;
}

/** Roles of other products that manage users (a VRM Admin): the Users API cannot be relied on to take them away. */
function managersKept(user: ApiUser): string[] {
    return user.roles.map((r) => r.slug).filter((r) => productOf(r) !== "platform" && managesUsers([r]));
}

function describe(user: ApiUser, role: string): string {
    const kept: string[] = [];
    const roles = user.roles.map((r) => r.slug).filter((r) => r !== role && (productOf(r) === "platform" || managesUsers([r])));
    if (roles.length) kept.push(`the role${roles.length === 1 ? "" : "s"} ${roles.join(", ")}`);
    const on = user.features.filter((f) => f.value && f.can_update).map((f) => f.slug);
    if (on.length) kept.push(`the feature${on.length === 1 ? "" : "s"} ${on.join(", ")}`);
    if (user.is_available_for_contact) kept.push("the contact flag");
    return kept.join(" and ");
}
