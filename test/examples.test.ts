// Examples are part of the product: every users file in examples/ is valid against the
// schema (and its group names exist in the sample account it is written for); every
// TypeScript example is compiled, strictly, by `npm run build`.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { resolveGroups } from "../provider/usersfile/groups";
import { parseUsersFile } from "../provider/usersfile/parse";
import { GROUPS } from "./emulator/seed";
import { REPO_ROOT } from "./helpers/host";

function walk(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) return e.name === "node_modules" ? [] : walk(p);
        return [p];
    });
}

const examples = walk(path.join(REPO_ROOT, "examples"));
const usersFiles = examples.filter((f) => /users.*\.ya?ml$/.test(path.basename(f)));

describe("examples", () => {
    it("include users files", () => assert.ok(usersFiles.length >= 2));

    for (const file of usersFiles) {
        const rel = path.relative(REPO_ROOT, file);

        it(`${rel} is valid and its groups exist`, () => {
            const parsed = parseUsersFile(fs.readFileSync(file, "utf8"), rel);
            assert.ok(parsed.users.length > 0);
            resolveGroups(parsed, { groups: Object.values(GROUPS) });
        });

        it(`${rel} points editors at the users-file schema`, () => {
            const first = fs.readFileSync(file, "utf8").split("\n")[0]!;
            const m = /^# yaml-language-server: \$schema=(\S+)$/.exec(first);
            assert.ok(m, `first line: ${first}`);
            assert.equal(path.resolve(path.dirname(file), m[1]!), path.join(REPO_ROOT, "schema", "users-file.schema.json"));
        });
    }

    for (const ts of examples.filter((f) => f.endsWith(".ts"))) {
        const rel = path.relative(REPO_ROOT, ts);
        it(`${rel} is compiled by the build`, () => {
            assert.ok(fs.existsSync(path.join(REPO_ROOT, "dist", rel.replace(/\.ts$/, ".js"))));
        });
    }
});
