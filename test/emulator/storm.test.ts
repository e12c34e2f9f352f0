// The emulator's rate-limit storm, which the benchmark's 429 row relies on.
import { strict as assert } from "assert";
import * as sinon from "sinon";
import { SEED_TOKEN } from "./seed";
import { useEmulator } from "../helpers/emulator";

describe("the emulator's rate-limit storm", () => {
    const env = useEmulator();
    let clock: sinon.SinonFakeTimers;
    beforeEach(() => (clock = sinon.useFakeTimers({ toFake: ["Date"] })));
    afterEach(() => clock.restore());

    const get = async () => {
        const res = await fetch(`${env.emu.url}/ratings/v2/users?limit=1`, { headers: { Authorization: `Basic ${Buffer.from(`${SEED_TOKEN}:`).toString("base64")}` } });
        return `${res.status} ${res.headers.get("retry-after") ?? ""}`.trim();
    };

    it("refuses the 10th request and everything within the next second, then admits again", async () => {
        env.emu.storm = { every: 10, retryAfterS: 1, refused: 0 };
        const answers: string[] = [];
        for (let i = 0; i < 10; i++) answers.push(await get());
        clock.tick(999);
        answers.push(await get());
        clock.tick(1);
        answers.push(await get());
        assert.deepEqual(answers, [...Array(9).fill("200"), "429 1", "429 1", "200"]);
        assert.equal(env.emu.storm.refused, 2);
    });
});
