// Bitsight answers a PATCH without saying what it applied, and may keep features a user
// cannot change (`can_update: false`). After every write the user is read back and compared
// with the declaration: a field that did not take is an error, not a silent perpetual diff.
import { describeChanges, diffUser, lockedFeatureConflict, undeclaredFeaturesMoved } from "./diff";
import type { ApiUser } from "../model/wire";
import { keep, PartialFailureError } from "./partial-failure";
import { rolesOf, splitRoles } from "../model/roles";
import type { UserInputs, UserOutputs } from "../model/user-model";

/** `write`: the user just before and just after a PATCH, to catch a write that moved what the file does not govern. */
export function assertConverged(outs: UserOutputs, news: UserInputs, provider: unknown, action: string, write?: { before: ApiUser; after: ApiUser }): void {
    const lost = write ? rolesLost(write.before, write.after, news.role) : [];
    if (lost.length > 0) {
        throw new PartialFailureError(
            `Bitsight ${action} user ${news.email} (${outs.guid}), and the write also took away ${lost.length === 1 ? "the role" : "the roles"} ${lost.join(", ")}, ` +
                `which the declaration does not govern (a role of another product, assigned in its application). Give ${lost.length === 1 ? "it" : "them"} back there.`,
            outs.guid,
            keep(outs, provider),
        );
    }
    const moved = write ? undeclaredFeaturesMoved(write.before, write.after, news) : [];
    if (moved.length > 0) {
        throw new PartialFailureError(
            `Bitsight ${action} user ${news.email} (${outs.guid}), and the write also changed ${moved.length === 1 ? "a feature" : "features"} the declaration does not name: ${moved.join(", ")}. ` +
                `The provider sent their values unchanged; the API changed them anyway. Set ${moved.length === 1 ? "it" : "them"} back in the Bitsight UI, or declare ${moved.length === 1 ? "it" : "them"} in \`features\`.`,
            outs.guid,
            keep(outs, provider),
        );
    }
    const left = diffUser(outs, news).filter((c) => c.api);
    if (left.length === 0) return;
    const unheld = lockedFeatureConflict(outs, news);
    const held = rolesOf(outs.role);
    const others = held.filter((r) => r !== news.role);
    const roleNote =
        left.some((c) => c.field === "role") && held.includes(news.role)
            ? `The user holds ${news.role} but Bitsight kept its other role${others.length === 1 ? "" : "s"} (${others.join(", ")}): ` +
              `the API sets one role per request and did not remove the others. Remove ${others.length === 1 ? "it" : "them"} in the Bitsight UI, or declare the role Bitsight keeps.`
            : "";
    throw new PartialFailureError(
        `Bitsight ${action} user ${news.email} (${outs.guid}) but did not apply ${describeChanges(left)}. ` +
            (roleNote ||
                unheld ||
                `The account may not allow changing these for this user (a feature with can_update false, for example); ` +
                    `change the declaration to match, or change the user in the Bitsight UI.`),
        outs.guid,
        keep(outs, provider),
    );
}

/** Roles of other products than `declared` that the user held before a write and not after: an API whose PATCH replaced every role. */
function rolesLost(before: ApiUser, after: ApiUser, declared: string): string[] {
    const kept = new Set(after.roles.map((r) => r.slug));
    return splitRoles(before.roles.map((r) => r.slug), declared).others.filter((r) => !kept.has(r));
}
