import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { visibleIssue } from '@app/analysis/issue.filters';
import { DAY_MS } from '../trends';

/** Visible issues since a date: how many, their tickets and customers, and the counts by category, severity, type. */
export interface IssueWindowCounts {
  issues: number;
  tickets: number;
  customers: number;
  byCategory: Array<{ key: string; count: number }>;
  bySeverity: Array<{ key: string; count: number }>;
  byIssueType: Array<{ key: string; count: number }>;
}

/** `YYYY-MM-DD` of a UTC day. */
const isoDay = (d: Date): string => d.toISOString().slice(0, 10);

/** The folded counts and the deltas not folded yet, of the given dims, from a day (`$1`) on. */
const COUNTS = (dims: string, extra = '') => `
  SELECT dim::text AS dim, day, key, n FROM issue_day_counts WHERE dim IN (${dims}) AND day >= $1::date ${extra}
  UNION ALL
  SELECT dim::text, day, key, n FROM issue_day_deltas WHERE dim IN (${dims}) AND day >= $1::date ${extra}`;

/**
 * The summary and the trends from the daily aggregates that triggers keep beside `issues` (migration
 * 1764400000025): whole UTC days from `issue_day_counts` (+ deltas not folded yet), the part of a day a rolling
 * window starts in from `issues` itself (an index range of at most one day). Same answers as a scan of `issues`.
 */
@Injectable()
export class IssueAggregateRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Folds the triggers' appended deltas into the daily counts (skipped when another process is folding: readers
   * count the deltas anyway). Returns the number of delta rows folded.
   */
  async fold(): Promise<number> {
    const [row]: Array<{ n: number }> = await this.dataSource.query(`SELECT issue_day_counts_fold() AS n`);
    return row?.n ?? 0;
  }

  /** Visible issues with `ticket_created_at >= from`: totals and counts by category, severity and type. */
  async window(from: Date): Promise<IssueWindowCounts> {
    const floorDay = new Date(Math.floor(from.getTime() / DAY_MS) * DAY_MS);
    const firstFull = floorDay.getTime() === from.getTime() ? floorDay : new Date(floorDay.getTime() + DAY_MS);
    // Tickets (customers) counted once: by the day of their latest visible issue. Those whose latest day is the
    // partial first day count when they have a visible issue in its part inside the window (read once, below).
    const rows: Array<{ dim: string; key: string; n: number }> = await this.dataSource.query(
      `WITH part AS MATERIALIZED (
         SELECT i.category::text AS category, i.severity::text AS severity, i.issue_type::text AS issue_type,
                i.ticket_id, coalesce(t.organization_id, -t.requester_id) AS customer
           FROM issues i JOIN tickets t ON t.zendesk_id = i.ticket_id
          WHERE ${visibleIssue('i')} AND i.ticket_created_at >= $2 AND i.ticket_created_at < $3)
       SELECT dim, key, sum(n)::int AS n FROM (
         SELECT dim, key, n FROM (${COUNTS(`'c', 's', 't', 'T', 'U'`)}) full_days
         UNION ALL
         SELECT g.dim, g.key, count(*)::int FROM part
          CROSS JOIN LATERAL (VALUES ('c', part.category), ('s', part.severity), ('t', part.issue_type)) AS g(dim, key)
          GROUP BY 1, 2
         UNION ALL
         SELECT 'T', '', count(DISTINCT l.entity)::int FROM (SELECT DISTINCT ticket_id FROM part) p
           JOIN issue_entity_last l ON l.kind = 'T' AND l.entity = p.ticket_id AND l.day = $4::date
         UNION ALL
         SELECT 'U', '', count(DISTINCT l.entity)::int FROM (SELECT DISTINCT customer FROM part) p
           JOIN issue_entity_last l ON l.kind = 'U' AND l.entity = p.customer AND l.day = $4::date
       ) x GROUP BY 1, 2 HAVING sum(n) > 0 ORDER BY 1, 3 DESC, 2`,
      [isoDay(firstFull), from, firstFull, isoDay(floorDay)],
    );
    const of = (dim: string) => rows.filter((r) => r.dim === dim).map((r) => ({ key: r.key, count: r.n }));
    const total = (dim: string) => rows.find((r) => r.dim === dim)?.n ?? 0;
    const bySeverity = of('s');
    return {
      issues: bySeverity.reduce((s, r) => s + r.count, 0),
      tickets: total('T'),
      customers: total('U'),
      byCategory: of('c'),
      bySeverity,
      byIssueType: of('t'),
    };
  }

  /** Visible issues since the UTC day `from` by category and `interval` (bucket: epoch seconds of its UTC start). */
  async countsByCategoryAndBucket(
    interval: 'day' | 'week',
    from: Date,
    categories?: string[],
  ): Promise<Array<{ category: string; bucket: string; n: number }>> {
    const params: unknown[] = [isoDay(from)];
    let only = '';
    if (categories?.length) {
      params.push(categories);
      only = 'AND key = ANY($2)';
    }
    return this.dataSource.query(
      `SELECT key AS category, extract(epoch FROM date_trunc('${interval}', day::timestamp))::bigint AS bucket,
              sum(n)::int AS n
         FROM (${COUNTS(`'c'`, only)}) x
        GROUP BY 1, 2 HAVING sum(n) > 0`,
      params,
    );
  }
}
