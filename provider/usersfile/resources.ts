// From declared users to resources. The resource name is the user's email, lower-cased:
// reordering the file, moving a user between teams or renaming a team changes nothing,
// and `formerEmails` become aliases so that an email change updates the user in place.
import type { BitsightUserArgs } from "../model/user-model";
import type { DeclaredUser } from "./parse";

export interface PlannedResource {
    name: string;
    args: BitsightUserArgs;
    /** Earlier resource names of the same user. */
    aliases: string[];
}

export function resourceName(email: string): string {
    return email.trim().toLowerCase();
}

export function planResources(users: DeclaredUser[]): PlannedResource[] {
    return users.map((u) => ({
        name: resourceName(u.args.email),
        args: u.args,
        aliases: u.formerEmails.map(resourceName),
    }));
}
