// One listing of the whole account answers many questions at once: reads by GUID
// (./reads) and look-ups by email (./emails). It answers for a while (its time to live),
// and never for a user this process has written to since it was taken: that user is
// asked for fresh. So a listing is never older than this process's own writes.
import type { ApiUser } from "../wire";
import type { UsersApi, Written } from "./users-api";

export interface AccountIndex {
    /** Lower-cased GUID → user. */
    byGuid: Map<string, ApiUser>;
    /** Lower-cased email → users (more than one is an account to be fixed, not a choice). */
    byEmail: Map<string, ApiUser[]>;
}

export class AccountListing {
    private current: { at: number; index: Promise<AccountIndex> } | undefined;
    /** Lower-cased GUIDs and emails this process wrote to since the current listing was asked for. */
    private readonly written = new Set<string>();

    constructor(
        private readonly api: UsersApi,
        private readonly ttlMs: number,
        private readonly now: () => number,
    ) {
        api.onWrite((w) => this.wrote(w));
    }

    /** The listing, if one was asked for less than its time to live (or `maxAgeMs`) ago. */
    recent(maxAgeMs = this.ttlMs): Promise<AccountIndex> | undefined {
        if (this.current && this.now() - this.current.at > this.ttlMs) this.current = undefined;
        if (this.current && this.now() - this.current.at > maxAgeMs) return undefined;
        return this.current?.index;
    }

    /** The listing if asked for at most `maxAgeMs` ago (default: its time to live), or a new one (company-API-token users included). */
    take(maxAgeMs = this.ttlMs): Promise<AccountIndex> {
        const recent = this.recent(maxAgeMs);
        if (recent) return recent;
        // A write that finishes from now on may or may not show in the listing: it is
        // marked below, and its user asked for fresh.
        this.written.clear();
        const index = this.api.listEveryone().then(indexUsers);
        // Callers fall back to asking one by one if the listing fails; keep that quiet here,
        // and retire the failure, so that the next caller lists again instead of falling back
        // to one request per user for the listing's whole time to live.
        index.catch(() => {
            if (this.current?.index === index) this.current = undefined;
        });
        this.current = { at: this.now(), index };
        return index;
    }

    /** A listing the caller just made itself (the CLI's, with its progress line) answers from now on. */
    prime(users: ApiUser[]): void {
        this.written.clear();
        this.current = { at: this.now(), index: Promise.resolve(indexUsers(users)) };
    }

    /** Every user of the listing. */
    async everyone(): Promise<ApiUser[]> {
        return [...(await this.take()).byGuid.values()];
    }

    /** Whether this process wrote to this GUID or email since the listing was asked for. */
    stale(guidOrEmail: string): boolean {
        return this.written.has(guidOrEmail.toLowerCase());
    }

    private wrote(w: Written): void {
        if (w.guid) this.written.add(w.guid.toLowerCase());
        if (w.email) this.written.add(w.email.toLowerCase());
    }
}

function indexUsers(users: ApiUser[]): AccountIndex {
    const byGuid = new Map<string, ApiUser>();
    const byEmail = new Map<string, ApiUser[]>();
    for (const u of users) {
        byGuid.set(u.guid.toLowerCase(), u);
        const key = u.email.toLowerCase();
        byEmail.set(key, [...(byEmail.get(key) ?? []), u]);
    }
    return { byGuid, byEmail };
}
