// What a plan is, defined once: each shape as a TypeBox schema, from which its type comes
// (Static) and schema/plan.schema.json is written (npm run docs; a test fails while the file
// differs). The summary counts the categories of ./categories; ./decide fills a plan in.
import { Type, type Static } from "@sinclair/typebox";

/** The JSON shape's version: fields are only ever added within one; a breaking change increments it. */
export const PLAN_VERSION = 2;

/** A category's count: what it is says what the entries are. */
const counted = (about: string) => Type.Integer({ minimum: 0, description: about });

export type { Privilege, PrivilegeKind } from "../../model/roles";

/** How many of each category, in the order a reader meets them; ./categories counts and shows each. */
const SummarySchema = Type.Object(
    {
        create: counted("users pulumi up creates"),
        apiTokensToCreate: counted("company API tokens pulumi up creates, each one's value emailed to its person"),
        groupsToCreate: counted("access groups pulumi up creates"),
        delete: counted("with --state: users pulumi up deletes"),
        expired: counted("expired users pulumi up still deletes, or that are back in the account"),
        demote: counted("with --state: users pulumi up demotes (onDelete: demote)"),
        removed: counted("removed: entries to apply, changed since, or blocked"),
        apiTokensToRevoke: counted("company API tokens pulumi up revokes (expired, or with --state removed from the file), or cannot (blocked)"),
        groupsToDelete: counted("with --state: access groups pulumi up deletes, or cannot (blocked: someone is still in it, or it is the default)"),
        change: counted("declared users pulumi up changes, or whose declared difference it cannot apply"),
        groupsToChange: counted("declared access groups whose declared flags pulumi up changes, or cannot"),
        mfaToRequire: counted("declared users whose 2FA pulumi up requires"),
        undeclared: counted("account users the file neither declares nor acknowledges"),
        apiTokensUndeclared: counted("company API tokens of the account the file does not declare: differences once the file has apiTokens:"),
        groupsUndeclared: counted("access groups of the account the file does not declare (All Companies aside): differences once the file has groups:"),
        companyApiTokens: counted("company API token users the file neither declares nor acknowledges"),
        notAdopted: counted("with --state: declared users in the account, without adopt: true, that the stack does not manage"),
        unmanaged: counted("account users acknowledged under unmanaged: by email"),
        timeBound: counted("declared users whose expires: date is to come: never differences, the day is in the file already"),
        ungoverned: counted("declared users with features on in the account that the file does not name: access a reviewer should see, never differences"),
        acknowledgedByRule: counted("account users acknowledged by an unmanaged: rule"),
        unchanged: counted("declared users the account holds as declared"),
    },
    { additionalProperties: false },
);
export type CategoryKey = keyof typeof SummarySchema.properties;
export const CATEGORY_KEYS = Object.keys(SummarySchema.properties) as CategoryKey[];

const PrivilegeSchema = Type.Union([Type.Null(), Type.Object({
kind: Type.Union([Type.Literal("admin-granted"), Type.Literal("admin-removed"), Type.Literal("raised"), Type.Literal("lowered")]),
from: Type.Union([Type.String(), Type.Null()], {"description": "null for a new user"}),
to: Type.String()
}, {"additionalProperties": false})], {"description": "A change of what the user may do: Admin granted or removed, or a role raised or lowered within the same product. null when the role does not change in rank."});

export const GroupRef = Type.Object({
guid: Type.String({"description": "empty for a group the file's groups: creates (it has no GUID yet)"}),
name: Type.Union([Type.String(), Type.Null()])
}, {"additionalProperties": false});

export const AccountUser = Type.Object({
email: Type.String(),
guid: Type.String(),
role: Type.String(),
status: Type.String(),
group: Type.Union([Type.String(), Type.Null()], {"description": "group name"}),
lastLoginTime: Type.Union([Type.String(), Type.Null()])
}, {"additionalProperties": false});

export const Why = Type.Object({
reason: Type.Union([Type.String(), Type.Null()]),
expires: Type.Union([Type.String({"pattern": "^\\d{4}-\\d{2}-\\d{2}$"}), Type.Null()])
}, {"description": "What the file says of the access, for the reviewer: its `reason:` and its `expires:` date (the first day without it), null where not given", "additionalProperties": false});

export const Grants = Type.Object({
features: Type.Optional(Type.Record(Type.String(), Type.Boolean())),
isAvailableForContact: Type.Optional(Type.Boolean()),
isCompanyApiToken: Type.Optional(Type.Boolean()),
status: Type.Optional(Type.String())
}, {"description": "everything the new user is given beyond its role and group, as declared: the features turned on or off, the contact flag, the company-API-token flag, the status at creation", "additionalProperties": false});

export const FieldChange = Type.Object({
field: Type.String({"description": "email, formalName, friendlyName, role, group, isAvailableForContact, isCompanyApiToken, features.<slug>"}),
from: Type.Unknown({"description": "the account's value; for group a groupRef"}),
to: Type.Unknown({"description": "the declared value; for group a groupRef"})
}, {"additionalProperties": false});

export const PlannedCreate = Type.Object({
email: Type.String(),
role: Type.String(),
group: Type.Union([Type.Null(), GroupRef]),
privilege: PrivilegeSchema,
grants: Grants,
why: Why
}, {"additionalProperties": false});

export const PlannedChange = Type.Object({
email: Type.String(),
guid: Type.String(),
changes: Type.Array(FieldChange),
privilege: PrivilegeSchema,
blocked: Type.Array(Type.String(), {"description": "declared differences the API cannot apply (status), with what to do"}),
why: Why
}, {"additionalProperties": false});

export const ExpiredUser = Type.Object({
email: Type.String(),
expires: Type.String(),
onDelete: Type.Literal("delete"),
state: Type.Union([Type.Literal("to-delete"), Type.Literal("to-demote"), Type.Literal("to-retain"), Type.Literal("done"), Type.Literal("gone"), Type.Literal("changed"), Type.Literal("blocked")], {"description": "to-*: the stack manages the user and pulumi up applies the entry; done: the account holds the entry's end state; gone: not in the account, the entry can go; changed: the account holds more than the end state, though the user left the stack's BitsightUsers (a demoted user is kept demoted: the next pulumi up --refresh demotes it again; a deleted user who is back is for the UI); blocked: the stack recorded another onDelete"}),
detail: Type.Union([Type.String(), Type.Null()])
}, {"additionalProperties": false});

export const TimeBound = Type.Object({
email: Type.String(),
expires: Type.String({"pattern": "^\\d{4}-\\d{2}-\\d{2}$", "description": "the first day without access: from it the next pulumi up deletes the user"}),
daysLeft: Type.Integer({"minimum": 1, "description": "days from today (UTC) to expires"})
}, {"additionalProperties": false});

export const PlannedApiToken = Type.Object({
description: Type.String(),
for: Type.String({"description": "the person the token's value is emailed to"}),
group: Type.Union([Type.String(), Type.Null()], {"description": "as the file writes it; null: the account's default group"}),
reason: Type.String(),
expires: Type.Union([Type.String(), Type.Null()])
}, {"additionalProperties": false});

export const RevokedApiToken = Type.Object({
description: Type.String(),
guid: Type.Union([Type.String(), Type.Null()]),
token: Type.Union([Type.String(), Type.Null()], {"description": "as the account lists it: masked but its last four"}),
why: Type.Union([Type.Literal("expired"), Type.Literal("removed")], {"description": "expired: its expires: has come; removed: with --state, the stack manages it and the file no longer declares it"}),
expires: Type.Union([Type.String(), Type.Null()]),
state: Type.Union([Type.Literal("to-revoke"), Type.Literal("blocked"), Type.Literal("gone")], {"description": "to-revoke: pulumi up revokes it; blocked: it ends as the token the plan runs with, which pulumi up never revokes; gone: not in the account, the entry can go"}),
detail: Type.Union([Type.String(), Type.Null()])
}, {"additionalProperties": false});

export const AccountApiToken = Type.Object({
guid: Type.String(),
description: Type.String(),
token: Type.String({"description": "masked but its last four"}),
createdDate: Type.String(),
creatorName: Type.Union([Type.String(), Type.Null()]),
group: Type.Union([Type.String(), Type.Null()], {"description": "group name"}),
ageDays: Type.Integer()
}, {"additionalProperties": false});

export const PlannedGroup = Type.Object({
name: Type.String(),
isDefault: Type.Union([Type.Boolean(), Type.Null()], {"description": "null: not declared"}),
allowBundledCompanies: Type.Union([Type.Boolean(), Type.Null()], {"description": "null: not declared"}),
canSetTierScope: Type.Union([Type.Boolean(), Type.Null()], {"description": "null: not declared"}),
reason: Type.Union([Type.String(), Type.Null()]),
companies: Type.Union([Type.Array(Type.String()), Type.Null()], {"description": "the GUIDs of the companies it is to see; null: not declared"}),
declaredUsers: Type.Integer({"minimum": 0, "description": "declared users whose group: names it: they land in it once it is made"})
}, {"additionalProperties": false});

export const ChangedGroup = Type.Object({
name: Type.String(),
guid: Type.String(),
renamedFrom: Type.Union([Type.String(), Type.Null()], {"description": "the account's name for it, under the file's formerNames: pulumi up renames it in place; null: not renamed"}),
changes: Type.Array(Type.Object({ field: Type.String({"description": "isDefault, allowBundledCompanies or canSetTierScope"}), from: Type.Boolean(), to: Type.Boolean() }, {"additionalProperties": false})),
blocked: Type.Array(Type.String(), {"description": "declared differences pulumi up cannot apply, with what to do"}),
companiesAdded: Type.Array(Type.String(), {"description": "GUIDs of companies the file gives the group that it does not see now"}),
companiesRemoved: Type.Array(Type.String(), {"description": "GUIDs of companies the group sees now that the file does not give it"}),
members: Type.Integer({"minimum": 0})
}, {"additionalProperties": false});

export const DeletedGroup = Type.Object({
name: Type.String(),
guid: Type.String(),
members: Type.Integer({"minimum": 0, "description": "users in it now"}),
staying: Type.Array(Type.String(), {"description": "emails of the users it would still hold after this run: any makes it blocked"}),
state: Type.Union([Type.Literal("to-delete"), Type.Literal("blocked"), Type.Literal("gone")], {"description": "to-delete: pulumi up deletes it; blocked: pulumi up refuses the run (someone would still be in it, or it is the default or All Companies group); gone: not in the account"}),
detail: Type.Union([Type.String(), Type.Null()])
}, {"additionalProperties": false});

export const AccountGroup = Type.Object({
guid: Type.String(),
name: Type.String(),
isDefault: Type.Boolean(),
members: Type.Integer({"minimum": 0, "description": "users in it (the listing's user_count)"})
}, {"additionalProperties": false});

export const Ungoverned = Type.Object({
email: Type.String(),
guid: Type.String(),
features: Type.Array(Type.String())
}, {"additionalProperties": false});

export const NotAdopted = Type.Object({
checked: Type.Boolean({"description": "true when --state gave the stack's resources: emails are then exactly the users the stack does not manage, and count as differences; false: emails lists all such users, for information"}),
emails: Type.Array(Type.String())
}, {"description": "declared users that exist in the account and are declared without `adopt: true`. `pulumi up` fails to create them in a stack that does not manage them yet.", "additionalProperties": false});

export const PlannedRemoval = Type.Object({
checked: Type.Boolean({"description": "false without --state: nothing below is known"}),
removing: Type.Array(Type.String()),
total: Type.Integer({"description": "users the stack manages", "minimum": 0}),
allowed: Type.Integer({"description": "deletions the share allows", "minimum": 0}),
refused: Type.Boolean(),
message: Type.Union([Type.String(), Type.Null()], {"description": "the guard's refusal, as pulumi up would print it"}),
demoting: Type.Array(Type.String(), {"description": "with --state: the users pulumi up would demote (onDelete demote, no longer declared): kept in the account with the least-privileged role, every feature off, not a contact"})
}, {"description": "with --state: the users `pulumi up` would delete (managed by the stack with onDelete delete, no longer declared), and whether the mass-removal guard refuses the run", "additionalProperties": false});

export const RuleAcknowledgement = Type.Object({
name: Type.String(),
reason: Type.String(),
count: Type.Integer({"minimum": 0}),
emails: Type.Array(Type.String())
}, {"additionalProperties": false});

export const UnmanagedAccountUser = Type.Object({
email: Type.String(),
guid: Type.String(),
role: Type.String(),
status: Type.String(),
group: Type.Union([Type.String(), Type.Null()], {"description": "group name"}),
lastLoginTime: Type.Union([Type.String(), Type.Null()]),
reason: Type.String({"description": "the file's reason for leaving this user unmanaged"})
}, {"additionalProperties": false});

export const PlannedRemovedUserSchema = Type.Object({
email: Type.String(),
onDelete: Type.Union([Type.Literal("delete"), Type.Literal("demote"), Type.Literal("retain")]),
reason: Type.String(),
state: Type.Union([Type.Literal("to-delete"), Type.Literal("to-demote"), Type.Literal("to-retain"), Type.Literal("done"), Type.Literal("gone"), Type.Literal("changed"), Type.Literal("blocked")], {"description": "to-*: the stack manages the user and pulumi up applies the entry; done: the account holds the entry's end state; gone: not in the account, the entry can go; changed: the account holds more than the end state, though the user left the stack's BitsightUsers (a demoted user is kept demoted: the next pulumi up --refresh demotes it again; a deleted user who is back is for the UI); blocked: the stack recorded another onDelete"}),
detail: Type.Union([Type.String(), Type.Null()])
}, {"additionalProperties": false});

export const MfaToRequire = Type.Object({
email: Type.String(),
guid: Type.Union([Type.String(), Type.Null()], {"description": "null for a user to be created"}),
mfaStatus: Type.Union([Type.String(), Type.Null()], {"description": "the account's mfa_status now; null for a user to be created"}),
why: Type.String({"description": "where the requirement comes from: `declared`, `defaults`, `team NAME`, or `policy.requireMfa (ROLE)`"})
}, {"additionalProperties": false});

const SeatCheckSchema = Type.Object({
checked: Type.Boolean(),
needed: Type.Integer({"minimum": 0}),
remaining: Type.Union([Type.Integer(), Type.Null()]),
total: Type.Union([Type.Integer(), Type.Null()]),
refused: Type.Boolean(),
message: Type.Union([Type.String(), Type.Null()]),
warning: Type.Union([Type.String(), Type.Null()]),
note: Type.Union([Type.String(), Type.Null()])
}, {"description": "the account's active-user seats (GET /ratings/v1/users/quota) against the users to create; refused (exit code 1) when they need more than are left", "additionalProperties": false});

export const PlanSchema = Type.Object({
version: Type.Literal(PLAN_VERSION),
file: Type.String({"description": "the users file, as given"}),
inSync: Type.Boolean({"description": "true when nothing is to create, change or delete, no user of the account is undeclared and, with --state, no existing user is declared without adopt in a stack that does not manage it (exit code 0)"}),
partialView: Type.Union([Type.String(), Type.Null()], {"description": "What the API token cannot see of the account when it is not an Admin's (a Group Admin's sees its own group); null when it sees all of it. inSync is then false."}),
summary: SummarySchema,
create: Type.Array(PlannedCreate, {"description": "declared users the account does not have"}),
change: Type.Array(PlannedChange, {"description": "declared users whose declared fields differ in the account"}),
unchanged: Type.Array(Type.String(), {"description": "emails of declared users that match"}),
undeclared: Type.Array(AccountUser, {"description": "users of the account the file does not declare"}),
companyApiTokens: Type.Array(AccountUser, {"description": "company API token users the file does not declare, listed apart"}),
notAdopted: NotAdopted,
removal: PlannedRemoval,
removed: Type.Array(PlannedRemovedUserSchema, {"description": "the file's removed: entries: users taken out on purpose"}),
companyApiTokensDeclared: Type.Boolean({"description": "the file declares a company API token user: then undeclared token users count as differences"}),
unmanaged: Type.Array(UnmanagedAccountUser, {"description": "account users the file acknowledges under unmanaged:, never differences"}),
warnings: Type.Array(Type.String(), {"description": "not differences: acknowledged users who are not in the account"}),
ungoverned: Type.Array(Ungoverned, {"description": "account state the file does not govern, for declared users: features turned on in the account that the declaration does not name. Not differences (pulumi up leaves them), but access a reviewer should see."}),
apiTokensDeclared: Type.Boolean({"description": "the file has an apiTokens: section: the account's tokens were listed, and undeclared ones count as differences"}),
apiTokensToCreate: Type.Array(PlannedApiToken, {"description": "declared tokens the account lacks"}),
apiTokensToRevoke: Type.Array(RevokedApiToken, {"description": "declared tokens whose expires: has come, and, with --state, the stack's tokens the file no longer declares"}),
apiTokensUndeclared: Type.Array(AccountApiToken, {"description": "the account's tokens the file does not declare (listed only when the file has apiTokens:)"}),
groupsDeclared: Type.Boolean({"description": "the file has a groups: section: the account's other groups count as differences"}),
groupsToCreate: Type.Array(PlannedGroup, {"description": "declared access groups the account lacks (by exact name)"}),
groupsToChange: Type.Array(ChangedGroup, {"description": "declared access groups whose declared flags differ in the account"}),
groupsToDelete: Type.Array(DeletedGroup, {"description": "with --state: the stack's access groups the file no longer declares"}),
groupsUndeclared: Type.Array(AccountGroup, {"description": "the account's access groups the file does not declare, All Companies aside (listed only when the file has groups:)"}),
timeBound: Type.Array(TimeBound, {"description": "declared users whose access has an end date to come, soonest first: what a reviewer should know will end, and when"}),
demoteRole: Type.String({"description": "the role onDelete demote leaves a user with (bitsight:demoteRole)"}),
expired: Type.Array(ExpiredUser, {"description": "declared users whose expires: date has come: from that date the file does not declare them and they hold no login; the next pulumi up deletes them (an expiry's onDelete is always delete)"}),
seats: SeatCheckSchema,
acknowledgedByRule: Type.Array(RuleAcknowledgement, {"description": "undeclared users acknowledged by an unmanaged: rule, counted per rule (in the file's order); never differences. A rule that matches nobody is also a warning."}),
mfaToRequire: Type.Array(MfaToRequire, {"description": "declared users whose 2FA `pulumi up` will require (POST /ratings/v2/users/{guid}/require-mfa): `mfa: required` is declared, or policy.requireMfa names their role, and the account says `not_enabled` (or the user is to be created). A difference."}),
mfaKept: Type.Array(Type.String(), {"description": "declared users whose 2FA the account keeps required (`pending`) though the file does not require it: no API call lifts it, so nothing is sent. Not differences."})
}, {"$schema": "http://json-schema.org/draft-07/schema#", "description": "The output of `bitsight-users plan --format json`. Version 2: fields are only ever added within a version; a breaking change increments `version` (2: an expired user says `state` and `detail`, as a removed one does, for one decision of what pulumi up does at the end of access). Lists are sorted by email.", "title": "bitsight-users plan (JSON)", "additionalProperties": false});


export type GroupRef = Static<typeof GroupRef>;
export type AccountUser = Static<typeof AccountUser>;
export type Why = Static<typeof Why>;
export type Grants = Static<typeof Grants>;
/** `from` and `to` are the field's values; for `group`, GroupRef objects. */
export type FieldChange = Static<typeof FieldChange>;
export type PlannedCreate = Static<typeof PlannedCreate>;
export type PlannedChange = Static<typeof PlannedChange>;
/** A declared user whose `expires:` date has come: the next `pulumi up` deletes it (../../usersfile/ending). */
export type ExpiredUser = Static<typeof ExpiredUser>;
export type TimeBound = Static<typeof TimeBound>;
export type PlannedApiToken = Static<typeof PlannedApiToken>;
export type RevokedApiToken = Static<typeof RevokedApiToken>;
export type AccountApiToken = Static<typeof AccountApiToken>;
export type PlannedGroup = Static<typeof PlannedGroup>;
export type ChangedGroup = Static<typeof ChangedGroup>;
export type DeletedGroup = Static<typeof DeletedGroup>;
export type AccountGroup = Static<typeof AccountGroup>;
export type Ungoverned = Static<typeof Ungoverned>;
export type NotAdopted = Static<typeof NotAdopted>;
export type PlannedRemoval = Static<typeof PlannedRemoval>;
export type RuleAcknowledgement = Static<typeof RuleAcknowledgement>;
export type UnmanagedAccountUser = Static<typeof UnmanagedAccountUser>;
export type PlannedRemovedUser = Static<typeof PlannedRemovedUserSchema>;
export type MfaToRequire = Static<typeof MfaToRequire>;
export type PlanSummary = Static<typeof SummarySchema>;
export type Plan = Static<typeof PlanSchema>;

