import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { ClusterIssueRepository, IssueRow } from '../repositories/cluster-issue.repository';
import { ClusterRepository } from '../repositories/cluster.repository';
import { ClusteringStateRepository } from '../repositories/clustering-state.repository';
import { ClusterEngine } from './cluster-engine';

export type { IssueRow } from '../repositories/cluster-issue.repository';

/** Another writer (a triage edit, another process) changed the clustering state since it was read. */
export class ClusteringConflictError extends Error {}

/** A stable key of an issue within its ticket: survives the re-analysis that replaces issue rows. */
export function fingerprint(issue: { category: string; summary: string }): string {
  const text = `${issue.category}|${issue.summary.toLowerCase().replace(/\s+/g, ' ').trim()}`;
  return createHash('md5').update(text).digest('hex');
}

/**
 * The engine's persisted state: the TextModel (one row, versioned) and per-cluster centroids. Every writer —
 * a run's clustering step or a PM's triage action — locks the state row in its transaction and bumps the
 * version; a run that computed against an older version retries instead of overwriting a PM's edit.
 */
@Injectable()
export class ClusteringStateService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: ClusteringStateRepository,
    private readonly clusters: ClusterRepository,
    private readonly issues: ClusterIssueRepository,
  ) {}

  async load(manager: EntityManager = this.dataSource.manager): Promise<{ engine: ClusterEngine; version: number }> {
    const { model, version } = await this.repository.read(manager);
    return { engine: ClusterEngine.create(model), version };
  }

  /** The engine for read-only use (similar tickets), parsed once per state version. Never mutate it. */
  async loadShared(): Promise<ClusterEngine> {
    const version = await this.repository.version();
    if (this.shared?.version !== version) this.shared = { version, engine: (await this.load()).engine };
    return this.shared.engine;
  }

  private shared?: { version: number; engine: ClusterEngine };

  /** Locks the state row for this transaction; throws a conflict when `expected` is given and has moved on. */
  async lock(manager: EntityManager, expected?: number): Promise<number> {
    const version = await this.repository.lockVersion(manager);
    if (expected !== undefined && version !== expected)
      throw new ClusteringConflictError(`clustering state changed (version ${expected} → ${version})`);
    return version;
  }

  /** Bumps the version (and saves the model when given); call after `lock` in the same transaction. */
  async bump(manager: EntityManager, engine?: ClusterEngine): Promise<void> {
    await this.repository.bump(manager, engine?.snapshot());
  }

  async issuesOf(manager: EntityManager, clusterIds: string[], limitPerCluster?: number): Promise<IssueRow[]> {
    return this.issues.membersOf(clusterIds, limitPerCluster, manager);
  }

  /** Recomputes centroids from the current members (after a split, a move, or issues replaced by re-analysis). */
  async rebuildCentroids(manager: EntityManager, engine: ClusterEngine, clusterIds: string[]): Promise<void> {
    for (let i = 0; i < clusterIds.length; i += 200) {
      const ids = clusterIds.slice(i, i + 200);
      const members = await this.issuesOf(manager, ids);
      const byCluster = new Map<string, IssueRow[]>(ids.map((id) => [id, []]));
      for (const m of members) byCluster.get(m.clusterId!)?.push(m);
      const centroids = ids.map((id) => ({
        id,
        sum: engine.sumOf(byCluster.get(id)!),
        count: byCluster.get(id)!.length,
      }));
      await this.clusters.saveCentroids(centroids, false, manager);
    }
  }
}
