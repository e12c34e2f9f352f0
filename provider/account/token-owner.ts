// Which Bitsight user the API token belongs to, for the lockout guards. GET
// /ratings/v1/users/current answers for the caller, but its reference page shows neither
// `guid` nor `email`, and nothing says how it answers a company API token (no person is
// behind one: it may refuse, or answer without roles or a joined date). So the answer is
// decided in this order:
//   1. `guid` or `email` in that answer, when the API sends them (the OpenAPI schema has them);
//   2. `bitsight:tokenUser` (BITSIGHT_TOKEN_USER), an email, checked against that answer
//      where there is one to check against (a 403 or 404 leaves the setting's word alone);
//   3. the one user of the account whose joined time, group and roles match that answer.
// Anything else is an error that says what to set: the guards then refuse to act.
import { BitsightApiError, isUnavailable } from "../client/errors";
import { BitsightError } from "../base/errors";
import type { ApiUser } from "../model/wire";
import type { CurrentUser, UsersApi } from "./users-api";

/** The setting that names the token's user where the API does not (stack config, then the environment). */
export const CONFIG_TOKEN_USER = "bitsight:tokenUser";
export const ENV_TOKEN_USER = "BITSIGHT_TOKEN_USER";

export interface TokenOwner {
    guid: string;
    email: string;
    /** How it was found, for messages. */
    how: "named by the API" | typeof CONFIG_TOKEN_USER | "matched";
}

const SET_IT = `Set it: \`pulumi config set ${CONFIG_TOKEN_USER} <email of the token's user>\` (or the ${ENV_TOKEN_USER} environment variable; for a company API token, the token user's email as \`bitsight-users export\` lists it).`;

/** `everyone`: the account's users, for the match; the provider passes its shared listing. */
export async function resolveTokenOwner(
    api: UsersApi,
    configured: string | undefined,
    everyone: () => Promise<ApiUser[]>,
    byEmail: (email: string) => Promise<ApiUser | undefined>,
): Promise<TokenOwner> {
    const current = await api.currentUser().catch((err: unknown) => {
        if (isUnavailable(err)) return err;
        throw err;
    });
    if (current instanceof BitsightApiError) {
        if (configured) return configuredOwner(configured, byEmail);
        throw new BitsightError(
            `Cannot tell which Bitsight user the API token belongs to: GET /ratings/v1/users/current answered ${current.status} (as Bitsight may for a company API token), and nothing else names the token's user. ${SET_IT}`,
            { cause: current },
        );
    }
    if (current.guid || current.email) {
        const user = current.guid ? await api.get(current.guid) : await byEmail(current.email!);
        if (!user) throw new BitsightError(`GET /ratings/v1/users/current named ${current.guid ?? current.email}, but no such user exists. ${SET_IT}`);
        if (configured && configured.toLowerCase() !== user.email.toLowerCase()) {
            throw new BitsightError(`${CONFIG_TOKEN_USER} is ${configured}, but the API says the token belongs to ${user.email}. Correct ${CONFIG_TOKEN_USER} or remove it.`);
        }
        return { guid: user.guid, email: user.email, how: "named by the API" };
    }
    if (configured) return configuredOwner(configured, byEmail, current.dateJoined);
    const matches = current.dateJoined ? (await everyone()).filter((u) => matchesCurrent(current, u)) : [];
    if (matches.length === 1) return { guid: matches[0]!.guid, email: matches[0]!.email, how: "matched" };
    const seen = current.dateJoined
        ? `${matches.length === 0 ? "no user" : `${matches.length} users (${matches.map((u) => u.email).join(", ")})`} of the account joined at ${current.dateJoined} with the same group and roles`
        : "it does not say when its user joined either";
    throw new BitsightError(`Cannot tell which Bitsight user the API token belongs to: GET /ratings/v1/users/current does not name the user, and ${seen}. ${SET_IT}`);
}

/** The user `bitsight:tokenUser` names; checked against the joined time the API gave, where it gave one. */
async function configuredOwner(configured: string, byEmail: (email: string) => Promise<ApiUser | undefined>, dateJoined?: string): Promise<TokenOwner> {
    const user = await byEmail(configured);
    if (!user) throw new BitsightError(`${CONFIG_TOKEN_USER} is ${configured}, but the account has no user with that email. ${SET_IT}`);
    if (dateJoined && user.joined_time && !sameSecond(dateJoined, user.joined_time)) {
        throw new BitsightError(
            `${CONFIG_TOKEN_USER} is ${configured}, who joined at ${user.joined_time}, but the API token belongs to a user who joined at ${dateJoined}. ` +
                `Set ${CONFIG_TOKEN_USER} to the email of the token's own user.`,
        );
    }
    return { guid: user.guid, email: user.email, how: CONFIG_TOKEN_USER };
}

/** The v1 answer and a v2 user describe the same person: joined the same second, same group, same roles. */
export function matchesCurrent(current: CurrentUser, user: ApiUser): boolean {
    if (!current.dateJoined || !user.joined_time || !sameSecond(current.dateJoined, user.joined_time)) return false;
    if (current.groupGuid && user.group && current.groupGuid.toLowerCase() !== user.group.guid.toLowerCase()) return false;
    if (current.roleNames) {
        const names = user.roles.map((r) => r.name).sort();
        const wanted = [...current.roleNames].sort();
        if (names.length !== wanted.length || names.some((n, i) => n !== wanted[i])) return false;
    }
    return true;
}

/** ISO 8601 times that name the same second (one may carry microseconds). */
function sameSecond(a: string, b: string): boolean {
    const x = Date.parse(a);
    const y = Date.parse(b);
    return !Number.isNaN(x) && !Number.isNaN(y) && Math.floor(x / 1000) === Math.floor(y / 1000);
}
