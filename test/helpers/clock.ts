// An injected clock: sleeping only advances the fake time and records the wait.
import type { Clock } from "../../provider/client/http";
import { RequestLog } from "../../provider/client/log";

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

/**
 * A request log that says nothing: for tests of waits whose notices are not what they test
 * (request-log.test.ts tests those), so that they stay out of the test output.
 */
export function quietLog(clock: Clock): RequestLog {
    return new RequestLog("off", () => undefined, () => clock.now(), "pulumi-bitsight");
}
