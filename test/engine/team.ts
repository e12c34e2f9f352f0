// A team's repository as `bitsight-users init --from-account` writes it from the packed
// tarball, installed from the npm registry as the team's CI installs it (`npm ci`), with
// its stack on a file backend: the place every engine test starts from. The first call
// packs, scaffolds and installs (about a minute); later calls copy that repository.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { stringify } from "yaml";
import { SEED_TOKEN } from "../emulator/seed";
import { run, type Ran } from "../helpers/spawn";
import { REPO_ROOT } from "../helpers/host";
import { pack } from "../tools/pack";
import { Engine, expectExit } from "./engine";

const own = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { devDependencies: Record<string, string> };
/** The SDK a team starting today gets, the one the suite pins (so npm's cache holds it). */
export const TEAM_SDK = own.devDependencies["@pulumi/pulumi"]!;
export const STACK = "prod";

let template: Promise<string> | undefined;

async function ok(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Ran> {
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(BITSIGHT_|npm_)/.test(k)));
    const r = await run(cmd, args, { cwd, env: { ...clean, ...env } });
    expectExit(r, 0, `${cmd} ${args.join(" ")} in ${cwd}`);
    return r;
}

/** Packs the package, lets `init --from-account` write a repository from it, and installs it: once per process. */
function scaffoldOnce(apiUrl: string): Promise<string> {
    template ??= (async () => {
        const work = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "bitsight-engine-team-")));
        process.on("exit", () => fs.rmSync(work, { recursive: true, force: true }));
        const { tarball } = pack(work);
        const repo = path.join(work, "access");
        const api = { BITSIGHT_API_URL: apiUrl, BITSIGHT_API_TOKEN: SEED_TOKEN };
        await ok("npx", ["--yes", "--prefer-offline", "--package", tarball, "bitsight-users", "init", repo, "--from-account", "--package-spec", `file:${tarball}`], work, api);
        await ok("npm", ["install", `@pulumi/pulumi@${TEAM_SDK}`, "--prefer-offline", "--no-audit", "--no-fund"], repo);
        return repo;
    })();
    return template;
}

export interface Team {
    dir: string;
    /** Replaces users.yaml with `text` (a pull request's edit). */
    writeUsers(text: string): void;
    readUsers(): string;
    remove(): void;
}

/**
 * A copy of the scaffolded repository in a folder of its own, with stack `prod` created on
 * `engine`'s file backend, `bitsight:apiUrl` set and the token stored as a secret.
 */
export async function team(engine: Engine, apiUrl: string, config: Record<string, string> = {}): Promise<Team> {
    const from = await scaffoldOnce(apiUrl);
    const dir = path.join(engine.root, "access");
    fs.cpSync(from, dir, { recursive: true, verbatimSymlinks: true });
    expectExit(await engine.pulumi(["stack", "init", STACK], dir), 0);
    expectExit(await engine.pulumi(["config", "set", "bitsight:apiUrl", apiUrl, "--stack", STACK], dir), 0);
    expectExit(await engine.pulumi(["config", "set", "--secret", "bitsight:apiToken", SEED_TOKEN, "--stack", STACK], dir), 0);
    for (const [k, v] of Object.entries(config)) expectExit(await engine.pulumi(["config", "set", k, v, "--stack", STACK], dir), 0);
    const file = path.join(dir, "users.yaml");
    return {
        dir,
        writeUsers: (text) => fs.writeFileSync(file, text),
        readUsers: () => fs.readFileSync(file, "utf8"),
        remove: () => fs.rmSync(dir, { recursive: true, force: true }),
    };
}

/** A users file in the shape `init --from-account` writes, from plain objects (for files written by a test). */
export function usersYaml(doc: Record<string, unknown>): string {
    return `# yaml-language-server: $schema=node_modules/pulumi-bitsight/schema/users-file.schema.json\n${stringify(doc)}`;
}
