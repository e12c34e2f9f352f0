// What the workflows `init` writes need from GitHub before their first run, said by `init`.
// The environments are read from the workflows themselves, so that a workflow naming one
// this table does not describe fails the tests rather than the team's first run.
import { parse } from "yaml";
import { BitsightError } from "../../errors";

/** How each environment the recipes name must be set up: its protection, and who runs in it. */
export const ENVIRONMENT_SETUP: Record<string, { protection: string; runs: string }> = {
    "bitsight-production": { protection: "deployment branches and tags: only main", runs: "the apply and the drift check" },
    "bitsight-pull-request": { protection: "required reviewers", runs: "each preview of a pull request, after a reviewer approves it" },
};

/** The environments the workflows' jobs run in, in the order they first appear. */
export function environmentsOf(workflowTexts: string[]): string[] {
    const names = new Set<string>();
    for (const text of workflowTexts) {
        const jobs = (parse(text) as { jobs?: Record<string, { environment?: unknown }> }).jobs ?? {};
        for (const job of Object.values(jobs)) if (typeof job.environment === "string") names.add(job.environment);
    }
    return [...names];
}

/** The setup list, as `init` prints it. */
export function setupText(workflowTexts: string[], packageName: string): string {
    const envs = environmentsOf(workflowTexts).map((name) => {
        const setup = ENVIRONMENT_SETUP[name];
        if (!setup) throw new BitsightError(`the workflows name the environment ${name}, which ENVIRONMENT_SETUP does not describe`);
        return `  - environment ${name} (${setup.protection}; for ${setup.runs}), with BITSIGHT_API_TOKEN and PULUMI_ACCESS_TOKEN as its secrets`;
    });
    return [
        "Before the workflows first run, set up in GitHub (Settings), once (a job whose environment or token is missing stops, saying so):",
        ...envs,
        "  - no repository or organization secret BITSIGHT_API_TOKEN or PULUMI_ACCESS_TOKEN: every workflow of every branch could read it, so the workflows stop when they find one",
        "  - a stack named prod: pulumi stack init prod",
        '  - Actions > General > Workflow permissions: "Allow GitHub Actions to create and approve pull requests", for the drift check\'s pull request',
        "  - .github/CODEOWNERS: replace the placeholder team; then a branch protection rule on main that requires review from code owners",
        `  Why each: node_modules/${packageName}/examples/ci/README.md`,
    ].join("\n");
}
