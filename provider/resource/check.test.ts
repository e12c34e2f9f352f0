import { strict as assert } from "assert";
import { checkUser, normaliseUser } from "./check";
import { UNKNOWN } from "./preview-unknown";

const valid = {
    email: "ana@example.com",
    formalName: "Ana Lopez",
    friendlyName: "Ana",
    role: "customer_user",
};

describe("check", () => {
    it("accepts a minimal user and applies the defaults", () => {
        const r = checkUser({ ...valid, __provider: "serialized" });
        assert.deepEqual(r.failures, []);
        assert.deepEqual(r.inputs, { ...valid, adopt: false, onDelete: "delete" });
    });

    it("trims text and lower-cases the group GUID, keeping the email's case", () => {
        const r = checkUser({
            ...valid,
            email: "  Ana@Example.COM ",
            formalName: " Ana Lopez ",
            group: " A0000000-0000-4000-8000-00000000000F ",
        });
        assert.deepEqual(r.failures, []);
        assert.equal(r.inputs["email"], "Ana@Example.COM");
        assert.equal(r.inputs["formalName"], "Ana Lopez");
        assert.equal(r.inputs["group"], "a0000000-0000-4000-8000-00000000000f");
    });

    it("accepts an internationalised domain in its ASCII (xn--) form", () => {
        assert.deepEqual(checkUser({ ...valid, email: "ana@xn--bcher-kva.example" }).failures, []);
    });

    const cases: [string, Record<string, unknown>, { property: string; reason: string }[]][] = [
        ["missing email", { ...valid, email: undefined }, [{ property: "email", reason: "is required" }]],
        [
            "bad email",
            { ...valid, email: "ana.example.com" },
            [{ property: "email", reason: '"ana.example.com" is not a valid email address' }],
        ],
        [
            "unknown role, with a suggestion",
            { ...valid, role: "customer_admn" },
            [
                {
                    property: "role",
                    reason:
                        '"customer_admn" is not a Bitsight role (did you mean "customer_admin"?); use one of customer_admin, customer_group_admin, customer_portfolio_manager, customer_user, vrm_admin, vrm_operations, vrm_view_only, vrm_internal_business_user, vulnerability_response_outreach',
                },
            ],
        ],
        [
            "an email holding a zero-width space",
            { ...valid, email: "ana\u200b@example.com" },
            [{ property: "email", reason: "contains an invisible character U+200B (zero width space, \\u200b) at character 4: a reviewer cannot see it, and the value is not what it looks like; remove it" }],
        ],
        [
            "a name holding a right-to-left override",
            { ...valid, formalName: "Ana \u202eLopez" },
            [{ property: "formalName", reason: "contains an invisible character U+202E (right-to-left override, \\u202e) at character 5: a reviewer cannot see it, and the value is not what it looks like; remove it" }],
        ],
        [
            "an email with a look-alike letter from another script",
            { ...valid, email: "\u0430na@example.com" },
            [{ property: "email", reason: '"\u0430na@example.com" contains "\u0430" (U+0430): emails here are ASCII only, so that a look-alike letter from another script cannot pass review; write an internationalised domain in its ASCII form (xn--…)' }],
        ],
        ["an email ending in a dot", { ...valid, email: "ana@example.com." }, [{ property: "email", reason: '"ana@example.com." ends in a dot; remove it' }]],
        ["two roles as a list", { ...valid, role: ["customer_user", "customer_admin"] }, [{ property: "role", reason: "takes exactly one role slug, not a list: Bitsight allows one role per user" }]],
        [
            "typo in a field name",
            { ...valid, rol: "customer_user" },
            [
                {
                    property: "rol",
                    reason:
                        'is not a known field; did you mean "role"? allowed fields are email, formalName, friendlyName, role, group, features, isAvailableForContact, isCompanyApiToken, status, adopt, onDelete, mfa',
                },
            ],
        ],
        [
            "group that is not a GUID",
            { ...valid, group: "Security Operations" },
            [
                {
                    property: "group",
                    reason:
                        '"Security Operations" is not an access-group GUID (like 8c0f6c3e-2b5a-4d0e-9f7a-1b2c3d4e5f60); list the account\'s groups with GET /ratings/v1/access-groups',
                },
            ],
        ],
        ["unknown feature", { ...valid, features: { "wfh-rw": true } }, [{ property: "features.wfh-rw", reason: "is not a known feature; use one of wfh-ro, fq-access" }]],
        ["feature not boolean", { ...valid, features: { "wfh-ro": "yes" } }, [{ property: "features.wfh-ro", reason: 'must be true or false, not string "yes"' }]],
        ["blank name", { ...valid, formalName: "   " }, [{ property: "formalName", reason: "must not be empty" }]],
        [
            "onDelete typo",
            { ...valid, onDelete: "keep" },
            [{ property: "onDelete", reason: '"keep" is not an onDelete choice; use one of delete, retain, demote' }],
        ],
        ["status unknown", { ...valid, status: "Active" }, [{ property: "status", reason: '"Active" is not a Bitsight user status (did you mean "Activated"?); use one of Created, Activated, Deactivated' }]],
        ["flag as string", { ...valid, isAvailableForContact: "true" }, [{ property: "isAvailableForContact", reason: 'must be true or false, not string "true"' }]],
    ];
    for (const [name, input, expected] of cases) {
        it(`fails on ${name}`, () => {
            const clean = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
            assert.deepEqual(checkUser(clean).failures, expected);
        });
    }

    it("reports every problem at once", () => {
        const r = checkUser({ email: "x", role: "boss" });
        assert.deepEqual(
            r.failures.map((f) => f.property),
            ["formalName", "friendlyName", "email", "role"],
        );
    });

    it("validates only known values during a preview", () => {
        const r = checkUser({ ...valid, email: UNKNOWN, group: UNKNOWN, features: { "wfh-ro": UNKNOWN } });
        assert.deepEqual(r.failures, []);
        assert.equal(r.inputs["email"], UNKNOWN);
    });

    it("still fails known values next to unknown ones", () => {
        const r = checkUser({ ...valid, email: UNKNOWN, role: "admin" });
        assert.deepEqual(r.failures.map((f) => f.property), ["role"]);
    });

    it("normalise keeps explicit settings", () => {
        assert.deepEqual(normaliseUser({ adopt: true, onDelete: "retain" }), { adopt: true, onDelete: "retain" });
    });
});
