// `review`: what an auditor asks for at a quarterly access review, from the account as it
// is and the users file that says who should have access. Read-only. Pure: the account,
// the file and the date in, the report out (rendered by ./render).
import { DEFAULT_DEMOTE_ROLE } from "../../config/settings";
import { endIsDifference, endOfAccess } from "../../usersfile/ending";
import { addDays, todayUtc } from "../../usersfile/expiry";
import { actingAdmin, privilegeChange, roleText } from "../../model/roles";
import type { ApiUser } from "../../model/wire";
import type { OnDelete } from "../../model/user-model";
import type { DeclaredUser, UnmanagedRule, UnmanagedUser } from "../../usersfile/parse";
import { ruleFor } from "../../usersfile/unmanaged-rules";
import { UsageError } from "../../base/errors";
import { identityKeys, mfaWhy } from "../../usersfile/model";
import type { ApiToken, ApiTokens } from "../../account/api-tokens";
import type { DeclaredApiToken, DeclaredGroup } from "../../usersfile/model";
import { memberCount, type AccessGroups } from "../../account/access-groups";

import { REVIEW_VERSION, type AttentionKind, type Review, type ReviewedGroup, type ReviewedToken, type ReviewedUser, type Standing, type TokenAttention } from "./shape";

export interface ReviewInput {
    file: string;
    declared: DeclaredUser[];
    unmanaged: UnmanagedUser[];
    /** `unmanaged:` rules: the users they acknowledge are listed with the rule. */
    rules?: UnmanagedRule[];
    account: ApiUser[];
    now: Date;
    staleDays: number;
    policyViolations?: string[];
    /** Default 30. */
    expiringDays?: number;
    /** What onDelete demote leaves a user with; expired access demoted to it needs no attention. Default customer_user. */
    demoteRole?: string;
    /** What the token cannot see of the account (../../account/token-reach); null or absent: all of it. */
    partialView?: string | null;
    /** GET …/api-tokens' answer; absent: not read. */
    apiTokens?: ApiTokens;
    maxApiTokenAgeDays?: number;
    /** The file's `apiTokens:`; absent: the file has no such section. */
    declaredTokens?: DeclaredApiToken[];
    /** The account's access groups; absent: not reviewed. */
    groups?: AccessGroups;
    /** The file's `groups:`; absent: the file has no such section. */
    declaredGroups?: DeclaredGroup[];
}

const DAY = 86_400_000;

function daysSince(time: string | null | undefined, now: Date): number | null {
    if (!time) return null;
    const t = Date.parse(time);
    return Number.isNaN(t) ? null : Math.max(0, Math.floor((now.getTime() - t) / DAY));
}


export function computeReview({ file, declared, unmanaged, rules = [], account, now, staleDays, policyViolations = [], expiringDays = 30, demoteRole = DEFAULT_DEMOTE_ROLE, partialView = null, apiTokens, maxApiTokenAgeDays, declaredTokens, groups, declaredGroups }: ReviewInput): Review {
    const today = todayUtc(now);
    const reasons = new Map<string, { standing: Standing; reason: string | null; role?: string; features?: Record<string, unknown>; expires?: string; onDelete?: OnDelete; mfa?: string }>();
    for (const d of declared) {
        const entry = {
            standing: "declared" as const,
            reason: d.reason ?? null,
            role: String(d.args.role),
            features: (d.args.features ?? {}) as Record<string, unknown>,
            ...(d.expires ? { expires: d.expires } : {}),
            onDelete: d.args.onDelete ?? "delete",
            ...(d.args.mfa === "required" ? { mfa: mfaWhy(d) } : {}),
        };
        for (const key of identityKeys(d)) reasons.set(key, entry);
    }
    for (const u of unmanaged) reasons.set(u.email.toLowerCase(), { standing: "unmanaged", reason: u.reason });
    // Users acknowledged by a rule are listed with it, so the review still sees every person.
    for (const a of account) {
        if (reasons.has(a.email.toLowerCase())) continue;
        const rule = ruleFor(a, rules);
        if (rule) reasons.set(a.email.toLowerCase(), { standing: "unmanaged", reason: `by rule '${rule.name}': ${rule.reason}` });
    }
    // As in plan: an undeclared company API token user is a finding once the file declares
    // token users itself; before that, the file simply does not manage them (the token's own user is one).
    const tokensDeclared = declared.some((d) => d.args.isCompanyApiToken === true);

    const users = [...account]
        .sort((a, b) => a.email.localeCompare(b.email))
        .map((u): ReviewedUser => {
            const known = reasons.get(u.email.toLowerCase()) ?? { standing: "undeclared" as const, reason: null };
            const joined = daysSince(u.joined_time, now);
            const login = daysSince(u.last_login_time, now);
            const active = u.status !== "Deactivated";
            const attention: AttentionKind[] = [];
            if (known.standing === "undeclared" && (!u.is_company_api_token || tokensDeclared)) attention.push("undeclared");
            // A privilege granted outside the file (in the UI) to a user it declares, while the declaration grants access.
            if (known.role && !(known.expires && known.expires <= today) && beyondFile(known.role, u)) attention.push("privilege-beyond-file");
            if (actingAdmin(u) && u.mfa_status !== "enabled") attention.push("admin-without-mfa");
            // Expired access the account still holds: pulumi up still has something to do (../../usersfile/ending).
            if (known.expires && known.expires <= today && endIsDifference(endOfAccess("expired", u.email, known.onDelete ?? "delete", u, { known: false }, demoteRole))) {
                attention.push("expired");
            }
            if (active && !u.is_company_api_token) {
                if (u.last_login_time && login !== null && login >= staleDays) attention.push("stale");
                if (!u.last_login_time && joined !== null && joined >= staleDays) attention.push("never-logged-in");
            }
            return {
                email: u.email,
                guid: u.guid,
                role: roleText(u.roles.map((r) => r.slug)),
                roleName: u.roles[0]?.name ?? null,
                group: u.group?.name ?? null,
                status: u.status,
                joinedTime: u.joined_time,
                lastLoginTime: u.last_login_time,
                daysSinceLogin: login ?? joined,
                daysSinceJoined: joined,
                mfaStatus: u.mfa_status ?? null,
                mfaRequired: known.mfa ?? null,
                companyApiToken: u.is_company_api_token,
                admin: actingAdmin(u),
                standing: known.standing,
                declaredRole: known.role ?? null,
                reason: known.reason,
                expires: known.expires ?? null,
                onDelete: known.onDelete ?? null,
                undeclaredFeatures: u.features.filter((f) => f.value && known.features?.[f.slug] === undefined).map((f) => f.slug).sort(),
                attention,
            };
        });
    const count = (f: (u: ReviewedUser) => boolean) => users.filter(f).length;
    const summary = {
        users: users.length,
        attention: count((u) => u.attention.length > 0),
        neverLoggedIn: count((u) => !u.lastLoginTime && !u.companyApiToken),
        stale: count((u) => u.attention.includes("stale")),
        admins: count((u) => u.admin),
        adminsWithoutMfa: count((u) => u.attention.includes("admin-without-mfa")),
        companyApiTokens: count((u) => u.companyApiToken),
        // The users the "not declared" attention rule names, so that the count and the list agree.
        undeclared: count((u) => u.attention.includes("undeclared")),
        unmanaged: count((u) => u.standing === "unmanaged"),
        expiringSoon: count((u) => expiringSoon(u, today, expiringDays)),
        expired: count((u) => u.attention.includes("expired")),
        apiTokens: 0,
        apiTokensToRotate: 0,
        apiTokensExpiringSoon: 0,
        groups: 0,
        groupsNeedingAttention: 0,
    };
    const tokens = apiTokens && "tokens" in apiTokens ? reviewTokens(apiTokens.tokens, now, maxApiTokenAgeDays, declaredTokens) : null;
    summary.apiTokens = tokens?.length ?? 0;
    summary.apiTokensToRotate = tokens?.filter((t) => t.attention.length > 0).length ?? 0;
    summary.apiTokensExpiringSoon = tokens?.filter((t) => expiringSoon(t, today, expiringDays)).length ?? 0;
    const apiTokensNote = apiTokens && "unavailable" in apiTokens ? `${apiTokens.unavailable}: this token may not list the company API tokens (an Admin's can), so they are not reviewed.` : null;
    const reviewedGroups = groups ? reviewGroups(groups, account, declaredGroups) : [];
    summary.groups = reviewedGroups.length;
    summary.groupsNeedingAttention = reviewedGroups.filter((g) => g.attention.length > 0).length;
    // A review that cannot see the whole account cannot say nothing needs attention.
    const needsAttention = summary.attention > 0 || summary.apiTokensToRotate > 0 || summary.groupsNeedingAttention > 0 || policyViolations.length > 0 || partialView !== null;
    return {
        version: REVIEW_VERSION,
        file,
        asOf: now.toISOString(),
        staleDays,
        expiringDays,
        needsAttention,
        partialView,
        policyViolations,
        summary,
        users,
        apiTokens: tokens,
        apiTokensNote,
        maxApiTokenAgeDays: maxApiTokenAgeDays ?? null,
        groups: reviewedGroups,
    };
}

/** The account's groups by name, with their members; undeclared ones need attention once the file declares groups. */
function reviewGroups(all: AccessGroups, account: ApiUser[], declared: DeclaredGroup[] | undefined): ReviewedGroup[] {
    return all.groups
        .map((g) => {
            const d = declared?.find((x) => x.name.toLowerCase() === g.name.toLowerCase());
            const members = memberCount(g, account);
            const allCompanies = g.allCompanies ?? false;
            const attention: ReviewedGroup["attention"] = declared && !d && !allCompanies ? ["group-undeclared"] : [];
            return { guid: g.guid, name: g.name, isDefault: g.isDefault ?? false, allCompanies, members, inFile: declared ? (d ? ("declared" as const) : ("not-declared" as const)) : null, reason: d?.reason ?? null, attention };
        })
        .sort((a, b) => a.name.localeCompare(b.name) || a.guid.localeCompare(b.guid));
}

function reviewTokens(tokens: ApiToken[], now: Date, maxAgeDays: number | undefined, declared: DeclaredApiToken[] | undefined): ReviewedToken[] {
    const today = now.toISOString().slice(0, 10);
    const byDescription = new Map((declared ?? []).map((d) => [d.description, d]));
    return tokens
        .map((t) => {
            const ageDays = daysSince(t.createdDate, now) ?? 0;
            const d = byDescription.get(t.description);
            const attention: TokenAttention[] = [];
            if (maxAgeDays !== undefined && ageDays > maxAgeDays) attention.push("token-rotation");
            if (declared && !d) attention.push("token-undeclared");
            if (d?.expires !== undefined && d.expires <= today) attention.push("token-expired");
            return { ...t, ageDays, inFile: declared ? (d ? ("declared" as const) : ("not-declared" as const)) : null, expires: d?.expires ?? null, attention };
        })
        .sort((a, b) => a.createdDate.localeCompare(b.createdDate) || a.guid.localeCompare(b.guid));
}

/** Declared access that ends after `today` and within `days` of it. */
export function expiringSoon(u: Pick<ReviewedUser, "expires">, today: string, days: number): boolean {
    return u.expires !== null && u.expires > today && u.expires <= addDays(today, days);
}

/** Whether the account holds a role that grants more than the declared one: Admin, or a higher role of the same product. */
function beyondFile(declaredRole: string, u: ApiUser): boolean {
    return u.roles.some((r) => {
        const change = privilegeChange(declaredRole, r.slug);
        return change?.kind === "admin-granted" || change?.kind === "raised";
    });
}

/** 0 when nothing needs attention, 2 when something does (1 is an error, raised before). */
export function reviewExitCode(r: Review): number {
    return r.needsAttention ? 2 : 0;
}

/** `90d`, `12w` or a bare number of days. */
export function parseStale(text: string): number {
    const m = /^(\d+)\s*([dw]?)$/i.exec(text.trim());
    if (!m || Number(m[1]) < 1) throw new UsageError(`--stale must be a number of days like 90d (or weeks like 12w), not ${JSON.stringify(text)}`);
    return Number(m[1]) * (m[2]!.toLowerCase() === "w" ? 7 : 1);
}
