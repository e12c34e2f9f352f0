// One settings table: provider/config's SETTINGS is what the README's configuration table
// lists, key for key, with the same environment variable and default.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { CONFIG_KEYS, SETTINGS, type Setting } from "../provider/config";
import { REPO_ROOT } from "./helpers/host";

/** The README's rows under `| stack config | environment | default | |`: the first code span of each of the three cells, null for "—". */
function readmeTable(): Setting[] {
    const text = fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");
    const start = text.indexOf("| stack config | environment | default |");
    assert.ok(start >= 0, "the README has its configuration table");
    const rows = text.slice(start).split("\n").slice(2);
    const cell = (c: string) => /`([^`]+)`/.exec(c)?.[1] ?? null;
    return rows
        .filter((r, i) => r.startsWith("|") && rows.slice(0, i).every((x) => x.startsWith("|")))
        .map((r) => r.split(" | ").map((c) => c.replace(/^\| ?/, "")))
        .map(([key, env, dflt]) => ({ key: cell(key!), env: cell(env!), default: cell(dflt!) }));
}

describe("one settings table", () => {
    it("the README's configuration table is SETTINGS, row for row", () => {
        const byKey = (a: Setting, b: Setting) => String(a.key).localeCompare(String(b.key));
        assert.deepEqual([...readmeTable()].sort(byKey), [...SETTINGS].sort(byKey));
    });

    it("lists every key the provider's configuration reads", () => {
        const keys = new Set(SETTINGS.map((s) => s.key));
        for (const k of CONFIG_KEYS) assert.ok(keys.has(k), k);
    });
});
