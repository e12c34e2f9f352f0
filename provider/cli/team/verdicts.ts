// What `check` can tell of a team's repository without GitHub or the account: each
// function is one item of the setup list (./setup), its verdict one line.
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { CONFIG_TOKEN } from "../../config/settings";
import { readUsersFile } from "../../usersfile/load";
import { said } from "../run";
import { formatProblem, UsersFileError } from "../../usersfile/problems";

/** The team CODEOWNERS is written with (./scaffold), for the team to replace: `check` says while it is there. */
export const CODEOWNERS_PLACEHOLDER = "@your-org/bitsight-admins";

export interface Repo {
    /** The project folder: users.yaml, Pulumi.yaml. */
    dir: string;
    /** The git repository's root, where .github lies: `dir` itself outside one. */
    root: string;
    /** The workflows this version of the package writes there, by absolute path. */
    workflows: { path: string; text: string }[];
}

export interface Verdict {
    ok: boolean;
    /** What was found, and what to do when it is not ok. */
    said: string;
}

const shown = (repo: Repo, file: string) => path.relative(repo.dir, file).split(path.sep).join("/") || ".";

function readText(file: string): string | undefined {
    try {
        return fs.statSync(file).isFile() ? fs.readFileSync(file, "utf8") : undefined;
    } catch {
        return undefined;
    }
}

/** A token in plain text in a stack file is in git, and in the state the engine writes: never. */
export function stackTokenVerdict(repo: Repo): Verdict {
    const stacks = fs.readdirSync(repo.dir).filter((f) => /^Pulumi\.[^.]+\.yaml$/.test(f)).sort();
    if (stacks.length === 0) return { ok: true, said: "no stack file yet: pulumi stack init prod (the file appears with the stack's first setting)" };
    const read = stacks.map((f) => ({ f, ...stackConfig(path.join(repo.dir, f)) }));
    const unreadable = read.filter((r) => r.unreadable !== undefined);
    // Its message would quote the file's lines, and the file may hold the token: only where.
    if (unreadable.length) return { ok: false, said: `${unreadable.map((r) => `${r.f}: ${r.unreadable}`).join("; ")}: pulumi cannot read it either; correct the YAML there` };
    const plain = read.filter((r) => typeof r.config[CONFIG_TOKEN] === "string").map((r) => r.f);
    if (plain.length === 0) return { ok: true, said: `${stacks.join(", ")}: no ${CONFIG_TOKEN} in plain text` };
    const stack = (f: string) => f.slice("Pulumi.".length, -".yaml".length);
    return {
        ok: false,
        said:
            `${plain.join(", ")} ${plain.length === 1 ? "holds" : "hold"} ${CONFIG_TOKEN} in plain text: ` +
            plain.map((f) => `pulumi config set --secret ${CONFIG_TOKEN} "$(pulumi config get ${CONFIG_TOKEN} --stack ${stack(f)})" --stack ${stack(f)}`).join("; ") +
            "; then rotate the token in Bitsight: git's history still holds it",
    };
}

function stackConfig(file: string): { config: Record<string, unknown>; unreadable?: string } {
    try {
        const doc = parse(readText(file) ?? "") as { config?: unknown } | null;
        const config = doc?.config;
        return { config: typeof config === "object" && config !== null ? (config as Record<string, unknown>) : {} };
    } catch (err) {
        const at = (err as { linePos?: { line: number; col: number }[] }).linePos?.[0];
        return { config: {}, unreadable: `not YAML${at ? ` (line ${at.line}, column ${at.col})` : ""}` };
    }
}

export function codeOwnersVerdict(repo: Repo): Verdict {
    const file = path.join(repo.root, ".github", "CODEOWNERS");
    const text = readText(file);
    const where = shown(repo, file);
    if (text === undefined) return { ok: false, said: `${where} is missing: npx bitsight-users init writes it; name your team in it` };
    if (text.includes(CODEOWNERS_PLACEHOLDER)) return { ok: false, said: `${where} still names the placeholder ${CODEOWNERS_PLACEHOLDER}: replace it with your team` };
    const users = `/${path.relative(repo.root, path.join(repo.dir, "users.yaml")).split(path.sep).join("/")}`;
    const owned = text.split("\n").some((l) => l.trim().split(/\s+/)[0] === users && l.trim().split(/\s+/).length > 1);
    if (!owned) return { ok: false, said: `${where} names no owner for ${users}: add \`${users} @your-team\`` };
    return { ok: true, said: `${where} names the owners of ${users}` };
}

export function workflowsVerdict(repo: Repo): Verdict {
    const missing = repo.workflows.filter((w) => readText(w.path) === undefined).map((w) => shown(repo, w.path));
    const differ = repo.workflows.filter((w) => !missing.includes(shown(repo, w.path)) && readText(w.path) !== w.text).map((w) => shown(repo, w.path));
    if (missing.length === 0 && differ.length === 0) return { ok: true, said: `${repo.workflows.length} workflows, as this version writes them` };
    return {
        ok: false,
        said:
            [missing.length ? `missing: ${missing.join(", ")}` : "", differ.length ? `not as this version writes them (edited, or from another version): ${differ.join(", ")}` : ""].filter(Boolean).join("; ") +
            "; npx bitsight-users init --update-workflows rewrites them: review the diff",
    };
}

export function lockFileVerdict(repo: Repo): Verdict {
    return readText(path.join(repo.dir, "package-lock.json")) === undefined
        ? { ok: false, said: "no package-lock.json: run npm install, and commit it" }
        : { ok: true, said: "package-lock.json is here" };
}

export function usersFileVerdict(repo: Repo): Verdict {
    try {
        const parsed = readUsersFile(path.join(repo.dir, "users.yaml"), repo.dir);
        return { ok: true, said: `users.yaml: valid, ${parsed.users.length} user${parsed.users.length === 1 ? "" : "s"}` };
    } catch (err) {
        if (!(err instanceof UsersFileError)) return { ok: false, said: said(err) };
        const n = err.problems.length;
        const first = n === 1 ? "" : ", the first";
        return { ok: false, said: `users.yaml has ${n} problem${n === 1 ? "" : "s"}${first}: ${formatProblem(err.problems[0]!)}; npx bitsight-users validate users.yaml lists ${n === 1 ? "it" : "them all"}` };
    }
}
