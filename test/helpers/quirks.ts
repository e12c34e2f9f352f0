// Where the reference pages leave the API's behaviour open, the emulator has a switch per
// plausible answer (test/emulator/account.ts `Quirks`). A suite that depends on one runs
// once under each value, so a test cannot pass only because the emulator happens to share
// the implementation's assumption.
import { QUIRK_VALUES, type Quirks } from "../emulator/account";

export function underEach<K extends keyof Quirks>(quirk: K, body: (value: Quirks[K]) => void): void {
    for (const value of QUIRK_VALUES[quirk]) {
        describe(`(emulator ${quirk}: ${String(value)})`, () => body(value));
    }
}
