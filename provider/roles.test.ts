import { strict as assert } from "assert";
import { holdsExactly, isAdmin, privilegeChange, roleText, rolesOf } from "./roles";
import { loadSchema } from "./schema";
import { FEATURE_SLUGS, ROLE_SLUGS, USER_STATUSES } from "./user-model";

describe("roles", () => {
    it("lists the same role, feature and status slugs in the types and in schema/user.schema.json", () => {
        const props = (loadSchema("user.schema.json") as { properties: Record<string, { enum?: string[]; propertyNames?: { enum: string[] } }> }).properties;
        assert.deepEqual(props["role"]!.enum, [...ROLE_SLUGS]);
        assert.deepEqual(props["features"]!.propertyNames!.enum, [...FEATURE_SLUGS]);
        assert.deepEqual(props["status"]!.enum, [...USER_STATUSES]);
    });

    it("knows one Admin: customer_admin, whatever else the user holds", () => {
        assert.equal(isAdmin(["customer_admin"]), true);
        assert.equal(isAdmin(["vrm_admin", "customer_admin"]), true);
        assert.equal(isAdmin(["vrm_admin"]), false);
        assert.equal(isAdmin([]), false);
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
        ["customer_admin,vrm_admin", "vrm_admin", "admin-removed"],
        ["customer_admin,vrm_admin", "customer_admin", null],
        ["customer_user", "customer_group_admin", "raised"],
        ["customer_group_admin", "customer_portfolio_manager", "lowered"],
        ["vrm_view_only", "vrm_admin", "raised"],
        ["vrm_admin", "vrm_operations", "lowered"],
        ["customer_user", "vrm_admin", null],
        ["customer_user", "customer_user", null],
    ];
    for (const [from, to, kind] of cases) {
        it(`${from ?? "(new)"} -> ${to}: ${kind ?? "no privilege change"}`, () => {
            assert.equal(privilegeChange(from, to)?.kind ?? null, kind);
        });
    }
});
