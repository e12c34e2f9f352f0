// Refresh and drift checks call `read` once per user: 1,000 users would be 1,000 GETs
// at the recommended 3 in flight. Reads that arrive together are answered together:
// - while a request is out, newly arrived reads wait and leave as one `guid=a,b,c` listing;
// - after a run of reads (a refresh), one listing of the whole account answers the rest
//   (./listing: 1,000 users a page, the pages after the first at once).
// Anything a batch or listing does not return is asked for alone with a plain GET (it may
// be a company-API-token user, hidden from listings, or gone), so the answer never
// depends on the batch. Age retires the account listing; a write by this process retires
// what it says of the user written to.
import type { ApiUser } from "../wire";
import type { AccountIndex, AccountListing } from "./listing";
import type { UsersApi } from "./users-api";

export interface ReadOptions {
    /** Coalesce reads and email look-ups. false: one GET per user (config `bitsight:batchReads`). Default true. */
    batch: boolean;
    /** GUIDs in one batch listing at most. Default 100. */
    maxBatch: number;
    /** After this many reads since the last write (one wave of the engine's parallel reads), list the whole account once instead. Default 8. */
    snapshotAfter: number;
    /** How long that listing answers reads. Default 60 000 ms. */
    snapshotTtlMs: number;
}

export const DEFAULT_READS: Readonly<ReadOptions> = Object.freeze({
    batch: true,
    maxBatch: 100,
    snapshotAfter: 8,
    snapshotTtlMs: 60_000,
});

interface Waiter {
    resolve(user: ApiUser | undefined): void;
    reject(err: unknown): void;
}

export class ReadCoalescer {
    private readonly opts: ReadOptions;
    /** Lower-cased GUID → the GUID as asked for, and who waits for it. */
    private readonly pending = new Map<string, { guid: string; waiters: Waiter[] }>();
    private flushing = false;
    private scheduled = false;
    /** Reads since the last write, within one listing's time to live of the first of them. */
    private reads = 0;
    private firstReadAt = 0;

    constructor(
        private readonly api: UsersApi,
        private readonly listing: AccountListing,
        opts: Partial<ReadOptions> = {},
        private readonly now: () => number = Date.now,
    ) {
        this.opts = { ...DEFAULT_READS, ...opts };
        api.onWrite(() => (this.reads = 0));
    }

    get(guid: string): Promise<ApiUser | undefined> {
        if (!this.opts.batch) return this.api.get(guid);
        // A run of reads is one refresh: reads long apart, or either side of a write, are not.
        if (this.reads === 0 || this.now() - this.firstReadAt > this.opts.snapshotTtlMs) {
            this.reads = 0;
            this.firstReadAt = this.now();
        }
        this.reads++;
        const listing = this.accountListing();
        if (listing) return this.fromListing(listing, guid);
        return new Promise((resolve, reject) => {
            const key = guid.toLowerCase();
            const entry = this.pending.get(key) ?? { guid, waiters: [] };
            entry.waiters.push({ resolve, reject });
            this.pending.set(key, entry);
            this.schedule();
        });
    }

    /** The account listing once this run of reads is long enough to be worth one. */
    private accountListing(): Promise<AccountIndex> | undefined {
        const recent = this.listing.recent();
        if (recent || this.reads < this.opts.snapshotAfter) return recent;
        const taken = this.listing.take();
        // Reads still waiting for a batch are answered by the listing too.
        for (const { guid, waiters } of this.pending.values()) this.settle(waiters, this.fromListing(taken, guid));
        this.pending.clear();
        return taken;
    }

    private async fromListing(listing: Promise<AccountIndex>, guid: string): Promise<ApiUser | undefined> {
        let index: AccountIndex;
        try {
            index = await listing;
        } catch {
            return this.api.get(guid);
        }
        if (this.listing.stale(guid)) return this.api.get(guid);
        return index.byGuid.get(guid.toLowerCase()) ?? this.api.get(guid);
    }

    private schedule(): void {
        if (this.scheduled || this.flushing) return;
        this.scheduled = true;
        // Let the reads arriving in this turn of the event loop join the batch.
        setImmediate(() => {
            this.scheduled = false;
            void this.flush();
        });
    }

    private async flush(): Promise<void> {
        if (this.flushing || this.pending.size === 0) return;
        this.flushing = true;
        const batch = [...this.pending].slice(0, this.opts.maxBatch);
        for (const [key] of batch) this.pending.delete(key);
        let found = new Map<string, ApiUser>();
        try {
            if (batch.length > 1) {
                const guids = batch.map(([, e]) => e.guid);
                const users = await this.api.list({ guid: guids, limit: guids.length });
                found = new Map(users.map((u) => [u.guid.toLowerCase(), u]));
            }
        } catch {
            // The batch failed: each read is answered by its own GET below.
        } finally {
            this.flushing = false;
            if (this.pending.size > 0) this.schedule();
        }
        for (const [key, { guid, waiters }] of batch) {
            const user = found.get(key);
            this.settle(waiters, user ? Promise.resolve(user) : this.api.get(guid));
        }
    }

    private settle(waiters: Waiter[], answer: Promise<ApiUser | undefined>): void {
        answer.then(
            (user) => waiters.forEach((w) => w.resolve(user)),
            (err: unknown) => waiters.forEach((w) => w.reject(err)),
        );
    }
}
