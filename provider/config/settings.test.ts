import { strict as assert } from "assert";
import { checkApiUrl, resolveConnection, resolvePolicy, type ConfigSource } from "./settings";

const config = (values: Record<string, string>): ConfigSource => ({ get: (k) => values[k] });

describe("resolveConnection", () => {
    it("prefers stack config to the environment", () => {
        const c = resolveConnection(config({ "bitsight:apiToken": "from-config", "bitsight:apiUrl": "https://eu.example.com/" }), {
            BITSIGHT_API_TOKEN: "from-env",
            BITSIGHT_API_URL: "https://env.example.com",
        });
        assert.deepEqual(c, { token: "from-config", baseUrl: "https://eu.example.com" });
    });

    it("falls back to the environment, then to the public API", () => {
        assert.deepEqual(resolveConnection(undefined, { BITSIGHT_API_TOKEN: " from-env " }), {
            token: "from-env",
            baseUrl: "https://api.bitsighttech.com",
        });
    });

    it("says how to set a missing token", () => {
        assert.throws(() => resolveConnection(config({}), {}), {
            message: "No Bitsight API token. Set it with `pulumi config set --secret bitsight:apiToken <token>` or the BITSIGHT_API_TOKEN environment variable.",
        });
    });
});

describe("messages name where a setting was read", () => {
    it("the stack, the environment, or the source's own words", () => {
        assert.throws(() => resolvePolicy(config({ "bitsight:maxConcurrency": "50" }), {}), /^ConfigurationError: stack config bitsight:maxConcurrency must be/);
        assert.throws(() => resolvePolicy(undefined, { BITSIGHT_MAX_CONCURRENCY: "50" }), /the BITSIGHT_MAX_CONCURRENCY environment variable must be/);
        const file: ConfigSource = { get: (k) => (k === "bitsight:apiUrl" ? "ftp://x" : undefined), describe: (k) => `${k} in Pulumi.prod.yaml` };
        assert.throws(() => resolveConnection(file, { BITSIGHT_API_TOKEN: "t" }), /^ConfigurationError: bitsight:apiUrl in Pulumi\.prod\.yaml must use https:\/\//);
    });
});

describe("checkApiUrl", () => {
    const ok: [string, string][] = [
        ["https://api.bitsighttech.com", "https://api.bitsighttech.com"],
        ["https://proxy.example.com/bitsight/", "https://proxy.example.com/bitsight"],
        ["http://127.0.0.1:8080", "http://127.0.0.1:8080"],
        ["http://localhost:3000", "http://localhost:3000"],
        ["http://[::1]:3000", "http://[::1]:3000"],
    ];
    for (const [raw, want] of ok) it(`accepts ${raw}`, () => assert.equal(checkApiUrl(raw), want));

    const bad: [string, RegExp][] = [
        ["http://api.bitsighttech.com", /must use https:\/\/ \(plain http:\/\/ is accepted only for 127\.0\.0\.1, localhost or \[::1\]\); got http:\/\/api\.bitsighttech\.com/],
        ["http://10.0.0.5:8080", /must use https:\/\//],
        ["ftp://127.0.0.1", /must use https:\/\//],
        ["api.bitsighttech.com", /is not a URL: "api\.bitsighttech\.com"\. Use e\.g\. https:\/\/api\.bitsighttech\.com/],
        ["https://tok:@api.bitsighttech.com", /must not contain credentials/],
        ["https://api.bitsighttech.com/?x=1", /must not contain a query/],
    ];
    for (const [raw, want] of bad) it(`refuses ${raw}`, () => assert.throws(() => checkApiUrl(raw), want));

    it("does not echo credentials written into the URL", () => {
        assert.throws(() => checkApiUrl("https://s3cret-token:@api.bitsighttech.com"), (err: Error) => !err.message.includes("s3cret"));
    });
});

describe("resolvePolicy", () => {
    it("leaves the default concurrency when nothing is set", () => assert.deepEqual(resolvePolicy(config({}), {}), {}));
    it("reads bitsight:maxConcurrency before BITSIGHT_MAX_CONCURRENCY", () => {
        assert.deepEqual(resolvePolicy(config({ "bitsight:maxConcurrency": "5" }), { BITSIGHT_MAX_CONCURRENCY: "2" }), { maxConcurrency: 5 });
        assert.deepEqual(resolvePolicy(config({}), { BITSIGHT_MAX_CONCURRENCY: "2" }), { maxConcurrency: 2 });
    });
    for (const bad of ["0", "21", "2.5", "three"]) {
        it(`refuses ${bad}`, () => assert.throws(() => resolvePolicy(config({ "bitsight:maxConcurrency": bad }), {}), /must be a whole number from 1 to 20/));
    }
});
