// An emulator account from a file (`npm run emulator -- --account FILE`), so that a team
// can rehearse against an account like its own. Users are written as GET
// /ratings/v2/users lists them, so that listing's JSON is an account file as it is; a
// hand-written file needs only each user's email. A wrong value stops the start with
// the file, line, field and what to write; a field the emulator does not know is named
// and ignored (a capture of the real API may carry fields these pages never showed).
import * as fs from "fs";
import { LineCounter, parseDocument } from "yaml";
import { Locator, type Path } from "../../provider/usersfile/positions";
import { closest } from "../../provider/package/schema";
import { fieldName } from "../../provider/usersfile/problems";
import { Account, type Quirks } from "./account";
import { Checker, Groups, isObj } from "./account-fields";

export interface LoadedAccount {
    account: Account;
    /** The API token the emulator accepts, and the email of the user it authenticates as. */
    token: string;
    tokenUser: string;
    /** True when the file had no Admin company API token user and the emulator added one. */
    addedTokenUser: boolean;
    /** What was ignored, `file:line:col: field: why`. */
    warnings: string[];
}

export interface AccountFileOptions {
    quirks?: Partial<Quirks>;
    clock?: () => Date;
}

export class AccountFileError extends Error {
    constructor(
        readonly problems: string[],
        /** What was ignored besides, shown with the problems: one may be their cause. */
        readonly warnings: string[] = [],
    ) {
        super(`${problems.length === 1 ? "1 problem" : `${problems.length} problems`} in the account file:\n${problems.map((p) => `  ${p}`).join("\n")}`);
    }
}

/** The token of a file that names none: the sample account's. */
export const DEFAULT_TOKEN = "emulator-token-0f3c9a";

const TOP = ["token", "customer", "groups", "default_group", "users", "results", "api_tokens", "links", "count"];

export function readAccountFile(file: string, shownAs: string, opts: AccountFileOptions = {}): LoadedAccount {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (err) {
        throw new AccountFileError([`${shownAs}: cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); give the path of an account file, as test/emulator/sample-account.yaml is one`]);
    }
    return accountFromText(text, shownAs, opts);
}

export function accountFromText(text: string, file: string, opts: AccountFileOptions = {}): LoadedAccount {
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
    const loc = new Locator(doc, lines);
    const problems: string[] = [];
    const warnings: string[] = [];
    const at = (path: Path, key?: string) => {
        const { line, col } = key === undefined ? loc.value(path) : loc.key(path, key);
        if (key !== undefined) path = [...path, key];
        return `${file}:${line}:${col}: ${fieldName(path) || "(top)"}`;
    };
    const bad = (path: Path, message: string) => void problems.push(`${at(path)}: ${message}`);
    for (const e of doc.errors) problems.push(`${file}:${lines.linePos(e.pos[0]).line}:${lines.linePos(e.pos[0]).col}: not valid YAML or JSON: ${e.message.split("\n")[0]}`);
    if (problems.length) throw new AccountFileError(problems);
    const data: unknown = doc.toJS();
    if (!isObj(data)) throw new AccountFileError([`${file}:1:1: must be a mapping with \`users:\` (or a GET /ratings/v2/users listing with \`results:\`)`]);
    const check = new Checker(bad, (path, key, known) => {
        const guess = closest(key, known);
        warnings.push(`${at(path, key)}: not a field the emulator knows, ignored (${guess ? `did you mean ${guess}? ` : ""}it knows ${known.join(", ")})`);
    });

    check.fields(data, [], TOP);
    const usersKey = data["users"] !== undefined ? "users" : "results";
    const rows = check.list(data, [usersKey]) ?? [];
    if (data["users"] === undefined && data["results"] === undefined) bad([], "has no `users:` list; write one (each user needs at least `email:`)");
    const token = check.string(data, ["token"]) ?? DEFAULT_TOKEN;
    const links = data["links"];
    if (isObj(links) && typeof links["next"] === "string") {
        warnings.push(`${at(["links", "next"])}: this listing is one page of several: the users of the next pages are not in it (put every page's \`results\` in one list)`);
    }

    const groups = new Groups();
    for (const [i, g] of (check.list(data, ["groups"]) ?? []).entries()) groups.declare(check.group(g, ["groups", i], true));
    rows.forEach((row, i) => isObj(row) && row["group"] !== null && row["group"] !== undefined && groups.declare(check.group(row["group"], [usersKey, i, "group"], false)));
    const defaultName = check.string(data, ["default_group"]);
    const defaultGroup = defaultName === undefined ? groups.first() : groups.find(defaultName);
    if (!defaultGroup) bad(["default_group"], `names no group of the file (${groups.names()}): name one of them, or declare it under \`groups:\``);
    const customer = check.customer(data["customer"], ["customer"]);

    const account = new Account({ groups: groups.all(), defaultGroup: (defaultGroup ?? groups.first()).guid, ...(customer ? { customer } : {}), ...opts });
    const seen = new Map<string, number>();
    const emails = new Map<string, number>();
    rows.forEach((row, i) => {
        const path: Path = [usersKey, i];
        const user = check.user(row, path, groups);
        if (!user) return;
        if (user.guid !== undefined && seen.has(user.guid)) return bad([...path, "guid"], `is also users[${seen.get(user.guid)}]'s guid; give each user its own, or leave guid out`);
        if (emails.has(user.email.toLowerCase())) {
            warnings.push(`${at([...path, "email"])}: ${user.email} is also users[${emails.get(user.email.toLowerCase())}]'s email (case aside), which Bitsight refuses to create; both are kept, as an odd account the provider must survive`);
        }
        emails.set(user.email.toLowerCase(), i);
        const added = account.addUser(user);
        seen.set(added.guid, i);
    });
    (check.list(data, ["api_tokens"]) ?? []).forEach((t, i) => {
        const stored = check.apiToken(t, ["api_tokens", i], groups, token);
        if (stored) account.apiTokens.push({ ...stored, guid: stored.guid ?? account.newGuid() });
    });
    if (problems.length) throw new AccountFileError(problems, warnings);

    let tokenUser = [...account.users.values()].find((u) => u.is_company_api_token && u.roles.includes("customer_admin") && u.status === "Activated");
    const addedTokenUser = tokenUser === undefined;
    tokenUser ??= account.addUser({ email: "api-token@emulator.invalid", formal_name: "Company API Token", friendly_name: "API Token", role: "customer_admin", is_company_api_token: true });
    account.addToken(token, tokenUser.guid);
    return { account, token, tokenUser: tokenUser.email, addedTokenUser, warnings };
}
