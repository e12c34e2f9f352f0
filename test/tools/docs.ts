// `npm run docs`: writes into the README and the schemas what the code already says, so
// that it is never copied by hand: the configuration table, from the settings table
// (provider/config/settings.ts); schema/user.schema.json's role, feature, status, onDelete
// and mfa values, from the model (provider/model/user-model.ts); schema/plan.schema.json,
// and schema/review.schema.json, whole, from the TypeBox schemas of provider/cli/plan/shape.ts
// and provider/cli/review/shape.ts.
// test/settings.test.ts, provider/model/roles.test.ts and provider/cli/plan/shape.test.ts
// fail while a file differs from what this writes.
import * as fs from "fs";
import * as path from "path";
import { settingsMarkdown } from "../../provider/config/settings";
import { FEATURE_SLUGS, MFA_REQUIRED, ON_DELETE, ROLE_SLUGS, USER_STATUSES } from "../../provider/model/user-model";
import { PlanSchema } from "../../provider/cli/plan/shape";
import { ReviewSchema } from "../../provider/cli/review/shape";

export const README = path.resolve(__dirname, "..", "..", "..", "README.md");
export const USER_SCHEMA = path.resolve(__dirname, "..", "..", "..", "schema", "user.schema.json");
export const PLAN_SCHEMA = path.resolve(__dirname, "..", "..", "..", "schema", "plan.schema.json");
export const REVIEW_SCHEMA = path.resolve(__dirname, "..", "..", "..", "schema", "review.schema.json");

/** The README with its configuration table as the settings table gives it. */
export function withSettings(readme: string): string {
    const start = readme.indexOf("| stack config | environment | default | |");
    if (start < 0) throw new Error("README.md has no configuration table (| stack config | environment | default | |)");
    const lines = readme.slice(start).split("\n");
    const length = lines.findIndex((l) => !l.startsWith("|"));
    const end = start + lines.slice(0, length).join("\n").length;
    return `${readme.slice(0, start)}${settingsMarkdown()}${readme.slice(end)}`;
}

/** schema/user.schema.json's text with its value lists as the model declares them. */
export function withModelEnums(schemaText: string): string {
    const schema = JSON.parse(schemaText) as { properties: Record<string, { enum?: unknown; propertyNames?: { enum?: unknown } }> };
    const p = schema.properties;
    p["role"]!.enum = [...ROLE_SLUGS];
    p["features"]!.propertyNames!.enum = [...FEATURE_SLUGS];
    p["status"]!.enum = [...USER_STATUSES];
    p["onDelete"]!.enum = [...ON_DELETE];
    p["mfa"]!.enum = [MFA_REQUIRED];
    return `${JSON.stringify(schema, null, 2)}\n`;
}

/** schema/plan.schema.json, as the plan's TypeBox schema (provider/cli/plan/shape.ts) says it; `_current` is not read: the file is the schema. */
export function withPlanCategories(_current: string): string {
    return `${JSON.stringify(PlanSchema, null, 2)}\n`;
}

/** schema/review.schema.json, as the review's TypeBox schema (provider/cli/review/shape.ts) says it. */
export function reviewSchemaText(_current: string): string {
    return `${JSON.stringify(ReviewSchema, null, 2)}\n`;
}

if (require.main === module) {
    for (const [file, write] of [
        [README, withSettings],
        [USER_SCHEMA, withModelEnums],
        [PLAN_SCHEMA, withPlanCategories],
        [REVIEW_SCHEMA, reviewSchemaText],
    ] as const) {
        const before = fs.readFileSync(file, "utf8");
        const after = write(before);
        if (after !== before) fs.writeFileSync(file, after);
        process.stdout.write(`${path.basename(file)}: ${after === before ? "up to date" : "rewritten"}\n`);
    }
}
