// Acknowledging undeclared users by rule: in an account whose ordinary users arrive by
// single sign-on, the file declares the access that matters (Admins, group admins, token
// users, features) and acknowledges the rest with `unmanaged: - { match: …, reason: … }`.
// Every criterion given must hold. A rule never hides privilege: it never matches an Admin
// or a company API token user, whatever it says.
import { ADMIN_ROLE } from "../model/roles";
import type { ApiUser } from "../model/wire";
import type { UnmanagedRule } from "./model";

/** The first rule that acknowledges `u`, if any. */
export function ruleFor(u: ApiUser, rules: readonly UnmanagedRule[]): UnmanagedRule | undefined {
    if (u.is_company_api_token || u.roles.some((r) => r.slug === ADMIN_ROLE)) return undefined;
    return rules.find((r) => matches(u, r.match));
}

function matches(u: ApiUser, m: UnmanagedRule["match"]): boolean {
    if (m.roles && !(u.roles.length > 0 && u.roles.every((r) => m.roles!.includes(r.slug)))) return false;
    if (m.domains && !m.domains.map((d) => d.toLowerCase()).includes(u.email.split("@").pop()!.toLowerCase())) return false;
    if (m.statuses && !m.statuses.includes(u.status)) return false;
    return true;
}
