// The BitsightUser provider as Pulumi's dynamic-provider host calls it (through ./shim).
//   check  → validate and normalise, offline          (./check)
//   diff   → state against declaration, offline       (./diff)
//   create → look-up by email, then POST or adopt     (./create)
//   read   → GET /ratings/v2/users/{guid}             (./read)
//   update → PATCH /ratings/v2/users/{guid}, then GET (./update)
//   delete → DELETE /ratings/v2/users/{guid}          (./delete)
// A BitsightRemovedUser (a user kept demoted) goes to ./removed-user instead: its inputs
// and outputs carry `keep`.
import type * as pulumi from "@pulumi/pulumi";
import { asUserInputs, checkUser } from "./check";
import { CONFIG_KEYS, CONFIG_TOKEN, resolveConnection, resolveDemoteRole, resolvePolicy, resolveReadOptions, type ConfigSource } from "../config";
import { makeContext, type Context } from "../account/context";
import { createUser } from "./create";
import { deleteUser } from "./delete";
import { diffUser, lockedFeatureConflict, statusConflict } from "./diff";
import { readUser } from "./read";
import { escapeUnsafe } from "../escape/terminal";
import { BitsightApiError } from "../client/errors";
import type { UserOutputs } from "../user-model";
import { updateUser } from "./update";
import { checkRemovedUser, createRemovedUser, diffRemovedUser, isRemovedUser, readRemovedUser, updateRemovedUser, type RemovedUserOutputs } from "./removed-user";

type Raw = Record<string, unknown>;

let config: ConfigSource | undefined;
let ctx: { key: string; value: Context } | undefined;

/** The settings a context is built from, as one text (kept in memory only: it holds the token). */
function settingsKey(source: ConfigSource | undefined): string {
    return JSON.stringify(CONFIG_KEYS.map((k) => source?.get(k) ?? null));
}

/**
 * Built on first use, so that check and diff work without credentials, and kept for the
 * life of the process: its client, request limiter, Admin lock and pending removals are
 * shared by every operation in flight. A context is rebuilt only if the settings change.
 */
function context(): Context {
    const key = settingsKey(config);
    if (ctx?.key !== key) {
        ctx = {
            key,
            value: makeContext(resolveConnection(config, process.env), {
                policy: resolvePolicy(config, process.env),
                reads: resolveReadOptions(config, process.env),
                demoteRole: resolveDemoteRole(config, process.env),
            }),
        };
    }
    return ctx.value;
}

/**
 * What the engine prints of a failure is shown on a terminal and kept in CI logs: account
 * strings in the message (a name, an email, an API's words) are shown escaped there, so
 * none can forge a line or hide text. The error keeps its class and fields.
 */
async function shown<T>(work: () => Promise<T>): Promise<T> {
    try {
        return await work();
    } catch (err) {
        if (err instanceof Error) {
            const raw = err.message;
            err.message = escapeUnsafe(raw) + storedTokenHint(err);
            if (err.stack && raw !== err.message) err.stack = err.stack.split(raw).join(err.message);
        }
        throw err;
    }
}

/**
 * A token refused while the token is stack config: the engine runs `pulumi refresh`, and the
 * refresh of `up --refresh` and `preview --refresh`, with the config it stored in the state
 * at the last `pulumi up`, not Pulumi.<stack>.yaml as it is now (seen through pulumi:
 * test/engine). After a rotation, the old token is the one refused.
 */
function storedTokenHint(err: Error): string {
    if (!(err instanceof BitsightApiError) || err.status !== 401 || !config?.get(CONFIG_TOKEN)?.trim()) return "";
    return (
        ` The token is stack config ${CONFIG_TOKEN}; a refresh (pulumi refresh, pulumi up --refresh, pulumi preview --refresh) uses the token the state stored at the last pulumi up, not the one Pulumi.<stack>.yaml holds now. ` +
        `If the token was rotated, run pulumi up once without --refresh (it stores the new one), or add --run-program to the refresh.`
    );
}

export const provider = {
    // Synchronous body: the host caches the provider before `configure` resolves, so the
    // configuration must be in place by the time the call returns its promise.
    // Called once for every distinct `__provider` text the host meets (an older one from
    // the state, say): it must not reset what operations in flight are using.
    async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
        config = req.config;
    },

    // BitsightRemovedUser (./removed-user) shares this provider: its inputs and outputs say `keep`.
    async check(_olds: Raw, news: Raw): Promise<pulumi.dynamic.CheckResult<Raw>> {
        return isRemovedUser(news) ? checkRemovedUser(news) : checkUser(news);
    },

    async diff(_id: string, olds: UserOutputs, news: Raw): Promise<pulumi.dynamic.DiffResult> {
        if (isRemovedUser(news)) return diffRemovedUser(olds as unknown as RemovedUserOutputs, news);
        return shown(async () => {
            const inputs = asUserInputs(news);
            // A conflict (a status or a locked feature the API cannot change) is a difference
            // that update refuses, before any write, saying what to do. Thrown here, it failed
            // refresh itself, which diffs the refreshed outputs against the last inputs, so no
            // command could record what the account holds (seen through pulumi: test/engine).
            const conflict = statusConflict(olds.status, inputs.status) ?? lockedFeatureConflict(olds, inputs);
            // Nothing ever forces a replacement: every writable field can be PATCHed, and a
            // replacement would delete the user (and their shared folders).
            return { changes: conflict !== undefined || diffUser(olds, inputs).length > 0, replaces: [], deleteBeforeReplace: false };
        });
    },

    async create(inputs: Raw): Promise<pulumi.dynamic.CreateResult<UserOutputs>> {
        if (isRemovedUser(inputs)) return shown(() => createRemovedUser(context(), inputs)) as unknown as pulumi.dynamic.CreateResult<UserOutputs>;
        return shown(() => createUser(context(), inputs));
    },

    async read(id: string, props?: UserOutputs): Promise<pulumi.dynamic.ReadResult<UserOutputs>> {
        if (isRemovedUser(props)) return shown(async () => (await readRemovedUser(context(), id, props as unknown as RemovedUserOutputs)) as unknown as pulumi.dynamic.ReadResult<UserOutputs>);
        return shown(async () => (await readUser(context(), id, props ?? {})) as pulumi.dynamic.ReadResult<UserOutputs>);
    },

    async update(id: string, olds: UserOutputs, news: Raw): Promise<pulumi.dynamic.UpdateResult<UserOutputs>> {
        if (isRemovedUser(news)) return shown(async () => ({ outs: (await updateRemovedUser(context(), id, news)) as unknown as UserOutputs }));
        return shown(async () => ({ outs: await updateUser(context(), id, olds, news) }));
    },

    async delete(id: string, props: UserOutputs): Promise<void> {
        // The entry left the file: the user stays as it is.
        if (isRemovedUser(props)) return;
        await shown(() => deleteUser(context(), id, props));
    },
} satisfies pulumi.dynamic.ResourceProvider<Raw, UserOutputs>;
