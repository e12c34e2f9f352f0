// What every test file gets, as mocha's root hooks (.mocharc.json loads them in every
// worker): after a file's tests, the folders it made are removed and the provider hosts
// its suites shared are stopped, so that nothing outlives the file that made it.
import { stopSharedHosts } from "./emulator";
import { removeTempDirs } from "./temp";

export const mochaHooks = {
    async afterAll(): Promise<void> {
        removeTempDirs();
        await stopSharedHosts();
    },
};
