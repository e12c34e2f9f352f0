// create → look the email up, then POST /ratings/v2/users, or adopt the existing user
// (PATCH it to the declared state). Transactional: if it throws without an id, nothing
// was created.
import { asUserInputs } from "./check";
import { BitsightError } from "./client/errors";
import type { Context } from "./context";
import { assertConverged } from "./converge";
import { diffUser, statusConflict, toPatchBody } from "./diff";
import { toCreateBody, toOutputs } from "./mapping";
import { keep, PartialFailureError } from "./partial";
import type { ApiUser, UserInputs, UserOutputs } from "./types";

export interface Created {
    id: string;
    outs: UserOutputs;
}

export async function createUser(ctx: Context, raw: Record<string, unknown>): Promise<Created> {
    const inputs = asUserInputs(raw);
    const existing = await ctx.api.findByEmail(inputs.email);
    if (existing && !inputs.adopt) throw new BitsightError(alreadyExists(existing, inputs));
    if (existing) return adopt(ctx, existing, inputs, raw["__provider"]);

    const created = await ctx.api.create(toCreateBody(inputs));
    const outs = toOutputs(created, inputs, { adopted: false, initialStatus: inputs.status });
    assertConverged(outs, inputs, raw["__provider"], "created");
    return { id: created.guid, outs };
}

function alreadyExists(user: ApiUser, inputs: UserInputs): string {
    const role = user.roles.map((r) => r.slug).join(",") || "no role";
    return (
        `A Bitsight user with the email ${user.email} already exists (guid ${user.guid}, role ${role}, status ${user.status}). ` +
        `To manage it with Pulumi, set \`adopt: true\` on this resource and run again: the provider then takes the user over ` +
        `and updates it to the declared state (\`pulumi import\` does not work for dynamic resources). ` +
        `If ${inputs.email} was meant to be a new user, choose another email.`
    );
}

async function adopt(ctx: Context, user: ApiUser, inputs: UserInputs, provider: unknown): Promise<Created> {
    const conflict = statusConflict(user.status, inputs.status);
    if (conflict) throw new BitsightError(`Cannot adopt ${user.email}: ${conflict}`);
    const extra = { adopted: true, initialStatus: inputs.status };
    const before = toOutputs(user, inputs, extra);
    const body = toPatchBody(diffUser(before, inputs), inputs);
    if (Object.keys(body).length === 0) return { id: user.guid, outs: before };
    let after: ApiUser | undefined;
    try {
        await ctx.api.update(user.guid, body);
        after = await ctx.api.get(user.guid);
    } catch (err) {
        // Adopted but not yet in the declared state: keep it in the state so the next run converges.
        throw new PartialFailureError(
            `Adopted ${user.email} (${user.guid}) but could not update it to the declared state: ${(err as Error).message}`,
            user.guid,
            keep(before, provider),
        );
    }
    if (!after) throw new BitsightError(`User ${user.email} (${user.guid}) disappeared from Bitsight while it was being adopted.`);
    const outs = toOutputs(after, inputs, extra);
    assertConverged(outs, inputs, provider, "adopted");
    return { id: user.guid, outs };
}
