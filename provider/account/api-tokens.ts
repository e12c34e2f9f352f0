// The account's company API tokens, from GET /ratings/v1/customers/current/api-tokens
// (a bare array; the token masked but its last four). Read only: tokens are created and
// revoked in the UI. Read tolerantly: a row the provider cannot read is named and skipped,
// and a token that may not list them (403, or 404 on an account without the endpoint)
// gets an answer, not a failure.
import { isUnavailable, UnexpectedResponseError } from "../client/errors";
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
