// delete → DELETE /ratings/v2/users/{guid}: irreversible, and it also deletes the user's
// shared folders. 404 means already gone. Never deletes the user behind the API token,
// nor the last active Admin (./guards).
import type { Context } from "../account/context";
import { withoutLockout } from "./guards";
import type { UserOutputs } from "../user-model";

export async function deleteUser(ctx: Context, id: string, props: Partial<UserOutputs>): Promise<void> {
    if (props.onDelete === "retain") return;
    await withoutLockout(ctx, id, { kind: "delete" }, () => ctx.api.delete(id));
}
