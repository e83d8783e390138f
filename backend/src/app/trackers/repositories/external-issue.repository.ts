import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Provider, StatusCategory, TrackerIssue } from '../tracker.types';

/** One row of `external_issues`. */
export interface ExternalIssueRow {
  cluster_id: string;
  provider: Provider;
  key: string;
  url: string;
  status: string;
  status_category: StatusCategory;
  done_at: Date | null;
  synced_at: Date;
  sync_error: string | null;
}

const COLUMNS = 'cluster_id, provider, key, url, status, status_category, done_at, synced_at, sync_error';

/** The issue each cluster is filed as in Jira or Linear (one per cluster), with the status last read back. */
@Injectable()
export class ExternalIssueRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Stores (or replaces) the cluster's issue. */
  async save(clusterId: string, provider: Provider, issue: TrackerIssue, actorId: string | null): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO external_issues (cluster_id, provider, key, url, status, status_category, done_at, created_by)
       VALUES ($1, $2, $3, $4, $5, $6::varchar, CASE WHEN $6::varchar = 'done' THEN COALESCE($8::timestamptz, now()) END, $7)
       ON CONFLICT (cluster_id) DO UPDATE SET provider = EXCLUDED.provider, key = EXCLUDED.key, url = EXCLUDED.url,
         status = EXCLUDED.status, status_category = EXCLUDED.status_category, done_at = EXCLUDED.done_at,
         synced_at = now(), sync_error = NULL, created_at = now(), created_by = EXCLUDED.created_by`,
      [clusterId, provider, issue.key, issue.url, issue.status, issue.category, actorId, issue.doneAt ?? null],
    );
  }

  async ofClusters(clusterIds: string[]): Promise<ExternalIssueRow[]> {
    if (!clusterIds.length) return [];
    return this.dataSource.query(`SELECT ${COLUMNS} FROM external_issues WHERE cluster_id = ANY($1::uuid[])`, [
      clusterIds,
    ]);
  }

  /** Every linked issue not done yet (the ones a sync reads back). */
  async open(): Promise<ExternalIssueRow[]> {
    return this.dataSource.query(
      `SELECT ${COLUMNS} FROM external_issues WHERE status_category <> 'done' ORDER BY synced_at`,
    );
  }

  /**
   * Records a status read back. The first time it is done, `done_at` is set (the tracker's date when it gives one)
   * and returned as `becameDone`, so the caller marks the cluster fixed once.
   */
  async recordStatus(clusterId: string, key: string, issue: TrackerIssue): Promise<{ becameDone: Date | null }> {
    // TypeORM answers an UPDATE … RETURNING with `[rows, affected]`.
    const [rows]: [Array<{ done_at: Date | null; was_done: boolean }>, number] = await this.dataSource.query(
      `UPDATE external_issues e SET status = $3, status_category = $4::varchar, url = $5, synced_at = now(), sync_error = NULL,
              done_at = CASE WHEN $4::varchar = 'done' THEN COALESCE(e.done_at, $6::timestamptz, now()) END
         FROM (SELECT status_category = 'done' AS was_done FROM external_issues WHERE cluster_id = $1) old
        WHERE e.cluster_id = $1 AND e.key = $2
        RETURNING e.done_at, old.was_done`,
      [clusterId, key, issue.status, issue.category, issue.url, issue.doneAt ?? null],
    );
    const row = rows[0];
    return { becameDone: row && row.done_at && !row.was_done ? row.done_at : null };
  }

  async recordError(clusterId: string, message: string): Promise<void> {
    await this.dataSource.query(`UPDATE external_issues SET sync_error = $2, synced_at = now() WHERE cluster_id = $1`, [
      clusterId,
      message.slice(0, 1000),
    ]);
  }
}
