/** Trend math of clusters, by ticket creation time. Pure functions (unit-tested). */

export const DAY_MS = 86_400_000;
export const WEEK_MS = 7 * DAY_MS;

/** Emerging: first seen in the last 7 days with at least this many issues… */
export const EMERGING_MIN_ISSUES = 3;
/** …or a spike: the last 7 days have at least SPIKE_MIN issues and SPIKE_RATIO × the cluster's weekly baseline. */
export const SPIKE_MIN = 3;
export const SPIKE_RATIO = 3;
/** Weeks of the cluster's own history (before the last 7 days) that make its baseline. */
export const BASELINE_WEEKS = 8;

/**
 * Growth of the last 7 days over the 7 days before, in percent, rounded to 0.1. Null when the prior week had no
 * issues (growth from zero is not a number; such clusters are flagged `emerging` instead). Never overflows: counts
 * are integers, the result is a finite double stored in numeric(16,1).
 */
export function trendPct(count7d: number, countPrior7d: number): number | null {
  if (!Number.isFinite(count7d) || !Number.isFinite(countPrior7d) || count7d < 0 || countPrior7d < 0) return null;
  if (countPrior7d === 0) return count7d === 0 ? 0 : null;
  return Math.round(((count7d - countPrior7d) / countPrior7d) * 1000) / 10;
}

export interface EmergingInput {
  now: Date;
  firstSeen: Date | null;
  issueCount: number;
  count7d: number;
  /** Issues in the `BASELINE_WEEKS` weeks before the last 7 days. */
  countBaseline: number;
}

/** Average issues per week before the last 7 days, over the weeks the cluster existed (1–BASELINE_WEEKS). */
export function baselineWeekly(input: Pick<EmergingInput, 'now' | 'firstSeen' | 'countBaseline'>): number {
  if (!input.firstSeen) return 0;
  const windowStart = input.now.getTime() - WEEK_MS;
  const weeks = Math.min(BASELINE_WEEKS, Math.max(1, Math.ceil((windowStart - input.firstSeen.getTime()) / WEEK_MS)));
  return input.countBaseline / weeks;
}

/** First seen in the last 7 days with ≥ 3 issues, or a spike against the cluster's own weekly baseline. */
export function isEmerging(input: EmergingInput): boolean {
  if (!input.firstSeen) return false;
  const windowStart = input.now.getTime() - WEEK_MS;
  if (input.firstSeen.getTime() >= windowStart) return input.issueCount >= EMERGING_MIN_ISSUES;
  return input.count7d >= SPIKE_MIN && input.count7d >= SPIKE_RATIO * baselineWeekly(input);
}

/** Bucket starts (UTC) covering `days` days up to `now`, for a day or ISO-week (Monday) series. */
export function buckets(now: Date, days: number, interval: 'day' | 'week'): Date[] {
  const start = startOf(new Date(now.getTime() - (days - 1) * DAY_MS), interval);
  const out: Date[] = [];
  for (let t = start.getTime(); t <= now.getTime(); t += interval === 'day' ? DAY_MS : WEEK_MS) out.push(new Date(t));
  return out;
}

export function startOf(date: Date, interval: 'day' | 'week'): Date {
  const d = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  if (interval === 'week') d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d;
}
