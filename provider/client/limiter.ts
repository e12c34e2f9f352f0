// At most N calls at once, first come first served. One limiter serves the whole provider
// process, so Pulumi's parallel operations share Bitsight's recommended 3 slots.
import { InternalError } from "../base/errors";

export class Limiter {
    private active = 0;
    private readonly waiting: (() => void)[] = [];

    constructor(readonly limit: number) {
        if (!Number.isInteger(limit) || limit < 1) throw new InternalError(`concurrency limit must be a whole number >= 1, not ${limit}`);
    }

    async run<T>(fn: () => Promise<T>): Promise<T> {
        if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
        else this.active++;
        try {
            return await fn();
        } finally {
            // Hand the slot straight to the next caller, or free it.
            const next = this.waiting.shift();
            if (next) next();
            else this.active--;
        }
    }
}

/** A lock: one holder at a time (a limiter of one). */
export class Mutex extends Limiter {
    constructor() {
        super(1);
    }
}
