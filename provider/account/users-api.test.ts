import { strict as assert } from "assert";
import { GROUPS, SEEDED, SEED_TOKEN } from "../../test/emulator/seed";
import { useEmulator } from "../../test/helpers/emulator";
import { underEach } from "../../test/helpers/quirks";
import { BitsightApiError, UnexpectedResponseError } from "../client/errors";
import { HttpClient } from "../client/http";
import { Account } from "./account";
import { UsersApi } from "./users-api";

/** The fresh, filtered look-up by email: the one way to find a user by email, asked not to use a listing. */
function byEmail(api: UsersApi, email: string) {
    return new Account(api).find(email, { fresh: true });
}

describe("UsersApi against the emulator", () => {
    const env = useEmulator();
    const api = () => new UsersApi(new HttpClient(env.conn));

    it("follows links.next through every page", async () => {
        const users = await api().list({ limit: 2 });
        assert.deepEqual(users.map((u) => u.email), ["alice@example.com", "bob@example.com", "carol@example.com", "dave.contractor@example.com"]);
        assert.deepEqual(env.emu.requests(), [
            "GET /ratings/v2/users?limit=2&offset=0&sort=guid",
            "GET /ratings/v2/users?limit=2&offset=2&sort=guid",
        ]);
    });

    it("sends list filters, several values comma separated", async () => {
        const users = await api().list({ "roles.slug": ["customer_admin", "customer_portfolio_manager"], status: ["Activated"] });
        assert.deepEqual(users.map((u) => u.guid), [SEEDED.alice, SEEDED.carol]);
        assert.deepEqual(env.emu.requests(), [
            "GET /ratings/v2/users?limit=100&offset=0&sort=guid&roles.slug=customer_admin%2Ccustomer_portfolio_manager&status=Activated",
        ]);
    });

    it("finds a user by email with the email filter, among people first, then company-API-token users", async () => {
        assert.equal((await byEmail(api(), "bob@example.com"))?.guid, SEEDED.bob);
        assert.equal((await byEmail(api(), "api-token@example.com"))?.guid, SEEDED.tokenUser);
        assert.deepEqual(env.emu.requests(), [
            "GET /ratings/v2/users?limit=100&offset=0&sort=guid&email=bob%40example.com&is_company_api_token=false",
            "GET /ratings/v2/users?limit=100&offset=0&sort=guid&email=api-token%40example.com&is_company_api_token=false",
            "GET /ratings/v2/users?limit=100&offset=0&sort=guid&email=api-token%40example.com&is_company_api_token=true",
        ]);
    });

    it("answers undefined for an email nobody has", async () => {
        assert.equal(await byEmail(api(), "nobody@example.com"), undefined);
    });

    it("gets one user, and undefined when it does not exist", async () => {
        assert.equal((await api().get(SEEDED.carol))?.group?.name, "Vendor Risk");
        assert.equal(await api().get("e0000000-0000-4000-8000-00000000ffff"), undefined);
    });

    it("creates with a flat body and reports the API's refusal of a duplicate", async () => {
        const body = { email: "new@example.com", formal_name: "New Person", friendly_name: "New", roles: [{ slug: "customer_user" }] as [{ slug: string }] };
        const created = await api().create(body);
        assert.equal(created.status, "Created");
        assert.deepEqual(env.emu.log[0]?.body, body);
        await assert.rejects(api().create({ ...body, email: "NEW@example.com" }), (err: unknown) => {
            assert.ok(err instanceof BitsightApiError);
            assert.equal(err.message, "Bitsight API answered 400 Bad Request to POST /ratings/v2/users: email: A user with this email already exists.");
            return true;
        });
    });

    it("deletes, and calls an already deleted user absent", async () => {
        assert.equal(await api().delete(SEEDED.dave), "deleted");
        assert.equal(await api().delete(SEEDED.dave), "absent");
        assert.deepEqual(env.emu.requests(), [`DELETE /ratings/v2/users/${SEEDED.dave}`, `DELETE /ratings/v2/users/${SEEDED.dave}`]);
    });

    it("reads the caller from /v1/users/current in its documented shape: no guid, no email", async () => {
        assert.deepEqual(await api().currentUser(), { dateJoined: "2024-01-10T08:00:00Z", groupGuid: GROUPS.all.guid, roleNames: ["Admin"] });
        assert.deepEqual(env.emu.requests(), ["GET /ratings/v1/users/current"]);
    });

    it("lists access groups and the default group", async () => {
        const g = await api().accessGroups();
        assert.deepEqual(g.groups.map((x) => x.name), ["All Companies", "Security Operations", "Vendor Risk"]);
        assert.equal(g.defaultGroup, "a0000000-0000-4000-8000-000000000001");
    });

    it("never follows a pagination link to another host with the token", async () => {
        env.emu.inject({
            path: "/ratings/v2/users",
            reply: { status: 200, body: { links: { next: "https://elsewhere.example/ratings/v2/users?offset=100" }, count: 200, results: [] } },
        });
        await assert.rejects(api().list(), /pointed GET to another host \(https:\/\/elsewhere\.example\); the provider sends the API token only to http:\/\/127\.0\.0\.1/);
        assert.equal(env.emu.log.length, 1);
    });

    it("stops on pagination that never ends", async () => {
        const self = () => `${env.emu.url}/ratings/v2/users?limit=100&offset=0&sort=guid`;
        env.emu.inject({ path: "/ratings/v2/users", reply: { status: 200, body: { links: { next: self() }, count: 1, results: [] } }, times: 5 });
        await assert.rejects(api().list(), UnexpectedResponseError);
        assert.equal(env.emu.log.length, 1);
    });

    it("refuses a page without a results list", async () => {
        env.emu.inject({ path: "/ratings/v2/users", reply: { status: 200, body: { count: 0 } } });
        await assert.rejects(api().list(), /GET \/ratings\/v2\/users answered without a `results` list/);
    });

    it("refuses a user without a guid", async () => {
        env.emu.inject({ path: `/ratings/v2/users/${SEEDED.bob}`, reply: { status: 200, body: { email: "bob@example.com", roles: [] } } });
        await assert.rejects(api().get(SEEDED.bob), {
            message: `GET /ratings/v2/users/${SEEDED.bob} answered user (no guid) (bob@example.com) with \`guid\` missing; expected a non-empty string. The provider does not guess a value it would then write back; nothing was changed.`,
        });
    });

    it("keeps the token out of an error that echoes it", async () => {
        env.emu.inject({ reply: { status: 403, body: { detail: `token ${SEED_TOKEN} may not do this` } } });
        await assert.rejects(api().get(SEEDED.bob), (err: Error) => {
            assert.equal(err.message, "Bitsight API answered 403 Forbidden (the API token's user lacks the permission) to GET /ratings/v2/users/" + SEEDED.bob + ": token [REDACTED] may not do this");
            return true;
        });
    });
});

describe("a fresh look-up by email (Account.find, fresh), however the API compares case", () => {
    underEach("emailFilter", (emailFilter) => {
        const env = useEmulator({ emailFilter });
        const api = () => new UsersApi(new HttpClient(env.conn));

        it("finds Bob@Example.com as bob@example.com, confirming a miss with the email_q search", async () => {
            assert.equal((await byEmail(api(), "Bob@Example.com"))?.guid, SEEDED.bob);
            const ask = (filter: string, tokenUsers: boolean) => `GET /ratings/v2/users?limit=100&offset=0&sort=guid&${filter}=Bob%40Example.com&is_company_api_token=${tokenUsers}`;
            assert.deepEqual(env.emu.requests(), emailFilter === "caseInsensitive" ? [ask("email", false)] : [ask("email", false), ask("email", true), ask("email_q", false)]);
        });

        it("takes only an equal email from the contains-search, never a longer one", async () => {
            env.emu.account.addUser({ email: "xbob@example.com.au" });
            assert.equal(await byEmail(api(), "BOB@example.com.au"), undefined);
        });
    });
});

describe("UsersApi paged listing", () => {
    const env = useEmulator();
    const api = () => new UsersApi(new HttpClient(env.conn));
    const addUsers = (n: number) => {
        for (let i = 0; i < n; i++) env.emu.account.addUser({ email: `bulk${String(i).padStart(4, "0")}@example.com` });
    };

    it("fetches the pages after the first at once, from its count", async () => {
        addUsers(246); // 250 with the sample account
        // The first page passes; the next ones are held until both are at the server, which
        // happens only if they were sent together (sent one by one, the test times out).
        let arrived = 0;
        const held: (() => void)[] = [];
        env.emu.gate = () =>
            ++arrived === 1
                ? Promise.resolve()
                : new Promise<void>((r) => {
                      held.push(r);
                      if (held.length === 2) held.forEach((go) => go());
                  });
        const users = await api().list({ limit: 100 });
        assert.equal(new Set(users.map((u) => u.guid)).size, 250);
        assert.deepEqual(env.emu.requests(), [
            "GET /ratings/v2/users?limit=100&offset=0&sort=guid",
            "GET /ratings/v2/users?limit=100&offset=100&sort=guid",
            "GET /ratings/v2/users?limit=100&offset=200&sort=guid",
        ]);
        assert.equal(env.emu.peakInFlight, 2, "pages 2 and 3 were in flight together");
    });

    it("follows the page size the server really uses", async () => {
        addUsers(146);
        env.emu.account.pageCap = 50;
        const users = await api().list({ limit: 500 });
        assert.equal(users.length, 150);
        assert.deepEqual(env.emu.requests(), [0, 50, 100].map((o) => `GET /ratings/v2/users?limit=500&offset=${o}&sort=guid`));
    });

    it("falls back to the next links when the pages do not add up to the count", async () => {
        addUsers(146);
        const tenUsers = [...env.emu.account.users.values()].slice(100, 110).map((u) => env.emu.account.toApi(u));
        // A page may hold fewer rows than asked, as the reference pages allow.
        env.emu.inject({ path: "/ratings/v2/users", query: "offset=100", reply: { status: 200, body: { links: { next: null }, count: 150, results: tenUsers } } });
        const users = await api().list({ limit: 100 });
        assert.equal(new Set(users.map((u) => u.guid)).size, 150);
        assert.deepEqual(env.emu.requests(), [
            "GET /ratings/v2/users?limit=100&offset=0&sort=guid",
            "GET /ratings/v2/users?limit=100&offset=100&sort=guid",
            "GET /ratings/v2/users?limit=100&offset=100&sort=guid",
        ]);
    });
});
