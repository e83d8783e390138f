import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { pageWindow } from '../common/pagination';
import { TicketsService } from '../tickets/tickets.service';
import { IssueTrendsQuery } from './dto/issue-trends.query';
import { CategoryTrend, IssueTrendsResponse, TrendPoint } from './dto/issue-trends.response';
import { ExportIssuesQuery, ListIssuesQuery } from './dto/list-issues.query';
import { IssuePageResponse, IssueResponse } from './dto/issue.response';
import { IssuesSummaryResponse } from './dto/issues-summary.response';
import { IssuesCacheService } from './issues-cache.service';
import { briefOf } from './cluster-mappers';
import { buckets, DAY_MS } from './trends';

const SEVERITY_ORDER = `CASE i.severity WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END`;
const ISSUE_SORT_SQL: Record<string, string> = {
  ticketCreatedAt: 'i.ticket_created_at',
  severity: SEVERITY_ORDER,
  confidence: 'i.confidence',
  category: 'i.category',
};

export interface SqlFilter {
  where: string;
  params: unknown[];
}

/** Issue lists, the summary and the trend series. Read-only; the summary, trends and first pages are cached. */
@Injectable()
export class IssuesQueryService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cache: IssuesCacheService,
    private readonly tickets: TicketsService,
  ) {}

  filter(query: ExportIssuesQuery): SqlFilter {
    const where = ['NOT i.hidden'];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (query.category?.length) add('i.category = ANY(?)', query.category);
    if (query.subcategory?.length) add('i.subcategory = ANY(?)', query.subcategory);
    if (query.issueType?.length) add('i.issue_type = ANY(?)', query.issueType);
    if (query.severity?.length) add('i.severity = ANY(?)', query.severity);
    if (query.clusterId) add('i.cluster_id = ?', query.clusterId);
    if (query.startDate) add('i.ticket_created_at >= ?', query.startDate);
    if (query.endDate) add('i.ticket_created_at < ?', query.endDate);
    if (query.search?.trim()) add(`i.search @@ websearch_to_tsquery('english', ?)`, query.search.trim());
    return { where: where.join(' AND '), params };
  }

  orderBy(sort: string | undefined): string {
    const [field, direction] = (sort ?? 'ticketCreatedAt:desc').split(':');
    const dir = direction === 'asc' ? 'ASC' : 'DESC';
    return `${ISSUE_SORT_SQL[field!] ?? 'i.ticket_created_at'} ${dir}, i.ticket_created_at ${dir}, i.id ${dir}`;
  }

  async list(query: ListIssuesQuery): Promise<IssuePageResponse> {
    const compute = async (): Promise<IssuePageResponse> => {
      const { skip, take, page, perPage } = pageWindow(query);
      const { where, params } = this.filter(query);
      const [rows, [count]] = await Promise.all([
        this.dataSource.query(
          `SELECT i.id FROM issues i WHERE ${where} ORDER BY ${this.orderBy(query.sort)}
            LIMIT ${take} OFFSET ${skip}`,
          params,
        ),
        this.dataSource.query(`SELECT count(*)::int AS n FROM issues i WHERE ${where}`, params),
      ]);
      const items = await this.byIds(rows.map((r: { id: string }) => r.id));
      return { items, total: count.n, page, perPage };
    };
    // First pages are cached (their keys are the whole query), later pages are not.
    return (query.page ?? 1) === 1 ? this.cache.wrap(`issues:${JSON.stringify(query)}`, compute) : compute();
  }

  /** Issues with their ticket and cluster, in the given order. */
  async byIds(ids: string[]): Promise<IssueResponse[]> {
    if (!ids.length) return [];
    const rows: Array<Record<string, any>> = await this.dataSource.query(
      `SELECT i.id, i.ticket_id, i.category, i.subcategory, i.issue_type, i.severity, i.summary, i.detail, i.quote,
              i.confidence, i.ticket_created_at, i.cluster_id, c.name AS cluster_name, t.subject, t.original_id, o.name AS org
         FROM issues i
         JOIN tickets t ON t.zendesk_id = i.ticket_id
         LEFT JOIN zendesk_organizations o ON o.id = t.organization_id
         LEFT JOIN clusters c ON c.id = i.cluster_id
        WHERE i.id = ANY($1::uuid[])`,
      [ids],
    );
    const byId = new Map(rows.map((r) => [r['id'] as string, this.toResponse(r)]));
    return ids.map((id) => byId.get(id)).filter((r): r is IssueResponse => r !== undefined);
  }

  toResponse(r: Record<string, any>): IssueResponse {
    const ticketId = Number(r['ticket_id']);
    return {
      id: r['id'],
      ticketId,
      ticketOriginalId: r['original_id'] ?? null,
      ticketSubject: r['subject'] ?? '',
      category: r['category'],
      subcategory: r['subcategory'],
      issueType: r['issue_type'],
      severity: r['severity'],
      summary: r['summary'],
      detail: r['detail'],
      quote: r['quote'],
      confidence: Number(r['confidence']),
      ticketCreatedAt: new Date(r['ticket_created_at']),
      clusterId: r['cluster_id'] ?? null,
      clusterName: r['cluster_name'] ?? null,
      organizationName: r['org'] ?? null,
      zendeskUrl: this.tickets.zendeskUrl(ticketId),
    };
  }

  /**
   * Computes what the dashboard asks for first (the last 30 days, daily trend) into the cache, so the first PM
   * after a run does not wait for the aggregates. A failure is only a cold cache.
   */
  async warm(): Promise<void> {
    await Promise.all([
      this.summary(30),
      this.trends(Object.assign(new IssueTrendsQuery(), { days: 30, interval: 'day' })),
    ]);
  }

  async summary(days: number): Promise<IssuesSummaryResponse> {
    return this.cache.wrap(`summary:${days}`, async () => {
      const to = new Date();
      const from = new Date(to.getTime() - days * DAY_MS);
      const base = `FROM issues i WHERE NOT i.hidden AND i.ticket_created_at >= $1`;
      const [[totals], byCategory, bySeverity, byType, [clusters], top, emerging] = await Promise.all([
        this.dataSource.query(
          `SELECT count(*)::int AS issues, count(DISTINCT i.ticket_id)::int AS tickets,
                  count(DISTINCT COALESCE('o' || t.organization_id::text, 'r' || t.requester_id::text))::int AS customers
             FROM issues i JOIN tickets t ON t.zendesk_id = i.ticket_id
            WHERE NOT i.hidden AND i.ticket_created_at >= $1`,
          [from],
        ),
        this.dataSource.query(
          `SELECT i.category AS key, count(*)::int AS count ${base} GROUP BY 1 ORDER BY 2 DESC, 1`,
          [from],
        ),
        this.dataSource.query(
          `SELECT i.severity AS key, count(*)::int AS count ${base} GROUP BY 1 ORDER BY 2 DESC, 1`,
          [from],
        ),
        this.dataSource.query(
          `SELECT i.issue_type AS key, count(*)::int AS count ${base} GROUP BY 1 ORDER BY 2 DESC, 1`,
          [from],
        ),
        this.dataSource.query(
          `SELECT count(*)::int AS active, (count(*) FILTER (WHERE emerging))::int AS emerging,
                  (count(*) FILTER (WHERE first_seen >= $1))::int AS new
             FROM clusters WHERE active`,
          [from],
        ),
        this.dataSource.query(`SELECT * FROM clusters WHERE active ORDER BY count_7d DESC, seq LIMIT 10`),
        this.dataSource.query(`SELECT * FROM clusters WHERE active AND emerging ORDER BY count_7d DESC, seq LIMIT 10`),
      ]);
      return {
        days,
        from,
        to,
        issues: totals.issues,
        tickets: totals.tickets,
        uniqueCustomers: totals.customers,
        byCategory,
        bySeverity,
        byIssueType: byType,
        activeClusters: clusters.active,
        emergingClusters: clusters.emerging,
        newClusters: clusters.new,
        topClusters: top.map(briefOf),
        emerging: emerging.map(briefOf),
      };
    });
  }

  async trends(query: IssueTrendsQuery): Promise<IssueTrendsResponse> {
    const days = query.days ?? 30;
    const interval = query.interval ?? 'day';
    return this.cache.wrap(`trends:${days}:${interval}:${(query.category ?? []).join(',')}`, async () => {
      const now = new Date();
      const slots = buckets(now, days, interval);
      const params: unknown[] = [slots[0]];
      let only = '';
      if (query.category?.length) {
        params.push(query.category);
        only = 'AND i.category = ANY($2)';
      }
      const rows: Array<{ category: string; bucket: string; n: number }> = await this.dataSource.query(
        `SELECT i.category, extract(epoch FROM date_trunc('${interval}', i.ticket_created_at AT TIME ZONE 'UTC'))::bigint AS bucket,
                count(*)::int AS n
           FROM issues i WHERE NOT i.hidden AND i.ticket_created_at >= $1 ${only}
          GROUP BY 1, 2`,
        params,
      );
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
}
