import { Injectable, NotFoundException } from '@nestjs/common';
import { pageWindow } from '@app/common/pagination';
import { TicketsService } from '@app/tickets/tickets.service';
import { ClusterDetailResponse, ClusterPageResponse, ClusterTicketResponse } from './dto/cluster.response';
import { TrendPoint } from './dto/issue-trends.response';
import { ListClustersQuery } from './dto/list-clusters.query';
import { clusterAccountOf, clusterOf } from './cluster-mappers';
import { ClusterDecorations } from './cluster-decorations';
import { IssuesCacheService, queryKey } from './issues-cache.service';
import { IssuesQueryService } from './issues-query.service';
import { ClusterPairRepository } from './repositories/cluster-pair.repository';
import { ClusterQueryRepository } from './repositories/cluster-query.repository';
import { ClusterRepository, ClusterRow } from './repositories/cluster.repository';
import { IssueQueryRepository } from './repositories/issue-query.repository';
import { buckets, DAY_MS } from './trends';

/** Cluster lists and the cluster detail. */
@Injectable()
export class ClustersQueryService {
  constructor(
    private readonly repository: ClusterQueryRepository,
    private readonly clusters: ClusterRepository,
    private readonly pairs: ClusterPairRepository,
    private readonly issueQueries: IssueQueryRepository,
    private readonly cache: IssuesCacheService,
    private readonly issues: IssuesQueryService,
    private readonly tickets: TicketsService,
    private readonly decorations: ClusterDecorations,
  ) {}

  async list(query: ListClustersQuery): Promise<ClusterPageResponse> {
    // Every page is cached, decorations (e.g. `externalIssue`) included: whatever changes them starts a new generation.
    return this.cache.wrap(queryKey('clusters', query), async (): Promise<ClusterPageResponse> => {
      const { skip, take, page, perPage } = pageWindow(query);
      const { rows, total } = await this.repository.page(this.repository.filter(query), query.sort, take, skip);
      return { items: await this.decorations.apply(rows.map((r) => clusterOf(r))), total, page, perPage };
    });
  }

  async exists(id: string): Promise<ClusterRow> {
    const row = await this.clusters.findById(id);
    if (!row) throw new NotFoundException(`Cluster ${id} not found`);
    return row;
  }

  async get(id: string): Promise<ClusterDetailResponse> {
    const row = await this.exists(id);
    const now = new Date();
    const [issueIds, tickets, daily, weekly, candidates, history, impact, accounts] = await Promise.all([
      this.issueQueries.idsInCluster(id, 200),
      this.repository.tickets(id, 200),
      this.series(id, now, 30, 'day'),
      this.series(id, now, 26 * 7, 'week'),
      this.pairs.candidatesOf(id, 10),
      this.repository.history(id, 50),
      this.repository.impact(id),
      this.repository.accounts(id, 100),
    ]);
    const [cluster] = await this.decorations.apply([clusterOf(row, impact)]);
    return {
      ...cluster!,
      issues: await this.issues.byIds(issueIds),
      tickets: tickets.map((t): ClusterTicketResponse => ({
        zendeskId: Number(t.zendesk_id),
        originalId: t.original_id ?? null,
        subject: t.subject,
        status: t.status,
        organizationName: t.org ?? null,
        createdAt: new Date(t.created_at),
        zendeskUrl: this.tickets.zendeskUrl(Number(t.zendesk_id)),
      })),
      daily,
      weekly,
      mergeCandidates: candidates.map((c) => ({
        id: c.id,
        name: c.name,
        issueCount: c.issue_count,
        score: Number(c.score),
      })),
      history: history.map((h) => ({
        issueId: h.issue_id,
        ticketId: Number(h.ticket_id),
        fromClusterId: h.from_cluster_id,
        toClusterId: h.to_cluster_id,
        reason: h.reason,
        createdAt: new Date(h.created_at),
      })),
      accounts: accounts.map(clusterAccountOf),
    };
  }

  private async series(id: string, now: Date, days: number, interval: 'day' | 'week'): Promise<TrendPoint[]> {
    const slots = buckets(now, days, interval);
    const rows = await this.repository.countsByBucket(id, interval, slots[0]!);
    const counts = new Map(rows.map((r) => [Number(r.bucket) * 1000, r.n]));
    return slots.map((date) => ({ date, count: counts.get(date.getTime()) ?? 0 }));
  }
}

export { DAY_MS };
