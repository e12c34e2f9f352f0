import { strict as assert } from "assert";
import { declarableRole, holdsExactly, isAdmin, managesUsers, privilegeChange, roleText, rolesOf, splitRoles } from "./roles";
import { loadSchema } from "../package/schema";
import * as fs from "fs";
import { ROLE_SLUGS } from "./user-model";
import { USER_SCHEMA, withModelEnums } from "../../test/tools/docs";

describe("roles", () => {
    it("schema/user.schema.json's role, feature, status, onDelete and mfa values are the model's, as npm run docs writes them", () => {
        const text = fs.readFileSync(USER_SCHEMA, "utf8");
        assert.equal(text, withModelEnums(text), "run npm run docs, and commit schema/user.schema.json");
        const props = (loadSchema("user.schema.json") as { properties: Record<string, { enum?: string[] }> }).properties;
        assert.deepEqual(props["role"]!.enum, [...ROLE_SLUGS]);
    });

    it("knows one Admin: customer_admin, whatever else the user holds", () => {
        assert.equal(isAdmin(["customer_admin"]), true);
        assert.equal(isAdmin(["vrm_admin", "customer_admin"]), true);
        assert.equal(isAdmin(["vrm_admin"]), false);
        assert.equal(isAdmin([]), false);
    });

    it("knows who manages users: the Admin, the VRM and TMH Admins, and an Admin role it does not know", () => {
        assert.equal(managesUsers(["customer_user", "vrm_admin"]), true);
        assert.equal(managesUsers(["trust_management_admin"]), true);
        assert.equal(managesUsers(["trust_management_billing_admin"]), true, "unknown, and named an Admin: counted");
        assert.equal(managesUsers(["customer_group_admin", "vrm_view_only", "trust_management_sales_operations"]), false);
    });

    it("compares a declared role with the role held in its product; other products' roles are beside it", () => {
        assert.deepEqual(splitRoles(["customer_user", "vrm_view_only"], "customer_user"), { same: ["customer_user"], others: ["vrm_view_only"] });
        assert.deepEqual(splitRoles(["customer_admin", "customer_user", "trust_management_sales_operations"], "customer_user"), {
            same: ["customer_admin", "customer_user"],
            others: ["trust_management_sales_operations"],
        });
        assert.deepEqual(splitRoles(["vrm_view_only"], "customer_user"), { same: [], others: ["vrm_view_only"] });
        assert.deepEqual(splitRoles(["customer_user", "vrm_admin"], undefined).same, ["customer_user"], "no declaration: the platform role");
        assert.equal(declarableRole(["customer_user", "vrm_view_only"]), "customer_user");
        assert.equal(declarableRole(["vrm_view_only"]), "vrm_view_only");
        assert.equal(declarableRole(["customer_admin", "customer_user"]), undefined);
        assert.equal(declarableRole([]), undefined);
    });

    it("writes several roles as one text and reads it back", () => {
        assert.equal(roleText(["customer_admin", "vrm_admin"]), "customer_admin,vrm_admin");
        assert.deepEqual(rolesOf("customer_admin,vrm_admin"), ["customer_admin", "vrm_admin"]);
        assert.deepEqual(rolesOf(""), []);
        assert.equal(holdsExactly(["customer_admin", "vrm_admin"], "customer_admin"), false);
        assert.equal(holdsExactly(["customer_admin"], "customer_admin"), true);
    });

    const cases: [string | null, string, string | null][] = [
        [null, "customer_admin", "admin-granted"],
        [null, "customer_user", null],
        ["customer_user", "customer_admin", "admin-granted"],
        ["customer_admin", "customer_user", "admin-removed"],
        ["customer_admin,vrm_admin", "vrm_admin", null],
        ["customer_admin", "vrm_view_only", "admin-removed"],
        ["vrm_view_only", "trust_management_admin", "admin-granted"],
        ["customer_admin,vrm_admin", "customer_admin", null],
        ["customer_user", "customer_group_admin", "raised"],
        ["customer_group_admin", "customer_portfolio_manager", "lowered"],
        ["vrm_view_only", "vrm_admin", "admin-granted"],
        ["vrm_admin", "vrm_operations", "admin-removed"],
        ["vrm_view_only", "vrm_operations", "raised"],
        ["customer_admin", "customer_group_admin", "admin-removed"],
        ["customer_user", "vrm_admin", "admin-granted"],
        ["customer_user", "customer_user", null],
    ];
    for (const [from, to, kind] of cases) {
        it(`${from ?? "(new)"} -> ${to}: ${kind ?? "no privilege change"}`, () => {
            assert.equal(privilegeChange(from, to)?.kind ?? null, kind);
        });
    }
});
