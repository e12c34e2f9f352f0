// Reads by GUID that arrive together leave together: while a request is out, newly arrived
// reads wait and then go as one `guid=a,b,c` listing. A mechanism only: what answers a read
// (this batch, the account's listing, a plain GET) is decided by ./account.
import type { ApiUser } from "../model/wire";

interface Waiter {
    resolve(user: ApiUser | undefined): void;
    reject(err: unknown): void;
}

export interface BatchSources {
    /** The users among these GUIDs (one filtered listing); may return fewer, may fail. */
    many(guids: string[]): Promise<ApiUser[]>;
    /** One user, asked alone: what a batch did not return, or what it could not. */
    one(guid: string): Promise<ApiUser | undefined>;
}

export class GuidBatch {
    /** Lower-cased GUID → the GUID as asked for, and who waits for it. */
    private readonly pending = new Map<string, { guid: string; waiters: Waiter[] }>();
    private flushing = false;
    private scheduled = false;

    constructor(
        private readonly sources: BatchSources,
        private readonly maxBatch: number,
    ) {}

    get(guid: string): Promise<ApiUser | undefined> {
        return new Promise((resolve, reject) => {
            const key = guid.toLowerCase();
            const entry = this.pending.get(key) ?? { guid, waiters: [] };
            entry.waiters.push({ resolve, reject });
            this.pending.set(key, entry);
            this.schedule();
        });
    }

    /** Hands every waiting read to `answer` instead (the account's listing arrived first). */
    drain(answer: (guid: string) => Promise<ApiUser | undefined>): void {
        for (const { guid, waiters } of this.pending.values()) settle(waiters, answer(guid));
        this.pending.clear();
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
        const batch = [...this.pending].slice(0, this.maxBatch);
        for (const [key] of batch) this.pending.delete(key);
        let found = new Map<string, ApiUser>();
        try {
            if (batch.length > 1) {
                const users = await this.sources.many(batch.map(([, e]) => e.guid));
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
            settle(waiters, user ? Promise.resolve(user) : this.sources.one(guid));
        }
    }
}

function settle(waiters: Waiter[], answer: Promise<ApiUser | undefined>): void {
    answer.then(
        (user) => waiters.forEach((w) => w.resolve(user)),
        (err: unknown) => waiters.forEach((w) => w.reject(err)),
    );
}
