/**
 * Duplicate-report sweeps (development aid; results summarised in bench/RESULTS.md): similar-ticket recall of
 * `SimilarTicketIndex` and pairwise precision/recall of `duplicateGroups` under a grid of options, on GitBugs.
 *   npx ts-node --transpile-only -P libs/text-mining/tsconfig.lib.json bench/mining/duplicates.ts ['JSON-array-of-DuplicateGroupOptions']
 * Default grid: minScore × ratio × maxBodySimilarity (1 = off) at 90 days.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { DuplicateGroupOptions, SimilarTicketIndex, duplicateGroups } from '../../libs/text-mining/src';
import { pairwise, recallAtK } from './metrics';

const dataDir = process.env['BENCH_DATA'] ?? path.resolve(__dirname, '../../../shared/bench');
const rows = readFileSync(path.join(dataDir, 'grouping_gitbugs_seamonkey.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as Record<string, string>);
const gold = new Map(rows.map((r) => [r['id'], String(r['group_id'])]));
const created = new Map(rows.map((r) => [r['id'], r['created'] ?? null]));
const r3 = (x: number) => Math.round(x * 1000) / 1000;

const t0 = performance.now();
const index = SimilarTicketIndex.build(rows.map((r) => ({ id: r['id'], subject: r['subject'], body: r['body'] })));
const similar = index.allSimilar(11);
const ms = Math.round(performance.now() - t0);
const ranked = new Map([...similar].map(([id, ns]) => [id, ns.slice(0, 10).map((n) => n.id)]));
const r = recallAtK(gold, ranked, [1, 5, 10]);
console.log('similar', JSON.stringify({ r1: r3(r.recall[1]), r5: r3(r.recall[5]), r10: r3(r.recall[10]), ms }));

const byId = new Map(rows.map((r) => [r['id'], { subject: r['subject'], body: r['body'] }]));
const fields = (a: string, b: string) => index.fieldSimilarity(byId.get(a) ?? {}, byId.get(b) ?? {});
// NO_FIELDS=1: without the template check (descriptions never compared), as before it existed.
const noFields = process.env['NO_FIELDS'] === '1';
const grid: DuplicateGroupOptions[] = process.argv[2]
  ? (JSON.parse(process.argv[2]) as DuplicateGroupOptions[])
  : [0.15, 0.25, 0.35].flatMap((minScore) =>
      [1.5, 2, 2.5, 3].flatMap((ratio) =>
        [0.3, 0.4, 0.5, 0.6, 1.01].map(
          (maxBodySimilarity) => ({ minScore, ratio, maxDays: 90, maxBodySimilarity }) as DuplicateGroupOptions,
        ),
      ),
    );
for (const o of grid) {
  const groups = duplicateGroups(similar, o, { createdAt: created, fields: noFields ? undefined : fields });
  const pred = new Map(rows.map((x) => [x['id'], groups.get(x['id']) ?? `single:${x['id']}`]));
  const pw = pairwise(gold, pred);
  const linked = groups.size;
  console.log(
    JSON.stringify(o),
    JSON.stringify({ linked, groups: new Set(groups.values()).size, pP: r3(pw.precision), pR: r3(pw.recall) }),
  );
}
