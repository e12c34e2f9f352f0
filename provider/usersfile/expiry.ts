// Access that expires: a user declared with `expires: YYYY-MM-DD` is declared up to the
// day before. From that date on (UTC) the users-file program leaves the user out, so the
// next `pulumi up` deletes it (an expiry's onDelete is always delete: ./ending); validate
// warns, without failing, so the file does not turn red on the day; plan lists the user
// for deletion; review lists what expires soon.
import type { DeclaredUser, ParsedUsersFile } from "./model";
import { fieldName } from "./problems";

const DAY = 86_400_000;

/** The UTC calendar date of `now`: YYYY-MM-DD. */
export function todayUtc(now: Date = new Date()): string {
    return now.toISOString().slice(0, 10);
}

/** `date` plus `days`, as YYYY-MM-DD. */
export function addDays(date: string, days: number): string {
    return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
}

/** Whether `text` is a real calendar date written YYYY-MM-DD (2026-02-30 is not). */
export function isCalendarDate(text: string): boolean {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
    const t = Date.parse(`${text}T00:00:00Z`);
    return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === text;
}

export function isExpired(u: Pick<DeclaredUser, "expires">, today: string): boolean {
    return u.expires !== undefined && u.expires <= today;
}

/** The users the file declares as of `today`: without those whose access has expired. */
export function activeUsers(parsed: ParsedUsersFile, today: string): ParsedUsersFile {
    return { ...parsed, users: parsed.users.filter((u) => !isExpired(u, today)) };
}

/** One line for each expired user and company API token, `file:line:col: field: …`, for validate and the program to warn with. */
export function expiryWarnings(parsed: ParsedUsersFile, today: string): string[] {
    const at = (path: (string | number)[]) => {
        const where = parsed.locator.value(path);
        return `${parsed.file}:${where.line}:${where.col}: ${fieldName(path)}`;
    };
    // Offline, nothing says whether the deletion or revocation is done: a file keeps the entry after it.
    const users = parsed.users
        .filter((u) => isExpired(u, today))
        .map((u) => `${at([...u.path, "expires"])}: ${String(u.args.email)}'s access expired on ${u.expires}; from that day the user holds no login: the next pulumi up deletes it, if it has not already`);
    const tokens = parsed.apiTokens
        .filter((t) => isExpired(t, today))
        .map((t) => `${at([...t.path, "expires"])}: the company API token "${t.description}" expired on ${t.expires}; the next pulumi up revokes it, if it has not already`);
    return [...users, ...tokens];
}
