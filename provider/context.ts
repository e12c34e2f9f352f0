// What every hook needs to reach the account: one client for the whole provider process,
// built from the configuration on first use.
import { HttpClient, type HttpOptions } from "./client/http";
import { Mutex } from "./client/limiter";
import { ReadCoalescer, type ReadOptions } from "./client/reads";
import { UsersApi, type TokenOwner } from "./client/users";
import type { Connection } from "./config";

export interface Context {
    api: UsersApi;
    /** Reads of single users, coalesced (./client/reads). */
    reads: ReadCoalescer;
    /** Who the API token belongs to; asked once per process. */
    tokenOwner(): Promise<TokenOwner>;
    /** Held while a change that could remove an Admin is checked and made. */
    adminLock: Mutex;
}

export function makeContext(conn: Connection, options: HttpOptions & { reads?: Partial<ReadOptions> } = {}): Context {
    const api = new UsersApi(new HttpClient(conn, options));
    const reads = new ReadCoalescer(api, options.reads, options.clock ? () => options.clock!.now() : Date.now);
    api.onWrite(() => reads.invalidate());
    let owner: Promise<TokenOwner> | undefined;
    return {
        api,
        reads,
        adminLock: new Mutex(),
        tokenOwner() {
            owner ??= api.tokenOwner().catch((err: unknown) => {
                owner = undefined;
                throw err;
            });
            return owner;
        },
    };
}
