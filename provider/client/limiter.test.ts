import { strict as assert } from "assert";
import { Limiter } from "./limiter";

describe("Limiter", () => {
    it("never runs more than its limit at once, and runs everything", async () => {
        const limiter = new Limiter(3);
        let running = 0;
        let peak = 0;
        const order: number[] = [];
        await Promise.all(
            Array.from({ length: 50 }, (_, i) =>
                limiter.run(async () => {
                    running++;
                    peak = Math.max(peak, running);
                    await new Promise((r) => setImmediate(r));
                    order.push(i);
                    running--;
                }),
            ),
        );
        assert.equal(peak, 3);
        assert.equal(order.length, 50);
    });

    it("starts waiting calls in arrival order", async () => {
        const limiter = new Limiter(1);
        const started: number[] = [];
        await Promise.all([0, 1, 2, 3].map((i) => limiter.run(async () => void started.push(i))));
        assert.deepEqual(started, [0, 1, 2, 3]);
    });

    it("frees the slot when a call fails", async () => {
        const limiter = new Limiter(1);
        await assert.rejects(limiter.run(async () => Promise.reject(new Error("boom"))));
        assert.equal(await limiter.run(async () => "next"), "next");
    });

    it("refuses a limit below 1", () => assert.throws(() => new Limiter(0), /whole number >= 1/));
});
