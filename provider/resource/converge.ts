// Bitsight answers a PATCH without saying what it applied, and may keep features a user
// cannot change (`can_update: false`). After every write the user is read back and compared
// with the declaration: a field that did not take is an error, not a silent perpetual diff.
import { describeChanges, diffUser } from "./diff";
import { keep, PartialFailureError } from "./partial-failure";
import { rolesOf } from "../roles";
import type { UserInputs, UserOutputs } from "../user-model";

export function assertConverged(outs: UserOutputs, news: UserInputs, provider: unknown, action: string): void {
    const left = diffUser(outs, news).filter((c) => c.api);
    if (left.length === 0) return;
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
                `The account may not allow changing these for this user (a feature with can_update false, for example); ` +
                    `change the declaration to match, or change the user in the Bitsight UI.`),
        outs.guid,
        keep(outs, provider),
    );
}
