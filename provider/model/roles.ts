// Roles in one place, as Bitsight has them: a platform role (customer_*), and beside it,
// assigned in those applications, a role for Vendor Risk Management or Trust Management
// Hub. A users file's `role` is compared with the role the user holds in the same
// product; roles of other products are shown and never fought. Which roles manage users,
// how a user's roles are written in the state, and how two roles compare. The slugs a
// file may declare are ROLE_SLUGS (./user-model), which schema/user.schema.json must list
// identically (roles.test.ts checks it); a role the provider does not know is shown as it is.

/**
 * The platform's Admin. The VRM and TMH Admins can manage users too (`managesUsers`), but
 * only this role is what the lockout guards count as another Admin who remains.
 */
export const ADMIN_ROLE = "customer_admin";

/** What `onDelete: "demote"` leaves a removed user with unless `bitsight:demoteRole` says otherwise: the least a user can hold. */
export const DEFAULT_DEMOTE_ROLE = "customer_user";

export function isAdmin(roles: readonly string[]): boolean {
    return roles.includes(ADMIN_ROLE);
}

/** The product a role belongs to: `platform`, `vrm`, `tmh`, or for a role the provider does not know, the slug itself. */
export function productOf(slug: string): string {
    if (slug.startsWith("customer_")) return "platform";
    if (slug.startsWith("vrm_") || slug === "vulnerability_response_outreach") return "vrm";
    if (slug.startsWith("trust_management_")) return "tmh";
    return slug;
}

/** Roles that can add, change and delete users: the Admin, and the VRM and TMH Admins (Bitsight's "VRM & TMH user roles"). */
const USER_MANAGERS = new Set([ADMIN_ROLE, "vrm_admin", "trust_management_admin"]);

/**
 * Whether any of these roles can manage users. A role the provider does not know counts
 * when its slug names an Admin: for the policy, the plan's privilege lines and the review,
 * counting one too many is the safe side. (The lockout guards count `isAdmin` only.)
 */
export function managesUsers(roles: readonly string[]): boolean {
    return roles.some((r) => USER_MANAGERS.has(r) || (!(r in RANK) && r.endsWith("_admin")));
}

/** The roles held in the product of `declared` (what the file's role is compared with), and the others, shown beside it. */
export function splitRoles(held: readonly string[], declared: string | undefined): { same: string[]; others: string[] } {
    const product = productOf(declared ?? held.find((r) => productOf(r) === "platform") ?? held[0] ?? ADMIN_ROLE);
    return { same: held.filter((r) => productOf(r) === product), others: held.filter((r) => productOf(r) !== product) };
}

/**
 * The one role a users file can declare for a user who holds `held`: the platform role,
 * or for a user with no platform role, their only role; undefined when that is not one.
 */
export function declarableRole(held: readonly string[]): string | undefined {
    const platform = held.filter((r) => productOf(r) === "platform");
    if (platform.length === 1) return platform[0];
    return platform.length === 0 && held.length === 1 ? held[0] : undefined;
}

/**
 * The lockout guards' "another Admin": a person (not a company API token) who holds the
 * Admin role and can log in now (Activated). Decided from the user's own fields, never
 * from a server filter: a filter the server does not apply must not make a token user or
 * a Deactivated Admin count.
 */
export function loggedInAdmin(u: { roles: readonly { slug: string }[]; status: string; is_company_api_token: boolean }): boolean {
    return isAdmin(u.roles.map((r) => r.slug)) && u.status === "Activated" && !u.is_company_api_token;
}

/**
 * Someone who can manage users now or once logged in, for the policy and the review: any
 * role that manages users (`managesUsers`), not deactivated, and a person, not a company API token.
 */
export function actingAdmin(u: { roles: readonly { slug: string }[]; status: string; is_company_api_token: boolean }): boolean {
    return managesUsers(u.roles.map((r) => r.slug)) && u.status !== "Deactivated" && !u.is_company_api_token;
}

/**
 * A user may hold several roles in Bitsight (a ratings role and a VRM role, say), though
 * the API sets exactly one per request. The state writes them as one text, slugs joined by
 * commas in the API's order, so a single role reads as itself.
 */
export function roleText(roles: readonly string[]): string {
    return roles.join(",");
}

export function rolesOf(text: string | undefined): string[] {
    return text ? text.split(",").filter(Boolean) : [];
}

/** Whether the account's roles are exactly the one declared: a second role is access nobody declared. */
export function holdsExactly(roles: readonly string[], role: string): boolean {
    return roles.length === 1 && roles[0] === role;
}

/**
 * How much a role may do within its product. Roles of different products are not
 * compared as higher or lower; only the Admin role is granted or removed.
 */
const RANK: Record<string, [product: string, rank: number]> = {
    customer_user: ["ratings", 1],
    customer_portfolio_manager: ["ratings", 2],
    customer_group_admin: ["ratings", 3],
    customer_admin: ["ratings", 4],
    vrm_view_only: ["vrm", 1],
    vrm_internal_business_user: ["vrm", 2],
    vulnerability_response_outreach: ["vrm", 2],
    vrm_operations: ["vrm", 3],
    vrm_admin: ["vrm", 4],
};

export type PrivilegeKind = "admin-granted" | "admin-removed" | "raised" | "lowered";

export interface Privilege {
    kind: PrivilegeKind;
    /** The roles held before, as the state writes them (`roleText`); null for a new user. */
    from: string | null;
    to: string;
}

/** What moving from the roles held (`from`, as `roleText`) to the one role `to` does to a user's privileges. */
export function privilegeChange(from: string | null, to: string): Privilege | null {
    const before = rolesOf(from ?? undefined);
    if (holdsExactly(before, to)) return null;
    const wasAdmin = managesUsers(before);
    const willBe = managesUsers([to]);
    if (willBe && !wasAdmin) return { kind: "admin-granted", from, to };
    if (wasAdmin && !willBe) return { kind: "admin-removed", from, to };
    const b = RANK[to];
    const a = before.map((r) => RANK[r]).find((r) => r && b && r[0] === b[0]);
    if (!a || !b || a[1] === b[1]) return null;
    return { kind: b[1] > a[1] ? "raised" : "lowered", from, to };
}
