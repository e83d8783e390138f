import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { accountImpact, accountIn, accountJoin, arrAt, TOTAL_ARR } from '@app/accounts/account.filters';
import { visibleIssue } from '@app/analysis/issue.filters';
import { liveTicket } from '@app/tickets/ticket.filters';
import { ExportClustersQuery } from '../dto/list-clusters.query';
import { CLUSTER_COLUMNS, ClusterRow } from './cluster.repository';
import type { SqlFilter } from './issue-query.repository';
import { ClusterImpactColumns, IMPACT_COLUMNS, IMPACT_JOINS } from './cluster-impact.sql';

const CLUSTER_SORT_SQL: Record<string, string> = {
  issueCount: 'c.issue_count',
  count7d: 'c.count_7d',
  trendPct: 'c.trend_pct',
  uniqueCustomers: 'c.unique_customers',
  lastSeen: 'c.last_seen',
  firstSeen: 'c.first_seen',
  updatedAt: 'c.updated_at',
  name: 'lower(c.name)',
  impactScore: 'impact_score',
  arrAffected: 'imp.arr_affected',
  affectedAccounts: 'imp.affected_accounts',
};

/** Sorts that need every matching cluster's impact before paging. */
const IMPACT_SORT_FIELDS = new Set(['impactScore', 'arrAffected', 'affectedAccounts']);

/** A cluster row with its impact (`IMPACT_COLUMNS`). */
export type ClusterImpactRow = ClusterRow & ClusterImpactColumns;

/** An organization affected by a cluster: its account values, its tickets in the cluster. */
export interface ClusterAccountRow {
  organization_id: string;
  name: string | null;
  plan: string | null;
  segment: string | null;
  arr: string | null;
  renewal_date: string | null;
  ticket_count: number;
  ticket_ids: string[];
  first_ticket_at: Date | string;
  arr_at_first_ticket: string | null;
}

/** A ticket of a cluster, with its organization's name. */
export interface ClusterTicketRow {
  zendesk_id: string | number;
  original_id: string | null;
  subject: string;
  status: string;
  created_at: Date | string;
  org: string | null;
}

/** A membership change a PM or a merge made (not the runs' own assignments). */
export interface MembershipEventRow {
  issue_id: string;
  ticket_id: string | number;
  from_cluster_id: string | null;
  to_cluster_id: string | null;
  reason: string;
  created_at: Date | string;
}

/** Read-only queries of the cluster list, detail and CSV export. */
@Injectable()
export class ClusterQueryRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The list filters of `GET /clusters` (and its CSV export) over `clusters c`. */
  filter(query: ExportClustersQuery): SqlFilter {
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
    // Accounts: clusters with at least one affected organization whose account is of these segments / plans.
    for (const column of ['segment', 'plan'] as const) {
      const names = query[column];
      if (!names?.length) continue;
      params.push(names.map((n) => n.toLowerCase()));
      where.push(
        `EXISTS (SELECT 1 FROM issues i JOIN tickets t ON t.zendesk_id = i.ticket_id WHERE i.cluster_id = c.id
           AND ${visibleIssue('i')} AND ${liveTicket('t')} AND ${accountIn('t.organization_id', column, `$${params.length}`)})`,
      );
    }
    if (issueWhere.length)
      where.push(
        `EXISTS (SELECT 1 FROM issues i WHERE i.cluster_id = c.id AND ${visibleIssue('i')} AND ${issueWhere.join(' AND ')})`,
      );
    return { where: where.join(' AND '), params };
  }

  /** `field:asc|desc` of the list as ORDER BY (most issues first by default). */
  orderBy(sort: string | undefined): string {
    const [field, direction] = (sort ?? 'issueCount:desc').split(':');
    const dir = direction === 'asc' ? 'ASC' : 'DESC';
    return `${CLUSTER_SORT_SQL[field!] ?? 'c.issue_count'} ${dir} NULLS LAST, c.seq ${dir}`;
  }

  /** One page of the list, and the total. */
  async page(
    { where, params }: SqlFilter,
    sort: string | undefined,
    take: number,
    skip: number,
  ): Promise<{ rows: ClusterImpactRow[]; total: number }> {
    const order = this.orderBy(sort);
    // Ranked by impact, every matching cluster's impact is computed; otherwise only the page's.
    const byImpact = IMPACT_SORT_FIELDS.has((sort ?? '').split(':')[0] ?? '');
    const sql = byImpact
      ? `SELECT ${CLUSTER_COLUMNS}, ${IMPACT_COLUMNS} FROM clusters c ${IMPACT_JOINS}
          WHERE ${where} ORDER BY ${order} LIMIT ${take} OFFSET ${skip}`
      : `SELECT ${CLUSTER_COLUMNS}, ${IMPACT_COLUMNS}
           FROM (SELECT * FROM clusters c WHERE ${where} ORDER BY ${order} LIMIT ${take} OFFSET ${skip}) c
           ${IMPACT_JOINS} ORDER BY ${order}`;
    const [rows, [count]]: [ClusterImpactRow[], Array<{ n: number }>] = await Promise.all([
      this.dataSource.query(sql, params),
      this.dataSource.query(`SELECT count(*)::int AS n FROM clusters c WHERE ${where}`, params),
    ]);
    return { rows, total: count!.n };
  }

  /** One export page, oldest first, after `afterSeq`. */
  async exportPage({ where, params }: SqlFilter, afterSeq: number, limit: number): Promise<ClusterImpactRow[]> {
    return this.dataSource.query(
      `SELECT ${CLUSTER_COLUMNS}, ${IMPACT_COLUMNS} FROM clusters c ${IMPACT_JOINS}
        WHERE ${where} AND c.seq > $${params.length + 1}
        ORDER BY c.seq LIMIT ${limit}`,
      [...params, afterSeq],
    );
  }

  /** The accounts of open problems: organizations with tickets in active clusters not fixed nor won't-fix (the
   *  organizations each cluster's stats refresh keeps, as the cluster list's impact reads them). */
  async revenueAtRisk(): Promise<{ arr: number; accounts: number; renewing: number; total: number }> {
    const [row]: Array<{
      affected_accounts: number;
      arr_affected: number;
      renewing_accounts: number;
      total_arr: number;
    }> = await this.dataSource.query(
      `SELECT imp.affected_accounts, imp.arr_affected, imp.renewing_accounts, tot.total_arr
           FROM (${accountImpact(`SELECT DISTINCT unnest(c.organization_ids) FROM clusters c
                  WHERE c.active AND c.pm_status NOT IN ('fixed', 'wont_fix')`)}) imp CROSS JOIN (${TOTAL_ARR}) tot`,
    );
    return {
      arr: Number(row?.arr_affected ?? 0),
      accounts: row?.affected_accounts ?? 0,
      renewing: row?.renewing_accounts ?? 0,
      total: Number(row?.total_arr ?? 0),
    };
  }

  /** One cluster's impact columns. */
  async impact(
    clusterId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<ClusterImpactColumns | null> {
    const [row]: ClusterImpactColumns[] = await manager.query(
      `SELECT ${IMPACT_COLUMNS} FROM clusters c ${IMPACT_JOINS} WHERE c.id = $1`,
      [clusterId],
    );
    return row ?? null;
  }

  /**
   * The organizations of the cluster's visible issues' live tickets, highest ARR first, with their account values,
   * their tickets in the cluster and the ARR they had when the first of those was created.
   */
  async accounts(clusterId: string, limit: number): Promise<ClusterAccountRow[]> {
    return this.dataSource.query(
      `SELECT x.*, ${arrAt('x.organization_id', 'x.first_ticket_at')} AS arr_at_first_ticket FROM (
         SELECT t.organization_id, o.name, a.plan, a.segment, a.arr, a.renewal_date,
                count(DISTINCT t.zendesk_id)::int AS ticket_count, min(t.created_at) AS first_ticket_at,
                (array_agg(DISTINCT t.zendesk_id ORDER BY t.zendesk_id DESC))[1:20]::text[] AS ticket_ids
           FROM issues i JOIN tickets t ON t.zendesk_id = i.ticket_id
           LEFT JOIN zendesk_organizations o ON o.id = t.organization_id
           ${accountJoin('t.organization_id', 'a')}
          WHERE i.cluster_id = $1 AND ${visibleIssue('i')} AND ${liveTicket('t')} AND t.organization_id IS NOT NULL
          GROUP BY t.organization_id, o.name, a.plan, a.segment, a.arr, a.renewal_date) x
        ORDER BY x.arr DESC NULLS LAST, x.ticket_count DESC, x.organization_id LIMIT ${limit}`,
      [clusterId],
    );
  }

  /** The most recent tickets with a visible issue in the cluster. */
  async tickets(clusterId: string, limit: number): Promise<ClusterTicketRow[]> {
    return this.dataSource.query(
      `SELECT t.zendesk_id, t.original_id, t.subject, t.status, t.created_at, o.name AS org
         FROM tickets t LEFT JOIN zendesk_organizations o ON o.id = t.organization_id
        WHERE t.zendesk_id IN (SELECT DISTINCT i.ticket_id FROM issues i WHERE i.cluster_id = $1 AND ${visibleIssue('i')})
        ORDER BY t.created_at DESC LIMIT ${limit}`,
      [clusterId],
    );
  }

  /** The cluster's latest membership changes by PMs and merges. */
  async history(clusterId: string, limit: number): Promise<MembershipEventRow[]> {
    return this.dataSource.query(
      `SELECT issue_id, ticket_id, from_cluster_id, to_cluster_id, reason, created_at FROM cluster_memberships
        WHERE (to_cluster_id = $1 OR from_cluster_id = $1) AND reason NOT IN ('assigned', 'placed')
        ORDER BY created_at DESC, id DESC LIMIT ${limit}`,
      [clusterId],
    );
  }

  /** Visible issues of the cluster since `from` by `interval` (bucket: epoch seconds of its UTC start). */
  async countsByBucket(
    clusterId: string,
    interval: 'day' | 'week',
    from: Date,
  ): Promise<Array<{ bucket: string; n: number }>> {
    return this.dataSource.query(
      `SELECT extract(epoch FROM date_trunc('${interval}', i.ticket_created_at AT TIME ZONE 'UTC'))::bigint AS bucket,
              count(*)::int AS n
         FROM issues i WHERE i.cluster_id = $1 AND ${visibleIssue('i')} AND i.ticket_created_at >= $2 GROUP BY 1`,
      [clusterId, from],
    );
  }
}
