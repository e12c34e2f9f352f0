// The real engine, `pulumi`, run as a team runs it: a `bin` folder first on the PATH with
// `pulumi` (from the cache test/tools/engine.js fills), the Node.js language host (the
// stand-in in ./language-host, as the proxy refuses the real one) and the dynamic-provider
// plugin `pulumi-resource-pulumi-nodejs` (the script the SDK ships, which the release
// bundles beside `pulumi`). Every run is hermetic: a file backend, PULUMI_HOME and the
// passphrase secrets provider in one temporary folder, no update check, no plugin
// download, and no `pulumi-*` plugin from the machine's PATH.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { run, type Ran } from "../helpers/spawn";
import { REPO_ROOT } from "../helpers/host";

interface EngineFound {
    dir: string;
    version: string;
    source: string;
    buildSeconds?: number;
    pulumiBytes?: number;
    languageHost?: { built: boolean; command?: string; answer?: string };
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const tool = require(path.join(REPO_ROOT, "test", "tools", "engine.js")) as { engine(o: { buildIfMissing: boolean }): EngineFound | undefined };

/** The engine `npm run test:engine` built or found, or undefined when there is none yet. */
export function findEngine(): EngineFound | undefined {
    return tool.engine({ buildIfMissing: false });
}

/** A fresh hermetic installation of the engine, or an error that says how to get one. */
export function needEngine(): Engine {
    const found = findEngine();
    if (!found) throw new Error("No pulumi engine: `npm run test:engine` builds it first (node test/tools/engine.js).");
    return new Engine(found);
}

export const PASSPHRASE = "engine-test-passphrase";
const LANGUAGE_HOST = path.join(__dirname, "language-host.js");

function linkOrCopy(from: string, to: string): void {
    try {
        fs.linkSync(from, to);
    } catch {
        fs.copyFileSync(from, to);
        fs.chmodSync(to, 0o755);
    }
}

/** Counts the provider processes the engine starts: each start appends a line to this file. */
function pluginScript(countFile: string): string {
    // The SDK's own script, plus one line that counts: it resolves the program's SDK from
    // the working directory the engine gives it, as the bundled plugin does.
    return [
        "#!/bin/sh",
        `echo "$$ \${PULUMI_NODEJS_STACK-(unset)} $(pwd)" >> ${JSON.stringify(countFile)}`,
        `PULUMI_DYNAMIC_PROVIDER_SCRIPT_PATH=$(node -e "console.log(require.resolve('@pulumi/pulumi/cmd/dynamic-provider'))")`,
        `if [ ! -z "$PULUMI_DYNAMIC_PROVIDER_SCRIPT_PATH" ]; then`,
        `    exec node "$PULUMI_DYNAMIC_PROVIDER_SCRIPT_PATH" "$@"`,
        "fi",
        "",
    ].join("\n");
}

export interface PulumiRun extends Ran {
    /** The command line as a person would type it. */
    line: string;
}

/** One hermetic Pulumi installation: its own bin, home, backend and passphrase. */
export class Engine {
    readonly root: string;
    readonly bin: string;
    readonly backend: string;
    private readonly processes: string;

    constructor(readonly found: EngineFound) {
        this.root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "bitsight-engine-")));
        this.bin = path.join(this.root, "bin");
        this.backend = path.join(this.root, "state");
        this.processes = path.join(this.root, "provider-processes");
        for (const d of [this.bin, this.backend, path.join(this.root, "home")]) fs.mkdirSync(d);
        // Beside the binary the engine runs, where a release bundles its plugins: a hard link,
        // not a symbolic one, because the engine looks beside its resolved executable.
        linkOrCopy(path.join(found.dir, "pulumi"), path.join(this.bin, "pulumi"));
        if (found.languageHost?.built) linkOrCopy(path.join(found.dir, "pulumi-language-nodejs"), path.join(this.bin, "pulumi-language-nodejs"));
        else fs.writeFileSync(path.join(this.bin, "pulumi-language-nodejs"), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(LANGUAGE_HOST)} "$@"\n`, { mode: 0o755 });
        fs.writeFileSync(path.join(this.bin, "pulumi-resource-pulumi-nodejs"), pluginScript(this.processes), { mode: 0o755 });
        fs.writeFileSync(this.processes, "");
    }

    /** Whether the language host is the real one, for the notes the tests print. */
    get realLanguageHost(): boolean {
        return this.found.languageHost?.built === true;
    }

    /** The environment of every command: nothing of this machine's Pulumi or Bitsight settings. */
    env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
        const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(BITSIGHT_|PULUMI_|npm_)/.test(k)));
        return {
            ...clean,
            PATH: [path.dirname(process.execPath), "/usr/local/bin", "/usr/bin", "/bin"].join(path.delimiter),
            PULUMI_IGNORE_AMBIENT_PLUGINS: "true",
            PULUMI_HOME: path.join(this.root, "home"),
            PULUMI_BACKEND_URL: `file://${this.backend}`,
            PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
            PULUMI_SKIP_UPDATE_CHECK: "true",
            PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
            NO_COLOR: "1",
            ...extra,
        };
    }

    /** `pulumi ARGS` in `cwd`; `--non-interactive` and `--color never` are added, as in CI. */
    async pulumi(args: string[], cwd: string, extra: NodeJS.ProcessEnv = {}): Promise<PulumiRun> {
        const full = [...args, "--non-interactive", "--color", "never"];
        const r = await run(path.join(this.bin, "pulumi"), full, { cwd, env: this.env(extra) });
        return { ...r, line: `pulumi ${args.join(" ")}` };
    }

    /** A shell command line as a workflow writes it, with this installation's `pulumi` first on the PATH. */
    shell(line: string, cwd: string, extra: NodeJS.ProcessEnv = {}): Promise<Ran> {
        const env = this.env(extra);
        return run("bash", ["-eo", "pipefail", "-c", line], { cwd, env: { ...env, PATH: `${this.bin}${path.delimiter}${env["PATH"]}` } });
    }

    /** The provider processes the engine started since the last call: the stack each saw, and its working directory. */
    takeProviderStarts(): { stack: string; cwd: string }[] {
        const lines = fs.readFileSync(this.processes, "utf8").split("\n").filter(Boolean);
        fs.writeFileSync(this.processes, "");
        return lines.map((l) => {
            const [, stack = "", ...cwd] = l.split(" ");
            return { stack, cwd: cwd.join(" ") };
        });
    }

    remove(): void {
        fs.rmSync(this.root, { recursive: true, force: true });
    }
}

/** Asserts a run's exit code, showing everything it printed when it is not the one expected. */
export function expectExit(r: PulumiRun | Ran, code: number, what = "line" in r ? r.line : "command"): void {
    if (r.code !== code) throw new Error(`${what} exited ${r.code}, expected ${code}:\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`);
}
