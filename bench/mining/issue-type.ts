/**
 * Development aid (issue 19, point 4): the local analyzer in memory over the issue-type set — the main issue's
 * type as `npm run mine` reports it (most severe, then most confident), no product issue = question — macro-F1 per
 * repository and the confusion of each. The figures that count come from `npm run bench:mining` (the real CLI,
 * the product's taxonomy).
 *
 *   npx ts-node --transpile-only -P libs/text-mining/tsconfig.lib.json bench/mining/issue-type.ts [--errors LABEL>PRED]
 */
import { readFileSync } from 'node:fs';
import { analyzeTicketLocally } from '../../libs/text-mining/src';
import { EVAL_TAXONOMY } from '../../libs/text-mining/src/lib/analyzer/eval/taxonomy';

const SEVERITY: Record<string, number> = { critical: 0, high: 1, medium: 2, low: 3 };
const rows = readFileSync(`${process.env['BENCH_DATA'] ?? '/work/shared/bench'}/classify_nlbse24_train.jsonl`, 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as { id: string; subject: string; body: string; label: string; repo: string });
const typeOf = (t: string | null) =>
  t === 'feature_request'
    ? 'feature'
    : t === null || t === 'documentation_gap' || t === 'ux_confusion'
      ? 'question'
      : 'bug';
const pred = rows.map((r) => {
  const a = analyzeTicketLocally({ subject: r.subject, description: r.body }, EVAL_TAXONOMY);
  const main = [...a.issues].sort(
    (x, y) => SEVERITY[x.severity]! - SEVERITY[y.severity]! || y.confidence - x.confidence,
  )[0];
  return typeOf(main?.issueType ?? null);
});
const labels = ['bug', 'feature', 'question'];
// The shape's weights were fitted on the even-numbered half (bench/mining/learn-shape.ts): report both halves.
const half = (id: string) => (Number(/(\d+)$/.exec(id)?.[1] ?? 0) % 2 === 0 ? 'train' : 'held-out');
for (const part of ['held-out', 'train', 'all']) {
  const m = macroF1(rows.map((r, i) => (part === 'all' || half(r.id) === part ? i : -1)).filter((i) => i >= 0));
  console.log(
    part.padEnd(9),
    [...m].map(([r, v]) => `${r.split('/')[1]} ${v.toFixed(3)}`).join('  '),
    'mean',
    mean(m).toFixed(3),
  );
}
function mean(m: Map<string, number>): number {
  return [...m.values()].reduce((a, b) => a + b, 0) / m.size;
}
function macroF1(subset: number[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const repo of [...new Set(subset.map((i) => rows[i]!.repo))].sort()) {
    const idx = subset.filter((i) => rows[i]!.repo === repo);
    let f1 = 0;
    for (const l of labels) {
      const tp = idx.filter((i) => rows[i]!.label === l && pred[i] === l).length;
      const fp = idx.filter((i) => rows[i]!.label !== l && pred[i] === l).length;
      const fn = idx.filter((i) => rows[i]!.label === l && pred[i] !== l).length;
      f1 += tp ? (2 * tp) / (2 * tp + fp + fn) : 0;
    }
    out.set(repo, f1 / 3);
  }
  return out;
}
let meanAll = 0;
const repos = [...new Set(rows.map((r) => r.repo))].sort();
for (const repo of repos) {
  const idx = rows.map((r, i) => (r.repo === repo ? i : -1)).filter((i) => i >= 0);
  let f1 = 0;
  const conf: string[] = [];
  for (const l of labels) {
    const tp = idx.filter((i) => rows[i]!.label === l && pred[i] === l).length;
    const fp = idx.filter((i) => rows[i]!.label !== l && pred[i] === l).length;
    const fn = idx.filter((i) => rows[i]!.label === l && pred[i] !== l).length;
    f1 += tp ? (2 * tp) / (2 * tp + fp + fn) : 0;
    conf.push(`${l}→${labels.map((p) => idx.filter((i) => rows[i]!.label === l && pred[i] === p).length).join('/')}`);
  }
  meanAll += f1 / 3 / repos.length;
  console.log(repo.padEnd(22), (f1 / 3).toFixed(3), conf.join('  '));
}
console.log('mean'.padEnd(22), meanAll.toFixed(3));
const show = process.argv.indexOf('--errors');
if (show > 0) {
  const [gold, p] = process.argv[show + 1]!.split('>');
  rows.forEach((r, i) => {
    if (r.label === gold && pred[i] === p && i % 7 === 0)
      console.log(`- [${r.repo}] ${r.subject} | ${r.body.replace(/\s+/g, ' ').slice(0, 160)}`);
  });
}
