// Writing a user's file: atomically, keeping its mode, and only if it is still what was read.
import { strict as assert } from "assert";
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as sinon from "sinon";
// The module itself, not the import's wrapper: stubbing it reaches every caller.
import fsModule = require("fs");
import { refuseExisting, writeFileAtomic } from "./write-file";
import { FileChangedError } from "../base/errors";
import { tempDir } from "../../test/helpers/temp";

function folder(): string {
    return tempDir("bitsight-write-");
}

describe("writeFileAtomic", () => {

    it("replaces the file, keeps its mode, and leaves no temporary file", () => {
        const dir = folder();
        const file = path.join(dir, "users.yaml");
        fs.writeFileSync(file, "old\n", { mode: 0o600 });
        fs.chmodSync(file, 0o600);
        writeFileAtomic(file, "new\n");
        assert.equal(fs.readFileSync(file, "utf8"), "new\n");
        assert.equal(fs.statSync(file).mode & 0o777, 0o600);
        assert.deepEqual(fs.readdirSync(dir), ["users.yaml"]);
    });

    it("writes through a link to the file it points at, and keeps the link", () => {
        const dir = folder();
        fs.writeFileSync(path.join(dir, "real.yaml"), "old\n");
        fs.symlinkSync(path.join(dir, "real.yaml"), path.join(dir, "users.yaml"));
        writeFileAtomic(path.join(dir, "users.yaml"), "new\n");
        assert.ok(fs.lstatSync(path.join(dir, "users.yaml")).isSymbolicLink());
        assert.equal(fs.readFileSync(path.join(dir, "real.yaml"), "utf8"), "new\n");
    });

    it("writes nothing when the file is no longer the text it was read as", () => {
        const dir = folder();
        const file = path.join(dir, "users.yaml");
        fs.writeFileSync(file, "edited meanwhile\n");
        assert.throws(() => writeFileAtomic(file, "pulled\n", { unchangedFrom: "as read\n" }), FileChangedError);
        assert.equal(fs.readFileSync(file, "utf8"), "edited meanwhile\n");
        assert.deepEqual(fs.readdirSync(dir), ["users.yaml"]);
    });

    it("leaves the old file whole when the write fails halfway, and removes its temporary file", () => {
        const dir = folder();
        const file = path.join(dir, "users.yaml");
        fs.writeFileSync(file, "old\n");
        const real = fs.writeSync;
        sinon.stub(fsModule, "writeFileSync").callsFake((fd: fs.PathOrFileDescriptor, data: string | NodeJS.ArrayBufferView) => {
            real(fd as number, String(data).slice(0, 3));
            throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
        });
        assert.throws(() => writeFileAtomic(file, "a much longer new text\n"), /ENOSPC/);
        sinon.restore();
        assert.equal(fs.readFileSync(file, "utf8"), "old\n");
        assert.deepEqual(fs.readdirSync(dir), ["users.yaml"]);
    });

    it("leaves the old file or the new one, never a cut one, when the process is killed while writing", async function () {
        this.timeout(20_000);
        const dir = folder();
        const file = path.join(dir, "users.yaml");
        const old = `${"# old\n".repeat(1000)}`;
        const next = `${"# new line of a large users file\n".repeat(400_000)}`;
        fs.writeFileSync(file, old);
        const script = `const { writeFileAtomic } = require(${JSON.stringify(path.join(__dirname, "write-file.js"))});
            const text = ${JSON.stringify("# new line of a large users file\n")}.repeat(400000);
            process.stdout.write("ready\\n");
            for (;;) writeFileAtomic(${JSON.stringify(file)}, text);`;
        for (const delay of [0, 5, 20, 60]) {
            const child = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "inherit"] });
            await new Promise((resolve) => child.stdout.once("data", resolve));
            await new Promise((resolve) => setTimeout(resolve, delay));
            child.kill("SIGKILL");
            await new Promise((resolve) => child.once("exit", resolve));
            const now = fs.readFileSync(file, "utf8");
            assert.ok(now === old || now === next, `cut at ${now.length} bytes after ${delay} ms`);
        }
    });
});

describe("refuseExisting", () => {
    it("names the files that exist and what to do, and writes nothing", () => {
        const dir = folder();
        fs.writeFileSync(path.join(dir, "users.yaml"), "mine\n");
        assert.throws(() => refuseExisting([path.join(dir, "users.yaml"), path.join(dir, "new.yaml")], "export", "Pass --force."), {
            message: `export would overwrite ${path.join(dir, "users.yaml")}; nothing was written. Pass --force.`,
        });
    });
});
