// The mocks every program test runs under: each resource registration is recorded, and a
// stack's outputs read by the engine's builtin invoke are the given ones (its last update). Type-only use of the
// SDK, so that a team's own @pulumi/pulumi can run it too (./program-probe).
import type * as pulumi from "@pulumi/pulumi";
import { READ_STACK_OUTPUTS } from "../../provider/program/removals";

export interface Registered {
    type: string;
    name: string;
    inputs: Record<string, unknown>;
}

export function recordingMocks(registered: Registered[], stackOutputs: Record<string, unknown> = {}): pulumi.runtime.Mocks {
    return {
        newResource(args) {
            registered.push({ type: args.type, name: args.name, inputs: args.inputs as Record<string, unknown> });
            return { id: `${args.name}-id`, state: args.inputs as Record<string, unknown> };
        },
        call(args) {
            if (args.token === READ_STACK_OUTPUTS) return { name: args.inputs["name"], outputs: stackOutputs, secretOutputNames: [] };
            return args.inputs as Record<string, unknown>;
        },
    };
}
