// The BitsightUser resource: type token pulumi-nodejs:dynamic/bitsight:User.
import type * as pulumi from "@pulumi/pulumi";
import { sdk } from "../base/sdk";
import { shim } from "./shim";
import { refusePlainTextToken } from "./plain-token";
import type { BitsightUserArgs, Features, OnDelete } from "../model/user-model";

export class BitsightUser extends sdk().dynamic.Resource {
    declare readonly email: pulumi.Output<string>;
    declare readonly formalName: pulumi.Output<string>;
    declare readonly friendlyName: pulumi.Output<string>;
    declare readonly role: pulumi.Output<string>;
    declare readonly group: pulumi.Output<string | undefined>;
    declare readonly features: pulumi.Output<Features | undefined>;
    declare readonly isAvailableForContact: pulumi.Output<boolean | undefined>;
    declare readonly isCompanyApiToken: pulumi.Output<boolean | undefined>;
    declare readonly adopt: pulumi.Output<boolean>;
    declare readonly onDelete: pulumi.Output<OnDelete>;
    /** The user's GUID in Bitsight (also the resource id). */
    declare readonly guid: pulumi.Output<string>;
    /** The user's status in the account now: Created, Activated or Deactivated. */
    declare readonly status: pulumi.Output<string>;
    declare readonly initialStatus: pulumi.Output<string | undefined>;
    declare readonly groupName: pulumi.Output<string | null>;
    declare readonly roleName: pulumi.Output<string | null>;
    /** Roles of other products held beside `role` (a VRM or TMH role, assigned there): shown, never managed. */
    declare readonly otherRoles: pulumi.Output<string | undefined>;
    declare readonly joinedTime: pulumi.Output<string | null>;
    declare readonly lastLoginTime: pulumi.Output<string | null>;
    declare readonly mfaStatus: pulumi.Output<string | null>;
    /** When `mfa` is declared: `required` while the account keeps it, `not_enabled` after a reset in the UI (drift). */
    declare readonly mfa: pulumi.Output<"required" | "not_enabled" | undefined>;
    /** True when the user existed before and was taken over with `adopt: true`. */
    declare readonly adopted: pulumi.Output<boolean>;

    constructor(name: string, args: BitsightUserArgs, opts?: pulumi.CustomResourceOptions) {
        refusePlainTextToken();
        super(
            shim,
            name,
            {
                ...args,
                // Output-only properties: declared undefined so the resource exposes them.
                guid: undefined,
                status: args.status,
                initialStatus: undefined,
                groupName: undefined,
                roleName: undefined,
                otherRoles: undefined,
                joinedTime: undefined,
                lastLoginTime: undefined,
                mfaStatus: undefined,
                adopted: undefined,
            },
            opts,
            "bitsight",
            "User",
        );
    }
}
