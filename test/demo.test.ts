// The README's quick start runs this demo: keep it working.
import { strict as assert } from "assert";
import * as os from "os";
import * as path from "path";
import { runNode } from "./helpers/spawn";

/** Every request the demo makes, by method: a change here is a change in what the product costs. */
const REQUESTS = "Requests to the Bitsight API in all: 67 (GET 62, PATCH 2, POST 2, DELETE 1)";

describe("npm run demo", function () {
    this.timeout(60_000);

    it("on one working copy: validates, plans (text and markdown), stops a change the policy forbids, applies through the SDK's host saying what each adoption changed, plans again, deletes a user whose access expired, and reviews", async () => {
        const script = path.join(__dirname, "demo", "main.js");
        // No pulumi on this PATH and no engine in this cache: the demo takes the SDK-host branch
        // wherever it runs (test/engine/demo.test.ts runs it through pulumi).
        const env = { ...process.env, PATH: path.dirname(process.execPath), PULUMI_BITSIGHT_ENGINE_CACHE: path.join(os.tmpdir(), "bitsight-no-engine-here") };
        const { code, stdout, stderr } = await runNode(["--no-deprecation", script], { env });
        assert.equal(code, 0, stderr);
        const expected = [
            "$ bitsight-users validate users.yaml",
            "users.yaml: valid, 5 users; 3 access group names to check against the account (plan does)",
            "  ! bob@example.com: Admin removed by pulumi up (the account holds customer_admin; the file declares customer_user)",
            "  ? dave.contractor@example.com  customer_user               Created     All Companies         never logged in",
            "Differences: 2 to create, 2 to change, 1 not declared; 1 unchanged.",
            "(exit code 2: differences)",
            "| <code>bob\\@example\\.com</code> | **Admin removed** by `pulumi up` | account <code>customer\\_admin</code> → file <code>customer\\_user</code> | - |",
            "  + alice@example.com          customer_admin               adopted b0000000-0000-4000-8000-000000000002: unchanged",
            "  + bob@example.com            customer_user                adopted b0000000-0000-4000-8000-000000000003: Admin removed (role customer_admin -> customer_user)",
            "  + carol@example.com          customer_portfolio_manager   adopted b0000000-0000-4000-8000-000000000004: group All Companies -> Vendor Risk",
            "  + erin.novak@example.com     customer_user                created e0000000-0000-4000-8000-000000000001",
            "Differences: 1 not declared; 5 unchanged.",
            "+  - email: mallory@gmail.com",
            "users.yaml has 2 problems:",
            "  users.yaml:32:5: users[1]: policy.requireReason: a user with the role customer_admin needs a `reason:` saying why (who asked, what for); add one to this entry",
            "  users.yaml:32:12: users[1].email: policy.allowedEmailDomains: gmail.com is not an allowed domain (example.com); use the person's address at an allowed domain, or add gmail.com to policy.allowedEmailDomains",
            "The pull request is not merged: users.yaml is as it was.",
            "$ bitsight-users review users.yaml    # the quarterly access review",
            "  ! dave.contractor@example.com  not declared in the file, nor acknowledged under unmanaged:",
            "(exit code 2: needs attention)",
            "  x erin.novak@example.com  expired on YESTERDAY: pulumi up deletes it (if the stack still manages it; plan --state knows)",
            "  - erin.novak@example.com     deleted: no longer in the account, no login",
            "  x erin.novak@example.com  expired on YESTERDAY: not in the account: the entry can go",
            REQUESTS,
        ];
        const lines = stdout.split("\n").map((l) => l.replace(new Date(Date.now() - 86_400_000).toISOString().slice(0, 10), "YESTERDAY"));
        for (const line of expected) assert.ok(lines.includes(line), `missing: ${line}\n---\n${stdout}`);
    });
});
