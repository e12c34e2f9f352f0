// `plan [FILE]`: the users file against the live account, read-only (./decide decides, ./render-text and ./render-markdown show).
import { toJson } from "../../escape/json";
import { resolveRemovalLimit } from "../../program/removals";
import { resolveGroups } from "../../usersfile/groups";
import { readUsersFile } from "../../usersfile/load";
import { checkPolicyAgainstAccount } from "../../usersfile/policy";
import { UsersFileError } from "../../usersfile/problems";
import { computePlan, planExitCode } from "./decide";
import { renderMarkdown } from "./render-markdown";
import { renderText } from "./render-text";
import { CONFIG_MAX_REMOVAL_SHARE, resolveDemoteRole } from "../../config/settings";
import { configSource, oneUsersFile, readAccount } from "../run";
import { defineCommand, STACK_OPTION } from "../options";
import { readManaged } from "../state";
import { identityKeys } from "../../usersfile/model";
import { apiTokensOrFail } from "../../account/api-tokens";
import { companiesOfDeclared } from "../../account/access-groups";

export const plan = defineCommand({
    operands: "[FILE]",
    about: "Compare a users file with the live account, read-only: users to create, fields to change, privilege changes, undeclared users, company API tokens to create or revoke, and access groups to create, change or delete.",
    options: {
        format: { type: "string", value: "FORMAT", choices: ["text", "markdown", "json"], default: "text", help: "how to show it" },
        state: { type: "string", value: "FILE", help: "the stack's `pulumi stack export`: also report existing users `pulumi up` cannot create because they are declared without adopt" },
        stack: STACK_OPTION,
    },
    async run(values, files, io) {
        const file = oneUsersFile(files, io, "plan");
        const format = values.format;
        // The files first: a broken one is reported without a token and without any request.
        const parsed = readUsersFile(file);
        const managed = values.state === undefined ? undefined : readManaged(values.state);
        const { ctx, api, account } = await readAccount(io, { declared: parsed.users.flatMap(identityKeys), shortfall: "fail" });
        const seats = await ctx.api.quota();
        // Listed only for a file that declares tokens: a file without the section is about people.
        const apiTokens = parsed.declaresApiTokens ? { declared: parsed.apiTokens, account: await apiTokensOrFail(ctx.api.http), ownLastFour: ctx.ownTokenLastFour, ...(managed ? { managed: managed.apiTokens } : {}) } : undefined;
        const violations = checkPolicyAgainstAccount(parsed, account.users);
        if (violations.length > 0) throw new UsersFileError(parsed.file, violations);
        // As the program resolves it: the stack's bitsight:maxRemovalShare over the file's policy.
        const removalLimit = resolveRemovalLimit(configSource(io).get(CONFIG_MAX_REMOVAL_SHARE), parsed.policy.maxRemovalShare, io.env);
        const unmanaged = parsed.unmanaged.map((u) => ({ email: u.email, reason: u.reason, line: parsed.locator.value(u.path).line }));
        const rules = parsed.unmanagedRules.map((r) => ({ ...r, line: parsed.locator.value(r.path).line }));
        const demoteRole = resolveDemoteRole(configSource(io), io.env);
        // What each declared group that declares companies: sees now: one request each.
        const groupCompanies = parsed.declaresGroups ? await companiesOfDeclared(ctx.api.http, parsed.groups, account.groups) : undefined;
        const result = computePlan({ file: parsed.file, declared: resolveGroups(parsed, account.groups), account: account.users, groups: account.groups, managed, removalLimit, unmanaged, rules, demoteRole, seats, partialView: account.partialView, removed: parsed.removed, ...(apiTokens ? { apiTokens } : {}), ...(parsed.declaresGroups ? { declaredGroups: parsed.groups } : {}), ...(groupCompanies ? { groupCompanies } : {}) });
        io.stdout.write(format === "json" ? toJson(result) : format === "markdown" ? renderMarkdown(result) : renderText(result, api));
        return planExitCode(result);
    },
});

