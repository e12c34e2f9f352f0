// `review [FILE]`: the access review of the live account against the users file, read-only.
import { toJson } from "../../escape/json";
import { readUsersFile } from "../../usersfile/load";
import { checkPolicyAgainstAccount } from "../../usersfile/policy";
import { formatProblem } from "../../usersfile/problems";
import { renderReviewCsv, renderReviewMarkdown, renderReviewText } from "./render";
import { computeReview, parseStale, reviewExitCode } from "./decide";
import { resolveDemoteRole } from "../../config/settings";
import { configSource, oneUsersFile, readAccount } from "../run";
import { defineCommand, STACK_OPTION } from "../options";
import { UsageError } from "../../base/errors";
import { identityKeys } from "../../usersfile/model";

export const review = defineCommand({
    operands: "[FILE]",
    about: "An access review of the live account against a users file, read-only: who never logged in, who has not for a while, Admins and their MFA, company API token users and tokens, undeclared and acknowledged users, every user's role and group, and the access groups with their members. Exit 2 when something needs attention.",
    options: {
        format: { type: "string", value: "FORMAT", choices: ["text", "markdown", "json", "csv"], default: "text", help: "how to show it" },
        stale: { type: "string", value: "DAYS", default: "90d", help: "no login for this long is stale: 90d, 12w or 90" },
        "as-of": { type: "string", value: "DATE", help: "review as of this date (default now), e.g. 2026-12-31" },
        "expiring-days": { type: "string", value: "N", default: "30", help: "list access ending within N days" },
        stack: STACK_OPTION,
    },
    async run(values, files, io) {
        const file = oneUsersFile(files, io, "review");
        const format = values.format as "text" | "markdown" | "json" | "csv";
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
        const result = computeReview({ file: parsed.file, declared: parsed.users, unmanaged: [...parsed.unmanaged, ...parsed.removed.map((r) => ({ email: r.email, reason: `removed on purpose (onDelete: ${r.onDelete}): ${r.reason}`, path: r.path }))], rules: parsed.unmanagedRules, account: account.users, now, staleDays, policyViolations, expiringDays, demoteRole, partialView: account.partialView, apiTokens, ...(parsed.declaresApiTokens ? { declaredTokens: parsed.apiTokens } : {}), groups: account.groups, ...(parsed.declaresGroups ? { declaredGroups: parsed.groups } : {}), ...(parsed.policy.maxApiTokenAgeDays !== undefined ? { maxApiTokenAgeDays: parsed.policy.maxApiTokenAgeDays } : {}) });
        const render = { text: () => renderReviewText(result, api), markdown: () => renderReviewMarkdown(result, api), csv: () => renderReviewCsv(result), json: () => toJson(result) };
        io.stdout.write(render[format]());
        return reviewExitCode(result);
    },
});

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
