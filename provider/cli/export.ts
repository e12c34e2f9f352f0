// `export`: the live account as a users file, valid against schema/users-file.schema.json,
// each user commented with its guid and last login, so that an existing account comes
// under management in one step. Written lean: only what differs from what the file
// would derive or leave unmanaged (friendlyName from formalName, features off, not a contact).
import { Document, isSeq } from "yaml";
import type { AccessGroups } from "../client/users";
import { roleText } from "../roles";
import type { ApiUser } from "../types";
import { groupReference } from "../usersfile/groups";
import { derivedFriendlyName } from "../usersfile/parse";

export interface ExportOptions {
    adopt: boolean;
    /** Path of the users-file schema, relative to where the file is written. */
    schemaPath: string;
    /** Where the users came from, for the header comment. */
    source: string;
    /** The API token's own user, when known: written under `unmanaged:` (./main says why). */
    tokenOwner?: string;
}

export function renderExport(account: ApiUser[], groups: AccessGroups, opts: ExportOptions): string {
    const all = account.filter((u) => !u.is_company_api_token).sort((a, b) => a.email.localeCompare(b.email));
    const tokens = account.filter((u) => u.is_company_api_token);
    // A users file declares exactly one role a user; anything else written here would make
    // the first `pulumi up` change the user's roles. Such users are acknowledged as
    // unmanaged, with the reason, and so is the token's own user: a file that demoted or
    // deleted it would lock the run out. `plan` then counts neither as a difference.
    const owner = opts.tokenOwner?.toLowerCase();
    const unmanaged = all.flatMap((u) => {
        if (u.roles.length !== 1) {
            const held = u.roles.length ? `holds ${u.roles.length} roles (${roleText(u.roles.map((r) => r.slug))})` : "holds no role";
            return [{ user: u, reason: `${held}; a users file declares exactly one: decide which, then move the user to users:` }];
        }
        if (u.email.toLowerCase() === owner) return [{ user: u, reason: "the API token's own user: managing it here could lock the token out" }];
        return [];
    });
    const people = all.filter((u) => !unmanaged.some((m) => m.user === u));
    const users = people.map((u) => {
        const entry: Record<string, unknown> = { email: u.email, formalName: u.formal_name };
        if (u.friendly_name !== derivedFriendlyName(u.formal_name)) entry["friendlyName"] = u.friendly_name;
        entry["role"] = u.roles[0]!.slug;
        if (u.group) entry["group"] = groupReference(u.group.guid, groups);
        const on = u.features.filter((f) => f.value);
        if (on.length) entry["features"] = Object.fromEntries(on.map((f) => [f.slug, true]));
        if (u.is_available_for_contact) entry["isAvailableForContact"] = true;
        if (u.status === "Deactivated") entry["status"] = "Deactivated";
        if (opts.adopt) entry["adopt"] = true;
        return entry;
    });
    const doc = new Document(unmanaged.length ? { users, unmanaged: unmanaged.map((m) => ({ email: m.user.email, reason: m.reason })) } : { users });
    const header = [
        ` yaml-language-server: $schema=${opts.schemaPath}`,
        "",
        ` Exported from ${opts.source} by \`bitsight-users export${opts.adopt ? " --adopt" : ""}\`.`,
        opts.adopt
            ? " Every user is marked `adopt: true`: the first `pulumi up` takes them over instead of failing."
            : " These users exist already: add `adopt: true` (or run export --adopt) before the first `pulumi up`.",
    ];
    if (tokens.length) {
        header.push(` Company API token users, not exported: ${tokens.map((t) => `${t.email} (${t.guid})`).join(", ")}`);
    }
    doc.commentBefore = header.join("\n");
    const seq = doc.get("users", true);
    if (isSeq(seq)) {
        seq.items.forEach((item, i) => {
            const u = people[i]!;
            (item as { commentBefore?: string }).commentBefore = ` guid ${u.guid}, ${u.last_login_time ? `last login ${u.last_login_time}` : "never logged in"}`;
        });
    }
    return doc.toString({ lineWidth: 0 });
}
