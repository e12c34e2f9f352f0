// An injected clock: sleeping only advances the fake time and records the wait.
import type { Clock } from "../../provider/client/http";

export class FakeClock implements Clock {
    time = 1_700_000_000_000;
    readonly sleeps: number[] = [];

    constructor(private readonly rand = 0.5) {}

    now(): number {
        return this.time;
    }

    async sleep(ms: number): Promise<void> {
        this.sleeps.push(ms);
        this.time += ms;
    }

    /** 0.5 makes the jitter factor exactly 1, so computed waits are exact. */
    random(): number {
        return this.rand;
    }
}
