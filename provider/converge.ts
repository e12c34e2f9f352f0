// Bitsight answers a PATCH without saying what it applied, and may keep features a user
// cannot change (`can_update: false`). After every write the user is read back and compared
// with the declaration: a field that did not take is an error, not a silent perpetual diff.
import { describeChanges, diffUser } from "./diff";
import { keep, PartialFailureError } from "./partial";
import type { UserInputs, UserOutputs } from "./types";

export function assertConverged(outs: UserOutputs, news: UserInputs, provider: unknown, action: string): void {
    const left = diffUser(outs, news).filter((c) => c.api);
    if (left.length === 0) return;
    throw new PartialFailureError(
        `Bitsight ${action} user ${news.email} (${outs.guid}) but did not apply ${describeChanges(left)}. ` +
            `The account may not allow changing these for this user (a feature with can_update false, for example); ` +
            `change the declaration to match, or change the user in the Bitsight UI.`,
        outs.guid,
        keep(outs, provider),
    );
}
