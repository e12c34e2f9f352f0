// The account as this process knows it: the one model that answers "who is this GUID?"
// (`read`, for refresh and drift) and "who has this email?" (`find`, the only look-up by
// email there is), from the cheapest source it can vouch for:
// - one listing of the whole account (1,000 users a page, token users included) answers
//   many questions for a while (its time to live), but never for a user this process
//   wrote to since it was taken: that user is asked for fresh;
// - a run of reads (a refresh) takes that listing once it is long enough to be worth it;
//   before that, reads that arrive together leave as one `guid=` listing (./guid-batch);
// - the first look-up by email of a process goes alone (a pull request that adds one user
//   costs two requests), the second takes the listing (an onboarding costs its pages).
// Anything the listing does not hold is asked for alone (a token user, a user gone), so no
// answer depends on the shortcut. Every write the client makes reaches `wrote`, whatever
// path made it: that is where what was remembered is retired.
// Decisions to write are not made here from memory: a PATCH is built from `api.get`, an
// adoption from `find(..., { whole: true, maxAgeMs })` and then `api.get` (../resource).
import type { ApiUser } from "../model/wire";
import { byEmailFilter } from "./email-filter";
import { GuidBatch } from "./guid-batch";
import { byLowerEmail, oneUser, type UsersApi, type Written } from "./users-api";

export interface ReadOptions {
    /** Coalesce reads and email look-ups. false: one GET per user (config `bitsight:batchReads`). Default true. */
    batch: boolean;
    /** GUIDs in one batch listing at most. Default 100. */
    maxBatch: number;
    /** After this many reads since the last write (one wave of the engine's parallel reads), list the whole account once instead. Default 8. */
    snapshotAfter: number;
    /** How long that listing answers. Default 60 000 ms. */
    snapshotTtlMs: number;
}

export const DEFAULT_READS: Readonly<ReadOptions> = Object.freeze({
    batch: true,
    maxBatch: 100,
    snapshotAfter: 8,
    snapshotTtlMs: 60_000,
});

export interface FindOptions {
    /**
     * From a listing of the whole account, never a filtered look-up, which may compare case
     * and so miss a second user whose email differs only in case (CaseTwinsError): an
     * adoption writes to the user it finds, so it must know there is only one.
     */
    whole?: boolean;
    /** With `whole`: the oldest listing that may answer (0: a new one). Default: its time to live. */
    maxAgeMs?: number;
    /** A filtered look-up now, never a listing: the answer to "did my POST create it?". */
    fresh?: boolean;
}

interface Index {
    /** Lower-cased GUID → user. */
    byGuid: Map<string, ApiUser>;
    /** Lower-cased email → users (more than one is an account to be fixed, not a choice). */
    byEmail: Map<string, ApiUser[]>;
}

export class Account {
    private readonly opts: ReadOptions;
    private listing: { at: number; index: Promise<Index> } | undefined;
    /** Lower-cased GUIDs and emails this process wrote to since the listing was asked for. */
    private readonly written = new Set<string>();
    /** The current run of reads: how many since the last write, and when it began. */
    private run = { reads: 0, since: 0 };
    private lookups = 0;
    private waitingLookup: { email: string; resolve(u: ApiUser | undefined): void; reject(e: unknown): void } | undefined;
    private readonly batch: GuidBatch;

    constructor(
        readonly api: UsersApi,
        opts: Partial<ReadOptions> = {},
        private readonly now: () => number = Date.now,
    ) {
        this.opts = { ...DEFAULT_READS, ...opts };
        this.batch = new GuidBatch({ many: (guid) => api.list({ guid, limit: guid.length }), one: (guid) => api.get(guid) }, this.opts.maxBatch);
        api.onWrite((w) => this.wrote(w));
    }

    /** The user with this GUID, or undefined if there is none: what a refresh reads. */
    read(guid: string): Promise<ApiUser | undefined> {
        if (!this.opts.batch) return this.api.get(guid);
        // A run of reads is one refresh: reads long apart, or either side of a write, are not.
        if (this.run.reads === 0 || this.now() - this.run.since > this.opts.snapshotTtlMs) this.run = { reads: 0, since: this.now() };
        this.run.reads++;
        let listing = this.recent();
        if (!listing && this.run.reads >= this.opts.snapshotAfter) {
            const taken = (listing = this.take());
            // Reads still waiting for a batch are answered by the listing too.
            this.batch.drain((g) => this.guidFrom(taken, g));
        }
        return listing ? this.guidFrom(listing, guid) : this.batch.get(guid);
    }

    /** The user with this email (case-insensitive), or undefined. */
    find(email: string, opts: FindOptions = {}): Promise<ApiUser | undefined> {
        if (opts.fresh) return byEmailFilter(this.api, email);
        if (!this.opts.batch) return opts.whole ? this.wholeNow(email) : byEmailFilter(this.api, email);
        this.lookups++;
        if (opts.whole) return this.emailFrom(this.take(opts.maxAgeMs), email, true);
        const recent = this.recent();
        if (recent) return this.emailFrom(recent, email);
        if (this.lookups > 1) return this.emailFrom(this.take(), email);
        return new Promise((resolve, reject) => {
            this.waitingLookup = { email, resolve, reject };
            setImmediate(() => this.firstLookup());
        });
    }

    /** Every user of the account, from the listing. */
    async everyone(): Promise<ApiUser[]> {
        return [...(await this.take()).byGuid.values()];
    }

    /** A listing the caller just made itself (the CLI's, with its progress line) answers from now on. */
    prime(users: ApiUser[]): void {
        this.written.clear();
        this.listing = { at: this.now(), index: Promise.resolve(indexUsers(users)) };
    }

    /** Invalidation: what this process wrote to is asked for fresh, and a write ends a run of reads. */
    private wrote(w: Written): void {
        if (w.guid) this.written.add(w.guid.toLowerCase());
        if (w.email) this.written.add(w.email.toLowerCase());
        this.run.reads = 0;
    }

    /** The listing, if one was asked for less than its time to live (or `maxAgeMs`) ago. */
    private recent(maxAgeMs = this.opts.snapshotTtlMs): Promise<Index> | undefined {
        if (this.listing && this.now() - this.listing.at > this.opts.snapshotTtlMs) this.listing = undefined;
        if (this.listing && this.now() - this.listing.at > maxAgeMs) return undefined;
        return this.listing?.index;
    }

    /** The listing if asked for at most `maxAgeMs` ago (default: its time to live), or a new one. */
    private take(maxAgeMs = this.opts.snapshotTtlMs): Promise<Index> {
        const recent = this.recent(maxAgeMs);
        if (recent) return recent;
        // A write that finishes from now on may or may not show in the listing: it is marked
        // in `written`, and its user asked for fresh.
        this.written.clear();
        const index = this.api.listEveryone().then(indexUsers);
        // Callers fall back to asking one by one if the listing fails; keep that quiet here,
        // and retire the failure, so that the next caller lists again instead of falling back
        // to one request per user for the listing's whole time to live.
        index.catch(() => {
            if (this.listing?.index === index) this.listing = undefined;
        });
        this.listing = { at: this.now(), index };
        return index;
    }

    private stale(guidOrEmail: string): boolean {
        return this.written.has(guidOrEmail.toLowerCase());
    }

    private async guidFrom(listing: Promise<Index>, guid: string): Promise<ApiUser | undefined> {
        let index: Index;
        try {
            index = await listing;
        } catch {
            return this.api.get(guid);
        }
        if (this.stale(guid)) return this.api.get(guid);
        return index.byGuid.get(guid.toLowerCase()) ?? this.api.get(guid);
    }

    /** `whole`: only the listing will do; if it fails, so does the look-up. */
    private async emailFrom(listing: Promise<Index>, email: string, whole = false): Promise<ApiUser | undefined> {
        let index: Index;
        try {
            index = await listing;
        } catch (err) {
            if (whole) throw err;
            return byEmailFilter(this.api, email);
        }
        const found = index.byEmail.get(email.toLowerCase()) ?? [];
        if (this.stale(email) || found.some((u) => this.stale(u.guid))) return byEmailFilter(this.api, email);
        return oneUser(found);
    }

    /** The process's first look-up goes alone, unless another arrived in the same turn. */
    private firstLookup(): void {
        const first = this.waitingLookup;
        this.waitingLookup = undefined;
        if (!first) return;
        const answer = this.lookups > 1 ? this.emailFrom(this.take(), first.email) : byEmailFilter(this.api, first.email);
        answer.then(first.resolve, first.reject);
    }

    /** From a listing of the whole account taken now (batching off). */
    private async wholeNow(email: string): Promise<ApiUser | undefined> {
        const wanted = email.toLowerCase();
        return oneUser((await this.api.listEveryone()).filter((u) => u.email.toLowerCase() === wanted));
    }
}

function indexUsers(users: ApiUser[]): Index {
    return { byGuid: new Map(users.map((u) => [u.guid.toLowerCase(), u])), byEmail: byLowerEmail(users) };
}
