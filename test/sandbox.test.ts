// The one sandbox (./helpers/sandbox) is in force: what one test stubs or sets is gone in
// the next. Mocha runs a file's tests in order, so the second test sees what the first left.
import { strict as assert } from "assert";
import * as sinon from "sinon";

describe("one sandbox restores stubs, fake clocks and process.env after every test", () => {
    const target = { answer: () => "real" };
    const real = target.answer;
    const before = process.env["BITSIGHT_LOG"];

    it("a test stubs, fakes the clock and sets the environment, and cleans up nothing", () => {
        sinon.stub(target, "answer").returns("stubbed");
        sinon.useFakeTimers(new Date("2001-01-01T00:00:00Z"));
        process.env["BITSIGHT_LOG"] = "debug";
        process.env["BITSIGHT_SANDBOX_PROBE"] = "set";
        assert.equal(target.answer(), "stubbed");
        assert.equal(new Date().getUTCFullYear(), 2001);
    });

    it("the next test finds all of it undone", () => {
        assert.equal(target.answer, real);
        assert.notEqual(new Date().getUTCFullYear(), 2001);
        assert.equal(process.env["BITSIGHT_LOG"], before);
        assert.ok(!("BITSIGHT_SANDBOX_PROBE" in process.env));
    });
});
