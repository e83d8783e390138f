import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { AuditService } from '../auth/audit.service';
import { CLUSTER_COLUMNS, clusterOf } from './cluster-mappers';
import { ClusterStatsService } from './clustering/cluster-stats.service';
import { ClusteringStateService, fingerprint, IssueRow, toIssueRow } from './clustering/clustering-state.service';
import { ClusterResponse } from './dto/cluster.response';
import { IssueResponse } from './dto/issue.response';
import { UpdateClusterRequest } from './dto/update-cluster.request';
import { IssuesCacheService } from './issues-cache.service';
import { IssuesQueryService } from './issues-query.service';

const PM_FIELDS = ['pmStatus', 'pmNotes', 'name', 'owner', 'externalUrl'] as const;
const COLUMN: Record<(typeof PM_FIELDS)[number], string> = {
  pmStatus: 'pm_status',
  pmNotes: 'pm_notes',
  name: 'name',
  owner: 'owner',
  externalUrl: 'external_url',
};

/**
 * PM triage: edits, merge, split and move. Each action is one transaction that locks the clustering state (so a
 * run computing meanwhile starts over instead of undoing it), pins the placements it decides (so re-analysis puts
 * the ticket's issues back), locks what it shaped against automatic changes, and writes the audit entry.
 */
@Injectable()
export class ClustersTriageService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly state: ClusteringStateService,
    private readonly stats: ClusterStatsService,
    private readonly audit: AuditService,
    private readonly cache: IssuesCacheService,
    private readonly issues: IssuesQueryService,
  ) {}

  async update(id: string, body: UpdateClusterRequest, actor: AuthenticatedUser): Promise<ClusterResponse> {
    const result = await this.dataSource.transaction(async (tx) => {
      await this.state.lock(tx);
      const cluster = await this.forUpdate(tx, id);
      const before: Record<string, unknown> = {};
      const after: Record<string, unknown> = {};
      const sets: string[] = [];
      const params: unknown[] = [id];
      for (const field of PM_FIELDS) {
        const value = body[field];
        if (value === undefined) continue;
        const current = clusterOf(cluster)[field];
        if (value === current) continue;
        before[field] = current;
        after[field] = value;
        params.push(value);
        sets.push(`${COLUMN[field]} = $${params.length}`);
      }
      if (after['name'] !== undefined)
        sets.push(`named_by = 'pm'`, `locked_fields = array_append(array_remove(locked_fields, 'name'), 'name')`);
      if (sets.length) {
        await tx.query(`UPDATE clusters SET ${sets.join(', ')}, updated_at = now() WHERE id = $1`, params);
        await this.state.bump(tx);
        await this.audit.record(
          { actor, action: 'cluster.update', entityType: 'cluster', entityId: id, before, after },
          tx,
        );
      }
      return this.read(tx, id);
    });
    await this.cache.invalidate();
    return result;
  }

  async merge(targetId: string, sourceIds: string[], actor: AuthenticatedUser): Promise<ClusterResponse> {
    if (sourceIds.includes(targetId)) throw new BadRequestException('sourceIds must not contain the target cluster');
    const result = await this.dataSource.transaction(async (tx) => {
      await this.state.lock(tx);
      const target = await this.forUpdate(tx, targetId);
      const sources = [];
      for (const id of sourceIds) sources.push(await this.forUpdate(tx, id));
      const rows: Array<Record<string, any>> = await tx.query(
        `SELECT id, centroid, centroid_count FROM clusters WHERE id = ANY($1::uuid[])`,
        [[targetId, ...sourceIds]],
      );
      const sum = new Map<number, number>();
      let count = 0;
      for (const r of rows) {
        for (const [t, w] of r['centroid'] as Array<[number, number]>) sum.set(t, (sum.get(t) ?? 0) + w);
        count += Number(r['centroid_count']);
      }
      await tx.query(
        `INSERT INTO cluster_memberships (issue_id, ticket_id, from_cluster_id, to_cluster_id, reason, actor_id)
         SELECT id, ticket_id, cluster_id, $2, 'merge', $3 FROM issues WHERE cluster_id = ANY($1::uuid[])`,
        [sourceIds, targetId, actor.id],
      );
      await tx.query(`UPDATE issues SET cluster_id = $2 WHERE cluster_id = ANY($1::uuid[])`, [sourceIds, targetId]);
      await tx.query(
        `UPDATE issue_placements SET cluster_id = $2, pinned = true, updated_at = now() WHERE cluster_id = ANY($1::uuid[])`,
        [sourceIds, targetId],
      );
      await tx.query(`UPDATE clusters SET merged_into = $2 WHERE merged_into = ANY($1::uuid[])`, [sourceIds, targetId]);
      await tx.query(
        `UPDATE clusters SET merged_into = $2, active = false, centroid = '[]', centroid_count = 0,
                locked_fields = array_append(array_remove(locked_fields, 'membership'), 'membership'), updated_at = now()
          WHERE id = ANY($1::uuid[])`,
        [sourceIds, targetId],
      );
      await tx.query(
        `UPDATE clusters SET centroid = $2::jsonb, centroid_count = $3,
                locked_fields = array_append(array_remove(locked_fields, 'membership'), 'membership'), updated_at = now()
          WHERE id = $1`,
        [targetId, JSON.stringify([...sum.entries()].sort((a, b) => a[0] - b[0])), count],
      );
      await tx.query(
        `DELETE FROM cluster_merge_proposals WHERE cluster_id = ANY($1::uuid[]) OR candidate_id = ANY($1::uuid[])`,
        [sourceIds],
      );
      await this.stats.refresh(tx, [targetId]);
      await this.state.bump(tx);
      const merged = await this.read(tx, targetId);
      await this.audit.record(
        {
          actor,
          action: 'cluster.merge',
          entityType: 'cluster',
          entityId: targetId,
          before: {
            target: { id: targetId, name: target['name'], issueCount: target['issue_count'] },
            sources: sources.map((s) => ({ id: s['id'], name: s['name'], issueCount: s['issue_count'] })),
          },
          after: {
            target: { id: targetId, name: merged.name, issueCount: merged.issueCount },
            mergedSourceIds: sourceIds,
          },
        },
        tx,
      );
      return merged;
    });
    await this.cache.invalidate();
    return result;
  }

  async split(
    id: string,
    issueIds: string[],
    name: string | undefined,
    actor: AuthenticatedUser,
  ): Promise<ClusterResponse> {
    const result = await this.dataSource.transaction(async (tx) => {
      await this.state.lock(tx);
      const source = await this.forUpdate(tx, id);
      const moving = await this.issueRows(tx, issueIds);
      const foreign = issueIds.filter((i) => moving.find((m) => m.id === i)?.clusterId !== id);
      if (foreign.length)
        throw new BadRequestException(`issueIds not in cluster ${id}: ${foreign.slice(0, 10).join(', ')}`);
      if (moving.length >= (await this.countOf(tx, id)))
        throw new BadRequestException('issueIds would leave the cluster empty: rename it instead');
      const { engine } = await this.state.load(tx);
      const named = engine.name(moving);
      const newId = randomUUID();
      const category = mode(moving.map((m) => m.category)) ?? source['category'];
      await tx.query(
        `INSERT INTO clusters (id, category, name, summary, keyphrases, named_by, named_at_count, locked_fields)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [
          newId,
          category,
          (name?.trim() || named.name).slice(0, 300),
          named.summary,
          named.keyphrases,
          name?.trim() ? 'pm' : 'keyphrases',
          moving.length,
          name?.trim() ? ['membership', 'name'] : ['membership'],
        ],
      );
      await this.moveIssues(tx, moving, newId, 'split', actor);
      await tx.query(
        `UPDATE clusters SET locked_fields = array_append(array_remove(locked_fields, 'membership'), 'membership'),
                updated_at = now() WHERE id = $1`,
        [id],
      );
      await this.state.rebuildCentroids(tx, engine, [id, newId]);
      await this.stats.refresh(tx, [id, newId]);
      await this.state.bump(tx);
      const created = await this.read(tx, newId);
      await this.audit.record(
        {
          actor,
          action: 'cluster.split',
          entityType: 'cluster',
          entityId: id,
          before: { clusterId: id, issueCount: source['issue_count'], issueIds },
          after: { clusterId: id, newClusterId: newId, newClusterName: created.name, issueIds },
        },
        tx,
      );
      return created;
    });
    await this.cache.invalidate();
    return result;
  }

  async move(issueId: string, clusterId: string, actor: AuthenticatedUser): Promise<IssueResponse> {
    await this.dataSource.transaction(async (tx) => {
      await this.state.lock(tx);
      const [issue] = await this.issueRows(tx, [issueId]);
      if (!issue) throw new NotFoundException(`Issue ${issueId} not found`);
      const target = await this.forUpdate(tx, clusterId);
      if (issue.clusterId === clusterId) return;
      const from = issue.clusterId;
      await this.moveIssues(tx, [issue], clusterId, 'move', actor);
      const touched = [clusterId, ...(from ? [from] : [])];
      await tx.query(
        `UPDATE clusters SET locked_fields = array_append(array_remove(locked_fields, 'membership'), 'membership'),
                active = true, updated_at = now() WHERE id = ANY($1::uuid[])`,
        [touched],
      );
      const { engine } = await this.state.load(tx);
      await this.state.rebuildCentroids(tx, engine, touched);
      await this.stats.refresh(tx, touched);
      await this.state.bump(tx);
      await this.audit.record(
        {
          actor,
          action: 'issue.move',
          entityType: 'issue',
          entityId: issueId,
          before: { clusterId: from, ticketId: issue.ticketId },
          after: { clusterId, clusterName: target['name'], ticketId: issue.ticketId },
        },
        tx,
      );
    });
    await this.cache.invalidate();
    return (await this.issues.byIds([issueId]))[0]!;
  }

  /** Moves issues, records the history and pins their placements (re-analysis puts them back here). */
  private async moveIssues(
    tx: EntityManager,
    issues: IssueRow[],
    to: string,
    reason: 'split' | 'move',
    actor: AuthenticatedUser,
  ): Promise<void> {
    const ids = issues.map((i) => i.id);
    await tx.query(
      `INSERT INTO cluster_memberships (issue_id, ticket_id, from_cluster_id, to_cluster_id, reason, actor_id)
       SELECT id, ticket_id, cluster_id, $2, $3, $4 FROM issues WHERE id = ANY($1::uuid[])`,
      [ids, to, reason, actor.id],
    );
    await tx.query(`UPDATE issues SET cluster_id = $2, cluster_score = NULL WHERE id = ANY($1::uuid[])`, [ids, to]);
    await tx.query(
      `INSERT INTO issue_placements (ticket_id, fingerprint, category, cluster_id, pinned)
       SELECT DISTINCT ON (x.ticket_id, x.fp) x.ticket_id, x.fp, x.category, $4::uuid, true
         FROM unnest($1::bigint[], $2::text[], $3::text[]) AS x(ticket_id, fp, category)
       ON CONFLICT (ticket_id, fingerprint) DO UPDATE SET cluster_id = EXCLUDED.cluster_id, pinned = true, updated_at = now()`,
      [issues.map((i) => i.ticketId), issues.map((i) => fingerprint(i)), issues.map((i) => i.category), to],
    );
  }

  /**
   * A PM says two clusters are not the same problem: the merge proposal between them goes, and no run proposes
   * (or asks Claude about) the pair again. Audited.
   */
  async rejectProposal(id: string, candidateId: string, actor: AuthenticatedUser): Promise<void> {
    if (id === candidateId) throw new BadRequestException('candidateId must be another cluster');
    await this.dataSource.transaction(async (tx) => {
      const rows: Array<{ id: string }> = await tx.query(`SELECT id FROM clusters WHERE id = ANY($1::uuid[])`, [
        [id, candidateId],
      ]);
      for (const x of [id, candidateId])
        if (!rows.some((r) => r.id === x)) throw new NotFoundException(`Cluster ${x} not found`);
      const [a, b] = [id, candidateId].sort();
      const [proposal] = await tx.query(
        `DELETE FROM cluster_merge_proposals
          WHERE (cluster_id = $1 AND candidate_id = $2) OR (cluster_id = $2 AND candidate_id = $1) RETURNING score`,
        [a, b],
      );
      await tx.query(
        `INSERT INTO cluster_pair_verdicts (cluster_a, cluster_b, same, decided_by, user_id)
         VALUES ($1, $2, false, 'pm', $3)
         ON CONFLICT (cluster_a, cluster_b) DO UPDATE SET same = false, decided_by = 'pm', user_id = $3,
                reason = '', model = NULL, created_at = now()`,
        [a, b, actor.id],
      );
      await this.audit.record(
        {
          actor,
          action: 'cluster.proposal_rejected',
          entityType: 'cluster',
          entityId: id,
          before: { clusterId: id, candidateId, proposed: !!proposal, score: proposal?.score ?? null },
          after: { clusterId: id, candidateId, proposed: false },
        },
        tx,
      );
    });
    await this.cache.invalidate();
  }

  private async forUpdate(tx: EntityManager, id: string): Promise<Record<string, any>> {
    const [row] = await tx.query(`SELECT ${CLUSTER_COLUMNS} FROM clusters c WHERE c.id = $1 FOR UPDATE`, [id]);
    if (!row) throw new NotFoundException(`Cluster ${id} not found`);
    if (row['merged_into']) throw new ConflictException(`Cluster ${id} was merged into ${row['merged_into']}`);
    return row;
  }

  private async read(tx: EntityManager, id: string): Promise<ClusterResponse> {
    const [row] = await tx.query(`SELECT ${CLUSTER_COLUMNS} FROM clusters c WHERE c.id = $1`, [id]);
    return clusterOf(row);
  }

  private async issueRows(tx: EntityManager, ids: string[]): Promise<IssueRow[]> {
    const rows = await tx.query(
      `SELECT id, ticket_id, category, subcategory, summary, detail, cluster_id FROM issues
        WHERE id = ANY($1::uuid[]) AND NOT hidden FOR UPDATE`,
      [ids],
    );
    return rows.map(toIssueRow);
  }

  private async countOf(tx: EntityManager, id: string): Promise<number> {
    const [row] = await tx.query(`SELECT count(*)::int AS n FROM issues WHERE cluster_id = $1 AND NOT hidden`, [id]);
    return row.n;
  }
}

function mode(values: string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0];
}
