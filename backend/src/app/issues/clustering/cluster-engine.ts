import {
  ClustererOptions,
  ClustererState,
  IncrementalClusterer,
  labelCluster,
  namePhrase,
  nearestNeighbourQuantile,
  NeighbourIndex,
  SparseVector,
  TextModel,
  TextModelOptions,
  TextModelState,
  cleanText,
  dot,
  fromEntries,
  normalize,
} from '@pim/text-mining';

/**
 * The clustering engine, pure (no IO): the `@pim/text-mining` TextModel (incremental TF-IDF over issue summaries and
 * details) and, per category, an `IncrementalClusterer` restored from the persisted centroids of that category's
 * active clusters. The service loads and saves the state; everything here is deterministic.
 */

/** Tuned on the Zendesk simulator's planted problems (see bench/RESULTS.md "Issues and clusters"). */
export const CLUSTERING = {
  model: { minDf: 1, bigrams: true, bigramWeight: 0.5, subjectWeight: 2 } satisfies TextModelOptions,
  /** Join the best cluster of the category at cosine ≥ this, else start a new cluster. */
  joinThreshold: 0.15,
  /** Consolidation proposes merging clusters of a category whose centroids have cosine ≥ this… */
  proposeThreshold: 0.2,
  /** …and merges them automatically at ≥ this (never clusters a PM has shaped). */
  autoMergeThreshold: 0.35,
  /**
   * Consolidation also folds clusters smaller than √(issues in the category) / this into their nearest cluster,
   * unless they are among the `absorbQuantile` most isolated (nearest-centroid similarity): without it the step
   * over-split every intent set (docs/adr/0008-product-clustering.md).
   */
  smallClusterRoot: 4,
  absorbQuantile: 0.1,
  /**
   * Passes in which a batch's own items move to their best centroid. DSTC11 through the CLI in four line orders
   * (by intent, three shuffles): ACC 66.4 / 63.2 / 62.7 / 66.8 with three passes, 63.6 / 62.9 / 62.5 / 66.7 with one
   * (bench/RESULTS.md).
   */
  refineIterations: 3,
  maxCentroidTerms: 300,
  /** Members read to name a cluster (most recent first), and the most central of them used for the label. */
  nameSample: 200,
  nameCentral: 25,
} as const;

/** Stems of words that name an issue type, not a problem (left out of cluster names when others exist). */
const TYPE_WORDS = new Set(['featur', 'request', 'bug', 'issu', 'problem', 'report', 'question']);

export interface IssueText {
  summary: string;
  detail: string;
}

export interface EngineCluster {
  /** The cluster's database id. */
  id: string;
  seq: number;
  /** Centroid sum by term id of the engine's TextModel. */
  sum: Array<[number, number]>;
  /**
   * Ids of the issues this run put in the cluster: members stored earlier are counted in `size`, never listed (a
   * run does not read every member's id to assign a few new issues).
   */
  members: string[];
  /** Members, listed or not. */
  size: number;
}

export interface EngineAssignment {
  issueId: string;
  /** A database id, or a `new:` engine id for a cluster this batch created. */
  clusterId: string;
  score: number;
}

export interface EngineResult {
  assignments: EngineAssignment[];
  /** Final state of every cluster the batch touched (new clusters have `new:` ids). */
  touched: EngineCluster[];
}

export const NEW_PREFIX = 'new:';

export function issueDocument(issue: IssueText): { subject: string; body: string } {
  const summary = cleanText(issue.summary ?? '');
  let detail = cleanText(issue.detail ?? '');
  // The local analyzer often repeats the summary at the start of the detail: count it once.
  if (detail.startsWith(summary)) detail = detail.slice(summary.length);
  return { subject: summary, body: detail };
}

export class ClusterEngine {
  constructor(readonly model: TextModel) {}

  static create(state?: TextModelState | null): ClusterEngine {
    return new ClusterEngine(state ? TextModel.restore(state) : new TextModel(CLUSTERING.model));
  }

  snapshot(): TextModelState {
    return this.model.snapshot();
  }

  /** Absorbs new issues into the document statistics (call once per issue, before vectorising it). */
  observe(issues: readonly IssueText[]): void {
    this.model.addDocuments(issues.map(issueDocument));
  }

  vectorize(issue: IssueText): SparseVector {
    return this.model.vectorize(issueDocument(issue));
  }

  /**
   * Assigns new issues of one category, in the order given: each joins the most similar centroid at ≥ the join
   * threshold or starts a cluster; then the batch's own items move to their best centroid (the library's refine).
   * Existing members never move.
   */
  assign(
    clusters: readonly EngineCluster[],
    items: ReadonlyArray<{ id: string; vector: SparseVector }>,
    firstNewSeq = 1,
  ): EngineResult {
    // New clusters are `new:<seq>`: callers assigning several categories pass a running `firstNewSeq` so ids
    // never repeat across calls.
    const clusterer = restore(clusters, { threshold: CLUSTERING.joinThreshold }, firstNewSeq);
    const result = clusterer.assign(items.map((i) => ({ id: i.id, vector: i.vector })));
    const touchedIds = new Set(result.map((a) => a.clusterId));
    const state = clusterer.snapshot();
    return {
      assignments: result.map((a) => ({ issueId: a.id, clusterId: a.clusterId, score: a.score })),
      touched: state.clusters.filter((c) => touchedIds.has(c.id)).map(toEngineCluster),
    };
  }

  /**
   * Consolidation over one category: pairs of clusters whose centroids are similar. Pairs at ≥ the auto-merge bar
   * where both sides may be merged automatically are merged by the library (the larger, then older, survives);
   * the others at ≥ the proposal bar are returned as proposals for a PM.
   */
  consolidate(
    clusters: readonly EngineCluster[],
    mergeable: (id: string) => boolean,
  ): {
    merges: Array<{ into: string; from: string; score: number }>;
    proposals: Array<{ a: string; b: string; score: number }>;
  } {
    const auto = clusters.filter((c) => mergeable(c.id));
    const total = clusters.reduce((n, c) => n + c.size, 0);
    const clusterer = restore(auto, {
      threshold: CLUSTERING.autoMergeThreshold,
      mergeThreshold: CLUSTERING.autoMergeThreshold,
      ...smallClusters(total, auto),
    });
    const merges = clusterer.consolidate().map((e) => ({ into: e.into, from: e.from, score: e.score }));
    const gone = new Set(merges.map((m) => m.from));
    const index = new NeighbourIndex();
    const centroids = new Map<string, SparseVector>();
    for (const c of clusters) {
      if (gone.has(c.id)) continue;
      const v = centroidOf(c.sum);
      if (!v.ids.length) continue;
      centroids.set(c.id, v);
      index.add(c.id, v);
    }
    const proposals: Array<{ a: string; b: string; score: number }> = [];
    const seen = new Set<string>();
    for (const [id, v] of centroids) {
      for (const n of index.query(v, 5, { exclude: (x) => x === id, minScore: CLUSTERING.proposeThreshold })) {
        const [a, b] = id < n.id ? [id, n.id] : [n.id, id];
        const key = `${a}|${b}`;
        if (seen.has(key)) continue;
        seen.add(key);
        proposals.push({ a, b, score: n.score });
      }
    }
    proposals.sort((x, y) => y.score - x.score || (x.a < y.a ? -1 : 1));
    return { merges, proposals };
  }

  /** Centroid sum of issues (rebuilding a cluster after a split, a move or a re-analysis). */
  sumOf(issues: readonly IssueText[]): Array<[number, number]> {
    const sum = new Map<number, number>();
    for (const issue of issues) addTo(sum, this.vectorize(issue));
    return [...sum.entries()].sort((a, b) => a[0] - b[0]);
  }

  /**
   * A name without Claude: the top keyphrases of the most central members (against the background statistics),
   * and the most central member's summary as the cluster's summary.
   */
  name<T extends IssueText>(
    members: ReadonlyArray<T>,
  ): { name: string; summary: string; keyphrases: string[]; central: T[] } {
    if (!members.length) return { name: '(empty)', summary: '', keyphrases: [], central: [] };
    const vectors = members.map((m) => this.vectorize(m));
    const centroid = centroidOf(sumVectors(vectors));
    const ranked = members
      .map((m, i) => ({ m, score: dot(vectors[i] as SparseVector, centroid) }))
      .sort((a, b) => b.score - a.score || (a.m.summary < b.m.summary ? -1 : 1))
      .slice(0, CLUSTERING.nameCentral);
    const central = ranked[0]!.m;
    const texts = ranked.map(({ m }) => `${m.summary}\n${m.detail}`);
    const { label, keyphrases, phrase } = labelCluster(texts, { background: this.model, maxPhrases: 2 });
    const fromSummary = members.length < 2 || !keyphrases.length;
    // The distinctive words as customers write them, from the summaries first (a detail can carry support's notes:
    // "support logged it as a feature request"); then the whole texts; the keyphrase list when no text holds them.
    // Words that only restate the issue type ("feature request", "bug") tell a PM nothing the type column does not.
    const telling = keyphrases.filter((k) => !k.key.split(' ').every((w) => TYPE_WORDS.has(w)));
    const spoken = namePhrase(
      ranked.map(({ m }) => m.summary),
      telling.length ? telling : keyphrases,
    );
    const name = fromSummary ? shorten(central.summary, 120) : capitalise(spoken || phrase || label);
    return {
      name,
      summary: central.summary,
      keyphrases: keyphrases.map((k) => k.phrase),
      central: ranked.map(({ m }) => m),
    };
  }
}

/**
 * Which clusters of a category are too small to stand alone, from the data: fewer members than √(issues in the
 * category) / `smallClusterRoot`, and close enough to another cluster — at least the `absorbQuantile` of the
 * clusters' nearest-centroid similarities (the most isolated tenth keep their own cluster however small).
 */
function smallClusters(total: number, clusters: readonly EngineCluster[]) {
  const minClusterSize = Math.max(2, Math.round(Math.sqrt(total) / CLUSTERING.smallClusterRoot));
  if (clusters.length < 3) return { minClusterSize: 1, absorbThreshold: 0 };
  const centroids = clusters.map((c) => centroidOf(c.sum)).filter((v) => v.ids.length > 0);
  const absorbThreshold = Math.max(1e-6, nearestNeighbourQuantile(centroids, CLUSTERING.absorbQuantile));
  return { minClusterSize, absorbThreshold };
}

function restore(
  clusters: readonly EngineCluster[],
  options: Pick<ClustererOptions, 'threshold' | 'mergeThreshold' | 'minClusterSize' | 'absorbThreshold'>,
  firstNewSeq = 1,
) {
  const full: Required<ClustererOptions> = {
    threshold: options.threshold,
    mergeThreshold: options.mergeThreshold ?? options.threshold,
    refineIterations: CLUSTERING.refineIterations,
    minClusterSize: options.minClusterSize ?? 1,
    absorbThreshold: options.absorbThreshold ?? 0,
    maxCentroidTerms: CLUSTERING.maxCentroidTerms,
    idPrefix: NEW_PREFIX,
    // In the caller's (ticket) order: issue ids are random uuids, and id order gave other clusters on every run.
    batchOrder: 'given',
  };
  const state: ClustererState = {
    version: 1,
    options: full,
    nextSeq: 1,
    // Existing clusters keep their database ids; `seq` orders them by age (merge ties keep the older).
    clusters: [...clusters]
      .sort((a, b) => a.seq - b.seq)
      .map((c) => ({ id: c.id, seq: c.seq, sum: c.sum, members: c.members, unlisted: c.size - c.members.length })),
  };
  const maxSeq = clusters.reduce((m, c) => Math.max(m, c.seq), 0);
  state.nextSeq = Math.max(maxSeq + 1, firstNewSeq);
  return IncrementalClusterer.restore(state);
}

function toEngineCluster(c: ClustererState['clusters'][number]): EngineCluster {
  return { id: c.id, seq: c.seq, sum: c.sum, members: c.members, size: c.members.length + (c.unlisted ?? 0) };
}

function centroidOf(sum: Iterable<readonly [number, number]>): SparseVector {
  return normalize(fromEntries(sum));
}

function sumVectors(vectors: readonly SparseVector[]): Array<[number, number]> {
  const sum = new Map<number, number>();
  for (const v of vectors) addTo(sum, v);
  return [...sum.entries()];
}

function addTo(sum: Map<number, number>, v: SparseVector): void {
  for (let i = 0; i < v.ids.length; i++) sum.set(v.ids[i]!, (sum.get(v.ids[i]!) ?? 0) + v.weights[i]!);
}

function capitalise(s: string): string {
  return s ? s[0]!.toUpperCase() + s.slice(1) : s;
}

function shorten(s: string, max: number): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length <= max ? t : `${t.slice(0, max - 1).trimEnd()}…`;
}
