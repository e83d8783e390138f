/**
 * Development aid (fast loop for issue 19): the product's clustering step for `--all-tickets` emulated in memory —
 * the topic issue the CLI adds (cleaned subject, else description), `ClusterEngine` observe → vectorise → assign in
 * slices of 1,000 in line order → consolidate with the auto-merge — without Nest, PGlite or the analyzer. The
 * figures that count come from `npm run bench:mining` (the real CLI); this only ranks ideas quickly.
 *
 *   npx ts-node --transpile-only -r tsconfig-paths/register -P backend/tsconfig.app.json bench/mining/engine.ts [set…]
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { cleanText } from '@pim/text-mining';
import { ClusterEngine, EngineCluster, NEW_PREFIX } from '../../backend/src/app/issues/clustering/cluster-engine';
import { accuracy, ari, nmi } from './metrics';

const SETS: Record<string, [string, string]> = {
  dstc11: ['grouping_dstc11_insurance_dev.jsonl', 'group_id'],
  hwu64: ['grouping_hwu64_fold1.jsonl', 'group_id'],
  clinc150: ['grouping_clinc150_test.jsonl', 'group_id'],
  banking77: ['classify_banking77_train.jsonl', 'label'],
};
const dir = process.env['BENCH_DATA'] ?? '/work/shared/bench';
const showNames = process.argv.includes('--names');
const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const names = args.length ? args : Object.keys(SETS);
const shorten = (s: string, max: number) => {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length <= max ? t : `${t.slice(0, max - 1).trimEnd()}…`;
};

for (const name of names) {
  const [file, field] = SETS[name]!;
  const rows = readFileSync(path.join(dir, file), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Record<string, string>);
  const gold = new Map(rows.map((r) => [r['id']!, String(r[field])]));
  const issues = rows.map((r) => {
    const body = cleanText(r['body'] ?? '');
    const subject = cleanText(r['subject'] ?? '') || body;
    return { id: r['id']!, summary: shorten(subject, 200), detail: body === subject ? '' : body };
  });
  const t0 = performance.now();
  const engine = ClusterEngine.create();
  engine.observe(issues);
  const vectors = new Map(issues.map((i) => [i.id, engine.vectorize(i)]));
  const byId = new Map<string, EngineCluster>();
  let nextNewSeq = 1;
  for (let i = 0; i < issues.length; i += 1000) {
    const chunk = issues.slice(i, i + 1000);
    const result = engine.assign(
      [...byId.values()],
      chunk.map((x) => ({ id: x.id, vector: vectors.get(x.id)! })),
      nextNewSeq,
    );
    for (const t of result.touched) {
      if (t.id.startsWith(NEW_PREFIX)) nextNewSeq = Math.max(nextNewSeq, t.seq + 1);
      byId.set(t.id, t);
    }
    for (const [id, c] of [...byId]) if (!c.members.length) byId.delete(id);
  }
  const { merges } = engine.consolidate([...byId.values()], () => true);
  for (const m of merges) {
    const into = byId.get(m.into)!;
    const from = byId.get(m.from)!;
    into.members = [...into.members, ...from.members];
    byId.delete(m.from);
  }
  const pred = new Map<string, string>();
  for (const c of byId.values()) for (const m of c.members) pred.set(m, c.id);
  const ms = Math.round(performance.now() - t0);
  if (showNames) {
    const byIssue = new Map(issues.map((i) => [i.id, i]));
    const largest = [...byId.values()].sort((a, b) => b.members.length - a.members.length);
    for (const c of largest.filter((_, i) => i % Math.max(1, Math.floor(largest.length / 10)) === 0).slice(0, 10))
      console.log(`  ${c.members.length}\t${engine.name(c.members.map((m) => byIssue.get(m)!)).name}`);
  }
  const groups = new Set(gold.values()).size;
  const r = (x: number) => Math.round(x * 1000) / 10;
  console.log(
    JSON.stringify({
      set: name,
      clusters: byId.size,
      ratio: Math.round((byId.size / groups) * 10) / 10,
      acc: r(accuracy(gold, pred)),
      nmi: r(nmi(gold, pred)),
      ari: r(ari(gold, pred)),
      ms,
    }),
  );
}
