// One settings table: provider/config's SETTING is what the provider reads, what the
// README's configuration table lists (npm run docs writes it) and what the CLI's help says.
import { strict as assert } from "assert";
import * as fs from "fs";
import { CONFIG_KEYS, SETTING, SETTINGS } from "../provider/config/settings";
import { USAGE } from "../provider/cli/main";
import { README, withSettings } from "./tools/docs";

describe("one settings table", () => {
    it("the README's configuration table is the one npm run docs writes from it", () => {
        const readme = fs.readFileSync(README, "utf8");
        assert.equal(readme, withSettings(readme), "run npm run docs, and commit README.md");
    });

    it("CONFIG_KEYS are the provider's rows, each with its stack key", () => {
        assert.deepEqual(CONFIG_KEYS, SETTINGS.filter((s) => s.provider).map((s) => s.key));
        assert.ok(CONFIG_KEYS.includes(SETTING.apiToken.key) && !CONFIG_KEYS.includes(SETTING.usersFile.key));
    });

    it("the CLI's help names every variable the table says the CLI reads, with its words", () => {
        for (const s of SETTINGS.filter((r) => r.cli)) assert.match(USAGE, new RegExp(`^ {2}${s.env} +${s.cli!.split(" ").slice(0, 3).join(" ").replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`, "m"), s.env!);
    });
});
