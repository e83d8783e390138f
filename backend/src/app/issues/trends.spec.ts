import { baselineWeekly, buckets, DAY_MS, isEmerging, startOf, trendPct } from './trends';

describe('trend math', () => {
  it('computes growth in percent, rounded to 0.1', () => {
    expect(trendPct(15, 10)).toBe(50);
    expect(trendPct(5, 10)).toBe(-50);
    expect(trendPct(10, 10)).toBe(0);
    expect(trendPct(1, 3)).toBe(-66.7);
    expect(trendPct(0, 4)).toBe(-100);
  });

  it('has no overflow: growth far above 999% is exact and finite', () => {
    expect(trendPct(1_000, 1)).toBe(99_900);
    expect(trendPct(2_000_000_000, 1)).toBe(199_999_999_900);
    // The column is numeric(16,1): 15 integer digits hold any int32 growth.
    expect(String(Math.trunc(trendPct(2 ** 31 - 1, 1)!)).length).toBeLessThanOrEqual(15);
  });

  it('is null for growth from a prior week with no issues, and 0 for an empty cluster', () => {
    expect(trendPct(7, 0)).toBeNull();
    expect(trendPct(0, 0)).toBe(0);
    expect(trendPct(-1, 2)).toBeNull();
    expect(trendPct(Number.NaN, 2)).toBeNull();
  });

  const now = new Date('2026-11-30T12:00:00Z');
  const daysAgo = (d: number) => new Date(now.getTime() - d * DAY_MS);

  it('flags new clusters with at least 3 issues as emerging', () => {
    expect(isEmerging({ now, firstSeen: daysAgo(3), issueCount: 3, count7d: 3, countBaseline: 0 })).toBe(true);
    expect(isEmerging({ now, firstSeen: daysAgo(3), issueCount: 2, count7d: 2, countBaseline: 0 })).toBe(false);
    expect(isEmerging({ now, firstSeen: null, issueCount: 0, count7d: 0, countBaseline: 0 })).toBe(false);
  });

  it('flags a spike against the cluster’s own weekly baseline', () => {
    // 8 weeks of history with 16 issues → 2 a week; 6 this week is 3×.
    expect(baselineWeekly({ now, firstSeen: daysAgo(100), countBaseline: 16 })).toBe(2);
    expect(isEmerging({ now, firstSeen: daysAgo(100), issueCount: 40, count7d: 6, countBaseline: 16 })).toBe(true);
    expect(isEmerging({ now, firstSeen: daysAgo(100), issueCount: 40, count7d: 5, countBaseline: 16 })).toBe(false);
    // Young cluster (2 weeks before this one): its baseline is over 2 weeks, not 8.
    expect(baselineWeekly({ now, firstSeen: daysAgo(20), countBaseline: 4 })).toBe(2);
    // A steady big cluster is not emerging.
    expect(isEmerging({ now, firstSeen: daysAgo(90), issueCount: 300, count7d: 25, countBaseline: 200 })).toBe(false);
  });

  it('builds day and ISO-week buckets in UTC', () => {
    expect(startOf(new Date('2026-11-26T23:59:00Z'), 'week').toISOString()).toBe('2026-11-23T00:00:00.000Z');
    const days = buckets(now, 7, 'day');
    expect(days).toHaveLength(7);
    expect(days[0]!.toISOString()).toBe('2026-11-24T00:00:00.000Z');
    expect(days[6]!.toISOString()).toBe('2026-11-30T00:00:00.000Z');
    const weeks = buckets(now, 28, 'week');
    expect(weeks[0]!.toISOString()).toBe('2026-11-02T00:00:00.000Z');
    expect(weeks.at(-1)!.toISOString()).toBe('2026-11-30T00:00:00.000Z');
  });
});
