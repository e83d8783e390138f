/**
 * Clustering and retrieval metrics for the mining benchmark.
 * - ACC: best 1:1 mapping of predicted clusters to gold groups (Hungarian algorithm, munkres-js),
 *   unmatched items count as errors.
 * - NMI: mutual information / arithmetic mean of the entropies (scikit-learn's default).
 * - ARI: Hubert & Arabie adjusted Rand index.
 * - Pairwise precision/recall over unordered item pairs placed in one cluster.
 * - Recall@k: share of queries (items with ≥ 1 gold duplicate) with at least one duplicate in their top k.
 */

type Labels = ReadonlyMap<string, string>;

function contingency(gold: Labels, pred: Labels) {
  const g = new Map<string, number>();
  const p = new Map<string, number>();
  const cells = new Map<string, number>();
  for (const [id, gl] of gold) {
    const pl = pred.get(id) ?? `__missing__${id}`;
    g.set(gl, (g.get(gl) ?? 0) + 1);
    p.set(pl, (p.get(pl) ?? 0) + 1);
    const key = `${pl}\u0000${gl}`;
    cells.set(key, (cells.get(key) ?? 0) + 1);
  }
  return { g, p, cells, n: gold.size };
}

/** ACC: one implementation, the library's evaluation entry. */
export { accuracy } from '../../libs/text-mining/src/evaluation';

const comb2 = (x: number) => (x * (x - 1)) / 2;

export function nmi(gold: Labels, pred: Labels): number {
  const { g, p, cells, n } = contingency(gold, pred);
  const h = (m: Map<string, number>) => -[...m.values()].reduce((s, c) => s + (c / n) * Math.log(c / n), 0);
  let mi = 0;
  for (const [key, c] of cells) {
    const [pl, gl] = key.split('\u0000');
    mi += (c / n) * Math.log((c * n) / ((p.get(pl) as number) * (g.get(gl) as number)));
  }
  const denom = (h(g) + h(p)) / 2;
  return denom === 0 ? 1 : mi / denom;
}

export function ari(gold: Labels, pred: Labels): number {
  const { g, p, cells, n } = contingency(gold, pred);
  const sumCells = [...cells.values()].reduce((s, c) => s + comb2(c), 0);
  const sumG = [...g.values()].reduce((s, c) => s + comb2(c), 0);
  const sumP = [...p.values()].reduce((s, c) => s + comb2(c), 0);
  const expected = (sumG * sumP) / comb2(n);
  const max = (sumG + sumP) / 2;
  return max === expected ? 1 : (sumCells - expected) / (max - expected);
}

export function pairwise(
  gold: Labels,
  pred: Labels,
): { precision: number; recall: number; predPairs: number; goldPairs: number } {
  const { g, p, cells } = contingency(gold, pred);
  const tp = [...cells.values()].reduce((s, c) => s + comb2(c), 0);
  const predPairs = [...p.values()].reduce((s, c) => s + comb2(c), 0);
  const goldPairs = [...g.values()].reduce((s, c) => s + comb2(c), 0);
  return { precision: predPairs ? tp / predPairs : 1, recall: goldPairs ? tp / goldPairs : 1, predPairs, goldPairs };
}

/** Recall@k for each k, over items whose gold group has another member. */
export function recallAtK(
  gold: Labels,
  ranked: ReadonlyMap<string, readonly string[]>,
  ks: readonly number[],
): { queries: number; recall: Record<number, number> } {
  const groupSize = new Map<string, number>();
  for (const gl of gold.values()) groupSize.set(gl, (groupSize.get(gl) ?? 0) + 1);
  const hits: Record<number, number> = {};
  for (const k of ks) hits[k] = 0;
  let queries = 0;
  for (const [id, gl] of gold) {
    if ((groupSize.get(gl) ?? 0) < 2) continue;
    queries++;
    const list = ranked.get(id) ?? [];
    const first = list.findIndex((x) => x !== id && gold.get(x) === gl);
    for (const k of ks) if (first >= 0 && first < k) hits[k]++;
  }
  const recall: Record<number, number> = {};
  for (const k of ks) recall[k] = queries ? hits[k] / queries : 0;
  return { queries, recall };
}
