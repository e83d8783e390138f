/**
 * Parameter sweeps for the mining engine (development aid; results summarised in bench/RESULTS.md).
 *   npx ts-node --transpile-only -P libs/text-mining/tsconfig.lib.json bench/mining/tune.ts DATASET 'JSON-array-of-MineOptions'
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { MineOptions, mineDocuments } from '../../libs/text-mining/src';
import { accuracy, ari, nmi, pairwise, recallAtK } from './metrics';

const FILES: Record<string, [string, string, MineOptions]> = {
  gitbugs: ['grouping_gitbugs_seamonkey.jsonl', 'group_id', { mode: 'problem', similar: 10 }],
  dstc11: ['grouping_dstc11_insurance_dev.jsonl', 'group_id', { mode: 'topic' }],
  banking77: ['classify_banking77_train.jsonl', 'label', { mode: 'topic' }],
  clinc150: ['grouping_clinc150_test.jsonl', 'group_id', { mode: 'topic' }],
  hwu64: ['grouping_hwu64_fold1.jsonl', 'group_id', { mode: 'topic' }],
};
const [name, json] = process.argv.slice(2);
const [file, labelField, base] = FILES[name];
const dataDir = process.env['BENCH_DATA'] ?? path.resolve(__dirname, '../../../shared/bench');
const rows = readFileSync(path.join(dataDir, file), 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as Record<string, string>);
const docs = rows.map((r) => ({ id: r['id'], subject: r['subject'] ?? '', body: r['body'] ?? '' }));
const gold = new Map(rows.map((r) => [r['id'], String(r[labelField])]));
const r3 = (x: number) => Math.round(x * 1000) / 1000;
for (const o of JSON.parse(json ?? '[{}]') as MineOptions[]) {
  const opts: MineOptions = {
    ...base,
    ...o,
    model: { ...base.model, ...o.model },
    clusterer: { ...base.clusterer, ...o.clusterer },
  };
  const dl = (o.clean as { dropLines?: string[] } | undefined)?.dropLines;
  if (dl) opts.clean = { ...o.clean, dropLines: dl.map((x) => new RegExp(x, 'i')) };
  const t0 = performance.now();
  const m = mineDocuments(docs, opts);
  const ms = Math.round(performance.now() - t0);
  const pw = pairwise(gold, m.clusterOf);
  const out: Record<string, unknown> = {
    k: m.clusters.length,
    nmi: r3(nmi(gold, m.clusterOf)),
    ari: r3(ari(gold, m.clusterOf)),
    pP: r3(pw.precision),
    pR: r3(pw.recall),
    ms,
  };
  if (name !== 'gitbugs') out['acc'] = r3(accuracy(gold, m.clusterOf));
  if (m.similar) {
    const r = recallAtK(gold, new Map([...m.similar].map(([id, ns]) => [id, ns.map((n) => n.id)])), [1, 5, 10]);
    Object.assign(out, { r1: r3(r.recall[1]), r5: r3(r.recall[5]), r10: r3(r.recall[10]) });
  }
  console.log(JSON.stringify(o), JSON.stringify(out));
}
