import { strict as assert } from "assert";
import { apiMessage, redact } from "./errors";

describe("apiMessage", () => {
    const table: [string, string, string][] = [
        ["detail", '{"detail": "Not found."}', "Not found."],
        ["detail with status and title", '{"detail": "Bad role", "status": 400, "title": "Bad Request"}', "Bad role"],
        ["message", '{"message": "Rate limit exceeded"}', "Rate limit exceeded"],
        ["field errors", '{"email": ["Enter a valid email address."], "roles": ["Exactly one role."]}', "email: Enter a valid email address.; roles: Exactly one role."],
        ["a list", '["first problem", "second problem"]', "first problem; second problem"],
        ["HTML", "<html><body><h1>Forbidden</h1>\n<p>Blocked by policy</p></body></html>", "Forbidden Blocked by policy"],
        ["truncated JSON", '{"detail": "cut', '{"detail": "cut'],
        ["empty", "", ""],
        ["very long", "x".repeat(500), `${"x".repeat(200)}…`],
    ];
    for (const [name, body, want] of table) it(name, () => assert.equal(apiMessage(body), want));
});

describe("redact", () => {
    it("removes the token and its Basic encoding", () => {
        const b64 = Buffer.from("tok-12345:").toString("base64");
        assert.equal(redact(`a tok-12345 b ${b64}`, ["tok-12345"]), "a [REDACTED] b [REDACTED]");
    });
});
