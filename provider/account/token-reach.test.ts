import { strict as assert } from "assert";
import { partialView } from "./token-reach";
import type { CurrentUser, UsersApi } from "./users-api";

const answering = (current: CurrentUser) => ({ currentUser: async () => current }) as unknown as UsersApi;

describe("partialView: what a token that is not an Admin's cannot see", () => {
    it("concludes only from roles the current-user call names", async () => {
        assert.equal(await partialView(answering({ roleNames: ["Admin"] })), null);
        assert.equal(await partialView(answering({ roleNames: ["Admin", "VRM Admin"] })), null);
        assert.match((await partialView(answering({ roleNames: ["Group Admin"] })))!, /not an Admin \(Group Admin\)/);
        // A company API token's answer is undocumented: no roles, or none at all, says nothing.
        assert.equal(await partialView(answering({ roleNames: [] })), null);
        assert.equal(await partialView(answering({})), null);
    });
});
