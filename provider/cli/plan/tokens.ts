// The plan's company API tokens: the file's `apiTokens:` against the account's listing,
// read-only. A declared token the account lacks is created; one whose `expires:` has come
// and the account still holds is revoked, and so, with --state, is one the stack manages
// that the file no longer declares, unless it ends as the token this run holds
// (../../resource/api-token never revokes that one); once the file has the section, every
// other token of the account is a difference.
import { mayBeHeld, type ApiToken } from "../../account/api-tokens";
import type { DeclaredApiToken } from "../../usersfile/model";
import { isExpired } from "../../usersfile/expiry";
import type { AccountApiToken, PlannedApiToken, RevokedApiToken } from "./shape";

export interface TokensInput {
    declared: DeclaredApiToken[];
    account: ApiToken[];
    /** The last four characters of the token the CLI runs with, where it knows it. */
    ownLastFour?: string;
    /** With --state: the tokens the stack manages. */
    managed?: { guid: string; description: string }[];
    today: string;
}

export interface PlannedTokens {
    create: PlannedApiToken[];
    revoke: RevokedApiToken[];
    undeclared: AccountApiToken[];
    warnings: string[];
}

const DAY = 86_400_000;

export function planTokens({ declared, account, ownLastFour, managed, today }: TokensInput): PlannedTokens {
    const out: PlannedTokens = { create: [], revoke: [], undeclared: [], warnings: [] };
    const byDescription = new Map<string, ApiToken[]>();
    for (const t of account) byDescription.set(t.description, [...(byDescription.get(t.description) ?? []), t]);
    for (const d of declared) {
        const held = byDescription.get(d.description) ?? [];
        if (held.length > 1) out.warnings.push(`${held.length} company API tokens are described "${d.description}" (${held.map((t) => t.token).join(", ")}): pulumi up refuses to pick one; revoke the extra in the Bitsight UI`);
        if (isExpired(d, today)) {
            if (held.length === 0) out.revoke.push({ description: d.description, guid: null, token: null, why: "expired", expires: d.expires!, state: "gone", detail: null });
            for (const t of held) out.revoke.push(revoked(t, "expired", d.expires!, ownLastFour));
        } else if (held.length === 0) {
            out.create.push({ description: d.description, for: d.for, group: d.group ?? null, reason: d.reason, expires: d.expires ?? null });
        }
    }
    const named = new Set(declared.map((d) => d.description));
    // The stack's tokens the file no longer declares: pulumi up revokes them, by the GUID the stack holds.
    const dropped = new Set((managed ?? []).filter((m) => !named.has(m.description)).map((m) => m.guid.toLowerCase()));
    for (const t of account) {
        if (named.has(t.description)) continue;
        if (dropped.has(t.guid.toLowerCase())) {
            out.revoke.push(revoked(t, "removed", null, ownLastFour));
            continue;
        }
        out.undeclared.push({ guid: t.guid, description: t.description, token: t.token, createdDate: t.createdDate, creatorName: t.creatorName, group: t.group, ageDays: Math.floor((Date.parse(`${today}T00:00:00Z`) - Date.parse(t.createdDate)) / DAY) });
    }
    const order = <T extends { description: string }>(list: T[]) => list.sort((a, b) => a.description.localeCompare(b.description));
    order(out.create);
    order(out.revoke);
    order(out.undeclared);
    return out;
}

function revoked(t: ApiToken, why: "expired" | "removed", expires: string | null, ownLastFour: string | undefined): RevokedApiToken {
    const own = mayBeHeld(t, ownLastFour);
    return {
        description: t.description,
        guid: t.guid,
        token: t.token,
        why,
        expires,
        state: own ? "blocked" : "to-revoke",
        detail: own ? "it ends as the token this plan runs with: run pulumi up with another Admin's or company API token" : null,
    };
}
