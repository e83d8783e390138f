import { mad, median, spikeVerdict } from './spike';

describe('spike statistic (robust z-score over the cluster’s own history)', () => {
  it('computes the median and the median absolute deviation', () => {
    expect(median([])).toBe(0);
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(mad([1, 1, 2, 2, 4, 6, 9])).toBe(1);
  });

  it('finds a day far above a stable baseline', () => {
    const baseline = [2, 3, 2, 1, 2, 3, 2, 2, 1, 3, 2, 2, 3, 2, 1, 2, 2, 3, 2, 2, 1, 2, 3, 2, 2, 2, 3, 2];
    const verdict = spikeVerdict(12, baseline);
    expect(verdict.spike).toBe(true);
    expect(verdict.median).toBe(2);
    expect(verdict.z).toBeGreaterThan(4);
  });

  it('does not call the same count a spike on a cluster whose own history is that high', () => {
    const baseline = [
      10, 12, 9, 14, 11, 8, 13, 12, 10, 9, 15, 11, 12, 10, 13, 9, 11, 12, 14, 10, 11, 9, 12, 13, 10, 11, 12, 10,
    ];
    const verdict = spikeVerdict(12, baseline);
    expect(verdict.spike).toBe(false);
    expect(verdict.z).toBeLessThan(1);
  });

  it('keeps sparse histories (MAD 0) from calling a single ticket a spike', () => {
    const zeros = new Array(28).fill(0);
    expect(spikeVerdict(1, zeros).spike).toBe(false);
    expect(spikeVerdict(2, zeros).spike).toBe(false);
    expect(spikeVerdict(3, zeros).z).toBe(3);
    expect(spikeVerdict(5, zeros).spike).toBe(true);
  });

  it('honours the threshold and the minimum count', () => {
    const baseline = new Array(28).fill(4);
    expect(spikeVerdict(12, baseline, { zThreshold: 4, minCount: 3 }).spike).toBe(true); // (12 − 4) / 2 = 4
    expect(spikeVerdict(12, baseline, { zThreshold: 5, minCount: 3 }).spike).toBe(false);
    expect(spikeVerdict(12, baseline, { zThreshold: 1, minCount: 13 }).spike).toBe(false);
  });
});
