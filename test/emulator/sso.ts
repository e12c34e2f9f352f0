// An account provisioned by single sign-on, for the tests of `unmanaged:` rules and for
// showing them: 50 users, of whom the file declares 5.
import type { Account } from "./account";
import { seededAccount } from "./seed";

/** The sample account grown to 50: two group admins, and 43 analysts who arrived by single sign-on. */
export function ssoAccount(): Account {
    const a = seededAccount();
    for (const name of ["grace", "heidi"]) a.addUser({ email: `${name}@example.com`, formal_name: `${name[0]!.toUpperCase()}${name.slice(1)} Lead`, friendly_name: `${name[0]!.toUpperCase()}${name.slice(1)}`, role: "customer_group_admin", last_login_time: "2026-11-28T09:00:00Z" });
    for (let i = 1; i <= 43; i++) a.addUser({ email: `analyst${String(i).padStart(2, "0")}@example.com`, role: "customer_user", last_login_time: "2026-11-27T09:00:00Z" });
    return a;
}

export const SSO_FILE = [
    "policy:",
    "  forbiddenRoles: [vrm_admin]",
    "users:",
    "  - { email: alice@example.com, formalName: Alice Admin, role: customer_admin, isAvailableForContact: true }",
    "  - { email: bob@example.com, formalName: Bob Analyst, role: customer_user, group: Security Operations }",
    "  - { email: carol@example.com, formalName: Carol Vendor, role: customer_portfolio_manager, group: Vendor Risk }",
    "  - { email: grace@example.com, formalName: Grace Lead, role: customer_group_admin }",
    "  - { email: heidi@example.com, formalName: Heidi Lead, role: customer_group_admin }",
    "unmanaged:",
    "  - name: SSO users",
    "    match: { roles: [customer_user], domains: [example.com] }",
    "    reason: provisioned by Okta at first login; access reviewed in Okta",
    "",
].join("\n");
