import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { projectRoot } from "./project-root";
import { tempDir } from "../../test/helpers/temp";

describe("projectRoot", () => {
    const root = tempDir("project-");
    const main = path.join(root, "dist", "program");
    fs.mkdirSync(main, { recursive: true });
    fs.writeFileSync(path.join(root, "Pulumi.yaml"), "name: p\nruntime: nodejs\nmain: dist/program/index.js\n");

    it("finds Pulumi.yaml above the folder the engine runs a file `main` from", () => {
        assert.equal(projectRoot(main, undefined), root);
    });

    it("takes the root the engine names when it holds the project", () => {
        assert.equal(projectRoot(os.tmpdir(), root), root);
    });

    it("ignores a named root that holds no project (the SDK's placeholder outside the engine)", () => {
        assert.equal(projectRoot(main, "rootDirectory"), root);
    });

    it("falls back to the working directory when no folder above holds a project", () => {
        const lone = tempDir("lone-");
        assert.equal(projectRoot(lone, undefined), lone);
    });
});
