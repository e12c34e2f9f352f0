import { strict as assert } from "assert";
import * as sinon from "sinon";
import { SEED_TOKEN } from "../../test/emulator/seed";
import { FakeClock, quietLog } from "../../test/helpers/clock";
import { useEmulator } from "../../test/helpers/emulator";
import { BitsightError } from "../base/errors";
import { BitsightApiError, BitsightNetworkError, UnexpectedResponseError } from "./errors";
import { HttpClient, type FetchLike } from "./http";

describe("HttpClient", () => {
    const env = useEmulator();

    it("authenticates with the token as Basic user name and an empty password", async () => {
        const res = await new HttpClient(env.conn).send({ method: "GET", path: "/ratings/v1/users/quota" });
        assert.equal(res.status, 200);
        assert.equal((res.body as { total_active_quota: number }).total_active_quota, 99999);
    });

    it("reports a refused token with the status, the request and the API's words", async () => {
        const http = new HttpClient({ ...env.conn, token: "wrong-token-123" });
        await assert.rejects(http.send({ method: "GET", path: "/ratings/v2/users" }), (err: unknown) => {
            assert.ok(err instanceof BitsightApiError);
            assert.equal(err.status, 401);
            assert.equal(err.message, "Bitsight API answered 401 Unauthorized (the API token is not valid) to GET /ratings/v2/users: Invalid token.");
            assert.ok(!err.message.includes("wrong-token-123"));
            return true;
        });
    });

    it("turns an HTML error page into a short excerpt", async () => {
        env.emu.inject({ reply: { status: 403, text: "<html><head><style>p{}</style></head><body><h1>403 Forbidden</h1><p>Request blocked.</p></body></html>" } });
        await assert.rejects(new HttpClient(env.conn).send({ method: "GET", path: "/ratings/v2/users" }), {
            message: "Bitsight API answered 403 Forbidden (the API token's user lacks the permission) to GET /ratings/v2/users: 403 Forbidden Request blocked.",
        });
    });

    it("refuses a success whose body is not JSON", async () => {
        env.emu.inject({ reply: { status: 200, text: '{"results": [' }, times: 5 });
        await assert.rejects(new HttpClient(env.conn, { clock: new FakeClock(), log: quietLog(new FakeClock()) }).send({ method: "GET", path: "/ratings/v2/users" }), UnexpectedResponseError);
    });

    it("reports a connection refused as a network error", async () => {
        const url = env.emu.url;
        await env.emu.stop();
        const clock = new FakeClock();
        await assert.rejects(new HttpClient({ ...env.conn, baseUrl: url }, { clock, log: quietLog(clock) }).send({ method: "GET", path: "/ratings/v2/users" }), (err: unknown) => {
            assert.ok(err instanceof BitsightNetworkError);
            assert.equal(err.message, "No answer from the Bitsight API to GET /ratings/v2/users: ECONNREFUSED (gave up after 5 attempts over 15 s)");
            // The socket's own error stays reachable for a debugger, under the one root.
            assert.equal((err.cause as NodeJS.ErrnoException | undefined)?.code, "ECONNREFUSED");
            assert.ok(err instanceof BitsightError);
            assert.deepEqual(clock.sleeps, [1000, 2000, 4000, 8000]);
            return true;
        });
        env.emu = await (await import("../../test/emulator/server")).BitsightEmulator.start();
    });

    describe("errors another attempt cannot heal are not retried", () => {
        /** What node-fetch rejects with when the system call fails: the code is what the client reads. */
        const failing = (code: string): FetchLike => () => Promise.reject(Object.assign(new Error(`request failed, reason: ${code}`), { code }));
        const cases: [string, string, RegExp][] = [
            ["a host name that does not exist", "ENOTFOUND", /: ENOTFOUND \(the host name does not exist; check bitsight:apiUrl \/ BITSIGHT_API_URL\)$/],
            ["a self-signed certificate", "DEPTH_ZERO_SELF_SIGNED_CERT", /: DEPTH_ZERO_SELF_SIGNED_CERT \(the server's TLS certificate is self-signed, so it is not trusted\)$/],
            ["a certificate for another host", "ERR_TLS_CERT_ALTNAME_INVALID", /: ERR_TLS_CERT_ALTNAME_INVALID \(the server's TLS certificate is for another host name\)$/],
            ["an expired certificate", "CERT_HAS_EXPIRED", /: CERT_HAS_EXPIRED \(the server's TLS certificate has expired\)$/],
        ];
        for (const [what, code, said] of cases) {
            it(`${what}: one attempt, no wait`, async () => {
                const clock = new FakeClock();
                const fetch = sinon.spy(failing(code));
                await assert.rejects(new HttpClient(env.conn, { clock, fetch }).send({ method: "GET", path: "/ratings/v2/users" }), said);
                assert.equal(fetch.callCount, 1);
                assert.deepEqual(clock.sleeps, []);
            });
        }

        it("a refused or forbidden token: one request each", async () => {
            const http = new HttpClient({ ...env.conn, token: "wrong-token-123" }, { clock: new FakeClock() });
            await assert.rejects(http.send({ method: "GET", path: "/ratings/v2/users" }), /401/);
            env.emu.inject({ reply: { status: 403, text: "{}" } });
            await assert.rejects(new HttpClient(env.conn, { clock: new FakeClock() }).send({ method: "GET", path: "/ratings/v2/users" }), /403/);
            assert.deepEqual(env.emu.requests(), ["GET /ratings/v2/users", "GET /ratings/v2/users"]);
        });

        it("a temporary DNS failure (EAI_AGAIN) is still retried, and each retry is told", async () => {
            const clock = new FakeClock();
            const told: string[] = [];
            const fetch = sinon.spy(failing("EAI_AGAIN"));
            await assert.rejects(new HttpClient(env.conn, { clock, fetch, onRetry: (m) => told.push(m) }).send({ method: "GET", path: "/ratings/v2/users" }), /EAI_AGAIN/);
            assert.equal(fetch.callCount, 5);
            assert.deepEqual(told, [1, 2, 3, 4].map((n) => `GET /ratings/v2/users got no answer (EAI_AGAIN); attempt ${n + 1} of 5 in ${2 ** (n - 1)} s`));
        });
    });

    it("gives up on a request after its time-out (fake clock)", async () => {
        const clock = sinon.useFakeTimers();
        try {
            const hanging: FetchLike = (_url, init) =>
                new Promise((_resolve, reject) => init.signal?.addEventListener("abort", () => reject(new Error("aborted"))));
            const http = new HttpClient(env.conn, { fetch: hanging, policy: { attemptTimeoutMs: 5000, maxAttempts: 1 } });
            const pending = http.send({ method: "GET", path: "/ratings/v2/users" });
            const settled = assert.rejects(pending, { message: "No answer from the Bitsight API to GET /ratings/v2/users: no answer within 5000 ms (gave up after 1 attempt over 5 s)" });
            await clock.tickAsync(5000);
            await settled;
        } finally {
            clock.restore();
        }
    });

    it("never puts the token or its Basic encoding into a message", async () => {
        const encoded = Buffer.from(`${SEED_TOKEN}:`).toString("base64");
        env.emu.inject({ reply: { status: 400, text: `Authorization: Basic ${encoded} (${SEED_TOKEN})` } });
        await assert.rejects(new HttpClient(env.conn).send({ method: "GET", path: "/ratings/v2/users" }), (err: Error) => {
            assert.equal(err.message, "Bitsight API answered 400 Bad Request to GET /ratings/v2/users: Authorization: Basic [REDACTED] ([REDACTED])");
            return true;
        });
    });
});
