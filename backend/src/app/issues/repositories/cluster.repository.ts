import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { visibleIssue } from '@app/analysis/issue.filters';
import { reportedTicket } from '@app/tickets/ticket.filters';
import { standingCluster } from '../cluster.filters';
import type { MembershipReason } from '../entities/cluster-membership.entity';

/** The columns of a cluster the API shows (`CLUSTER_COLUMNS`, table alias `c`). */
export const CLUSTER_COLUMNS = `c.id, c.seq, c.category, c.subcategory, c.name, c.summary, c.keyphrases, c.named_by,
  c.issue_count, c.ticket_count, c.unique_customers, c.first_seen, c.last_seen, c.count_7d, c.count_prior_7d,
  c.trend_pct, c.emerging, c.severity_max, c.active, c.pm_status, c.pm_notes, c.owner, c.external_url,
  c.locked_fields, c.merged_into, c.created_at, c.updated_at`;

/** A `clusters` row of `CLUSTER_COLUMNS`, as PostgreSQL returns it (bigint and numeric as text). */
export interface ClusterRow {
  id: string;
  seq: string;
  category: string;
  subcategory: string | null;
  name: string;
  summary: string;
  keyphrases: string[] | null;
  named_by: string;
  issue_count: number;
  ticket_count: number;
  unique_customers: number;
  first_seen: Date | string | null;
  last_seen: Date | string | null;
  count_7d: number;
  count_prior_7d: number;
  trend_pct: string | number | null;
  emerging: boolean;
  severity_max: string | null;
  active: boolean;
  pm_status: string;
  pm_notes: string;
  owner: string | null;
  external_url: string | null;
  locked_fields: string[] | null;
  merged_into: string | null;
  created_at: Date | string;
  updated_at: Date | string;
}

/** A standing cluster as the engine restores it: its persisted centroid sum. */
export interface CentroidRow {
  id: string;
  seq: number;
  category: string;
  centroid: Array<[number, number]>;
  /** Members the centroid counts (the visible members unless the cluster is stale). */
  count: number;
}

/** Columns a PM edits (`PATCH /clusters/:id`). */
export type PmColumn = 'pm_status' | 'pm_notes' | 'name' | 'owner' | 'external_url';

/**
 * Merging clusters into one: their issues (with history), placements and earlier merges follow `into`; each source
 * is kept (PM fields intact) as merged into it. By the clustering step (`auto_merge`, with the run and the score)
 * or by a PM (`merge`), whose merge also pins the placements and locks the membership of the sources.
 */
export type ClusterMerge =
  | { into: string; from: string[]; reason: 'auto_merge'; score: number; runId: string | null }
  | { into: string; from: string[]; reason: 'merge'; actorId: string };

/** Where the clustering step put an issue. */
export interface IssueAssignment {
  issueId: string;
  ticketId: number;
  clusterId: string;
  score: number;
  reason: 'assigned' | 'placed';
}

const LOCK_MEMBERSHIP = `locked_fields = array_append(array_remove(locked_fields, 'membership'), 'membership')`;

/**
 * `clusters` and `cluster_memberships`, and the one column of `issues` this module writes: `cluster_id` (with
 * `cluster_score`, and `hidden` for issues of tickets that are no longer reports of their own). Every write of a
 * membership goes with its history row.
 */
@Injectable()
export class ClusterRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Issues of deleted tickets, and of tickets merged into another (the same report twice), are hidden and leave
   * their clusters; they come back (unclustered) when the ticket is restored.
   */
  async hideIssuesOfUnreportedTickets(m: EntityManager = this.dataSource.manager): Promise<void> {
    await m.query(
      `UPDATE issues i SET hidden = x.gone, cluster_id = CASE WHEN x.gone THEN NULL ELSE i.cluster_id END
         FROM (SELECT zendesk_id, NOT (${reportedTicket()}) AS gone FROM tickets) x
        WHERE x.zendesk_id = i.ticket_id AND i.hidden <> x.gone`,
    );
  }

  /** Standing clusters whose centroid counts other members than they have (issues replaced or hidden). */
  async staleIds(m: EntityManager = this.dataSource.manager): Promise<string[]> {
    const rows: Array<{ id: string }> = await m.query(
      `SELECT c.id FROM clusters c
         LEFT JOIN (SELECT i.cluster_id, count(*)::int AS n FROM issues i
                     WHERE i.cluster_id IS NOT NULL AND ${visibleIssue('i')} GROUP BY i.cluster_id) x ON x.cluster_id = c.id
        WHERE ${standingCluster('c')} AND c.centroid_count <> coalesce(x.n, 0)`,
    );
    return rows.map((r) => r.id);
  }

  /** Categories with an active standing cluster. */
  async activeCategories(m: EntityManager = this.dataSource.manager): Promise<string[]> {
    const rows: Array<{ category: string }> = await m.query(
      `SELECT DISTINCT category FROM clusters c WHERE c.active AND ${standingCluster('c')}`,
    );
    return rows.map((r) => r.category);
  }

  /** The category's standing clusters with a centroid. */
  async centroidsInCategory(category: string, m: EntityManager = this.dataSource.manager): Promise<CentroidRow[]> {
    const rows: Array<{ id: string; seq: string; centroid: Array<[number, number]>; centroid_count: number }> =
      await m.query(
        `SELECT c.id, c.seq, c.centroid, c.centroid_count FROM clusters c
          WHERE c.category = $1 AND ${standingCluster('c')} AND c.centroid_count > 0`,
        [category],
      );
    return rows.map((r) => ({
      id: r.id,
      seq: Number(r.seq),
      category,
      centroid: r.centroid,
      count: Number(r.centroid_count),
    }));
  }

  /** One standing cluster's centroid (undefined when it does not exist or was merged). */
  async centroidOf(id: string, m: EntityManager = this.dataSource.manager): Promise<CentroidRow | undefined> {
    const [row]: Array<{
      id: string;
      seq: string;
      category: string;
      centroid: Array<[number, number]>;
      centroid_count: number;
    }> = await m.query(
      `SELECT c.id, c.seq, c.centroid, c.category, c.centroid_count FROM clusters c
        WHERE c.id = $1 AND ${standingCluster('c')}`,
      [id],
    );
    return (
      row && {
        id: row.id,
        seq: Number(row.seq),
        category: row.category,
        centroid: row.centroid,
        count: Number(row.centroid_count),
      }
    );
  }

  /** Centroid sums and sizes of the clusters (standing or not). */
  async centroidSums(
    ids: string[],
    m: EntityManager = this.dataSource.manager,
  ): Promise<Array<{ id: string; centroid: Array<[number, number]>; count: number }>> {
    const rows: Array<{ id: string; centroid: Array<[number, number]>; centroid_count: number | string }> =
      await m.query(`SELECT id, centroid, centroid_count FROM clusters WHERE id = ANY($1::uuid[])`, [ids]);
    return rows.map((r) => ({ id: r.id, centroid: r.centroid, count: Number(r.centroid_count) }));
  }

  /** Of the clusters, those a consolidation may merge on its own: untouched by PMs (status new, no locks). */
  async untouchedIds(ids: string[], m: EntityManager = this.dataSource.manager): Promise<string[]> {
    if (!ids.length) return [];
    const rows: Array<{ id: string }> = await m.query(
      `SELECT id FROM clusters WHERE id = ANY($1::uuid[]) AND pm_status = 'new' AND cardinality(locked_fields) = 0
          AND pm_notes = '' AND owner IS NULL AND external_url IS NULL`,
      [ids],
    );
    return rows.map((r) => r.id);
  }

  /** Names and subcategories of the clusters. */
  async namesOf(
    ids: string[],
    m: EntityManager = this.dataSource.manager,
  ): Promise<Array<{ id: string; name: string; subcategory: string | null }>> {
    return m.query(`SELECT id, name, subcategory FROM clusters WHERE id = ANY($1::uuid[])`, [ids]);
  }

  /** Which of the ids are clusters. */
  async existingIds(ids: string[], m: EntityManager = this.dataSource.manager): Promise<string[]> {
    const rows: Array<{ id: string }> = await m.query(`SELECT id FROM clusters WHERE id = ANY($1::uuid[])`, [ids]);
    return rows.map((r) => r.id);
  }

  async findById(id: string, m: EntityManager = this.dataSource.manager): Promise<ClusterRow | undefined> {
    const [row]: ClusterRow[] = await m.query(`SELECT ${CLUSTER_COLUMNS} FROM clusters c WHERE c.id = $1`, [id]);
    return row;
  }

  /** The cluster, locked for the transaction. */
  async lockById(id: string, tx: EntityManager): Promise<ClusterRow | undefined> {
    const [row]: ClusterRow[] = await tx.query(`SELECT ${CLUSTER_COLUMNS} FROM clusters c WHERE c.id = $1 FOR UPDATE`, [
      id,
    ]);
    return row;
  }

  /** Clusters the clustering step opened, with their ids, in the engine's order (so `seq` follows it). */
  async createEmpty(clusters: Array<{ id: string; category: string }>, tx: EntityManager): Promise<void> {
    await tx.query(
      `INSERT INTO clusters (id, category, name)
       SELECT x.id, x.category, '' FROM unnest($1::uuid[], $2::text[]) WITH ORDINALITY AS x(id, category, n) ORDER BY x.n`,
      [clusters.map((c) => c.id), clusters.map((c) => c.category)],
    );
  }

  /** A cluster a PM split off, named (by the PM or by keyphrases) and locked. */
  async createSplit(
    c: {
      id: string;
      category: string;
      name: string;
      summary: string;
      keyphrases: string[];
      namedBy: 'pm' | 'keyphrases';
      namedAtCount: number;
      lockedFields: string[];
    },
    tx: EntityManager,
  ): Promise<void> {
    await tx.query(
      `INSERT INTO clusters (id, category, name, summary, keyphrases, named_by, named_at_count, locked_fields)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [c.id, c.category, c.name, c.summary, c.keyphrases, c.namedBy, c.namedAtCount, c.lockedFields],
    );
  }

  /** A PM's edit of the cluster's fields; a new name is the PM's and locked against automatic renames. */
  async updatePmFields(id: string, changes: Array<[PmColumn, unknown]>, tx: EntityManager): Promise<void> {
    const params: unknown[] = [id, ...changes.map(([, value]) => value)];
    const sets = changes.map(([column], k) => `${column} = $${k + 2}`);
    if (changes.some(([column]) => column === 'name'))
      sets.push(`named_by = 'pm'`, `locked_fields = array_append(array_remove(locked_fields, 'name'), 'name')`);
    await tx.query(`UPDATE clusters SET ${sets.join(', ')}, updated_at = now() WHERE id = $1`, params);
  }

  /** See `ClusterMerge`. */
  async mergeInto(merge: ClusterMerge, tx: EntityManager): Promise<void> {
    const { into, from } = merge;
    const byPm = merge.reason === 'merge';
    await tx.query(
      `INSERT INTO cluster_memberships (issue_id, ticket_id, from_cluster_id, to_cluster_id, reason, score, run_id, actor_id)
       SELECT id, ticket_id, cluster_id, $2, $3, $4::real, $5::uuid, $6::uuid FROM issues WHERE cluster_id = ANY($1::uuid[])`,
      [from, into, merge.reason, byPm ? null : merge.score, byPm ? null : merge.runId, byPm ? merge.actorId : null],
    );
    await tx.query(`UPDATE issues SET cluster_id = $2 WHERE cluster_id = ANY($1::uuid[])`, [from, into]);
    await tx.query(
      byPm
        ? `UPDATE issue_placements SET cluster_id = $2, pinned = true, updated_at = now() WHERE cluster_id = ANY($1::uuid[])`
        : `UPDATE issue_placements SET cluster_id = $2 WHERE cluster_id = ANY($1::uuid[])`,
      [from, into],
    );
    await tx.query(`UPDATE clusters SET merged_into = $2 WHERE merged_into = ANY($1::uuid[])`, [from, into]);
    await tx.query(
      `UPDATE clusters SET merged_into = $2, active = false, centroid = '[]', centroid_count = 0,
              ${byPm ? LOCK_MEMBERSHIP : 'issue_count = 0'}, updated_at = now()
        WHERE id = ANY($1::uuid[])`,
      [from, into],
    );
  }

  /** The clustering step's placements of issues, with their history rows. */
  async assignIssues(assignments: IssueAssignment[], runId: string | null, tx: EntityManager): Promise<void> {
    const issueIds = assignments.map((a) => a.issueId);
    const clusterIds = assignments.map((a) => a.clusterId);
    const scores = assignments.map((a) => a.score);
    await tx.query(
      `UPDATE issues i SET cluster_id = x.cluster_id, cluster_score = x.score
         FROM unnest($1::uuid[], $2::uuid[], $3::real[]) AS x(id, cluster_id, score) WHERE i.id = x.id`,
      [issueIds, clusterIds, scores],
    );
    await tx.query(
      `INSERT INTO cluster_memberships (issue_id, ticket_id, to_cluster_id, reason, score, run_id)
       SELECT x.id, x.ticket_id, x.cluster_id, x.reason, x.score, $6
         FROM unnest($1::uuid[], $2::bigint[], $3::uuid[], $4::text[], $5::real[]) AS x(id, ticket_id, cluster_id, reason, score)`,
      [issueIds, assignments.map((a) => a.ticketId), clusterIds, assignments.map((a) => a.reason), scores, runId],
    );
  }

  /** A PM moves issues into a cluster (split, move), with their history rows; their scores go. */
  async moveIssues(
    issueIds: string[],
    to: string,
    reason: Extract<MembershipReason, 'split' | 'move'>,
    actorId: string,
    tx: EntityManager,
  ): Promise<void> {
    await tx.query(
      `INSERT INTO cluster_memberships (issue_id, ticket_id, from_cluster_id, to_cluster_id, reason, actor_id)
       SELECT id, ticket_id, cluster_id, $2, $3, $4 FROM issues WHERE id = ANY($1::uuid[])`,
      [issueIds, to, reason, actorId],
    );
    await tx.query(`UPDATE issues SET cluster_id = $2, cluster_score = NULL WHERE id = ANY($1::uuid[])`, [
      issueIds,
      to,
    ]);
  }

  /** Locks the clusters' membership against automatic changes (a PM shaped them); `activate` also makes them active. */
  async lockMembership(ids: string[], activate: boolean, tx: EntityManager): Promise<void> {
    await tx.query(
      `UPDATE clusters SET ${LOCK_MEMBERSHIP},${activate ? ' active = true,' : ''} updated_at = now()
        WHERE id = ANY($1::uuid[])`,
      [ids],
    );
  }

  /** A PM's merge target: the merged centroid, membership locked. */
  async setMergedCentroid(id: string, sum: Array<[number, number]>, count: number, tx: EntityManager): Promise<void> {
    await tx.query(
      `UPDATE clusters SET centroid = $2::jsonb, centroid_count = $3, ${LOCK_MEMBERSHIP}, updated_at = now()
        WHERE id = $1`,
      [id, JSON.stringify(sum), count],
    );
  }

  /** Centroid sums and member counts; `activate` (the clustering step's clusters) also makes them active. */
  async saveCentroids(
    centroids: Array<{ id: string; sum: Array<[number, number]>; count: number }>,
    activate: boolean,
    m: EntityManager,
  ): Promise<void> {
    await m.query(
      `UPDATE clusters c SET centroid = x.centroid::jsonb, centroid_count = x.n${activate ? ', active = true' : ''}
         FROM unnest($1::uuid[], $2::text[], $3::int[]) AS x(id, centroid, n) WHERE c.id = x.id`,
      [centroids.map((c) => c.id), centroids.map((c) => JSON.stringify(c.sum)), centroids.map((c) => c.count)],
    );
  }
}
