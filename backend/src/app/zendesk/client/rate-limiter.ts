/**
 * Client-side rolling-window limiter for one Zendesk rate-limit scope (account-wide, or incremental exports).
 *
 * - FIFO: callers queue; one pump grants permits in order (retries may jump the queue with `front`).
 * - A permit occupies a slot from the moment it is granted until `release()`, and the slot is then dated
 *   at *completion* time and kept for the window. Zendesk dates a request at its arrival, which lies between
 *   our grant and our completion, so every request the server counts in any window is also counted here:
 *   our own traffic alone can never exceed the limit, whatever the latency.
 * - `block(until)`: a 429's Retry-After. Nothing is granted before `until` (checked against the clock, so a
 *   timer firing early is re-slept).
 * - `observe()`: rate-limit headers. A lower advertised limit is adopted (any advertised limit when `learnable`); traffic that the server counts and
 *   we did not send (other integrations on the same account) is reserved for one window, so we slow down
 *   before the server's remaining reaches 0.
 */

export interface LimiterClock {
  now(): number;
}

export type SleepFn = (ms: number) => Promise<void>;

export interface LimiterPermit {
  /** Clock ms at which the permit was granted. */
  readonly grantedAt: number;
  /** Clock ms spent queued. */
  readonly waitedMs: number;
  /** The request was sent (or may have been): date the slot now and keep it for the window. */
  release(): void;
  /** The request was never sent: give the slot back. */
  cancel(): void;
}

export interface RateLimitObservation {
  /** Requests the server says are left in its current window (after counting this one). */
  remaining?: number;
  /** Limit the server advertises for this scope. */
  limit?: number;
  /** Clock ms at which the observed request was granted (it was counted by the server at or after this). */
  sentAt: number;
  /** Clock ms until the server's window resets (its reset header), when it says. */
  resetMs?: number;
}

interface Waiter {
  resolve: (p: LimiterPermit) => void;
  reject: (e: unknown) => void;
  enqueuedAt: number;
}

export class RollingWindowLimiter {
  /** Configured maximum per window; never raised by headers. */
  readonly configuredLimit: number;
  private advertisedLimit = Infinity;
  private reserve = 0;
  private reserveUntil = 0;
  private blockedUntil = 0;
  private inFlight = 0;
  /** Completion times (ascending), kept for two windows so observations can look back. */
  private done: number[] = [];
  private head = 0;
  private readonly queue: Waiter[] = [];
  private pumping = false;
  private releaseWaiters: Array<() => void> = [];

  /** The configured limit is only a default: the limit the server advertises replaces it, higher or lower. */
  readonly learnable: boolean;

  constructor(
    readonly name: string,
    limit: number,
    readonly windowMs: number,
    private readonly clock: LimiterClock,
    private readonly sleep: SleepFn,
    options: { learnable?: boolean } = {},
  ) {
    if (!(limit >= 1)) throw new Error(`${name} limit must be >= 1`);
    if (!(windowMs > 0)) throw new Error(`${name} window must be > 0`);
    this.configuredLimit = Math.floor(limit);
    this.learnable = options.learnable === true;
  }

  /** Limit in force (configured, or lower when the server advertises less; what it advertises when learnable). */
  get limit(): number {
    if (this.learnable && Number.isFinite(this.advertisedLimit)) return this.advertisedLimit;
    return Math.min(this.configuredLimit, this.advertisedLimit);
  }

  /** Clock ms until which a Retry-After holds this scope (0 when none was announced). */
  get blockedUntilMs(): number {
    return this.blockedUntil;
  }

  get queued(): number {
    return this.queue.length;
  }

  /** Slots counted now: in flight plus completed within the window. */
  used(now = this.clock.now()): number {
    this.prune(now);
    return this.inFlight + this.countDoneAfter(now - this.windowMs);
  }

  acquire(options: { front?: boolean } = {}): Promise<LimiterPermit> {
    return new Promise<LimiterPermit>((resolve, reject) => {
      const w: Waiter = { resolve, reject, enqueuedAt: this.clock.now() };
      if (options.front) this.queue.unshift(w);
      else this.queue.push(w);
      void this.pump();
    });
  }

  /** Holds every grant until `untilMs` (clock ms). Blocks only ever extend. */
  block(untilMs: number): void {
    if (untilMs > this.blockedUntil) this.blockedUntil = untilMs;
  }

  observe(o: RateLimitObservation): void {
    const now = this.clock.now();
    if (o.limit !== undefined && Number.isFinite(o.limit) && o.limit >= 1) {
      if (this.learnable) this.advertisedLimit = Math.floor(o.limit);
      else this.advertisedLimit = o.limit < this.configuredLimit ? Math.floor(o.limit) : Infinity;
    }
    if (o.remaining === undefined || !Number.isFinite(o.remaining)) return;
    // Stale answers (slow requests) say nothing useful about the current window.
    if (now - o.sentAt > this.windowMs) return;
    const serverUsed = this.limit - Math.max(0, o.remaining);
    // Everything the server can have counted of ours: in flight now, or completed after sentAt - window.
    const ours = this.inFlight + this.countDoneAfter(o.sentAt - this.windowMs);
    const external = serverUsed - ours;
    if (external > 0) {
      this.reserve = Math.min(this.limit - 1, external);
      // Other traffic is counted until the server's window resets (a whole window when it does not say).
      const resetMs = o.resetMs !== undefined && Number.isFinite(o.resetMs) && o.resetMs >= 0 ? o.resetMs : Infinity;
      this.reserveUntil = now + Math.min(this.windowMs, resetMs);
    } else {
      this.reserve = 0;
    }
  }

  /** Rejects queued callers (client shutdown). */
  rejectAll(err: unknown): void {
    for (const w of this.queue.splice(0)) w.reject(err);
  }

  // -------------------------------------------------------------------------------------------

  private effectiveLimit(now: number): number {
    const reserve = now < this.reserveUntil ? this.reserve : 0;
    return Math.max(1, this.limit - reserve);
  }

  /** ms to wait before the next grant; Infinity = wait for an in-flight request to complete. */
  private waitMs(now: number): number {
    const blockWait = this.blockedUntil > now ? this.blockedUntil - now : 0;
    this.prune(now);
    const first = this.firstAfter(now - this.windowMs);
    const recent = this.done.length - first;
    const used = this.inFlight + recent;
    const limit = this.effectiveLimit(now);
    let capacityWait = 0;
    if (used >= limit) {
      const mustExpire = used - limit + 1;
      capacityWait =
        mustExpire > recent
          ? Infinity
          : Math.max(1, (this.done[first + mustExpire - 1] as number) + this.windowMs - now);
      // A reserve for other traffic lapses on its own: re-check then.
      if (this.reserve > 0 && now < this.reserveUntil)
        capacityWait = Math.min(capacityWait, Math.max(1, this.reserveUntil - now));
    }
    if (capacityWait === Infinity) return Infinity;
    return Math.max(blockWait, capacityWait);
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.queue.length > 0) {
        const now = this.clock.now();
        const wait = this.waitMs(now);
        if (wait <= 0) {
          const w = this.queue.shift() as Waiter;
          this.inFlight++;
          w.resolve(this.permit(now, now - w.enqueuedAt));
          continue;
        }
        if (wait === Infinity) await new Promise<void>((r) => this.releaseWaiters.push(r));
        else await this.sleep(wait);
      }
    } catch (err) {
      this.rejectAll(err);
    } finally {
      this.pumping = false;
    }
  }

  private permit(grantedAt: number, waitedMs: number): LimiterPermit {
    let settled = false;
    const settle = (used: boolean): void => {
      if (settled) return;
      settled = true;
      this.inFlight--;
      if (used) {
        const last = this.done.length > this.head ? (this.done[this.done.length - 1] as number) : -Infinity;
        this.done.push(Math.max(last, this.clock.now()));
      }
      const waiters = this.releaseWaiters;
      this.releaseWaiters = [];
      for (const r of waiters) r();
      if (!used && this.queue.length > 0) void this.pump();
    };
    return { grantedAt, waitedMs, release: () => settle(true), cancel: () => settle(false) };
  }

  /** Drops completions older than two windows. */
  private prune(now: number): void {
    const cutoff = now - 2 * this.windowMs;
    while (this.head < this.done.length && (this.done[this.head] as number) <= cutoff) this.head++;
    if (this.head > 1024 && this.head * 2 > this.done.length) {
      this.done = this.done.slice(this.head);
      this.head = 0;
    }
  }

  /** Index of the first completion strictly after `t`. */
  private firstAfter(t: number): number {
    let lo = this.head;
    let hi = this.done.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.done[mid] as number) <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private countDoneAfter(t: number): number {
    return this.done.length - this.firstAfter(t);
  }
}
