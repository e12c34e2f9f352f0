// The sample account that `npm run emulator`, the demo and the tests start from.
import { Account, type Quirks } from "./account";

export const SEED_TOKEN = "emulator-token-0f3c9a";

export const GROUPS = {
    all: { guid: "a0000000-0000-4000-8000-000000000001", name: "All Companies" },
    secops: { guid: "a0000000-0000-4000-8000-000000000002", name: "Security Operations" },
    vendor: { guid: "a0000000-0000-4000-8000-000000000003", name: "Vendor Risk" },
};

export const SEEDED = {
    tokenUser: "b0000000-0000-4000-8000-000000000001",
    alice: "b0000000-0000-4000-8000-000000000002",
    bob: "b0000000-0000-4000-8000-000000000003",
    carol: "b0000000-0000-4000-8000-000000000004",
    dave: "b0000000-0000-4000-8000-000000000005",
};

/** `clock`: the account's "now" (joined times of new users); the tests' fixed day, 2026-11-01, by default. */
export function seededAccount(quirks: Partial<Quirks> = {}, clock?: () => Date): Account {
    const a = new Account({ groups: Object.values(GROUPS), defaultGroup: GROUPS.all.guid, quirks, ...(clock ? { clock } : {}) });
    a.addUser({
        guid: SEEDED.tokenUser,
        email: "api-token@example.com",
        formal_name: "Company API Token",
        friendly_name: "API Token",
        role: "customer_admin",
        is_company_api_token: true,
        joined_time: "2024-01-10T08:00:00Z",
    });
    a.addToken(SEED_TOKEN, SEEDED.tokenUser);
    // The company API token behind the token user, as GET …/api-tokens lists it; 400 days old on the emulator's fixed day.
    a.apiTokens.push({
        guid: "d0000000-0000-4000-8000-000000000001",
        description: "CI: pulumi up",
        token: SEED_TOKEN,
        created_date: "2025-09-27T00:00:00Z",
        creator_name: "Alice Admin",
        group: GROUPS.all.name,
        roles: [{ display_name: "Admin", slug: "customer_admin" }],
    });
    a.addUser({
        guid: SEEDED.alice,
        email: "alice@example.com",
        formal_name: "Alice Admin",
        friendly_name: "Alice",
        role: "customer_admin",
        group: GROUPS.all.guid,
        is_available_for_contact: true,
        joined_time: "2024-02-01T10:00:00Z",
        last_login_time: "2026-11-20T08:15:02.123456Z",
        mfa_status: "enabled",
    });
    a.addUser({
        guid: SEEDED.bob,
        email: "bob@example.com",
        formal_name: "Bob Analyst",
        friendly_name: "Bob",
        role: "customer_user",
        group: GROUPS.secops.guid,
        joined_time: "2024-03-12T09:30:00Z",
        last_login_time: "2026-11-18T16:40:00Z",
    });
    a.addUser({
        guid: SEEDED.carol,
        email: "carol@example.com",
        formal_name: "Carol Vendor",
        friendly_name: "Carol",
        role: "customer_portfolio_manager",
        group: GROUPS.vendor.guid,
        joined_time: "2025-06-01T12:00:00Z",
    });
    a.addUser({
        guid: SEEDED.dave,
        email: "dave.contractor@example.com",
        formal_name: "Dave Contractor",
        friendly_name: "Dave",
        role: "customer_user",
        status: "Created",
        joined_time: "2026-10-30T14:00:00Z",
    });
    return a;
}

/**
 * What someone did in the Bitsight UI behind the users file's back, for the demo and the
 * CLI goldens: Bob was made an Admin, Carol moved to All Companies.
 */
export function changeInTheUi(a: Account): string[] {
    a.users.get(SEEDED.bob)!.roles = ["customer_admin"];
    a.users.get(SEEDED.carol)!.group = GROUPS.all.guid;
    return ["bob@example.com was made an Admin", "carol@example.com was moved to All Companies"];
}
