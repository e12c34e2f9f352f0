// update → PATCH /ratings/v2/users/{guid} with only the changed fields, then GET the user
// back (PATCH's answer is undocumented). Changes to adopt/onDelete alone make no API call.
import { asUserInputs } from "./check";
import { BitsightError } from "./client/errors";
import type { Context } from "./context";
import { assertConverged } from "./converge";
import { diffUser, statusConflict, toPatchBody } from "./diff";
import { guardedPatch } from "./guards";
import { toOutputs } from "./mapping";
import type { UserOutputs } from "./types";

export async function updateUser(ctx: Context, id: string, olds: UserOutputs, raw: Record<string, unknown>): Promise<UserOutputs> {
    const news = asUserInputs(raw);
    const conflict = statusConflict(olds.status, news.status);
    if (conflict) throw new BitsightError(conflict);
    const body = toPatchBody(diffUser(olds, news), news);
    if (Object.keys(body).length === 0) return { ...olds, adopt: news.adopt, onDelete: news.onDelete };

    // Guarded whatever the state says the role was: the account may have made the user an Admin since.
    await guardedPatch(ctx, id, body, () => ctx.api.update(id, body));
    const user = await ctx.api.get(id);
    if (!user) throw new BitsightError(`User ${news.email} (${id}) was deleted from Bitsight during the update; run \`pulumi refresh\`.`);
    const outs = toOutputs(user, news, { adopted: olds.adopted, initialStatus: news.status ?? olds.initialStatus });
    assertConverged(outs, news, raw["__provider"], "updated");
    return outs;
}
