// `export`: the live account as a users file, valid against schema/users-file.schema.json,
// each user commented with its guid and last login, so that an existing account comes
// under management in one step. Written lean: only what differs from what the file
// would derive or leave unmanaged (friendlyName from formalName, features off, not a contact).
// What the file's own loader would refuse (an invisible character in a name, a role the
// schema does not know) is not written: the user is left out and named, so `plan` lists
// it as undeclared and a person decides.
import { Document, isSeq } from "yaml";
import { forTerminal as t } from "../escape/terminal";
import { loaderProblems } from "./parse";
import type { AccessGroups } from "../account/users-api";
import { ADMIN_ROLE, declarableRole, roleText } from "../model/roles";
import type { ApiUser } from "../model/wire";
import { groupReference } from "./groups";
import { derivedFriendlyName } from "./parse";
import { writeReadable, type Owner } from "./read-back";
import type { ApiToken } from "../account/api-tokens";
import { tokenComment, tokenEntry, type TokenEntry } from "./token-entries";
import { groupComment, groupEntry, writableGroups, type GroupEntry } from "./group-entries";
import type { AccessGroup } from "../account/access-groups";

export interface ExportOptions {
    adopt: boolean;
    /** Path of the users-file schema, relative to where the file is written. */
    schemaPath: string;
    /** Where the users came from, for the header comment. */
    source: string;
    /** The API token's own user, when known: written under `unmanaged:` (renderOnce says why). */
    tokenOwner?: string;
    /**
     * `--manage-roles`: only users with these roles are declared; the others are acknowledged
     * by one `unmanaged:` rule per role (an account provisioned by single sign-on). Admins
     * are always declared: a rule cannot acknowledge them.
     */
    manageRoles?: string[];
    /** The account's company API tokens, when the token may list them: written under `apiTokens:`. */
    apiTokens?: ApiToken[];
}

export interface Exported {
    text: string;
    /** Users written under `users:`. */
    count: number;
    /** Users left out, one line each: who and why. */
    left: string[];
}

export function renderExport(account: ApiUser[], groups: AccessGroups, opts: ExportOptions): Exported {
    const { written, refused } = writeReadable(
        (leftOut) => renderOnce(account.filter((u) => !leftOut.has(u.guid)), groups, { ...opts, ...(opts.apiTokens ? { apiTokens: opts.apiTokens.filter((x) => !leftOut.has(x.guid)) } : {}) }, leftOut),
        (once) => loaderProblems(once.text, "the exported file"),
        "export",
    );
    const left = [
        ...refused.map((r) => `${t(r.owner.who)} (${t(r.owner.key)}): ${r.field}: ${r.message}; fix the user in the Bitsight UI`),
        ...written.tokensLeft,
    ];
    return { text: written.text, count: written.count, left };
}

/** The account's groups but All Companies, sorted, as `groups:` entries (./group-entries); those it cannot write, named. */
function groupEntries(groups: AccessGroups): { entries: GroupEntry[]; written: AccessGroup[]; left: string[] } {
    const out = { entries: [] as GroupEntry[], written: [] as AccessGroup[], left: [] as string[] };
    for (const g of writableGroups(groups)) {
        const e = groupEntry(g, groups);
        if ("left" in e) out.left.push(e.left);
        else {
            out.entries.push(e);
            out.written.push(g);
        }
    }
    return out;
}

/** The account's tokens, sorted, as `apiTokens:` entries (./token-entries); those it cannot write, named. */
function tokenEntries(tokens: ApiToken[], people: ApiUser[], groups: AccessGroups): { entries: TokenEntry[]; written: ApiToken[]; left: string[] } {
    const out = { entries: [] as TokenEntry[], written: [] as ApiToken[], left: [] as string[] };
    for (const tok of [...tokens].sort((a, b) => a.description.localeCompare(b.description))) {
        const e = tokenEntry(tok, tokens, people, groups);
        if ("left" in e) out.left.push(e.left);
        else {
            out.entries.push(e);
            out.written.push(tok);
        }
    }
    return out;
}

function renderOnce(account: ApiUser[], groups: AccessGroups, opts: ExportOptions, leftOut: ReadonlySet<string>): { text: string; count: number; owners: (Owner & { who: string })[]; tokensLeft: string[] } {
    const all = account.filter((u) => !u.is_company_api_token).sort((a, b) => a.email.localeCompare(b.email));
    const tokens = account.filter((u) => u.is_company_api_token);
    // A users file declares one role a user, the platform role (a VRM or TMH role beside it
    // is shown by plan, never managed); a user with two platform roles, or none and several
    // others, would have the first `pulumi up` change their roles. Such users are acknowledged as
    // unmanaged, with the reason, and so is the token's own user: a file that demoted or
    // deleted it would lock the run out. `plan` then counts neither as a difference.
    const owner = opts.tokenOwner?.toLowerCase();
    const unmanaged = all.flatMap((u) => {
        if (roleOf(u) === undefined) {
            const held = u.roles.length ? `holds ${u.roles.length} roles (${roleText(u.roles.map((r) => r.slug))})` : "holds no role";
            return [{ user: u, reason: `${held}; a users file declares one platform role: decide which, then move the user to users:` }];
        }
        if (u.email.toLowerCase() === owner) return [{ user: u, reason: "the API token's own user: managing it here could lock the token out" }];
        return [];
    });
    const managed = opts.manageRoles ? new Set([ADMIN_ROLE, ...opts.manageRoles]) : undefined;
    const byRule = managed ? [...new Set(all.map(roleOf).filter((r): r is string => r !== undefined && !managed.has(r)))].sort() : [];
    const people = all.filter((u) => !unmanaged.some((m) => m.user === u) && !(managed && !managed.has(roleOf(u)!)));
    const users = people.map((u) => {
        const entry: Record<string, unknown> = { email: u.email, formalName: u.formal_name };
        if (u.friendly_name !== derivedFriendlyName(u.formal_name)) entry["friendlyName"] = u.friendly_name;
        entry["role"] = roleOf(u);
        if (u.group) entry["group"] = groupReference(u.group.guid, groups);
        const on = u.features.filter((f) => f.value);
        if (on.length) entry["features"] = Object.fromEntries(on.map((f) => [f.slug, true]));
        if (u.is_available_for_contact) entry["isAvailableForContact"] = true;
        if (u.status === "Deactivated") entry["status"] = "Deactivated";
        // Only `pending` says 2FA was required; an `enabled` user may have set it up unasked.
        if (u.mfa_status === "pending") entry["mfa"] = "required";
        if (opts.adopt) entry["adopt"] = true;
        return entry;
    });
    // An adopted account is demoted, not deleted, by a removed line: a first run cannot delete anyone by mistake.
    // The tokens before the users: a team appends people at the end of the file.
    const tokenList = opts.apiTokens ? tokenEntries(opts.apiTokens, all, groups) : undefined;
    // Adopting an account takes its access groups too: each written is adopted by its name.
    const groupList = opts.adopt ? groupEntries({ ...groups, groups: groups.groups.filter((g) => !leftOut.has(g.guid)) }) : undefined;
    const content: Record<string, unknown> = {
        ...(opts.adopt ? { defaults: { onDelete: "demote" } } : {}),
        ...(groupList ? { groups: groupList.entries } : {}),
        ...(tokenList ? { apiTokens: tokenList.entries } : {}),
        users,
    };
    const rules = byRule.map((role) => ({
        name: `${role} users`,
        match: { roles: [role] },
        reason: `provisioned outside this file (single sign-on); this file manages ${[...managed!].sort().join(", ")}`,
    }));
    if (unmanaged.length || rules.length) content["unmanaged"] = [...unmanaged.map((m) => ({ email: m.user.email, reason: m.reason })), ...rules];
    const doc = new Document(content);
    const header = [
        ` yaml-language-server: $schema=${opts.schemaPath}`,
        "",
        ` Exported from ${opts.source} by \`bitsight-users export${opts.adopt ? " --adopt" : ""}\`.`,
        opts.adopt
            ? " Every user is marked `adopt: true`: the first `pulumi up` takes them over instead of failing.\n" +
              " A user removed from this file is demoted (onDelete: demote), not deleted: set onDelete: delete where deleting is meant."
            : " These users exist already: add `adopt: true` (or run export --adopt) before the first `pulumi up`.",
    ];
    if (tokens.length) {
        header.push(` Company API token users, not exported: ${tokens.map((u) => `${t(u.email)} (${t(u.guid)})`).join(", ")}`);
    }
    doc.commentBefore = header.join("\n");
    const seq = doc.get("users", true);
    if (isSeq(seq)) {
        seq.items.forEach((item, i) => {
            const u = people[i]!;
            // A comment is one line: nothing from the account may end it and start YAML of its own.
            (item as { commentBefore?: string }).commentBefore = ` guid ${t(u.guid)}, ${u.last_login_time ? `last login ${t(u.last_login_time)}` : "never logged in"}`;
        });
    }
    const tokenSeq = doc.get("apiTokens", true);
    if (tokenList && isSeq(tokenSeq)) {
        tokenSeq.items.forEach((item, i) => {
            const tok = tokenList.written[i]!;
            (item as { commentBefore?: string }).commentBefore = tokenComment(tok);
        });
    }
    const groupSeq = doc.get("groups", true);
    if (groupList && isSeq(groupSeq)) groupSeq.items.forEach((item, i) => ((item as { commentBefore?: string }).commentBefore = groupComment(groupList.written[i]!)));
    const owners = [
        ...people.map((user, i) => ({ field: `users[${i}]`, key: user.guid, who: user.email })),
        ...unmanaged.map((m, i) => ({ field: `unmanaged[${i}]`, key: m.user.guid, who: m.user.email })),
        ...(tokenList?.written ?? []).map((tok, i) => ({ field: `apiTokens[${i}]`, key: tok.guid, who: `token ${tok.description}` })),
        ...(groupList?.written ?? []).map((g, i) => ({ field: `groups[${i}]`, key: g.guid, who: `access group ${g.name}` })),
    ];
    return { text: doc.toString({ lineWidth: 0 }), count: people.length, owners, tokensLeft: [...(groupList?.left ?? []), ...(tokenList?.left ?? [])] };
}

/** The role a users file declares for `u` (../model/roles declarableRole). */
function roleOf(u: ApiUser): string | undefined {
    return declarableRole(u.roles.map((r) => r.slug));
}
