// The one hierarchy holds: every error the package throws for a user to act on is a
// BitsightError a program can catch by one name from the package's entry, and the kinds
// tell who has to act.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import * as entry from "../index";
import { BitsightError, ConfigurationError, FileChangedError, FileExistsError, FileReadError, InternalError, StateFileError, UsageError } from "./errors";
import { readStackConfig } from "../cli/stack-config";
import { parseStale } from "../cli/review/decide";
import { readManaged } from "../cli/state";
import { logLevel } from "../client/log";
import { readRegularFile } from "../files/read-file";
import { refuseExisting, writeFileAtomic } from "../files/write-file";
import { tempDir } from "../../test/helpers/temp";

const PROVIDER = path.join(__dirname, "..", "..", "..", "provider");

function sources(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) return sources(p);
        return e.name.endsWith(".ts") && !e.name.endsWith(".test.ts") ? [p] : [];
    });
}

describe("one error hierarchy", () => {
    it("no source builds a bare Error, except the serialized shim, which can import nothing", () => {
        const bare = sources(PROVIDER).flatMap((file) =>
            fs
                .readFileSync(file, "utf8")
                .split("\n")
                .flatMap((line, i) => (/\bnew (Error|TypeError|RangeError)\(/.test(line) ? [`${path.relative(PROVIDER, file)}:${i + 1}`] : [])),
        );
        assert.deepEqual(bare, ["resource/shim.ts:46"]);
    });

    it("the package's entry exports every kind, each under the one root", () => {
        const kinds = Object.entries(entry).filter(([name]) => name.endsWith("Error"));
        assert.ok(kinds.length >= 14, `only ${kinds.map(([n]) => n).join(", ")}`);
        for (const [name, kind] of kinds.filter(([, k]) => k !== BitsightError)) {
            assert.ok((kind as { prototype: unknown }).prototype instanceof BitsightError, `${name} is not a BitsightError`);
        }
        for (const kind of [ConfigurationError, FileChangedError, FileExistsError, FileReadError, InternalError, StateFileError, UsageError]) {
            assert.ok(Object.values(entry).includes(kind), `${kind.name} is not exported from the entry`);
        }
    });

    describe("a user's mistake throws the kind that names who acts", () => {
        let dir: string;
        beforeEach(() => (dir = tempDir("errors-")));
        afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

        const throwsKind = (f: () => unknown, kind: new (...a: never[]) => Error, said: RegExp) =>
            assert.throws(f, (err: unknown) => {
                assert.ok(err instanceof kind, `${String(err)} is not a ${kind.name}`);
                assert.ok(err instanceof BitsightError);
                assert.match((err as Error).message, said);
                return true;
            });

        it("a command-line value: UsageError", () => {
            throwsKind(() => parseStale("0d"), UsageError, /--stale must be a number of days like 90d/);
        });
        it("a setting: ConfigurationError", () => {
            throwsKind(() => logLevel({ BITSIGHT_LOG: "loud" }), ConfigurationError, /BITSIGHT_LOG must be debug, info or off, not "loud"/);
        });
        it("a stack file that is not YAML: StateFileError, with the parser's error as its cause", () => {
            fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: x\nruntime: nodejs\n");
            fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), "config: [unclosed\n");
            throwsKind(() => readStackConfig(dir, undefined), StateFileError, /Pulumi\.dev\.yaml cannot be read as a stack file/);
            try {
                readStackConfig(dir, undefined);
            } catch (err) {
                assert.ok((err as Error).cause instanceof Error);
            }
        });
        it("a stack named that has no file: StateFileError; a file that would be overwritten: FileExistsError", () => {
            fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: x\nruntime: nodejs\n");
            throwsKind(() => readStackConfig(dir, "prod"), StateFileError, /--stack prod: there is no .*Pulumi\.prod\.yaml/);
            fs.writeFileSync(path.join(dir, "users.yaml"), "users: []\n");
            throwsKind(() => refuseExisting([path.join(dir, "users.yaml")], "export", "Add --force."), FileExistsError, /export would overwrite .*users\.yaml; nothing was written/);
        });
        it("a file that cannot be read: FileReadError; a stack export that cannot: StateFileError", () => {
            throwsKind(() => readRegularFile(dir, 1024, "a users file"), FileReadError, /is a folder, not a regular file/);
            throwsKind(() => readManaged(path.join(dir, "none.json")), StateFileError, /--state .*none\.json: cannot be read \(no such file\)/);
        });
        it("a file changed under a conditional write: FileChangedError", () => {
            const file = path.join(dir, "users.yaml");
            fs.writeFileSync(file, "users: []\n");
            throwsKind(() => writeFileAtomic(file, "users: [a]\n", { unchangedFrom: "something else" }), FileChangedError, /./);
        });
    });
});
