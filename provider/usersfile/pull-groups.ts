// pull for a file with a `groups:` section: a declared group's flag changed in the Bitsight
// UI is written where the entry is (only the flags the file declares); a group made in the UI
// is named, or with --include-undeclared appended as export writes one (./group-entries).
import { isMap, isSeq, type parseDocument } from "yaml";
import { GROUP_FLAGS as FLAGS, heldAs, type AccessGroups } from "../account/access-groups";
import { forTerminal } from "../escape/terminal";
import { scalarText, type TextEdits } from "./edit";
import { groupEntry, writableGroups } from "./group-entries";
import type { Owner } from "./read-back";
import type { ParsedUsersFile } from "./parse";
import { groupNames } from "./model";

interface GroupWriting {
    doc: ReturnType<typeof parseDocument>;
    edits: TextEdits;
    out: { changes: string[]; skipped: string[]; owners: (Owner & { email: string })[] };
}


/** A group's key among the excluded. */
export const groupKey = (guid: string) => `group:${guid.toLowerCase()}`;

/** Pulls the declared groups' flags; appends (or returns, named) the account's undeclared groups. */
export function pullGroups(w: GroupWriting, parsed: ParsedUsersFile, groups: AccessGroups, includeUndeclared: boolean, exclude: ReadonlySet<string> | undefined, companies?: ReadonlyMap<string, string[]>): string[] {
    if (!parsed.declaresGroups) return [];
    const t = forTerminal;
    for (const d of parsed.groups) {
        const held = heldAs(d, groups);
        const entry = w.doc.getIn(d.path, true);
        if (held.length !== 1 || exclude?.has(groupKey(held[0]!.guid)) || !isMap(entry)) continue;
        const g = held[0]!;
        for (const k of FLAGS) {
            if (d[k] === undefined || g[k] === undefined || d[k] === g[k]) continue;
            w.out.owners.push({ field: `groups[${String(d.path[1])}]`, key: groupKey(g.guid), email: `access group ${d.name}` });
            w.edits.set(entry, k, g[k]);
            w.out.changes.push(`access group ${t(d.name)}: ${k} ${d[k]} -> ${g[k]}`);
        }
        const sees = companies?.get(g.guid.toLowerCase());
        if (d.companies && sees && d.companies.join() !== sees.join()) {
            w.out.owners.push({ field: `groups[${String(d.path[1])}]`, key: groupKey(g.guid), email: `access group ${d.name}` });
            w.edits.set(entry, "companies", sees);
            w.out.changes.push(`access group ${t(d.name)}: companies ${d.companies.length} -> ${sees.length} (${sees.filter((c) => !d.companies!.includes(c)).length} added, ${d.companies.filter((c) => !sees.includes(c)).length} removed in the UI)`);
        }
    }
    const named = new Set(parsed.groups.flatMap(groupNames).map((n) => n.toLowerCase()));
    const added = writableGroups(groups).filter((g) => !named.has(g.name.toLowerCase()) && !exclude?.has(groupKey(g.guid)));
    if (!includeUndeclared) return added.map((g) => `${t(g.name)} (${g.userCount ?? "?"} user${g.userCount === 1 ? "" : "s"})`);
    const seq = w.doc.get("groups", true);
    let index = isSeq(seq) ? seq.items.length : 0;
    for (const g of added) {
        const e = groupEntry(g, groups);
        if ("left" in e) {
            w.out.skipped.push(e.left);
            continue;
        }
        if (!isSeq(seq) || seq.flow || seq.items.length === 0) {
            w.out.skipped.push(`access group ${t(g.name)}: not declared, and the file's groups: is not a block list to append to; add it by hand`);
            continue;
        }
        w.out.owners.push({ field: `groups[${index++}]`, key: groupKey(g.guid), email: `access group ${g.name}` });
        const flags = FLAGS.filter((k) => e[k] !== undefined).map((k) => `${k}: ${String(e[k])}`);
        w.edits.append(seq, [`- name: ${scalarText(e.name)}`, ...flags]);
        w.out.changes.push(`access group ${t(g.name)}: added`);
    }
    return [];
}
