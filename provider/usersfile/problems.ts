import { BitsightError } from "../base/errors";
import { escapeInvisible } from "../escape/invisible";
// Every problem in a users file is reported the same way, all at once, before any
// resource registers: `file:line:col: field: message`.

export interface Problem {
    file: string;
    line: number;
    col: number;
    /** `users[2].role`, `teams.vendor-risk.defaults.group`, or empty for the file itself. */
    field: string;
    message: string;
}

export function formatProblem(p: Problem): string {
    return `${p.file}:${p.line}:${p.col}: ${p.field ? `${p.field}: ` : ""}${p.message}`;
}

export function sortProblems(problems: Problem[]): Problem[] {
    return [...problems].sort((a, b) => a.line - b.line || a.col - b.col);
}

/** `consequence`: what the reader should know happened (the program: "nothing was applied"); the CLI, which applies nothing, says nothing. */
export function describeProblems(file: string, problems: Problem[], consequence = ""): string {
    const n = problems.length;
    return `${file} has ${n} problem${n === 1 ? "" : "s"}${consequence ? `; ${consequence}` : ""}:\n` + problems.map((p) => `  ${formatProblem(p)}`).join("\n");
}

export class UsersFileError extends BitsightError {
    override name = "UsersFileError";
    readonly problems: Problem[];
    constructor(
        readonly file: string,
        problems: Problem[],
    ) {
        const sorted = sortProblems(problems);
        super(describeProblems(file, sorted, "nothing was applied"));
        this.problems = sorted;
    }
}

/** `["users", 2, "role"]` → `users[2].role`; a key's invisible characters are written as escapes (`soc\u200d`). */
export function fieldName(path: readonly (string | number)[]): string {
    let out = "";
    for (const seg of path) {
        if (typeof seg === "number") out += `[${seg}]`;
        else {
            const shown = escapeInvisible(seg);
            out += out ? `.${shown}` : shown;
        }
    }
    return out;
}
