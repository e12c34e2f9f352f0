// The BitsightApiToken resource (type token pulumi-nodejs:dynamic/bitsight:ApiToken): a
// company API token the file declares (`apiTokens:`), on a provider of its own
// (./api-token). Its value is emailed to `email` and never reaches the state.
import type * as pulumi from "@pulumi/pulumi";
import { sdk } from "../base/sdk";
import { apiTokenShim } from "./shim";
import { refusePlainTextToken } from "./plain-token";

export interface BitsightApiTokenArgs {
    /** How the file and the account know the token. */
    description: pulumi.Input<string>;
    /** The person the token's value is emailed to. */
    email: pulumi.Input<string>;
    /** The access group's GUID; the account's default group when absent. */
    group?: pulumi.Input<string>;
    /** The group's name, to compare with the listing (which names groups). */
    groupName?: pulumi.Input<string>;
    reason: pulumi.Input<string>;
    /** The first day the token is revoked (YYYY-MM-DD); the program stops declaring it from then. */
    expires?: pulumi.Input<string>;
}

export class BitsightApiToken extends sdk().dynamic.Resource {
    declare readonly description: pulumi.Output<string>;
    /** The token's GUID in Bitsight (also the resource id). */
    declare readonly guid: pulumi.Output<string>;
    /** As the account lists it: `********` and its last four. */
    declare readonly token: pulumi.Output<string>;
    declare readonly createdDate: pulumi.Output<string>;
    declare readonly adopted: pulumi.Output<boolean>;

    constructor(name: string, args: BitsightApiTokenArgs, opts?: pulumi.CustomResourceOptions) {
        refusePlainTextToken();
        super(apiTokenShim, name, { ...args, guid: undefined, token: undefined, createdDate: undefined, adopted: undefined }, opts, "bitsight", "ApiToken");
    }
}
