/**
 * Evaluation only (tests and benchmarks; `@pim/text-mining/evaluation`, kept out of the library's index so the
 * product never loads munkres-js, a dev dependency). Agreement of clusters with ground truth:
 * - purity: share of items whose cluster's majority label is their own label;
 * - inverse purity: the same with the roles swapped (how whole each true problem stays);
 * - ACC: accuracy under the best 1:1 cluster↔label mapping (Hungarian), unmatched items count as errors.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const munkres: (cost: number[][]) => Array<[number, number]> = require('munkres-js');

export interface Agreement {
  items: number;
  clusters: number;
  labels: number;
  purity: number;
  inversePurity: number;
  acc: number;
}

export function agreement(pairs: ReadonlyArray<{ label: string; cluster: string }>): Agreement {
  const cells = new Map<string, Map<string, number>>();
  const byLabel = new Map<string, Map<string, number>>();
  for (const { label, cluster } of pairs) {
    const c = cells.get(cluster) ?? new Map<string, number>();
    c.set(label, (c.get(label) ?? 0) + 1);
    cells.set(cluster, c);
    const l = byLabel.get(label) ?? new Map<string, number>();
    l.set(cluster, (l.get(cluster) ?? 0) + 1);
    byLabel.set(label, l);
  }
  const majority = (m: Map<string, Map<string, number>>) =>
    [...m.values()].reduce((s, inner) => s + Math.max(...inner.values()), 0);
  const clusters = [...cells.keys()];
  const labels = [...byLabel.keys()];
  const size = Math.max(clusters.length, labels.length);
  const matrix = Array.from({ length: size }, (_, i) =>
    Array.from({ length: size }, (_, j) =>
      clusters[i] && labels[j] ? (cells.get(clusters[i]!)!.get(labels[j]!) ?? 0) : 0,
    ),
  );
  const max = Math.max(0, ...matrix.flat());
  let hit = 0;
  for (const [r, c] of munkres(matrix.map((row) => row.map((v) => max - v)))) hit += matrix[r]![c]!;
  const n = pairs.length || 1;
  return {
    items: pairs.length,
    clusters: clusters.length,
    labels: labels.length,
    purity: majority(cells) / n,
    inversePurity: majority(byLabel) / n,
    acc: hit / n,
  };
}

/** ACC of predicted clusters against gold labels, by item id (an item without a prediction is a cluster of its own). */
export function accuracy(gold: ReadonlyMap<string, string>, pred: ReadonlyMap<string, string>): number {
  return agreement([...gold].map(([id, label]) => ({ label, cluster: pred.get(id) ?? `__missing__${id}` }))).acc;
}
