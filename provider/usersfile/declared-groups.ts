// The file's `groups:` section: the access groups that should exist, each known by its name
// (the API's names are not documented as unique; the file's are, letter case aside). Read
// after the schema has passed; judged offline: one entry per name, at most one default.
import { GROUP_FLAGS as FLAGS } from "../account/access-groups";
import type { DeclaredGroup } from "./model";
import type { Locator, Path } from "./positions";
import { fieldName, type Problem } from "./problems";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

export function groupsOf(data: Obj): DeclaredGroup[] {
    const list = Array.isArray(data["groups"]) ? (data["groups"] as unknown[]) : [];
    return list.flatMap((e, i) => {
        if (!isObj(e) || typeof e["name"] !== "string") return [];
        const g: DeclaredGroup = { name: e["name"].trim(), path: ["groups", i] };
        for (const k of FLAGS) if (typeof e[k] === "boolean") g[k] = e[k] as boolean;
        if (typeof e["reason"] === "string") g.reason = e["reason"].trim();
        if (Array.isArray(e["formerNames"])) g.formerNames = (e["formerNames"] as unknown[]).filter((n): n is string => typeof n === "string").map((n) => n.trim());
        if (Array.isArray(e["companies"])) g.companies = [...new Set((e["companies"] as unknown[]).filter((c): c is string => typeof c === "string").map((c) => c.toLowerCase()))].sort();
        return [g];
    });
}

/** Whether the section is there at all (`groups: []` included): then the account's other groups are differences. */
export function declaresGroups(data: unknown): boolean {
    return isObj(data) && Array.isArray(data["groups"]);
}

/** The declared group a user's `group:` names, by name (letter case aside). */
export function declaredGroupNamed(groups: DeclaredGroup[], ref: string | undefined): DeclaredGroup | undefined {
    if (ref === undefined) return undefined;
    const key = ref.trim().toLowerCase();
    return groups.find((g) => g.name.toLowerCase() === key);
}

export function checkGroups(groups: DeclaredGroup[], file: string, loc: Locator): Problem[] {
    const problems: Problem[] = [];
    const at = (path: Path, message: string) => problems.push({ file, ...loc.value(path), field: fieldName(path), message });
    const seen = new Map<string, Path>();
    for (const g of groups) {
        const first = seen.get(g.name.toLowerCase());
        if (first) at([...g.path, "name"], `"${g.name}" names the group at line ${loc.value(first).line} too; a group is known by its name: give each its own`);
        else seen.set(g.name.toLowerCase(), g.path);
    }
    for (const g of groups) {
        (g.formerNames ?? []).forEach((n, i) => {
            const first = seen.get(n.toLowerCase());
            if (first) at([...g.path, "formerNames", i], `"${n}" names the group at line ${loc.value(first).line}: a former name is one no group of the file has now`);
            else seen.set(n.toLowerCase(), [...g.path, "formerNames", i]);
        });
    }
    const defaults = groups.filter((g) => g.isDefault === true);
    for (const g of defaults.slice(1)) {
        at([...g.path, "isDefault"], `the account has one default group, and "${defaults[0]!.name}" (line ${loc.value(defaults[0]!.path).line}) is declared it already: keep \`isDefault: true\` on one group`);
    }
    return problems;
}
