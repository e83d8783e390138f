import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { visibleIssue } from '@app/analysis/issue.filters';
import { ExportIssuesQuery } from '../dto/list-issues.query';
import { CLUSTER_COLUMNS, ClusterRow } from './cluster.repository';
import {
  afterKeyset,
  cappedCountSql,
  cappedTotal,
  KeyColumn,
  SEARCH_COUNT_CAP,
  keyOutputs,
  keyValues,
} from '@app/common/keyset';

/** Severity as a rank (critical 4 … low 1); `issues_list_severity_idx` indexes this very expression. */
const SEVERITY_ORDER = `CASE i.severity WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END`;
/** Each severity's rank in SEVERITY_ORDER (any other value ranks 1, like `low`). */
const SEVERITY_RANK: Record<string, number> = { critical: 4, high: 3, medium: 2, low: 1 };
/** The first key of each sort; every sort then orders by ticket time and id, all in the sort's direction. */
const ISSUE_SORT_KEYS: Record<string, KeyColumn> = {
  severity: { sql: SEVERITY_ORDER, type: 'int' },
  confidence: { sql: 'i.confidence', type: 'real' },
  category: { sql: 'i.category', type: 'text' },
};
const TIME_KEYS: KeyColumn[] = [
  { sql: 'i.ticket_created_at', type: 'timestamptz' },
  { sql: 'i.id', type: 'uuid' },
];

/** One page of issue ids, and the keyset after the page's last row (null: no next page). */
export interface IssueIdPage {
  ids: string[];
  next: string[] | null;
}

/** A list's total, counted up to a cap. */
export interface CappedTotal {
  total: number;
  totalExact: boolean;
}

/** An SQL condition with its parameters ($1…). */
export interface SqlFilter {
  where: string;
  params: unknown[];
  /** Where a list's count stops (COUNT_CAP unless said). */
  countCap?: number;
  /**
   * A condition the count adds (implied by `where`, no parameters): it lets the count seek an index to its matches
   * where `where` alone would have it filter every entry before them. Not for the pages: its selectivity is
   * estimated apart from the condition it repeats, and the page plans chosen on that estimate were worse.
   */
  countSeek?: string;
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
    let countSeek: string | undefined;
    if (query.severity?.length) {
      add('i.severity = ANY(?)', query.severity);
      // Ranks of validated severities, as literals: the seek of issues_list_severity_idx to the filter's ranks. Without
      // it a count chose that index (the smallest) and read every low and medium entry before the first high one:
      // 2.8 s for severity=critical,high at 1M tickets, 4.6 ms with it (bench/api/PLANS.md).
      const ranks = [...new Set(query.severity.map((s) => SEVERITY_RANK[s] ?? 1))];
      countSeek = `${SEVERITY_ORDER} = ANY('{${ranks.join(',')}}'::int[])`;
    }
    if (query.clusterId) add('i.cluster_id = ?', query.clusterId);
    if (query.startDate) add('i.ticket_created_at >= ?', query.startDate);
    if (query.endDate) add('i.ticket_created_at < ?', query.endDate);
    if (!query.search?.trim()) return { where: where.join(' AND '), params, ...(countSeek ? { countSeek } : {}) };
    // A search's count seeks the full-text index: the severity seek stays out of its plan.
    add(`i.search @@ websearch_to_tsquery('english', ?)`, query.search.trim());
    return { where: where.join(' AND '), params, countCap: SEARCH_COUNT_CAP };
  }

  /** The sort key columns of `field:asc|desc` (newest ticket first by default), all in one direction. */
  sortKeys(sort: string | undefined): { keys: KeyColumn[]; descending: boolean } {
    const [field, direction] = (sort ?? 'ticketCreatedAt:desc').split(':');
    const first = ISSUE_SORT_KEYS[field!];
    return { keys: first ? [first, ...TIME_KEYS] : TIME_KEYS, descending: direction !== 'asc' };
  }

  /** `field:asc|desc` of the list as ORDER BY. */
  orderBy(sort: string | undefined): string {
    const { keys, descending } = this.sortKeys(sort);
    return keys.map((k) => `${k.sql} ${descending ? 'DESC' : 'ASC'}`).join(', ');
  }

  /**
   * One page of the list: `take` ids in order from `skip`, or after the keyset `after` (the sort key of the previous
   * page's last row), and the keyset of this page's last row when more follow. The ids come from an index of the
   * sort (issues_list_*_idx, visible issues only): a deep page walks index entries, not rows, and with `after` it
   * starts where the previous page ended.
   */
  async page(
    { where, params }: SqlFilter,
    sort: string | undefined,
    take: number,
    skip: number,
    after: string[] | null = null,
  ): Promise<IssueIdPage> {
    const { keys, descending } = this.sortKeys(sort);
    const pageParams = [...params];
    let keyset = '';
    if (after) {
      keyset = `AND ${afterKeyset(keys, descending, pageParams.length + 1)}`;
      pageParams.push(...after);
    }
    const rows: Array<Record<string, string>> = await this.dataSource.query(
      `SELECT i.id, ${keyOutputs(keys)} FROM issues i WHERE ${where} ${keyset} ORDER BY ${this.orderBy(sort)}
        LIMIT ${take + 1} OFFSET ${after ? 0 : skip}`,
      pageParams,
    );
    const page = rows.slice(0, take);
    return {
      ids: page.map((r) => r['id']!),
      next: rows.length > take ? keyValues(page[page.length - 1]!, keys.length) : null,
    };
  }

  /** The list's total, counted up to the filter's cap (COUNT_CAP; SEARCH_COUNT_CAP with a search). */
  async count(filter: SqlFilter): Promise<CappedTotal> {
    const [row]: Array<{ n: number }> = await this.dataSource.query(this.countSql(filter), filter.params);
    return cappedTotal(row!.n, filter.countCap);
  }

  /** The SQL of `count` (its parameters are the filter's). */
  countSql({ where, countCap, countSeek }: SqlFilter): string {
    return cappedCountSql(`issues i WHERE ${where}${countSeek ? ` AND ${countSeek}` : ''}`, countCap);
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
