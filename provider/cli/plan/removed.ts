// `plan`'s view of the users file's `removed:` entries: what `pulumi up` will do to each
// user taken out on purpose, and once that is done, whether the account still holds the
// end state the entry names (a demoted user made Admin again in the UI is a difference).
// With `--state`, it also names a managed user dropped from the file without an entry.
import { endOfAccess, type StackView } from "../../usersfile/ending";
import type { PlannedRemovedUser } from "./shape";
import type { RemovedUser } from "../../usersfile/parse";
import type { ApiUser } from "../../model/wire";
import type { Managed } from "../state";

export type { PlannedRemovedUser } from "./shape";

/** What the stack's state says of `email`: unknown without `--state`. */
export function stackView(managed: Managed | undefined, email: string): StackView {
    if (!managed) return { known: false };
    const recorded = managed.users.find((u) => u.email === email.toLowerCase())?.onDelete;
    return { known: true, recorded };
}

export function planRemoved(removed: RemovedUser[], byEmail: Map<string, ApiUser>, managed: Managed | undefined, demoteRole: string): PlannedRemovedUser[] {
    return removed.map((r) => ({
        email: r.email,
        onDelete: r.onDelete,
        reason: r.reason,
        ...endOfAccess("removed", r.email, r.onDelete, byEmail.get(r.email.toLowerCase()), stackView(managed, r.email), demoteRole),
    }));
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
