// BitsightAccessGroup's hooks: an access group, known by its GUID once made or adopted.
//   check  → validate, offline
//   diff   → a flag the declaration sets differs, or the name, or the companies it sees:
//            changed in place (PATCH; PUT …/companies/guids, read back)
//   create → GET /ratings/v1/access-groups: one group with this name is adopted (and its
//            declared flags set), several are refused; else POST, found again by listing
//   read   → the listing: the name and the flags the declaration sets, as the account has
//            them; and the companies, where the declaration sets them
//   update → PATCH what differs
//   delete → never the default or the All Companies group, never one with users (named);
//            else DELETE. The engine deletes after every create and update of the run, so
//            users a run moves out have left by then.
// `isDefault: false` is never sent: an account always has a default group, and setting
// another group's `isDefault: true` is what unsets it.
import type * as pulumi from "@pulumi/pulumi";
import type { Context } from "../account/context";
import { companySet, createAccessGroup, deleteAccessGroup, editAccessGroup, groupCompanies, GROUP_FLAGS as FLAGS, groupMembers, heldAs, listAccessGroups, setGroupCompanies, WIRE_FIELDS, type AccessGroup, type GroupFields } from "../account/access-groups";
import { GUID } from "../model/user-model";
import { BitsightError } from "../base/errors";

export interface AccessGroupInputs extends GroupFields {
    /** Why the group exists, for reviewers; never sent to Bitsight. */
    reason?: string | undefined;
    /** The GUIDs of the companies the group sees; absent: left as the account has them. */
    companies?: string[] | undefined;
    /** Names it had: with none of `name` in the account, a group of one of these is adopted and renamed. */
    formerNames?: string[] | undefined;
}

export interface AccessGroupOutputs extends AccessGroupInputs {
    guid: string;
    /** The account held it before this stack: adopted, not created. */
    adopted: boolean;
}

/** The resource's type token: Pulumi's dynamic-provider prefix, module `bitsight`, type `AccessGroup`. */
export const ACCESS_GROUP_TYPE = "pulumi-nodejs:dynamic/bitsight:AccessGroup";

type Raw = Record<string, unknown>;

export function checkAccessGroup(news: Raw): pulumi.dynamic.CheckResult<Raw> {
    const failures: pulumi.dynamic.CheckFailure[] = [];
    const name = typeof news["name"] === "string" ? news["name"].trim() : "";
    if (!name) failures.push({ property: "name", reason: "a group needs a name: the file and the Bitsight UI know it by it" });
    for (const k of FLAGS) if (news[k] !== undefined && typeof news[k] !== "boolean") failures.push({ property: k, reason: "true or false" });
    const companies = news["companies"];
    if (companies !== undefined && (!Array.isArray(companies) || companies.some((c) => typeof c !== "string" || !GUID.test(c)))) {
        failures.push({ property: "companies", reason: "a list of company GUIDs (from the portfolio: GET /ratings/v1/portfolio)" });
    }
    if (failures.length) return { failures };
    return { inputs: { ...news, name, ...(Array.isArray(companies) ? { companies: companySet(companies as string[]) } : {}) } };
}

/** Every change is made in place; the fields that differ, for the preview. */
export function diffAccessGroup(olds: Partial<AccessGroupOutputs>, news: AccessGroupInputs): pulumi.dynamic.DiffResult {
    const changed = changedFields(olds, news);
    const recorded = (olds.reason ?? undefined) !== (news.reason ?? undefined);
    return { changes: changed.length > 0 || recorded || companiesDiffer(olds.companies, news.companies), replaces: [], deleteBeforeReplace: false };
}

function changedFields(olds: Partial<AccessGroupOutputs>, news: AccessGroupInputs): (keyof GroupFields)[] {
    const flags = FLAGS.filter((k) => news[k] !== undefined && news[k] !== olds[k]);
    return [...(olds.name !== news.name ? (["name"] as const) : []), ...flags];
}

/** What to send: `is_default` only when true (see the header). */
function toSend(fields: Partial<GroupFields>): Partial<GroupFields> {
    const out: Partial<GroupFields> = { ...fields };
    if (out.isDefault !== true) delete out.isDefault;
    return out;
}

export async function createAccessGroupResource(ctx: Context, inputs: AccessGroupInputs): Promise<{ id: string; outs: AccessGroupOutputs }> {
    const all = await listAccessGroups(ctx.api.http);
    const same = heldAs(inputs, all);
    if (same.length > 1) {
        throw new BitsightError(
            `${same.length} access groups are named "${inputs.name}" (${same.map((g) => g.guid).join(", ")}): the file cannot tell which it declares. ` +
                "Rename or delete the extra ones in the Bitsight UI, or give the declared group a name of its own. Nothing was changed.",
        );
    }
    const found = same[0];
    if (found) {
        // Adopted under a former name: renamed in place.
        const differing = changedFields(current(found), inputs);
        const changes = toSend(Object.fromEntries(differing.map((k) => [k, inputs[k]])));
        if (Object.keys(changes).length) await editAccessGroup(ctx.api.http, found.guid, changes);
        await putCompanies(ctx, found, inputs.companies, undefined);
        return { id: found.guid, outs: outputs(inputs, found.guid, true) };
    }
    const made = await createAccessGroup(ctx.api.http, toSend(fieldsOf(inputs)) as GroupFields);
    await putCompanies(ctx, made, inputs.companies, []);
    return { id: made.guid, outs: outputs(inputs, made.guid, false) };
}

export async function readAccessGroup(ctx: Context, id: string, props: Partial<AccessGroupOutputs>): Promise<pulumi.dynamic.ReadResult<AccessGroupOutputs>> {
    const g = (await listAccessGroups(ctx.api.http)).groups.find((x) => x.guid.toLowerCase() === id.toLowerCase());
    if (!g) return {};
    const now = current(g);
    // The reason and former names are the file's alone: kept as the state has them (a refresh that dropped the reason showed drift: test/engine/access-groups.test.ts).
    const declared: AccessGroupInputs = { ...fieldsOf(props as AccessGroupInputs), name: g.name, ...(props.reason !== undefined ? { reason: props.reason } : {}), ...(props.formerNames !== undefined ? { formerNames: props.formerNames } : {}) };
    for (const k of FLAGS) if (declared[k] !== undefined && now[k] !== undefined) declared[k] = now[k];
    if (props.companies !== undefined) {
        const companies = await groupCompanies(ctx.api.http, g.guid);
        if (companies !== "gone") declared.companies = companies;
    }
    const outs = outputs(declared, g.guid, props.adopted ?? false);
    const { guid: _g, adopted: _a, ...inputs } = outs;
    return { id: g.guid, props: outs, inputs: inputs as never };
}

export async function updateAccessGroup(ctx: Context, id: string, olds: AccessGroupOutputs, news: AccessGroupInputs): Promise<AccessGroupOutputs> {
    const changes = toSend(Object.fromEntries(changedFields(olds, news).map((k) => [k, news[k]])));
    if (Object.keys(changes).length) await editAccessGroup(ctx.api.http, id, changes);
    if (companiesDiffer(olds.companies, news.companies)) await putCompanies(ctx, { guid: id, name: news.name }, news.companies, olds.companies);
    return outputs(news, olds.guid, olds.adopted);
}

/** Deletes the group, unless the account would refuse or lose something: the default group, All Companies, or a group that has users. */
export async function deleteAccessGroupResource(ctx: Context, id: string): Promise<void> {
    const g = (await listAccessGroups(ctx.api.http)).groups.find((x) => x.guid.toLowerCase() === id.toLowerCase());
    if (!g) return;
    const refuse = (why: string, what: string) => {
        throw new BitsightError(`Refusing to delete the access group "${g.name}" (${g.guid}): ${why}. ${what} Nothing was changed.`);
    };
    if (g.allCompanies) refuse("it is the account's All Companies group", "Keep it in the file.");
    if (g.isDefault) refuse("it is the account's default group, where new users land", "Set `isDefault: true` on another group first, or keep it in the file.");
    const members = await groupMembers(ctx.api.http, g.guid, () => ctx.account.everyone());
    if (members === "gone") return;
    if (members.count > 0) {
        const named = members.emails.slice(0, 20).join(", ");
        const more = members.count - Math.min(20, members.emails.length);
        refuse(
            `${members.count} user${members.count === 1 ? " is" : "s are"} still in it (${named || "the account does not name them"}${more > 0 ? `, and ${more} more` : ""})`,
            `Move them to another group (their \`group:\` in the file), or remove them, in the same change.`,
        );
    }
    await deleteAccessGroup(ctx.api.http, g.guid);
}

/** Whether the declared companies differ from those recorded; undeclared: never. */
function companiesDiffer(olds: string[] | undefined, news: string[] | undefined): boolean {
    return news !== undefined && (olds === undefined || companySet(olds).join() !== companySet(news).join());
}

/** Sets the companies the group sees, where declared and not already so (`known`: as the state or a new group has them; undefined: ask). */
async function putCompanies(ctx: Context, g: Pick<AccessGroup, "guid" | "name" | "allCompanies">, companies: string[] | undefined, known: string[] | undefined): Promise<void> {
    if (companies === undefined) return;
    if (g.allCompanies) throw new BitsightError(`The access group "${g.name}" is the account's All Companies group: it sees every company. Leave companies: out of its entry. Nothing was changed.`);
    const now = known ?? (await groupCompanies(ctx.api.http, g.guid));
    if (now !== "gone" && !companiesDiffer(now, companies)) return;
    await setGroupCompanies(ctx.api.http, g.guid, companies);
}

function current(g: AccessGroup): Partial<GroupFields> {
    return { name: g.name, isDefault: g.isDefault, allowBundledCompanies: g.allowBundledCompanies, canSetTierScope: g.canSetTierScope };
}

function fieldsOf(i: AccessGroupInputs): GroupFields {
    return Object.fromEntries(Object.keys(WIRE_FIELDS).flatMap((k) => (i[k as keyof GroupFields] === undefined ? [] : [[k, i[k as keyof GroupFields]]]))) as unknown as GroupFields;
}

/** Without absent fields: the host cannot pass an undefined value on. */
function outputs(inputs: AccessGroupInputs, guid: string, adopted: boolean): AccessGroupOutputs {
    const all: AccessGroupOutputs = { ...inputs, guid, adopted };
    return Object.fromEntries(Object.entries(all).filter(([, v]) => v !== undefined)) as unknown as AccessGroupOutputs;
}
