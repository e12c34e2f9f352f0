// The API's side of a look-up by email, with its quirks handled. Only ./account calls it:
// `Account.find` is the one way the provider finds a user by email.
import type { ApiUser } from "../model/wire";
import { TOKEN_SLICES, oneUser, type ListFilters, type UsersApi } from "./users-api";

/**
 * The user with this email, compared case-insensitively, by filtered listings. The `email`
 * filter is only documented as a filter (it may compare case and all), so when it finds
 * nobody the `email_q` search confirms it. Each is asked of people, then of company-API-token
 * users, since how the token filter reads is not documented; the answer is decided here,
 * from each user's own email. (A Deactivated user hidden by a default is found where it
 * matters: a POST refused for its email is checked against the whole account, ../resource/create.)
 */
export async function byEmailFilter(api: UsersApi, email: string): Promise<ApiUser | undefined> {
    return (await lookUp(api, email, { email })) ?? (await lookUp(api, email, { email_q: email }));
}

async function lookUp(api: UsersApi, email: string, filter: ListFilters): Promise<ApiUser | undefined> {
    const wanted = email.toLowerCase();
    for (const slice of TOKEN_SLICES) {
        const found = (await api.list({ ...filter, ...slice })).filter((u) => u.email.toLowerCase() === wanted);
        if (found.length > 0) return oneUser(found);
    }
    return undefined;
}
