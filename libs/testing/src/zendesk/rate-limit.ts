/** Rolling-window request counters used for Zendesk's per-minute limits. */

export type ZendeskPlan = 'team' | 'growth' | 'professional' | 'enterprise' | 'enterprise_plus' | 'high_volume';

/** Account-wide requests per minute by plan (Zendesk Support API). */
export const PLAN_LIMITS: Readonly<Record<ZendeskPlan, number>> = {
  team: 200,
  growth: 400,
  professional: 400,
  enterprise: 700,
  enterprise_plus: 2500,
  high_volume: 2500,
};

/** Requests per minute shared by all incremental export endpoints. */
export const INCREMENTAL_LIMIT = 10;
export const INCREMENTAL_LIMIT_HIGH_VOLUME = 30;

export class RollingWindow {
  private times: number[] = [];
  private head = 0;

  constructor(
    public limit: number,
    public windowMs: number,
  ) {}

  private prune(now: number): void {
    const cutoff = now - this.windowMs;
    while (this.head < this.times.length && (this.times[this.head] as number) <= cutoff) this.head++;
    if (this.head > 4096 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
  }

  /** Requests counted in the window ending at `now`. */
  used(now: number): number {
    this.prune(now);
    return this.times.length - this.head;
  }

  remaining(now: number): number {
    return Math.max(0, this.limit - this.used(now));
  }

  /** Counts a request if there is room; false when the limit is reached. */
  tryTake(now: number): boolean {
    if (this.used(now) >= this.limit) return false;
    this.times.push(now);
    return true;
  }

  /** ms until one more request would be allowed (0 when allowed now). */
  msUntilAvailable(now: number): number {
    const used = this.used(now);
    if (used < this.limit) return 0;
    const oldestThatMustExpire = this.times[this.head + (used - this.limit)] as number;
    return Math.max(1, oldestThatMustExpire + this.windowMs - now);
  }

  /** ms until the oldest counted request leaves the window (the whole window when empty). */
  msUntilReset(now: number): number {
    this.prune(now);
    if (this.head >= this.times.length) return this.windowMs;
    return Math.max(1, (this.times[this.head] as number) + this.windowMs - now);
  }

  reset(): void {
    this.times = [];
    this.head = 0;
  }
}
