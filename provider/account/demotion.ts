// What demoting a user means, as a write: one rule, used by the delete hook (onDelete:
// "demote", and an expiry) and by plan and review, which must say what it will send.
import { holdsExactly, productOf } from "../model/roles";
import type { ApiUser, ApiUserWrite } from "../model/wire";

/**
 * The PATCH that leaves `user` with `role` as its platform role, no feature it may change,
 * and no contact flag: empty when it is demoted already. A user without a platform role
 * (a VRM user only) is given none: a demotion never adds access to a product.
 */
export function demotion(user: ApiUser, role: string): ApiUserWrite {
    const body: ApiUserWrite = {};
    const platform = user.roles.map((r) => r.slug).filter((r) => productOf(r) === "platform");
    if (platform.length > 0 && !holdsExactly(platform, role)) body.roles = [{ slug: role }];
    const on = user.features.filter((f) => f.value && f.can_update);
    if (on.length) body.features = on.map((f) => ({ slug: f.slug, value: false }));
    if (user.is_available_for_contact) body.is_available_for_contact = false;
    return body;
}
