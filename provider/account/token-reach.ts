// What the API token can see of the account. A token carries its user's permissions:
// an Admin's (and a company API token, whose hidden user is an Admin) sees every user;
// a Group Admin edits the users of their own group and, probably, lists only them (the
// pages do not say; the emulator's `groupAdminListing` answers both ways). A command whose
// token may not see the whole account must say so, and never call it in sync.
import { isUnavailable } from "../client/errors";
import type { UsersApi } from "./users-api";

/** The v1 `presentation` of the platform's Admin role (it matches the v2 role `name`). */
const ADMIN_PRESENTATION = "Admin";

/**
 * One line saying what the token cannot see, or null when it is an Admin's (or when the
 * current-user call names no role: nothing is concluded from an answer without roles).
 */
export async function partialView(api: UsersApi): Promise<string | null> {
    let roles: string[] | undefined;
    try {
        roles = (await api.currentUser()).roleNames;
    } catch (err) {
        if (isUnavailable(err)) return null;
        throw err;
    }
    // No roles named (a company API token's answer is not documented) is no evidence either way.
    if (roles === undefined || roles.length === 0 || roles.includes(ADMIN_PRESENTATION)) return null;
    const held = roles.join(" and ");
    return (
        `The API token belongs to a user who is not an Admin (${held}): Bitsight may show such a token only part of the account ` +
        `(a Group Admin's, the users of their own group), so users it cannot see are neither listed nor compared, and nothing here says the account is in sync. ` +
        `Use an Admin's token or a company API token to see the whole account.`
    );
}
