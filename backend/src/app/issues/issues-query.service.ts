import { Injectable, Logger } from '@nestjs/common';
import { decodeCursor, encodeCursor } from '@app/common/keyset';
import { errorMessage } from '@app/common/errors';
import { pageWindow } from '@app/common/pagination';
import { TicketsService } from '@app/tickets/tickets.service';
import { IssueTrendsQuery } from './dto/issue-trends.query';
import { CategoryTrend, IssueTrendsResponse, TrendPoint } from './dto/issue-trends.response';
import { ListIssuesQuery } from './dto/list-issues.query';
import { IssuePageResponse, IssueResponse } from './dto/issue.response';
import { IssuesSummaryResponse } from './dto/issues-summary.response';
import { ClusterQueryRepository } from './repositories/cluster-query.repository';
import { IssuesCacheService, queryKey } from './issues-cache.service';
import { briefOf } from './cluster-mappers';
import { IssueAggregateRepository } from './repositories/issue-aggregate.repository';
import { IssueDetailRow, IssueQueryRepository } from './repositories/issue-query.repository';
import { buckets, DAY_MS } from './trends';
import { issueFieldsOf } from '@app/analysis/issue-fields';

/** Issue lists, the summary and the trend series. Read-only; all three are cached. */
@Injectable()
export class IssuesQueryService {
  private readonly logger = new Logger(IssuesQueryService.name);

  constructor(
    private readonly repository: IssueQueryRepository,
    private readonly cache: IssuesCacheService,
    private readonly tickets: TicketsService,
    private readonly clusterQueries: ClusterQueryRepository,
    private readonly aggregates: IssueAggregateRepository,
  ) {}

  async list(query: ListIssuesQuery): Promise<IssuePageResponse> {
    const compute = async (): Promise<IssuePageResponse> => {
      const { skip, take, perPage, ...window } = pageWindow(query);
      const sort = query.sort ?? 'ticketCreatedAt:desc';
      const after = query.cursor ? decodeCursor(query.cursor, sort, this.repository.sortKeys(sort).keys.length) : null;
      const page = after?.page ?? window.page;
      const filter = this.repository.filter(query);
      // The total depends on the filters only: every page of a filter shares one count.
      const { page: _p, perPage: _pp, cursor: _c, sort: _s, ...filters } = query;
      const [found, { total, totalExact }] = await Promise.all([
        this.repository.page(filter, sort, take, skip, after?.values),
        this.cache.wrap(queryKey('issues:count', filters), () => this.repository.count(filter)),
      ]);
      const items = await this.byIds(found.ids);
      const nextCursor = found.next ? encodeCursor({ page: page + 1, sort, values: found.next }) : null;
      return { items, total, page, perPage, totalExact, nextCursor };
    };
    // Every page is cached, by the whole normalised query.
    return this.cache.wrap(queryKey('issues', query), compute);
  }

  /** Issues with their ticket and cluster, in the given order. */
  async byIds(ids: string[]): Promise<IssueResponse[]> {
    if (!ids.length) return [];
    const rows = await this.repository.details(ids);
    const byId = new Map(rows.map((r) => [r.id, this.toResponse(r)]));
    return ids.map((id) => byId.get(id)).filter((r): r is IssueResponse => r !== undefined);
  }

  toResponse(r: IssueDetailRow): IssueResponse {
    const ticketId = Number(r.ticket_id);
    return {
      id: r.id,
      ticketId,
      ticketOriginalId: r.original_id ?? null,
      ticketSubject: r.subject ?? '',
      ...issueFieldsOf(r),
      confidence: Number(r.confidence),
      ticketCreatedAt: new Date(r.ticket_created_at),
      clusterId: r.cluster_id ?? null,
      clusterName: r.cluster_name ?? null,
      organizationName: r.org ?? null,
      zendeskUrl: this.tickets.zendeskUrl(ticketId),
    };
  }

  /**
   * Computes what the dashboard asks for first (the last 30 days, daily trend) into the cache, so the first PM
   * after a run does not wait for the aggregates. A failure is only a cold cache.
   */
  async warm(): Promise<void> {
    if (!this.cache.active) return;
    await Promise.all([
      this.summary(30),
      this.trends(Object.assign(new IssueTrendsQuery(), { days: 30, interval: 'day' })),
    ]);
  }

  async summary(days: number): Promise<IssuesSummaryResponse> {
    return this.cache.wrap(`summary:${days}`, async () => {
      const to = new Date();
      const from = new Date(to.getTime() - days * DAY_MS);
      // The triggers' deltas are folded first (a no-op when none): the window then reads a few rows per day.
      await this.foldAggregates();
      const [counts, clusters, top, emerging, risk] = await Promise.all([
        this.aggregates.window(from),
        this.repository.clusterTotals(from),
        this.repository.busiestClusters(false, 10),
        this.repository.busiestClusters(true, 10),
        this.clusterQueries.revenueAtRisk(),
      ]);
      return {
        days,
        from,
        to,
        issues: counts.issues,
        tickets: counts.tickets,
        uniqueCustomers: counts.customers,
        byCategory: counts.byCategory,
        bySeverity: counts.bySeverity,
        byIssueType: counts.byIssueType,
        activeClusters: clusters.active,
        emergingClusters: clusters.emerging,
        newClusters: clusters.new,
        topClusters: top.map(briefOf),
        emerging: emerging.map(briefOf),
        revenueAtRisk: {
          arr: risk.arr,
          accounts: risk.accounts,
          renewingAccounts: risk.renewing,
          totalArr: risk.total,
        },
      };
    });
  }

  async trends(query: IssueTrendsQuery): Promise<IssueTrendsResponse> {
    const days = query.days ?? 30;
    const interval = query.interval ?? 'day';
    return this.cache.wrap(`trends:${days}:${interval}:${(query.category ?? []).join(',')}`, async () => {
      const now = new Date();
      const slots = buckets(now, days, interval);
      await this.foldAggregates();
      const rows = await this.aggregates.countsByCategoryAndBucket(interval, slots[0]!, query.category);
      const index = new Map(slots.map((d, k) => [d.getTime(), k]));
      const series = new Map<string, number[]>();
      const total = slots.map(() => 0);
      for (const r of rows) {
        const k = index.get(Number(r.bucket) * 1000);
        if (k === undefined) continue;
        const list = series.get(r.category) ?? slots.map(() => 0);
        list[k]! += r.n;
        total[k]! += r.n;
        series.set(r.category, list);
      }
      const points = (counts: number[]): TrendPoint[] => slots.map((date, k) => ({ date, count: counts[k]! }));
      const out: CategoryTrend[] = [...series.entries()]
        .map(([category, counts]) => ({ category, total: counts.reduce((a, b) => a + b, 0), points: points(counts) }))
        .sort((a, b) => b.total - a.total || (a.category < b.category ? -1 : 1));
      return { days, interval, series: out, total: points(total) };
    });
  }

  /** Folds the aggregates' pending deltas; a failure only leaves them to be counted as deltas. */
  private async foldAggregates(): Promise<void> {
    await this.aggregates
      .fold()
      .catch((error: unknown) => this.logger.warn(`aggregate fold failed: ${errorMessage(error)}`));
  }
}
