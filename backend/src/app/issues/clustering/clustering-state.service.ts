import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import type { TextModelState } from '@pim/text-mining';
import { ClusterEngine, IssueText } from './cluster-engine';

/** Another writer (a triage edit, another process) changed the clustering state since it was read. */
export class ClusteringConflictError extends Error {}

/** An issue as the engine reads it. */
export interface IssueRow extends IssueText {
  id: string;
  ticketId: number;
  category: string;
  subcategory: string;
  clusterId: string | null;
}

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
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async load(manager: EntityManager = this.dataSource.manager): Promise<{ engine: ClusterEngine; version: number }> {
    const [row] = await manager.query(`SELECT model, version FROM clustering_state WHERE id = 1`);
    return {
      engine: ClusterEngine.create((row?.model as TextModelState | null) ?? null),
      version: Number(row?.version ?? 0),
    };
  }

  /** The engine for read-only use (similar tickets), parsed once per state version. Never mutate it. */
  async loadShared(): Promise<ClusterEngine> {
    const [row] = await this.dataSource.query(`SELECT version FROM clustering_state WHERE id = 1`);
    const version = Number(row?.version ?? 0);
    if (this.shared?.version !== version) this.shared = { version, engine: (await this.load()).engine };
    return this.shared.engine;
  }

  private shared?: { version: number; engine: ClusterEngine };

  /** Locks the state row for this transaction; throws a conflict when `expected` is given and has moved on. */
  async lock(manager: EntityManager, expected?: number): Promise<number> {
    const [row] = await manager.query(`SELECT version FROM clustering_state WHERE id = 1 FOR UPDATE`);
    const version = Number(row?.version ?? 0);
    if (expected !== undefined && version !== expected)
      throw new ClusteringConflictError(`clustering state changed (version ${expected} → ${version})`);
    return version;
  }

  /** Bumps the version (and saves the model when given); call after `lock` in the same transaction. */
  async bump(manager: EntityManager, engine?: ClusterEngine): Promise<void> {
    if (engine)
      await manager.query(
        `UPDATE clustering_state SET model = $1::jsonb, version = version + 1, updated_at = now() WHERE id = 1`,
        [JSON.stringify(engine.snapshot())],
      );
    else await manager.query(`UPDATE clustering_state SET version = version + 1, updated_at = now() WHERE id = 1`);
  }

  async issuesOf(manager: EntityManager, clusterIds: string[], limitPerCluster?: number): Promise<IssueRow[]> {
    if (!clusterIds.length) return [];
    const rows: Array<Record<string, any>> = limitPerCluster
      ? await manager.query(
          `SELECT * FROM (
             SELECT i.id, i.ticket_id, i.category, i.subcategory, i.summary, i.detail, i.cluster_id,
                    row_number() OVER (PARTITION BY i.cluster_id ORDER BY i.ticket_created_at DESC, i.id) AS rn
               FROM issues i WHERE i.cluster_id = ANY($1::uuid[]) AND NOT i.hidden) x
            WHERE rn <= $2`,
          [clusterIds, limitPerCluster],
        )
      : await manager.query(
          `SELECT i.id, i.ticket_id, i.category, i.subcategory, i.summary, i.detail, i.cluster_id
             FROM issues i WHERE i.cluster_id = ANY($1::uuid[]) AND NOT i.hidden ORDER BY i.id`,
          [clusterIds],
        );
    return rows.map(toIssueRow);
  }

  /** Recomputes centroids from the current members (after a split, a move, or issues replaced by re-analysis). */
  async rebuildCentroids(manager: EntityManager, engine: ClusterEngine, clusterIds: string[]): Promise<void> {
    for (let i = 0; i < clusterIds.length; i += 200) {
      const ids = clusterIds.slice(i, i + 200);
      const members = await this.issuesOf(manager, ids);
      const byCluster = new Map<string, IssueRow[]>(ids.map((id) => [id, []]));
      for (const m of members) byCluster.get(m.clusterId!)?.push(m);
      const sums = ids.map((id) => JSON.stringify(engine.sumOf(byCluster.get(id)!)));
      const counts = ids.map((id) => byCluster.get(id)!.length);
      await manager.query(
        `UPDATE clusters c SET centroid = x.centroid::jsonb, centroid_count = x.n
           FROM unnest($1::uuid[], $2::text[], $3::int[]) AS x(id, centroid, n) WHERE c.id = x.id`,
        [ids, sums, counts],
      );
    }
  }
}

export function toIssueRow(r: Record<string, any>): IssueRow {
  return {
    id: r['id'],
    ticketId: Number(r['ticket_id']),
    category: r['category'],
    subcategory: r['subcategory'],
    summary: r['summary'] ?? '',
    detail: r['detail'] ?? '',
    clusterId: r['cluster_id'] ?? null,
  };
}
