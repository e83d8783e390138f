import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { pageWindow } from '../common/pagination';
import { TicketsService } from '../tickets/tickets.service';
import { ClusterDetailResponse, ClusterPageResponse, ClusterTicketResponse } from './dto/cluster.response';
import { TrendPoint } from './dto/issue-trends.response';
import { ExportClustersQuery, ListClustersQuery } from './dto/list-clusters.query';
import { CLUSTER_COLUMNS, clusterOf } from './cluster-mappers';
import { IssuesCacheService } from './issues-cache.service';
import { IssuesQueryService } from './issues-query.service';
import { buckets, DAY_MS } from './trends';

const CLUSTER_SORT_SQL: Record<string, string> = {
  issueCount: 'c.issue_count',
  count7d: 'c.count_7d',
  trendPct: 'c.trend_pct',
  uniqueCustomers: 'c.unique_customers',
  lastSeen: 'c.last_seen',
  firstSeen: 'c.first_seen',
  updatedAt: 'c.updated_at',
  name: 'lower(c.name)',
};

/** Cluster lists and the cluster detail. */
@Injectable()
export class ClustersQueryService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cache: IssuesCacheService,
    private readonly issues: IssuesQueryService,
    private readonly tickets: TicketsService,
  ) {}

  filter(query: ExportClustersQuery): { where: string; params: unknown[] } {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    add('c.active = ?', query.active ?? true);
    if (query.category?.length) add('c.category = ANY(?)', query.category);
    if (query.subcategory?.length) add('c.subcategory = ANY(?)', query.subcategory);
    if (query.pmStatus?.length) add('c.pm_status = ANY(?)', query.pmStatus);
    if (query.emerging !== undefined) add('c.emerging = ?', query.emerging);
    if (query.minIssues !== undefined) add('c.issue_count >= ?', query.minIssues);
    if (query.owner) add('c.owner = ?', query.owner);
    if (query.search?.trim()) add(`c.search @@ websearch_to_tsquery('english', ?)`, query.search.trim());
    // Issue filters: one EXISTS over the cluster's issues (issues_cluster_idx: cluster_id, ticket_created_at), so
    // one issue has to match all of them ("a critical bug this week", not "a critical issue and a bug, any time").
    const issueWhere: string[] = [];
    const addIssue = (sql: string, value: unknown) => {
      params.push(value);
      issueWhere.push(sql.replace('?', `$${params.length}`));
    };
    if (query.issueType?.length) addIssue('i.issue_type = ANY(?)', query.issueType);
    if (query.severity?.length) addIssue('i.severity = ANY(?)', query.severity);
    if (query.startDate) addIssue('i.ticket_created_at >= ?', query.startDate);
    if (query.endDate) addIssue('i.ticket_created_at < ?', query.endDate);
    if (issueWhere.length)
      where.push(
        `EXISTS (SELECT 1 FROM issues i WHERE i.cluster_id = c.id AND NOT i.hidden AND ${issueWhere.join(' AND ')})`,
      );
    return { where: where.join(' AND '), params };
  }

  orderBy(sort: string | undefined): string {
    const [field, direction] = (sort ?? 'issueCount:desc').split(':');
    const dir = direction === 'asc' ? 'ASC' : 'DESC';
    return `${CLUSTER_SORT_SQL[field!] ?? 'c.issue_count'} ${dir} NULLS LAST, c.seq ${dir}`;
  }

  async list(query: ListClustersQuery): Promise<ClusterPageResponse> {
    const compute = async (): Promise<ClusterPageResponse> => {
      const { skip, take, page, perPage } = pageWindow(query);
      const { where, params } = this.filter(query);
      const [rows, [count]] = await Promise.all([
        this.dataSource.query(
          `SELECT ${CLUSTER_COLUMNS} FROM clusters c WHERE ${where} ORDER BY ${this.orderBy(query.sort)}
            LIMIT ${take} OFFSET ${skip}`,
          params,
        ),
        this.dataSource.query(`SELECT count(*)::int AS n FROM clusters c WHERE ${where}`, params),
      ]);
      return { items: rows.map(clusterOf), total: count.n, page, perPage };
    };
    return (query.page ?? 1) === 1 ? this.cache.wrap(`clusters:${JSON.stringify(query)}`, compute) : compute();
  }

  async exists(id: string): Promise<Record<string, any>> {
    const [row] = await this.dataSource.query(`SELECT ${CLUSTER_COLUMNS} FROM clusters c WHERE c.id = $1`, [id]);
    if (!row) throw new NotFoundException(`Cluster ${id} not found`);
    return row;
  }

  async get(id: string): Promise<ClusterDetailResponse> {
    const row = await this.exists(id);
    const now = new Date();
    const [issueIds, tickets, daily, weekly, candidates, history] = await Promise.all([
      this.dataSource.query(
        `SELECT i.id FROM issues i WHERE i.cluster_id = $1 AND NOT i.hidden
          ORDER BY i.ticket_created_at DESC, i.id LIMIT 200`,
        [id],
      ),
      this.dataSource.query(
        `SELECT t.zendesk_id, t.original_id, t.subject, t.status, t.created_at, o.name AS org
           FROM tickets t LEFT JOIN zendesk_organizations o ON o.id = t.organization_id
          WHERE t.zendesk_id IN (SELECT DISTINCT ticket_id FROM issues WHERE cluster_id = $1 AND NOT hidden)
          ORDER BY t.created_at DESC LIMIT 200`,
        [id],
      ),
      this.series(id, now, 30, 'day'),
      this.series(id, now, 26 * 7, 'week'),
      this.dataSource.query(
        `SELECT c.id, c.name, c.issue_count, p.score FROM cluster_merge_proposals p
           JOIN clusters c ON c.id = CASE WHEN p.cluster_id = $1 THEN p.candidate_id ELSE p.cluster_id END
          WHERE (p.cluster_id = $1 OR p.candidate_id = $1) AND c.active
          ORDER BY p.score DESC LIMIT 10`,
        [id],
      ),
      this.dataSource.query(
        `SELECT issue_id, ticket_id, from_cluster_id, to_cluster_id, reason, created_at FROM cluster_memberships
          WHERE (to_cluster_id = $1 OR from_cluster_id = $1) AND reason NOT IN ('assigned', 'placed')
          ORDER BY created_at DESC, id DESC LIMIT 50`,
        [id],
      ),
    ]);
    return {
      ...clusterOf(row),
      issues: await this.issues.byIds(issueIds.map((r: { id: string }) => r.id)),
      tickets: tickets.map((t: Record<string, any>): ClusterTicketResponse => ({
        zendeskId: Number(t['zendesk_id']),
        originalId: t['original_id'] ?? null,
        subject: t['subject'],
        status: t['status'],
        organizationName: t['org'] ?? null,
        createdAt: new Date(t['created_at']),
        zendeskUrl: this.tickets.zendeskUrl(Number(t['zendesk_id'])),
      })),
      daily,
      weekly,
      mergeCandidates: candidates.map((c: Record<string, any>) => ({
        id: c['id'],
        name: c['name'],
        issueCount: c['issue_count'],
        score: Number(c['score']),
      })),
      history: history.map((h: Record<string, any>) => ({
        issueId: h['issue_id'],
        ticketId: Number(h['ticket_id']),
        fromClusterId: h['from_cluster_id'],
        toClusterId: h['to_cluster_id'],
        reason: h['reason'],
        createdAt: new Date(h['created_at']),
      })),
    };
  }

  private async series(id: string, now: Date, days: number, interval: 'day' | 'week'): Promise<TrendPoint[]> {
    const slots = buckets(now, days, interval);
    const rows: Array<{ bucket: string; n: number }> = await this.dataSource.query(
      `SELECT extract(epoch FROM date_trunc('${interval}', ticket_created_at AT TIME ZONE 'UTC'))::bigint AS bucket,
              count(*)::int AS n
         FROM issues WHERE cluster_id = $1 AND NOT hidden AND ticket_created_at >= $2 GROUP BY 1`,
      [id, slots[0]],
    );
    const counts = new Map(rows.map((r) => [Number(r.bucket) * 1000, r.n]));
    return slots.map((date) => ({ date, count: counts.get(date.getTime()) ?? 0 }));
  }
}

export { DAY_MS };
