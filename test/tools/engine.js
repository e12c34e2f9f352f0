#!/usr/bin/env node
// The engine the users run, `pulumi` itself, for `npm run test:engine`, `npm run bench` and
// `npm run demo`. A `pulumi` on the PATH is taken when its version is in the range the
// package supports; otherwise v3.276.0 is built from its Go modules into a cache folder
// outside the repository (built at most once per machine, then reused). Plain JavaScript,
// because it runs before anything is compiled and CI calls it before the tests.
//
//   node test/tools/engine.js            print the engine's folder (building it if needed)
//   node test/tools/engine.js --json     print what was found or built, as JSON
//   node test/tools/engine.js --cached   print the folder only if already there (exit 1 otherwise)
//
// Why a wrapper module: `go install module@version` refuses a module whose go.mod has
// directory replaces (pkg/v3 replaces sdk/v3 with ../sdk), so a throwaway module requires
// pkg/v3 and copies its non-local replaces, which would otherwise be ignored.
"use strict";
const fs = require("fs");
const os = require("os");
const path = require("path");
const { spawnSync } = require("child_process");

const VERSION = "v3.276.0";
/** The oldest engine the package is tested against: the peer dependency's floor. */
const OLDEST = [3, 216, 0];
const CLI_MODULE = "github.com/pulumi/pulumi/pkg/v3";
const CLI_PACKAGE = `${CLI_MODULE}/cmd/pulumi`;
const LANGUAGE_MODULE = "github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3";
const VERSION_SYMBOL = "github.com/pulumi/pulumi/sdk/v3/go/common/version.Version";

function cacheRoot() {
    if (process.env.PULUMI_BITSIGHT_ENGINE_CACHE) return path.resolve(process.env.PULUMI_BITSIGHT_ENGINE_CACHE);
    const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache");
    return path.join(base, "pulumi-bitsight", "engine");
}

function run(cmd, args, opts = {}) {
    const r = spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024, ...opts });
    return { status: r.status ?? 1, stdout: r.stdout ?? "", stderr: r.stderr ?? "", error: r.error };
}

function parseVersion(text) {
    const m = /v?(\d+)\.(\d+)\.(\d+)/.exec(text);
    return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

function supported(v) {
    if (!v || v[0] !== 3) return false;
    for (let i = 0; i < 3; i++) if (v[i] !== OLDEST[i]) return v[i] > OLDEST[i];
    return true;
}

/** A `pulumi` on the PATH whose version the package supports, or undefined. */
function fromPath() {
    const which = run("sh", ["-c", "command -v pulumi"]);
    const bin = which.stdout.trim();
    if (which.status !== 0 || !bin) return undefined;
    const v = run(bin, ["version"], { env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" } });
    const version = parseVersion(v.stdout);
    if (v.status !== 0 || !supported(version)) {
        process.stderr.write(`engine: ${bin} answers ${JSON.stringify(v.stdout.trim())}, outside >=${OLDEST.join(".")} <4: building ${VERSION} instead\n`);
        return undefined;
    }
    const dir = path.dirname(fs.realpathSync(bin));
    // A release bundles its Node.js language host beside pulumi: the real one, used where present.
    const languageHost = { built: fs.existsSync(path.join(dir, "pulumi-language-nodejs")) };
    return { dir, version: `v${version.join(".")}`, source: "PATH", languageHost };
}

function readManifest(dir) {
    try {
        const m = JSON.parse(fs.readFileSync(path.join(dir, "engine.json"), "utf8"));
        return fs.existsSync(path.join(dir, "pulumi")) ? m : undefined;
    } catch {
        return undefined;
    }
}

function goEnv() {
    return { ...process.env, CGO_ENABLED: "0", GOFLAGS: "-mod=mod", GOWORK: "off" };
}

function fail(step, r) {
    process.stderr.write(`engine: ${step} failed (exit ${r.status})\n${r.stderr || r.stdout}\n`);
    process.exit(1);
}

/** Writes the wrapper module: pkg/v3 required, its non-local replaces copied. */
function wrapperModule(work) {
    const dl = run("go", ["mod", "download", "-json", `${CLI_MODULE}@${VERSION}`], { cwd: work, env: goEnv() });
    if (dl.status !== 0) fail(`go mod download ${CLI_MODULE}@${VERSION}`, dl);
    const info = JSON.parse(dl.stdout);
    const gomod = fs.readFileSync(info.GoMod, "utf8");
    const replaces = gomod
        .split("\n")
        .filter((l) => /^replace\s/.test(l.trim()))
        .filter((l) => !/=>\s*\.{0,2}\//.test(l));
    const goLine = /^go\s+(\S+)/m.exec(gomod);
    fs.writeFileSync(
        path.join(work, "go.mod"),
        [`module engine.build/pulumi`, "", `go ${goLine ? goLine[1] : "1.25"}`, "", ...replaces, ""].join("\n"),
    );
    fs.writeFileSync(path.join(work, "tools.go"), `//go:build tools\n\npackage tools\n\nimport _ "${CLI_PACKAGE}"\n`);
    return { hash: info.Origin && info.Origin.Hash, replaces };
}

/** The language host has no version tag of its own: ask for the release's commit. */
function tryLanguageHost(work, out, hash) {
    const ref = hash || VERSION;
    const cmd = ["mod", "download", "-json", `${LANGUAGE_MODULE}@${ref}`];
    const r = run("go", cmd, { cwd: work, env: goEnv() });
    let answer;
    try {
        const j = JSON.parse(r.stdout);
        if (!j.Error) {
            const b = run("go", ["build", "-trimpath", "-tags", "osusergo,grpcnotrace", "-ldflags", `-X ${VERSION_SYMBOL}=${VERSION}`, "-o", path.join(out, "pulumi-language-nodejs"), `${LANGUAGE_MODULE}@${j.Version}`], { cwd: work, env: goEnv() });
            if (b.status === 0) return { built: true };
            answer = b.stderr.trim();
        } else answer = j.Error;
    } catch {
        answer = (r.stderr || r.stdout).trim();
    }
    return { built: false, command: `go ${cmd.join(" ")}`, answer };
}

function build(dir) {
    const started = Date.now();
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "bitsight-engine-build-"));
    const staging = `${dir}.partial`;
    fs.rmSync(staging, { recursive: true, force: true });
    fs.mkdirSync(staging, { recursive: true });
    try {
        process.stderr.write(`engine: building pulumi ${VERSION} from its Go modules into ${dir} (once per machine; 10-20 min cold)\n`);
        const { hash, replaces } = wrapperModule(work);
        const get = run("go", ["get", `${CLI_PACKAGE}@${VERSION}`], { cwd: work, env: goEnv() });
        if (get.status !== 0) fail(`go get ${CLI_PACKAGE}@${VERSION}`, get);
        const args = ["build", "-trimpath", "-tags", "osusergo,grpcnotrace", "-ldflags", `-s -w -X ${VERSION_SYMBOL}=${VERSION}`, "-o", path.join(staging, "pulumi"), CLI_PACKAGE];
        const b = run("go", args, { cwd: work, env: goEnv(), stdio: ["ignore", "pipe", "pipe"] });
        if (b.status !== 0) fail(`go ${args.join(" ")}`, b);
        const cliSeconds = Math.round((Date.now() - started) / 1000);
        const languageHost = tryLanguageHost(work, staging, hash);
        const manifest = {
            version: VERSION,
            source: "built",
            builtAt: new Date().toISOString(),
            go: run("go", ["env", "GOVERSION"]).stdout.trim(),
            buildSeconds: cliSeconds,
            pulumiBytes: fs.statSync(path.join(staging, "pulumi")).size,
            replaces,
            languageHost,
        };
        fs.writeFileSync(path.join(staging, "engine.json"), `${JSON.stringify(manifest, null, 2)}\n`);
        fs.rmSync(dir, { recursive: true, force: true });
        fs.renameSync(staging, dir);
        process.stderr.write(`engine: built in ${cliSeconds} s (${(manifest.pulumiBytes / 1e6).toFixed(1)} MB)\n`);
        if (!languageHost.built) process.stderr.write(`engine: the Node.js language host cannot be had: ${languageHost.command}: ${languageHost.answer}\n`);
        return manifest;
    } finally {
        fs.rmSync(work, { recursive: true, force: true });
    }
}

/** The engine's folder and what is known of it: from the PATH, the cache, or a build. */
function engine({ buildIfMissing = true } = {}) {
    const onPath = process.env.PULUMI_BITSIGHT_ENGINE_CACHE ? undefined : fromPath();
    if (onPath) return onPath;
    const dir = path.join(cacheRoot(), VERSION);
    const cached = readManifest(dir);
    if (cached) return { ...cached, dir, source: cached.source === "built" ? "cache" : cached.source };
    if (!buildIfMissing) return undefined;
    return { ...build(dir), dir };
}

module.exports = { engine, VERSION, cacheRoot };

if (require.main === module) {
    const argv = process.argv.slice(2);
    const found = engine({ buildIfMissing: !argv.includes("--cached") });
    if (!found) process.exit(1);
    process.stdout.write(argv.includes("--json") ? `${JSON.stringify(found, null, 2)}\n` : `${found.dir}\n`);
}
