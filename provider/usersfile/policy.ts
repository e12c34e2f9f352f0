// The users file's `policy:` guardrails, enforced in one place. What each rule means is
// data in schema/users-file.schema.json (editors complete and explain it); this file
// only decides. Rules that need only the file run wherever the file is read (validate,
// plan, the Pulumi program), before any request; rules that need the account run in plan
// and in the program once the account is listed, before any resource registers.
import { forTerminal } from "../escape/terminal";
import { addDays, todayUtc } from "./expiry";
import { actingAdmin, ADMIN_ROLE, isAdmin, managesUsers, productOf } from "../model/roles";
import type { ApiUser } from "../model/wire";
import type { Locator, Path } from "./positions";
import { fieldName, type Problem } from "./problems";
import { identityKeys, type DeclaredApiToken, type DeclaredUser, type UnmanagedRule, type UnmanagedUser, type UsersFilePolicy } from "./model";
import { ruleFor } from "./unmanaged-rules";
import { editDistance } from "../package/schema";

export type { UsersFilePolicy } from "./model";

interface Checked {
    file: string;
    users: DeclaredUser[];
    unmanaged: UnmanagedUser[];
    unmanagedRules?: UnmanagedRule[];
    /** Its company API tokens: each one's value is emailed to `for:`, held to allowedEmailDomains too. */
    apiTokens?: DeclaredApiToken[];
    policy: UsersFilePolicy;
    locator: Locator;
}

/** Emails shown in a message: all of them up to five, then how many more. */
function listed(emails: string[]): string {
    const shown = emails.slice(0, 5).map(forTerminal).join(", ");
    return emails.length > 5 ? `${shown} and ${emails.length - 5} more` : shown;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Declared with a role that manages users (the VRM and TMH Admins too), not deactivated, not a company API token: what maxAdmins counts. */
function declaredAdmin(u: DeclaredUser): boolean {
    return actingAdmin({ roles: [{ slug: String(u.args.role) }], status: u.args.status ?? "Created", is_company_api_token: u.args.isCompanyApiToken === true });
}

/** Declared as the platform's Admin: what minAdmins counts, since only that role keeps the account manageable by the lockout guards' measure. */
function declaredPlatformAdmin(u: DeclaredUser): boolean {
    return declaredAdmin(u) && isAdmin([String(u.args.role)]);
}


/** The rules that need only the file. */
/** `today` (YYYY-MM-DD, UTC): the day the rules are judged on, given by the caller rather than read from the clock. */
/** Whether a policy's role list covers `role`: by name, or, where it names the Admin role, as any role that manages users. */
function namesRole(roles: readonly string[], role: string): boolean {
    return roles.includes(role) || (roles.includes(ADMIN_ROLE) && managesUsers([role]));
}

/**
 * `policy.requireMfa: [roles]`: every declared user holding one of the roles, and not
 * declaring `mfa` itself, gets `mfa: required`, with the policy as where it came from (plan
 * says why). Naming the Admin role names every role that manages users, as requireReason does.
 */
export function applyRequireMfa(users: DeclaredUser[], policy: UsersFilePolicy): void {
    const roles = policy.requireMfa;
    if (!Array.isArray(roles)) return;
    for (const u of users) {
        const role = u.args.role;
        if (u.args.mfa !== undefined || typeof role !== "string") continue;
        if (!namesRole(roles, role)) continue;
        u.args.mfa = "required";
        u.origin["mfa"] = ["policy", "requireMfa"];
    }
}

export function checkPolicy(f: Checked, today: string = todayUtc()): Problem[] {
    const { policy, file, locator: loc } = f;
    const problems: Problem[] = [];
    const at = (path: Path, message: string) => problems.push({ file, ...loc.value(path), field: fieldName(path), message });
    for (const u of f.users) {
        if (typeof u.args.email !== "string") continue;
        const judged: Judged = { u, email: u.args.email.trim(), domain: u.args.email.trim().split("@").pop()!.toLowerCase() };
        for (const rule of USER_RULES) {
            const found = rule(judged, policy, today);
            if (found) at(...found);
        }
    }
    for (const rule of FILE_RULES) {
        const found = rule(f.users, policy);
        if (found) at(...found);
    }
    // A token's value goes to for: by email: an Admin's rights, to whoever holds that address.
    for (const t of f.apiTokens ?? []) {
        const outside = outsideDomains(t.for.split("@").pop()!.toLowerCase(), policy.allowedEmailDomains);
        if (outside) at([...t.path, "for"], outside);
    }
    return problems;
}

/** A declared user as the rules see it. */
interface Judged {
    u: DeclaredUser;
    email: string;
    /** Lower-cased. */
    domain: string;
}

/** Where a rule is broken, and what to do: or undefined, where it holds. */
type Finding = [Path, string] | undefined;

/** What policy.allowedEmailDomains says of an address at `domain`; undefined when it allows it. */
function outsideDomains(domain: string, allowed: string[] | undefined): string | undefined {
    const domains = allowed?.map((d) => d.toLowerCase());
    if (!domains || domains.includes(domain)) return undefined;
    // A typo is a letter or two off (exmaple.com); a subdomain or another company is not one, and is not guessed at.
    const typo = domains.find((d) => editDistance(domain, d) <= 2);
    if (typo) return `policy.allowedEmailDomains: ${domain} is not an allowed domain: did you mean ${typo}? Correct the address (its domain is one of ${domains.join(", ")})`;
    return `policy.allowedEmailDomains: ${domain} is not an allowed domain (${domains.join(", ")}); use the person's address at an allowed domain, or add ${domain} to policy.allowedEmailDomains`;
}

/** Where a user's field was written: the user's entry, or the defaults it inherited it from. */
const fieldPath = (u: DeclaredUser, field: string): Path => u.origin[field] ?? [...u.path, field];

/** The rules each declared user must keep, one a policy key (test: ./policy.test.ts, a case a rule). */
const USER_RULES: ((j: Judged, policy: UsersFilePolicy, today: string) => Finding)[] = [
    ({ u, domain }, { allowedEmailDomains }) => {
        const outside = outsideDomains(domain, allowedEmailDomains);
        return outside === undefined ? undefined : [fieldPath(u, "email"), outside];
    },
    ({ u }, { forbiddenRoles }) => {
        const role = u.args.role;
        if (role === undefined || !forbiddenRoles?.includes(role)) return undefined;
        return [fieldPath(u, "role"), `policy.forbiddenRoles: the role ${role} is forbidden in this account; choose another role, or remove ${role} from policy.forbiddenRoles`];
    },
    ({ u }, { requireReason = [] }) => {
        const role = u.args.role;
        if (role === undefined || u.reason || !namesRole(requireReason, role)) return undefined;
        return [u.path, `policy.requireReason: a user with the role ${role} needs a \`reason:\` saying why (who asked, what for); add one to this entry`];
    },
    ({ u, email, domain }, { requireExpires }) => {
        const inside = requireExpires?.outsideDomains?.map((d) => d.toLowerCase());
        if (!inside || inside.includes(domain) || u.expires !== undefined) return undefined;
        return [u.path, `policy.requireExpires: ${email} is not at ${inside.join(", ")}, so its access must end: add \`expires:\` with the first day without it (YYYY-MM-DD)`];
    },
    ({ u }, { requireExpires }, today) => {
        const maxDays = requireExpires?.maxDays;
        if (maxDays === undefined || u.expires === undefined || u.expires <= addDays(today, maxDays)) return undefined;
        return [
            [...u.path, "expires"],
            `policy.requireExpires.maxDays is ${maxDays}: access granted today may last until ${addDays(today, maxDays)} at the latest, not ${u.expires}; choose an earlier date, or raise the limit`,
        ];
    },
    ({ u }, { companyApiTokenUsers }) => {
        if (companyApiTokenUsers !== "forbid" || u.args.isCompanyApiToken !== true) return undefined;
        return [fieldPath(u, "isCompanyApiToken"), "policy.companyApiTokenUsers is forbid: this account declares no company API token users; remove the user or `isCompanyApiToken: true`, or set the policy to allow"];
    },
];

const emailOf = (u: DeclaredUser) => String(u.args.email).trim();

/** The rules the file as a whole must keep. */
const FILE_RULES: ((users: DeclaredUser[], policy: UsersFilePolicy) => Finding)[] = [
    (users, { maxAdmins }) => {
        const admins = users.filter(declaredAdmin).map(emailOf);
        if (maxAdmins === undefined || admins.length <= maxAdmins) return undefined;
        return [
            ["policy", "maxAdmins"],
            `policy.maxAdmins is ${maxAdmins}, but the file declares ${plural(admins.length, "Admin")} (a role that manages users: ${ADMIN_ROLE}, vrm_admin or a TMH Admin; not deactivated): ${listed(admins)}; give ${admins.length - maxAdmins} of them another role, or raise policy.maxAdmins`,
        ];
    },
    (users, { minAdmins }) => {
        const platformAdmins = users.filter(declaredPlatformAdmin).map(emailOf);
        if (minAdmins === undefined || platformAdmins.length >= minAdmins) return undefined;
        return [
            ["policy", "minAdmins"],
            `policy.minAdmins is ${minAdmins}, but the file declares ${plural(platformAdmins.length, "Admin")} (${ADMIN_ROLE}, not deactivated)${platformAdmins.length ? `: ${listed(platformAdmins)}` : ""}; declare ${minAdmins - platformAdmins.length} more, so that nobody locks the account, or lower policy.minAdmins`,
        ];
    },
    (_users, { minAdmins, maxAdmins }) => {
        if (minAdmins === undefined || maxAdmins === undefined || minAdmins <= maxAdmins) return undefined;
        return [["policy", "minAdmins"], `policy.minAdmins (${minAdmins}) is more than policy.maxAdmins (${maxAdmins}); no file can satisfy both`];
    },
];

/**
 * The rules that need the account: Admins the file does not declare count towards
 * maxAdmins (acknowledged unmanaged ones too: they are Admins all the same), and with
 * companyApiTokenUsers forbid, a token user in the account must at least be acknowledged
 * under `unmanaged:` with a reason.
 */
export function checkPolicyAgainstAccount(f: Checked, account: ApiUser[]): Problem[] {
    const { policy, file, locator: loc } = f;
    const problems: Problem[] = [];
    const declared = new Set(f.users.flatMap(identityKeys));
    const undeclared = account.filter((u) => !declared.has(u.email.toLowerCase()));
    if (policy.maxAdmins !== undefined) {
        // Declared with another role, but holding beside it a product role that manages users (a VRM Admin, assigned in VRM).
        const inAccount = new Map(account.map((u) => [u.email.toLowerCase(), u]));
        const besides = f.users.filter((u) => {
            const held = inAccount.get(String(u.args.email).trim().toLowerCase());
            return !declaredAdmin(u) && held !== undefined && actingAdmin({ ...held, roles: held.roles.filter((r) => productOf(r.slug) !== productOf(String(u.args.role))) });
        });
        const fileAdmins = f.users.filter(declaredAdmin).length;
        const others = [...undeclared.filter(actingAdmin), ...besides.map((u) => inAccount.get(String(u.args.email).trim().toLowerCase())!)].map((u) => u.email);
        if (fileAdmins + others.length > policy.maxAdmins) {
            problems.push({
                file,
                ...loc.value(["policy", "maxAdmins"]),
                field: "policy.maxAdmins",
                message:
                    `policy.maxAdmins is ${policy.maxAdmins}, but the account would have ${fileAdmins + others.length} Admins: ${plural(fileAdmins, "declared in the file")} ` +
                    `and ${others.length} in the account that the file does not declare as Admins (${listed(others)}); remove the Admin role from some of them in Bitsight or declare them with another role, or raise policy.maxAdmins`,
            });
        }
    }
    // A rule acknowledges users without naming them: the file's policy still sees them.
    const forbidden = new Set(policy.forbiddenRoles ?? []);
    const domains = policy.allowedEmailDomains?.map((d) => d.toLowerCase());
    const byEmail = new Set(f.unmanaged.map((u) => u.email.toLowerCase()));
    for (const rule of f.unmanagedRules ?? []) {
        const acknowledged = undeclared.filter((u) => !byEmail.has(u.email.toLowerCase()) && ruleFor(u, f.unmanagedRules!) === rule);
        const at = (message: string) => problems.push({ file, ...loc.value(rule.path), field: fieldName(rule.path), message });
        const banned = acknowledged.filter((u) => u.roles.some((r) => forbidden.has(r.slug))).map((u) => u.email);
        if (banned.length) at(`policy.forbiddenRoles: the rule '${forTerminal(rule.name)}' acknowledges ${plural(banned.length, "user")} holding a forbidden role (${listed(banned)}); take the role away in Bitsight, or narrow the rule`);
        const outside = domains ? acknowledged.filter((u) => !domains.includes(u.email.split("@").pop()!.toLowerCase())).map((u) => u.email) : [];
        if (outside.length) at(`policy.allowedEmailDomains: the rule '${forTerminal(rule.name)}' acknowledges ${plural(outside.length, "user")} outside ${domains!.join(", ")} (${listed(outside)}); remove them in Bitsight, or narrow the rule with domains:`);
    }
    if (policy.companyApiTokenUsers === "forbid") {
        const acknowledged = new Set(f.unmanaged.map((u) => u.email.toLowerCase()));
        const tokens = undeclared.filter((u) => u.is_company_api_token && !acknowledged.has(u.email.toLowerCase())).map((u) => u.email);
        if (tokens.length > 0) {
            problems.push({
                file,
                ...loc.value(["policy", "companyApiTokenUsers"]),
                field: "policy.companyApiTokenUsers",
                message:
                    `policy.companyApiTokenUsers is forbid, but the account has ${plural(tokens.length, "company API token user")} the file does not acknowledge: ${listed(tokens)}; ` +
                    `delete ${tokens.length === 1 ? "it" : "them"} in Bitsight, or list ${tokens.length === 1 ? "it" : "them"} under \`unmanaged:\` with the reason ${tokens.length === 1 ? "it is" : "they are"} kept`,
            });
        }
    }
    return problems;
}

/** Whether any rule needs the account listed. */
export function needsAccount(policy: UsersFilePolicy, rules: readonly UnmanagedRule[] = []): boolean {
    const rulesChecked = rules.length > 0 && (policy.forbiddenRoles !== undefined || policy.allowedEmailDomains !== undefined);
    return policy.maxAdmins !== undefined || policy.companyApiTokenUsers === "forbid" || rulesChecked;
}
