// The BitsightAccessGroup resource (type token pulumi-nodejs:dynamic/bitsight:AccessGroup):
// an access group the file declares (`groups:`), on a provider of its own (./access-group).
// A user whose `group` is this resource's `guid` is created or moved after it, and, when
// the group leaves, moved out before it is deleted: the engine orders both.
import type * as pulumi from "@pulumi/pulumi";
import { sdk } from "../base/sdk";
import { accessGroupShim } from "./shim";
import { refusePlainTextToken } from "./plain-token";

export interface BitsightAccessGroupArgs {
    /** How the file, the users' `group:` and the Bitsight UI know the group. */
    name: pulumi.Input<string>;
    /** The account's default group, where a user created without a group lands. Only `true` is sent: setting it on another group unsets it here. */
    isDefault?: pulumi.Input<boolean>;
    /** Whether the group's users see bundled companies; left as the account has it when absent. */
    allowBundledCompanies?: pulumi.Input<boolean>;
    /** Whether the group can set tier scope; left as the account has it when absent. */
    canSetTierScope?: pulumi.Input<boolean>;
    /** The GUIDs of the companies the group's users see; left as the account has them when absent. */
    companies?: pulumi.Input<pulumi.Input<string>[]>;
    /** Names it had: where the account has no group of `name` yet, one of these is adopted and renamed. */
    formerNames?: pulumi.Input<pulumi.Input<string>[]>;
    /** Why the group exists, for reviewers; kept in the state, never sent. */
    reason?: pulumi.Input<string>;
}

export class BitsightAccessGroup extends sdk().dynamic.Resource {
    declare readonly name: pulumi.Output<string>;
    /** The group's GUID in Bitsight (also the resource id): what a user's `group` takes. */
    declare readonly guid: pulumi.Output<string>;
    declare readonly adopted: pulumi.Output<boolean>;

    constructor(name: string, args: BitsightAccessGroupArgs, opts?: pulumi.CustomResourceOptions) {
        refusePlainTextToken();
        super(accessGroupShim, name, { ...args, guid: undefined, adopted: undefined }, opts, "bitsight", "AccessGroup");
    }
}
