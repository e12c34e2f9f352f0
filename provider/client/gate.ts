// In front of every request: at most maxConcurrency in flight for the whole process
// (Pulumi sends many operations at once to one provider), and none at all while a 429's
// pause lasts (a 429 says the account's rate limit is reached, so every request waits,
// not only the one that was refused).
import { formatDuration } from "./errors";
import { Limiter } from "./limiter";

export interface GateClock {
    now(): number;
    sleep(ms: number): Promise<void>;
}

export class Gate {
    private readonly limiter: Limiter;
    /** Until when (clock time) no request of this process is sent. */
    private pausedUntil = 0;

    constructor(
        maxConcurrency: number,
        private readonly clock: GateClock,
        /** Hears each pause a 429 starts, once a pause. */
        private readonly onPause: (message: string) => void,
    ) {
        this.limiter = new Limiter(maxConcurrency);
    }

    /** Runs `send` once a slot is free and no pause holds the process. */
    run<T>(send: () => Promise<T>): Promise<T> {
        return this.limiter.run(async () => {
            // Checked right before sending, with no await in between: a pause that began a
            // moment ago holds this request too.
            for (let left = this.pauseLeft(); left > 0; left = this.pauseLeft()) await this.clock.sleep(left);
            return send();
        });
    }

    /** Starts or lengthens the process-wide pause; says so once a pause, not once a request. */
    pause(ms: number, request: string): void {
        const now = this.clock.now();
        const until = now + ms;
        if (until <= this.pausedUntil) return;
        const starts = this.pausedUntil <= now;
        this.pausedUntil = until;
        if (starts) this.onPause(`Bitsight's rate limit was reached (429 to ${request}): every request waits ${formatDuration(ms)}.`);
    }

    private pauseLeft(): number {
        return this.pausedUntil - this.clock.now();
    }
}
