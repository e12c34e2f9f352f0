// read → GET /ratings/v2/users/{guid}. Gone: no id, so a refresh drops the resource.
// Returns the inputs too (SDK >= 3.216), restated from what the account holds, so that
// a refresh followed by a preview shows exactly what changed behind Pulumi's back.
import type { Context } from "../account/context";
import { inputsFromOutputs, toOutputs } from "./mapping";
import { rolesOf } from "../model/roles";
import { MFA_REQUIRED, type UserOutputs } from "../model/user-model";

export interface ReadOutcome {
    id?: string;
    props?: UserOutputs;
    inputs?: Record<string, unknown>;
}

export async function readUser(ctx: Context, id: string, props: Partial<UserOutputs>): Promise<ReadOutcome> {
    const user = await ctx.account.read(id);
    if (!user) return {};
    const outs = toOutputs(
        user,
        {
            email: props.email ?? user.email,
            role: rolesOf(props.role)[0],
            group: props.group,
            features: props.features,
            isAvailableForContact: props.isAvailableForContact,
            isCompanyApiToken: props.isCompanyApiToken,
            // Declared when the state records it, whatever the account says now: a reset is then drift.
            mfa: props.mfa === undefined ? undefined : MFA_REQUIRED,
            adopt: props.adopt ?? false,
            onDelete: props.onDelete ?? "delete",
        },
        { adopted: props.adopted ?? false, initialStatus: props.initialStatus },
    );
    return { id: user.guid, props: outs, inputs: inputsFromOutputs(outs) };
}
