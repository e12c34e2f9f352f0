// The workflows `init` wrote into the team's repository, read as GitHub reads them: the
// `pulumi/actions` step of a job, turned into the `pulumi` command line the action runs
// (through the Automation API: `up` always with `--yes --skip-preview`, `preview` as it is),
// and a `run:` step's script, to run as written.
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";

interface Step {
    id?: string;
    name?: string;
    uses?: string;
    run?: string;
    with?: Record<string, unknown>;
}

interface Workflow {
    jobs: Record<string, { steps: Step[] }>;
}

export function readWorkflow(repo: string, name: string): Workflow {
    return parse(fs.readFileSync(path.join(repo, ".github", "workflows", name), "utf8")) as Workflow;
}

/** A `${{ … }}` expression's value for `event` (only the forms the recipes use). */
function evaluate(value: unknown, event: string): unknown {
    if (typeof value !== "string") return value;
    const m = /^\$\{\{\s*github\.event_name\s*(==|!=)\s*'([^']+)'\s*\}\}$/.exec(value.trim());
    if (!m) return value;
    return m[1] === "==" ? event === m[2] : event !== m[2];
}

/** The `pulumi` arguments the job's `pulumi/actions` step runs on `event` (push, schedule, workflow_dispatch). */
export function actionCommand(workflow: Workflow, job: string, event: string): string[] {
    const step = workflow.jobs[job]?.steps.find((s) => s.uses?.startsWith("pulumi/actions@"));
    if (!step?.with) throw new Error(`job ${job} has no pulumi/actions step`);
    const w = Object.fromEntries(Object.entries(step.with).map(([k, v]) => [k, evaluate(v, event)]));
    const command = String(w["command"]);
    const args = command === "up" ? ["up", "--yes", "--skip-preview"] : [command];
    if (w["expect-no-changes"] === true) args.push("--expect-no-changes");
    if (w["refresh"] === true) args.push("--refresh");
    args.push("--stack", String(w["stack-name"]));
    return args;
}

/** The script of the job's step with this id or name. */
export function runStep(workflow: Workflow, job: string, idOrName: string): string {
    const step = workflow.jobs[job]?.steps.find((s) => s.id === idOrName || s.name === idOrName);
    if (!step?.run) throw new Error(`job ${job} has no run step ${idOrName}`);
    return step.run;
}

/** The GitHub CLI as the preview job uses it, standing in for GitHub: no comment exists yet, and a new one is copied to $GH_COMMENT. */
export const GH_STAND_IN = `#!/bin/sh
if [ "$1 $2" = "pr comment" ]; then
  while [ $# -gt 0 ]; do
    if [ "$1" = "--body-file" ]; then cp "$2" "$GH_COMMENT"; fi
    shift
  done
fi
exit 0
`;
