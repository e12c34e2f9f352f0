// The API's side of a look-up by email, with its quirks handled. Only ./account calls it:
// `Account.find` is the one way the provider finds a user by email.
import type { ApiUser } from "../wire";
import { oneUser, type ListFilters, type UsersApi } from "./users-api";

/**
 * The user with this email, compared case-insensitively, by filtered listings. The `email`
 * filter is only documented as a filter (it may compare case and all), so when it finds
 * nobody the `email_q` search confirms it. Company-API-token users are hidden from a plain
 * listing (the filter defaults to false), so both kinds are asked for.
 */
export async function byEmailFilter(api: UsersApi, email: string): Promise<ApiUser | undefined> {
    return (await lookUp(api, email, { email })) ?? (await lookUp(api, email, { email_q: email }));
}

async function lookUp(api: UsersApi, email: string, filter: ListFilters): Promise<ApiUser | undefined> {
    const wanted = email.toLowerCase();
    const found = new Map<string, ApiUser>();
    for (const tokenUsers of [false, true]) {
        const filters: ListFilters = { ...filter };
        if (tokenUsers) filters.is_company_api_token = true;
        for (const u of await api.list(filters)) {
            if (u.email.toLowerCase() === wanted) found.set(u.guid, u);
        }
        if (found.size > 0) break;
    }
    return oneUser([...found.values()]);
}
