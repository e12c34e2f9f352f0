// `create` looks each declared email up before it POSTs or adopts. Alone, a look-up is a
// filtered listing or two (UsersApi.findByEmail). Look-ups that come together (a first
// `pulumi up` over an exported account, a team onboarded at once) are answered by one
// listing of the whole account instead (./listing), indexed by lower-cased email with
// company-API-token users included: adopting 1,000 users costs the account's pages, not
// 1,000 look-ups. The first look-up of the process goes alone unless another arrives in
// the same turn of the event loop; from the second on, the listing answers.
// What the listing cannot vouch for is asked for fresh: an email or user this process
// wrote to since the listing, or every look-up if the listing failed.
import type { ApiUser } from "../wire";
import type { AccountIndex, AccountListing } from "./listing";
import { oneUser, type UsersApi } from "./users-api";

export class EmailLookups {
    private asked = 0;
    private waiting: { email: string; resolve(u: ApiUser | undefined): void; reject(e: unknown): void } | undefined;

    constructor(
        private readonly api: UsersApi,
        private readonly listing: AccountListing,
        /** false: every look-up alone (config `bitsight:batchReads`). */
        private readonly batch: boolean,
    ) {}

    /**
     * The user with this email (case-insensitive), or undefined. `whole`: from a listing of
     * the whole account, never a filtered look-up, which may compare case and so miss a
     * second user whose email differs only in case (CaseTwinsError): an adoption writes to
     * the user it finds, so it must know there is only one.
     */
    find(email: string, opts: { whole?: boolean; maxAgeMs?: number } = {}): Promise<ApiUser | undefined> {
        if (!this.batch) return opts.whole ? this.api.findInAccount(email) : this.api.findByEmail(email);
        this.asked++;
        if (opts.whole) return this.fromListing(this.listing.take(opts.maxAgeMs), email, true);
        const recent = this.listing.recent();
        if (recent) return this.fromListing(recent, email);
        if (this.asked > 1) return this.fromListing(this.listing.take(), email);
        return new Promise((resolve, reject) => {
            this.waiting = { email, resolve, reject };
            setImmediate(() => this.flush());
        });
    }

    private flush(): void {
        const first = this.waiting;
        this.waiting = undefined;
        if (!first) return;
        const answer = this.asked > 1 ? this.fromListing(this.listing.take(), first.email) : this.api.findByEmail(first.email);
        answer.then(first.resolve, first.reject);
    }

    /** `whole`: only the listing will do; if it fails, so does the look-up. */
    private async fromListing(listing: Promise<AccountIndex>, email: string, whole = false): Promise<ApiUser | undefined> {
        let index: AccountIndex;
        try {
            index = await listing;
        } catch (err) {
            if (whole) throw err;
            return this.api.findByEmail(email);
        }
        const found = index.byEmail.get(email.toLowerCase()) ?? [];
        if (this.listing.stale(email) || found.some((u) => this.listing.stale(u.guid))) return this.api.findByEmail(email);
        return oneUser(found);
    }
}
