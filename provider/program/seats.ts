// Plans that know the seats: Bitsight refuses a POST once the account has no active-user
// seat left, and creates at most 300 users a month. A change that needs more seats than are
// left is refused before anything is applied (by plan, and by the program before any
// resource registers), instead of a `pulumi up` that fails halfway. More than 300 creates is
// a warning: the month's limit may already be partly used, and the API does not say.
import type { Seats } from "../account/users-api";

/** Bitsight creates at most this many users a month in one account. */
export const MONTHLY_CREATION_LIMIT = 300;

export interface SeatCheck {
    /** Whether the quota could be read. */
    checked: boolean;
    /** New users that take an active seat (created Deactivated, they take none). */
    needed: number;
    remaining: number | null;
    total: number | null;
    refused: boolean;
    /** Why it is refused, and what to do. */
    message: string | null;
    /** Over the monthly limit. */
    warning: string | null;
    /** Why the seats were not checked. */
    note: string | null;
}

export function checkSeats(file: string, needed: number, seats: Seats): SeatCheck {
    const warning =
        needed > MONTHLY_CREATION_LIMIT
            ? `${file} creates ${needed} users; Bitsight creates at most ${MONTHLY_CREATION_LIMIT} a month in an account, so creates past that fail until next month: split the change.`
            : null;
    if ("unavailable" in seats) {
        return { checked: false, needed, remaining: null, total: null, refused: false, message: null, warning, note: `seats not checked: ${seats.unavailable}.` };
    }
    const refused = needed > seats.remaining;
    const message = refused
        ? `${file} creates ${needed} user${needed === 1 ? "" : "s"}, but the account has ${seats.remaining} active-user seat${seats.remaining === 1 ? "" : "s"} left (of ${seats.total}). ` +
          `Nothing was applied. Free seats (remove or deactivate users in Bitsight), ask Bitsight for more, or create fewer users in this change.`
        : null;
    return { checked: true, needed, remaining: seats.remaining, total: seats.total, refused, message, warning, note: null };
}
