// The account's company API tokens, under /ratings/v1/customers/current/api-tokens: GET
// lists them (a bare array; the token masked but its last four), POST creates one, DELETE
// …/{guid} revokes one. Listed tolerantly for review: a row the provider cannot read is
// named and skipped, and a token that may not list them (403, or 404 on an account
// without the endpoint) gets an answer, not a failure. A token's value is never read: the
// POST sends it to its person by email, and what the 201 carries (the whole value, the
// OpenAPI says) is dropped unread; the new token is found by listing.
import { isUnavailable, orAfter400, unlessGone, UnexpectedResponseError } from "../client/errors";
import type { HttpClient } from "../client/http";
import { forTerminal } from "../escape/terminal";
import { bitsightTime } from "./parse-user";

export const API_TOKENS_PATH = "/ratings/v1/customers/current/api-tokens";

export interface ApiToken {
    guid: string;
    description: string;
    /** As the API masks it: `********aaaa`. */
    token: string;
    /** ISO 8601, UTC. */
    createdDate: string;
    creatorName: string | null;
    /** The access group's name. */
    group: string | null;
    roles: string[];
}

export type ApiTokens = { tokens: ApiToken[]; skipped: string[] } | { unavailable: string };

export async function listApiTokens(http: Pick<HttpClient, "send">): Promise<ApiTokens> {
    const what = `GET ${API_TOKENS_PATH}`;
    let body: unknown;
    try {
        body = (await http.send({ method: "GET", path: API_TOKENS_PATH })).body;
    } catch (err) {
        if (isUnavailable(err)) return { unavailable: `${what} answered ${err.status}` };
        throw err;
    }
    if (!Array.isArray(body)) throw new UnexpectedResponseError(`${what} answered with ${body === null ? "null" : typeof body}, not a list of tokens.`);
    const tokens: ApiToken[] = [];
    const skipped: string[] = [];
    body.forEach((row: unknown, i) => {
        const token = parseToken(row);
        if (typeof token === "string") skipped.push(`token ${i + 1} of ${what}: ${token}`);
        else tokens.push(token);
    });
    return { tokens, skipped };
}

/** The token, or why it cannot be read. */
function parseToken(row: unknown): ApiToken | string {
    if (typeof row !== "object" || row === null || Array.isArray(row)) return "not an object";
    const o = row as Record<string, unknown>;
    const text = (k: string) => (typeof o[k] === "string" ? (o[k] as string) : undefined);
    const guid = text("guid");
    const created = text("created_date");
    if (!guid) return "no `guid`";
    if (!created || Number.isNaN(Date.parse(bitsightTime(created)))) return `${forTerminal(guid)}: \`created_date\` is ${created === undefined ? "missing" : `not a time (${forTerminal(created)})`}`;
    const roles = Array.isArray(o["roles"]) ? (o["roles"] as unknown[]).flatMap((r) => (typeof (r as { slug?: unknown })?.slug === "string" ? [(r as { slug: string }).slug] : [])) : [];
    // The API masks the token; a value that is longer than its last four is masked here again.
    const raw = text("token") ?? "";
    return {
        guid,
        description: text("description") ?? "",
        token: raw.replace(/^\*+/, "").length > 4 ? `********${raw.slice(-4)}` : raw,
        createdDate: new Date(Date.parse(bitsightTime(created))).toISOString().replace(/\.000Z$/, "Z"),
        creatorName: text("creator_name") ?? null,
        group: typeof o["group"] === "string" ? (o["group"] as string) : (text("group_name") ?? null),
        roles,
    };
}

/**
 * Whether `t` may be the token a process holds, from that token's last four characters:
 * the listing masks all but those, so it is all there is to tell. Never revoked.
 */
export function mayBeHeld(t: ApiToken, heldLastFour: string | undefined): boolean {
    return heldLastFour !== undefined && t.token.slice(-4) === heldLastFour;
}

/** The listing, or a failure: a write must know the account's tokens. */
export async function apiTokensOrFail(http: Pick<HttpClient, "send">): Promise<ApiToken[]> {
    const listed = await listApiTokens(http);
    if ("unavailable" in listed) throw new UnexpectedResponseError(`${listed.unavailable}: this API token may not manage company API tokens; use an Admin's (or a company API token).`);
    return listed.tokens;
}

export interface NewApiToken {
    description: string;
    /** The person the token retrieval email goes to. */
    email: string;
    /** The access group, when not the account's default. */
    group?: { guid: string; name: string } | undefined;
}

/**
 * POST a token, its value emailed to its person. The pages do not say whether `group` is a
 * group's guid or its name: the guid is sent, and after a 400 about `group` (nothing was
 * made), the name. After an ambiguous failure, a listing says whether it was made.
 */
export async function createApiToken(http: Pick<HttpClient, "send">, t: NewApiToken): Promise<ApiToken> {
    const before = new Set((await apiTokensOrFail(http)).map((x) => x.guid));
    const made = async () => (await apiTokensOrFail(http)).filter((x) => !before.has(x.guid) && x.description === t.description);
    const post = (group: string | undefined) =>
        http.send(
            { method: "POST", path: API_TOKENS_PATH, body: { description: t.description, email: t.email, send_token_retrieval_email: true, ...(group !== undefined ? { group } : {}) } },
            async () => ((await made()).length ? {} : undefined),
        );
    const group = t.group;
    await (group ? orAfter400(() => post(group.guid), () => post(group.name), /group/i) : post(undefined));
    const found = await made();
    if (found.length !== 1) {
        throw new UnexpectedResponseError(
            `POST ${API_TOKENS_PATH} succeeded, but the listing then shows ${found.length} new tokens described ${forTerminal(t.description)}: check the account's API tokens in the Bitsight UI before running again.`,
        );
    }
    return found[0]!;
}

/** DELETE the token: revoked at once. `gone` when the account no longer had it. */
export function revokeApiToken(http: Pick<HttpClient, "send">, guid: string): Promise<"revoked" | "gone"> {
    return unlessGone(async () => {
        await http.send({ method: "DELETE", path: `${API_TOKENS_PATH}/${encodeURIComponent(guid)}` });
        return "revoked" as const;
    });
}
