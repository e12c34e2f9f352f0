// The README's quick start runs this demo: keep it working.
import { strict as assert } from "assert";
import { execFile } from "child_process";
import * as path from "path";

describe("npm run demo", function () {
    this.timeout(60_000);

    it("runs up, drift check, repair and destroy against the emulator", async () => {
        const script = path.join(__dirname, "demo", "main.js");
        const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
            execFile(process.execPath, ["--no-deprecation", script], (err, stdout, stderr) =>
                resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
            );
        });
        assert.equal(code, 0, stderr);
        for (const line of [
            /\+ ana\.lopez@example\.com +customer_admin +created e0000000-0000-4000-8000-000000000001/,
            /\+ bob@example\.com +customer_user +adopted existing user b0000000-0000-4000-8000-000000000003/,
            /~ ben\.okafor@example\.com +would change role: "customer_admin" -> "customer_user"/,
            /\+ chen\.wei@example\.com +gone from Bitsight: would be created again/,
            /= bob@example\.com +retained in Bitsight \(onDelete: retain\)/,
            /Requests to the Bitsight API: 27 \(GET 19, POST 4, PATCH 1, DELETE 3\)/,
        ]) {
            assert.match(stdout, line);
        }
    });
});
