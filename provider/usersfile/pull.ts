// `pull`: accept what was changed in the Bitsight UI by writing it into the users file.
// Only where the account differs, and where it is written: a field set on the user is
// rewritten (or removed, when the new value is what the user's team or the file gives by
// default); a field inherited from defaults is added to the user. Comments, key order,
// anchors, teams and defaults stay as they are (./edit). Pure: the file's
// text, its parse, the account in; the new text and what changed out.
import { isMap, isSeq, parseDocument, type YAMLMap } from "yaml";
import type { AccessGroups } from "../account/users-api";
import { declarableRole, roleText, splitRoles } from "../model/roles";
import { emailKey, GUID } from "../model/user-model";
import type { ApiUser } from "../model/wire";
import { scalarText, TextEdits } from "./edit";
import { groupGuid, groupReference } from "./groups";
import { derivedFriendlyName, loaderProblems, type DeclaredUser, type ParsedUsersFile } from "./parse";
import { fieldName, type Problem } from "./problems";
import { writeReadable, type Owner } from "./read-back";
import { forTerminal } from "../escape/terminal";
import { ruleFor } from "./unmanaged-rules";
import { identityKeys } from "./model";
import type { ApiToken } from "../account/api-tokens";
import { tokenEntry } from "./token-entries";
import { pullGroups } from "./pull-groups";

export interface Pulled {
    text: string;
    /** One line a change: `bob@example.com: role customer_user -> customer_admin`. */
    changes: string[];
    /** Users that could not be written, and why (they need a hand edit). */
    skipped: string[];
    /** Which user each edited or appended entry is, by its field path (`users[3]`), so a problem the loader finds there names them. */
    owners: (Owner & { email: string })[];
    /** Account users the file neither declares nor acknowledges, left out (without --include-undeclared): `email (role)`, shown. */
    undeclared: string[];
    /** With an apiTokens: section: the account's tokens it does not declare, left out (without --include-undeclared), shown. */
    undeclaredTokens: string[];
    /** With a groups: section: the account's groups it does not declare, left out (without --include-undeclared), shown. */
    undeclaredGroups: string[];
}

export interface PullOptions {
    includeUndeclared: boolean;
    /** Emails, as keys (emailKey), left as they are (declared) or not appended (undeclared); a token by tokenKey. */
    exclude?: ReadonlySet<string>;
    /** The account's company API tokens, for a file with an apiTokens: section. */
    apiTokens?: ApiToken[];
    /** The companies each declared group that declares companies: sees now, by lower-cased GUID. */
    groupCompanies?: ReadonlyMap<string, string[]>;
}

/** A token's key among the excluded. */
const tokenKey = (tok: ApiToken) => `token:${tok.guid}`;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

export function pullUsersFile(text: string, parsed: ParsedUsersFile, account: ApiUser[], groups: AccessGroups, opts: PullOptions): Pulled {
    const doc = parseDocument(text);
    const w: Writing = {
        doc,
        data: doc.toJS({ maxAliasCount: 1000 }) as Obj,
        edits: new TextEdits(text),
        groups,
        // As the loader resolves them: by GUID, or by name (exact, else in any case).
        resolve: (ref: unknown) => groupGuid(ref, groups),
        out: { changes: [], skipped: [], owners: [] },
    };
    const excluded = (email: string) => opts.exclude?.has(emailKey(email)) === true;
    const byEmail = new Map(account.map((u) => [emailKey(u.email), u]));
    const declared = new Set<string>();
    for (const u of parsed.users) {
        const emails = identityKeys(u);
        emails.forEach((e) => declared.add(e));
        const found = emails.map((e) => byEmail.get(e)).find(Boolean);
        if (found && !excluded(String(u.args.email))) pullDeclared(w, u, found);
    }
    // Users removed on purpose are never proposed back: their entry says what is left of them.
    const acknowledged = new Set([...parsed.unmanaged, ...parsed.removed].map((m) => emailKey(m.email)));
    const tokensDeclared = parsed.users.some((u) => u.args.isCompanyApiToken === true);
    const add = account
        .filter((a) => !declared.has(emailKey(a.email)) && !acknowledged.has(emailKey(a.email)) && !ruleFor(a, parsed.unmanagedRules) && (!a.is_company_api_token || tokensDeclared) && !excluded(a.email))
        .sort((a, b) => a.email.localeCompare(b.email));
    if (opts.includeUndeclared) appendUndeclared(w, add);
    const undeclared = opts.includeUndeclared ? [] : add.map((a) => `${forTerminal(a.email)} (${forTerminal(roleText(a.roles.map((r) => r.slug))) || "no role"})`);
    const tokens = parsed.declaresApiTokens ? (opts.apiTokens ?? []) : [];
    const named = new Set(parsed.apiTokens.map((d) => d.description));
    const newTokens = tokens.filter((x) => !named.has(x.description) && !opts.exclude?.has(tokenKey(x))).sort((a, b) => a.description.localeCompare(b.description));
    if (opts.includeUndeclared) appendTokens(w, newTokens, tokens, account);
    const undeclaredTokens = opts.includeUndeclared ? [] : newTokens.map((x) => `${forTerminal(x.description)} (token ${x.token})`);
    const undeclaredGroups = pullGroups(w, parsed, groups, opts.includeUndeclared, opts.exclude, opts.groupCompanies);
    return { text: w.edits.apply(), ...w.out, undeclared, undeclaredTokens, undeclaredGroups };
}

/** One pull's file, its edits, and what it says it did. */
interface Writing {
    doc: ReturnType<typeof parseDocument>;
    /** The file's data, anchors and merges resolved. */
    data: Obj;
    edits: TextEdits;
    groups: AccessGroups;
    resolve: (ref: unknown) => string | undefined;
    out: Pick<Pulled, "changes" | "skipped" | "owners">;
}

/** A declared user's entry, edited to what the account holds: only the fields that differ, each where it is written. */
function pullDeclared(w: Writing, u: DeclaredUser, found: ApiUser): void {
    const t = forTerminal;
    const { edits, out, resolve } = w;
    out.owners.push({ field: fieldName(u.path), key: emailKey(String(u.args.email)), email: String(u.args.email) });
    const entry = w.doc.getIn(u.path, true);
    if (!isMap(entry) || entry.range === undefined) {
        out.skipped.push(`${u.args.email}: its entry is not written as a mapping here (an alias?); edit it by hand`);
        return;
    }
    // The declared role is compared with the user's role in the same product (a VRM or TMH
    // role beside it is not the file's); a user with none there is written as export would.
    const slugs = found.roles.map((r) => r.slug);
    const same = splitRoles(slugs, String(u.args.role)).same;
    const held = same.length > 0 ? same : [declarableRole(slugs)].filter((r): r is string => r !== undefined);
    if (held.length !== 1) {
        out.skipped.push(`${u.args.email}: holds ${found.roles.length} roles in the account (${t(roleText(slugs)) || "none"}); a users file declares one, so decide and edit by hand`);
        return;
    }
    const inherited = defaultsOf(w.data, u);
    const field = (name: string, now: unknown, wanted: unknown, shown = (v: unknown) => t(String(v))) => {
        if (sameValue(name, now, wanted, resolve)) return;
        setField(edits, entry, name, wanted, inherited[name], resolve, u);
        out.changes.push(`${u.args.email}: ${name} ${now === undefined ? "(default)" : shown(now)} -> ${shown(wanted)}`);
    };
    field("formalName", u.args.formalName, found.formal_name);
    // friendlyName is written only where it is not the first word of formalName.
    if (u.args.friendlyName !== found.friendly_name) {
        if (found.friendly_name !== derivedFriendlyName(found.formal_name)) edits.set(entry, "friendlyName", found.friendly_name);
        else if (isOwn(u, "friendlyName")) edits.delete(entry, "friendlyName");
        out.changes.push(`${u.args.email}: friendlyName ${t(String(u.args.friendlyName))} -> ${t(found.friendly_name)}`);
    }
    field("role", u.args.role, held[0]);
    if (u.args.group !== undefined && found.group) {
        const declaredRef = String(u.args.group);
        const accountRef = GUID.test(declaredRef) ? found.group.guid : groupReference(found.group.guid, w.groups);
        const name = (v: unknown) => t(w.groups.groups.find((g) => g.guid.toLowerCase() === (resolve(v) ?? "").toLowerCase())?.name ?? String(v));
        field("group", declaredRef, accountRef, name);
    }
    // Required in the UI: only `pending` says so (an `enabled` user may have set 2FA up unasked), and pull never lowers it.
    if (u.args.mfa === undefined && found.mfa_status === "pending") field("mfa", undefined, "required");
    for (const [flag, api] of [["isAvailableForContact", found.is_available_for_contact], ["isCompanyApiToken", found.is_company_api_token]] as const) {
        if (u.args[flag] !== undefined) field(flag, u.args[flag], api);
    }
    const features = u.args.features as Record<string, boolean> | undefined;
    const changed: Record<string, boolean> = {};
    for (const [slug, value] of Object.entries(features ?? {})) {
        const now = found.features.find((f) => f.slug === slug)?.value;
        if (now === undefined || now === value) continue;
        changed[slug] = now;
        out.changes.push(`${u.args.email}: features.${slug} ${value} -> ${now}`);
    }
    // All of a user's features in one edit: several would each add a `features:` key.
    if (Object.keys(changed).length) setFeatures(edits, entry, changed, inherited["features"], ownData(w.data, u.path)["features"]);
}

/** `--include-undeclared`: each account user the file does not know, appended to `users:` as export would write it. */
function appendUndeclared(w: Writing, add: ApiUser[]): void {
    const t = forTerminal;
    const { out } = w;
    const fileDefaults = isObj(w.data["defaults"]) ? w.data["defaults"] : {};
    const users = w.doc.get("users", true);
    let index = isSeq(users) ? users.items.length : 0;
    for (const a of add) {
        const role = declarableRole(a.roles.map((r) => r.slug));
        if (role === undefined) {
            out.skipped.push(`${t(a.email)}: not declared, and holds ${a.roles.length} roles; add it by hand or under unmanaged:`);
            continue;
        }
        if (!isSeq(users) || users.flow || users.items.length === 0) {
            out.skipped.push(`${t(a.email)}: not declared, and the file's top-level users: is not a block list to append to; add it by hand`);
            continue;
        }
        out.owners.push({ field: `users[${index++}]`, key: emailKey(a.email), email: a.email });
        w.edits.append(users, newEntry(a, role, fileDefaults, w.groups, w.resolve));
        out.changes.push(`${t(a.email)}: added (${t(role)}${a.group ? `, ${t(a.group.name)}` : ""})`);
    }
}

/** Each token made in the UI, appended to apiTokens: as export writes one (./token-entries). */
function appendTokens(w: Writing, add: ApiToken[], all: ApiToken[], account: ApiUser[]): void {
    const seq = w.doc.get("apiTokens", true);
    let index = isSeq(seq) ? seq.items.length : 0;
    for (const tok of add) {
        const e = tokenEntry(tok, all, account, w.groups);
        if ("left" in e) {
            w.out.skipped.push(e.left);
            continue;
        }
        if (!isSeq(seq) || seq.flow || seq.items.length === 0) {
            w.out.skipped.push(`token ${forTerminal(tok.description)} (${tok.token}): not declared, and the file's apiTokens: is not a block list to append to; add it by hand`);
            continue;
        }
        w.out.owners.push({ field: `apiTokens[${index++}]`, key: tokenKey(tok), email: `token ${tok.description}` });
        const q = scalarText;
        w.edits.append(seq, [`- description: ${q(e.description)}`, `for: ${q(e.for)}`, ...(e.group ? [`group: ${q(e.group)}`] : []), `reason: ${q(e.reason)}`]);
        w.out.changes.push(`token ${forTerminal(tok.description)} (${tok.token}): added, for ${forTerminal(e.for)}`);
    }
}

/**
 * Pulls, then reads the result back with the loader: a user whose account values the
 * loader refuses (an invisible character in a name, a role the schema does not know) or
 * the file's policy refuses (an Admin made in the UI, without the `reason:` the policy
 * wants) is left as the file has it, or not appended, and reported by name; the rest is
 * pulled. A command never writes a file the loader will not read back: the next pull, plan
 * or `pulumi up` would refuse it. A problem no user owns means the edit itself is wrong:
 * that throws, and nothing is written.
 */
export function pullReadable(text: string, parsed: ParsedUsersFile, account: ApiUser[], groups: AccessGroups, opts: PullOptions): Pulled {
    const pulled = (exclude: ReadonlySet<string>) => pullUsersFile(text, parsed, account, groups, { ...opts, exclude });
    let excluded: ReadonlySet<string> = new Set(opts.exclude);
    const { written, refused } = writeReadable(
        (exclude) => pulled((excluded = exclude)),
        (result) => (result.text === text ? [] : loaderProblems(result.text, parsed.file).map((p) => ownedProblem(p, result, (o) => pulled(new Set([...excluded, o.key])).text, parsed.file))),
        "pull",
        new Set(opts.exclude),
    );
    const why = refused.map((r) =>
        r.message.startsWith("policy.")
            ? `${forTerminal(r.owner.email)}: the file's policy refuses the account's values (${r.message}); edit the entry by hand as the policy asks, or change the user in the Bitsight UI`
            : `${forTerminal(r.owner.email)}: the account's values would not pass validate (${r.field}: ${r.message}); fix the user in the Bitsight UI, then pull again`,
    );
    return { ...written, skipped: [...why, ...written.skipped] };
}

/**
 * A problem of the file as a whole (policy.maxAdmins: one Admin too many) names no entry:
 * it is put on the first pulled user without whose change it is gone. Otherwise as found.
 */
function ownedProblem(p: Problem, result: Pulled, without: (o: Owner) => string, file: string): Problem {
    if (result.owners.some((o) => p.field === o.field || p.field.startsWith(`${o.field}.`))) return p;
    const culprit = result.owners.find((o) => !loaderProblems(without(o), file).some((q) => q.field === p.field && q.message === p.message));
    return culprit ? { ...p, field: culprit.field } : p;
}

/** The value each field has before the user's own entry: its team's defaults over the file's. */
function defaultsOf(data: Obj, u: DeclaredUser): Obj {
    const file = isObj(data["defaults"]) ? data["defaults"] : {};
    const teams = isObj(data["teams"]) ? data["teams"] : {};
    const team = u.team !== undefined && isObj(teams[u.team]) ? (teams[u.team] as Obj) : {};
    const teamDefaults = isObj(team["defaults"]) ? team["defaults"] : {};
    const features = { ...(isObj(file["features"]) ? file["features"] : {}), ...(isObj(teamDefaults["features"]) ? teamDefaults["features"] : {}) };
    return { ...file, ...teamDefaults, features };
}

function sameValue(name: string, a: unknown, b: unknown, resolve: (v: unknown) => string | undefined): boolean {
    if (name === "group") return resolve(a) !== undefined && resolve(a) === resolve(b);
    return a === b;
}

/** Whether the user's own entry writes `field` (and not a default). */
function isOwn(u: DeclaredUser, field: string): boolean {
    const at = u.origin[field];
    return at !== undefined && at.length === u.path.length + 1 && u.path.every((p, i) => p === at[i]);
}

/** The account's value into the user's entry: removed when it equals what the user inherits, written otherwise. */
function setField(edits: TextEdits, entry: YAMLMap, name: string, wanted: unknown, inherited: unknown, resolve: (v: unknown) => string | undefined, u: DeclaredUser): void {
    if (inherited !== undefined && sameValue(name, inherited, wanted, resolve)) {
        if (isOwn(u, name)) edits.delete(entry, name);
        return;
    }
    edits.set(entry, name, wanted);
}

/**
 * The user's changed features into its entry, in one edit per place. A block `features`
 * map of its own is edited key by key; a value equal to what the defaults give is removed
 * (the whole map when nothing would be left). A flow map of its own, one that is an alias
 * of an anchor others share, or none at all (every feature inherited) is written as one
 * flow map of what the user needs beyond its defaults.
 */
function setFeatures(edits: TextEdits, entry: YAMLMap, changed: Record<string, boolean>, inherited: unknown, own: unknown): void {
    const fromDefaults = (slug: string) => (isObj(inherited) ? inherited[slug] : undefined);
    const merged: Obj = { ...(isObj(own) ? own : {}), ...changed };
    const kept = Object.entries(merged).filter(([k, v]) => fromDefaults(k) !== v);
    const flow = `{ ${kept.map(([k, v]) => `${k}: ${String(v)}`).join(", ")} }`;
    const node = entry.get("features", true);
    if (isMap(node) && !node.flow) {
        if (kept.length === 0) return edits.delete(entry, "features");
        for (const [slug, wanted] of Object.entries(changed)) {
            if (fromDefaults(slug) !== wanted) edits.set(node, slug, wanted);
            else edits.delete(node, slug);
        }
        return;
    }
    if (node === undefined || node === null) {
        if (kept.length) edits.add(entry, `features: ${flow}`);
        return;
    }
    if (kept.length === 0) edits.delete(entry, "features");
    else {
        const range = (node as { range: [number, number, number] }).range;
        edits.replace(range[0], range[1], flow);
    }
}

function ownData(data: Obj, path: (string | number)[]): Obj {
    let at: unknown = data;
    for (const p of path) at = isObj(at) || Array.isArray(at) ? (at as Record<string | number, unknown>)[p] : undefined;
    return isObj(at) ? at : {};
}

/** An undeclared account user as a new entry, leaving out what the file's defaults give. */
function newEntry(a: ApiUser, role: string, defaults: Obj, groups: AccessGroups, resolve: (v: unknown) => string | undefined): string[] {
    const q = scalarText;
    const lines = [`- email: ${q(a.email)}`, `formalName: ${q(a.formal_name)}`];
    if (a.friendly_name !== derivedFriendlyName(a.formal_name)) lines.push(`friendlyName: ${q(a.friendly_name)}`);
    if (defaults["role"] !== role) lines.push(`role: ${role}`);
    if (a.group && resolve(defaults["group"]) !== a.group.guid.toLowerCase()) lines.push(`group: ${q(groupReference(a.group.guid, groups))}`);
    if (a.is_company_api_token) lines.push("isCompanyApiToken: true");
    if (a.mfa_status === "pending" && defaults["mfa"] !== "required") lines.push("mfa: required");
    if (defaults["adopt"] !== true) lines.push("adopt: true");
    return lines;
}
