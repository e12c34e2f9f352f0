// What every hook needs to reach the account: one client for the whole provider process,
// built from the configuration on first use.
import { HttpClient, type HttpOptions } from "../client/http";
import { Mutex } from "../client/limiter";
import { Account, type ReadOptions } from "./account";
import { UsersApi } from "./users-api";
import type { Connection } from "../client/connection";
import { DEFAULT_DEMOTE_ROLE } from "../model/roles";
import { resolveTokenOwner, type TokenOwner } from "./token-owner";

export interface Context {
    api: UsersApi;
    /** The account as this process knows it: reads by GUID, look-ups by email, the shared listing (./account). */
    account: Account;
    /** Who the API token belongs to; found once per process (./token-owner). */
    tokenOwner(): Promise<TokenOwner>;
    /** The role `onDelete: "demote"` leaves a removed user with (`bitsight:demoteRole`). */
    demoteRole: string;
    /** Held while a change that could remove an Admin is checked and made (../resource/guards). */
    adminLock: Mutex;
    /**
     * Lower-cased GUIDs of the users this process is about to delete or give another role,
     * queued for the lock or under it: none of them counts as an Admin who will remain.
     */
    removals: Set<string>;
    /**
     * Lower-cased GUIDs this process keeps demoted (a BitsightRemovedUser): the file demotes
     * them on purpose, so a `delete` the state recorded for them earlier demotes instead.
     */
    keptDemoted: Set<string>;
    /** The last four characters of the API token this process runs with: a token listed so may be it (../resource/api-token never revokes one). */
    ownTokenLastFour: string;
}

export function makeContext(conn: Connection, options: HttpOptions & { reads?: Partial<ReadOptions>; demoteRole?: string } = {}): Context {
    const api = new UsersApi(new HttpClient(conn, options));
    const now = options.clock ? () => options.clock!.now() : Date.now;
    const account = new Account(api, options.reads, now);
    let owner: Promise<TokenOwner> | undefined;
    return {
        api,
        account,
        demoteRole: options.demoteRole ?? DEFAULT_DEMOTE_ROLE,
        adminLock: new Mutex(),
        removals: new Set(),
        keptDemoted: new Set(),
        ownTokenLastFour: conn.token.trim().slice(-4),
        tokenOwner() {
            owner ??= resolveTokenOwner(api, conn.tokenUser, () => account.everyone(), (email) => account.find(email, { fresh: true })).catch((err: unknown) => {
                owner = undefined;
                throw err;
            });
            return owner;
        },
    };
}
