/**
 * mineDocuments: the one-call batch pipeline the offline `mine` CLI and the benchmark use —
 * clean → fit the TextModel on all documents → vectorise → cluster (assign + consolidate) →
 * label clusters → optional "similar tickets" lists from a NeighbourIndex.
 *
 * Two granularities:
 * - `topic` (contact reason, `--all-tickets`): coarse groups; words seen once are ignored; small
 *   clusters are absorbed into their nearest cluster.
 * - `problem` (same underlying problem / duplicates): fine groups; singletons are normal.
 */
import { AssociationOptions, TermAssociations } from './associations';
import { CleanTicketOptions, TicketLike, cleanTicket } from './clean';
import { ClustererOptions, IncrementalClusterer } from './clusterer';
import { Keyphrase, labelCluster } from './keyphrases';
import { Neighbour, NeighbourIndex } from './neighbour-index';
import { SparseVector, linearCombination, normalize } from './sparse';
import { TextModel, TextModelOptions } from './text-model';

export interface MineInput extends TicketLike {
  id: string;
}

export type MineMode = 'topic' | 'problem';

export interface RelativeThreshold {
  quantile: number;
  factor: number;
  mergeRatio: number;
}

export interface MineOptions {
  mode?: MineMode;
  /** Also return the K most similar other documents of each document. */
  similar?: number;
  clean?: CleanTicketOptions;
  model?: TextModelOptions;
  clusterer?: Partial<ClustererOptions>;
  /**
   * Derive the join threshold from the data: `factor` × the `quantile` of the documents'
   * nearest-neighbour similarities (sampled deterministically, ≤ 2,000 documents); merge at
   * `threshold × mergeRatio`.
   * Overrides `clusterer.threshold`/`mergeThreshold` unless those are given explicitly.
   */
  relativeThreshold?: RelativeThreshold | false;
  /**
   * Pseudo-relevance feedback for `similar`: the query becomes q + weight · mean(top `docs` hits),
   * then is searched again. Default off.
   */
  feedback?: { docs: number; weight: number } | false;
  /** Co-occurrence smoothing of vectors (false = off). */
  associations?: AssociationOptions | false;
}

export interface MinedCluster {
  id: string;
  label: string;
  keyphrases: Keyphrase[];
  members: string[];
}

export interface MineResult {
  clusters: MinedCluster[];
  clusterOf: Map<string, string>;
  similar?: Map<string, Neighbour[]>;
  model: TextModel;
  clusterer: IncrementalClusterer;
}

interface ModeDefaults {
  model: TextModelOptions;
  clusterer: ClustererOptions;
  relativeThreshold?: RelativeThreshold;
  associations?: AssociationOptions;
}

export const MODE_DEFAULTS: Readonly<Record<MineMode, ModeDefaults>> = {
  topic: {
    model: { minDf: 2, bigrams: true, bigramWeight: 1, subjectWeight: 2 },
    associations: { weight: 0.2 },
    relativeThreshold: { quantile: 0.1, factor: 0.8, mergeRatio: 0.9 },
    // minClusterSize -1: √n / 3 (at least 2).
    clusterer: { threshold: 0.5, minClusterSize: -1, absorbThreshold: 0, refineIterations: 3, maxCentroidTerms: 100 },
  },
  problem: {
    model: { minDf: 1, bigrams: true, bigramWeight: 0.5, subjectWeight: 3 },
    clusterer: { threshold: 0.5, mergeThreshold: 0.5, minClusterSize: 1, refineIterations: 1 },
  },
};

/**
 * The q-quantile of nearest-neighbour cosine similarities among the vectors (each vector's best
 * match among the others). At most `sample` vectors are queried, taken at a fixed stride.
 */
export function nearestNeighbourQuantile(vectors: readonly SparseVector[], q: number, sample = 2000): number {
  const index = new NeighbourIndex();
  vectors.forEach((v, i) => index.add(String(i), v));
  const stride = Math.max(1, Math.floor(vectors.length / sample));
  const sims: number[] = [];
  for (let i = 0; i < vectors.length; i += stride) {
    const best = index.query(vectors[i], 1, { exclude: (x) => x === String(i) })[0];
    sims.push(best ? best.score : 0);
  }
  sims.sort((a, b) => a - b);
  if (!sims.length) return 1;
  const pos = Math.min(sims.length - 1, Math.max(0, Math.round(q * (sims.length - 1))));
  return sims[pos];
}

/** Each document's `k` most similar (cosine), optionally re-queried with pseudo-relevance feedback. */
function similarLists(
  docs: ReadonlyArray<{ id: string }>,
  vectors: ReadonlyMap<string, SparseVector>,
  k: number,
  fb: NonNullable<MineOptions['feedback']> | false,
): Map<string, Neighbour[]> {
  const index = new NeighbourIndex();
  for (const d of docs) index.add(d.id, vectors.get(d.id) as SparseVector);
  const similar = new Map<string, Neighbour[]>();
  for (const d of docs) {
    const exclude = (x: string) => x === d.id;
    const q = vectors.get(d.id) as SparseVector;
    let hits = index.query(q, Math.max(k, fb ? fb.docs : 0), { exclude });
    if (fb && hits.length) {
      const top = hits.slice(0, fb.docs);
      const expanded = normalize(
        linearCombination([
          [q, 1],
          ...top.map((h) => [vectors.get(h.id) as SparseVector, fb.weight / top.length] as const),
        ]),
      );
      hits = index.query(expanded, k, { exclude });
    }
    similar.set(d.id, hits.slice(0, k));
  }
  return similar;
}

export function mineDocuments(inputs: readonly MineInput[], options: MineOptions = {}): MineResult {
  const mode = options.mode ?? 'problem';
  const defaults = MODE_DEFAULTS[mode];
  const docs = [...inputs]
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((t) => ({ id: t.id, ...cleanTicket(t, options.clean) }));
  const model = new TextModel({ ...defaults.model, ...options.model });
  model.addDocuments(docs);
  const vectors = new Map<string, SparseVector>();
  for (const d of docs) vectors.set(d.id, model.vectorize(d));
  const assocOpts = options.associations ?? defaults.associations ?? false;
  if (assocOpts) {
    const assoc = new TermAssociations({ accept: (t) => !model.term(t).includes('_'), ...assocOpts });
    for (const d of docs) assoc.observe(vectors.get(d.id) as SparseVector);
    for (const d of docs) vectors.set(d.id, assoc.expand(vectors.get(d.id) as SparseVector));
  }

  const clusterOpts: ClustererOptions = { ...defaults.clusterer, ...options.clusterer };
  const rel = options.relativeThreshold ?? defaults.relativeThreshold ?? false;
  if (rel && options.clusterer?.threshold === undefined) {
    const t = Math.round(nearestNeighbourQuantile([...vectors.values()], rel.quantile) * rel.factor * 1e6) / 1e6;
    clusterOpts.threshold = t;
    if (options.clusterer?.mergeThreshold === undefined) clusterOpts.mergeThreshold = t * rel.mergeRatio;
  }
  if (clusterOpts.minClusterSize === undefined || clusterOpts.minClusterSize < 0) {
    clusterOpts.minClusterSize = Math.max(2, Math.round(Math.sqrt(docs.length) / 3));
  }
  const clusterer = new IncrementalClusterer(clusterOpts);
  const items = docs.map((d) => ({ id: d.id, vector: vectors.get(d.id) as SparseVector }));
  clusterer.assign(items);
  clusterer.consolidate();
  // One batch: its items may still move to the consolidated centroids, then small leftovers merge.
  if (clusterOpts.refineIterations && clusterOpts.refineIterations > 0) {
    clusterer.refine(items, clusterOpts.refineIterations);
    clusterer.consolidate();
  }

  const textOf = new Map(docs.map((d) => [d.id, d.subject ? `${d.subject}\n${d.body}` : d.body]));
  const clusters: MinedCluster[] = clusterer.clusters().map((c) => {
    const members = clusterer.members(c.id).sort();
    // Most central member first (fallback label).
    const central = [...members].sort((a, b) => score(b) - score(a) || (a < b ? -1 : 1));
    function score(id: string): number {
      const v = vectors.get(id) as SparseVector;
      let s = 0;
      for (let i = 0, j = 0; i < v.ids.length && j < c.centroid.ids.length;) {
        if (v.ids[i] === c.centroid.ids[j]) s += v.weights[i++] * c.centroid.weights[j++];
        else if (v.ids[i] < c.centroid.ids[j]) i++;
        else j++;
      }
      return s;
    }
    const { label, keyphrases } = labelCluster(
      central.map((id) => textOf.get(id) ?? ''),
      { background: model },
    );
    return { id: c.id, label, keyphrases, members };
  });
  const clusterOf = new Map<string, string>();
  for (const c of clusters) for (const m of c.members) clusterOf.set(m, c.id);

  const similar =
    options.similar && options.similar > 0
      ? similarLists(docs, vectors, options.similar, options.feedback ?? false)
      : undefined;
  return { clusters, clusterOf, similar, model, clusterer };
}
