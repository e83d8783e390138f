import { mapLimit } from './async';
import { retryAfterMs } from './retry-after';

describe('mapLimit', () => {
  it('keeps the items’ order and never has more than the limit in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const out = await mapLimit([5, 1, 4, 2, 3], 2, async (n) => {
      most = Math.max(most, ++inFlight);
      await new Promise((r) => setTimeout(r, n));
      inFlight--;
      return n * 10;
    });
    expect(out).toEqual([50, 10, 40, 20, 30]);
    expect(most).toBe(2);
  });

  it('starts no item once stopped', async () => {
    const seen: number[] = [];
    const out = await mapLimit(
      [1, 2, 3, 4],
      1,
      async (n) => seen.push(n),
      () => seen.length >= 2,
    );
    expect(seen).toEqual([1, 2]);
    expect(out).toEqual([1, 2, undefined, undefined]);
  });
});

describe('retryAfterMs', () => {
  const headers = (h: Record<string, string>) => new Headers(h);
  it('reads milliseconds, seconds (scaled) and HTTP dates', () => {
    expect(retryAfterMs(headers({ 'retry-after-ms': '250', 'retry-after': '9' }))).toBe(250);
    expect(retryAfterMs(headers({ 'retry-after': '7' }))).toBe(7000);
    expect(retryAfterMs(headers({ 'retry-after': '60' }), Date.now(), 60)).toBe(1000);
    const now = Date.parse('2026-12-07T10:00:00Z');
    expect(retryAfterMs(headers({ 'retry-after': 'Mon, 07 Dec 2026 10:00:30 GMT' }), now)).toBe(30_000);
  });
  it('is undefined when absent or unusable', () => {
    expect(retryAfterMs(undefined)).toBeUndefined();
    expect(retryAfterMs(headers({}))).toBeUndefined();
    expect(retryAfterMs(headers({ 'retry-after': 'soon' }))).toBeUndefined();
  });
});
