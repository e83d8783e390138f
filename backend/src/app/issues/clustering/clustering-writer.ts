import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { ClusterPairRepository } from '../repositories/cluster-pair.repository';
import { ClusterRepository } from '../repositories/cluster.repository';
import { PlacementRepository } from '../repositories/placement.repository';
import { isNew, Writes } from './clustering-batch';
import { fingerprint } from './clustering-state.service';

const CHUNK = 5000;

/** Engine ids → database ids: new clusters' ids, and where clusters merged in this run ended up. */
class RunIds {
  private readonly idOf = new Map<string, string>();
  /** Engine id of a cluster merged in this run → the cluster it went into. */
  readonly mergedAway: Map<string, string>;

  constructor(writes: Writes) {
    this.mergedAway = new Map(writes.merges.map((mg) => [mg.from, mg.into]));
  }

  set(engineId: string, id: string): void {
    this.idOf.set(engineId, id);
  }

  /** The database id of the cluster. */
  real(id: string): string {
    return this.idOf.get(id) ?? id;
  }

  /** The database id of the cluster the engine's cluster ended up in after this run's merges. */
  finalOf(id: string): string {
    let cur = id;
    for (let hops = 0; this.mergedAway.has(cur) && hops < 100; hops++) cur = this.mergedAway.get(cur)!;
    return this.real(cur);
  }
}

/** Writes what a clustering attempt decided (`Writes`), in the caller's transaction. */
@Injectable()
export class ClusteringWriter {
  constructor(
    private readonly clusters: ClusterRepository,
    private readonly placements: PlacementRepository,
    private readonly pairs: ClusterPairRepository,
  ) {}

  /** Returns how many clusters it created. */
  async write(tx: EntityManager, writes: Writes, runId: string | null): Promise<{ created: number }> {
    const ids = new RunIds(writes);
    const created = await this.createClusters(tx, writes, ids);
    await this.applyMerges(tx, writes, ids, runId);
    await this.assign(tx, writes, ids, runId);
    await this.saveCentroids(tx, writes, ids);
    await this.saveVerdicts(tx, writes, ids);
    await this.saveProposals(tx, writes, ids);
    return { created };
  }

  /** New clusters get their database ids (those consolidation merged away at once never exist). */
  private async createClusters(tx: EntityManager, writes: Writes, ids: RunIds): Promise<number> {
    const created = [...writes.newClusters.entries()].filter(([id]) => !ids.mergedAway.has(id));
    for (let i = 0; i < created.length; i += 1000) {
      const slice = created
        .slice(i, i + 1000)
        .map(([engineId, category]) => ({ engineId, category, id: randomUUID() }));
      // In engine order, so `seq` (age) follows the order the engine created them in.
      for (const c of slice) ids.set(c.engineId, c.id);
      await this.clusters.createEmpty(
        slice.map(({ id, category }) => ({ id, category })),
        tx,
      );
    }
    return created.length;
  }

  /** Merges: the source's issues move into the survivor; the source is kept (PM fields intact) as merged. */
  private async applyMerges(tx: EntityManager, writes: Writes, ids: RunIds, runId: string | null): Promise<void> {
    for (const merge of writes.merges) {
      if (isNew(merge.from)) continue; // nothing stored yet: its issues are assigned below
      await this.clusters.mergeInto(
        {
          into: ids.finalOf(merge.into),
          from: [ids.real(merge.from)],
          reason: 'auto_merge',
          score: merge.score,
          runId,
        },
        tx,
      );
    }
  }

  /** Assignments, history and placement memory (a PM's pin stays a pin; otherwise where the run put it). */
  private async assign(tx: EntityManager, writes: Writes, ids: RunIds, runId: string | null): Promise<void> {
    const a = writes.assignments;
    for (let i = 0; i < a.length; i += CHUNK) {
      const slice = a.slice(i, i + CHUNK);
      const clusterIds = slice.map((x) => ids.finalOf(x.clusterId));
      await this.clusters.assignIssues(
        slice.map((x, k) => ({
          issueId: x.issue.id,
          ticketId: x.issue.ticketId,
          clusterId: clusterIds[k]!,
          score: x.score,
          reason: x.reason,
        })),
        runId,
        tx,
      );
      await this.placements.remember(
        slice.map((x) => ({
          ticketId: x.issue.ticketId,
          fingerprint: fingerprint(x.issue),
          category: x.issue.category,
        })),
        clusterIds,
        tx,
      );
    }
  }

  /** Centroids of every cluster the batch touched. */
  private async saveCentroids(tx: EntityManager, writes: Writes, ids: RunIds): Promise<void> {
    const centroids = [...writes.centroids.values()].filter((c) => !ids.mergedAway.has(c.id));
    for (let i = 0; i < centroids.length; i += 1000) {
      const slice = centroids.slice(i, i + 1000);
      await this.clusters.saveCentroids(
        slice.map((c) => ({ id: ids.real(c.id), sum: c.sum, count: c.size })),
        true,
        tx,
      );
    }
  }

  /** Claude's verdicts on borderline pairs (kept so the pair is not asked about again). */
  private async saveVerdicts(tx: EntityManager, writes: Writes, ids: RunIds): Promise<void> {
    const verdicts = writes.verdicts
      .map((v) => {
        const [a, b] = [ids.finalOf(v.a), ids.finalOf(v.b)].sort();
        return { a: a!, b: b!, same: v.same, reason: v.reason.slice(0, 1000), model: v.model };
      })
      .filter((v) => v.a !== v.b && !isNew(v.a) && !isNew(v.b));
    await this.pairs.recordVerdicts(verdicts, tx);
  }

  /** Merge proposals of the categories looked at: replaced by this run's. */
  private async saveProposals(tx: EntityManager, writes: Writes, ids: RunIds): Promise<void> {
    const pairs = writes.proposals.filter((p) => !ids.mergedAway.has(p.a) && !ids.mergedAway.has(p.b));
    await this.pairs.replaceProposals(
      pairs.map((p) => ({ a: ids.real(p.a), b: ids.real(p.b), score: p.score })),
      tx,
    );
  }
}
