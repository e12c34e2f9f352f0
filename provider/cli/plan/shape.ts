// What a plan is: its entries, and the categories it counts (one row each: its key in
// `summary`, how it is counted, whether it is a difference, and then how the summary line
// says it). summed(), the summary line, the Plan type's summary and schema/plan.schema.json's
// summary (npm run docs writes it) all come from the rows. ./decide fills it in.
import { endIsDifference, type Ending } from "../../usersfile/ending";
import type { OnDelete } from "../../model/user-model";
import type { Privilege } from "../../model/roles";
import type { SeatCheck } from "../../program/seats";
import type { PlannedRemovedUser } from "./removed";

/** The JSON shape is versioned and described by schema/plan.schema.json. */
export const PLAN_VERSION = 2;

export type { Privilege, PrivilegeKind } from "../../model/roles";

export interface GroupRef {
    guid: string;
    name: string | null;
}

/** What a new user is given beyond its role and group, as declared. */
export interface Grants {
    features?: Record<string, boolean>;
    isAvailableForContact?: boolean;
    isCompanyApiToken?: boolean;
    status?: string;
}

/** What the file says of a user's access, for the reviewer: `reason:` and `expires:`, null where not given. */
export interface Why {
    reason: string | null;
    expires: string | null;
}

export interface PlannedCreate {
    email: string;
    role: string;
    group: GroupRef | null;
    privilege: Privilege | null;
    grants: Grants;
    why: Why;
}

/** A declared user whose `expires:` date has come: the next `pulumi up` deletes it (../../usersfile/ending). */
export interface ExpiredUser extends Ending {
    email: string;
    expires: string;
    onDelete: OnDelete;
}

/** A declared user's access that the file does not govern: features on in the account that the declaration does not name. */
export interface Ungoverned {
    email: string;
    guid: string;
    features: string[];
}

/** `from` and `to` are the field's values; for `group`, GroupRef objects. */
export interface FieldChange {
    field: string;
    from: unknown;
    to: unknown;
}

export interface PlannedChange {
    email: string;
    guid: string;
    changes: FieldChange[];
    privilege: Privilege | null;
    /** Declared differences the API cannot apply (status), with what to do instead. */
    blocked: string[];
    why: Why;
}

export interface AccountUser {
    email: string;
    guid: string;
    role: string;
    status: string;
    group: string | null;
    lastLoginTime: string | null;
}

/**
 * Declared users that exist in the account without `adopt: true`. `pulumi up` fails to
 * create them in a stack that does not manage them yet. `checked`: the stack's state was
 * given (`--state`), and `emails` are exactly those it does not manage (differences);
 * otherwise `emails` are all of them, for information.
 */
export interface NotAdopted {
    checked: boolean;
    emails: string[];
}

/** With `--state`: the users `pulumi up` would delete, and whether the mass-removal guard refuses the run. */
export interface PlannedRemoval {
    checked: boolean;
    removing: string[];
    /** Users `pulumi up` would demote (onDelete demote): kept in the account without privilege. */
    demoting: string[];
    /** Users the stack manages now. */
    total: number;
    allowed: number;
    refused: boolean;
    /** The guard's message when it refuses. */
    message: string | null;
}

/** An `unmanaged:` rule, and the undeclared users it acknowledges. */
export interface RuleAcknowledgement {
    name: string;
    reason: string;
    count: number;
    emails: string[];
}

/** An account user the file acknowledges under `unmanaged:`, with the file's reason. */
export interface UnmanagedAccountUser extends AccountUser {
    reason: string;
}

export interface Plan {
    version: number;
    file: string;
    /** The role onDelete "demote" leaves a user with (`bitsight:demoteRole`). */
    demoteRole: string;
    /** False too when the token sees only part of the account: what it cannot see may differ. */
    inSync: boolean;
    /** What the token cannot see of the account, when it is not an Admin's; null when it sees all of it. */
    partialView: string | null;
    /** How many of each category (CATEGORIES, below). */
    summary: PlanSummary;
    create: PlannedCreate[];
    change: PlannedChange[];
    unchanged: string[];
    undeclared: AccountUser[];
    /** Not declared, not acknowledged. They count as differences only when the file declares a company API token user itself. */
    companyApiTokens: AccountUser[];
    companyApiTokensDeclared: boolean;
    /** Acknowledged under `unmanaged:` and present in the account: never a difference. */
    unmanaged: UnmanagedAccountUser[];
    /** Undeclared users acknowledged by an `unmanaged:` rule, counted per rule: never a difference. */
    acknowledgedByRule: RuleAcknowledgement[];
    /** Not differences, but worth fixing in the file: an acknowledged user who is not in the account. */
    warnings: string[];
    /** Not differences either (`pulumi up` leaves them), but access a reviewer should see. */
    ungoverned: Ungoverned[];
    /** Declared users whose access has expired (../../usersfile/expiry). */
    expired: ExpiredUser[];
    /** The account's active-user seats against the users to create (../../program/seats). */
    seats: SeatCheck;
    notAdopted: NotAdopted;
    removal: PlannedRemoval;
    /** The file's `removed:` entries, each with what `pulumi up` does or what is left of the user (./removed). */
    removed: PlannedRemovedUser[];
    /** Declared users whose 2FA `pulumi up` will require: a difference. */
    mfaToRequire: MfaToRequire[];
    /** Declared users the account keeps 2FA required for (`pending`) though the file does not: said once, never a difference. */
    mfaKept: string[];
}

export interface MfaToRequire {
    email: string;
    /** Null for a user to be created. */
    guid: string | null;
    mfaStatus: string | null;
    /** `declared`, `defaults`, `team NAME` or `policy.requireMfa (ROLE)`. */
    why: string;
}

interface Category {
    /** How many of the plan's entries are in it. */
    count(plan: Plan): number;
    /** How the summary line says a difference; absent: never a difference (counted, said apart). */
    differs?(n: number, plan: Plan): string | undefined;
    /** What the count is, for the JSON schema. */
    about: string;
}

export const CATEGORIES = {
    create: { count: (p) => p.create.length, differs: (n) => `${n} to create`, about: "users pulumi up creates" },
    change: { count: (p) => p.change.length, differs: (n) => `${n} to change`, about: "declared users pulumi up changes, or whose declared difference it cannot apply" },
    unchanged: { count: (p) => p.unchanged.length, about: "declared users the account holds as declared" },
    undeclared: { count: (p) => p.undeclared.length, differs: (n) => `${n} not declared`, about: "account users the file neither declares nor acknowledges" },
    companyApiTokens: {
        count: (p) => p.companyApiTokens.length,
        // Differences only once the file declares company API token users itself.
        differs: (n, p) => (p.companyApiTokensDeclared ? `${n} company API token users not declared` : undefined),
        about: "company API token users the file neither declares nor acknowledges",
    },
    unmanaged: { count: (p) => p.unmanaged.length, about: "account users acknowledged under unmanaged: by email" },
    acknowledgedByRule: { count: (p) => p.acknowledgedByRule.reduce((n, a) => n + a.count, 0), about: "account users acknowledged by an unmanaged: rule" },
    notAdopted: {
        count: (p) => (p.notAdopted.checked ? p.notAdopted.emails.length : 0),
        differs: (n) => `${n} to adopt`,
        about: "with --state: declared users in the account, without adopt: true, that the stack does not manage",
    },
    delete: { count: (p) => p.removal.removing.length, differs: (n, p) => `${n} to delete${p.removal.refused ? " (refused: too many)" : ""}`, about: "with --state: users pulumi up deletes" },
    demote: { count: (p) => p.removal.demoting.length, differs: (n) => `${n} to demote`, about: "with --state: users pulumi up demotes (onDelete: demote)" },
    expired: { count: (p) => p.expired.filter(endIsDifference).length, differs: (n) => `${n} expired`, about: "expired users pulumi up still deletes, or that are back in the account" },
    removed: { count: (p) => p.removed.filter(endIsDifference).length, differs: (n) => `${n} removed to apply or to check`, about: "removed: entries to apply, changed since, or blocked" },
    mfaToRequire: { count: (p) => p.mfaToRequire.length, differs: (n) => `${n} 2FA to require`, about: "declared users whose 2FA pulumi up requires" },
} as const satisfies Record<string, Category>;

export type PlanSummary = Record<keyof typeof CATEGORIES, number>;

const rows = Object.entries(CATEGORIES) as [keyof typeof CATEGORIES, Category][];

export function countAll(plan: Plan): PlanSummary {
    return Object.fromEntries(rows.map(([key, c]) => [key, c.count(plan)])) as PlanSummary;
}

export function noneCounted(): PlanSummary {
    return Object.fromEntries(rows.map(([key]) => [key, 0])) as PlanSummary;
}

/** The differences, as the summary line says them, in the table's order; empty when there are none. */
export function differences(plan: Plan): string[] {
    return rows.flatMap(([key, c]) => {
        const n = plan.summary[key];
        const said = n > 0 ? c.differs?.(n, plan) : undefined;
        return said === undefined ? [] : [said];
    });
}

/** schema/plan.schema.json's `summary`, from the rows. */
export function summarySchema(): object {
    return {
        type: "object",
        additionalProperties: false,
        required: rows.map(([key]) => key),
        properties: Object.fromEntries(rows.map(([key, c]) => [key, { type: "integer", minimum: 0, description: c.about }])),
    };
}
