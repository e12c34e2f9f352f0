// Requests the provider sends, as the emulator logs them (`BitsightEmulator.requests()`),
// for tests that assert the exact requests made.

const USERS = "GET /ratings/v2/users";

/**
 * Listing the whole account, first pages: people and company-API-token users, each as
 * listed by default and again with `status=Deactivated` (provider/account/users-api,
 * ACCOUNT_SLICES), every one in a stable order.
 */
export const ACCOUNT_LISTING: readonly string[] = [false, true].flatMap((tokenUsers) => [
    `${USERS}?limit=1000&offset=0&sort=guid&is_company_api_token=${tokenUsers}`,
    `${USERS}?limit=1000&offset=0&sort=guid&is_company_api_token=${tokenUsers}&status=Deactivated`,
]);

/**
 * The log with the account listing's first pages in the order ACCOUNT_LISTING names them:
 * they are sent at once, and which arrives first is the machine's, not the provider's.
 */
export function listingInOrder(requests: readonly string[]): string[] {
    const rank = (r: string) => ACCOUNT_LISTING.indexOf(r);
    const listed = requests.filter((r) => rank(r) >= 0).sort((a, b) => rank(a) - rank(b));
    return requests.map((r) => (rank(r) >= 0 ? listed.shift()! : r));
}
