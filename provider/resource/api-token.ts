// BitsightApiToken's hooks: a company API token, known by its description.
//   check  → validate, offline
//   diff   → description or group changed: a replacement (a new token, emailed, then the
//            old one revoked); its person, reason or expires: recorded only (the person is
//            whom creation emails: the account does not keep it)
//   update → records them: no call is made
//   create → GET …/api-tokens: a token with this description is adopted (never re-created);
//            else POST, its value emailed to its person, and the new one found by listing
//   read   → GET …/api-tokens; gone: no id, so a refresh drops it
//   delete → DELETE …/api-tokens/{guid}, never of the token this process runs with
// The token's value is never held: the state keeps its guid and the last four characters
// the listing shows.
import type * as pulumi from "@pulumi/pulumi";
import type { Context } from "../account/context";
import { apiTokensOrFail, createApiToken, mayBeHeld, revokeApiToken, type ApiToken } from "../account/api-tokens";
import { BitsightError } from "../base/errors";
import { GUID } from "../model/user-model";

/** What the program declares of a token; `group` resolved to the account's GUID, with its name. */
export interface ApiTokenInputs {
    description: string;
    email: string;
    group?: string | undefined;
    groupName?: string | undefined;
    reason: string;
    expires?: string | undefined;
}

export interface ApiTokenOutputs extends ApiTokenInputs {
    guid: string;
    /** As the listing masks it: `********aaaa`. */
    token: string;
    createdDate: string;
    /** The account held it before this stack: adopted, not created. */
    adopted: boolean;
}

/** The resource's type token: Pulumi's dynamic-provider prefix, module `bitsight`, type `ApiToken`. */
export const API_TOKEN_TYPE = "pulumi-nodejs:dynamic/bitsight:ApiToken";

type Raw = Record<string, unknown>;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** A change of either is a new token: the API changes neither in place. */
const REPLACED_BY = ["description", "group"] as const;
/** Recorded in the state only: no API call holds them. */
const RECORDED = ["email", "reason", "expires"] as const;

export function checkApiToken(news: Raw): pulumi.dynamic.CheckResult<Raw> {
    const failures: pulumi.dynamic.CheckFailure[] = [];
    const text = (k: string) => (typeof news[k] === "string" ? (news[k] as string).trim() : "");
    if (!text("description")) failures.push({ property: "description", reason: "a token needs a description: the file and the account know it by it" });
    if (!EMAIL.test(text("email"))) failures.push({ property: "email", reason: "the person the token's value is emailed to: an email address" });
    if (!text("reason")) failures.push({ property: "reason", reason: "say why the token exists (what uses it, who asked)" });
    if (news["group"] !== undefined && !GUID.test(String(news["group"]))) failures.push({ property: "group", reason: "the access group's GUID" });
    return failures.length ? { failures } : { inputs: { ...news, description: text("description"), email: text("email") } };
}

export function diffApiToken(olds: Partial<ApiTokenOutputs>, news: ApiTokenInputs): pulumi.dynamic.DiffResult {
    const replaces = REPLACED_BY.filter((k) => (olds[k] ?? undefined) !== (news[k] ?? undefined));
    const changes = replaces.length > 0 || RECORDED.some((k) => (olds[k] ?? undefined) !== (news[k] ?? undefined));
    // Created before the old one is revoked: its person has the new value before the old stops.
    return { changes, replaces: [...replaces], deleteBeforeReplace: false };
}

/** Only what no API call holds changes in place (diff replaces for the rest): recorded from the declaration. */
export function updateApiToken(olds: ApiTokenOutputs, news: ApiTokenInputs): ApiTokenOutputs {
    const outs: ApiTokenOutputs = { ...olds };
    for (const k of RECORDED) {
        if (news[k] === undefined) delete outs[k];
        else (outs as unknown as Record<string, unknown>)[k] = news[k];
    }
    return outs;
}

export async function createApiTokenResource(ctx: Context, inputs: ApiTokenInputs): Promise<{ id: string; outs: ApiTokenOutputs }> {
    const tokens = await apiTokensOrFail(ctx.api.http);
    const same = tokens.filter((t) => t.description === inputs.description);
    if (same.length > 1) {
        throw new BitsightError(
            `${same.length} company API tokens are described "${inputs.description}" (${same.map(shown).join(", ")}): the file cannot tell which it declares. ` +
                "Revoke the ones not in use in the Bitsight UI, or give the declared token a description of its own. Nothing was changed.",
        );
    }
    const found = same[0];
    if (found) {
        if (inputs.groupName !== undefined && found.group !== null && found.group !== inputs.groupName) {
            throw new BitsightError(
                `The account's token "${inputs.description}" (${shown(found)}) is in the access group ${found.group}, the file declares ${inputs.groupName}: a token's group cannot change. ` +
                    `Declare group: ${found.group} to adopt it as it is, or give the entry a new description to create a new token. Nothing was changed.`,
            );
        }
        return { id: found.guid, outs: outputs(inputs, found, true) };
    }
    const group = inputs.group !== undefined ? { guid: inputs.group, name: inputs.groupName ?? inputs.group } : undefined;
    const made = await createApiToken(ctx.api.http, { description: inputs.description, email: inputs.email, group });
    return { id: made.guid, outs: outputs(inputs, made, false) };
}

export async function readApiToken(ctx: Context, id: string, props: Partial<ApiTokenOutputs>): Promise<pulumi.dynamic.ReadResult<ApiTokenOutputs>> {
    const token = (await apiTokensOrFail(ctx.api.http)).find((t) => t.guid.toLowerCase() === id.toLowerCase());
    if (!token) return {};
    const declared: ApiTokenInputs = {
        description: token.description,
        email: props.email ?? "",
        group: props.group,
        groupName: token.group ?? props.groupName,
        reason: props.reason ?? "",
        expires: props.expires,
    };
    const outs = outputs(declared, token, props.adopted ?? false);
    return { id: token.guid, props: outs, inputs: inputsOf(outs) as never };
}

/** Revokes the token, unless it may be the one this process runs with: the listing's last four are all there is to tell. */
export async function deleteApiToken(ctx: Context, id: string, props: Partial<ApiTokenOutputs>): Promise<void> {
    const token = (await apiTokensOrFail(ctx.api.http)).find((t) => t.guid.toLowerCase() === id.toLowerCase());
    if (!token) return;
    if (mayBeHeld(token, ctx.ownTokenLastFour)) {
        throw new BitsightError(
            `Refusing to revoke the company API token "${props.description ?? token.description}" (${shown(token)}): it ends as the token pulumi up runs with does, and revoking it would cut this run off mid-way. ` +
                "Run this change with another Admin's or company API token (BITSIGHT_API_TOKEN), then revoke it. Nothing was changed.",
        );
    }
    await revokeApiToken(ctx.api.http, token.guid);
}

/** Without absent fields: the host cannot pass an undefined value on. */
function outputs(inputs: ApiTokenInputs, t: ApiToken, adopted: boolean): ApiTokenOutputs {
    const all: ApiTokenOutputs = { ...inputs, groupName: t.group ?? inputs.groupName, guid: t.guid, token: t.token, createdDate: t.createdDate, adopted };
    return Object.fromEntries(Object.entries(all).filter(([, v]) => v !== undefined)) as unknown as ApiTokenOutputs;
}

function inputsOf(o: ApiTokenOutputs): Raw {
    const { guid: _g, token: _t, createdDate: _c, adopted: _a, ...inputs } = o;
    return inputs;
}

function shown(t: ApiToken): string {
    return `token ${t.token}, created ${t.createdDate.slice(0, 10)}`;
}
