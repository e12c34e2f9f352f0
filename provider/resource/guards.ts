// Lockout guards: never delete or demote the user behind the API token in use, nor the
// last Activated Admin of the account. Every decision is taken from the account as it is
// now, never from the state (which may be older than a change made in the Bitsight UI):
//
// 1. the target is read fresh; a user holding no Admin role and no company API token can
//    lock nobody out, and the change goes ahead;
// 2. otherwise, under one lock per process, the target is read again, and the change is
//    refused if it is the token's own user, or if no other Activated Admin would remain
//    (Admins this process is about to remove too do not count);
// 3. an Activated Admin is removed in two steps: first its role is lowered (which can be
//    undone), then the account is read again; if no other Activated Admin is left (another
//    run removed one at the same moment), the role is given back and the change refused;
//    only then is a delete sent. Two runs can thus never remove the last two Admins
//    between them, as long as the API lowers a role when asked (see README).
import type { Context } from "../account/context";
import { ADMIN_ROLE, isAdmin, loggedInAdmin, managesUsers } from "../model/roles";
import type { ApiUser, ApiUserWrite } from "../model/wire";
import { BitsightError } from "../base/errors";

/** A delete, a PATCH giving the user the role `role` (which is not Admin), or a demotion to `role` (onDelete "demote"). */
export type Removal = { kind: "delete" } | { kind: "role"; role: string } | { kind: "demote"; role: string };

/** The role an Admin is lowered to before being deleted: the least a user can hold. */
const STEP_DOWN_ROLE = "customer_user";

interface Wording {
    what: string;
    who: string;
    fix: string;
}

/**
 * Runs `change` (the delete or role change `removal` of the user `guid`) only if it locks
 * nobody out. Who the user is comes from the account, never from the caller's state.
 */
export async function withoutLockout<T>(ctx: Context, guid: string, removal: Removal, change: () => Promise<T>, fresh?: ApiUser): Promise<T> {
    const key = guid.toLowerCase();
    ctx.removals.add(key);
    try {
        if (!mayLockOut(fresh ?? (await ctx.api.get(guid)))) return await change();
        return await ctx.adminLock.run(async () => {
            const user = await ctx.api.get(guid);
            if (!user || !mayLockOut(user)) return change();
            const say = wording(user, removal);
            await assertNotTokenOwner(ctx, user, say);
            if (!isAdmin(slugs(user)) || user.status !== "Activated") return change();
            await assertAnotherAdmin(ctx, user, say);
            return removeAdmin(ctx, user, removal, change, say);
        });
    } finally {
        ctx.removals.delete(key);
    }
}

/** Only a user who manages users (the token's own user may be a VRM Admin), or a company-API-token user, can be a lockout. */
function mayLockOut(user: ApiUser | undefined): user is ApiUser {
    return !!user && (managesUsers(slugs(user)) || user.is_company_api_token);
}

function slugs(user: ApiUser): string[] {
    return user.roles.map((r) => r.slug);
}

function wording(user: ApiUser, removal: Removal): Wording {
    switch (removal.kind) {
        case "delete":
            return { what: "delete", who: `${user.email} (${user.guid})`, fix: 'Set `onDelete: "retain"` on this resource to stop managing the user without deleting it.' };
        case "demote":
            return { what: "demote", who: `${user.email} (${user.guid}) to ${removal.role}`, fix: 'Set `onDelete: "retain"` on this resource to stop managing the user without changing it.' };
        case "role":
            return { what: "change the role of", who: `${user.email} (${user.guid}) to ${removal.role}`, fix: `Keep its role ${ADMIN_ROLE}.` };
    }
}

async function assertNotTokenOwner(ctx: Context, user: ApiUser, say: Wording): Promise<void> {
    let owner;
    try {
        owner = await ctx.tokenOwner();
    } catch (err) {
        throw new BitsightError(`Refusing to ${say.what} ${say.who}: it is an Admin, and the change might lock the API token out. ${(err as Error).message} Nothing was changed.`, { cause: err });
    }
    if (owner.guid.toLowerCase() === user.guid.toLowerCase()) {
        throw new BitsightError(
            `Refusing to ${say.what} ${say.who}: it is the user the API token belongs to (${owner.how}), and the change would lock the token out. Nothing was changed. ${say.fix}`,
        );
    }
}

/** Active human Admins other than `guid` and other than any this process is about to remove. */
async function remainingAdmins(ctx: Context, guid: string): Promise<{ remaining: ApiUser[]; leaving: ApiUser[] }> {
    // The filters only narrow what is fetched; who counts is decided from each user's own fields.
    const admins = await ctx.api.list({ "roles.slug": [ADMIN_ROLE], status: ["Activated"], is_company_api_token: false });
    const others = admins.filter((a) => a.guid.toLowerCase() !== guid.toLowerCase() && loggedInAdmin(a));
    return {
        remaining: others.filter((a) => !ctx.removals.has(a.guid.toLowerCase())),
        leaving: others.filter((a) => ctx.removals.has(a.guid.toLowerCase())),
    };
}

async function assertAnotherAdmin(ctx: Context, user: ApiUser, say: Wording): Promise<void> {
    const { remaining, leaving } = await remainingAdmins(ctx, user.guid);
    if (remaining.length > 0) return;
    const why =
        leaving.length === 0
            ? "it is the last Activated Admin of the account"
            : `it would be the last Activated Admin of the account: this run is also removing ${leaving.map((a) => a.email).join(", ")}`;
    throw new BitsightError(
        `Refusing to ${say.what} ${say.who}: ${why}, and nobody could manage users in the Bitsight UI afterwards. ` +
            `Make another user Admin first (and let them log in once), then run again. Nothing was changed. ${say.fix}`,
    );
}

async function removeAdmin<T>(ctx: Context, user: ApiUser, removal: Removal, change: () => Promise<T>, say: Wording): Promise<T> {
    if (removal.kind !== "delete") {
        const result = await change();
        await confirmOrRestore(ctx, user, say);
        return result;
    }
    try {
        await ctx.api.update(user.guid, { roles: [{ slug: STEP_DOWN_ROLE }] });
    } catch (err) {
        throw new BitsightError(`Could not ${say.what} ${say.who}: lowering its role to ${STEP_DOWN_ROLE} first, as the guards do for an Admin, failed: ${(err as Error).message}`, { cause: err });
    }
    await confirmOrRestore(ctx, user, say);
    try {
        return await change();
    } catch (err) {
        const restored = await restoreAdmin(ctx, user);
        throw new BitsightError(`Deleting ${say.who} failed after its Admin role was lowered; ${restored}. ${(err as Error).message}`, { cause: err });
    }
}

/** After the role was lowered: if no other Activated Admin is left, give the role back and refuse. */
async function confirmOrRestore(ctx: Context, user: ApiUser, say: Wording): Promise<void> {
    if ((await remainingAdmins(ctx, user.guid)).remaining.length > 0) return;
    const restored = await restoreAdmin(ctx, user);
    throw new BitsightError(
        `Refusing to ${say.what} ${say.who}: once its role was lowered, the account had no other Activated Admin ` +
            `(another run or a person removed one at the same moment), so ${restored}. Run again once the account has another Activated Admin. ${say.fix}`,
    );
}

async function restoreAdmin(ctx: Context, user: ApiUser): Promise<string> {
    try {
        await ctx.api.update(user.guid, { roles: [{ slug: ADMIN_ROLE }] });
        return `its role ${ADMIN_ROLE} was given back`;
    } catch (err) {
        return `giving its role ${ADMIN_ROLE} back failed too (${(err as Error).message}): make ${user.email} an Admin again in the Bitsight UI now`;
    }
}

/**
 * The removal a PATCH body amounts to, if it needs the guards: setting any role but Admin
 * may take Admin away, whatever the state says the user holds now.
 */
export function roleRemoval(body: ApiUserWrite): Removal | undefined {
    const role = body.roles?.[0].slug;
    return role !== undefined && role !== ADMIN_ROLE ? { kind: "role", role } : undefined;
}

/**
 * Sends `patch` for the user `guid`, through the guards when its body may take Admin away.
 * `fresh`: the user as the caller just read it to build the body, which serves as the
 * guards' first read.
 */
export function guardedPatch<T>(ctx: Context, guid: string, body: ApiUserWrite, patch: () => Promise<T>, fresh?: ApiUser): Promise<T> {
    const removal = roleRemoval(body);
    return removal ? withoutLockout(ctx, guid, removal, patch, fresh) : patch();
}
