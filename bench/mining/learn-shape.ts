/**
 * Learns the weights of the report-shape features (libs/text-mining/src/lib/analyzer/shape-features.ts) on HALF of
 * the NLBSE'24 issue-type set and reports macro-F1 per repository on the OTHER half (issue 19, point 4). The split is
 * by the id's number: even ids train, odd ids are held out (50 per repository and label each side). Nothing else
 * in the analyzer is learned; the features are the same for every product.
 *
 *   npx ts-node --transpile-only -P libs/text-mining/tsconfig.lib.json bench/mining/learn-shape.ts [--print]
 *
 * Multinomial logistic regression (bug / feature / question) with an L2 penalty, full-batch gradient descent;
 * `--print` writes the weights. Also prints leave-one-repository-out figures (train on four repositories' train halves,
 * score the fifth's held-out half): how well the weights carry to a product they never saw. The weights in shape.ts
 * come from combine-shape.ts (the same fit with the simulator's seed-42 tickets added).
 */
import { readFileSync } from 'node:fs';
import { SHAPE_FEATURES, shapeFeatures } from '../../libs/text-mining/src/lib/analyzer/shape-features';

const LABELS = ['bug', 'feature', 'question'] as const;
type Label = (typeof LABELS)[number];

interface Row {
  id: string;
  subject: string;
  body: string;
  label: Label;
  repo: string;
}

export const isTrain = (id: string): boolean => Number(/(\d+)$/.exec(id)?.[1] ?? 0) % 2 === 0;

export function loadIssueTypeRows(): Row[] {
  return readFileSync(`${process.env['BENCH_DATA'] ?? '/work/shared/bench'}/classify_nlbse24_train.jsonl`, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Row);
}

/** Weights [class][feature], bias last. */
export function fitSoftmax(x: number[][], y: number[], lambda: number, iterations = 1500, rate = 0.5): number[][] {
  const d = x[0]!.length;
  const w = LABELS.map(() => new Array<number>(d + 1).fill(0));
  const n = x.length;
  for (let it = 0; it < iterations; it++) {
    const grad = LABELS.map(() => new Array<number>(d + 1).fill(0));
    for (let i = 0; i < n; i++) {
      const p = probabilities(w, x[i]!);
      for (let k = 0; k < LABELS.length; k++) {
        const g = p[k]! - (y[i] === k ? 1 : 0);
        for (let j = 0; j < d; j++) grad[k]![j]! += g * x[i]![j]!;
        grad[k]![d]! += g;
      }
    }
    for (let k = 0; k < LABELS.length; k++)
      for (let j = 0; j <= d; j++) w[k]![j]! -= rate * (grad[k]![j]! / n + (j < d ? lambda * w[k]![j]! : 0));
  }
  return w;
}

export function logits(w: number[][], x: readonly number[]): number[] {
  return w.map((wk) => x.reduce((a, v, j) => a + v * wk[j]!, wk[x.length]!));
}

function probabilities(w: number[][], x: readonly number[]): number[] {
  const z = logits(w, x);
  const m = Math.max(...z);
  const e = z.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

export function macroF1ByRepo(rows: readonly Row[], pred: readonly string[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const repo of [...new Set(rows.map((r) => r.repo))].sort()) {
    let f1 = 0;
    for (const l of LABELS) {
      let tp = 0;
      let fp = 0;
      let fn = 0;
      rows.forEach((r, i) => {
        if (r.repo !== repo) return;
        if (r.label === l && pred[i] === l) tp++;
        else if (pred[i] === l) fp++;
        else if (r.label === l) fn++;
      });
      f1 += tp ? (2 * tp) / (2 * tp + fp + fn) : 0;
    }
    out.set(repo, f1 / 3);
  }
  return out;
}

const mean = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0) / m.size;
const show = (m: Map<string, number>) =>
  `${[...m].map(([r, v]) => `${r.split('/')[1]} ${v.toFixed(3)}`).join('  ')}  mean ${mean(m).toFixed(3)}`;

function main(): void {
  const rows = loadIssueTypeRows();
  const x = rows.map((r) => shapeFeatures(r.subject, r.body));
  const y = rows.map((r) => LABELS.indexOf(r.label));
  const train = rows.map((r, i) => (isTrain(r.id) ? i : -1)).filter((i) => i >= 0);
  const held = rows.map((r, i) => (isTrain(r.id) ? -1 : i)).filter((i) => i >= 0);
  const lambdaArg = process.argv.indexOf('--lambda');
  const lambdas = lambdaArg > 0 ? [Number(process.argv[lambdaArg + 1])] : [0.003, 0.01, 0.03];
  let best: number[][] = [];
  for (const lambda of lambdas) {
    const w = fitSoftmax(
      train.map((i) => x[i]!),
      train.map((i) => y[i]!),
      lambda,
    );
    const predict = (i: number) => {
      const z = logits(w, x[i]!);
      return LABELS[z.indexOf(Math.max(...z))]!;
    };
    const heldRows = held.map((i) => rows[i]!);
    console.log(
      `λ ${lambda}  train:`,
      show(
        macroF1ByRepo(
          train.map((i) => rows[i]!),
          train.map(predict),
        ),
      ),
    );
    console.log(`λ ${lambda}  held-out:`, show(macroF1ByRepo(heldRows, held.map(predict))));
    const loro = new Map<string, number>();
    for (const repo of [...new Set(rows.map((r) => r.repo))].sort()) {
      const tr = train.filter((i) => rows[i]!.repo !== repo);
      const te = held.filter((i) => rows[i]!.repo === repo);
      const wr = fitSoftmax(
        tr.map((i) => x[i]!),
        tr.map((i) => y[i]!),
        lambda,
      );
      const p = te.map((i) => {
        const z = logits(wr, x[i]!);
        return LABELS[z.indexOf(Math.max(...z))]!;
      });
      loro.set(
        repo,
        macroF1ByRepo(
          te.map((i) => rows[i]!),
          p,
        ).get(repo)!,
      );
    }
    console.log(`λ ${lambda}  leave-one-repository-out:`, show(loro));
    best = w;
  }
  if (process.argv.includes('--print')) {
    console.log('// feature: bug, feature, question');
    SHAPE_FEATURES.forEach((ft, j) =>
      console.log(`  ['${ft.id}', ${best.map((wk) => wk[j]!.toFixed(2)).join(', ')}],`),
    );
    console.log(`  bias: ${best.map((wk) => wk[SHAPE_FEATURES.length]!.toFixed(2)).join(', ')}`);
  }
}

if (require.main === module) main();
