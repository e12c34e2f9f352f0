// The three shapes of a BitsightUser, as in pulumi/examples ts-raw-api-providers:
// what a program passes (Args), what `check` hands on (Inputs), what the state keeps (Outputs).
import type * as pulumi from "@pulumi/pulumi";

/** The resource's type token: Pulumi's dynamic-provider prefix, module `bitsight`, type `User`. */
export const USER_TYPE = "pulumi-nodejs:dynamic/bitsight:User";

export const ROLE_SLUGS = [
    "customer_admin",
    "customer_group_admin",
    "customer_portfolio_manager",
    "customer_user",
    "vrm_admin",
    "vrm_operations",
    "vrm_view_only",
    "vrm_internal_business_user",
    "vulnerability_response_outreach",
] as const;
export type RoleSlug = (typeof ROLE_SLUGS)[number];

export const FEATURE_SLUGS = ["wfh-ro", "fq-access"] as const;
export type FeatureSlug = (typeof FEATURE_SLUGS)[number];

export const USER_STATUSES = ["Created", "Activated", "Deactivated"] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

/** What removing the resource does: delete the user, retain it as it is, or demote it (keep the user, without privilege). */
export type OnDelete = "delete" | "retain" | "demote";
export const ON_DELETE: readonly OnDelete[] = ["delete", "retain", "demote"];

/** How two emails are compared, everywhere: Bitsight takes an email in any case as the same user. */
export function emailKey(email: string): string {
    return email.trim().toLowerCase();
}

/** A Bitsight GUID (users, access groups), in any case. */
export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export type Features = Partial<Record<FeatureSlug, boolean>>;

/** What a Pulumi program declares. */
export interface BitsightUserArgs {
    /** The user's email address, also their login. Compared case-insensitively. */
    email: pulumi.Input<string>;
    /** Full name (Bitsight `formal_name`). */
    formalName: pulumi.Input<string>;
    /** Preferred name (Bitsight `friendly_name`). */
    friendlyName: pulumi.Input<string>;
    /** The one role slug, e.g. `customer_user`. */
    role: pulumi.Input<RoleSlug>;
    /** Access-group GUID. Absent: new users land in the default group, and the group is not managed. */
    group?: pulumi.Input<string>;
    /** Feature flags by slug, e.g. `{ "wfh-ro": true }`. Only declared slugs are managed. */
    features?: pulumi.Input<Features>;
    /** Subscription-contact flag. Absent: not managed. */
    isAvailableForContact?: pulumi.Input<boolean>;
    /** Company API token flag. Absent: not managed. */
    isCompanyApiToken?: pulumi.Input<boolean>;
    /** Status at creation. Bitsight cannot change it later. */
    status?: pulumi.Input<UserStatus>;
    /** Take over an existing user with this email instead of failing. Default false. */
    adopt?: pulumi.Input<boolean>;
    /** `delete` (default) removes the Bitsight user with the resource; `retain` leaves it in the account. */
    onDelete?: pulumi.Input<OnDelete>;
    /**
     * `required`: the user must use two-factor authentication. A user whose 2FA is
     * `not_enabled` is required to set it up at next login (POST …/require-mfa). Absent: not
     * managed. No API call lifts the requirement, so leaving it out never changes the user.
     */
    mfa?: pulumi.Input<MfaRequirement>;
}

/** The one value `mfa` takes: Bitsight can require 2FA, and nothing lifts it. */
export type MfaRequirement = "required";
export const MFA_REQUIRED: MfaRequirement = "required";

/** Whether `status` keeps a requirement: `pending` (required, not yet set up) and `enabled` do; `not_enabled` does not. Unknown is not a difference. */
export function mfaSatisfied(status: string | null | undefined): boolean {
    return status !== "not_enabled";
}

/** The 2FA states the API documents; any other `mfa_status` (or none) says nothing of the user's 2FA. */
export const MFA_STATUSES: readonly string[] = ["enabled", "not_enabled", "pending"];

/** Whether the API's answer says what the user's 2FA is: where it does not, nothing is concluded (plan says so). */
export function mfaKnown(status: string | null | undefined): boolean {
    return typeof status === "string" && MFA_STATUSES.includes(status);
}

/** Whether a user declared with `mfa` and holding `status` needs POST …/require-mfa: the one rule the hooks and plan share. */
export function mfaToRequire(mfa: MfaRequirement | undefined, status: string | null | undefined): boolean {
    return mfa === MFA_REQUIRED && !mfaSatisfied(status);
}

/** The declaration after `check`: validated, trimmed, defaults applied. */
export interface UserInputs {
    email: string;
    formalName: string;
    friendlyName: string;
    role: RoleSlug;
    group?: string;
    features?: Features;
    isAvailableForContact?: boolean;
    isCompanyApiToken?: boolean;
    status?: UserStatus;
    adopt: boolean;
    onDelete: OnDelete;
    mfa?: MfaRequirement;
}

/** A user as declared in a users file, defaults merged: what `check` will complete with adopt/onDelete. */
export type UserDeclaration = Omit<UserInputs, "adopt" | "onDelete"> & Partial<Pick<UserInputs, "adopt" | "onDelete">>;

/**
 * What the state keeps: the declared fields with the values the account really has
 * (optional ones only when declared, so that `read` can hand back the same shape),
 * plus what Bitsight computes.
 */
export interface UserOutputs {
    email: string;
    formalName: string;
    friendlyName: string;
    /** The roles the account holds in the declared role's product: one slug, or several joined by commas (./roles). */
    role: string;
    /** Roles of other products (VRM, TMH, or roles the provider does not know), joined by commas: shown, never managed. */
    otherRoles?: string;
    group?: string;
    features?: Features;
    /** Declared features the account says this user cannot change (`can_update: false`). */
    lockedFeatures?: FeatureSlug[];
    isAvailableForContact?: boolean;
    isCompanyApiToken?: boolean;
    /** The `status` declared at creation; `status` below is what the account says now. */
    initialStatus?: UserStatus;
    /** When `mfa` is declared: `required` while the account keeps it (2FA `enabled` or `pending`), `not_enabled` after a reset in the UI. */
    mfa?: MfaRequirement | "not_enabled";
    adopt: boolean;
    onDelete: OnDelete;
    guid: string;
    status: string;
    groupName: string | null;
    roleName: string | null;
    joinedTime: string | null;
    lastLoginTime: string | null;
    mfaStatus: string | null;
    adopted: boolean;
}
