// delete → DELETE /ratings/v2/users/{guid}: irreversible, and it also deletes the user's
// shared folders. 404 means already gone. Never deletes the user behind the API token.
import { BitsightError } from "./client/errors";
import type { Context } from "./context";
import type { UserOutputs } from "./types";

export async function deleteUser(ctx: Context, id: string, props: Partial<UserOutputs>): Promise<void> {
    if (props.onDelete === "retain") return;
    const owner = await ctx.tokenOwner();
    if (!owner.guid && !owner.email) {
        throw new BitsightError(
            `Refusing to delete ${props.email ?? id}: GET /ratings/v1/users/current did not say which user the API token belongs to, ` +
                `so deleting might lock the token out. Set \`onDelete: "retain"\` to remove it from Pulumi without deleting it.`,
        );
    }
    const isOwner = owner.guid === id || (!!owner.email && owner.email.toLowerCase() === props.email?.toLowerCase());
    if (isOwner) {
        throw new BitsightError(
            `Refusing to delete ${props.email ?? id} (${id}): it is the user the API token belongs to, and deleting it would ` +
                `revoke the token. Set \`onDelete: "retain"\` on this resource to stop managing it without deleting it.`,
        );
    }
    await ctx.api.delete(id);
}
