// The guard behind `npm test`'s promise: no connection beyond the loopback (./helpers/loopback-only).
import { strict as assert } from "assert";
import * as net from "net";
import { isLoopback } from "./helpers/loopback-only";

describe("npm test stays on the loopback", () => {
    it("knows this machine's addresses, and no other", () => {
        for (const host of ["127.0.0.1", "127.5.6.7", "::1", "[::1]", "localhost", undefined]) assert.equal(isLoopback(host), true, String(host));
        for (const host of ["10.0.0.1", "192.168.1.1", "api.bitsighttech.com", "registry.npmjs.org", "127.0.0.1.example.com", "0.0.0.0", "::"]) assert.equal(isLoopback(host), false, host);
    });

    it("is in force in this process, and passed on to the processes the tests start", () => {
        assert.equal((net.Socket.prototype.connect as { loopbackOnly?: boolean }).loopbackOnly, true, "npm test loads it in every worker (mocha --require)");
        assert.match(process.env["NODE_OPTIONS"] ?? "", /--require \S*loopback-only\.js/);
    });
});
