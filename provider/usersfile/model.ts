// The users file as the loader hands it on: the shapes every checker of the file shares
// (./parse reads them, ./policy, ./expiry and ./unmanaged-rules judge them). They live here,
// below all of those, so that no checker imports the file that calls it.
import { emailKey, type OnDelete, type UserDeclaration } from "../model/user-model";
import type { Locator, Path } from "./positions";

/** The file's `policy:` guardrails (what each means: schema/users-file.schema.json; ./policy decides). */
export interface UsersFilePolicy {
    maxRemovalShare?: number;
    allowedEmailDomains?: string[];
    maxAdmins?: number;
    minAdmins?: number;
    forbiddenRoles?: string[];
    companyApiTokenUsers?: "forbid" | "allow";
    requireReason?: string[];
    requireExpires?: { outsideDomains?: string[]; maxDays?: number };
    requireMfa?: string[];
    maxApiTokenAgeDays?: number;
}

/** A user as the file declares it, defaults applied; `group` still as written (name or GUID). */
export interface DeclaredUser {
    /** Valid against the user schema once parsing succeeded; `group` may still be a name. */
    args: UserDeclaration;
    formerEmails: string[];
    /** Where the entry is, and where each field's value came from (the user, its team's or the file's defaults). */
    path: Path;
    origin: Record<string, Path>;
    team?: string;
    /** Why the user has this access (`reason:`), for reviewers; never sent to Bitsight. */
    reason?: string;
    /** The first day without access (`expires:`, YYYY-MM-DD, UTC): from then on the file does not declare the user (./expiry). */
    expires?: string;
}

/** Every email a declared user answers to, as keys (../model/user-model's emailKey): its own first, then its former ones. */
export function identityKeys(u: Pick<DeclaredUser, "args" | "formerEmails">): string[] {
    return [String(u.args.email), ...u.formerEmails].map(emailKey);
}

/** Where a declared user's `mfa: required` comes from, by where its value was merged from: `declared`, `defaults`, `team NAME` or `policy.requireMfa (ROLE)`. */
export function mfaWhy(d: Pick<DeclaredUser, "origin" | "args">): string {
    const from = d.origin["mfa"] ?? [];
    if (from[0] === "policy") return `policy.requireMfa (${String(d.args.role)})`;
    if (from[0] === "defaults") return "defaults";
    if (from[0] === "teams") return `team ${String(from[1])}`;
    return "declared";
}

/** Every name a declared group answers to: its own first, then its former ones (compare them letter case aside). */
export function groupNames(g: Pick<DeclaredGroup, "name" | "formerNames">): string[] {
    return [g.name, ...(g.formerNames ?? [])];
}

/** An account user the file acknowledges and leaves alone (top-level `unmanaged:`). */
export interface UnmanagedUser {
    email: string;
    reason: string;
    path: Path;
}

/**
 * Undeclared account users acknowledged by a rule (`unmanaged: - { match: …, reason: … }`):
 * users provisioned by single sign-on, say. Never an Admin, never a company API token user
 * (./unmanaged-rules).
 */
export interface UnmanagedRule {
    name: string;
    match: { roles?: string[]; domains?: string[]; statuses?: string[] };
    reason: string;
    path: Path;
}

/**
 * A user taken out of the file on purpose (top-level `removed:`), as Terraform's `removed`
 * block records one: what should be left of them, and why. Never declared, never proposed back.
 */
export interface RemovedUser {
    email: string;
    onDelete: OnDelete;
    reason: string;
    path: Path;
}

/** A company API token as the file declares it (`apiTokens:`, ./api-tokens); `group` as written (name or GUID). */
export interface DeclaredApiToken {
    description: string;
    /** The person the token's value is emailed to. */
    for: string;
    group?: string;
    reason: string;
    /** The first day the token is revoked (YYYY-MM-DD, UTC). */
    expires?: string;
    path: Path;
}

/** An access group as the file declares it (`groups:`, ./declared-groups); an absent flag is left as the account has it. */
export interface DeclaredGroup {
    name: string;
    /** Names it had: the account's group of one of them is this one, to rename in place. */
    formerNames?: string[];
    isDefault?: boolean;
    allowBundledCompanies?: boolean;
    canSetTierScope?: boolean;
    /** The GUIDs of the companies the group sees; absent: left as the account has them. */
    companies?: string[];
    reason?: string;
    path: Path;
}

export interface ParsedUsersFile {
    file: string;
    users: DeclaredUser[];
    apiTokens: DeclaredApiToken[];
    /** The file has an `apiTokens:` section (`[]` included): the account's other tokens are then differences. */
    declaresApiTokens: boolean;
    groups: DeclaredGroup[];
    /** The file has a `groups:` section (`[]` included): the account's other groups are then differences. */
    declaresGroups: boolean;
    unmanaged: UnmanagedUser[];
    removed: RemovedUser[];
    unmanagedRules: UnmanagedRule[];
    policy: UsersFilePolicy;
    locator: Locator;
}
