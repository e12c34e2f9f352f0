import { strict as assert } from "assert";
import type { OnDelete } from "../model/user-model";
import type { ApiUser } from "../model/wire";
import { endIsDifference, endOfAccess, type EndState, type Leaving, type StackView } from "./ending";

const user = (role: string, extra: Partial<ApiUser> = {}): ApiUser => ({
    guid: "g-1",
    email: "erin@example.com",
    formal_name: "Erin",
    friendly_name: "Erin",
    group: null,
    status: "Activated",
    last_login_time: null,
    joined_time: null,
    roles: [{ slug: role, name: role }],
    is_available_for_contact: false,
    is_company_api_token: false,
    features: [],
    ...extra,
});

const unknown: StackView = { known: false };
const managedAs = (recorded: OnDelete): StackView => ({ known: true, recorded });
const notManaged: StackView = { known: true, recorded: undefined };

describe("the end of a user's access, decided once", () => {
    const cases: [string, Leaving, OnDelete, ApiUser | undefined, StackView, EndState, boolean][] = [
        ["an expiry the stack manages is deleted", "expired", "delete", user("customer_user"), managedAs("delete"), "to-delete", true],
        ["an expiry the stack may manage is deleted", "expired", "delete", user("customer_user"), unknown, "to-delete", true],
        ["an expired user gone from the account is done with", "expired", "delete", undefined, managedAs("delete"), "gone", false],
        ["an expired user back in the account, no longer managed, is for the UI", "expired", "delete", user("customer_user"), notManaged, "changed", true],
        ["an expiry recorded as demote would keep the login: blocked", "expired", "delete", user("customer_admin"), managedAs("demote"), "blocked", true],
        ["a removal recorded as delete, now demote: blocked", "removed", "demote", user("customer_admin"), managedAs("delete"), "blocked", true],
        ["a managed demotion with privilege left is to apply", "removed", "demote", user("customer_admin"), managedAs("demote"), "to-demote", true],
        ["a demotion done", "removed", "demote", user("customer_user"), notManaged, "done", false],
        ["a demoted user granted Admin in the UI since", "removed", "demote", user("customer_admin"), notManaged, "changed", true],
        ["a feature turned on since a demotion", "removed", "demote", user("customer_user", { features: [{ slug: "wfh-ro", value: true, can_update: true }] }), notManaged, "changed", true],
        ["a retained user the stack manages", "removed", "retain", user("customer_admin"), managedAs("retain"), "to-retain", true],
        ["a retained user, let go", "removed", "retain", user("customer_admin"), notManaged, "done", false],
    ];
    for (const [what, leaving, onDelete, live, stack, state, difference] of cases) {
        it(what, () => {
            const e = endOfAccess(leaving, "erin@example.com", onDelete, live, stack, "customer_user");
            assert.equal(e.state, state, JSON.stringify(e));
            assert.equal(endIsDifference(e), difference);
        });
    }

    it("says what the account holds beyond the demotion, and how to apply the file's onDelete when the stack recorded another", () => {
        const left = endOfAccess("removed", "erin@example.com", "demote", user("customer_admin", { is_available_for_contact: true }), managedAs("demote"), "customer_user");
        assert.equal(left.detail, "holds customer_admin; a subscription contact");
        const blocked = endOfAccess("expired", "erin@example.com", "delete", user("customer_user"), managedAs("demote"), "customer_user");
        assert.match(blocked.detail!, /set erin@example\.com's expires: to a later day, apply \(the stack then records onDelete: delete\), then set the date back$/);
    });
});
