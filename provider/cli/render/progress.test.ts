import { strict as assert } from "assert";
import { progressTo } from "./progress";

function stream(isTTY: boolean): { s: NodeJS.WriteStream; written: string[] } {
    const written: string[] = [];
    return { s: { isTTY, write: (t: string) => written.push(t) > 0 } as unknown as NodeJS.WriteStream, written };
}

describe("progress", () => {
    it("rewrites one line on a terminal, and ends it when done", () => {
        const { s, written } = stream(true);
        const p = progressTo(s);
        p(1000, 2500, "Reading users");
        p(2500, 2500, "Reading users");
        assert.deepEqual(written, ["\rReading users: 1000 of 2500   ", "\rReading users: 2500 of 2500   ", "\n"]);
    });

    it("says nothing when stderr is not a terminal (CI logs, pipes)", () => {
        const { s, written } = stream(false);
        progressTo(s)(10, 20, "Reading users");
        assert.deepEqual(written, []);
    });
});
