// `mfa: required` after a create, an adoption or an update: a user whose 2FA is
// `not_enabled` is required to set it up (POST …/require-mfa), and its state says
// `required` once the account keeps it. `pending` and `enabled` satisfy it already, and
// nothing is sent for them. A 400 is judged from the user's own mfa_status, read again:
// "already enabled" (or pending) is success, anything else is the API's refusal.
import type { Context } from "../account/context";
import { BitsightError } from "../base/errors";
import { mfaSatisfied, mfaToRequire, type UserInputs, type UserOutputs } from "../model/user-model";
import { keep, PartialFailureError } from "./partial-failure";
import type { ApiUser } from "../model/wire";

export async function requireMfa(ctx: Context, user: ApiUser, news: Pick<UserInputs, "mfa" | "email">): Promise<ApiUser> {
    if (!mfaToRequire(news.mfa, user.mfa_status)) return user;
    const answer = await ctx.api.requireMfa(user.guid);
    // The reference page says the user is now `pending`; no body says so, and a GET would cost a request a user.
    if (answer === "required") return { ...user, mfa_status: "pending" };
    const now = await ctx.api.get(user.guid);
    if (now && mfaSatisfied(now.mfa_status)) return now;
    throw new BitsightError(
        `Bitsight refused to require 2FA for ${news.email} (${user.guid}): POST /ratings/v2/users/${user.guid}/require-mfa answered 400, and the user's 2FA is ${now?.mfa_status ?? "unknown"}. ` +
            `Require it in the Bitsight UI, or remove \`mfa: required\` from the declaration.`,
    );
}

/** requireMfa, for a hook that has already written: a failure keeps the user in the state (`outs`), so the next run requires it again. */
export async function requireMfaKeeping(ctx: Context, user: ApiUser, news: UserInputs, outs: UserOutputs, provider: unknown, done: string): Promise<ApiUser> {
    try {
        return await requireMfa(ctx, user, news);
    } catch (err) {
        throw new PartialFailureError(`${done} ${news.email} (${user.guid}) but could not require 2FA: ${(err as Error).message}`, user.guid, keep(outs, provider), { cause: err });
    }
}
