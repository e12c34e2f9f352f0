import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { ENVIRONMENT_SETUP, environmentsOf, setupText } from "./setup";

const CI = path.resolve(__dirname, "..", "..", "..", "..", "examples", "ci");
const recipes = fs.readdirSync(CI).filter((f) => f.endsWith(".yml")).map((f) => fs.readFileSync(path.join(CI, f), "utf8"));

describe("init: what the workflows need from GitHub", () => {
    it("describes every environment the recipes run a job in, and only those", () => {
        assert.deepEqual(environmentsOf(recipes).sort(), Object.keys(ENVIRONMENT_SETUP).sort());
    });

    it("lists each environment with its protection and the secrets it holds, read from the workflows", () => {
        const text = setupText(recipes, "pulumi-bitsight");
        assert.match(text, /^ {2}- environment bitsight-production \(deployment branches and tags: only main; for the apply and the drift check\), with BITSIGHT_API_TOKEN and PULUMI_ACCESS_TOKEN as its secrets$/m);
        assert.match(text, /^ {2}- environment bitsight-pull-request \(required reviewers; for each preview of a pull request, after a reviewer approves it\), with BITSIGHT_API_TOKEN and PULUMI_ACCESS_TOKEN as its secrets$/m);
        assert.match(text, /no repository or organization secret BITSIGHT_API_TOKEN or PULUMI_ACCESS_TOKEN/);
        assert.match(text, /node_modules\/pulumi-bitsight\/examples\/ci\/README\.md$/);
    });

    it("refuses a workflow that names an environment it cannot describe", () => {
        assert.throws(() => setupText(["jobs:\n  x:\n    environment: somewhere-else\n    steps: []\n"], "p"), /the workflows name the environment somewhere-else/);
    });
});
