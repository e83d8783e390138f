import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { visibleIssue } from '@app/analysis/issue.filters';
import type { IssueText } from '../clustering/cluster-engine';

/** An issue as the engine reads it. */
export interface IssueRow extends IssueText {
  id: string;
  ticketId: number;
  category: string;
  subcategory: string;
  clusterId: string | null;
}

/** The columns of `issues` the clustering reads (`ISSUE_ROW_COLUMNS`), as PostgreSQL returns them. */
interface IssueRowRecord {
  id: string;
  ticket_id: string | number;
  category: string;
  subcategory: string;
  summary: string | null;
  detail: string | null;
  cluster_id: string | null;
}

const ISSUE_ROW_COLUMNS = 'i.id, i.ticket_id, i.category, i.subcategory, i.summary, i.detail, i.cluster_id';

export function toIssueRow(r: IssueRowRecord): IssueRow {
  return {
    id: r.id,
    ticketId: Number(r.ticket_id),
    category: r.category,
    subcategory: r.subcategory,
    summary: r.summary ?? '',
    detail: r.detail ?? '',
    clusterId: r.cluster_id ?? null,
  };
}

/** A central issue of a cluster as Claude's brief shows it (verified quotes only). */
export interface BriefIssueRow {
  id: string;
  summary: string;
  quote: string | null;
}

/**
 * Reads of `issues` (owned by the analysis module) for clustering and triage: visible issues only
 * (`visibleIssue`). The writes of `cluster_id` are the cluster repository's.
 */
@Injectable()
export class ClusterIssueRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Visible issues in no cluster, in ticket order (not by random uuid: the same tickets give the same clusters):
   * the first `limit` of them (a page: the caller clusters them before reading the next), leaving out `except`.
   */
  async unclustered(
    m: EntityManager = this.dataSource.manager,
    page: { limit?: number; except?: string[] } = {},
  ): Promise<IssueRow[]> {
    const rows: IssueRowRecord[] = await m.query(
      `SELECT ${ISSUE_ROW_COLUMNS} FROM issues i
        WHERE i.cluster_id IS NULL AND ${visibleIssue('i')} AND NOT (i.id = ANY($1::uuid[]))
        ORDER BY i.category, i.ticket_created_at, i.ticket_id, i.summary, i.detail, i.id
        LIMIT $2`,
      [page.except ?? [], page.limit ?? null],
    );
    return rows.map(toIssueRow);
  }

  /** How many visible issues are in no cluster. */
  async countUnclustered(m: EntityManager = this.dataSource.manager): Promise<number> {
    const [row]: Array<{ n: number }> = await m.query(
      `SELECT count(*)::int AS n FROM issues i WHERE i.cluster_id IS NULL AND ${visibleIssue('i')}`,
    );
    return row!.n;
  }

  /** The visible members of the clusters (by id), or the `limitPerCluster` most recent of each. */
  async membersOf(
    clusterIds: string[],
    limitPerCluster?: number,
    m: EntityManager = this.dataSource.manager,
  ): Promise<IssueRow[]> {
    if (!clusterIds.length) return [];
    const rows: IssueRowRecord[] = limitPerCluster
      ? await m.query(
          `SELECT * FROM (
             SELECT ${ISSUE_ROW_COLUMNS},
                    row_number() OVER (PARTITION BY i.cluster_id ORDER BY i.ticket_created_at DESC, i.id) AS rn
               FROM issues i WHERE i.cluster_id = ANY($1::uuid[]) AND ${visibleIssue('i')}) x
            WHERE rn <= $2`,
          [clusterIds, limitPerCluster],
        )
      : await m.query(
          `SELECT ${ISSUE_ROW_COLUMNS}
             FROM issues i WHERE i.cluster_id = ANY($1::uuid[]) AND ${visibleIssue('i')} ORDER BY i.id`,
          [clusterIds],
        );
    return rows.map(toIssueRow);
  }

  /** Visible issues by id, locked for the transaction (a PM moves them). */
  async lockVisible(ids: string[], tx: EntityManager): Promise<IssueRow[]> {
    const rows: IssueRowRecord[] = await tx.query(
      `SELECT ${ISSUE_ROW_COLUMNS} FROM issues i WHERE i.id = ANY($1::uuid[]) AND ${visibleIssue('i')} FOR UPDATE`,
      [ids],
    );
    return rows.map(toIssueRow);
  }

  /** How many visible issues the cluster has. */
  async countIn(clusterId: string, m: EntityManager = this.dataSource.manager): Promise<number> {
    const [row]: Array<{ n: number }> = await m.query(
      `SELECT count(*)::int AS n FROM issues i WHERE i.cluster_id = $1 AND ${visibleIssue('i')}`,
      [clusterId],
    );
    return row!.n;
  }

  /** Summaries and verified quotes of the issues, for Claude's briefs. */
  async briefIssues(ids: string[], m: EntityManager = this.dataSource.manager): Promise<BriefIssueRow[]> {
    if (!ids.length) return [];
    return m.query(
      `SELECT id, summary, CASE WHEN quote_verified THEN quote END AS quote FROM issues WHERE id = ANY($1::uuid[])`,
      [ids],
    );
  }
}
