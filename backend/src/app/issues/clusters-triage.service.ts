import { BadRequestException, ConflictException, Injectable, NotFoundException, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthenticatedUser } from '@app/auth/authenticated-user';
import { AuditService } from '@app/auth/audit.service';
import { clusterOf } from './cluster-mappers';
import { ClusterStatsService } from './clustering/cluster-stats.service';
import { ClusteringStateService, fingerprint, IssueRow } from './clustering/clustering-state.service';
import { ClusterResponse } from './dto/cluster.response';
import { IssueResponse } from './dto/issue.response';
import { UpdateClusterRequest } from './dto/update-cluster.request';
import { IssuesCacheService } from './issues-cache.service';
import { IssuesQueryService } from './issues-query.service';
import { ClusterIssueRepository } from './repositories/cluster-issue.repository';
import { ClusterPairRepository } from './repositories/cluster-pair.repository';
import { ClusterQueryRepository } from './repositories/cluster-query.repository';
import { ClusterRepository, ClusterRow, PmColumn } from './repositories/cluster.repository';
import { PlacementRepository } from './repositories/placement.repository';

const PM_FIELDS = ['pmStatus', 'pmNotes', 'name', 'owner', 'externalUrl'] as const;
const COLUMN: Record<(typeof PM_FIELDS)[number], PmColumn> = {
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
    private readonly clusters: ClusterRepository,
    private readonly clusterIssues: ClusterIssueRepository,
    private readonly placements: PlacementRepository,
    private readonly pairs: ClusterPairRepository,
    private readonly state: ClusteringStateService,
    private readonly stats: ClusterStatsService,
    private readonly audit: AuditService,
    private readonly cache: IssuesCacheService,
    private readonly issues: IssuesQueryService,
    @Optional() private readonly impacts?: ClusterQueryRepository,
  ) {}

  async update(id: string, body: UpdateClusterRequest, actor: AuthenticatedUser): Promise<ClusterResponse> {
    return this.triage(async (tx) => {
      const cluster = clusterOf(await this.forUpdate(tx, id));
      const before: Record<string, unknown> = {};
      const after: Record<string, unknown> = {};
      const changes: Array<[PmColumn, unknown]> = [];
      for (const field of PM_FIELDS) {
        const value = body[field];
        if (value === undefined || value === cluster[field]) continue;
        before[field] = cluster[field];
        after[field] = value;
        changes.push([COLUMN[field], value]);
      }
      if (changes.length) {
        await this.clusters.updatePmFields(id, changes, tx);
        await this.state.bump(tx);
        await this.audited(tx, actor, 'cluster.update', id, { before, after });
      }
      return this.read(tx, id);
    });
  }

  async merge(targetId: string, sourceIds: string[], actor: AuthenticatedUser): Promise<ClusterResponse> {
    if (sourceIds.includes(targetId)) throw new BadRequestException('sourceIds must not contain the target cluster');
    return this.triage(async (tx) => {
      const target = await this.forUpdate(tx, targetId);
      const sources: ClusterRow[] = [];
      for (const id of sourceIds) sources.push(await this.forUpdate(tx, id));
      const sum = new Map<number, number>();
      let count = 0;
      for (const r of await this.clusters.centroidSums([targetId, ...sourceIds], tx)) {
        for (const [t, w] of r.centroid) sum.set(t, (sum.get(t) ?? 0) + w);
        count += r.count;
      }
      await this.clusters.mergeInto({ into: targetId, from: sourceIds, reason: 'merge', actorId: actor.id }, tx);
      await this.clusters.setMergedCentroid(
        targetId,
        [...sum.entries()].sort((a, b) => a[0] - b[0]),
        count,
        tx,
      );
      await this.pairs.dropProposalsOf(sourceIds, tx);
      await this.settle(tx, [targetId]);
      const merged = await this.read(tx, targetId);
      await this.audited(tx, actor, 'cluster.merge', targetId, {
        before: {
          target: { id: targetId, name: target.name, issueCount: target.issue_count },
          sources: sources.map((s) => ({ id: s.id, name: s.name, issueCount: s.issue_count })),
        },
        after: {
          target: { id: targetId, name: merged.name, issueCount: merged.issueCount },
          mergedSourceIds: sourceIds,
        },
      });
      return merged;
    });
  }

  async split(
    id: string,
    issueIds: string[],
    name: string | undefined,
    actor: AuthenticatedUser,
  ): Promise<ClusterResponse> {
    return this.triage(async (tx) => {
      const source = await this.forUpdate(tx, id);
      const moving = await this.clusterIssues.lockVisible(issueIds, tx);
      const foreign = issueIds.filter((i) => moving.find((m) => m.id === i)?.clusterId !== id);
      if (foreign.length)
        throw new BadRequestException(`issueIds not in cluster ${id}: ${foreign.slice(0, 10).join(', ')}`);
      if (moving.length >= (await this.clusterIssues.countIn(id, tx)))
        throw new BadRequestException('issueIds would leave the cluster empty: rename it instead');
      const { engine } = await this.state.load(tx);
      const named = engine.name(moving);
      const newId = randomUUID();
      const pmName = name?.trim();
      await this.clusters.createSplit(
        {
          id: newId,
          category: mode(moving.map((m) => m.category)) ?? source.category,
          name: (pmName || named.name).slice(0, 300),
          summary: named.summary,
          keyphrases: named.keyphrases,
          namedBy: pmName ? 'pm' : 'keyphrases',
          namedAtCount: moving.length,
          lockedFields: pmName ? ['membership', 'name'] : ['membership'],
        },
        tx,
      );
      await this.moveIssues(tx, moving, newId, 'split', actor);
      await this.clusters.lockMembership([id], false, tx);
      await this.state.rebuildCentroids(tx, engine, [id, newId]);
      await this.settle(tx, [id, newId]);
      const created = await this.read(tx, newId);
      await this.audited(tx, actor, 'cluster.split', id, {
        before: { clusterId: id, issueCount: source.issue_count, issueIds },
        after: { clusterId: id, newClusterId: newId, newClusterName: created.name, issueIds },
      });
      return created;
    });
  }

  async move(issueId: string, clusterId: string, actor: AuthenticatedUser): Promise<IssueResponse> {
    await this.triage(async (tx) => {
      const [issue] = await this.clusterIssues.lockVisible([issueId], tx);
      if (!issue) throw new NotFoundException(`Issue ${issueId} not found`);
      const target = await this.forUpdate(tx, clusterId);
      if (issue.clusterId === clusterId) return;
      const from = issue.clusterId;
      await this.moveIssues(tx, [issue], clusterId, 'move', actor);
      const touched = [clusterId, ...(from ? [from] : [])];
      await this.clusters.lockMembership(touched, true, tx);
      const { engine } = await this.state.load(tx);
      await this.state.rebuildCentroids(tx, engine, touched);
      await this.settle(tx, touched);
      await this.audit.record(
        {
          actor,
          action: 'issue.move',
          entityType: 'issue',
          entityId: issueId,
          before: { clusterId: from, ticketId: issue.ticketId },
          after: { clusterId, clusterName: target.name, ticketId: issue.ticketId },
        },
        tx,
      );
    });
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
    await this.clusters.moveIssues(
      issues.map((i) => i.id),
      to,
      reason,
      actor.id,
      tx,
    );
    const keys = issues.map((i) => ({ ticketId: i.ticketId, fingerprint: fingerprint(i), category: i.category }));
    await this.placements.pin(keys, to, tx);
  }

  /**
   * A PM says two clusters are not the same problem: the merge proposal between them goes, and no run proposes
   * (or asks Claude about) the pair again. Audited.
   */
  async rejectProposal(id: string, candidateId: string, actor: AuthenticatedUser): Promise<void> {
    if (id === candidateId) throw new BadRequestException('candidateId must be another cluster');
    await this.dataSource.transaction(async (tx) => {
      const existing = await this.clusters.existingIds([id, candidateId], tx);
      for (const x of [id, candidateId])
        if (!existing.includes(x)) throw new NotFoundException(`Cluster ${x} not found`);
      const [a, b] = [id, candidateId].sort() as [string, string];
      const proposal = await this.pairs.dropProposal(a, b, tx);
      await this.pairs.rejectPair(a, b, actor.id, tx);
      await this.audited(tx, actor, 'cluster.proposal_rejected', id, {
        before: { clusterId: id, candidateId, proposed: !!proposal, score: proposal?.score ?? null },
        after: { clusterId: id, candidateId, proposed: false },
      });
    });
    await this.cache.invalidate();
  }

  /**
   * One triage action: a transaction holding the clustering state's lock (a run computing meanwhile starts over),
   * then the cached lists dropped.
   */
  private async triage<T>(action: (tx: EntityManager) => Promise<T>): Promise<T> {
    const result = await this.dataSource.transaction(async (tx) => {
      await this.state.lock(tx);
      return action(tx);
    });
    await this.cache.invalidate();
    return result;
  }

  /** After clusters changed: their figures recomputed and the clustering state's version bumped. */
  private async settle(tx: EntityManager, clusterIds: string[]): Promise<void> {
    await this.stats.refresh(tx, clusterIds);
    await this.state.bump(tx);
  }

  /** The audit entry of a triage action on cluster `clusterId`, in the action's transaction. */
  private audited(
    tx: EntityManager,
    actor: AuthenticatedUser,
    action: string,
    clusterId: string,
    change: { before: object; after: object },
  ): Promise<void> {
    return this.audit.record({ actor, action, entityType: 'cluster', entityId: clusterId, ...change }, tx);
  }

  private async forUpdate(tx: EntityManager, id: string): Promise<ClusterRow> {
    const row = await this.clusters.lockById(id, tx);
    if (!row) throw new NotFoundException(`Cluster ${id} not found`);
    if (row.merged_into) throw new ConflictException(`Cluster ${id} was merged into ${row.merged_into}`);
    return row;
  }

  private async read(tx: EntityManager, id: string): Promise<ClusterResponse> {
    return clusterOf((await this.clusters.findById(id, tx))!, await this.impacts?.impact(id, tx));
  }
}

function mode(values: string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0];
}
