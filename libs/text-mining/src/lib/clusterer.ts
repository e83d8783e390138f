/**
 * IncrementalClusterer: online centroid clustering with stable cluster ids.
 *
 * - `assign(items)`: items are processed in id order (so a batch's result does not depend on the
 *   order it was given in); each joins the most similar centroid when cosine ≥ `threshold`,
 *   otherwise starts a new cluster. Then `refineIterations` passes move the batch's own items to
 *   their best centroid (spherical k-means restricted to the new items). Items assigned in earlier
 *   batches never move in `assign`.
 * - `consolidate()`: centroid-linkage agglomeration — repeatedly merges the most similar pair of
 *   clusters whose centroids have cosine ≥ `mergeThreshold`; then clusters smaller than
 *   `minClusterSize` join their most similar cluster when cosine ≥ `absorbThreshold`. A merge keeps
 *   the id of the larger cluster (ties: the older one). This is the only way an existing item
 *   changes cluster, and only into a cluster whose centroid is similar.
 * - `snapshot()` / `restore()`: plain JSON state (centroid sums by term id, counts, members).
 */
import { Heap } from './heap';
import { NeighbourIndex } from './neighbour-index';
import { SparseVector, fromEntries, normalize, stableScore, truncate } from './sparse';

export interface ClusterItem {
  id: string;
  vector: SparseVector;
}

export interface ClustererOptions {
  /** Join the best cluster when cosine(item, centroid) ≥ this; else start a new cluster. */
  threshold: number;
  /** `consolidate` merges clusters whose centroids have cosine ≥ this. Default: `threshold`. */
  mergeThreshold?: number;
  /** Passes that move a batch's items to their best centroid. Default 2. */
  refineIterations?: number;
  /** `consolidate`: clusters with fewer members than this join their nearest cluster… Default 1 (off). */
  minClusterSize?: number;
  /** …when their centroids' cosine is ≥ this. Default 0 (any positive similarity). */
  absorbThreshold?: number;
  /** Terms kept in an indexed centroid. Default 300. */
  maxCentroidTerms?: number;
  /** Cluster ids are `${idPrefix}${n}`, n = 1, 2, … in creation order. Default "c". */
  idPrefix?: string;
  /**
   * The order in which `assign` and `refine` take a batch: `id` (default: the same items in any order give the same
   * clusters) or `given` (the caller's order, e.g. ticket order when item ids are random uuids).
   */
  batchOrder?: 'id' | 'given';
}

export interface Assignment {
  id: string;
  clusterId: string;
  /** Cosine of the item with the centroid it joined (1 for a new singleton). */
  score: number;
  /** The item started this cluster. */
  created: boolean;
}

export interface MergeEvent {
  /** Surviving cluster. */
  into: string;
  /** Cluster that disappeared into it. */
  from: string;
  score: number;
  reason: 'similar' | 'small';
}

export interface ClusterInfo {
  id: string;
  size: number;
  /** Normalised, truncated centroid (term ids of the TextModel that made the vectors). */
  centroid: SparseVector;
}

export interface ClustererState {
  version: 1;
  options: Required<ClustererOptions>;
  nextSeq: number;
  /**
   * `unlisted`: members counted in the cluster's size but not listed (a caller that restores many large clusters to
   * assign a few new items need not load every member's id). Such members never move and are never reported.
   */
  clusters: Array<{ id: string; seq: number; sum: Array<[number, number]>; members: string[]; unlisted?: number }>;
}

interface Cluster {
  id: string;
  seq: number;
  sum: Map<number, number>;
  members: string[];
  /** Members counted but not listed (see `ClustererState`). */
  unlisted: number;
}

/** Members of a cluster, listed or not. */
const sizeOf = (c: Cluster): number => c.members.length + c.unlisted;

export class IncrementalClusterer {
  readonly options: Required<ClustererOptions>;
  private readonly clustersById = new Map<string, Cluster>();
  private readonly itemCluster = new Map<string, string>();
  private readonly index = new NeighbourIndex();
  private nextSeq = 1;

  constructor(options: ClustererOptions) {
    this.options = {
      mergeThreshold: options.threshold,
      refineIterations: 2,
      minClusterSize: 1,
      absorbThreshold: 0,
      maxCentroidTerms: 300,
      idPrefix: 'c',
      batchOrder: 'id',
      ...options,
    };
  }

  get clusterCount(): number {
    return this.clustersById.size;
  }

  get itemCount(): number {
    return this.itemCluster.size;
  }

  clusterOf(itemId: string): string | undefined {
    return this.itemCluster.get(itemId);
  }

  members(clusterId: string): string[] {
    return [...(this.clustersById.get(clusterId)?.members ?? [])];
  }

  centroid(clusterId: string): SparseVector | undefined {
    return this.index.get(clusterId);
  }

  /** Clusters ordered by size desc, then creation order. */
  clusters(): ClusterInfo[] {
    return [...this.clustersById.values()]
      .sort((a, b) => sizeOf(b) - sizeOf(a) || a.seq - b.seq)
      .map((c) => ({ id: c.id, size: sizeOf(c), centroid: this.index.get(c.id) as SparseVector }));
  }

  /** Best clusters for a vector without assigning it (e.g. to show "would join"). */
  nearestClusters(vector: SparseVector, k = 1): Array<{ clusterId: string; score: number }> {
    return this.index.query(vector, k).map((n) => ({ clusterId: n.id, score: n.score }));
  }

  assign(items: readonly ClusterItem[]): Assignment[] {
    const { threshold, refineIterations } = this.options;
    const batch = this.inBatchOrder(items);
    const result = new Map<string, Assignment>();
    const fresh: ClusterItem[] = [];
    const seen = new Set<string>();
    for (const item of batch) {
      if (seen.has(item.id)) continue;
      seen.add(item.id);
      const existing = this.itemCluster.get(item.id);
      if (existing !== undefined) {
        result.set(item.id, { id: item.id, clusterId: existing, score: 1, created: false });
        continue;
      }
      fresh.push(item);
      const best = item.vector.ids.length ? this.index.query(item.vector, 1)[0] : undefined;
      if (best && best.score >= threshold) {
        this.addTo(this.clustersById.get(best.id) as Cluster, item);
        result.set(item.id, { id: item.id, clusterId: best.id, score: best.score, created: false });
      } else {
        const c = this.createCluster();
        this.addTo(c, item);
        result.set(item.id, { id: item.id, clusterId: c.id, score: 1, created: true });
      }
    }

    // Spherical k-means passes over this batch's items only.
    const createdHere = new Set([...result.values()].filter((a) => a.created).map((a) => a.clusterId));
    this.refine(fresh, refineIterations);
    for (const id of createdHere) {
      const c = this.clustersById.get(id);
      if (c && sizeOf(c) === 0) this.deleteCluster(c);
    }
    // Final assignment of each item, scored against the final centroid.
    const freshIds = new Set(fresh.map((f) => f.id));
    return items.map((item) => {
      const prior = result.get(item.id) as Assignment;
      if (!freshIds.has(item.id)) return prior;
      const clusterId = this.itemCluster.get(item.id) as string;
      const centroid = this.index.get(clusterId);
      const c = this.clustersById.get(clusterId) as Cluster;
      return {
        id: item.id,
        clusterId,
        score: centroid ? stableScore(dotUnit(item.vector, centroid)) : 0,
        created: createdHere.has(clusterId) && c.members[0] === item.id,
      };
    });
  }

  /**
   * Move the given (already assigned) items to their most similar centroid, up to `iterations`
   * passes (spherical k-means restricted to these items). Pass only items that may move — e.g. the
   * current batch: earlier items then stay put. Clusters left empty are deleted. Returns moves.
   */
  refine(items: readonly ClusterItem[], iterations = 1): number {
    const ordered = this.inBatchOrder(items);
    let total = 0;
    for (let it = 0; it < iterations; it++) {
      let moved = 0;
      for (const item of ordered) {
        if (!item.vector.ids.length) continue;
        const current = this.itemCluster.get(item.id);
        if (current === undefined) continue;
        const best = this.index.query(item.vector, 1)[0];
        if (!best || best.id === current) continue;
        const curCentroid = this.index.get(current);
        const curScore = curCentroid ? stableScore(dotUnit(item.vector, curCentroid)) : 0;
        if (best.score <= curScore) continue;
        const from = this.clustersById.get(current) as Cluster;
        this.removeFrom(from, item);
        if (sizeOf(from) === 0) this.deleteCluster(from);
        this.addTo(this.clustersById.get(best.id) as Cluster, item);
        moved++;
      }
      total += moved;
      if (moved === 0) break;
    }
    return total;
  }

  consolidate(): MergeEvent[] {
    const { mergeThreshold, minClusterSize, absorbThreshold } = this.options;
    const events: MergeEvent[] = [];
    type Pair = { a: string; b: string; score: number };
    const first = (x: Pair, y: Pair) =>
      x.score > y.score || (x.score === y.score && (x.a < y.a || (x.a === y.a && x.b < y.b)));
    const heap = new Heap<Pair>(first);
    const pushPairsOf = (id: string) => {
      const v = this.index.get(id);
      if (!v) return;
      for (const n of this.index.query(v, 8, { exclude: (x) => x === id, minScore: mergeThreshold })) {
        const [a, b] = id < n.id ? [id, n.id] : [n.id, id];
        heap.push({ a, b, score: n.score });
      }
    };
    const ordered = [...this.clustersById.values()].sort((x, y) => x.seq - y.seq);
    for (const c of ordered) pushPairsOf(c.id);
    let pair: Pair | undefined;
    while ((pair = heap.pop()) !== undefined) {
      const ca = this.clustersById.get(pair.a);
      const cb = this.clustersById.get(pair.b);
      if (!ca || !cb) continue;
      // Stale pair (a centroid changed since it was scored): rescore and requeue.
      const va = this.index.get(ca.id) as SparseVector;
      const vb = this.index.get(cb.id) as SparseVector;
      const now = stableScore(dotUnit(va, vb));
      if (now !== pair.score) {
        if (now >= mergeThreshold) heap.push({ a: pair.a, b: pair.b, score: now });
        continue;
      }
      const survivor = this.merge(ca, cb);
      events.push({ into: survivor.id, from: survivor === ca ? cb.id : ca.id, score: now, reason: 'similar' });
      pushPairsOf(survivor.id);
    }

    if (minClusterSize > 1) {
      const small = [...this.clustersById.values()]
        .filter((c) => sizeOf(c) < minClusterSize)
        .sort((x, y) => sizeOf(x) - sizeOf(y) || x.seq - y.seq);
      for (const c of small) {
        if (!this.clustersById.has(c.id) || sizeOf(c) >= minClusterSize) continue;
        const v = this.index.get(c.id);
        if (!v) continue;
        const best = this.index.query(v, 1, { exclude: (x) => x === c.id })[0];
        if (!best || best.score < absorbThreshold) continue;
        const target = this.clustersById.get(best.id) as Cluster;
        const survivor = this.merge(target, c);
        events.push({
          into: survivor.id,
          from: survivor === target ? c.id : target.id,
          score: best.score,
          reason: 'small',
        });
      }
    }
    return events;
  }

  snapshot(): ClustererState {
    return {
      version: 1,
      options: { ...this.options },
      nextSeq: this.nextSeq,
      clusters: [...this.clustersById.values()]
        .sort((a, b) => a.seq - b.seq)
        .map((c) => ({
          id: c.id,
          seq: c.seq,
          sum: [...c.sum.entries()].sort((x, y) => x[0] - y[0]),
          members: [...c.members],
          ...(c.unlisted ? { unlisted: c.unlisted } : {}),
        })),
    };
  }

  private inBatchOrder(items: readonly ClusterItem[]): ClusterItem[] {
    if (this.options.batchOrder === 'given') return [...items];
    return [...items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  static restore(state: ClustererState): IncrementalClusterer {
    if (state.version !== 1) throw new Error(`unsupported clusterer state version ${String(state.version)}`);
    const c = new IncrementalClusterer(state.options);
    c.nextSeq = state.nextSeq;
    for (const s of state.clusters) {
      const cluster: Cluster = {
        id: s.id,
        seq: s.seq,
        sum: new Map(s.sum),
        members: [...s.members],
        unlisted: s.unlisted ?? 0,
      };
      c.clustersById.set(cluster.id, cluster);
      for (const m of cluster.members) c.itemCluster.set(m, cluster.id);
      c.reindex(cluster);
    }
    return c;
  }

  // ---- internals ----

  private createCluster(): Cluster {
    const seq = this.nextSeq++;
    const c: Cluster = { id: `${this.options.idPrefix}${seq}`, seq, sum: new Map(), members: [], unlisted: 0 };
    this.clustersById.set(c.id, c);
    return c;
  }

  private deleteCluster(c: Cluster): void {
    this.clustersById.delete(c.id);
    this.index.remove(c.id);
  }

  private addTo(c: Cluster, item: ClusterItem): void {
    addScaled(c.sum, item.vector, 1);
    c.members.push(item.id);
    this.itemCluster.set(item.id, c.id);
    this.prune(c);
    this.reindex(c);
  }

  private removeFrom(c: Cluster, item: ClusterItem): void {
    addScaled(c.sum, item.vector, -1);
    const i = c.members.indexOf(item.id);
    if (i >= 0) c.members.splice(i, 1);
    this.itemCluster.delete(item.id);
    if (sizeOf(c) === 0) c.sum.clear();
    this.reindex(c);
  }

  /** Merge two clusters; the larger (ties: older) survives. Returns the survivor. */
  private merge(x: Cluster, y: Cluster): Cluster {
    const [keep, gone] = sizeOf(x) > sizeOf(y) || (sizeOf(x) === sizeOf(y) && x.seq < y.seq) ? [x, y] : [y, x];
    for (const [t, w] of gone.sum) keep.sum.set(t, (keep.sum.get(t) ?? 0) + w);
    keep.unlisted += gone.unlisted;
    for (const m of gone.members) {
      keep.members.push(m);
      this.itemCluster.set(m, keep.id);
    }
    this.deleteCluster(gone);
    this.prune(keep);
    this.reindex(keep);
    return keep;
  }

  /** Bound the memory of a centroid sum: keep the strongest terms (ties by id). */
  private prune(c: Cluster): void {
    const cap = this.options.maxCentroidTerms * 4;
    if (c.sum.size <= cap) return;
    const keep = [...c.sum.entries()]
      .sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]) || a[0] - b[0])
      .slice(0, this.options.maxCentroidTerms * 2);
    c.sum = new Map(keep.sort((a, b) => a[0] - b[0]));
  }

  private reindex(c: Cluster): void {
    this.index.remove(c.id);
    if (sizeOf(c) === 0) return;
    const v = truncate(normalize(fromEntries(c.sum)), this.options.maxCentroidTerms);
    if (v.ids.length) this.index.add(c.id, v);
  }
}

function addScaled(sum: Map<number, number>, v: SparseVector, scale: number): void {
  for (let i = 0; i < v.ids.length; i++) {
    const t = v.ids[i];
    const w = (sum.get(t) ?? 0) + scale * v.weights[i];
    if (Math.abs(w) < 1e-12) sum.delete(t);
    else sum.set(t, w);
  }
}

function dotUnit(a: SparseVector, b: SparseVector): number {
  let i = 0;
  let j = 0;
  let s = 0;
  while (i < a.ids.length && j < b.ids.length) {
    if (a.ids[i] === b.ids[j]) s += a.weights[i++] * b.weights[j++];
    else if (a.ids[i] < b.ids[j]) i++;
    else j++;
  }
  return s;
}
