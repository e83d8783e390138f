import type { SparseVector } from '@pim/text-mining';
import type { IssueRow } from '../repositories/cluster-issue.repository';
import { EngineCluster, EngineResult, NEW_PREFIX } from './cluster-engine';

/** A cluster of the category being clustered (a placed issue's cluster may be of another category). */
export type CategoryCluster = EngineCluster & { category: string };

/** A merge of two clusters (engine ids: `new:` for clusters this run opened). */
export interface EngineMerge {
  into: string;
  from: string;
  score: number;
}

/** Two clusters proposed for merging, with their centroids' similarity. */
export interface ProposedPair {
  a: string;
  b: string;
  score: number;
}

/** What a clustering attempt decided, written in one transaction at its end. */
export interface Writes {
  assignments: Array<{ issue: IssueRow; clusterId: string; score: number; reason: 'assigned' | 'placed' }>;
  /** Engine id of each cluster this run created → its category. */
  newClusters: Map<string, string>;
  centroids: Map<string, EngineCluster>;
  merges: EngineMerge[];
  proposals: ProposedPair[];
  verdicts: Array<{ a: string; b: string; same: boolean; reason: string; model: string }>;
}

export function emptyWrites(): Writes {
  return { assignments: [], newClusters: new Map(), centroids: new Map(), merges: [], proposals: [], verdicts: [] };
}

/** The key of an unordered pair of clusters. */
export function pairKey(a: string, b: string): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

export const isNew = (id: string): boolean => id.startsWith(NEW_PREFIX);

/**
 * The clusters of one category while it is clustered (`byId`, new ones included), and the writes they make: every
 * change of a cluster here is recorded in `writes`.
 */
export class CategoryClusters {
  readonly byId: Map<string, CategoryCluster>;

  constructor(
    readonly category: string,
    clusters: CategoryCluster[],
    private readonly writes: Writes,
  ) {
    this.byId = new Map(clusters.map((c) => [c.id, c]));
  }

  /** The clusters with members (consolidation's input). */
  nonEmpty(): CategoryCluster[] {
    return [...this.byId.values()].filter((c) => c.size > 0);
  }

  /** A placed issue joins its cluster (score 1). */
  place(issue: IssueRow, cluster: EngineCluster, vector: SparseVector): void {
    addVector(cluster, vector);
    cluster.members.push(issue.id);
    cluster.size++;
    this.writes.centroids.set(cluster.id, cluster);
    this.writes.assignments.push({ issue, clusterId: cluster.id, score: 1, reason: 'placed' });
  }

  /**
   * The engine's assignment of a chunk of issues: the clusters it touched replace theirs (new ones are recorded).
   * Returns how many issues opened a cluster and how many joined one, and the next free `new:` sequence.
   */
  absorb(
    result: EngineResult,
    chunk: IssueRow[],
    nextNewSeq: number,
  ): { created: number; joined: number; nextNewSeq: number } {
    for (const t of result.touched) {
      if (isNew(t.id)) nextNewSeq = Math.max(nextNewSeq, t.seq + 1);
      const cluster = { ...t, category: this.category };
      this.byId.set(t.id, cluster);
      this.writes.centroids.set(t.id, cluster);
      if (isNew(t.id)) this.writes.newClusters.set(t.id, this.category);
    }
    const byIssue = new Map(chunk.map((issue) => [issue.id, issue]));
    let created = 0;
    for (const a of result.assignments) {
      const issue = byIssue.get(a.issueId)!;
      this.writes.assignments.push({ issue, clusterId: a.clusterId, score: a.score, reason: 'assigned' });
      if (isNew(a.clusterId)) created++;
    }
    return { created, joined: result.assignments.length - created, nextNewSeq };
  }

  /** `from` joins `into`: centroid sums and members added, `from` gone. */
  merge(merge: EngineMerge): void {
    const into = this.byId.get(merge.into)!;
    const from = this.byId.get(merge.from)!;
    const sum = new Map(into.sum);
    for (const [t, w] of from.sum) sum.set(t, (sum.get(t) ?? 0) + w);
    into.sum = [...sum.entries()].sort((a, b) => a[0] - b[0]);
    into.members = [...into.members, ...from.members];
    into.size += from.size;
    this.byId.delete(from.id);
    this.writes.centroids.set(into.id, into);
    this.writes.centroids.delete(from.id);
    this.writes.merges.push(merge);
  }

  /** Merges a pair judged the same, if both still stand: the larger (then older) survives. Returns whether it did. */
  mergePair(pair: ProposedPair): boolean {
    const [a, b] = [this.byId.get(pair.a), this.byId.get(pair.b)];
    if (!a || !b) return false;
    const aFirst = a.size > b.size || (a.size === b.size && a.seq < b.seq);
    this.merge({ into: aFirst ? a.id : b.id, from: aFirst ? b.id : a.id, score: pair.score });
    return true;
  }
}

/** New clusters that refine emptied again are gone from the engine: forgotten. Returns how many new ones are left. */
export function forgetEmptiedNewClusters(writes: Writes): number {
  const live = new Set(writes.assignments.map((a) => a.clusterId));
  for (const id of [...writes.newClusters.keys()]) if (!live.has(id)) writes.newClusters.delete(id);
  return writes.newClusters.size;
}

function addVector(cluster: EngineCluster, vector: { ids: Int32Array; weights: Float64Array }): void {
  const sum = new Map(cluster.sum);
  for (let i = 0; i < vector.ids.length; i++)
    sum.set(vector.ids[i]!, (sum.get(vector.ids[i]!) ?? 0) + vector.weights[i]!);
  cluster.sum = [...sum.entries()].sort((a, b) => a[0] - b[0]);
}
