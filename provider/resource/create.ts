// create → look the email up (Account.find, ../account/account), then POST /ratings/v2/users, or adopt the existing user
// (PATCH it to the declared state). Transactional: if it throws without an id, nothing
// was created.
import { asUserInputs } from "./check";
import { BitsightApiError } from "../client/errors";
import type { Context } from "../account/context";
import { assertConverged } from "./converge";
import { requireMfaKeeping } from "./mfa";
import { diffUser, lockedFeatureConflict, statusConflict, toPatchBody } from "./diff";
import { guardedPatch } from "./guards";
import { toCreateBody, toOutputs } from "./mapping";
import { keep, PartialFailureError } from "./partial-failure";
import { roleText } from "../model/roles";
import { mfaKnown, mfaToRequire, type UserInputs, type UserOutputs } from "../model/user-model";
import type { ApiUser } from "../model/wire";
import { BitsightError } from "../base/errors";

/**
 * How old the account listing an adoption decides from may be: fresh enough that a user
 * added a moment ago is found rather than POSTed again, old enough that adopting an
 * exported account of 1,000 users still costs a listing or two, not 1,000 reads.
 */
export const ADOPT_MAX_AGE_MS = 5_000;

export interface Created {
    id: string;
    outs: UserOutputs;
}

export async function createUser(ctx: Context, raw: Record<string, unknown>): Promise<Created> {
    const inputs = asUserInputs(raw);
    // An adoption decides from a listing at most ADOPT_MAX_AGE_MS old, and reads the user
    // fresh before any PATCH: what it finds becomes the resource's state.
    const existing = await ctx.account.find(inputs.email, inputs.adopt ? { whole: true, maxAgeMs: ADOPT_MAX_AGE_MS } : {});
    // Failing anyway: the whole account says whether another user differs only in case.
    if (existing && !inputs.adopt) throw new BitsightError(alreadyExists((await ctx.account.find(inputs.email, { whole: true })) ?? existing, inputs));
    if (existing) return adopt(ctx, existing, inputs, raw["__provider"]);

    let created: ApiUser;
    try {
        created = await ctx.api.create(
            toCreateBody(inputs),
            (err) => recoverCreate(ctx, inputs.email, err),
            () => ctx.account.find(inputs.email, { fresh: true }),
        );
    } catch (err) {
        // The look-up filters may compare case; the account listing does not. A user found
        // there is why the POST was refused: say so (or adopt it), rather than pass on a bare 400.
        // If that listing fails too, the POST's own refusal is the better message.
        const found = refusedAsInvalid(err) ? await ctx.account.find(inputs.email, { whole: true, maxAgeMs: 0 }).catch(() => undefined) : undefined;
        if (found && inputs.adopt) return adopt(ctx, found, inputs, raw["__provider"]);
        if (found) throw new BitsightError(alreadyExists(found, inputs));
        throw explainRefusal(err, inputs.email);
    }
    const extra = { adopted: false, initialStatus: inputs.status };
    // A user just created has no 2FA, whatever the answer says of it: an answer without
    // mfa_status must not leave a declared requirement unsent (and says nothing otherwise).
    const fresh = inputs.mfa === undefined || mfaKnown(created.mfa_status) ? created : { ...created, mfa_status: "not_enabled" };
    const user = await requireMfaKeeping(ctx, fresh, inputs, toOutputs(created, inputs, extra), raw["__provider"], "Created");
    const outs = toOutputs(user, inputs, extra);
    assertConverged(outs, inputs, raw["__provider"], "created");
    return { id: created.guid, outs };
}

function refusedAsInvalid(err: unknown): boolean {
    return err instanceof BitsightApiError && [400, 409, 422].includes(err.status);
}

/** Bitsight caps new users at 300 a month and by the account's quota: say so plainly. */
function explainRefusal(err: unknown, email: string): unknown {
    if (!(err instanceof BitsightApiError) || ![400, 402, 403, 409, 422].includes(err.status)) return err;
    const said = err.apiMessage.toLowerCase();
    let reason: string | undefined;
    if (err.status === 402 || said.includes("quota")) {
        reason = "the account has no user quota left (GET /ratings/v1/users/quota shows it); deactivate unused users or ask Bitsight for more";
    } else if (said.includes("month")) {
        reason = "the account reached Bitsight's limit of 300 new users a month; the rest can be created next month";
    }
    if (!reason) return err;
    return new BitsightError(`Bitsight refused to create ${email}: ${reason}. Nothing was created. (${err.message})`, { cause: err });
}

/**
 * A POST that failed without a clear answer (time-out, reset, 5xx) may have created the
 * user. If the email now exists, it is the user just created: return it rather than
 * POST again and make a duplicate. If not, the POST is sent again.
 */
async function recoverCreate(ctx: Context, email: string, err: Error): Promise<ApiUser | undefined> {
    try {
        return await ctx.account.find(email, { fresh: true });
    } catch (lookup) {
        throw new BitsightError(
            `Creating ${email} got no clear answer (${err.message}), and looking the email up failed too (${(lookup as Error).message}). ` +
                `The user may or may not exist now. Run again: if Pulumi then reports that ${email} already exists, it is this user; set \`adopt: true\` to take it over.`,
            { cause: lookup },
        );
    }
}

/**
 * An existing user and no `adopt`. Where the user already matches the declaration and
 * has never logged in, it may be this very declaration's user, created by a run whose
 * provider process died after the POST and before Pulumi recorded it: the message says so. It is not adopted silently:
 * Bitsight keeps no trace of who asked for a user, so nothing proves it was that run and
 * not a person in the UI, and adopting puts the user under Pulumi's delete.
 */
function alreadyExists(user: ApiUser, inputs: UserInputs): string {
    const role = roleText(user.roles.map((r) => r.slug)) || "no role";
    const current = toOutputs(user, inputs, { adopted: false });
    const untouched = !user.last_login_time && !statusConflict(user.status, inputs.status) && diffUser(current, inputs).length === 0;
    if (untouched) {
        const joined = user.joined_time ? `joined ${user.joined_time}` : "joined at an unknown time";
        return (
            `A Bitsight user with the email ${user.email} already exists and already matches this declaration (guid ${user.guid}, role ${role}, ${joined}, never logged in). ` +
            `If an earlier \`pulumi up\` was interrupted while creating it (Pulumi then warns of a pending create operation), this is that user. ` +
            `Either way, set \`adopt: true\` on this resource and run again: taking it over changes nothing in Bitsight. ` +
            `The provider does not take it over by itself, because Bitsight records nothing that proves who created the user, and a managed user is deleted when its declaration is removed.`
        );
    }
    return (
        `A Bitsight user with the email ${user.email} already exists (guid ${user.guid}, role ${role}, status ${user.status}). ` +
        `To manage it with Pulumi, set \`adopt: true\` on this resource and run again: the provider then takes the user over ` +
        `and updates it to the declared state (\`pulumi import\` does not work for dynamic resources). ` +
        `If ${inputs.email} was meant to be a new user, choose another email.`
    );
}

async function adopt(ctx: Context, listed: ApiUser, inputs: UserInputs, provider: unknown): Promise<Created> {
    const extra = { adopted: true, initialStatus: inputs.status };
    const decide = (user: ApiUser) => {
        const before = toOutputs(user, inputs, extra);
        const conflict = statusConflict(user.status, inputs.status) ?? lockedFeatureConflict(before, inputs);
        if (conflict) throw new BitsightError(`Cannot adopt ${user.email}: ${conflict}`);
        return { before, body: toPatchBody(diffUser(before, inputs), inputs, user) };
    };
    if (Object.keys(decide(listed).body).length === 0 && !mfaToRequire(inputs.mfa, listed.mfa_status)) return { id: listed.guid, outs: decide(listed).before };
    // A write: decided from the user as it is now, not as the listing had it.
    const user = await ctx.api.get(listed.guid);
    if (!user) throw new BitsightError(`User ${listed.email} (${listed.guid}) disappeared from Bitsight while it was being adopted; run again to create it.`);
    const { before, body } = decide(user);
    if (Object.keys(body).length === 0) return { id: user.guid, outs: toOutputs(await requireMfaKeeping(ctx, user, inputs, before, provider, "Adopted"), inputs, extra) };
    // Once the PATCH is attempted the user is ours: a failure from here on keeps it in the state.
    const apply = async (): Promise<ApiUser | undefined> => {
        try {
            await ctx.api.update(user.guid, body);
            return await ctx.api.get(user.guid);
        } catch (err) {
            throw new PartialFailureError(
                `Adopted ${user.email} (${user.guid}) but could not update it to the declared state: ${(err as Error).message}`,
                user.guid,
                keep(before, provider),
                { cause: err },
            );
        }
    };
    const after = await guardedPatch(ctx, user.guid, body, apply, user);
    if (!after) throw new BitsightError(`User ${user.email} (${user.guid}) disappeared from Bitsight while it was being adopted.`);
    const outs = toOutputs(await requireMfaKeeping(ctx, after, inputs, toOutputs(after, inputs, extra), provider, "Adopted"), inputs, extra);
    assertConverged(outs, inputs, provider, "adopted", { before: user, after });
    return { id: user.guid, outs };
}
