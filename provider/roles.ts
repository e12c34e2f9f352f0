// Roles in one place: which role is the account's Admin, how a user's roles are written
// in the state, and how two roles compare. The slugs themselves are ROLE_SLUGS (./types),
// which schema/user.schema.json must list identically (roles.test.ts checks it).

/**
 * The account's Admin: the only role that may manage users ("Only Admin can edit users").
 * `vrm_admin` administers the vendor-risk product, not the account's users.
 */
export const ADMIN_ROLE = "customer_admin";

export function isAdmin(roles: readonly string[]): boolean {
    return roles.includes(ADMIN_ROLE);
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

/** An Admin who can manage users now or once logged in: not deactivated, and a person, not a company API token. */
export function actingAdmin(u: { roles: readonly { slug: string }[]; status: string; is_company_api_token: boolean }): boolean {
    return isAdmin(u.roles.map((r) => r.slug)) && u.status !== "Deactivated" && !u.is_company_api_token;
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
    const wasAdmin = isAdmin(before);
    if (to === ADMIN_ROLE && !wasAdmin) return { kind: "admin-granted", from, to };
    if (wasAdmin && to !== ADMIN_ROLE) return { kind: "admin-removed", from, to };
    const b = RANK[to];
    const a = before.map((r) => RANK[r]).find((r) => r && b && r[0] === b[0]);
    if (!a || !b || a[1] === b[1]) return null;
    return { kind: b[1] > a[1] ? "raised" : "lowered", from, to };
}
