import { strict as assert } from "assert";
import * as fs from "fs";
import { PLAN_SCHEMA, REVIEW_SCHEMA, reviewSchemaText, withPlanCategories } from "../../../test/tools/docs";
import { countAll, differences, noneCounted } from "./categories";
import { CATEGORY_KEYS, type Plan } from "./shape";
import { computePlan } from "./decide";

describe("a plan's categories, one row each", () => {
    it("schema/plan.schema.json's version and summary are the ones npm run docs writes from them", () => {
        const text = fs.readFileSync(PLAN_SCHEMA, "utf8");
        assert.equal(text, withPlanCategories(text), "run npm run docs, and commit schema/plan.schema.json");
        const review = fs.readFileSync(REVIEW_SCHEMA, "utf8");
        assert.equal(review, reviewSchemaText(review), "run npm run docs, and commit schema/review.schema.json (from provider/cli/review/shape.ts)");
    });

    it("counts each, and says the differences in the table's order; company API token users only once the file declares some", () => {
        // An empty plan, as decide makes it, so that every category has its list.
        const plan = {
            ...computePlan({ file: "users.yaml", declared: [], account: [], groups: { groups: [] } }),
            create: [{}, {}],
            unchanged: ["a"],
            companyApiTokens: [{}],
            acknowledgedByRule: [{ count: 2 }, { count: 1 }],
            notAdopted: { checked: false, emails: ["x"] },
            removal: { removing: ["d"], demoting: [], refused: true },
            mfaToRequire: [{}],
            ungoverned: [{}],
        } as unknown as Plan;
        plan.summary = countAll(plan);
        assert.deepEqual(Object.keys(plan.summary), CATEGORY_KEYS);
        assert.deepEqual(Object.keys(noneCounted()), CATEGORY_KEYS);
        assert.deepEqual([plan.summary.create, plan.summary.acknowledgedByRule, plan.summary.notAdopted, plan.summary.companyApiTokens, plan.summary.ungoverned], [2, 3, 0, 1, 1]);
        assert.deepEqual(differences(plan), ["2 to create", "1 to delete (refused: too many)", "1 2FA to require"]);
        plan.companyApiTokensDeclared = true;
        assert.deepEqual(differences(plan), ["2 to create", "1 to delete (refused: too many)", "1 2FA to require", "1 company API token users not declared"]);
    });
});
