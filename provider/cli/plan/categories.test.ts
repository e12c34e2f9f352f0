import { strict as assert } from "assert";
import { CATEGORIES, countAll } from "./categories";
import { computePlan } from "./decide";
import { renderMarkdown } from "./render-markdown";
import { renderText } from "./render-text";
import { CATEGORY_KEYS, type AccountUser, type Plan } from "./shape";

// An email anyone can be invited with: a terminal escape, and markdown that would be an image.
const HOSTILE = "x\u001b[2J<img src=https://evil.example/p.png>@example.com";
const why = { reason: null, expires: null };
const account: AccountUser = { email: HOSTILE, guid: "g", role: "customer_user", status: "Activated", group: null, lastLoginTime: null };

/** A plan with one entry, from the same hostile email, in every category that has a section. */
function everySection(): Plan {
    const plan = computePlan({ file: "users.yaml", declared: [], account: [], groups: { groups: [] } });
    plan.create = [{ email: HOSTILE, role: "customer_user", group: null, privilege: null, grants: {}, why }];
    plan.removal = { ...plan.removal, checked: true, removing: [HOSTILE], demoting: [HOSTILE] };
    plan.expired = [{ email: HOSTILE, expires: "2026-01-01", onDelete: "delete", state: "to-delete", detail: null }];
    plan.removed = [{ email: HOSTILE, onDelete: "delete", reason: HOSTILE, state: "to-delete", detail: null }];
    plan.change = [{ email: HOSTILE, guid: "g", changes: [{ field: "formalName", from: HOSTILE, to: "x" }], privilege: null, blocked: [], why }];
    plan.mfaToRequire = [{ email: HOSTILE, guid: null, mfaStatus: null, why: "declared" }];
    plan.undeclared = [account];
    plan.companyApiTokens = [account];
    plan.notAdopted = { checked: true, emails: [HOSTILE] };
    plan.unmanaged = [{ ...account, reason: HOSTILE }];
    plan.apiTokensToCreate = [{ description: HOSTILE, for: HOSTILE, group: HOSTILE, reason: HOSTILE, expires: null }];
    plan.apiTokensToRevoke = [{ description: HOSTILE, guid: "g", token: "********abcd", why: "expired", expires: "2026-01-01", state: "to-revoke", detail: null }];
    plan.apiTokensUndeclared = [{ guid: "g", description: HOSTILE, token: "********abcd", createdDate: "2025-01-01T00:00:00Z", creatorName: HOSTILE, group: HOSTILE, ageDays: 400 }];
    plan.groupsToCreate = [{ name: HOSTILE, isDefault: null, allowBundledCompanies: true, canSetTierScope: null, reason: HOSTILE, companies: ["c"], declaredUsers: 1 }];
    plan.groupsToChange = [{ name: HOSTILE, guid: "g", renamedFrom: HOSTILE, changes: [{ field: "canSetTierScope", from: false, to: true }], blocked: [HOSTILE], companiesAdded: ["c1"], companiesRemoved: [], members: 2 }];
    plan.groupsToDelete = [{ name: HOSTILE, guid: "g", members: 1, staying: [HOSTILE], state: "blocked", detail: HOSTILE }];
    plan.groupsUndeclared = [{ guid: "g", name: HOSTILE, isDefault: false, members: 3 }];
    plan.timeBound = [{ email: HOSTILE, expires: "2027-01-01", daysLeft: 25 }];
    plan.ungoverned = [{ email: HOSTILE, guid: "g", features: [HOSTILE] }];
    plan.acknowledgedByRule = [{ name: HOSTILE, reason: HOSTILE, count: 1, emails: [HOSTILE] }];
    plan.summary = countAll(plan);
    plan.inSync = false;
    return plan;
}

describe("a plan's sections, one row each in the categories' table", () => {
    const plan = everySection();
    const withSection = CATEGORY_KEYS.filter((k) => "section" in CATEGORIES[k]);

    it("each is shown by both renderings, in the table's order, with its count", () => {
        assert.equal(withSection.length, CATEGORY_KEYS.length - 1, "every category but unchanged has a section");
        const text = renderText(plan, "http://127.0.0.1");
        const markdown = renderMarkdown(plan);
        let textAt = -1;
        let markdownAt = -1;
        for (const key of withSection) {
            const { section } = CATEGORIES[key] as { section: { text: { title(p: Plan): string }; markdown: { title(p: Plan): string } } };
            const t = text.indexOf(`${section.text.title(plan)} (1):`);
            const m = markdown.indexOf(`${section.markdown.title(plan)} (1)`);
            assert.ok(t > textAt, `${key}: its text section, after the one before it`);
            assert.ok(m > markdownAt, `${key}: its markdown section, after the one before it`);
            textAt = t;
            markdownAt = m;
        }
    });

    it("no account or file string reaches either rendering raw: no terminal escape, no HTML", () => {
        const text = renderText(plan, "http://127.0.0.1");
        assert.doesNotMatch(text, /\u001b/);
        // Every section shows the email, quoted and escaped, at least once.
        assert.ok(text.split(`"x\\x1b[2J<img src=https://evil.example/p.png>@example.com"`).length - 1 >= withSection.length, text);
        const markdown = renderMarkdown(plan);
        // Markdown shows a backslash-escaped < as itself: only an unescaped one could open a tag.
        assert.doesNotMatch(markdown, /\u001b|(^|[^\\])<img/);
        assert.ok(markdown.split("\\<img").length - 1 >= withSection.length, markdown);
    });
});
