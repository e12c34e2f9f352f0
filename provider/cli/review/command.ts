// `review [FILE]`: the access review of the live account against the users file, read-only.
import { toJson } from "../../escape/json";
import { readUsersFile } from "../../usersfile/load";
import { checkPolicyAgainstAccount } from "../../usersfile/policy";
import { formatProblem } from "../../usersfile/problems";
import { renderReviewCsv, renderReviewMarkdown, renderReviewText } from "./render";
import { computeReview, parseStale, reviewExitCode } from "./decide";
import { resolveDemoteRole } from "../../config";
import { configSource, oneUsersFile, readAccount, type Command } from "../run";
import { UsageError } from "../../errors";
import { identityKeys } from "../../usersfile/model";

const FORMATS = ["text", "markdown", "json", "csv"] as const;
type ReviewFormat = (typeof FORMATS)[number];

export const review: Command = {
    options: ["format", "stale", "as-of", "expiring-days", "stack"],
    async run(values, files, io) {
        const file = oneUsersFile(files, io, "review");
        if (!FORMATS.includes(values.format as ReviewFormat)) throw new UsageError(`--format must be text, markdown, json or csv, not ${values.format}`);
        const format = values.format as ReviewFormat;
        const staleDays = parseStale(values.stale);
        const now = asOf(values["as-of"]);
        // The file first: a broken one costs no token and no request.
        const parsed = readUsersFile(file);
        const { ctx, api, account } = await readAccount(io, { declared: parsed.users.flatMap(identityKeys), shortfall: "warn" });
        const apiTokens = await ctx.api.apiTokens();
        for (const s of "skipped" in apiTokens ? apiTokens.skipped : []) io.stderr.write(`Warning: skipped ${s}\n`);
        const policyViolations = checkPolicyAgainstAccount(parsed, account.users).map(formatProblem);
        const expiringDays = wholeDays(values["expiring-days"]);
        const demoteRole = resolveDemoteRole(configSource(io), io.env);
        const result = computeReview({ file: parsed.file, declared: parsed.users, unmanaged: [...parsed.unmanaged, ...parsed.removed.map((r) => ({ email: r.email, reason: `removed on purpose (onDelete: ${r.onDelete}): ${r.reason}`, path: r.path }))], rules: parsed.unmanagedRules, account: account.users, now, staleDays, policyViolations, expiringDays, demoteRole, partialView: account.partialView, apiTokens, ...(parsed.policy.maxApiTokenAgeDays !== undefined ? { maxApiTokenAgeDays: parsed.policy.maxApiTokenAgeDays } : {}) });
        const render = { text: () => renderReviewText(result, api), markdown: () => renderReviewMarkdown(result, api), csv: () => renderReviewCsv(result), json: () => toJson(result) };
        io.stdout.write(render[format]());
        return reviewExitCode(result);
    },
};

function wholeDays(text: string): number {
    if (!/^\d{1,4}$/.test(text) || Number(text) < 1) throw new UsageError(`--expiring-days must be a whole number of days like 30, not ${JSON.stringify(text)}`);
    return Number(text);
}

function asOf(text: string | undefined): Date {
    if (text === undefined) return new Date();
    const date = /^\d{4}-\d{2}-\d{2}$/.test(text) ? new Date(`${text}T00:00:00Z`) : new Date(text);
    if (Number.isNaN(date.getTime())) throw new UsageError(`--as-of must be a date like 2026-12-31, not ${JSON.stringify(text)}`);
    return date;
}
