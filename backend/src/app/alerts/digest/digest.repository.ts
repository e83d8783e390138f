import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { standingCluster } from '@app/issues/cluster.filters';

/** The ids the weekly digest lists, by section. */
export interface DigestIds {
  top: string[];
  fresh: string[];
  rising: string[];
  regressions: Array<{ clusterId: string; raisedAt: Date }>;
}

const LISTED = `c.active AND ${standingCluster('c')}`;

/** The week's clusters for the digest: the most reported, the new ones, the rising ones, and regressions. */
@Injectable()
export class DigestRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async sections(limit: number): Promise<DigestIds> {
    const ids = async (where: string, order: string): Promise<string[]> =>
      (
        (await this.dataSource.query(
          `SELECT c.id FROM clusters c WHERE ${LISTED} AND ${where} ORDER BY ${order} LIMIT $1`,
          [limit],
        )) as Array<{ id: string }>
      ).map((r) => r.id);
    const [top, fresh, rising] = await Promise.all([
      ids(`c.count_7d > 0`, `c.count_7d DESC, c.issue_count DESC, c.id`),
      ids(`c.first_seen >= now() - interval '7 days'`, `c.issue_count DESC, c.id`),
      ids(`c.count_7d >= 3 AND c.trend_pct >= 50`, `c.trend_pct DESC, c.count_7d DESC, c.id`),
    ]);
    const regressions: Array<{ cluster_id: string; raised_at: Date }> = await this.dataSource.query(
      `SELECT a.cluster_id, max(a.created_at) AS raised_at FROM alerts a
        WHERE a.kind = 'regression' AND a.created_at >= now() - interval '7 days'
        GROUP BY a.cluster_id ORDER BY 2 DESC LIMIT $1`,
      [limit],
    );
    return {
      top,
      fresh,
      rising,
      regressions: regressions.map((r) => ({ clusterId: r.cluster_id, raisedAt: new Date(r.raised_at) })),
    };
  }

  /**
   * Claims the digest of one scheduled tick for this process: true for the first caller across every process on
   * the database (the tick's primary key), false for the others.
   */
  async claimTick(scheduledAt: Date): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `INSERT INTO digest_ticks (scheduled_at) VALUES ($1) ON CONFLICT (scheduled_at) DO NOTHING RETURNING scheduled_at`,
      [scheduledAt],
    );
    return rows.length === 1;
  }

  /** Records the channels a claimed tick's digest reached. */
  async recordTick(scheduledAt: Date, sentTo: string[]): Promise<void> {
    await this.dataSource.query(`UPDATE digest_ticks SET sent_to = $2 WHERE scheduled_at = $1`, [scheduledAt, sentTo]);
  }
}
