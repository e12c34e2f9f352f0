// What every hook needs to reach the account: one client for the whole provider process,
// built from the configuration on first use.
import { HttpClient, type HttpOptions } from "../client/http";
import { EmailLookups } from "./emails";
import { Mutex } from "../client/limiter";
import { AccountListing } from "./listing";
import { DEFAULT_READS, ReadCoalescer, type ReadOptions } from "./reads";
import { UsersApi } from "./users-api";
import { DEFAULT_DEMOTE_ROLE, type Connection } from "../config";
import { resolveTokenOwner, type TokenOwner } from "./token-owner";

export interface Context {
    api: UsersApi;
    /** Reads of single users, coalesced (./client/reads). */
    reads: ReadCoalescer;
    /** Look-ups by email before a create, coalesced (./client/emails). */
    emails: EmailLookups;
    /** The listing of the whole account that reads, look-ups and the token's owner share (./client/listing). */
    listing: AccountListing;
    /** Who the API token belongs to; found once per process (./token-owner). */
    tokenOwner(): Promise<TokenOwner>;
    /** The role `onDelete: "demote"` leaves a removed user with (`bitsight:demoteRole`). */
    demoteRole: string;
    /** Held while a change that could remove an Admin is checked and made (./guards). */
    adminLock: Mutex;
    /**
     * Lower-cased GUIDs of the users this process is about to delete or give another role,
     * queued for the lock or under it: none of them counts as an Admin who will remain.
     */
    removals: Set<string>;
}

export function makeContext(conn: Connection, options: HttpOptions & { reads?: Partial<ReadOptions>; demoteRole?: string } = {}): Context {
    const api = new UsersApi(new HttpClient(conn, options));
    const readOptions = { ...DEFAULT_READS, ...options.reads };
    const now = options.clock ? () => options.clock!.now() : Date.now;
    const listing = new AccountListing(api, readOptions.snapshotTtlMs, now);
    const reads = new ReadCoalescer(api, listing, readOptions, now);
    const emails = new EmailLookups(api, listing, readOptions.batch);
    let owner: Promise<TokenOwner> | undefined;
    return {
        api,
        reads,
        emails,
        listing,
        demoteRole: options.demoteRole ?? DEFAULT_DEMOTE_ROLE,
        adminLock: new Mutex(),
        removals: new Set(),
        tokenOwner() {
            owner ??= resolveTokenOwner(api, conn.tokenUser, () => listing.everyone(), (email) => emails.find(email, { fresh: true })).catch((err: unknown) => {
                owner = undefined;
                throw err;
            });
            return owner;
        },
    };
}
