import { strict as assert } from "assert";
import { diffUser, statusConflict, toPatchBody } from "./diff";
import type { UserInputs, UserOutputs } from "../model/user-model";
import { UNKNOWN } from "./preview-unknown";

const declared: UserInputs = {
    email: "ana@example.com",
    formalName: "Ana Lopez",
    friendlyName: "Ana",
    role: "customer_user",
    group: "a0000000-0000-4000-8000-000000000002",
    features: { "wfh-ro": false },
    isAvailableForContact: false,
    adopt: false,
    onDelete: "delete",
};

/** What the state holds for that declaration: it, and what Bitsight says of the user. */
const state: UserOutputs = {
    ...declared,
    guid: "e0000000-0000-4000-8000-000000000001",
    status: "Activated",
    groupName: "Security Operations",
    roleName: "User",
    joinedTime: "2026-01-01T00:00:00Z",
    lastLoginTime: null,
    mfaStatus: "not_enabled",
    adopted: false,
};

describe("diff", () => {
    const table: [string, Partial<UserInputs>, Partial<UserOutputs>, string[]][] = [
        ["nothing changed", {}, {}, []],
        ["email differs only in case", { email: "Ana@Example.com" }, {}, []],
        ["email changed", { email: "ana.lopez@example.com" }, {}, ["email"]],
        ["role raised", { role: "customer_admin" }, {}, ["role"]],
        ["role changed in the account", {}, { role: "customer_admin" }, ["role"]],
        ["group GUID differs only in case", { group: "A0000000-0000-4000-8000-000000000002" }, {}, []],
        ["group moved in the account", {}, { group: "a0000000-0000-4000-8000-000000000003" }, ["group"]],
        ["a declared feature flipped", { features: { "wfh-ro": true } }, {}, ["features.wfh-ro"]],
        ["an undeclared feature is ignored", { features: {} }, { features: { "wfh-ro": true } }, []],
        ["a feature declared for the first time", { features: { "wfh-ro": false, "fq-access": true } }, {}, ["features.fq-access"]],
        ["an undeclared flag is not managed", { isAvailableForContact: undefined }, { isAvailableForContact: true }, []],
        ["a declared flag drifted", {}, { isAvailableForContact: true }, ["isAvailableForContact"]],
        ["onDelete changed", { onDelete: "retain" }, {}, ["onDelete"]],
        ["adopt changed", { adopt: true }, {}, ["adopt"]],
        ["an unknown value during preview", { formalName: UNKNOWN }, {}, ["formalName"]],
        ["status is never diffed as a field", { status: "Created" }, { status: "Activated" }, []],
    ];
    for (const [name, news, olds, fields] of table) {
        it(name, () => {
            const changes = diffUser({ ...state, ...olds }, { ...declared, ...news } as UserInputs);
            assert.deepEqual(changes.map((c) => c.field), fields);
        });
    }

    it("marks adopt and onDelete as needing no API call", () => {
        const changes = diffUser(state, { ...declared, adopt: true, onDelete: "retain", role: "customer_admin" });
        assert.deepEqual(changes.map((c) => [c.field, c.api]), [["role", true], ["adopt", false], ["onDelete", false]]);
    });

    it("builds a PATCH body with only the changed fields", () => {
        const news: UserInputs = { ...declared, role: "customer_admin", features: { "wfh-ro": true }, onDelete: "retain" };
        assert.deepEqual(toPatchBody(diffUser(state, news), news, { features: [] }), {
            roles: [{ slug: "customer_admin" }],
            features: [{ slug: "wfh-ro", value: true }],
        });
    });

    it("names every feature the user may change once it sends any: a PATCH that replaces the list must not switch one off", () => {
        const news: UserInputs = { ...declared, features: { "wfh-ro": true } };
        const current = {
            features: [
                { slug: "wfh-ro", value: false, can_update: true },
                { slug: "fq-access", value: true, can_update: true },
                { slug: "locked", value: true, can_update: false },
            ],
        };
        assert.deepEqual(toPatchBody(diffUser({ ...state, features: { "wfh-ro": false } }, news), news, current).features, [
            { slug: "wfh-ro", value: true },
            { slug: "fq-access", value: true },
        ]);
        assert.deepEqual(toPatchBody(diffUser(state, declared), declared, current), {}, "no feature changed: none sent");
    });

    it("sends the declared spelling of a changed email", () => {
        const news: UserInputs = { ...declared, email: "Ana.Lopez@example.com" };
        assert.deepEqual(toPatchBody(diffUser(state, news), news, { features: [] }), { email: "Ana.Lopez@example.com" });
    });
});

describe("statusConflict", () => {
    const table: [string | undefined, string | undefined, boolean][] = [
        ["Activated", undefined, false],
        ["Activated", "Created", false],
        ["Created", "Activated", false],
        ["Activated", "Deactivated", true],
        ["Deactivated", "Activated", true],
        ["Deactivated", "Created", true],
        ["Deactivated", "Deactivated", false],
        [undefined, "Deactivated", false],
        ["Activated", UNKNOWN, false],
    ];
    for (const [observed, wanted, conflict] of table) {
        it(`${String(observed)} in the account, ${String(wanted)} declared: ${conflict ? "conflict" : "fine"}`, () => {
            assert.equal(statusConflict(observed, wanted) !== undefined, conflict);
        });
    }

    it("says what to do, and that nothing changed", () => {
        assert.equal(
            statusConflict("Activated", "Deactivated"),
            'status: declared "Deactivated" but the user is "Activated" in Bitsight, and the Bitsight API cannot change the status of an existing user (status only applies when a user is created). To resolve it, deactivate the user in the Bitsight UI, or declare status "Activated". Nothing was changed.',
        );
    });
});
