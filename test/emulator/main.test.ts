// `npm run emulator &` then `kill $!` signals npm, not the emulator: it must not go on
// serving, unseen, once the process that started it is gone.
import { strict as assert } from "assert";
import { spawn } from "child_process";
import * as fs from "fs";
import * as http from "http";
import * as path from "path";

const MAIN = path.join(__dirname, "main.js");
const REPO_ROOT = path.resolve(__dirname, "..", "..", "..");

function answers(url: string): Promise<boolean> {
    return new Promise((resolve) => {
        const req = http.get(`${url}/ratings/v1/users/quota`, (res) => (res.resume(), resolve(true)));
        req.on("error", () => resolve(false));
    });
}

describe("npm run emulator", function () {
    this.timeout(20_000);

    it("execs node, so the signal npm forwards reaches the emulator", () => {
        const { scripts } = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> };
        assert.match(scripts["emulator"]!, /&& exec node dist\/test\/emulator\/main\.js$/);
    });

    it("stops when the process that started it is killed outright", async () => {
        // A parent in the place of npm: starts the emulator, passes on its first line, then dies by SIGKILL.
        const parent = spawn(
            process.execPath,
            ["-e", `const c = require("child_process").spawn(process.execPath, [${JSON.stringify(MAIN)}], { stdio: ["ignore", "pipe", "inherit"] }); c.stdout.once("data", (d) => process.stdout.write(d));`],
            { stdio: ["ignore", "pipe", "inherit"] },
        );
        const url = await new Promise<string>((resolve) => parent.stdout!.once("data", (d: Buffer) => resolve(/listening on (\S+)/.exec(d.toString())![1]!)));
        assert.equal(await answers(url), true);
        parent.kill("SIGKILL");
        let up = true;
        for (let i = 0; i < 40 && up; i++) {
            await new Promise((r) => setTimeout(r, 100));
            up = await answers(url);
        }
        assert.equal(up, false, "the emulator still answers 4 s after its parent died");
    });
});
