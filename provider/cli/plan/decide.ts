// `plan`: a users file against the live account, read-only. Uses the provider's own
// check, mapping and diff, so the plan says what `pulumi up` would do to each user.
import { asUserInputs, checkUser } from "../../resource/check";
import type { AccessGroups } from "../../account/users-api";
import { diffUser, lockedFeatureConflict, statusConflict } from "../../resource/diff";
import { toOutputs } from "../../resource/mapping";
import { privilegeChange, roleText } from "../../model/roles";
import type { ApiUser } from "../../model/wire";
import type { DeclaredUser, RemovedUser, UnmanagedRule, UnmanagedUser } from "../../usersfile/parse";
import { missingRemovedEntries, planRemoved, stackView } from "./removed";
import { endOfAccess } from "../../usersfile/ending";
import { countAll, differences, noneCounted } from "./categories";
import { PLAN_VERSION, type ExpiredUser, type Grants, type Plan, type AccountUser, type Why } from "./shape";
import { ruleFor } from "../../usersfile/unmanaged-rules";
import { planTokens, type TokensInput } from "./tokens";
import { planGroups } from "./groups";
import { isGroupToCreate } from "../../usersfile/groups";

/** A GUID no group has: what a group still to create is checked as. */
const PENDING_GROUP = "00000000-0000-4000-8000-000000000000";
import type { DeclaredGroup } from "../../usersfile/model";
import { checkRemovals, removalMessage, resolveRemovalLimit, type RemovalLimit } from "../../program/removals";
import type { Managed } from "../state";
import { DEFAULT_DEMOTE_ROLE } from "../../config/settings";
import type { Seats } from "../../account/users-api";
import { checkSeats } from "../../program/seats";
import { isExpired, todayUtc } from "../../usersfile/expiry";
import { identityKeys, mfaWhy } from "../../usersfile/model";
import { emailKey, mfaKnown, mfaToRequire } from "../../model/user-model";

export interface PlanInput {
    file: string;
    /** Declared users, group references already resolved to GUIDs. */
    declared: DeclaredUser[];
    /** Every user of the account, company-API-token users included. */
    account: ApiUser[];
    groups: AccessGroups;
    /** The users the stack manages, from `--state`; undefined when not given. */
    managed?: Managed | undefined;
    /** The mass-removal guard's limit (../../program/removals), as the program would resolve it. */
    removalLimit?: RemovalLimit;
    /** The file's `unmanaged:` list, each with the line it is on. */
    unmanaged?: (Pick<UnmanagedUser, "email" | "reason"> & { line: number })[];
    /** The file's `unmanaged:` rules, each with the line it is on. */
    rules?: (UnmanagedRule & { line: number })[];
    /** `bitsight:demoteRole`; default customer_user. */
    demoteRole?: string;
    /** Today, UTC (YYYY-MM-DD): access whose `expires:` has come is not declared. */
    today?: string;
    /** GET /ratings/v1/users/quota's answer; not checked when absent. */
    seats?: Seats;
    /** What the token cannot see of the account (../../account/token-reach); null or absent: all of it. */
    partialView?: string | null;
    /** The file's `removed:` entries: users taken out on purpose (./removed). */
    removed?: RemovedUser[];
    /** The file's `apiTokens:` and the account's tokens, when the file has the section (./tokens). */
    apiTokens?: Omit<TokensInput, "today">;
    /** The file's `groups:`, when it has the section (./groups). */
    declaredGroups?: DeclaredGroup[];
    /** The companies each declared group that declares companies: sees now, by lower-cased GUID. */
    groupCompanies?: ReadonlyMap<string, string[]>;
}

export function computePlan(input: PlanInput): Plan {
    const { account, seats, file } = input;
    const byEmail = new Map(account.map((u) => [emailKey(u.email), u]));
    const plan = emptyPlan(input);
    const seen = planDeclared(plan, input, byEmail);
    if (seats) plan.seats = checkSeats(file, plan.create.filter((c) => c.grants.status !== "Deactivated").length, seats);
    planRemovals(plan, input, seen);
    plan.removed = planRemoved(input.removed ?? [], byEmail, input.managed, plan.demoteRole);
    planTheRest(plan, input, seen);
    warnLeftBehind(plan, input, byEmail);
    if (input.apiTokens) {
        const tokens = planTokens({ ...input.apiTokens, today: input.today ?? todayUtc() });
        plan.apiTokensToCreate = tokens.create;
        plan.apiTokensToRevoke = tokens.revoke;
        plan.apiTokensUndeclared = tokens.undeclared;
        plan.warnings.push(...tokens.warnings);
    }
    if (input.declaredGroups) {
        const deleting = new Set(plan.removal.removing.map(emailKey));
        const groups = planGroups({ declared: input.declaredGroups, account: input.groups, everyone: account, users: input.declared, ...(input.groupCompanies ? { companies: input.groupCompanies } : {}), ...(input.managed ? { managed: { groups: input.managed.accessGroups, deleting } } : {}) });
        plan.groupsToCreate = groups.create;
        plan.groupsToChange = groups.change;
        plan.groupsToDelete = groups.remove;
        plan.groupsUndeclared = groups.undeclared;
        plan.warnings.push(...groups.warnings);
    }
    return summed(plan);
}

/** The emails the declared users answer to, and those whose access expired: the rest of the account is judged against them. */
interface Seen {
    declared: Set<string>;
    expired: Set<string>;
}

type ByEmail = Map<string, ApiUser>;

function emptyPlan({ file, declared, managed, rules = [], demoteRole = DEFAULT_DEMOTE_ROLE, partialView = null, apiTokens, declaredGroups: groups }: PlanInput): Plan {
    return {
        version: PLAN_VERSION,
        file,
        demoteRole,
        inSync: true,
        partialView,
        summary: noneCounted(),
        create: [],
        change: [],
        unchanged: [],
        undeclared: [],
        companyApiTokens: [],
        companyApiTokensDeclared: declared.some((d) => d.args.isCompanyApiToken === true),
        unmanaged: [],
        acknowledgedByRule: rules.map((r) => ({ name: r.name, reason: r.reason, count: 0, emails: [] })),
        warnings: [],
        ungoverned: [],
        apiTokensDeclared: apiTokens !== undefined,
        apiTokensToCreate: [],
        apiTokensToRevoke: [],
        apiTokensUndeclared: [],
        groupsDeclared: groups !== undefined,
        groupsToCreate: [],
        groupsToChange: [],
        groupsToDelete: [],
        groupsUndeclared: [],
        timeBound: [],
        expired: [],
        removed: [],
        seats: { checked: false, needed: 0, remaining: null, total: null, refused: false, message: null, warning: null, note: null },
        notAdopted: { checked: managed !== undefined, emails: [] },
        removal: { checked: false, removing: [], demoting: [], total: 0, allowed: 0, refused: false, message: null },
        mfaToRequire: [],
        mfaKept: [],
    };
}

/** Each declared user: expired, to create, to change (or blocked), or unchanged. */
function planDeclared(plan: Plan, { declared, groups, managed, today = todayUtc() }: PlanInput, byEmail: ByEmail): Seen {
    const groupName = (guid: string | undefined | null) => (guid ? (groups.groups.find((g) => g.guid.toLowerCase() === guid.toLowerCase())?.name ?? null) : null);
    // A group the file creates has no GUID yet: its name, and an empty guid.
    const groupRef = (ref: unknown) => (isGroupToCreate(ref) ? { guid: "", name: ref } : { guid: ref as string, name: groupName(ref as string) });
    const seen: Seen = { declared: new Set(), expired: new Set() };
    for (const d of declared) {
        if (isExpired(d, today)) {
            const email = String(d.args.email).trim();
            seen.expired.add(emailKey(email));
            plan.expired.push(expiredUser(email, d, byEmail.get(emailKey(email)), plan.demoteRole, managed));
            continue;
        }
        // A group to create is a name until pulumi up makes it: checked as the GUID it will be.
        const toCreate = isGroupToCreate(d.args.group) ? d.args.group : undefined;
        const checked = asUserInputs(checkUser({ ...d.args, ...(toCreate ? { group: PENDING_GROUP } : {}) } as unknown as Record<string, unknown>).inputs);
        const inputs = toCreate ? { ...checked, group: toCreate } : checked;
        if (d.expires) plan.timeBound.push({ email: inputs.email, expires: d.expires, daysLeft: Math.round((Date.parse(d.expires) - Date.parse(today)) / 86_400_000) });
        const keys = identityKeys(d);
        keys.forEach((k) => seen.declared.add(k));
        const live = keys.map((k) => byEmail.get(k)).find(Boolean);
        // A user to be created has no 2FA yet: pulumi up requires it right after the POST.
        if (mfaToRequire(inputs.mfa, live ? live.mfa_status : "not_enabled")) {
            plan.mfaToRequire.push({ email: inputs.email, guid: live?.guid ?? null, mfaStatus: live ? (live.mfa_status ?? null) : null, why: mfaWhy(d) });
        }
        if (live && inputs.mfa === undefined && live.mfa_status === "pending") plan.mfaKept.push(inputs.email);
        if (live && inputs.mfa !== undefined && !mfaKnown(live.mfa_status)) {
            plan.warnings.push(
                `${inputs.email}: the file requires 2FA, but Bitsight's answer does not say the user's 2FA (mfa_status ${JSON.stringify(live.mfa_status ?? null)}), so pulumi up sends nothing for it: check it in the Bitsight UI`,
            );
        }
        if (!live) {
            plan.create.push({
                email: inputs.email,
                role: inputs.role,
                group: inputs.group ? groupRef(inputs.group) : null,
                privilege: privilegeChange(null, inputs.role),
                grants: grantsOf(inputs),
                why: whyOf(d),
            });
            continue;
        }
        const undeclaredOn = live.features.filter((f) => f.value && inputs.features?.[f.slug as keyof typeof inputs.features] === undefined).map((f) => f.slug);
        if (undeclaredOn.length) plan.ungoverned.push({ email: inputs.email, guid: live.guid, features: undeclaredOn.sort() });
        const inStack = managed && (managed.guids.has(live.guid.toLowerCase()) || managed.emails.has(keys[0]!));
        if (!inputs.adopt && !inStack) plan.notAdopted.emails.push(inputs.email);
        const outputs = toOutputs(live, inputs, { adopted: false });
        const changes = diffUser(outputs, inputs)
            // 2FA is listed apart (mfaToRequire): it is a call of its own, never a field of the PATCH.
            .filter((c) => c.api && c.field !== "mfa")
            .map(({ field, from, to }) =>
                field === "group"
                    ? { field, from: groupRef(from), to: groupRef(to) }
                    : { field, from, to },
            );
        const blocked = [statusConflict(live.status, inputs.status), lockedFeatureConflict(outputs, inputs)].filter((b): b is string => !!b);
        if (changes.length === 0 && blocked.length === 0) {
            plan.unchanged.push(inputs.email);
            continue;
        }
        const role = changes.find((c) => c.field === "role");
        plan.change.push({
            email: inputs.email,
            guid: live.guid,
            changes,
            privilege: role ? privilegeChange(String(role.from), String(role.to)) : null,
            blocked,
            why: whyOf(d),
        });
    }
    return seen;
}

/** With a stack export: the users `pulumi up` would delete or demote, and whether the mass-removal guard refuses the run. */
function planRemovals(plan: Plan, { file, managed, removalLimit, removed = [] }: PlanInput, seen: Seen): void {
    if (!managed) return;
    const limit = removalLimit ?? resolveRemovalLimit(undefined, undefined, {});
    const stack = {
        total: managed.users.length,
        deletable: managed.users.filter((u) => u.onDelete === "delete").map((u) => u.email),
        demotable: managed.users.filter((u) => u.onDelete === "demote").map((u) => u.email),
    };
    const verdict = checkRemovals(stack, seen.declared, limit);
    // Expired and removed users are counted by the guard, and listed once, as expired or removed.
    const listedApart = new Set([...seen.expired, ...removed.map((r) => emailKey(r.email))]);
    const apart = (list: string[]) => list.filter((e) => !listedApart.has(e));
    plan.removal = { checked: true, ...verdict, removing: apart(verdict.removing), demoting: apart(verdict.demoting), message: verdict.refused ? removalMessage(file, verdict, limit) : null };
    plan.warnings.push(...missingRemovedEntries([...plan.removal.removing, ...plan.removal.demoting], removed, managed));
}

/** The account's users the file does not declare: acknowledged (by entry or rule), token users, or undeclared. */
function planTheRest(plan: Plan, { account, unmanaged = [], rules = [], removed = [] }: PlanInput, seen: Seen): void {
    const removing = new Set([...plan.removal.removing, ...plan.removal.demoting, ...removed.map((r) => emailKey(r.email))]);
    const acknowledged = new Map(unmanaged.map((u) => [emailKey(u.email), u]));
    for (const u of account) {
        const key = emailKey(u.email);
        // A user about to be deleted, demoted, or whose access expired is listed there, not as undeclared.
        if (seen.declared.has(key) || removing.has(key) || seen.expired.has(key)) continue;
        const entry: AccountUser = {
            email: u.email,
            guid: u.guid,
            role: roleText(u.roles.map((r) => r.slug)),
            status: u.status,
            group: u.group?.name ?? null,
            lastLoginTime: u.last_login_time,
        };
        const ack = acknowledged.get(key);
        const rule = ack ? undefined : ruleFor(u, rules);
        if (ack) plan.unmanaged.push({ ...entry, reason: ack.reason });
        else if (rule) {
            const counted = plan.acknowledgedByRule[rules.indexOf(rule as (typeof rules)[number])]!;
            counted.count++;
            counted.emails.push(u.email);
        } else (u.is_company_api_token ? plan.companyApiTokens : plan.undeclared).push(entry);
    }
}

/** Entries of the file that no longer match anyone: left behind, to be removed. */
function warnLeftBehind(plan: Plan, { file, unmanaged = [], rules = [] }: PlanInput, byEmail: ByEmail): void {
    for (const u of unmanaged) {
        if (!byEmail.has(emailKey(u.email))) {
            plan.warnings.push(`${file}:${u.line}: ${u.email} is listed under unmanaged but is not in the account; remove the entry`);
        }
    }
    rules.forEach((r, i) => {
        if (plan.acknowledgedByRule[i]!.count === 0) {
            plan.warnings.push(`${file}:${r.line}: the unmanaged rule '${r.name}' matches no user the file does not declare; remove it if it was left behind`);
        }
    });
}

/** Every list in a stable order, the counts, and whether anything differs. */
function summed(plan: Plan): Plan {
    for (const a of plan.acknowledgedByRule) a.emails.sort();
    const byEmailOrder = <T extends { email: string }>(list: T[]) => list.sort((a, b) => a.email.localeCompare(b.email));
    byEmailOrder(plan.create);
    byEmailOrder(plan.change);
    byEmailOrder(plan.undeclared);
    byEmailOrder(plan.companyApiTokens);
    byEmailOrder(plan.unmanaged);
    byEmailOrder(plan.ungoverned);
    byEmailOrder(plan.mfaToRequire);
    plan.timeBound.sort((a, b) => a.daysLeft - b.daysLeft || a.email.localeCompare(b.email));
    plan.mfaKept.sort();
    plan.unchanged.sort();
    plan.notAdopted.emails.sort();
    plan.summary = countAll(plan);
    plan.inSync = differences(plan).length === 0 && plan.partialView === null;
    return plan;
}

function expiredUser(email: string, d: DeclaredUser, live: ApiUser | undefined, demoteRole: string, managed: Managed | undefined): ExpiredUser {
    // The loader refuses an expiry under any other onDelete (../../usersfile/ending).
    return { email, expires: d.expires!, onDelete: "delete", ...endOfAccess("expired", email, d.args.onDelete ?? "delete", live, stackView(managed, email), demoteRole) };
}

function grantsOf(inputs: ReturnType<typeof asUserInputs>): Grants {
    const grants: Grants = {};
    if (inputs.features && Object.keys(inputs.features).length) grants.features = { ...inputs.features } as Record<string, boolean>;
    if (inputs.isAvailableForContact !== undefined) grants.isAvailableForContact = inputs.isAvailableForContact;
    if (inputs.isCompanyApiToken !== undefined) grants.isCompanyApiToken = inputs.isCompanyApiToken;
    if (inputs.status !== undefined) grants.status = inputs.status;
    return grants;
}

/** As `terraform plan -detailed-exitcode`: 0 in sync, 2 differences; 1 when the change needs more seats than the account has. */
export function planExitCode(plan: Plan): 0 | 1 | 2 {
    if (plan.seats.refused) return 1;
    return plan.inSync ? 0 : 2;
}

function whyOf(d: DeclaredUser): Why {
    return { reason: d.reason ?? null, expires: d.expires ?? null };
}
