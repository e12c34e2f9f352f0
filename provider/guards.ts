// Lockout guards: never delete or demote the user behind the API token in use, nor the
// last active Admin of the account. Checked before any change, under one lock per
// process, so that two parallel deletes cannot each count on the other admin surviving.
import { BitsightError } from "./client/errors";
import type { Context } from "./context";

const ADMIN = "customer_admin";

export interface Target {
    guid: string;
    email: string | undefined;
}

/** Runs `change` only if taking `target` away (deleting it, or demoting it to `newRole`) locks nobody out. */
export async function withoutLockout<T>(ctx: Context, target: Target, newRole: string | undefined, change: () => Promise<T>): Promise<T> {
    return ctx.adminLock.run(async () => {
        await assertSafe(ctx, target, newRole);
        return change();
    });
}

async function assertSafe(ctx: Context, target: Target, newRole: string | undefined): Promise<void> {
    const what = newRole === undefined ? "delete" : `change the role of`;
    const who = `${target.email ?? target.guid} (${target.guid})`;
    const fix =
        newRole === undefined
            ? 'Set `onDelete: "retain"` on this resource to stop managing the user without deleting it.'
            : `Keep its role ${ADMIN}.`;
    const owner = await ctx.tokenOwner();
    if (!owner.guid && !owner.email) {
        throw new BitsightError(
            `Refusing to ${what} ${who}: GET /ratings/v1/users/current did not say which user the API token belongs to, so the change might lock the token out. ${fix}`,
        );
    }
    const isOwner = owner.guid === target.guid || (!!owner.email && owner.email.toLowerCase() === target.email?.toLowerCase());
    if (isOwner) {
        throw new BitsightError(`Refusing to ${what} ${who}: it is the user the API token belongs to, and the change would lock the token out. ${fix}`);
    }
    const admins = await ctx.api.list({ "roles.slug": [ADMIN], status: ["Activated"] });
    if (admins.some((a) => a.guid === target.guid) && admins.every((a) => a.guid === target.guid)) {
        throw new BitsightError(
            `Refusing to ${what} ${who}: it is the last active Admin of the account, and nobody could manage users in the Bitsight UI afterwards. ` +
                `Make another user Admin first (and let them log in once), then run again. ${fix}`,
        );
    }
}

export function demotes(oldRole: string | undefined, newRole: string): boolean {
    return oldRole === ADMIN && newRole !== ADMIN;
}
