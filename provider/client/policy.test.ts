import { strict as assert } from "assert";
import { BitsightApiError, BitsightNetworkError, BitsightTimeoutError, UnexpectedResponseError } from "./errors";
import { classify, DEFAULT_POLICY, parseRetryAfter, retryDelay, type Verdict } from "./policy";

const api = (status: number, retryAfterMs?: number) => new BitsightApiError(status, "GET", "/x", "", retryAfterMs);
const net = (reason: string) => new BitsightNetworkError("GET", "/x", reason);

describe("retry policy", () => {
    describe("classify", () => {
        const table: [string, Error, string, Verdict][] = [
            ["429 on a GET", api(429), "GET", "retry"],
            ["429 on a POST: refused before any work", api(429), "POST", "retry"],
            ["500 on a GET", api(500), "GET", "retry"],
            ["500 on a POST", api(500), "POST", "ambiguous"],
            ["502 on a PATCH", api(502), "PATCH", "retry"],
            ["503 on a DELETE", api(503), "DELETE", "retry"],
            ["524 edge time-out on a POST", api(524), "POST", "ambiguous"],
            ["400", api(400), "GET", "fatal"],
            ["401", api(401), "GET", "fatal"],
            ["403", api(403), "DELETE", "fatal"],
            ["404", api(404), "GET", "fatal"],
            ["422", api(422), "POST", "fatal"],
            ["connection reset on a GET", net("ECONNRESET"), "GET", "retry"],
            ["connection reset on a POST", net("ECONNRESET"), "POST", "ambiguous"],
            ["connection refused on a POST: never reached", net("ECONNREFUSED"), "POST", "retry"],
            ["time-out on a PATCH", new BitsightTimeoutError("PATCH", "/x", "t"), "PATCH", "retry"],
            ["time-out on a POST", new BitsightTimeoutError("POST", "/x", "t"), "POST", "ambiguous"],
            ["garbled success on a GET", new UnexpectedResponseError("x", true), "GET", "retry"],
            ["garbled success on a POST", new UnexpectedResponseError("x", true), "POST", "ambiguous"],
            ["a success of the wrong shape", new UnexpectedResponseError("x"), "GET", "fatal"],
            ["a programming error", new TypeError("x"), "GET", "fatal"],
        ];
        for (const [name, err, method, verdict] of table) {
            it(`${name}: ${verdict}`, () => assert.equal(classify(err, method, DEFAULT_POLICY), verdict));
        }
    });

    describe("retryDelay", () => {
        const half = () => 0.5;
        it("doubles from 1 s", () => {
            assert.deepEqual([1, 2, 3, 4].map((n) => retryDelay(DEFAULT_POLICY, n, api(503), half)), [1000, 2000, 4000, 8000]);
        });
        it("jitters by ±20 %", () => {
            assert.equal(retryDelay(DEFAULT_POLICY, 1, api(503), () => 0), 800);
            assert.equal(retryDelay(DEFAULT_POLICY, 1, api(503), () => 1), 1200);
        });
        it("waits about a minute after a 429 without Retry-After, then doubles", () => {
            assert.deepEqual([1, 2].map((n) => retryDelay(DEFAULT_POLICY, n, api(429), half)), [60_000, 120_000]);
        });
        it("follows Retry-After exactly, without jitter", () => {
            assert.equal(retryDelay(DEFAULT_POLICY, 3, api(429, 7000), () => 1), 7000);
        });
        it("caps Retry-After and back-off at 5 minutes", () => {
            assert.equal(retryDelay(DEFAULT_POLICY, 1, api(503, 3_600_000), half), 300_000);
            assert.equal(retryDelay(DEFAULT_POLICY, 4, api(429), half), 300_000);
        });
    });

    describe("parseRetryAfter", () => {
        const now = Date.parse("2026-11-23T12:00:00Z");
        const table: [string | null, number | undefined][] = [
            ["120", 120_000],
            ["0", 0],
            ["Mon, 23 Nov 2026 12:00:30 GMT", 30_000],
            ["Monday, 23-Nov-26 12:00:30 GMT", 30_000],
            // Not a wait the policy can trust: its own back-off applies.
            ["Mon, 23 Nov 2026 11:00:00 GMT", undefined],
            ["-5", undefined],
            ["1.5", undefined],
            ["1e3", undefined],
            ["2026-11-23T12:00:30Z", undefined],
            ["soon", undefined],
            ["", undefined],
            [null, undefined],
        ];
        for (const [value, ms] of table) it(`${JSON.stringify(value)} → ${String(ms)}`, () => assert.equal(parseRetryAfter(value, now), ms));
    });
});
