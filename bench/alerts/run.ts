/**
 * Precision and recall of the spike rule (robust z-score over a cluster's own 28 days) on a generated set of
 * clusters with planted spikes, next to a fixed-percentage rule (the last day ≥ 2× the 28-day mean) for contrast.
 * Pure computation: no database, no services. Prints the "## Alerts: spike rule" section of bench/RESULTS.md.
 *
 *   npx ts-node -T -P libs/testing/tsconfig.lib.json bench/alerts/run.ts [--clusters 5000] [--seed 17]
 */
import { spikeVerdict } from '../../backend/src/app/alerts/rules/spike';
import { mulberry32 } from '../../libs/testing/src/zendesk/prng';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const CLUSTERS = arg('clusters', 5000);
const SEED = arg('seed', 17);
const SPIKE_SHARE = 0.2;
const DAYS = 28;

const rand = mulberry32(SEED);
const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());

/** Poisson draw (Knuth below 30, normal approximation above). */
function poisson(lambda: number): number {
  if (lambda <= 0) return 0;
  if (lambda > 30) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * normal()));
  const limit = Math.exp(-lambda);
  let k = 0;
  let p = 1;
  do {
    k++;
    p *= rand();
  } while (p > limit);
  return k - 1;
}

/** Gamma(shape k ≥ 1, scale 1/k): mean 1 (Marsaglia–Tsang): day-to-day over-dispersion of real ticket counts. */
function gammaMeanOne(k: number): number {
  const d = k - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = normal();
    const v = (1 + c * x) ** 3;
    if (v <= 0) continue;
    if (Math.log(rand()) < 0.5 * x * x + d - d * v + d * Math.log(v)) return (d * v) / k;
  }
}

interface Cluster {
  rate: number;
  days: number[]; // days[0] = the last day, 1..28 = the baseline
  planted: boolean;
}

/** A cluster: a base rate (log-uniform 0.2–40 a day), weekly rhythm, over-dispersed daily counts; 20% get a spike. */
function generate(): Cluster {
  const rate = Math.exp(Math.log(0.2) + rand() * (Math.log(40) - Math.log(0.2)));
  const dispersion = 4 + rand() * 16;
  const days = Array.from({ length: DAYS + 1 }, (_, d) => {
    const weekend = d % 7 === 5 || d % 7 === 6 ? 0.6 : 1.1;
    return poisson(rate * weekend * gammaMeanOne(dispersion));
  });
  const planted = rand() < SPIKE_SHARE;
  if (planted) {
    // A spike: 2.5–6× the day's rate and at least 4 extra tickets.
    const factor = 2.5 + rand() * 3.5;
    days[0] += Math.max(4, Math.round((factor - 1) * rate));
  }
  return { rate, days, planted };
}

const clusters = Array.from({ length: CLUSTERS }, generate);

interface Score {
  tp: number;
  fp: number;
  fn: number;
}
const score = (predict: (c: Cluster) => boolean, subset = clusters): Score => {
  const s = { tp: 0, fp: 0, fn: 0 };
  for (const c of subset) {
    const p = predict(c);
    if (p && c.planted) s.tp++;
    else if (p) s.fp++;
    else if (c.planted) s.fn++;
  }
  return s;
};
const pct = (x: number) => (Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : '–');
const row = (name: string, s: Score) =>
  `| ${name} | ${s.tp} | ${s.fp} | ${s.fn} | ${pct(s.tp / (s.tp + s.fp))} | ${pct(s.tp / (s.tp + s.fn))} |`;

const robust = (z: number) => (c: Cluster) =>
  spikeVerdict(c.days[0]!, c.days.slice(1), { zThreshold: z, minCount: 3 }).spike;
const fixedPct = (c: Cluster) => {
  const mean = c.days.slice(1).reduce((a, b) => a + b, 0) / DAYS;
  return c.days[0]! >= 3 && c.days[0]! >= 2 * mean;
};

const out: string[] = [];
out.push(`${CLUSTERS} clusters, seed ${SEED}, ${clusters.filter((c) => c.planted).length} planted spikes.`, '');
out.push('| rule | true pos. | false pos. | missed | precision | recall |', '|---|---|---|---|---|---|');
for (const z of [3, 4, 5]) out.push(row(`robust z ≥ ${z}${z === 4 ? ' (default)' : ''}`, score(robust(z))));
out.push(row('fixed: last day ≥ 2× 28-day mean (contrast)', score(fixedPct)));
out.push(
  '',
  'By base rate (default rule, z ≥ 4):',
  '',
  '| tickets a day | clusters | planted | precision | recall |',
  '|---|---|---|---|---|',
);
for (const [lo, hi] of [
  [0.2, 1],
  [1, 5],
  [5, 15],
  [15, 40],
]) {
  const subset = clusters.filter((c) => c.rate >= lo! && c.rate < hi!);
  const s = score(robust(4), subset);
  out.push(
    `| ${lo}–${hi} | ${subset.length} | ${subset.filter((c) => c.planted).length} | ${pct(s.tp / (s.tp + s.fp))} | ${pct(s.tp / (s.tp + s.fn))} |`,
  );
}
console.log(out.join('\n'));
