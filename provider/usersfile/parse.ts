// Reads a users file, offline: YAML with positions, the users-file schema (built from
// the user schema `check` uses), defaults merged into each user, duplicates refused.
// Every problem found is reported at once, each pointing at the offending node.
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from "yaml";
import { validateAgainst } from "../package/schema";
import { emailKey, ON_DELETE, type OnDelete } from "../model/user-model";
import { Locator, toPath, type Path } from "./positions";
import { EXPIRY_ON_DELETE } from "./ending";
import { isCalendarDate, todayUtc } from "./expiry";
import { findInvisible, invisibleMessage } from "../escape/invisible";
import { applyRequireMfa, checkPolicy } from "./policy";
import { fieldName, UsersFileError, type Problem } from "./problems";
import { apiTokensOf, checkApiTokens, declaresApiTokens } from "./api-tokens";
import { checkGroups, declaresGroups, groupsOf } from "./declared-groups";

export const MAX_FILE_BYTES = 10 * 1024 * 1024;
export const MAX_USERS = 10_000;

export type { DeclaredUser, ParsedUsersFile, RemovedUser, UnmanagedRule, UnmanagedUser, UsersFilePolicy } from "./model";
import type { DeclaredUser, ParsedUsersFile, RemovedUser, UnmanagedRule, UnmanagedUser, UsersFilePolicy } from "./model";

type Obj = Record<string, unknown>;

/** friendlyName when a user does not set it: the first word of formalName (export and pull leave out what equals it). */
export function derivedFriendlyName(formalName: string): string {
    return formalName.trim().split(/\s+/)[0]!;
}

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** What the loader refuses in `text` (nothing: an empty list), for a command about to write a users file. */
export function loaderProblems(text: string, file: string): Problem[] {
    try {
        parseUsersFile(text, file);
        return [];
    } catch (err) {
        if (err instanceof UsersFileError) return err.problems;
        throw err;
    }
}

/**
 * Parses and checks `text`; throws UsersFileError listing every problem. `file` is the
 * name shown in messages; `today` (YYYY-MM-DD, UTC) the day the policy's dates are judged on.
 */
export function parseUsersFile(text: string, file: string, today: string = todayUtc()): ParsedUsersFile {
    const fail = (problems: Problem[]) => new UsersFileError(file, problems);
    const top = (message: string): Problem => ({ file, line: 1, col: 1, field: "", message });
    const bytes = Buffer.byteLength(text);
    if (bytes > MAX_FILE_BYTES) {
        throw fail([top(`is ${(bytes / 1048576).toFixed(1)} MiB; a users file may be at most ${MAX_FILE_BYTES / 1048576} MiB`)]);
    }
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false, strict: true });
    const loc = new Locator(doc, lines);
    if (doc.errors.length > 0) throw fail(syntaxProblems(file, text, doc, loc, doc.errors));
    // A tag the YAML library does not know (`!foo`) only warns, and its value is kept as if untagged.
    const tagged = doc.warnings.map((w) => tagProblem(file, doc, loc, text, w.code, w.message, w.pos));
    const hidden = invisibleCharacters(file, doc.contents as Node | null, text, loc);
    if (tagged.length > 0 || hidden.length > 0) throw fail([...tagged, ...hidden]);

    let data: unknown;
    try {
        data = doc.toJS({ maxAliasCount: 1000 });
    } catch (err) {
        const message = (err as Error).message;
        const alias = /alias.*: (\S+)$/.exec(message)?.[1];
        const offset = alias ? text.indexOf(`*${alias}`) : -1;
        const field = offset >= 0 ? fieldName(pathAt(doc.contents as Node | null, offset)) : "";
        throw fail([{ ...top(message), ...(offset >= 0 ? loc.at(offset) : {}), field: field || "yaml" }]);
    }
    if (data === null || data === undefined) {
        throw fail([top("is empty: declare users under a top-level `users:` list (see examples/gitops/users.yaml)")]);
    }
    if (!isObj(data)) {
        const what = Array.isArray(data) ? "a list" : `the ${typeof data} ${JSON.stringify(data)}`;
        throw fail([{ ...top(`must be a mapping with \`users:\` (and optionally \`defaults:\` and \`teams:\`), not ${what}`), ...loc.value([]) }]);
    }

    const problems: Problem[] = validateAgainst("users-file.schema.json", data).map((p) => {
        const path = toPath(p.path);
        const where =
            p.at === "key" ? loc.key(path.slice(0, -1), String(path[path.length - 1])) : p.at === "missing" ? loc.value(path.slice(0, -1)) : loc.value(path);
        return { file, ...where, field: fieldName(path), message: p.message };
    });
    if (data["users"] === undefined && data["teams"] === undefined && problems.length === 0) {
        problems.push(top("declares no users: add a `users:` list (`users: []` manages nobody)"));
    }

    const users = mergeDefaults(data);
    if (problems.length === 0 && isObj(data["policy"])) applyRequireMfa(users, data["policy"] as UsersFilePolicy);
    const unmanaged = unmanagedUsers(data);
    const unmanagedRules = unmanagedRulesOf(data);
    const removed = removedUsers(data);
    const apiTokens = apiTokensOf(data);
    const groups = groupsOf(data);
    const policy = isObj(data["policy"]) ? (data["policy"] as UsersFilePolicy) : {};
    problems.push(...checkUsers(users, file, loc), ...checkUnmanaged([...unmanaged, ...removed], users, file, loc), ...checkRules(unmanagedRules, file, loc));
    problems.push(...checkApiTokens(apiTokens, problems.length === 0 ? policy.maxApiTokenAgeDays : undefined, today, file, loc), ...checkGroups(groups, file, loc));
    if (problems.length > 0) throw fail(withoutEchoes(problems));
    const parsed = { file, users, apiTokens, declaresApiTokens: declaresApiTokens(data), groups, declaresGroups: declaresGroups(data), unmanaged, removed, unmanagedRules, policy, locator: loc };
    // The guardrails judge a well-formed file: they run once the schema is satisfied.
    const violations = checkPolicy(parsed, today);
    if (violations.length > 0) throw fail(violations);
    return parsed;
}

/** "formalName is required" says nothing more than "formalNme: did you mean formalName?" next to it. */
function withoutEchoes(problems: Problem[]): Problem[] {
    return problems.filter((p) => {
        if (!p.message.startsWith("is required")) return true;
        const dot = p.field.lastIndexOf(".");
        const [parent, missing] = [p.field.slice(0, dot + 1), p.field.slice(dot + 1)];
        return !problems.some((q) => q.field.startsWith(parent) && q.message.includes(`did you mean "${missing}"?`));
    });
}

function mergeDefaults(data: Obj): DeclaredUser[] {
    const users: DeclaredUser[] = [];
    const fileDefaults = isObj(data["defaults"]) ? data["defaults"] : {};
    const sections: { team?: string; defaults: Obj; defaultsPath: Path; users: unknown; path: Path }[] = [
        { defaults: {}, defaultsPath: [], users: data["users"], path: ["users"] },
    ];
    if (isObj(data["teams"])) {
        for (const [team, t] of Object.entries(data["teams"])) {
            if (!isObj(t)) continue;
            const defaults = isObj(t["defaults"]) ? t["defaults"] : {};
            sections.push({ team, defaults, defaultsPath: ["teams", team, "defaults"], users: t["users"], path: ["teams", team, "users"] });
        }
    }
    for (const s of sections) {
        if (!Array.isArray(s.users)) continue;
        s.users.forEach((entry, i) => {
            if (!isObj(entry)) return;
            const path = [...s.path, i];
            const merged: Obj = {};
            const origin: Record<string, Path> = {};
            const layers: [Obj, Path][] = [
                [fileDefaults, ["defaults"]],
                [s.defaults, s.defaultsPath],
                [entry, path],
            ];
            for (const [layer, layerPath] of layers) {
                for (const [k, v] of Object.entries(layer)) {
                    merged[k] = k === "features" && isObj(v) ? { ...(merged[k] as Obj | undefined), ...v } : v;
                    origin[k] = [...layerPath, k];
                }
            }
            const { formerEmails, reason, expires, ...args } = merged;
            if (typeof args["formalName"] === "string" && args["friendlyName"] === undefined) {
                args["friendlyName"] = derivedFriendlyName(args["formalName"]);
            }
            const user: DeclaredUser = {
                args: args as DeclaredUser["args"],
                formerEmails: Array.isArray(formerEmails) ? formerEmails.filter((e): e is string => typeof e === "string") : [],
                path,
                origin,
            };
            if (s.team !== undefined) user.team = s.team;
            if (typeof reason === "string") user.reason = reason.trim();
            if (typeof expires === "string") user.expires = expires;
            users.push(user);
        });
    }
    return users;
}

function unmanagedUsers(data: Obj): UnmanagedUser[] {
    const list = Array.isArray(data["unmanaged"]) ? (data["unmanaged"] as unknown[]) : [];
    return list.flatMap((entry, i) =>
        isObj(entry) && typeof entry["email"] === "string" && typeof entry["reason"] === "string"
            ? [{ email: entry["email"].trim(), reason: entry["reason"].trim(), path: ["unmanaged", i] }]
            : [],
    );
}

function removedUsers(data: Obj): RemovedUser[] {
    const list = Array.isArray(data["removed"]) ? (data["removed"] as unknown[]) : [];
    return list.flatMap((entry, i) =>
        isObj(entry) && typeof entry["email"] === "string" && typeof entry["reason"] === "string" && ON_DELETE.includes(entry["onDelete"] as OnDelete)
            ? [{ email: entry["email"].trim(), onDelete: entry["onDelete"] as OnDelete, reason: entry["reason"].trim(), path: ["removed", i] }]
            : [],
    );
}

function unmanagedRulesOf(data: Obj): UnmanagedRule[] {
    const list = Array.isArray(data["unmanaged"]) ? (data["unmanaged"] as unknown[]) : [];
    return list.flatMap((entry, i) => {
        if (!isObj(entry) || !isObj(entry["match"]) || typeof entry["reason"] !== "string") return [];
        const reason = String(entry["reason"]).trim();
        const name = typeof entry["name"] === "string" ? entry["name"].trim() : reason;
        return [{ name, match: entry["match"] as UnmanagedRule["match"], reason, path: ["unmanaged", i] }];
    });
}

/** A rule never hides privilege: an undeclared Admin is always a difference. */
function checkRules(rules: UnmanagedRule[], file: string, loc: Locator): Problem[] {
    return rules.flatMap((r) => {
        const i = r.match.roles?.indexOf("customer_admin") ?? -1;
        if (i < 0) return [];
        const at = [...r.path, "match", "roles", i];
        return [
            {
                file,
                ...loc.value(at),
                field: fieldName(at),
                message: "a rule cannot acknowledge Admins: an Admin the file does not declare is always a difference; declare Admins under users:, or acknowledge one by its email",
            },
        ];
    });
}

/** An email is managed (`users:`, a team, a former email), acknowledged as unmanaged, or removed: one of the three, once. */
function checkUnmanaged(unmanaged: { email: string; path: Path }[], users: DeclaredUser[], file: string, loc: Locator): Problem[] {
    const problems: Problem[] = [];
    const declared = new Map<string, Path>();
    for (const u of users) {
        if (typeof u.args.email === "string") declared.set(emailKey(u.args.email), [...u.path, "email"]);
        u.formerEmails.forEach((e, i) => declared.set(emailKey(e), [...u.path, "formerEmails", i]));
    }
    const seen = new Map<string, Path>();
    for (const u of unmanaged) {
        const key = u.email.toLowerCase();
        const at = [...u.path, "email"];
        const managed = declared.get(key);
        const first = seen.get(key);
        if (managed) {
            problems.push({
                file,
                ...loc.value(at),
                field: fieldName(at),
                message: `${u.email} is also declared at line ${loc.value(managed).line} (${fieldName(managed)}); a user is either managed, acknowledged as unmanaged, or removed: remove one of the two`,
            });
        } else if (first) {
            problems.push({ file, ...loc.value(at), field: fieldName(at), message: `${u.email} is already listed at line ${loc.value(first).line} (${fieldName(first)}; emails are compared case-insensitively): keep one entry` });
        } else seen.set(key, at);
    }
    return problems;
}

/**
 * `expires:` is the first day without access, so the person must hold no login from then on:
 * only onDelete delete does that (./ending). Said before any merge, with where the onDelete
 * comes from, since `init` writes `defaults: { onDelete: demote }`.
 */
function expiryKeepsLogin(u: DeclaredUser, loc: Locator): string | undefined {
    const onDelete = u.args.onDelete ?? EXPIRY_ON_DELETE;
    if (u.expires === undefined || onDelete === EXPIRY_ON_DELETE) return undefined;
    const from = u.origin["onDelete"];
    const inherited = from !== undefined && !u.path.every((p, i) => from[i] === p);
    const where = inherited ? ` (from ${fieldName(from)}, line ${loc.value(from).line})` : "";
    const kept = onDelete === "demote" ? "demotes the user and leaves its login" : "leaves the user in the account as it is";
    return (
        `this is the first day without access, but the user's onDelete: ${String(onDelete)}${where} ${kept}. ` +
        `Add \`onDelete: delete\` to this user, so that pulumi up deletes it on that day; or, to keep it without privilege, remove expires: and, on that day, move the user to removed: with onDelete: demote`
    );
}

function checkUsers(users: DeclaredUser[], file: string, loc: Locator): Problem[] {
    const problems: Problem[] = [];
    if (users.length > MAX_USERS) {
        problems.push({ file, line: 1, col: 1, field: "", message: `declares ${users.length} users; a users file may declare at most ${MAX_USERS}` });
    }
    const byEmail = new Map<string, DeclaredUser>();
    for (const u of users) {
        if (u.args.role === undefined) {
            const field = u.team === undefined ? "or in `defaults`" : "in its team's `defaults`, or in the file's `defaults`";
            problems.push({ file, ...loc.value(u.path), field: fieldName([...u.path, "role"]), message: `is required: set it on this user, ${field}` });
        }
        if (u.expires !== undefined && !isCalendarDate(u.expires)) {
            const at = [...u.path, "expires"];
            problems.push({ file, ...loc.value(at), field: fieldName(at), message: `${JSON.stringify(u.expires)} is not a date; write the first day without access as YYYY-MM-DD, e.g. 2027-03-31` });
        }
        const keepsLogin = expiryKeepsLogin(u, loc);
        if (keepsLogin) problems.push({ file, ...loc.value([...u.path, "expires"]), field: fieldName([...u.path, "expires"]), message: keepsLogin });
        if (typeof u.args.email !== "string") continue;
        const key = u.args.email.trim().toLowerCase();
        const first = byEmail.get(key);
        if (first) {
            problems.push({
                file,
                ...loc.value([...u.path, "email"]),
                field: fieldName([...u.path, "email"]),
                message: `duplicate user: ${u.args.email.trim()} is already declared at line ${loc.value(first.path).line} (emails are compared case-insensitively)`,
            });
        } else byEmail.set(key, u);
    }
    for (const u of users) {
        u.formerEmails.forEach((former, i) => {
            const other = byEmail.get(former.trim().toLowerCase());
            if (other === u) {
                const path = [...u.path, "formerEmails", i];
                problems.push({
                    file,
                    ...loc.value(path),
                    field: fieldName(path),
                    message: `${former} is this user's own email; list only emails the user had before (or remove formerEmails)`,
                });
            } else if (other) {
                const path = [...u.path, "formerEmails", i];
                problems.push({
                    file,
                    ...loc.value(path),
                    field: fieldName(path),
                    message: `${former} is the email of the user declared at line ${loc.value(other.path).line}; a former email cannot belong to another user`,
                });
            }
        });
    }
    return problems;
}

function tagProblem(file: string, doc: Document, loc: Locator, text: string, code: string, message: string, pos: [number, number]): Problem {
    const tag = /^!\S*/.exec(text.slice(pos[0]))?.[0];
    // The tag stands before its value: name the field of what follows it.
    const after = pos[0] + (tag?.length ?? 0) + 1;
    const path = pathAt(doc.contents as Node | null, after);
    if (code === "TAG_RESOLVE_FAILED" && tag) {
        return { file, ...loc.at(pos[0]), field: fieldName(path) || "yaml", message: `unknown YAML tag ${tag}: a users file holds plain values; remove the tag` };
    }
    return { file, ...loc.at(pos[0]), field: fieldName(path) || "yaml", message: message.split("\n")[0]! };
}

/**
 * Every key and text value holding an invisible character (../escape/invisible), at the column
 * where it stands in the file. Checked before the schema, whose message could only say
 * which character of the value it is.
 */
function invisibleCharacters(file: string, root: Node | null, text: string, loc: Locator): Problem[] {
    const problems: Problem[] = [];
    const check = (node: unknown, path: Path) => {
        if (!isScalar(node) || typeof node.value !== "string") return;
        const hit = findInvisible(node.value);
        if (!hit) return;
        const [start, end] = node.range ?? [0, 0];
        const where = loc.at(start + sourceIndex(text.slice(start, end), hit.char, hit.index));
        problems.push({ file, ...where, field: fieldName(path) || "yaml", message: invisibleMessage(hit.char, "") });
    };
    const walk = (node: unknown, path: Path) => {
        if (isMap(node)) {
            for (const pair of node.items) {
                const key = isScalar(pair.key) ? String(pair.key.value) : "?";
                check(pair.key, [...path, key]);
                walk(pair.value, [...path, key]);
            }
        } else if (isSeq(node)) {
            node.items.forEach((item, i) => walk(item, [...path, i]));
        } else check(node, path);
    };
    walk(root, []);
    return problems;
}

/**
 * Where the value's character number `index` stands in its source: the character itself, or
 * in a double-quoted scalar the escape that wrote it (`"Ana\0Lopez"`); else the value's start.
 */
function sourceIndex(source: string, char: string, index: number): number {
    if (source.startsWith('"')) {
        let decoded = 0;
        for (let i = 1; i < source.length; i++) {
            if (decoded === index) return i;
            if (source[i] === "\\") i += ({ x: 2, u: 4, U: 8 } as Record<string, number>)[source[i + 1] ?? ""] ?? 1;
            decoded++;
        }
        return 0;
    }
    const literal = source.indexOf(char);
    return literal >= 0 ? literal : 0;
}

/**
 * The file's YAML errors as problems. A duplicate key is a problem of its own, each one
 * reported; a syntax error is reported once, the first: what the parser says after it is
 * the same mistake seen again from a tree that no longer means what the file meant (one
 * tab gave ten problems, with paths made of the next lines' text), so no field is named.
 */
function syntaxProblems(file: string, text: string, doc: Document, loc: Locator, errors: readonly { code: string; message: string; pos: [number, number] }[]): Problem[] {
    const syntax = errors.filter((e) => e.code !== "DUPLICATE_KEY").sort((a, b) => a.pos[0] - b.pos[0]);
    if (syntax.length === 0) return errors.map((e) => duplicateKey(file, doc, loc, e.pos));
    const first = syntax[0]!;
    return [{ file, ...loc.at(faultAt(text, first)), field: "yaml", message: syntaxMessage(first.code, first.message) }];
}

/**
 * Where the mistake is written. A line indented deeper than its neighbours reads as the
 * continuation of the value above it, and the parser reports that value, mid-line and one
 * line early: the line at fault is the next one written.
 */
function faultAt(text: string, error: { code: string; pos: [number, number] }): number {
    if (error.code !== "BLOCK_AS_IMPLICIT_KEY" && error.code !== "MULTILINE_IMPLICIT_KEY") return error.pos[0];
    // Reported where a line begins (an entry indented too little), the mistake is that line.
    const lineStart = text.lastIndexOf("\n", error.pos[0] - 1) + 1;
    if (text.slice(lineStart, error.pos[0]).trim() === "") return error.pos[0];
    const next = /\n[ ]*(?=[^\s#])/g;
    next.lastIndex = error.pos[0];
    const found = next.exec(text);
    return found ? found.index + found[0].length : error.pos[0];
}

function duplicateKey(file: string, doc: Document, loc: Locator, pos: [number, number]): Problem {
    const path = pathAt(doc.contents as Node | null, pos[0]);
    const key = String(path[path.length - 1] ?? "");
    return { file, ...loc.at(pos[0]), field: fieldName(path), message: `duplicate key "${key}": a key may appear only once in a mapping` };
}

/** What the YAML library says, and what to do about it. */
function syntaxMessage(code: string, said: string): string {
    const what = said.replace(/\s+/g, " ").trim();
    if (code === "MULTIPLE_DOCS") return "holds more than one YAML document (a second `---`); keep all users in one document";
    if (code === "TAB_AS_INDENT") return "a tab indents this line; YAML indents with spaces only: replace the tab with spaces, as many as the lines around it use";
    const bracket = /end with an? ([\]}])/.exec(what);
    if (bracket) return `a list or map opened with ${bracket[1] === "]" ? "[" : "{"} is not closed with ${bracket[1]} (${what}): close it on the line where it opens, or write it as lines starting with \`- \``;
    return (
        `this line does not fit where it stands (${what}); usually its indentation differs from the lines around it: ` +
        "align each key of an entry with the one above it, and start each entry with `- ` at the same column as the others"
    );
}

/** The deepest key path whose node spans `offset`, to name the field near a syntax error. */
function pathAt(node: Node | null, offset: number): Path {
    const path: Path = [];
    let cur: unknown = node;
    for (;;) {
        if (isMap(cur)) {
            const hit = cur.items.find((p) => isPair(p) && spans(p.value, offset) || (isPair(p) && spans(p.key, offset)));
            if (!hit || !isScalar(hit.key)) return path;
            path.push(String(hit.key.value));
            cur = hit.value;
        } else if (isSeq(cur)) {
            const i = cur.items.findIndex((item) => spans(item, offset));
            if (i < 0) return path;
            path.push(i);
            cur = cur.items[i];
        } else return path;
    }
}

function spans(node: unknown, offset: number): boolean {
    const range = (node as { range?: [number, number, number] } | null)?.range;
    return !!range && range[0] <= offset && offset <= range[2];
}
