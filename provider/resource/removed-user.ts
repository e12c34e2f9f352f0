// A removal that stays removed: a user the file demoted on purpose (`removed:` with
// `onDelete: demote`) is kept demoted. When the file takes
// the user out, the engine deletes its BitsightUser, and that delete demotes it once; from
// then on nothing would stop an Admin from granting the access again in the UI. So the
// program declares, for each such user still in the account, a BitsightRemovedUser:
//   create → demote it now, if it is not demoted already (the lockout guards apply)
//   read   → whether it is still demoted (a refresh finds a grant made in the UI)
//   diff   → an update while it is not
//   update → demote it again
//   delete → nothing: the entry left the file, and the user stays as it is
// It declares nothing a person may change in the UI (names, group): only the access.
import type * as pulumi from "@pulumi/pulumi";
import type { Context } from "../account/context";
import { demotion } from "../account/demotion";
import { roleText } from "../model/roles";
import { BitsightError } from "../base/errors";
import { escapeUnsafe } from "../escape/terminal";
import type { ApiUser } from "../model/wire";
import { demoteUser } from "./delete";

/** The resource's type token, as USER_TYPE is BitsightUser's. */
export const REMOVED_USER_TYPE = "pulumi-nodejs:dynamic/bitsight:RemovedUser";

/** The one value of `keep`: what tells these inputs and outputs from a BitsightUser's. */
export const KEEP_DEMOTED = "demoted";

export interface RemovedUserInputs {
    email: string;
    keep: typeof KEEP_DEMOTED;
}

export interface RemovedUserOutputs extends RemovedUserInputs {
    guid: string;
    /** Whether the account holds the user demoted: nothing beyond bitsight:demoteRole, no feature it may change, no contact flag. */
    demoted: boolean;
    /** What the account holds of it, in words (`customer_admin; features on: wfh-ro`): what a preview shows changed. */
    holds: string;
}

/** Whether a hook's inputs or outputs are a BitsightRemovedUser's. */
export function isRemovedUser(props: unknown): boolean {
    return typeof props === "object" && props !== null && (props as Record<string, unknown>)["keep"] === KEEP_DEMOTED;
}

export function checkRemovedUser(news: Record<string, unknown>): pulumi.dynamic.CheckResult<Record<string, unknown>> {
    const email = typeof news["email"] === "string" ? news["email"].trim() : "";
    const failures = email ? [] : [{ property: "email", reason: "is required: the email of the user to keep demoted" }];
    return { inputs: { email, keep: KEEP_DEMOTED }, failures };
}

export async function createRemovedUser(ctx: Context, raw: Record<string, unknown>): Promise<{ id: string; outs: RemovedUserOutputs }> {
    const email = String(raw["email"]);
    const user = await ctx.account.find(email, { fresh: true });
    if (!user) throw new BitsightError(`${email} is to be kept demoted (removed:, with onDelete: demote), but the account has no user with that email: nothing was changed. Remove the entry.`);
    return { id: user.guid, outs: await keepDemoted(ctx, user.guid, email) };
}

/** Gone from the account: no id, so a refresh drops it (the program declares it no more). */
export async function readRemovedUser(ctx: Context, id: string, props: Partial<RemovedUserOutputs>): Promise<pulumi.dynamic.ReadResult<RemovedUserOutputs>> {
    const user = await ctx.account.read(id);
    if (!user) return {};
    const outs = outputsOf(user, props.email ?? user.email, ctx.demoteRole);
    const inputs: RemovedUserInputs = { email: outs.email, keep: KEEP_DEMOTED };
    // The SDK types a read's inputs as its outputs; the engine stores what is given.
    return { id: user.guid, props: outs, inputs: inputs as RemovedUserOutputs };
}

export function diffRemovedUser(olds: Partial<RemovedUserOutputs>, news: Record<string, unknown>): pulumi.dynamic.DiffResult {
    const emailChanged = String(olds.email ?? "").toLowerCase() !== String(news["email"] ?? "").toLowerCase();
    // Another email is another user: the one kept so far is left as it is.
    return { changes: emailChanged || olds.demoted === false, replaces: emailChanged ? ["email"] : [], deleteBeforeReplace: false };
}

export async function updateRemovedUser(ctx: Context, id: string, news: Record<string, unknown>): Promise<RemovedUserOutputs> {
    return keepDemoted(ctx, id, String(news["email"]));
}

/** Demotes the user unless it is demoted already (one fresh read decides), then says what it holds. */
async function keepDemoted(ctx: Context, guid: string, email: string): Promise<RemovedUserOutputs> {
    ctx.keptDemoted.add(guid.toLowerCase());
    const after = await demoteUser(ctx, guid);
    if (!after) throw new BitsightError(`${email} (${guid}) disappeared from Bitsight while it was being kept demoted.`);
    return outputsOf(after, email, ctx.demoteRole);
}

function outputsOf(user: ApiUser, email: string, demoteRole: string): RemovedUserOutputs {
    const held = [roleText(user.roles.map((r) => r.slug)) || "no role"];
    const on = user.features.filter((f) => f.value && f.can_update).map((f) => f.slug);
    if (on.length) held.push(`features on: ${on.join(", ")}`);
    if (user.is_available_for_contact) held.push("a subscription contact");
    // A sentence the engine prints in a preview's diff: the account's slugs in it are shown escaped.
    return { email, keep: KEEP_DEMOTED, guid: user.guid, demoted: Object.keys(demotion(user, demoteRole)).length === 0, holds: escapeUnsafe(held.join("; ")) };
}
