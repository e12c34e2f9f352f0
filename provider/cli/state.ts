// Which users (and company API tokens) a stack already manages, from `pulumi stack export`: `plan --state` needs it
// to tell a user `pulumi up` will create or adopt from one it already manages. An existing
// user declared without `adopt: true` is fine in a stack that manages it, and fails
// `create` in a stack that does not.
import { readRegularFile } from "../files/read-file";
import { USER_TYPE, type OnDelete } from "../model/user-model";
import { StateFileError } from "../base/errors";
import { API_TOKEN_TYPE } from "../resource/api-token";
import { ACCESS_GROUP_TYPE } from "../resource/access-group";

export interface Managed {
    guids: Set<string>;
    emails: Set<string>;
    /** Every user resource of the stack, as its outputs say (email lower-cased). */
    users: { email: string; onDelete: OnDelete }[];
    /** Every company API token the stack manages, as its outputs say. */
    apiTokens: { guid: string; description: string }[];
    /** Every access group the stack manages, as its outputs say. */
    accessGroups: { guid: string; name: string }[];
}

export function readManaged(file: string): Managed {
    let doc: unknown;
    try {
        // A stack export holds every resource's state: generous, but not unbounded.
        doc = JSON.parse(readRegularFile(file, 512 * 1048576, "a stack export"));
    } catch (err) {
        throw new StateFileError(`--state ${file}: ${(err as Error).message}; give the output of \`pulumi stack export --file ${file}\`.`);
    }
    const resources = (doc as { deployment?: { resources?: unknown } } | null)?.deployment?.resources;
    if (!Array.isArray(resources)) {
        throw new StateFileError(`--state ${file} is not a Pulumi stack export (no deployment.resources); give the output of \`pulumi stack export --file ${file}\`.`);
    }
    const managed: Managed = { guids: new Set(), emails: new Set(), users: [], apiTokens: [], accessGroups: [] };
    for (const r of resources as { type?: unknown; id?: unknown; outputs?: { email?: unknown; guid?: unknown; description?: unknown; name?: unknown } }[]) {
        if (r?.type === ACCESS_GROUP_TYPE && typeof r.id === "string" && typeof r.outputs?.name === "string") managed.accessGroups.push({ guid: r.id, name: r.outputs.name });
        if (r?.type === API_TOKEN_TYPE && typeof r.id === "string" && typeof r.outputs?.description === "string") managed.apiTokens.push({ guid: r.id, description: r.outputs.description });
        if (r?.type !== USER_TYPE) continue;
        for (const guid of [r.id, r.outputs?.guid]) if (typeof guid === "string" && guid) managed.guids.add(guid.toLowerCase());
        if (typeof r.outputs?.email !== "string") continue;
        const email = r.outputs.email.toLowerCase();
        managed.emails.add(email);
        const onDelete = (r.outputs as { onDelete?: unknown }).onDelete;
        managed.users.push({ email, onDelete: onDelete === "retain" || onDelete === "demote" ? onDelete : "delete" });
    }
    return managed;
}
