// The file's `apiTokens:` section: the company API tokens that should exist, each known by
// its description (the API has no other name a person writes). Read after the schema has
// passed; judged offline: one entry per description, an `expires:` that is a real date
// and, under policy.maxApiTokenAgeDays, one within that many days.
import type { DeclaredApiToken } from "./model";
import type { Locator, Path } from "./positions";
import { addDays, isCalendarDate } from "./expiry";
import { fieldName, type Problem } from "./problems";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

export function apiTokensOf(data: Obj): DeclaredApiToken[] {
    const list = Array.isArray(data["apiTokens"]) ? (data["apiTokens"] as unknown[]) : [];
    return list.flatMap((e, i) => {
        if (!isObj(e) || typeof e["description"] !== "string" || typeof e["for"] !== "string" || typeof e["reason"] !== "string") return [];
        const t: DeclaredApiToken = { description: e["description"].trim(), for: e["for"].trim(), reason: e["reason"].trim(), path: ["apiTokens", i] };
        if (typeof e["group"] === "string") t.group = e["group"].trim();
        if (typeof e["expires"] === "string") t.expires = e["expires"];
        return [t];
    });
}

/** Whether the section is there at all (`apiTokens: []` included): then the account's other tokens are differences. */
export function declaresApiTokens(data: unknown): boolean {
    return isObj(data) && Array.isArray(data["apiTokens"]);
}

export function checkApiTokens(tokens: DeclaredApiToken[], maxAgeDays: number | undefined, today: string, file: string, loc: Locator): Problem[] {
    const problems: Problem[] = [];
    const at = (path: Path, message: string) => problems.push({ file, ...loc.value(path), field: fieldName(path), message });
    const seen = new Map<string, Path>();
    for (const t of tokens) {
        const first = seen.get(t.description);
        if (first) at([...t.path, "description"], `"${t.description}" describes the token at line ${loc.value(first).line} too; a token is known by its description: give each its own`);
        else seen.set(t.description, t.path);
        if (t.expires !== undefined && !isCalendarDate(t.expires)) {
            at([...t.path, "expires"], `"${t.expires}" is not a date; write the first day without the token as YYYY-MM-DD`);
            continue;
        }
        if (maxAgeDays === undefined) continue;
        const latest = addDays(today, maxAgeDays);
        if (t.expires === undefined) at(t.path, `policy.maxApiTokenAgeDays: a token may live ${maxAgeDays} days; add \`expires:\` no later than ${latest}`);
        else if (t.expires > latest) at([...t.path, "expires"], `policy.maxApiTokenAgeDays: a token may live ${maxAgeDays} days; write a date no later than ${latest}, and a new token with a new description before then`);
    }
    return problems;
}
