// The providers as Pulumi's dynamic-provider host calls them (through ./shim), sharing one
// context per process (client, limiter, Admin lock, users kept demoted). BitsightUser's:
//   check  → validate and normalise, offline                              (./check)
//   diff   → state against declaration, offline                           (./diff)
//   create → look-up by email (a shared listing, or ?email=), then POST
//            and GET, or adopt and PATCH what differs                      (./create)
//   read   → GET /ratings/v2/users/{guid}, or, for reads arriving
//            together, one ?guid=a,b,c listing or one listing of the account (./read)
//   update → a fresh GET, PATCH /ratings/v2/users/{guid} with the changed
//            fields, then GET to check they took; POST .../require-mfa
//            where 2FA is required and not enabled                          (./update)
//   delete → a fresh GET for the lockout guards, then DELETE, or for
//            onDelete demote one PATCH                                      (./delete)
// BitsightRemovedUser's, a user kept demoted, is ./removed-user's; BitsightApiToken's, a
// company API token, ./api-token's; BitsightAccessGroup's, an access group, ./access-group's.
import type * as pulumi from "@pulumi/pulumi";
import { asUserInputs, checkUser } from "./check";
import { CONFIG_KEYS, CONFIG_TOKEN, resolveConnection, resolveDemoteRole, resolvePolicy, resolveReadOptions, type ConfigSource } from "../config/settings";
import { makeContext, type Context } from "../account/context";
import { createUser } from "./create";
import { deleteUser } from "./delete";
import { diffUser, lockedFeatureConflict, statusConflict } from "./diff";
import { readUser } from "./read";
import { escapeUnsafe } from "../escape/terminal";
import { BitsightApiError } from "../client/errors";
import type { UserOutputs } from "../model/user-model";
import { updateUser } from "./update";
import { checkAccessGroup, createAccessGroupResource, deleteAccessGroupResource, diffAccessGroup, readAccessGroup, updateAccessGroup, type AccessGroupInputs, type AccessGroupOutputs } from "./access-group";
import { checkApiToken, createApiTokenResource, deleteApiToken, diffApiToken, readApiToken, updateApiToken, type ApiTokenInputs, type ApiTokenOutputs } from "./api-token";
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

/** BitsightUser's hooks. */
const userProvider = {
    // Synchronous body: the host caches the provider before `configure` resolves, so the
    // configuration must be in place by the time the call returns its promise.
    // Called once for every distinct `__provider` text the host meets (an older one from
    // the state, say): it must not reset what operations in flight are using.
    async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
        config = req.config;
    },

    async check(_olds: Raw, news: Raw): Promise<pulumi.dynamic.CheckResult<Raw>> {
        return checkUser(news);
    },

    async diff(_id: string, olds: UserOutputs, news: Raw): Promise<pulumi.dynamic.DiffResult> {
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
        return shown(() => createUser(context(), inputs));
    },

    async read(id: string, props?: UserOutputs): Promise<pulumi.dynamic.ReadResult<UserOutputs>> {
        return shown(async () => (await readUser(context(), id, props ?? {})) as pulumi.dynamic.ReadResult<UserOutputs>);
    },

    async update(id: string, olds: UserOutputs, news: Raw): Promise<pulumi.dynamic.UpdateResult<UserOutputs>> {
        return shown(async () => ({ outs: await updateUser(context(), id, olds, news) }));
    },

    async delete(id: string, props: UserOutputs): Promise<void> {
        await shown(() => deleteUser(context(), id, props));
    },
} satisfies pulumi.dynamic.ResourceProvider<Raw, UserOutputs>;

/** BitsightRemovedUser's hooks (./removed-user). */
export const removedUserProvider = {
    configure: userProvider.configure,

    async check(_olds: Raw, news: Raw): Promise<pulumi.dynamic.CheckResult<Raw>> {
        return checkRemovedUser(news);
    },

    async diff(_id: string, olds: RemovedUserOutputs, news: Raw): Promise<pulumi.dynamic.DiffResult> {
        return diffRemovedUser(olds, news);
    },

    async create(inputs: Raw): Promise<pulumi.dynamic.CreateResult<RemovedUserOutputs>> {
        return shown(() => createRemovedUser(context(), inputs));
    },

    async read(id: string, props?: RemovedUserOutputs): Promise<pulumi.dynamic.ReadResult<RemovedUserOutputs>> {
        return shown(() => readRemovedUser(context(), id, props ?? {}));
    },

    async update(id: string, _olds: RemovedUserOutputs, news: Raw): Promise<pulumi.dynamic.UpdateResult<RemovedUserOutputs>> {
        return shown(async () => ({ outs: await updateRemovedUser(context(), id, news) }));
    },

    // The entry left the file: the user stays as it is.
    async delete(): Promise<void> {},
} satisfies pulumi.dynamic.ResourceProvider<Raw, RemovedUserOutputs>;

/** BitsightApiToken's hooks (./api-token). */
export const apiTokenProvider = {
    configure: userProvider.configure,

    async check(_olds: Raw, news: Raw): Promise<pulumi.dynamic.CheckResult<Raw>> {
        return checkApiToken(news);
    },

    async diff(_id: string, olds: ApiTokenOutputs, news: Raw): Promise<pulumi.dynamic.DiffResult> {
        return diffApiToken(olds, news as unknown as ApiTokenInputs);
    },

    async create(inputs: Raw): Promise<pulumi.dynamic.CreateResult<ApiTokenOutputs>> {
        return shown(() => createApiTokenResource(context(), inputs as unknown as ApiTokenInputs));
    },

    async read(id: string, props?: ApiTokenOutputs): Promise<pulumi.dynamic.ReadResult<ApiTokenOutputs>> {
        return shown(() => readApiToken(context(), id, props ?? {}));
    },

    async update(_id: string, olds: ApiTokenOutputs, news: Raw): Promise<pulumi.dynamic.UpdateResult<ApiTokenOutputs>> {
        return { outs: updateApiToken(olds, news as unknown as ApiTokenInputs) };
    },

    async delete(id: string, props: ApiTokenOutputs): Promise<void> {
        await shown(() => deleteApiToken(context(), id, props));
    },
} satisfies pulumi.dynamic.ResourceProvider<Raw, ApiTokenOutputs>;

/** BitsightAccessGroup's hooks (./access-group). */
export const accessGroupProvider = {
    configure: userProvider.configure,

    async check(_olds: Raw, news: Raw): Promise<pulumi.dynamic.CheckResult<Raw>> {
        return checkAccessGroup(news);
    },

    async diff(_id: string, olds: AccessGroupOutputs, news: Raw): Promise<pulumi.dynamic.DiffResult> {
        return diffAccessGroup(olds, news as unknown as AccessGroupInputs);
    },

    async create(inputs: Raw): Promise<pulumi.dynamic.CreateResult<AccessGroupOutputs>> {
        return shown(() => createAccessGroupResource(context(), inputs as unknown as AccessGroupInputs));
    },

    async read(id: string, props?: AccessGroupOutputs): Promise<pulumi.dynamic.ReadResult<AccessGroupOutputs>> {
        return shown(() => readAccessGroup(context(), id, props ?? {}));
    },

    async update(id: string, olds: AccessGroupOutputs, news: Raw): Promise<pulumi.dynamic.UpdateResult<AccessGroupOutputs>> {
        return shown(async () => ({ outs: await updateAccessGroup(context(), id, olds, news as unknown as AccessGroupInputs) }));
    },

    async delete(id: string): Promise<void> {
        await shown(() => deleteAccessGroupResource(context(), id));
    },
} satisfies pulumi.dynamic.ResourceProvider<Raw, AccessGroupOutputs>;

/**
 * BitsightUser's provider, as every `__provider` loads it. A BitsightRemovedUser written by
 * 0.1 shared it, and refresh and destroy run the loader its state stored: what such a
 * resource's inputs or outputs say (`keep`) routes the call to its own provider.
 */
export const provider = {
    configure: userProvider.configure,
    check: (olds: Raw, news: Raw) => (isRemovedUser(news) ? removedUserProvider : userProvider).check(olds, news),
    diff: (id: string, olds: UserOutputs, news: Raw) => (isRemovedUser(news) ? removedUserProvider.diff(id, olds as never, news) : userProvider.diff(id, olds, news)),
    create: (inputs: Raw) => (isRemovedUser(inputs) ? removedUserProvider.create(inputs) : userProvider.create(inputs)) as Promise<pulumi.dynamic.CreateResult<UserOutputs>>,
    read: (id: string, props?: UserOutputs) => (isRemovedUser(props) ? removedUserProvider.read(id, props as never) : userProvider.read(id, props)) as Promise<pulumi.dynamic.ReadResult<UserOutputs>>,
    update: (id: string, olds: UserOutputs, news: Raw) => (isRemovedUser(news) ? removedUserProvider.update(id, olds as never, news) : userProvider.update(id, olds, news)) as Promise<pulumi.dynamic.UpdateResult<UserOutputs>>,
    delete: (id: string, props: UserOutputs) => (isRemovedUser(props) ? removedUserProvider.delete() : userProvider.delete(id, props)),
} satisfies pulumi.dynamic.ResourceProvider<Raw, UserOutputs>;
