/**
 * Frustration scorer vs. a trivial baseline on a public labelled sentiment set.
 *
 * Data: "Sentiment Labelled Sentences" (Kotzias et al., KDD 2015, UCI Machine Learning Repository, CC BY 4.0):
 * 3 000 sentences (Amazon, IMDB, Yelp reviews), 1 000 each, half negative (0) half positive (1). It ships in the
 * npm package `sentiment@5.0.2` (MIT) as test/fixtures/{amazon,imdb,yelp}.json. Not a dependency: fetch it with
 *   mkdir -p /tmp/sentiment && (cd /tmp/sentiment && npm pack sentiment@5.0.2 && tar xzf sentiment-5.0.2.tgz)
 * then run
 *   npx ts-node --transpile-only -P libs/text-mining/tsconfig.lib.json bench/frustration/run.ts /tmp/sentiment/package/test/fixtures
 *
 * Task: a sentence is predicted negative ("frustrated") when its frustration score is above 0.5. Baseline: the
 * majority class of the set (measured in the same run). Also reported: ROC AUC of the score, and accuracy at the
 * best threshold (an optimistic figure, tuned on the test data; shown only to tell ranking from calibration).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { frustrationScore } from '../../libs/text-mining/src/lib/frustration';

interface Row {
  text: string;
  class: 0 | 1;
}

function auc(scores: number[], negative: boolean[]): number {
  const order = scores.map((s, i) => [s, negative[i]] as const).sort((a, b) => a[0] - b[0]);
  let rankSum = 0;
  let pos = 0;
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j < order.length && order[j][0] === order[i][0]) j++;
    const avgRank = (i + j + 1) / 2;
    for (let k = i; k < j; k++)
      if (order[k][1]) {
        rankSum += avgRank;
        pos++;
      }
    i = j;
  }
  const neg = order.length - pos;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

function evaluate(name: string, rows: Row[]) {
  const t0 = performance.now();
  const scores = rows.map((r) => frustrationScore(r.text).score);
  const ms = performance.now() - t0;
  const negative = rows.map((r) => r.class === 0);
  const accuracy = negative.filter((n, i) => scores[i] > 0.5 === n).length / rows.length;
  const negatives = negative.filter(Boolean).length;
  const majority = Math.max(negatives, rows.length - negatives) / rows.length;
  const neutral = scores.filter((s) => s === 0.5).length / rows.length;
  let best = 0;
  for (const t of [...new Set(scores)]) {
    const acc = negative.filter((n, i) => scores[i] >= t === n).length / rows.length;
    best = Math.max(best, acc);
  }
  return { name, n: rows.length, majority, accuracy, auc: auc(scores, negative), best, neutral, ms };
}

const dir = process.argv[2] ?? '/tmp/sentiment/package/test/fixtures';
const sets = ['amazon', 'imdb', 'yelp'].map((n) => ({
  name: n,
  rows: JSON.parse(readFileSync(join(dir, `${n}.json`), 'utf8')) as Row[],
}));
const results = [
  ...sets.map((s) => evaluate(s.name, s.rows)),
  evaluate(
    'all',
    sets.flatMap((s) => s.rows),
  ),
];
const pct = (x: number) => (100 * x).toFixed(1);
console.log(
  '| set | sentences | majority baseline | ours (score > 0.5) | ROC AUC | best-threshold acc. | scored exactly 0.5 | time ms |',
);
console.log('|---|---|---|---|---|---|---|---|');
for (const r of results)
  console.log(
    `| ${r.name} | ${r.n} | ${pct(r.majority)} | **${pct(r.accuracy)}** | ${r.auc.toFixed(3)} | ${pct(r.best)} | ${pct(r.neutral)} % | ${r.ms.toFixed(0)} |`,
  );
