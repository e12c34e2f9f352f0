// The mocks every program test runs under: each resource registration is recorded, and a
// stack reference reads the given outputs (the stack's last update). Type-only use of the
// SDK, so that a team's own @pulumi/pulumi can run it too (./program-probe).
import type * as pulumi from "@pulumi/pulumi";

export interface Registered {
    type: string;
    name: string;
    inputs: Record<string, unknown>;
}

export function recordingMocks(registered: Registered[], stackOutputs: Record<string, unknown> = {}): pulumi.runtime.Mocks {
    return {
        newResource(args) {
            if (args.type === "pulumi:pulumi:StackReference") {
                return { id: String(args.inputs["name"]), state: { name: args.inputs["name"], outputs: stackOutputs, secretOutputNames: [] } };
            }
            registered.push({ type: args.type, name: args.name, inputs: args.inputs as Record<string, unknown> });
            return { id: `${args.name}-id`, state: args.inputs as Record<string, unknown> };
        },
        call(args) {
            return args.inputs as Record<string, unknown>;
        },
    };
}
