// What a team's repository needs before its workflows first run: one list, from which
// `init` prints the setup, writes the team's README, and `check` checks what it can
// offline (../check/command). The environments are read from the workflows themselves, so that a
// workflow naming one this table does not describe fails the tests rather than the team's
// first run.
import { parse } from "yaml";
import { BitsightError } from "../../base/errors";
import { codeOwnersVerdict, lockFileVerdict, stackTokenVerdict, usersFileVerdict, workflowsVerdict, type Repo, type Verdict } from "./verdicts";

/** How each environment the recipes name must be set up: its protection, and who runs in it. */
export const ENVIRONMENT_SETUP: Record<string, { protection: string; runs: string }> = {
    "bitsight-production": { protection: "deployment branches and tags: only main", runs: "the apply and the drift check" },
    "bitsight-pull-request": { protection: "required reviewers", runs: "each preview of a pull request, after a reviewer approves it" },
};

export interface SetupItem {
    /** What to set up, and why, in one line: as init prints it and the README lists it. */
    line: string;
    /** What `check` can tell from the repository; absent where only GitHub knows. */
    check?: (repo: Repo) => Verdict;
}

/** The environments the workflows' jobs run in, in the order they first appear. */
export function environmentsOf(workflowTexts: string[]): string[] {
    const names = new Set<string>();
    for (const text of workflowTexts) {
        const jobs = (parse(text) as { jobs?: Record<string, { environment?: unknown }> }).jobs ?? {};
        for (const job of Object.values(jobs)) if (typeof job.environment === "string") names.add(job.environment);
    }
    return [...names];
}

/** Every item of the setup, in the order a team does them. */
export function setupItems(workflowTexts: string[]): SetupItem[] {
    const envs = environmentsOf(workflowTexts).map((name): SetupItem => {
        const setup = ENVIRONMENT_SETUP[name];
        if (!setup) throw new BitsightError(`the workflows name the environment ${name}, which ENVIRONMENT_SETUP does not describe`);
        return { line: `environment ${name} (${setup.protection}; for ${setup.runs}), with BITSIGHT_API_TOKEN and PULUMI_ACCESS_TOKEN as its secrets` };
    });
    return [
        ...envs,
        { line: "no repository or organization secret BITSIGHT_API_TOKEN or PULUMI_ACCESS_TOKEN: every workflow of every branch could read it, so the workflows stop when they find one" },
        {
            line: "a stack named prod (pulumi stack init prod); a token kept in it is a secret: pulumi config set --secret bitsight:apiToken (the workflows pass BITSIGHT_API_TOKEN instead)",
            check: stackTokenVerdict,
        },
        { line: 'Actions > General > Workflow permissions: "Allow GitHub Actions to create and approve pull requests", for the drift check\'s pull request' },
        { line: ".github/CODEOWNERS names your team instead of the placeholder", check: codeOwnersVerdict },
        { line: "a branch protection rule on main that requires review from code owners" },
        { line: "the workflows in .github/workflows as this version writes them (after an upgrade: npx bitsight-users init --update-workflows)", check: workflowsVerdict },
        { line: "package-lock.json committed: CI's npm ci installs exactly what it lists", check: lockFileVerdict },
        { line: "users.yaml valid (npx bitsight-users validate users.yaml)", check: usersFileVerdict },
    ];
}

/** The setup list, as `init` prints it. */
export function setupText(workflowTexts: string[], packageName: string): string {
    return [
        "Before the workflows first run, set up once (a job whose environment or token is missing stops, saying so); `npx bitsight-users check` checks what it can here:",
        ...setupItems(workflowTexts).map((i) => `  - ${i.line}`),
        `  Why each: node_modules/${packageName}/examples/ci/README.md`,
    ].join("\n");
}

/** The team's README: how the repository works, and the same setup list, to tick. */
export function teamReadme(workflowTexts: string[], packageName: string): string {
    return [
        "# Bitsight user access",
        "",
        "`users.yaml` declares who has access to Bitsight. A pull request changes it; the",
        "pull-request workflow previews what `pulumi up` would do and comments who gains or",
        "loses what; merging applies it. A daily job applies what the file ends by date",
        "(`expires:`), and another reports changes made in the Bitsight UI as a pull request.",
        "",
        "```sh",
        "npm ci",
        "npx bitsight-users validate users.yaml   # offline",
        "BITSIGHT_API_TOKEN=... npx bitsight-users plan users.yaml   # what pulumi up would change",
        "npx bitsight-users check   # the setup below, as far as this repository shows it",
        "```",
        "",
        "## Setup, once",
        "",
        ...setupItems(workflowTexts).map((i) => `- [ ] ${i.line}`),
        "",
        `Why each: \`node_modules/${packageName}/examples/ci/README.md\`.`,
        "",
    ].join("\n");
}
