// When the user exists in Bitsight but a later step failed, the hook throws this: the
// dynamic-provider host sends it as ErrorResourceInitFailed, and the engine keeps the
// resource in the state with these properties, so nothing is lost and the next run converges.
import { BitsightError } from "../client/errors";
import type { UserOutputs } from "../user-model";

export class PartialFailureError extends BitsightError {
    override name = "PartialFailureError";
    readonly reasons: string[];
    constructor(
        message: string,
        readonly id: string,
        readonly properties: UserOutputs & { __provider?: unknown },
        options?: ErrorOptions,
    ) {
        super(message, options);
        this.reasons = [message];
    }
}

/** The state to keep: the outputs, with `__provider` so that a later refresh or destroy can run. */
export function keep(outs: UserOutputs, provider: unknown): UserOutputs & { __provider?: unknown } {
    return provider === undefined ? outs : { ...outs, __provider: provider };
}
