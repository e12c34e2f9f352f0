// The BitsightRemovedUser resource (type token pulumi-nodejs:dynamic/bitsight:RemovedUser):
// a user the file demoted on purpose, kept demoted (./removed-user). The program declares
// one for each, on a provider of its own.
import type * as pulumi from "@pulumi/pulumi";
import { sdk } from "../base/sdk";
import { removedUserShim } from "./shim";
import { refusePlainTextToken } from "./plain-token";
import { KEEP_DEMOTED } from "./removed-user";

export class BitsightRemovedUser extends sdk().dynamic.Resource {
    declare readonly email: pulumi.Output<string>;
    /** The user's GUID in Bitsight (also the resource id). */
    declare readonly guid: pulumi.Output<string>;
    /** Whether the account holds the user demoted; a refresh after a grant in the UI makes it false, and the next update demotes it again. */
    declare readonly demoted: pulumi.Output<boolean>;
    /** What the account holds of the user, in words. */
    declare readonly holds: pulumi.Output<string>;

    constructor(name: string, args: { email: pulumi.Input<string> }, opts?: pulumi.CustomResourceOptions) {
        refusePlainTextToken();
        super(removedUserShim, name, { email: args.email, keep: KEEP_DEMOTED, guid: undefined, demoted: undefined, holds: undefined }, opts, "bitsight", "RemovedUser");
    }
}
