// Builds dist/ only when a source is newer than the last build, for `npm run emulator` and
// `npm run demo`: a newcomer restarting the emulator waits for nothing (a full build is
// about 6 s). Plain JavaScript, because it runs before anything is compiled. `npm run
// build` empties dist/, stamp included, so the next start after it builds once.
"use strict";
const fs = require("fs");
const path = require("path");
const { spawnSync } = require("child_process");

const ROOT = path.resolve(__dirname, "..", "..");
const STAMP = path.join(ROOT, "dist", ".built");

/** The newest modification time of the TypeScript sources and the build's settings. */
function newestSource() {
    let newest = 0;
    const walk = (dir) => {
        for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
            const p = path.join(dir, e.name);
            if (e.isDirectory()) walk(p);
            else if (e.name.endsWith(".ts")) newest = Math.max(newest, fs.statSync(p).mtimeMs);
        }
    };
    walk(path.join(ROOT, "provider"));
    walk(path.join(ROOT, "test"));
    for (const f of ["tsconfig.json", "package.json", "package-lock.json"]) {
        if (fs.existsSync(path.join(ROOT, f))) newest = Math.max(newest, fs.statSync(path.join(ROOT, f)).mtimeMs);
    }
    return newest;
}

const built = fs.existsSync(STAMP) ? fs.statSync(STAMP).mtimeMs : 0;
if (built >= newestSource()) {
    process.stderr.write("dist/ is up to date: not rebuilt\n");
} else {
    const npm = process.platform === "win32" ? "npm.cmd" : "npm";
    const r = spawnSync(npm, ["run", "build", "--silent"], { cwd: ROOT, stdio: "inherit" });
    if (r.status !== 0) process.exit(r.status ?? 1);
    fs.writeFileSync(STAMP, `${new Date().toISOString()}\n`);
}
