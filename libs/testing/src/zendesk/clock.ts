/** Time source used by the simulator (rate-limit windows, "now" for data changes, Retry-After expiry). */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/**
 * A clock that only moves when told to. Share one between a client under test and the simulator
 * so that "waiting" for a Retry-After costs no real time: the client's sleep calls `sleep(ms)`.
 */
export class VirtualClock implements Clock {
  private t: number;

  constructor(startMs: number = Date.now()) {
    this.t = startMs;
  }

  now(): number {
    return this.t;
  }

  advance(ms: number): number {
    if (ms > 0) this.t += ms;
    return this.t;
  }

  set(ms: number): void {
    this.t = ms;
  }

  /** Advances virtual time by `ms` and resolves on the next macrotask (no real waiting). */
  sleep(ms: number): Promise<void> {
    this.advance(ms);
    return new Promise((resolve) => setImmediate(resolve));
  }
}
