// A guard against mass removal, after Peribolos' --maximum-removal-delta: `users: []`, or
// a file truncated by a bad merge, is valid YAML, and `pulumi up` would then delete every
// managed user, irreversibly and with their shared folders. A run that would delete more
// than a share of the users the stack manages is refused before anything is applied.
// "Removal" is a user that would be deleted: one the stack manages with onDelete
// "delete" that the declaration no longer lists (under its email or a former one). A user
// with onDelete "demote" stays in the account: it does not count, but the refusal names it.
// The company API tokens and access groups the stack manages are held to the same share, each on its own.

// Default share of the stack's users one run may delete (25 %), its stack key, and the exact
// number of deletions allowed for one run whatever the share (a deliberate, one-off
// permission): in the one settings table, ../config.
import { CONFIG_MAX_REMOVAL_SHARE, DEFAULT_MAX_REMOVAL_SHARE, ENV_ALLOW_REMOVALS } from "../config/settings";
import { ConfigurationError } from "../base/errors";

/** The engine's builtin function that reads a stack's outputs: what a StackReference reads, without a resource in the state. */
export const READ_STACK_OUTPUTS = "pulumi:pulumi:readStackOutputs";
export { CONFIG_MAX_REMOVAL_SHARE, ENV_ALLOW_REMOVALS };

export interface StackUsers {
    /** Every user the stack manages. */
    total: number;
    /** Lower-cased emails of those it would delete when they leave the declaration (onDelete "delete"). */
    deletable: string[];
    /** Lower-cased emails of those it would demote when they leave the declaration (onDelete "demote"). */
    demotable?: string[];
}

export interface RemovalLimit {
    share: number;
    /** Where the share came from, for the message. */
    source: string;
    /** An exact count allowed for this run (BITSIGHT_ALLOW_REMOVALS), if set. */
    allowExactly?: number;
}

export interface RemovalVerdict {
    removing: string[];
    /** Users that would be demoted: kept in the account, so not counted, but named. */
    demoting: string[];
    total: number;
    /** How many deletions the share allows: at least one, so that a small stack can still lose a user. */
    allowed: number;
    refused: boolean;
}

/** `declared`: lower-cased emails of every declared user and all their former emails (for tokens: their descriptions). */
export function checkRemovals(stack: StackUsers, declared: ReadonlySet<string>, limit: RemovalLimit): RemovalVerdict {
    const removing = stack.deletable.filter((e) => !declared.has(e)).sort();
    const demoting = (stack.demotable ?? []).filter((e) => !declared.has(e)).sort();
    const allowed = Math.max(1, Math.floor(limit.share * stack.total + 1e-9));
    const refused = limit.allowExactly !== undefined ? removing.length !== limit.allowExactly && removing.length > allowed : removing.length > allowed;
    return { removing, demoting, total: stack.total, allowed, refused };
}

export function removalMessage(file: string, v: RemovalVerdict, limit: RemovalLimit): string {
    const pct = (x: number) => `${Math.round(x * 100)} %`;
    const n = v.removing.length;
    const listed = v.removing.slice(0, 20).join(", ") + (n > 20 ? `, and ${n - 20} more` : "");
    const exact = limit.allowExactly !== undefined ? ` (${ENV_ALLOW_REMOVALS}=${limit.allowExactly} was set, but this run would delete ${n})` : "";
    return (
        `${file} would delete ${n} of the ${v.total} users this stack manages (${pct(n / v.total)}), more than ${limit.source} allows ` +
        `(${pct(limit.share)}: at most ${v.allowed})${exact}. Deleting a Bitsight user is irreversible and also deletes their shared folders. ` +
        `Nothing was applied. If the file was emptied or cut short by mistake, restore it. To delete them deliberately, run once with ` +
        `${ENV_ALLOW_REMOVALS}=${n}, or raise ${CONFIG_MAX_REMOVAL_SHARE} (or policy.maxRemovalShare in the file); to stop managing them ` +
        `without deleting them, set \`onDelete: "demote"\` (or "retain") on them first. Would delete: ${listed}.` +
        (v.demoting.length ? ` Would also demote, keeping them in the account: ${v.demoting.slice(0, 20).join(", ")}${v.demoting.length > 20 ? `, and ${v.demoting.length - 20} more` : ""}.` : "")
    );
}

/** What else the stack manages is held to the same share, each kind on its own: how the refusal names it. */
export const HELD_TO_THE_SHARE = {
    apiTokens: { plural: "company API tokens", verb: "revoke", section: "apiTokens:", why: "Revoking a token stops whatever uses it, at once." },
    groups: { plural: "access groups", verb: "delete", section: "groups:", why: "A deleted group's company scope is gone with it." },
} as const;

/** The same refusal for what else the stack manages (HELD_TO_THE_SHARE), named as its entries are: descriptions, names. */
export function heldRemovalMessage(kind: keyof typeof HELD_TO_THE_SHARE, file: string, v: RemovalVerdict, limit: RemovalLimit): string {
    const k = HELD_TO_THE_SHARE[kind];
    const n = v.removing.length;
    return (
        `${file} would ${k.verb} ${n} of the ${v.total} ${k.plural} this stack manages, more than ${limit.source} allows (at most ${v.allowed}). ` +
        `${k.why} Nothing was applied. If ${k.section} was emptied or cut short by mistake, restore it; to ${k.verb} them ` +
        `deliberately, run once with ${ENV_ALLOW_REMOVALS}=${n}, or raise ${CONFIG_MAX_REMOVAL_SHARE}. Would ${k.verb}: ${v.removing.map((d) => `"${d}"`).join(", ")}.`
    );
}

/** Stack config wins over the users file's `policy.maxRemovalShare`, which wins over the default. */
export function resolveRemovalLimit(configured: string | undefined, fromFile: number | undefined, env: NodeJS.ProcessEnv): RemovalLimit {
    let limit: RemovalLimit = { share: DEFAULT_MAX_REMOVAL_SHARE, source: "the default share" };
    if (fromFile !== undefined) limit = { share: fromFile, source: "policy.maxRemovalShare" };
    if (configured !== undefined && configured.trim() !== "") {
        const share = Number(configured);
        if (!Number.isFinite(share) || share < 0 || share > 1) {
            throw new ConfigurationError(`${CONFIG_MAX_REMOVAL_SHARE} must be a share from 0 to 1 (0.25 is 25 %), not ${JSON.stringify(configured)}.`);
        }
        limit = { share, source: CONFIG_MAX_REMOVAL_SHARE };
    }
    const exact = env[ENV_ALLOW_REMOVALS]?.trim();
    if (exact) {
        if (!/^\d+$/.test(exact)) throw new ConfigurationError(`${ENV_ALLOW_REMOVALS} must be the number of users this run may delete, not ${JSON.stringify(exact)}.`);
        limit.allowExactly = Number(exact);
    }
    return limit;
}
