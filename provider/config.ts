// Where the provider finds its credentials and endpoint: stack config first
// (`bitsight:apiToken`, `bitsight:apiUrl`), then the environment. Read at run time only,
// so nothing secret is ever captured into the serialized provider.
import { DEFAULT_POLICY, type RetryPolicy } from "./client/policy";
import { DEFAULT_READS, type ReadOptions } from "./account/account";
import type { Connection } from "./client/connection";
import { CONFIG_TOKEN_USER, ENV_TOKEN_USER } from "./account/token-owner";
import { DEFAULT_DEMOTE_ROLE } from "./roles";
import { ROLE_SLUGS } from "./user-model";
import { ConfigurationError } from "./errors";

export const DEFAULT_API_URL = "https://api.bitsighttech.com";
export const CONFIG_TOKEN = "bitsight:apiToken";
export const CONFIG_URL = "bitsight:apiUrl";
export const ENV_TOKEN = "BITSIGHT_API_TOKEN";
export const ENV_URL = "BITSIGHT_API_URL";
// Whose token it is, for the lockout guards, when the API does not say: named where the
// token's user is decided (./account/token-owner), listed here with the rest.
export { CONFIG_TOKEN_USER, ENV_TOKEN_USER } from "./account/token-owner";
export const CONFIG_BATCH_READS = "bitsight:batchReads";
export const ENV_BATCH_READS = "BITSIGHT_BATCH_READS";
export const CONFIG_CONCURRENCY = "bitsight:maxConcurrency";
/** The users-file program's file (./program); not a provider setting, so not in CONFIG_KEYS. */
export const CONFIG_USERS_FILE = "bitsight:usersFile";
/** The users file when the stack names none, relative to the project root: the program's default, and the CLI's. */
export const DEFAULT_USERS_FILE = "users.yaml";
export const ENV_CONCURRENCY = "BITSIGHT_MAX_CONCURRENCY";
/** Seconds one attempt may take, from sending to the answer's last byte. */
export const CONFIG_ATTEMPT_TIMEOUT = "bitsight:attemptTimeout";
export const ENV_ATTEMPT_TIMEOUT = "BITSIGHT_ATTEMPT_TIMEOUT";
/** The largest answer the client reads, in MiB. */
export const CONFIG_MAX_RESPONSE = "bitsight:maxResponseMiB";
export const ENV_MAX_RESPONSE = "BITSIGHT_MAX_RESPONSE_MIB";
/** The role `onDelete: "demote"` leaves a removed user with. */
export const CONFIG_DEMOTE_ROLE = "bitsight:demoteRole";
export const ENV_DEMOTE_ROLE = "BITSIGHT_DEMOTE_ROLE";
export { DEFAULT_DEMOTE_ROLE } from "./roles";
/** Every stack setting the provider reads: a change to any of them means a new client. */
export const CONFIG_KEYS = [CONFIG_TOKEN, CONFIG_URL, CONFIG_TOKEN_USER, CONFIG_BATCH_READS, CONFIG_CONCURRENCY, CONFIG_ATTEMPT_TIMEOUT, CONFIG_MAX_RESPONSE, CONFIG_DEMOTE_ROLE] as const;
/** Bitsight serves about 20 simultaneous requests per token; more only earns 429s. */
export const MAX_CONCURRENCY = 20;
/** The users-file program's mass-removal guard (./program/removals): a share, and an exact count for one run. */
export const CONFIG_MAX_REMOVAL_SHARE = "bitsight:maxRemovalShare";
export const ENV_ALLOW_REMOVALS = "BITSIGHT_ALLOW_REMOVALS";
export const DEFAULT_MAX_REMOVAL_SHARE = 0.25;
/** The request log's level (./client/log): the environment only. */
export { ENV_LOG } from "./client/log";

/** One row of the settings table: a stack key, its environment variable, its default, as the README shows them. */
export interface Setting {
    key: string | null;
    env: string | null;
    /** As documented: the value, or null when there is none. */
    default: string | null;
}

/**
 * Every setting, once: what the program, the hooks and the CLI resolve, and what the
 * README's configuration table lists (test/settings.test.ts holds the two together).
 */
export const SETTINGS: readonly Setting[] = [
    { key: CONFIG_TOKEN, env: ENV_TOKEN, default: null },
    { key: CONFIG_URL, env: ENV_URL, default: DEFAULT_API_URL },
    { key: CONFIG_TOKEN_USER, env: ENV_TOKEN_USER, default: null },
    { key: CONFIG_CONCURRENCY, env: ENV_CONCURRENCY, default: String(DEFAULT_POLICY.maxConcurrency) },
    { key: CONFIG_ATTEMPT_TIMEOUT, env: ENV_ATTEMPT_TIMEOUT, default: String(DEFAULT_POLICY.attemptTimeoutMs / 1000) },
    { key: CONFIG_MAX_RESPONSE, env: ENV_MAX_RESPONSE, default: String(DEFAULT_POLICY.maxResponseBytes / 1048576) },
    { key: CONFIG_DEMOTE_ROLE, env: ENV_DEMOTE_ROLE, default: DEFAULT_DEMOTE_ROLE },
    { key: CONFIG_BATCH_READS, env: ENV_BATCH_READS, default: String(DEFAULT_READS.batch) },
    { key: CONFIG_MAX_REMOVAL_SHARE, env: ENV_ALLOW_REMOVALS, default: String(DEFAULT_MAX_REMOVAL_SHARE) },
    { key: CONFIG_USERS_FILE, env: null, default: DEFAULT_USERS_FILE },
];

export interface ConfigSource {
    get(key: string): string | undefined;
    /** Where `key` was read from, for messages: "stack config bitsight:apiUrl" unless said otherwise. */
    describe?(key: string): string;
    /** What to say when there is no token; by default, how to set it in the stack or the environment. */
    missingToken?: string;
}

/** A setting's value, and the words that name where it came from. */
function setting(config: ConfigSource | undefined, key: string, env: NodeJS.ProcessEnv, envName: string): { value?: string; from: string } {
    const fromConfig = nonEmpty(config?.get(key));
    if (fromConfig !== undefined) return { value: fromConfig, from: config?.describe?.(key) ?? `stack config ${key}` };
    const fromEnv = nonEmpty(env[envName]);
    if (fromEnv !== undefined) return { value: fromEnv, from: `the ${envName} environment variable` };
    return { from: `${key} / ${envName}` };
}

export type { Connection } from "./client/connection";

function nonEmpty(v: string | undefined): string | undefined {
    const t = v?.trim();
    return t ? t : undefined;
}

export function resolveConnection(config: ConfigSource | undefined, env: NodeJS.ProcessEnv): Connection {
    const token = setting(config, CONFIG_TOKEN, env, ENV_TOKEN).value;
    if (!token) {
        throw new ConfigurationError(
            config?.missingToken ??
                `No Bitsight API token. Set it with \`pulumi config set --secret ${CONFIG_TOKEN} <token>\` or the ${ENV_TOKEN} environment variable.`,
        );
    }
    const url = setting(config, CONFIG_URL, env, ENV_URL);
    const conn: Connection = { baseUrl: checkApiUrl(url.value ?? DEFAULT_API_URL, url.from), token };
    const user = setting(config, CONFIG_TOKEN_USER, env, ENV_TOKEN_USER);
    const tokenUser = user.value;
    if (tokenUser !== undefined) {
        if (!/^[^\s@]+@[^\s@]+$/.test(tokenUser)) {
            throw new ConfigurationError(`${user.from} must be the email of the API token's user, not ${JSON.stringify(tokenUser)}.`);
        }
        conn.tokenUser = tokenUser;
    }
    return conn;
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/** Whether a URL's `hostname` names this machine (the emulator's): where plain HTTP is allowed. */
export function isLoopbackHost(hostname: string): boolean {
    return LOOPBACK.test(hostname);
}

/** HTTPS only, except plain HTTP to this machine (the emulator): the token travels in every request. */
export function checkApiUrl(raw: string, from = `${CONFIG_URL} / ${ENV_URL}`): string {
    let url: URL;
    try {
        url = new URL(raw);
    } catch {
        throw new ConfigurationError(`${from} is not a URL: ${JSON.stringify(raw)}. Use e.g. ${DEFAULT_API_URL}.`);
    }
    if (url.username || url.password) {
        throw new ConfigurationError(`${from} must not contain credentials; set the token with ${CONFIG_TOKEN} or ${ENV_TOKEN} instead.`);
    }
    if (url.search || url.hash) {
        throw new ConfigurationError(`${from} must not contain a query or fragment: ${url.origin}${url.pathname}`);
    }
    if (/^\/ratings(\/|$)/i.test(url.pathname)) {
        throw new ConfigurationError(`${from} is the API's origin only, ${url.origin}, not ${url.origin}${url.pathname}: the provider adds /ratings/v2/users and the other paths itself.`);
    }
    const loopback = isLoopbackHost(url.hostname);
    if (url.protocol !== "https:" && !(url.protocol === "http:" && loopback)) {
        throw new ConfigurationError(
            `${from} must use https:// (plain http:// is accepted only for 127.0.0.1, localhost or [::1]); got ${url.protocol}//${url.host}.`,
        );
    }
    return `${url.origin}${url.pathname}`.replace(/\/+$/, "");
}

/** A whole-number setting within [min, max], or undefined when not set. */
function wholeNumber(config: ConfigSource | undefined, env: NodeJS.ProcessEnv, key: string, envName: string, min: number, max: number, hint: string): number | undefined {
    const { value: raw, from } = setting(config, key, env, envName);
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1 || n < min || n > max) {
        throw new ConfigurationError(`${from} must be a whole number from ${min} to ${max} (${hint}), not ${JSON.stringify(raw)}.`);
    }
    return n;
}

/** The parts of the client's policy a stack may set: the concurrency limit, the attempt time-out, the answer size cap. */
export function resolvePolicy(config: ConfigSource | undefined, env: NodeJS.ProcessEnv): Partial<RetryPolicy> {
    const policy: Partial<RetryPolicy> = {};
    const concurrency = wholeNumber(config, env, CONFIG_CONCURRENCY, ENV_CONCURRENCY, 1, MAX_CONCURRENCY, "Bitsight recommends 3");
    if (concurrency !== undefined) policy.maxConcurrency = concurrency;
    const timeout = wholeNumber(config, env, CONFIG_ATTEMPT_TIMEOUT, ENV_ATTEMPT_TIMEOUT, 1, 600, "seconds; default 30");
    if (timeout !== undefined) policy.attemptTimeoutMs = timeout * 1000;
    const mib = wholeNumber(config, env, CONFIG_MAX_RESPONSE, ENV_MAX_RESPONSE, 1, 1024, "MiB; default 32");
    if (mib !== undefined) policy.maxResponseBytes = mib * 1024 * 1024;
    return policy;
}

/** The role a demoted user keeps: a Bitsight role, and never Admin (a demotion that grants Admin would be no demotion). */
export function resolveDemoteRole(config: ConfigSource | undefined, env: NodeJS.ProcessEnv): string {
    const { value, from } = setting(config, CONFIG_DEMOTE_ROLE, env, ENV_DEMOTE_ROLE);
    if (value === undefined) return DEFAULT_DEMOTE_ROLE;
    if (!(ROLE_SLUGS as readonly string[]).includes(value) || value === "customer_admin") {
        throw new ConfigurationError(`${from} must be a Bitsight role other than customer_admin (the least privilege a demoted user keeps; default ${DEFAULT_DEMOTE_ROLE}), not ${JSON.stringify(value)}.`);
    }
    return value;
}

/** `bitsight:batchReads: false` turns read and look-up coalescing off: one request per user, as an escape hatch. */
export function resolveReadOptions(config: ConfigSource | undefined, env: NodeJS.ProcessEnv): Partial<ReadOptions> {
    const raw = nonEmpty(config?.get(CONFIG_BATCH_READS)) ?? nonEmpty(env[ENV_BATCH_READS]);
    if (raw === undefined) return {};
    if (raw !== "true" && raw !== "false") {
        throw new ConfigurationError(`${CONFIG_BATCH_READS} / ${ENV_BATCH_READS} must be true or false, not ${JSON.stringify(raw)}.`);
    }
    return { batch: raw === "true" };
}
