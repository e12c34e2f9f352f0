// What a review is, defined once: each shape as a TypeBox schema, from which its type
// comes (Static) and schema/review.schema.json is written (npm run docs; a test fails
// while the file differs). ./decide fills a review in.
import { Type, type Static } from "@sinclair/typebox";

/** The JSON shape's version: fields are only ever added within one; a breaking change increments it. */
export const REVIEW_VERSION = 1;

export const ReviewedUser = Type.Object({
email: Type.String(),
guid: Type.String(),
role: Type.String({"description": "the role slug; several joined by commas; empty for none"}),
roleName: Type.Union([Type.String(), Type.Null()], {"description": "the first role's display name"}),
group: Type.Union([Type.String(), Type.Null()], {"description": "the access group's name"}),
status: Type.String({"description": "Created (never logged in), Activated or Deactivated"}),
joinedTime: Type.Union([Type.String(), Type.Null()], {"description": "ISO 8601, as the account says"}),
lastLoginTime: Type.Union([Type.String(), Type.Null()], {"description": "ISO 8601; null: never logged in"}),
daysSinceLogin: Type.Union([Type.Integer(), Type.Null()], {"description": "whole days since the last login, or since joining for a user who never logged in"}),
daysSinceJoined: Type.Union([Type.Integer(), Type.Null()], {"description": "whole days since joining"}),
mfaStatus: Type.Union([Type.String(), Type.Null()], {"description": "enabled, not_enabled or pending"}),
companyApiToken: Type.Boolean(),
admin: Type.Boolean({"description": "an Admin who can manage users: customer_admin, not deactivated, not a company API token"}),
standing: Type.Union([Type.Literal("declared"), Type.Literal("unmanaged"), Type.Literal("undeclared")], {"description": "declared in the users file, acknowledged under unmanaged:, or neither"}),
declaredRole: Type.Union([Type.String(), Type.Null()], {"description": "the role the users file declares for this user; null for a user it does not declare"}),
reason: Type.Union([Type.String(), Type.Null()], {"description": "the entry's reason: (declared) or the unmanaged: entry's reason"}),
attention: Type.Array(Type.Union([Type.Literal("undeclared"), Type.Literal("privilege-beyond-file"), Type.Literal("admin-without-mfa"), Type.Literal("stale"), Type.Literal("never-logged-in"), Type.Literal("expired")]), {"description": "why this user needs attention; empty when it does not"}),
undeclaredFeatures: Type.Array(Type.String(), {"description": "features on in the account that the user's declaration does not name; every feature on, for a user the file does not declare"}),
expires: Type.Union([Type.String(), Type.Null()], {"description": "the first day without access, from the users file's expires:"}),
onDelete: Type.Union([Type.Literal("delete"), Type.Literal("demote"), Type.Literal("retain"), Type.Null()], {"description": "what removing a declared user does (the file's onDelete); null for a user the file does not declare"}),
mfaRequired: Type.Union([Type.String(), Type.Null()], {"description": "where the file requires this user's 2FA (`declared`, `defaults`, `team NAME`, `policy.requireMfa (ROLE)`); null where it does not"})
}, {"additionalProperties": false});

export const ReviewedToken = Type.Object({
guid: Type.String(),
description: Type.String(),
token: Type.String({"description": "masked by the API but its last four"}),
createdDate: Type.String(),
creatorName: Type.Union([Type.String(), Type.Null()]),
group: Type.Union([Type.String(), Type.Null()], {"description": "the access group's name"}),
roles: Type.Array(Type.String()),
ageDays: Type.Integer({"minimum": 0}),
inFile: Type.Union([Type.Literal("declared"), Type.Literal("not-declared"), Type.Null()], {"description": "whether the file's apiTokens: declares it (by description); null when the file has no apiTokens: section"}),
expires: Type.Union([Type.String(), Type.Null()], {"description": "the file's expires: for it: the first day pulumi up revokes it"}),
attention: Type.Array(Type.Union([Type.Literal("token-rotation"), Type.Literal("token-undeclared"), Type.Literal("token-expired")], {"description": "token-rotation: older than policy.maxApiTokenAgeDays; token-undeclared: the file declares tokens, not this one; token-expired: its expires: has come and the account still has it"}))
}, {"additionalProperties": false});

export const ReviewedGroup = Type.Object({
guid: Type.String(),
name: Type.String(),
isDefault: Type.Boolean({"description": "the account's default group, where a user created without a group lands"}),
allCompanies: Type.Boolean({"description": "the built-in group that sees every company"}),
members: Type.Integer({"minimum": 0, "description": "users in it, company API token users included"}),
inFile: Type.Union([Type.Literal("declared"), Type.Literal("not-declared"), Type.Null()], {"description": "whether the file's groups: declares it (by name); null when the file has no groups: section"}),
reason: Type.Union([Type.String(), Type.Null()], {"description": "the file's reason: for it"}),
attention: Type.Array(Type.Literal("group-undeclared"), {"description": "group-undeclared: the file declares groups, not this one (All Companies aside)"})
}, {"additionalProperties": false});

export const ReviewSchema = Type.Object({
version: Type.Literal(REVIEW_VERSION),
file: Type.String({"description": "the users file, as given"}),
asOf: Type.String({"description": "the moment the review is as of (ISO 8601); --as-of, or when it ran"}),
staleDays: Type.Integer({"description": "--stale: no login for this many days is stale", "minimum": 1}),
needsAttention: Type.Boolean({"description": "true (exit 2) when a user has an attention entry or the account breaks a policy rule"}),
partialView: Type.Union([Type.String(), Type.Null()], {"description": "What the API token cannot see of the account when it is not an Admin's; null when it sees all of it. needsAttention is then true."}),
policyViolations: Type.Array(Type.String(), {"description": "policy rules of the users file the account breaks, as file:line:col: field: message"}),
summary: Type.Object({
users: Type.Integer({"minimum": 0}),
attention: Type.Integer({"minimum": 0}),
neverLoggedIn: Type.Integer({"minimum": 0}),
stale: Type.Integer({"minimum": 0}),
admins: Type.Integer({"minimum": 0}),
adminsWithoutMfa: Type.Integer({"minimum": 0}),
companyApiTokens: Type.Integer({"minimum": 0}),
undeclared: Type.Integer({"minimum": 0}),
unmanaged: Type.Integer({"minimum": 0}),
expiringSoon: Type.Integer({"minimum": 0}),
expired: Type.Integer({"minimum": 0}),
apiTokens: Type.Integer({"minimum": 0}),
apiTokensToRotate: Type.Integer({"minimum": 0, "description": "tokens that need attention: too old, not declared, or expired"}),
apiTokensExpiringSoon: Type.Integer({"minimum": 0, "description": "declared tokens whose expires: comes within expiringDays: pulumi up revokes each on that day"}),
groups: Type.Integer({"minimum": 0}),
groupsNeedingAttention: Type.Integer({"minimum": 0, "description": "access groups that need attention: not declared"})
}, {"additionalProperties": false}),
users: Type.Array(ReviewedUser),
expiringDays: Type.Integer({"minimum": 1}),
apiTokens: Type.Union([Type.Null(), Type.Array(ReviewedToken)], {"description": "the account's company API tokens (GET /ratings/v1/customers/current/api-tokens), oldest first; null when the token may not list them (apiTokensNote says why)"}),
apiTokensNote: Type.Union([Type.String(), Type.Null()]),
maxApiTokenAgeDays: Type.Union([Type.Integer(), Type.Null()], {"description": "policy.maxApiTokenAgeDays: an older token needs attention (rotation)"}),
groups: Type.Array(ReviewedGroup, {"description": "the account's access groups (GET /ratings/v1/access-groups) by name, with how many users each holds"})
}, {"$schema": "http://json-schema.org/draft-07/schema#", "description": "The output of `bitsight-users review --format json`. Version 1: fields are only ever added within a version; a breaking change increments `version`. Users are sorted by email.", "title": "bitsight-users review (JSON)", "additionalProperties": false});


export type ReviewedUser = Static<typeof ReviewedUser>;
/** A token as the account lists it (../../account/api-tokens), with its age and what needs doing. */
export type ReviewedToken = Static<typeof ReviewedToken>;
export type Review = Static<typeof ReviewSchema>;
/** A group as the account lists it (../../account/access-groups), with what needs doing. */
export type ReviewedGroup = Static<typeof ReviewedGroup>;
export type Standing = ReviewedUser["standing"];
/** Why a user needs someone's attention; every kind is listed in the README. */
export type AttentionKind = ReviewedUser["attention"][number];
/** Why a company API token needs attention. */
export type TokenAttention = ReviewedToken["attention"][number];
