// The end of a user's access, decided once: what `pulumi up` does to a user the file no
// longer declares, because its `expires:` date has come or because it is listed under
// `removed:`. The program, `plan` and `review` all ask here, so that what one does and the
// others say cannot drift apart.
//
// An expiry ends access: from its first day the person holds no login. Only a deletion
// does that (the API cannot deactivate a user), so `expires:` is refused under an onDelete
// that keeps the login (demote, retain), before any merge (./parse). `removed:` with
// onDelete demote is the way to keep a user without privilege.
import { demotion } from "../account/demotion";
import { roleText } from "../model/roles";
import type { OnDelete } from "../model/user-model";
import type { ApiUser } from "../model/wire";

/** The one onDelete an expiry may have: the others keep a login after the first day without access. */
export const EXPIRY_ON_DELETE: OnDelete = "delete";

/** How the user left the file. */
export type Leaving = "expired" | "removed";

/**
 * - `to-delete`, `to-demote`, `to-retain`: the stack manages the user; `pulumi up` applies its onDelete.
 * - `done`: the account holds what the onDelete leaves (demoted, or retained).
 * - `gone`: the user is not in the account.
 * - `changed`: the stack no longer manages the user and the account holds more than the
 *   onDelete leaves: a difference. A demoted user is kept demoted by the program, so the next
 *   apply with refresh demotes it again; a deleted user who is back is for the UI to fix
 *   (a person may be hired back: nothing deletes twice).
 * - `blocked`: the stack recorded another onDelete for the user, and `pulumi up` would apply
 *   that one: the program refuses the run (./../program/users-file-resources).
 */
export type EndState = "to-delete" | "to-demote" | "to-retain" | "done" | "gone" | "changed" | "blocked";

export interface Ending {
    state: EndState;
    /** What the account holds beyond the end state (`changed`, `to-demote`), a condition (`to-delete`), or why not (`blocked`). */
    detail: string | null;
}

/** What the stack's state says of the user: unknown without `plan --state`, or the onDelete it recorded (undefined: not managed). */
export type StackView = { known: false } | { known: true; recorded: OnDelete | undefined };

/** Whether `pulumi up` will still do something, or the account no longer matches what the file says is left. */
export function endIsDifference(e: Ending): boolean {
    return e.state !== "done" && e.state !== "gone";
}

/** What `pulumi up` does to a user whose access ended with `onDelete`, given the account's `live` user and the stack. */
export function endOfAccess(leaving: Leaving, email: string, onDelete: OnDelete, live: ApiUser | undefined, stack: StackView, demoteRole: string): Ending {
    const recorded = stack.known ? stack.recorded : undefined;
    const conflict = recordedConflict(leaving, email, onDelete, recorded);
    if (conflict) return { state: "blocked", detail: conflict };
    if (!live) return { state: "gone", detail: null };
    const inStack = recorded !== undefined;
    if (onDelete === "retain") return { state: inStack ? "to-retain" : "done", detail: null };
    if (onDelete === "delete") {
        if (inStack) return { state: "to-delete", detail: null };
        return stack.known
            ? { state: "changed", detail: "back in the account, and the stack no longer manages it: delete it in the Bitsight UI, or declare it again" }
            : { state: "to-delete", detail: "if the stack still manages it; plan --state knows" };
    }
    const left = leftOver(live, demoteRole);
    if (left === null) return { state: "done", detail: null };
    if (inStack) return { state: "to-demote", detail: left };
    // The program keeps it demoted (a BitsightRemovedUser): a grant made since is drift, which an apply with refresh undoes.
    return stack.known
        ? { state: "changed", detail: `${left}, where onDelete: demote leaves it ${demoteRole}: the next pulumi up --refresh (a merge, or a run by hand) demotes it again` }
        : { state: "to-demote", detail: `${left}; the next pulumi up demotes it (after an earlier demotion, one with --refresh: a merge, or a run by hand)` };
}

/**
 * The engine removes a resource with the onDelete its state recorded, whatever the file
 * says now: when they differ, what the file says would not be what happens. What to do
 * instead, or undefined when they agree (or the stack does not manage the user).
 */
export function recordedConflict(leaving: Leaving, email: string, onDelete: OnDelete, recorded: OnDelete | undefined): string | undefined {
    if (recorded === undefined || recorded === onDelete) return undefined;
    const fix =
        leaving === "removed"
            ? `declare ${email} again under users: with onDelete: ${onDelete}, apply, then move it to removed:`
            : `set ${email}'s expires: to a later day, apply (the stack then records onDelete: ${onDelete}), then set the date back`;
    return `the stack recorded onDelete: ${recorded} for ${email}, and pulumi up applies what the stack recorded, not the file's onDelete: ${onDelete}. To apply the file's, ${fix}`;
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
