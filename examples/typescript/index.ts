// Bitsight users declared in TypeScript, with defaults shared by everyone.
//
//   pulumi config set --secret bitsight:apiToken <token>
//   pulumi up
import * as pulumi from "@pulumi/pulumi";
import { BitsightAccessGroup, BitsightUser, type BitsightUserArgs } from "pulumi-bitsight";

const config = new pulumi.Config();
/** The access group analysts land in; find GUIDs with GET /ratings/v1/access-groups. */
const analystsGroup = config.get("analystsGroup") ?? "a0000000-0000-4000-8000-000000000002";

const defaults = {
    group: analystsGroup,
    features: { "wfh-ro": false },
    isAvailableForContact: false,
    onDelete: "delete",
} satisfies Partial<BitsightUserArgs>;

// A group made here: a user whose group is its id is created in it once it exists (the
// engine orders them), and it is never deleted while anyone is still in it.
const vendors = new BitsightAccessGroup("Third parties", { name: "Third parties", reason: "vendor analysts see only vendors (SEC-40)" });

type Person = Omit<BitsightUserArgs, "email" | "formalName" | "friendlyName"> & { email: string; name: string };

const people: Person[] = [
    { email: "ana.lopez@example.com", name: "Ana Lopez", role: "customer_admin", isAvailableForContact: true },
    { email: "ben.okafor@example.com", name: "Ben Okafor", role: "customer_user" },
    { email: "chen.wei@example.com", name: "Chen Wei", role: "customer_portfolio_manager", features: { "wfh-ro": true } },
    { email: "dana.ruiz@example.com", name: "Dana Ruiz", role: "customer_user", group: vendors.id },
    // Existed before Pulumi: taken over instead of failing, kept in Bitsight if removed from here.
    { email: "bob@example.com", name: "Bob Analyst", role: "customer_user", adopt: true, onDelete: "retain" },
];

// The email names the resource, so reordering this list never replaces anyone.
export const users = people.map(
    ({ name, ...person }) =>
        new BitsightUser(person.email, {
            ...defaults,
            formalName: name,
            friendlyName: name.split(" ")[0]!,
            ...person,
        }),
);

export const guids = Object.fromEntries(people.map((p, i) => [p.email, users[i]!.guid]));
