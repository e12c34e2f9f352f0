// `plan`'s view of the users file's `removed:` entries: what `pulumi up` will do to each
// user taken out on purpose, and once that is done, whether the account still holds the
// end state the entry names (a demoted user made Admin again in the UI is a difference).
// With `--state`, it also names a managed user dropped from the file without an entry.
import { demotion } from "../../account/demotion";
import { roleText } from "../../roles";
import type { RemovedUser } from "../../usersfile/parse";
import type { ApiUser } from "../../wire";
import type { Managed } from "../state";

/**
 * - `to-delete`, `to-demote`, `to-retain`: the stack manages the user; `pulumi up` applies the entry.
 * - `done`: the account holds what the entry says is left (demoted, or retained).
 * - `gone`: the user is not in the account: the entry can go.
 * - `changed`: the user left the stack's BitsightUsers, and the account holds more than the
 *   entry says is left: a difference. A demoted user is kept demoted by the program, so the
 *   next apply with refresh demotes it again; a deleted user who is back is for the UI to fix.
 * - `blocked`: the stack recorded another onDelete for the user; `pulumi up` applies that one.
 */
export type RemovedState = "to-delete" | "to-demote" | "to-retain" | "done" | "gone" | "changed" | "blocked";

export interface PlannedRemovedUser {
    email: string;
    onDelete: string;
    reason: string;
    state: RemovedState;
    /** What the account holds beyond the entry's end state (`changed`, `to-demote`), or why not (`blocked`). */
    detail: string | null;
}

/** Whether the entry is a difference: something `pulumi up` will do, or an account that no longer matches it. */
export function removedIsDifference(r: PlannedRemovedUser): boolean {
    return r.state !== "done" && r.state !== "gone";
}

export function planRemoved(removed: RemovedUser[], byEmail: Map<string, ApiUser>, managed: Managed | undefined, demoteRole: string): PlannedRemovedUser[] {
    return removed.map((r) => {
        const base = { email: r.email, onDelete: r.onDelete, reason: r.reason };
        const live = byEmail.get(r.email.toLowerCase());
        const recorded = managed?.users.find((u) => u.email === r.email.toLowerCase())?.onDelete;
        if (recorded !== undefined && recorded !== r.onDelete) {
            return {
                ...base,
                state: "blocked",
                detail:
                    `the stack recorded onDelete: ${recorded} for this user, and pulumi up applies what the stack recorded. ` +
                    `Declare the user again under users: with onDelete: ${r.onDelete}, apply, then move it here`,
            };
        }
        if (!live) return { ...base, state: "gone", detail: null };
        const inStack = recorded !== undefined;
        if (r.onDelete === "retain") return { ...base, state: inStack ? "to-retain" : "done", detail: null };
        if (r.onDelete === "delete") {
            return inStack
                ? { ...base, state: "to-delete", detail: null }
                : { ...base, state: managed ? "changed" : "to-delete", detail: managed ? "still in the account, and the stack no longer manages it: delete it in the Bitsight UI" : "pulumi up deletes it if the stack still manages it" };
        }
        const left = leftOver(live, demoteRole);
        if (left === null) return { ...base, state: "done", detail: null };
        if (inStack) return { ...base, state: "to-demote", detail: left };
        // The program keeps it demoted (a BitsightRemovedUser): a grant made since is drift, which an apply with refresh undoes.
        return managed
            ? { ...base, state: "changed", detail: `${left}, where the entry leaves it ${demoteRole}: the next pulumi up --refresh (a merge, or a run by hand) demotes it again` }
            : { ...base, state: "to-demote", detail: `${left}; the next pulumi up demotes it (after an earlier demotion, one with --refresh: a merge, or a run by hand)` };
    });
}

/** What `user` holds beyond a demotion to `role`, in words; null when it is demoted already. */
function leftOver(user: ApiUser, role: string): string | null {
    const body = demotion(user, role);
    const held: string[] = [];
    if (body.roles) held.push(`holds ${roleText(user.roles.map((r) => r.slug))}`);
    if (body.features) held.push(`features on: ${body.features.map((f) => f.slug).join(", ")}`);
    if (body.is_available_for_contact === false) held.push("a subscription contact");
    return held.length ? held.join("; ") : null;
}

/** Managed users the file drops without a `removed:` entry: what to add for each. */
export function missingRemovedEntries(dropped: string[], removed: RemovedUser[], managed: Managed): string[] {
    const listed = new Set(removed.map((r) => r.email.toLowerCase()));
    return dropped
        .filter((email) => !listed.has(email.toLowerCase()))
        .map((email) => {
            const onDelete = managed.users.find((u) => u.email === email.toLowerCase())?.onDelete ?? "delete";
            return `${email} is dropped from the file without a removed: entry: add \`- { email: ${email}, onDelete: ${onDelete}, reason: <why> }\` under removed:, so that pull never proposes it back and plan checks what is left of it`;
        });
}
