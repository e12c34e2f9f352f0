// One sandbox for every test, loaded by .mocharc.json in every mocha process and worker:
// after each test, sinon's default sandbox is restored (every stub, spy, replacement and
// fake clock made through `sinon.*`), and so is process.env, whatever the test set or
// removed. A test that forgets to clean up cannot change the next one's outcome.
import * as sinon from "sinon";

let saved: NodeJS.ProcessEnv = {};

/** Puts process.env back to `before`: keys added are removed, keys changed or removed are restored. */
export function restoreEnv(before: NodeJS.ProcessEnv): void {
    for (const key of Object.keys(process.env)) if (!(key in before)) delete process.env[key];
    for (const [key, value] of Object.entries(before)) if (process.env[key] !== value) process.env[key] = value;
}

export const mochaHooks = {
    beforeEach(): void {
        saved = { ...process.env };
    },
    afterEach(): void {
        sinon.restore();
        restoreEnv(saved);
    },
};
