// `npm test` reaches nothing beyond the loopback: the Bitsight side is the emulator on
// 127.0.0.1, the Pulumi side the SDK's host over gRPC on 127.0.0.1. Loaded by mocha
// (--require) in every worker; it refuses, before any packet is sent, a connection to any
// other address, and passes itself on to the Node processes the tests start (the provider
// host, the CLI) through NODE_OPTIONS. The checks that install from the npm registry run
// apart, as `npm run test:package`.
import * as net from "net";

/** Whether `host` names this machine: 127.0.0.0/8, ::1, localhost, or no host (which Node reads as localhost). */
export function isLoopback(host: string | undefined): boolean {
    if (host === undefined || host === "" || host === "localhost") return true;
    const bare = host.replace(/^\[|\]$/g, "");
    return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare) || bare === "::1" || bare === "::ffff:127.0.0.1";
}

/** The host a `Socket.connect` call names; undefined for a Unix socket or a pipe (local by nature). */
function hostOf(args: unknown[]): { host: string | undefined; local: boolean } {
    const [first, second] = args;
    if (typeof first === "object" && first !== null) {
        const o = first as { host?: string; path?: string };
        return o.path !== undefined ? { host: undefined, local: true } : { host: o.host, local: false };
    }
    if (typeof first === "string" && !/^\d+$/.test(first)) return { host: undefined, local: true };
    return { host: typeof second === "string" ? second : undefined, local: false };
}

const connect = net.Socket.prototype.connect;
if (!(connect as { loopbackOnly?: boolean }).loopbackOnly) {
    const guarded = function (this: net.Socket, ...args: unknown[]) {
        const { host, local } = hostOf(args);
        if (!local && !isLoopback(host)) {
            throw new Error(`npm test connects only to the loopback, and a test asked for ${String(host)}: run what needs the network under npm run test:package`);
        }
        return (connect as (...a: unknown[]) => net.Socket).apply(this, args);
    };
    (guarded as { loopbackOnly?: boolean }).loopbackOnly = true;
    net.Socket.prototype.connect = guarded as typeof net.Socket.prototype.connect;
    const self = `--require ${JSON.stringify(__filename).slice(1, -1)}`;
    if (!(process.env["NODE_OPTIONS"] ?? "").includes(__filename)) process.env["NODE_OPTIONS"] = `${process.env["NODE_OPTIONS"] ?? ""} ${self}`.trim();
}
