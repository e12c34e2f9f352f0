// When the user exists in Bitsight but a later step failed, the hook throws this: the
// dynamic-provider host sends it as ErrorResourceInitFailed, and the engine keeps the
// resource in the state with these properties, so nothing is lost and the next run converges.
import type { UserOutputs } from "../model/user-model";
import { BitsightError } from "../base/errors";

export class PartialFailureError extends BitsightError {
    override name = "PartialFailureError";
    constructor(
        message: string,
        readonly id: string,
        readonly properties: UserOutputs & { __provider?: unknown },
        options?: ErrorOptions,
    ) {
        super(message, options);
    }

    /**
     * What the host sends the engine, which prints it and keeps it in the state: the message
     * as it is when sent, so that the escaping the hooks give the message reaches it too.
     */
    get reasons(): string[] {
        return [this.message];
    }
}

/** The state to keep: the outputs, with `__provider` so that a later refresh or destroy can run. */
export function keep(outs: UserOutputs, provider: unknown): UserOutputs & { __provider?: unknown } {
    return provider === undefined ? outs : { ...outs, __provider: provider };
}
