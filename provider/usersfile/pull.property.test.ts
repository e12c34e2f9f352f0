// pull, as a property: for generated users files (block and flow entries, any key order,
// comments, file and per-user defaults, features inherited or own, LF or CRLF) and
// generated changes made in the Bitsight UI, the pulled file reads back, plans in sync,
// and every line pull did not need to change is left byte for byte.
import { strict as assert } from "assert";
import fc from "fast-check";
import { parseDocument } from "yaml";
import { GROUPS } from "../../test/emulator/seed";
import type { ApiUser } from "../model/wire";
import { resolveGroups } from "./groups";
import { parseUsersFile } from "./parse";
import { computePlan } from "../cli/plan/decide";
import { pullReadable } from "./pull";

const ROLES = ["customer_user", "customer_admin", "customer_group_admin", "customer_portfolio_manager"] as const;
const GROUP_LIST = Object.values(GROUPS);
const ACCESS_GROUPS = { groups: GROUP_LIST, defaultGroup: GROUPS.all.guid };
const FEATURES = ["wfh-ro", "fq-access"] as const;
const NAMES = ["Ann Lee", "Bo Chan", "Cy Diaz", "Di Eke", "Ed Fox"];
/** Runs of the property; each is a whole file and a whole account. */
export const RUNS = 300;

type Features = Partial<Record<(typeof FEATURES)[number], boolean>>;

interface GenUser {
    formalName: string;
    friendlyName?: string;
    role?: string;
    group?: string;
    features?: Features;
    contact?: boolean;
    flow: boolean;
    /** Which key goes first, then the rest in this rotation. */
    rotate: number;
    /** Features written as a flow map inside a block entry. */
    flowFeatures: boolean;
    comment: boolean;
}

interface GenFile {
    defaults: { role?: string; group?: string; features?: Features };
    users: GenUser[];
    crlf: boolean;
}

interface Change {
    formalName?: string;
    friendlyName?: string;
    role?: string;
    group?: string;
    features?: Features;
    contact?: boolean;
}

const features = fc.record({ "wfh-ro": fc.boolean(), "fq-access": fc.boolean() }, { requiredKeys: [] }) as fc.Arbitrary<Features>;
const someFeatures = features.filter((f) => Object.keys(f).length > 0);

const genFile: fc.Arbitrary<GenFile> = fc
    .record({
        defaults: fc.record(
            { role: fc.constantFrom(...ROLES), group: fc.constantFrom(...GROUP_LIST.map((g) => g.name)), features: someFeatures },
            { requiredKeys: [] },
        ),
        users: fc.array(
            fc.record(
                {
                    formalName: fc.constantFrom(...NAMES),
                    friendlyName: fc.constantFrom("Al", "Bea", "Cid"),
                    role: fc.constantFrom(...ROLES),
                    group: fc.constantFrom(...GROUP_LIST.map((g) => g.name)),
                    features: someFeatures,
                    contact: fc.boolean(),
                    flow: fc.boolean(),
                    rotate: fc.nat(8),
                    flowFeatures: fc.boolean(),
                    comment: fc.boolean(),
                },
                { requiredKeys: ["formalName", "flow", "rotate", "flowFeatures", "comment"] },
            ),
            { minLength: 1, maxLength: 4 },
        ),
        crlf: fc.boolean(),
    })
    // Every user has a role: its own or the file's default.
    .map((f) => ({ ...f, users: f.users.map((u) => (u.role || f.defaults.role ? u : { ...u, role: "customer_user" })) }));

const genChange: fc.Arbitrary<Change> = fc.record(
    {
        formalName: fc.constantFrom(...NAMES),
        friendlyName: fc.constantFrom("Al", "Bea", "Zed"),
        role: fc.constantFrom(...ROLES),
        group: fc.constantFrom(...GROUP_LIST.map((g) => g.guid)),
        features,
        contact: fc.boolean(),
    },
    { requiredKeys: [] },
);

const email = (i: number) => `u${i}@example.com`;
const flowMap = (f: Features) => `{ ${Object.entries(f).map(([k, v]) => `${k}: ${String(v)}`).join(", ")} }`;

/** The users file's text, and where each user's entry is (line numbers, 0-based, end exclusive). */
function render(file: GenFile): string {
    const lines: string[] = ["# Generated users file", ""];
    const d = file.defaults;
    if (d.role || d.group || d.features) {
        lines.push("defaults:");
        if (d.role) lines.push(`  role: ${d.role}   # the usual role`);
        if (d.group) lines.push(`  group: ${d.group}`);
        if (d.features) lines.push(`  features: ${flowMap(d.features)}`);
        lines.push("");
    }
    lines.push("users:");
    file.users.forEach((u, i) => {
        if (u.comment) lines.push("  # a person");
        const fields: [string, string][] = [["email", email(i)], ["formalName", u.formalName]];
        if (u.friendlyName) fields.push(["friendlyName", u.friendlyName]);
        if (u.role) fields.push(["role", u.role]);
        if (u.group) fields.push(["group", u.group]);
        if (u.contact !== undefined) fields.push(["isAvailableForContact", String(u.contact)]);
        fields.push(["adopt", "true"]);
        if (u.features) fields.push(["features", flowMap(u.features)]);
        const r = u.rotate % fields.length;
        const ordered = [...fields.slice(r), ...fields.slice(0, r)];
        if (u.flow) {
            lines.push(`  - { ${ordered.map(([k, v]) => `${k}: ${v}`).join(", ")} }`);
            return;
        }
        ordered.forEach(([k, v], n) => {
            const lead = n === 0 ? "  - " : "    ";
            if (k === "features" && !u.flowFeatures) {
                lines.push(`${lead}features:`, ...Object.entries(u.features!).map(([f, b]) => `      ${f}: ${String(b)}`));
            } else lines.push(`${lead}${k}: ${v}${u.comment && n === 1 ? "   # kept" : ""}`);
        });
    });
    return lines.map((l) => `${l}${file.crlf ? "\r\n" : "\n"}`).join("");
}

/** The account's user as the file declares it, then as the UI changed it. */
function accountUser(file: GenFile, i: number, change: Change): ApiUser {
    const u = file.users[i]!;
    const d = file.defaults;
    const groupName = u.group ?? d.group ?? GROUPS.all.name;
    const declaredFeatures = { ...d.features, ...u.features };
    const group = GROUP_LIST.find((g) => g.guid === change.group) ?? GROUP_LIST.find((g) => g.name === groupName)!;
    const feats = { ...declaredFeatures, ...change.features };
    const formal = change.formalName ?? u.formalName;
    return {
        guid: `e0000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
        email: email(i),
        formal_name: formal,
        friendly_name: change.friendlyName ?? u.friendlyName ?? formal.split(" ")[0]!,
        group: { guid: group.guid, name: group.name },
        status: "Activated",
        last_login_time: null,
        joined_time: null,
        roles: [{ slug: change.role ?? u.role ?? d.role!, name: "" }],
        is_available_for_contact: change.contact ?? u.contact ?? false,
        is_company_api_token: false,
        features: FEATURES.map((slug) => ({ slug, value: feats[slug] ?? false, can_update: true })),
        mfa_status: null,
    };
}

/** Lines of the text, each with its line ending. */
const linesOf = (text: string) => text.split(/(?<=\n)/);

describe("pull, as a property of generated users files and UI changes", function () {
    this.timeout(120_000);

    it(`reads back, plans in sync, and leaves every line it need not change (${RUNS} files)`, () => {
        fc.assert(
            fc.property(
                genFile.chain((file) => fc.tuple(fc.constant(file), fc.array(fc.option(genChange, { nil: undefined }), { minLength: file.users.length, maxLength: file.users.length }))),
                ([file, changes]) => {
                    const text = render(file);
                    const parsed = parseUsersFile(text, "users.yaml");
                    const account = file.users.map((_, i) => accountUser(file, i, changes[i] ?? {}));
                    const pulled = pullReadable(text, parsed, account, ACCESS_GROUPS, { includeUndeclared: false });
                    assert.deepEqual(pulled.skipped, []);
                    assert.deepEqual(pulled.undeclared, []);

                    const again = parseUsersFile(pulled.text, "users.yaml");
                    const plan = computePlan({ file: "users.yaml", declared: resolveGroups(again, ACCESS_GROUPS), account, groups: ACCESS_GROUPS });
                    assert.deepEqual([plan.create, plan.change, plan.undeclared], [[], [], []], `not in sync:\n${pulled.text}\n${JSON.stringify(plan.change)}`);

                    // The lines of users pull did not change, and every line outside the users, stay as they were, in order.
                    const doc = parseDocument(text);
                    const changedLines = new Set<number>();
                    const starts = [0, ...linesOf(text).map((l) => l.length)].map((_, n, a) => a.slice(0, n + 1).reduce((x, y) => x + y, 0));
                    const lineAt = (offset: number) => starts.findIndex((s, n) => offset >= s && offset < (starts[n + 1] ?? Infinity));
                    account.forEach((a, i) => {
                        if (!pulled.changes.some((c) => c.startsWith(`${a.email}:`))) return;
                        const range = (doc.getIn(["users", i], true) as { range: [number, number, number] }).range;
                        for (let n = lineAt(range[0]); n <= lineAt(Math.max(range[0], range[1] - 1)); n++) changedLines.add(n);
                    });
                    if (changedLines.size === 0) assert.equal(pulled.text, text);
                    let at = 0;
                    linesOf(text).forEach((line, n) => {
                        if (changedLines.has(n)) return;
                        const found = pulled.text.indexOf(line, at);
                        assert.ok(found >= at, `line ${n + 1} ${JSON.stringify(line)} lost or moved:\n${text}---\n${pulled.text}`);
                        at = found + line.length;
                    });
                    if (file.crlf) assert.doesNotMatch(pulled.text, /[^\r]\n/, "a CRLF file stays CRLF");

                    // A second pull finds nothing to do.
                    assert.deepEqual(pullReadable(pulled.text, again, account, ACCESS_GROUPS, { includeUndeclared: false }).changes, []);
                },
            ),
            { numRuns: RUNS, seed: 20261201 },
        );
    });
});
