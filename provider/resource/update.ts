// update → GET the user, PATCH /ratings/v2/users/{guid} with every declared field the
// account does not hold, then GET it back (PATCH's answer is undocumented). The PATCH is
// built from the account as it is now, not from the state: a field changed in the UI since
// the last refresh is put back in the same PATCH. Changes to adopt/onDelete alone make no
// API call.
import { asUserInputs } from "./check";
import type { Context } from "../account/context";
import { assertConverged } from "./converge";
import { requireMfaKeeping } from "./mfa";
import { diffUser, lockedFeatureConflict, statusConflict, toPatchBody } from "./diff";
import { guardedPatch } from "./guards";
import { toOutputs } from "./mapping";
import type { UserOutputs } from "../model/user-model";
import { BitsightError } from "../base/errors";

export async function updateUser(ctx: Context, id: string, olds: UserOutputs, raw: Record<string, unknown>): Promise<UserOutputs> {
    const news = asUserInputs(raw);
    const conflict = statusConflict(olds.status, news.status);
    if (conflict) throw new BitsightError(`${news.email}: ${conflict}`);
    if (!diffUser(olds, news).some((c) => c.api)) return { ...olds, adopt: news.adopt, onDelete: news.onDelete };

    const extra = { adopted: olds.adopted, initialStatus: news.status ?? olds.initialStatus };
    const now = await ctx.api.get(id);
    if (!now) throw gone(news.email, id);
    const freshConflict = statusConflict(now.status, news.status) ?? lockedFeatureConflict(toOutputs(now, news, extra), news);
    if (freshConflict) throw new BitsightError(`${news.email}: ${freshConflict}`);
    const body = toPatchBody(diffUser(toOutputs(now, news, extra), news), news, now);
    const provider = raw["__provider"];
    if (Object.keys(body).length === 0) return toOutputs(await requireMfaKeeping(ctx, now, news, toOutputs(now, news, extra), provider, "Updated"), news, extra);

    // Guarded whatever the state says the role was: the account may have made the user an Admin since.
    await guardedPatch(ctx, id, body, () => ctx.api.update(id, body), now);
    const user = await ctx.api.get(id);
    if (!user) throw gone(news.email, id);
    const outs = toOutputs(await requireMfaKeeping(ctx, user, news, toOutputs(user, news, extra), provider, "Updated"), news, extra);
    assertConverged(outs, news, provider, "updated", { before: now, after: user });
    return outs;
}

function gone(email: string, id: string): BitsightError {
    return new BitsightError(`User ${email} (${id}) was deleted from Bitsight during the update; run \`pulumi refresh\`.`);
}
