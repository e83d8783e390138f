/**
 * The spike statistic: a cluster's count of the last day against its own history (a robust z-score). Pure.
 *
 * z = (today − median) / scale, with scale = max(1.4826 · MAD, √max(median, 1)). The MAD makes the rule
 * relative to the cluster's own spread; the Poisson floor √median keeps sparse histories (mostly zero days, MAD 0)
 * from calling every single ticket a spike.
 */
export interface SpikeOptions {
  /** z at or above which the day is a spike (settings: `spike.zThreshold`, default 4). */
  zThreshold: number;
  /** Fewest issues in the day for a spike at all (settings: `spike.minCount`, default 3). */
  minCount: number;
}

export const DEFAULT_SPIKE_OPTIONS: SpikeOptions = { zThreshold: 4, minCount: 3 };

/** What a spike verdict was computed from: stored with the alert. */
export interface SpikeVerdict {
  count: number;
  baselineDays: number;
  median: number;
  mad: number;
  scale: number;
  z: number;
  spike: boolean;
}

/** Median of numbers (0 for none). */
export function median(values: readonly number[]): number {
  if (!values.length) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const at = (i: number) => sorted[i] ?? 0;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? at(mid) : (at(mid - 1) + at(mid)) / 2;
}

/** Median absolute deviation from the median. */
export function mad(values: readonly number[], center = median(values)): number {
  return median(values.map((v) => Math.abs(v - center)));
}

/** Is `count` (the last day) a spike over `baseline` (the days before it, e.g. 28 daily counts)? */
export function spikeVerdict(
  count: number,
  baseline: readonly number[],
  options: SpikeOptions = DEFAULT_SPIKE_OPTIONS,
): SpikeVerdict {
  const center = median(baseline);
  const spread = mad(baseline, center);
  const scale = Math.max(1.4826 * spread, Math.sqrt(Math.max(center, 1)));
  const z = (count - center) / scale;
  return {
    count,
    baselineDays: baseline.length,
    median: center,
    mad: spread,
    scale: round(scale),
    z: round(z),
    spike: count >= options.minCount && z >= options.zThreshold,
  };
}

const round = (value: number) => Math.round(value * 1000) / 1000;
