// Between Bitsight's snake_case User and the resource's camelCase shapes.
import { roleText, splitRoles } from "../model/roles";
import { MFA_REQUIRED, mfaSatisfied, type FeatureSlug, type Features, type MfaRequirement, type OnDelete, type UserInputs, type UserOutputs, type UserStatus } from "../model/user-model";
import type { ApiUser, ApiUserWrite } from "../model/wire";

export function toCreateBody(inputs: UserInputs): ApiUserWrite {
    const body: ApiUserWrite = {
        email: inputs.email,
        formal_name: inputs.formalName,
        friendly_name: inputs.friendlyName,
        roles: [{ slug: inputs.role }],
    };
    if (inputs.group !== undefined) body.group = inputs.group;
    if (inputs.features !== undefined) {
        body.features = Object.entries(inputs.features).map(([slug, value]) => ({ slug, value: value === true }));
    }
    if (inputs.isAvailableForContact !== undefined) body.is_available_for_contact = inputs.isAvailableForContact;
    if (inputs.isCompanyApiToken !== undefined) body.is_company_api_token = inputs.isCompanyApiToken;
    if (inputs.status !== undefined) body.status = inputs.status;
    return body;
}

/** What decides the shape of the outputs: which optional fields the user manages, and the provider's own settings. */
export interface Declaration {
    email: string;
    /** The declared role: the state's `role` is what the user holds in its product (../model/roles splitRoles). */
    role?: string | undefined;
    group?: string | undefined;
    features?: Features | undefined;
    isAvailableForContact?: boolean | undefined;
    isCompanyApiToken?: boolean | undefined;
    mfa?: MfaRequirement | undefined;
    adopt: boolean;
    onDelete: OnDelete;
}

function sameText(a: string | undefined, b: string | undefined): boolean {
    return a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();
}

/**
 * The state after a call: the values the account really has, for the fields the
 * declaration manages. Where the account holds the declared value in another case
 * (email, GUID), the declared spelling is kept so that it never shows as a change.
 */
export function toOutputs(
    user: ApiUser,
    decl: Declaration,
    extra: { adopted: boolean; initialStatus?: UserStatus | undefined },
): UserOutputs {
    const { same, others } = splitRoles(user.roles.map((r) => r.slug), decl.role);
    const role = user.roles.find((r) => r.slug === same[0]) ?? user.roles[0];
    const out: UserOutputs = {
        email: sameText(user.email, decl.email) ? decl.email : user.email,
        formalName: user.formal_name,
        friendlyName: user.friendly_name,
        role: roleText(same),
        adopt: decl.adopt,
        onDelete: decl.onDelete,
        guid: user.guid,
        status: user.status,
        groupName: user.group?.name ?? null,
        roleName: role?.name ?? null,
        joinedTime: user.joined_time ?? null,
        lastLoginTime: user.last_login_time ?? null,
        mfaStatus: user.mfa_status ?? null,
        adopted: extra.adopted,
    };
    if (decl.group !== undefined) {
        const observed = user.group?.guid;
        out.group = sameText(observed, decl.group) ? decl.group : (observed ?? "");
    }
    if (decl.features !== undefined) {
        const features: Features = {};
        const locked: FeatureSlug[] = [];
        for (const slug of Object.keys(decl.features) as FeatureSlug[]) {
            // A value the provider cannot hold is never compared: it is a feature this user cannot have changed.
            if (user.unheldFeatures?.some((x) => x.slug === slug)) locked.push(slug);
            const f = user.features.find((x) => x.slug === slug);
            if (!f) continue;
            features[slug] = f.value;
            if (!f.can_update) locked.push(slug);
        }
        out.features = features;
        // Known before any PATCH: `diff` refuses to change these instead of failing after the write.
        if (locked.length > 0) out.lockedFeatures = locked;
    }
    if (decl.isAvailableForContact !== undefined) out.isAvailableForContact = user.is_available_for_contact;
    if (decl.isCompanyApiToken !== undefined) out.isCompanyApiToken = user.is_company_api_token;
    if (decl.mfa !== undefined) out.mfa = mfaSatisfied(user.mfa_status) ? MFA_REQUIRED : "not_enabled";
    if (extra.initialStatus !== undefined) out.initialStatus = extra.initialStatus;
    // Shown, never compared: a VRM or TMH role is assigned in its own application.
    if (others.length > 0) out.otherRoles = roleText(others);
    return out;
}

/** The outputs restated as inputs, for `read`: a refresh then shows only what changed in the account. */
export function inputsFromOutputs(o: UserOutputs): Record<string, unknown> {
    const inputs: Record<string, unknown> = {
        email: o.email,
        formalName: o.formalName,
        friendlyName: o.friendlyName,
        role: o.role,
        adopt: o.adopt,
        onDelete: o.onDelete,
    };
    if (o.group !== undefined) inputs["group"] = o.group;
    if (o.features !== undefined) inputs["features"] = o.features;
    if (o.isAvailableForContact !== undefined) inputs["isAvailableForContact"] = o.isAvailableForContact;
    if (o.isCompanyApiToken !== undefined) inputs["isCompanyApiToken"] = o.isCompanyApiToken;
    // The declaration, restated: a reset in the UI then shows as the difference it is.
    if (o.mfa !== undefined) inputs["mfa"] = MFA_REQUIRED;
    if (o.initialStatus !== undefined) inputs["status"] = o.initialStatus;
    return inputs;
}
