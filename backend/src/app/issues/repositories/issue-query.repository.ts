import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { visibleIssue } from '../../analysis/issue.filters';
import { ExportIssuesQuery } from '../dto/list-issues.query';
import { CLUSTER_COLUMNS, ClusterRow } from './cluster.repository';

const SEVERITY_ORDER = `CASE i.severity WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END`;
const ISSUE_SORT_SQL: Record<string, string> = {
  ticketCreatedAt: 'i.ticket_created_at',
  severity: SEVERITY_ORDER,
  confidence: 'i.confidence',
  category: 'i.category',
};

/** An SQL condition with its parameters ($1…). */
export interface SqlFilter {
  where: string;
  params: unknown[];
}

/** An issue with its ticket (subject, file id, organization) and cluster name. */
export interface IssueDetailRow {
  id: string;
  ticket_id: string | number;
  category: string;
  subcategory: string;
  issue_type: string;
  severity: string;
  summary: string;
  detail: string;
  quote: string;
  confidence: string | number;
  ticket_created_at: Date | string;
  cluster_id: string | null;
  cluster_name: string | null;
  subject: string | null;
  original_id: string | null;
  org: string | null;
}

export interface ClusterTotalsRow {
  active: number;
  emerging: number;
  new: number;
}

const ISSUE_DETAIL_SQL = `SELECT i.id, i.ticket_id, i.category, i.subcategory, i.issue_type, i.severity, i.summary, i.detail, i.quote,
              i.confidence, i.ticket_created_at, i.cluster_id, c.name AS cluster_name, t.subject, t.original_id, o.name AS org
         FROM issues i
         JOIN tickets t ON t.zendesk_id = i.ticket_id
         LEFT JOIN zendesk_organizations o ON o.id = t.organization_id
         LEFT JOIN clusters c ON c.id = i.cluster_id`;

/** Read-only queries of the issue list, search, export and the summary's cluster figures (visible issues only). */
@Injectable()
export class IssueQueryRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The list filters of `GET /issues` (and its CSV export) over `issues i`. */
  filter(query: ExportIssuesQuery): SqlFilter {
    const where = [visibleIssue('i')];
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

  /** `field:asc|desc` of the list as ORDER BY (newest ticket first by default). */
  orderBy(sort: string | undefined): string {
    const [field, direction] = (sort ?? 'ticketCreatedAt:desc').split(':');
    const dir = direction === 'asc' ? 'ASC' : 'DESC';
    return `${ISSUE_SORT_SQL[field!] ?? 'i.ticket_created_at'} ${dir}, i.ticket_created_at ${dir}, i.id ${dir}`;
  }

  /** One page of the list: ids in order, and the total. */
  async page(
    { where, params }: SqlFilter,
    sort: string | undefined,
    take: number,
    skip: number,
  ): Promise<{ ids: string[]; total: number }> {
    const [rows, [count]]: [Array<{ id: string }>, Array<{ n: number }>] = await Promise.all([
      this.dataSource.query(
        `SELECT i.id FROM issues i WHERE ${where} ORDER BY ${this.orderBy(sort)}
          LIMIT ${take} OFFSET ${skip}`,
        params,
      ),
      this.dataSource.query(`SELECT count(*)::int AS n FROM issues i WHERE ${where}`, params),
    ]);
    return { ids: rows.map((r) => r.id), total: count!.n };
  }

  /** The issues with their ticket and cluster (any order). */
  async details(ids: string[]): Promise<IssueDetailRow[]> {
    return this.dataSource.query(`${ISSUE_DETAIL_SQL} WHERE i.id = ANY($1::uuid[])`, [ids]);
  }

  /** The ids of a cluster's most recent visible issues. */
  async idsInCluster(clusterId: string, limit: number): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `SELECT i.id FROM issues i WHERE i.cluster_id = $1 AND ${visibleIssue('i')}
        ORDER BY i.ticket_created_at DESC, i.id LIMIT ${limit}`,
      [clusterId],
    );
    return rows.map((r) => r.id);
  }

  /** One export page, newest ticket first, after the keyset `after` (ticket time, issue id). */
  async exportPage(
    { where, params }: SqlFilter,
    after: { at: Date; id: string } | null,
    limit: number,
  ): Promise<IssueDetailRow[]> {
    const p = [...params];
    let keyset = '';
    if (after) {
      p.push(after.at, after.id);
      keyset = `AND (i.ticket_created_at, i.id) < ($${p.length - 1}, $${p.length})`;
    }
    return this.dataSource.query(
      `${ISSUE_DETAIL_SQL}
        WHERE ${where} ${keyset}
        ORDER BY i.ticket_created_at DESC, i.id DESC LIMIT ${limit}`,
      p,
    );
  }

  /** Active clusters: how many, emerging, first seen since `from`. */
  async clusterTotals(from: Date): Promise<ClusterTotalsRow> {
    const [row]: ClusterTotalsRow[] = await this.dataSource.query(
      `SELECT count(*)::int AS active, (count(*) FILTER (WHERE emerging))::int AS emerging,
              (count(*) FILTER (WHERE first_seen >= $1))::int AS new
         FROM clusters WHERE active`,
      [from],
    );
    return row!;
  }

  /** The active (and, with `emerging`, emerging) clusters with the most issues in the last 7 days. */
  async busiestClusters(emerging: boolean, limit: number): Promise<ClusterRow[]> {
    return this.dataSource.query(
      `SELECT ${CLUSTER_COLUMNS} FROM clusters c WHERE c.active ${emerging ? 'AND c.emerging' : ''}
        ORDER BY c.count_7d DESC, c.seq LIMIT ${limit}`,
    );
  }
}
