// Finding a user by email, the one way the provider does it (`find`). `create` looks each
// declared email up before it POSTs or adopts. Alone, a look-up is a filtered listing or
// two (`filtered` below). Look-ups that come together (a first
// `pulumi up` over an exported account, a team onboarded at once) are answered by one
// listing of the whole account instead (./listing), indexed by lower-cased email with
// company-API-token users included: adopting 1,000 users costs the account's pages, not
// 1,000 look-ups. The first look-up of the process goes alone unless another arrives in
// the same turn of the event loop; from the second on, the listing answers.
// What the listing cannot vouch for is asked for fresh: an email or user this process
// wrote to since the listing, or every look-up if the listing failed.
import type { ApiUser } from "../wire";
import type { AccountIndex, AccountListing } from "./listing";
import { oneUser, type ListFilters, type UsersApi } from "./users-api";

export interface FindOptions {
    /**
     * From a listing of the whole account, never a filtered look-up, which may compare case
     * and so miss a second user whose email differs only in case (CaseTwinsError).
     */
    whole?: boolean;
    /** With `whole`: the oldest listing that may answer (0: a new one). Default: its time to live. */
    maxAgeMs?: number;
    /** A filtered look-up now, never a listing: the answer to "did my POST create it?". */
    fresh?: boolean;
}

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
    find(email: string, opts: FindOptions = {}): Promise<ApiUser | undefined> {
        if (opts.fresh) return filtered(this.api, email);
        if (!this.batch) return opts.whole ? this.everyone(email) : filtered(this.api, email);
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
        const answer = this.asked > 1 ? this.fromListing(this.listing.take(), first.email) : filtered(this.api, first.email);
        answer.then(first.resolve, first.reject);
    }

    /** `whole`: only the listing will do; if it fails, so does the look-up. */
    private async fromListing(listing: Promise<AccountIndex>, email: string, whole = false): Promise<ApiUser | undefined> {
        let index: AccountIndex;
        try {
            index = await listing;
        } catch (err) {
            if (whole) throw err;
            return filtered(this.api, email);
        }
        const found = index.byEmail.get(email.toLowerCase()) ?? [];
        if (this.listing.stale(email) || found.some((u) => this.listing.stale(u.guid))) return filtered(this.api, email);
        return oneUser(found);
    }

    /** From a listing of the whole account taken now (batching off). */
    private async everyone(email: string): Promise<ApiUser | undefined> {
        const wanted = email.toLowerCase();
        return oneUser((await this.api.listEveryone()).filter((u) => u.email.toLowerCase() === wanted));
    }
}

/**
 * The user with this email, compared case-insensitively, by filtered listings. The `email`
 * filter is only documented as a filter (it may compare case and all), so when it finds
 * nobody the `email_q` search confirms it. Company-API-token users are hidden from a plain
 * listing (the filter defaults to false), so both kinds are asked for.
 */
async function filtered(api: UsersApi, email: string): Promise<ApiUser | undefined> {
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
