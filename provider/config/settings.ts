// Where the provider finds its credentials and endpoint: stack config first
// (`bitsight:apiToken`, `bitsight:apiUrl`), then the environment. Read at run time only,
// so nothing secret is ever captured into the serialized provider.
import { DEFAULT_POLICY, type RetryPolicy } from "../client/policy";
import { DEFAULT_READS, type ReadOptions } from "../account/account";
import type { Connection } from "../client/connection";
import { CONFIG_TOKEN_USER, ENV_TOKEN_USER } from "../account/token-owner";
import { ENV_LOG } from "../client/log";
import { DEFAULT_DEMOTE_ROLE } from "../model/roles";
import { ROLE_SLUGS } from "../model/user-model";
import { ConfigurationError } from "../base/errors";

export const DEFAULT_API_URL = "https://api.bitsighttech.com";
/** The users file when the stack names none, relative to the project root: the program's default, and the CLI's. */
export const DEFAULT_USERS_FILE = "users.yaml";
export const DEFAULT_MAX_REMOVAL_SHARE = 0.25;
/** Bitsight serves about 20 simultaneous requests per token; more only earns 429s. */
export const MAX_CONCURRENCY = 20;
export { DEFAULT_DEMOTE_ROLE } from "../model/roles";

/** One row of the settings table. */
export interface Setting {
    /** The stack config key; null for the environment only. */
    key: string | null;
    env: string | null;
    /** As documented: the value, or null when there is none. */
    default: string | null;
    /** What it does, as the README's configuration table says it (markdown). */
    doc: string;
    /** Read by the provider's hooks: a change to it means a new client (CONFIG_KEYS). */
    provider?: true;
    /** What `bitsight-users --help` says of its variable; absent where the CLI does not read it. */
    cli?: string;
    /** The README's words after the key, the variable, or for the default when a value alone would not say it. */
    keyNote?: string;
    envNote?: string;
    defaultDoc?: string;
}

/**
 * Every setting, once: the constants below, CONFIG_KEYS, the README's configuration table
 * and the CLI's help are derived from it (test/settings.test.ts holds the README to it);
 * the functions below read each through its row.
 */
export const SETTING = {
    apiToken: {
        key: "bitsight:apiToken",
        keyNote: "(secret)",
        env: "BITSIGHT_API_TOKEN",
        default: null,
        provider: true,
        doc: "required for every hook but `check` and `diff`. Only an Admin may edit users.",
        cli: "API token (plan, review, pull, export, init --from-account). Stack secrets are encrypted for the Pulumi CLI only: bitsight-users never reads them.",
    },
    apiUrl: {
        key: "bitsight:apiUrl",
        env: "BITSIGHT_API_URL",
        default: DEFAULT_API_URL,
        provider: true,
        doc: "HTTPS only; plain `http://` is accepted for `127.0.0.1`, `localhost` and `[::1]` (the emulator).",
        cli: `default ${DEFAULT_API_URL} (a stack file's wins)`,
    },
    tokenUser: {
        key: CONFIG_TOKEN_USER,
        env: ENV_TOKEN_USER,
        default: null,
        provider: true,
        doc: "the email of the API token's user, for the lockout guards when the API does not say it ([whose token](docs/failures.md#lockout-guards-what-is-and-is-not-guarded))",
    },
    maxConcurrency: {
        key: "bitsight:maxConcurrency",
        env: "BITSIGHT_MAX_CONCURRENCY",
        default: String(DEFAULT_POLICY.maxConcurrency),
        provider: true,
        doc: `requests in flight at once for the whole provider process, 1 to ${MAX_CONCURRENCY} (Bitsight recommends 3)`,
        cli: `requests in flight, default ${DEFAULT_POLICY.maxConcurrency} (a stack file's wins)`,
    },
    attemptTimeout: {
        key: "bitsight:attemptTimeout",
        env: "BITSIGHT_ATTEMPT_TIMEOUT",
        default: String(DEFAULT_POLICY.attemptTimeoutMs / 1000),
        provider: true,
        doc: "seconds one attempt of a request may take, from sending to the answer's last byte, 1 to 600",
        cli: `seconds one request attempt may take, default ${DEFAULT_POLICY.attemptTimeoutMs / 1000}`,
    },
    maxResponseMiB: {
        key: "bitsight:maxResponseMiB",
        env: "BITSIGHT_MAX_RESPONSE_MIB",
        default: String(DEFAULT_POLICY.maxResponseBytes / 1048576),
        provider: true,
        doc: "the largest answer read, in MiB (a page of 1,000 users is about 0.7 MiB); a larger one fails while it streams",
        cli: `the largest answer read, default ${DEFAULT_POLICY.maxResponseBytes / 1048576} (MiB)`,
    },
    demoteRole: {
        key: "bitsight:demoteRole",
        env: "BITSIGHT_DEMOTE_ROLE",
        default: DEFAULT_DEMOTE_ROLE,
        provider: true,
        doc: 'the role `onDelete: "demote"` leaves a removed user with; any role but `customer_admin`',
    },
    batchReads: {
        key: "bitsight:batchReads",
        env: "BITSIGHT_BATCH_READS",
        default: String(DEFAULT_READS.batch),
        provider: true,
        doc: "`false` sends one GET per user on refresh, and one look-up per email on create, instead of answering them from shared listings (an escape hatch)",
    },
    maxRemovalShare: {
        key: "bitsight:maxRemovalShare",
        env: "BITSIGHT_ALLOW_REMOVALS",
        envNote: "(an exact count, for one run)",
        default: String(DEFAULT_MAX_REMOVAL_SHARE),
        doc: "the largest share of the stack's users one run of the users-file program may delete ([mass removal](docs/users-file.md))",
    },
    usersFile: {
        key: "bitsight:usersFile",
        env: null,
        default: DEFAULT_USERS_FILE,
        defaultDoc: "`users.yaml` (a project `init` wrote); `examples/gitops/users.yaml` (this repository)",
        doc: "the users-file program's file, relative to the folder of `Pulumi.yaml` wherever the engine runs the program; the CLI reads it too",
    },
    log: {
        key: null,
        env: ENV_LOG,
        default: "off",
        doc: "`debug`: a line per request; `info`: retries, pauses, give-ups",
        cli: "debug: a line per request; info: retries, pauses, give-ups",
    },
} as const satisfies Record<string, Setting>;

/** Every setting, in the order the README lists them. */
export const SETTINGS: readonly Setting[] = Object.values(SETTING);

export const CONFIG_TOKEN = SETTING.apiToken.key;
export const CONFIG_URL = SETTING.apiUrl.key;
export const ENV_TOKEN = SETTING.apiToken.env;
export const ENV_URL = SETTING.apiUrl.env;
export const CONFIG_BATCH_READS = SETTING.batchReads.key;
export const CONFIG_CONCURRENCY = SETTING.maxConcurrency.key;
export const CONFIG_USERS_FILE = SETTING.usersFile.key;
export const CONFIG_ATTEMPT_TIMEOUT = SETTING.attemptTimeout.key;
export const CONFIG_MAX_RESPONSE = SETTING.maxResponseMiB.key;
export const CONFIG_DEMOTE_ROLE = SETTING.demoteRole.key;
export const CONFIG_MAX_REMOVAL_SHARE = SETTING.maxRemovalShare.key;
export const ENV_ALLOW_REMOVALS = SETTING.maxRemovalShare.env;
// Named where the token's user is decided (../account/token-owner) and the log's level (../client/log).
export { CONFIG_TOKEN_USER, ENV_TOKEN_USER } from "../account/token-owner";
export { ENV_LOG } from "../client/log";

/** Every stack setting the provider reads: a change to any of them means a new client. */
export const CONFIG_KEYS = SETTINGS.filter((s) => s.provider).map((s) => s.key!);

export interface ConfigSource {
    get(key: string): string | undefined;
    /** Where `key` was read from, for messages: "stack config bitsight:apiUrl" unless said otherwise. */
    describe?(key: string): string;
    /** What to say when there is no token; by default, how to set it in the stack or the environment. */
    missingToken?: string;
}

/** A setting's value, through its row: the stack's first, then the environment's; and the words that name where it came from. */
function read(config: ConfigSource | undefined, row: Setting, env: NodeJS.ProcessEnv): { value?: string; from: string } {
    const fromConfig = row.key === null ? undefined : nonEmpty(config?.get(row.key));
    if (fromConfig !== undefined) return { value: fromConfig, from: config?.describe?.(row.key!) ?? `stack config ${row.key}` };
    const fromEnv = row.env === null ? undefined : nonEmpty(env[row.env]);
    if (fromEnv !== undefined) return { value: fromEnv, from: `the ${row.env} environment variable` };
    return { from: [row.key, row.env].filter(Boolean).join(" / ") };
}

export type { Connection } from "../client/connection";

function nonEmpty(v: string | undefined): string | undefined {
    const t = v?.trim();
    return t ? t : undefined;
}

export function resolveConnection(config: ConfigSource | undefined, env: NodeJS.ProcessEnv): Connection {
    const token = read(config, SETTING.apiToken, env).value;
    if (!token) {
        throw new ConfigurationError(
            config?.missingToken ??
                `No Bitsight API token. Set it with \`pulumi config set --secret ${CONFIG_TOKEN} <token>\` or the ${ENV_TOKEN} environment variable.`,
        );
    }
    const url = read(config, SETTING.apiUrl, env);
    const conn: Connection = { baseUrl: checkApiUrl(url.value ?? DEFAULT_API_URL, url.from), token };
    const user = read(config, SETTING.tokenUser, env);
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
function wholeNumber(config: ConfigSource | undefined, env: NodeJS.ProcessEnv, row: Setting, min: number, max: number, hint: string): number | undefined {
    const { value: raw, from } = read(config, row, env);
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
    const concurrency = wholeNumber(config, env, SETTING.maxConcurrency, 1, MAX_CONCURRENCY, "Bitsight recommends 3");
    if (concurrency !== undefined) policy.maxConcurrency = concurrency;
    const timeout = wholeNumber(config, env, SETTING.attemptTimeout, 1, 600, "seconds; default 30");
    if (timeout !== undefined) policy.attemptTimeoutMs = timeout * 1000;
    const mib = wholeNumber(config, env, SETTING.maxResponseMiB, 1, 1024, "MiB; default 32");
    if (mib !== undefined) policy.maxResponseBytes = mib * 1024 * 1024;
    return policy;
}

/** The role a demoted user keeps: a Bitsight role, and never Admin (a demotion that grants Admin would be no demotion). */
export function resolveDemoteRole(config: ConfigSource | undefined, env: NodeJS.ProcessEnv): string {
    const { value, from } = read(config, SETTING.demoteRole, env);
    if (value === undefined) return DEFAULT_DEMOTE_ROLE;
    if (!(ROLE_SLUGS as readonly string[]).includes(value) || value === "customer_admin") {
        throw new ConfigurationError(`${from} must be a Bitsight role other than customer_admin (the least privilege a demoted user keeps; default ${DEFAULT_DEMOTE_ROLE}), not ${JSON.stringify(value)}.`);
    }
    return value;
}

/** `bitsight:batchReads: false` turns read and look-up coalescing off: one request per user, as an escape hatch. */
export function resolveReadOptions(config: ConfigSource | undefined, env: NodeJS.ProcessEnv): Partial<ReadOptions> {
    const { value: raw, from } = read(config, SETTING.batchReads, env);
    if (raw === undefined) return {};
    if (raw !== "true" && raw !== "false") throw new ConfigurationError(`${from} must be true or false, not ${JSON.stringify(raw)}.`);
    return { batch: raw === "true" };
}

/** The README's configuration table, from the rows. */
export function settingsMarkdown(): string {
    const code = (v: string) => `\`${v}\``;
    const row = (s: Setting) =>
        `| ${s.key === null ? "—" : `${code(s.key)}${s.keyNote ? ` ${s.keyNote}` : ""}`} | ${s.env === null ? "—" : `${code(s.env)}${s.envNote ? ` ${s.envNote}` : ""}`} | ${s.defaultDoc ?? (s.default === null ? "—" : code(s.default))} | ${s.doc} |`;
    return ["| stack config | environment | default | |", "|---|---|---|---|", ...SETTINGS.map(row)].join("\n");
}

/** The variables the CLI reads, each with what `--help` says of it. */
export function cliEnvironment(): [string, string][] {
    return SETTINGS.filter((s) => s.cli !== undefined && s.env !== null).map((s) => [s.env!, s.cli!]);
}
