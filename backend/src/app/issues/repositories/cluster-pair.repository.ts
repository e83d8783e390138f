import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

/** A pair of clusters (`a` < `b` for verdicts) with the similarity of their centroids. */
export interface ClusterPair {
  a: string;
  b: string;
  score: number;
}

/** Claude's verdict on a borderline pair. */
export interface PairVerdict {
  a: string;
  b: string;
  same: boolean;
  reason: string;
  model: string;
}

/** A merge proposal of a cluster, seen from it: the other cluster. */
export interface MergeCandidateRow {
  id: string;
  name: string;
  issue_count: number;
  score: number | string;
}

/**
 * Pairs of clusters: `cluster_merge_proposals` (the last run's merge proposals for a PM) and
 * `cluster_pair_verdicts` (pairs a PM or Claude judged; those judged different are never proposed again).
 */
@Injectable()
export class ClusterPairRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Pairs judged different (by a PM or by Claude). */
  async rejected(m: EntityManager = this.dataSource.manager): Promise<Array<{ a: string; b: string }>> {
    const rows: Array<{ cluster_a: string; cluster_b: string }> = await m.query(
      `SELECT cluster_a, cluster_b FROM cluster_pair_verdicts WHERE NOT same`,
    );
    return rows.map((r) => ({ a: r.cluster_a, b: r.cluster_b }));
  }

  /** Claude's verdicts (a pair already judged keeps its first verdict). */
  async recordVerdicts(verdicts: PairVerdict[], tx: EntityManager): Promise<void> {
    if (!verdicts.length) return;
    await tx.query(
      `INSERT INTO cluster_pair_verdicts (cluster_a, cluster_b, same, decided_by, reason, model)
       SELECT x.a, x.b, x.same, 'claude', x.reason, x.model
         FROM unnest($1::uuid[], $2::uuid[], $3::boolean[], $4::text[], $5::text[]) AS x(a, b, same, reason, model)
       ON CONFLICT (cluster_a, cluster_b) DO NOTHING`,
      [
        verdicts.map((v) => v.a),
        verdicts.map((v) => v.b),
        verdicts.map((v) => v.same),
        verdicts.map((v) => v.reason),
        verdicts.map((v) => v.model),
      ],
    );
  }

  /** A PM's verdict: the pair is not the same problem. */
  async rejectPair(a: string, b: string, userId: string, tx: EntityManager): Promise<void> {
    await tx.query(
      `INSERT INTO cluster_pair_verdicts (cluster_a, cluster_b, same, decided_by, user_id)
       VALUES ($1, $2, false, 'pm', $3)
       ON CONFLICT (cluster_a, cluster_b) DO UPDATE SET same = false, decided_by = 'pm', user_id = $3,
              reason = '', model = NULL, created_at = now()`,
      [a, b, userId],
    );
  }

  /** The run's proposals replace all earlier ones. */
  async replaceProposals(pairs: ClusterPair[], tx: EntityManager): Promise<void> {
    await tx.query(`DELETE FROM cluster_merge_proposals`);
    if (pairs.length)
      await tx.query(
        `INSERT INTO cluster_merge_proposals (cluster_id, candidate_id, score)
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::real[]) ON CONFLICT DO NOTHING`,
        [pairs.map((p) => p.a), pairs.map((p) => p.b), pairs.map((p) => p.score)],
      );
  }

  /** Proposals involving any of the clusters go. */
  async dropProposalsOf(clusterIds: string[], tx: EntityManager): Promise<void> {
    await tx.query(
      `DELETE FROM cluster_merge_proposals WHERE cluster_id = ANY($1::uuid[]) OR candidate_id = ANY($1::uuid[])`,
      [clusterIds],
    );
  }

  /** The proposal between the two clusters goes; returns it if there was one. */
  async dropProposal(a: string, b: string, tx: EntityManager): Promise<{ score: number } | undefined> {
    // TypeORM answers a DELETE with [rows, affected].
    const [rows]: [Array<{ score: number }>, number] = await tx.query(
      `DELETE FROM cluster_merge_proposals
        WHERE (cluster_id = $1 AND candidate_id = $2) OR (cluster_id = $2 AND candidate_id = $1) RETURNING score`,
      [a, b],
    );
    return rows[0];
  }

  /** The active clusters proposed for merging with the cluster, most similar first. */
  async candidatesOf(
    id: string,
    limit: number,
    m: EntityManager = this.dataSource.manager,
  ): Promise<MergeCandidateRow[]> {
    return m.query(
      `SELECT c.id, c.name, c.issue_count, p.score FROM cluster_merge_proposals p
         JOIN clusters c ON c.id = CASE WHEN p.cluster_id = $1 THEN p.candidate_id ELSE p.cluster_id END
        WHERE (p.cluster_id = $1 OR p.candidate_id = $1) AND c.active
        ORDER BY p.score DESC LIMIT ${limit}`,
      [id],
    );
  }
}
